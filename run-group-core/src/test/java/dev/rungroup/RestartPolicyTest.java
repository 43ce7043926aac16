package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link RestartPolicy} on its own: kinds, defaults, withers, delays, range checks, equality. */
class RestartPolicyTest {

  @Test
  void theKindsSayWhatTheyRestart() {
    assertThat(RestartPolicy.never()).isSameAs(RestartPolicy.never());
    assertThat(RestartPolicy.never().restartsOnFailure()).isFalse();
    assertThat(RestartPolicy.never().restartsAfter(true)).isFalse();
    assertThat(RestartPolicy.never().restartsAfter(false)).isFalse();
    assertThat(RestartPolicy.onFailure().restartsOnFailure()).isTrue();
    assertThat(RestartPolicy.onFailure().restartsOnNormalReturn()).isFalse();
    assertThat(RestartPolicy.onFailure().restartsAfter(true)).isTrue();
    assertThat(RestartPolicy.onFailure().restartsAfter(false)).isFalse();
    assertThat(RestartPolicy.always().restartsOnFailure()).isTrue();
    assertThat(RestartPolicy.always().restartsOnNormalReturn()).isTrue();
    assertThat(RestartPolicy.always().restartsAfter(true)).isTrue();
    assertThat(RestartPolicy.always().restartsAfter(false)).isTrue();
  }

  @Test
  void theDefaultsAreFiveRestartsAMinuteBackoffOneToThirtySecondsJitterAFifth() {
    for (RestartPolicy p :
        List.of(RestartPolicy.never(), RestartPolicy.onFailure(), RestartPolicy.always())) {
      assertThat(p.maxRestarts()).isEqualTo(5);
      assertThat(p.within()).isEqualTo(Duration.ofMinutes(1));
      assertThat(p.backoffInitial()).isEqualTo(Duration.ofSeconds(1));
      assertThat(p.backoffMax()).isEqualTo(Duration.ofSeconds(30));
      assertThat(p.jitter()).isEqualTo(0.2);
    }
  }

