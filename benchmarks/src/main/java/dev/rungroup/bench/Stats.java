package dev.rungroup.bench;

import java.util.Arrays;

/** Min, median and max of a series of run times, in nanoseconds. */
record Stats(long min, long median, long max, int runs) {

  static Stats of(long[] samples) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    long median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(sorted[0], median, sorted[n - 1], n);
  }
}
