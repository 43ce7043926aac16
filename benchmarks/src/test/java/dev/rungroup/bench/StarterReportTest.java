package dev.rungroup.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The paired differences' median and its confidence interval in the starter report. */
class StarterReportTest {

  @Test
  void theIntervalOfAMedianOfFortyPairsSpansTheOrderStatisticsAroundIt() {
    List<Long> values = new ArrayList<>();
    for (long v = 1; v <= 40; v++) {
      values.add(v);
    }
    Collections.shuffle(values, new Random(7));

    long[] interval = StarterReport.medianInterval(values);

    // 40/2 ∓ 0.98·√40 ≈ 20 ∓ 6.2: the 14th and the 27th of the sorted values (the binomial
    // table's 95% interval for n = 40); the median (20 + 21) / 2 in whole nanoseconds
    assertThat(interval).containsExactly(14, 20, 27);
  }

  @Test
  void fewerThanSixPairsGiveTheirMinimumAndMaximum() {
    assertThat(StarterReport.medianInterval(List.of(5L, -3L, 9L))).containsExactly(-3, 5, 9);
  }

  @Test
  void noPairsGiveNoInterval() {
    assertThat(StarterReport.medianInterval(List.of())).isNull();
  }
}
