package dev.rungroup.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The method of every cell, for every scenario: each contender is warmed up (for {@code
 * warmupNanos}, at least one run, at most {@value #MAX_WARMUP_RUNS}), then measured in rounds in
 * which every contender runs once, in a new random order each round (seeded, so a rerun repeats
 * it), as many rounds as the budget allows within the bounds. A contender that fails is recorded
 * and not run again in this cell.
 *
 * <p>A run gives one or more clocks (A and B one, scenario C two: start and stop; a restart run one
 * latency per restart); the estimate of a run's cost, which sets the number of rounds, is the
 * median of the second half of the warm-up runs' summed clocks, so that one slow early run does not
 * cut the rounds. Not thread-safe: the harness's main thread alone uses it.
 *
 * @param <T> the contender type
 */
final class Rounds<T> {
  static final int MAX_WARMUP_RUNS = 2_000;

  /** One measured run of one contender. */
  interface Trial<T> {
    /** Runs {@code contender} once and returns its clocks in nanoseconds. */
    long[] run(T contender) throws Exception;
  }

  /**
   * The runs of one cell.
   *
   * @param samples each contender that completed its warm-up: its measured runs in round order
   *     (until a failure)
   * @param failures each contender that failed, with what it failed with
   */
  record Outcome<T>(Map<T, List<long[]>> samples, Map<T, String> failures) {}

  private final long warmupNanos;
  private final long budgetNanos;
  private final int minRounds;
  private final int maxRounds;

  Rounds(long warmupNanos, long budgetNanos, int minRounds, int maxRounds) {
    this.warmupNanos = warmupNanos;
    this.budgetNanos = budgetNanos;
    this.minRounds = minRounds;
    this.maxRounds = maxRounds;
  }

  /**
   * Warms up and measures {@code contenders} in rounds shuffled by a {@link Random}({@code seed}).
   */
  Outcome<T> measure(List<T> contenders, Trial<T> trial, long seed) {
    List<T> running = new ArrayList<>();
    Map<T, Long> estimate = new LinkedHashMap<>();
    Map<T, List<long[]>> samples = new LinkedHashMap<>();
    Map<T, String> failures = new LinkedHashMap<>();
    for (T c : contenders) {
      try {
        long warmEnd = System.nanoTime() + warmupNanos;
        List<Long> warmup = new ArrayList<>();
        do {
          warmup.add(sum(trial.run(c)));
        } while (warmup.size() < MAX_WARMUP_RUNS && System.nanoTime() < warmEnd);
        // The median of the second half of the warm-up: one slow run must not cut the rounds.
        List<Long> late = new ArrayList<>(warmup.subList(warmup.size() / 2, warmup.size()));
        Collections.sort(late);
        estimate.put(c, late.get(late.size() / 2));
        samples.put(c, new ArrayList<>());
        running.add(c);
      } catch (Throwable e) { // OutOfMemoryError included: record it, go on without it
        failures.put(c, describe(e));
      }
    }
    long perRound = 0;
    for (long e : estimate.values()) {
      perRound += e;
    }
    int rounds =
        (int) Math.max(minRounds, Math.min(maxRounds, budgetNanos / Math.max(1, perRound)));
    // A new random order each round, so that no contender always runs right after the same other
    // one and inherits what that one leaves to the machine.
    Random order = new Random(seed);
    List<T> round = new ArrayList<>(running);
    for (int r = 0; r < rounds; r++) {
      Collections.shuffle(round, order);
      for (T c : round) {
        if (failures.containsKey(c)) {
          continue;
        }
        try {
          samples.computeIfAbsent(c, k -> new ArrayList<>()).add(trial.run(c));
        } catch (Throwable e) {
          failures.put(c, describe(e));
        }
      }
    }
    return new Outcome<>(samples, failures);
  }

  private static long sum(long[] clocks) {
    long sum = 0;
    for (long c : clocks) {
      sum += c;
    }
    return sum;
  }

  static String describe(Throwable e) {
    return e instanceof OutOfMemoryError ? "OutOfMemoryError: " + e.getMessage() : e.toString();
  }
}