  @Test
  void withersReturnANewPolicyWithOneValueChanged() {
    RestartPolicy base = RestartPolicy.onFailure();
    RestartPolicy p =
        base.maxRestarts(3)
            .within(Duration.ofSeconds(7))
            .backoff(Duration.ofMillis(5), Duration.ofMillis(50))
            .jitter(0.5);
    assertThat(p.maxRestarts()).isEqualTo(3);
    assertThat(p.within()).isEqualTo(Duration.ofSeconds(7));
    assertThat(p.backoffInitial()).isEqualTo(Duration.ofMillis(5));
    assertThat(p.backoffMax()).isEqualTo(Duration.ofMillis(50));
    assertThat(p.jitter()).isEqualTo(0.5);
    assertThat(p.restartsAfter(false)).as("still onFailure").isFalse();
    assertThat(base.maxRestarts()).as("the original is unchanged").isEqualTo(5);
    assertThat(RestartPolicy.always().maxRestarts(1).restartsOnNormalReturn()).isTrue();
    assertThatThrownBy(() -> base.within(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> base.backoff(null, Duration.ZERO))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> base.backoff(Duration.ZERO, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void theNthRestartWaitsInitialTimesTwoToTheNMinusOneUpToMax() {
    RestartPolicy p =
        RestartPolicy.onFailure().backoff(Duration.ofNanos(100), Duration.ofNanos(1_000)).jitter(0);
    assertThat(p.delayNanos(1)).isEqualTo(100);
    assertThat(p.delayNanos(2)).isEqualTo(200);
    assertThat(p.delayNanos(3)).isEqualTo(400);
    assertThat(p.delayNanos(4)).isEqualTo(800);
    assertThat(p.delayNanos(5)).isEqualTo(1_000);
    assertThat(p.delayNanos(64)).isEqualTo(1_000);
    RestartPolicy exact =
        RestartPolicy.onFailure().backoff(Duration.ofNanos(100), Duration.ofNanos(400)).jitter(0);
    assertThat(exact.delayNanos(3)).as("reaching max exactly").isEqualTo(400);
    RestartPolicy zero = RestartPolicy.onFailure().backoff(Duration.ZERO, Duration.ZERO);
    assertThat(zero.delayNanos(1)).as("zero stays zero, jitter or not").isZero();
    assertThat(zero.delayNanos(10)).isZero();
    RestartPolicy forever =
        RestartPolicy.onFailure()
            .backoff(ChronoUnit.FOREVER.getDuration(), ChronoUnit.FOREVER.getDuration())
            .jitter(0);
    assertThat(forever.delayNanos(3)).as("saturated, not overflowed").isEqualTo(Long.MAX_VALUE);
    RestartPolicy huge =
        RestartPolicy.onFailure()
            .backoff(Duration.ofNanos(Long.MAX_VALUE / 2 + 1), ChronoUnit.FOREVER.getDuration())
            .jitter(0);
    assertThat(huge.delayNanos(2)).as("doubling saturates").isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void jitterSpreadsTheDelayWithinItsFactor() {
    RestartPolicy p =
        RestartPolicy.onFailure().backoff(Duration.ofMillis(1), Duration.ofMillis(1)).jitter(0.5);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      long d = p.delayNanos(1);
      assertThat(d).isBetween(500_000L, 1_500_000L);
      seen.add(d);
    }
    assertThat(seen).as("random, not one value").hasSizeGreaterThan(100);
    assertThat(seen.stream().anyMatch(d -> d < 900_000)).as("below the base too").isTrue();
    assertThat(seen.stream().anyMatch(d -> d > 1_100_000)).as("above the base too").isTrue();
    RestartPolicy full =
        RestartPolicy.onFailure()
            .backoff(ChronoUnit.FOREVER.getDuration(), ChronoUnit.FOREVER.getDuration())
            .jitter(1);
    for (int i = 0; i < 100; i++) {
      assertThat(full.delayNanos(1)).isBetween(0L, Long.MAX_VALUE);
    }
  }

  @Test
  void checkNamesTheActorAndTheValueOutOfRange() {
    assertProblem(RestartPolicy.onFailure().maxRestarts(-1), "maxRestarts must not be negative");
    assertProblem(RestartPolicy.onFailure().within(Duration.ZERO), "within must be positive");
    assertProblem(
        RestartPolicy.onFailure().within(Duration.ofSeconds(-1)), "within must be positive");
    assertProblem(
        RestartPolicy.onFailure().backoff(Duration.ofSeconds(-1), Duration.ZERO),
        "backoff initial must not be negative");
    assertProblem(
        RestartPolicy.onFailure().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)),
        "must not be less than initial");
    assertProblem(RestartPolicy.onFailure().jitter(-0.01), "jitter must be from 0 to 1");
    assertProblem(RestartPolicy.onFailure().jitter(1.01), "jitter must be from 0 to 1");
    assertProblem(RestartPolicy.onFailure().jitter(Double.NaN), "jitter must be from 0 to 1");
    // the edges are allowed
    RestartPolicy.onFailure()
        .maxRestarts(0)
        .within(Duration.ofNanos(1))
        .backoff(Duration.ZERO, Duration.ZERO)
        .jitter(0)
        .check("edge");
    RestartPolicy.onFailure().jitter(1).check("edge");
    RestartPolicy.onFailure().backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).check("edge");
  }

  private static void assertProblem(RestartPolicy p, String problem) {
    assertThatThrownBy(() -> p.check("worker"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("actor 'worker'")
        .hasMessageContaining(problem);
  }

  @Test
  void equalPoliciesAreEqualAndEachValueMatters() {
    RestartPolicy p =
        RestartPolicy.onFailure()
            .maxRestarts(3)
            .within(Duration.ofSeconds(7))
            .backoff(Duration.ofMillis(5), Duration.ofMillis(50))
            .jitter(0.5);
    RestartPolicy same =
        RestartPolicy.onFailure()
            .maxRestarts(3)
            .within(Duration.ofSeconds(7))
            .backoff(Duration.ofMillis(5), Duration.ofMillis(50))
            .jitter(0.5);
    assertThat(p).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo("a string");
    assertThat(p.hashCode()).isNotEqualTo(RestartPolicy.never().hashCode());
    assertThat(p)
        .isNotEqualTo(RestartPolicy.always().maxRestarts(3).within(Duration.ofSeconds(7)))
        .isNotEqualTo(p.maxRestarts(4))
        .isNotEqualTo(p.within(Duration.ofSeconds(8)))
        .isNotEqualTo(p.backoff(Duration.ofMillis(6), Duration.ofMillis(50)))
        .isNotEqualTo(p.backoff(Duration.ofMillis(5), Duration.ofMillis(51)))
        .isNotEqualTo(p.jitter(0.4));
    assertThat(p.toString())
        .contains("onFailure", "maxRestarts=3", "PT7S", "PT0.005S", "PT0.05S", "0.5");
    assertThat(RestartPolicy.never().toString()).contains("never");
    assertThat(RestartPolicy.always().toString()).contains("always");
  }
}
