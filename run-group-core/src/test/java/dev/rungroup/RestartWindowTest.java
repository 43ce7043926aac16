package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link RestartWindow} on its own: the restarts younger than {@code within} count, at most {@code
 * maxRestarts} of them, in a ring that never grows beyond that and gives its memory back.
 */
class RestartWindowTest {

  private static final long WITHIN = TimeUnit.MILLISECONDS.toNanos(100);

  private static RestartPolicy policy(int max) {
    return RestartPolicy.onFailure().maxRestarts(max).within(Duration.ofNanos(WITHIN));
  }

  @Test
  void restartsAreNumberedInTheWindowUntilTheBudgetIsSpent() {
    RestartWindow window = new RestartWindow();
    for (int i = 1; i <= 10; i++) {
      assertThat(window.admit(1_000, policy(10))).isEqualTo(i);
      assertThat(window.size()).isEqualTo(i);
    }
    assertThat(window.admit(1_000, policy(10))).as("the eleventh escalates").isZero();
    assertThat(window.size()).as("an escalation is not counted").isEqualTo(10);
    assertThat(new RestartWindow().admit(0, policy(0))).as("a budget of none").isZero();
  }

  @Test
  void aRestartAgesOutExactlyWithinAfterIt() {
    RestartWindow window = new RestartWindow();
    assertThat(window.admit(1_000, policy(1))).isEqualTo(1);
    assertThat(window.admit(1_000 + WITHIN - 1, policy(1))).as("still counts").isZero();
    assertThat(window.admit(1_000 + WITHIN, policy(1))).as("aged out").isEqualTo(1);
    assertThat(window.size()).isEqualTo(1);
  }

  @Test
  void theRingWrapsAroundAndCountsOnlyTheYoungOnes() {
    RestartWindow window = new RestartWindow();
    int max = 3;
    long step = WITHIN / 2; // two restarts per window: the third finds the first aged out
    long now = 0;
    assertThat(window.admit(now, policy(max))).isEqualTo(1);
    for (int i = 0; i < 50; i++) {
      now += step;
      assertThat(window.admit(now, policy(max))).as("restart %s", i).isEqualTo(2);
      assertThat(window.size()).isEqualTo(2);
    }
    for (int i = 3; i <= max; i++) {
      assertThat(window.admit(now, policy(max))).isEqualTo(i);
    }
    assertThat(window.admit(now, policy(max))).isZero();
  }

  @Test
  void theRingGrowsUpToMaxRestartsAndNoMore() throws Exception {
    RestartWindow window = new RestartWindow();
    assertThat(capacity(window)).isZero();
    int[] expected = {4, 4, 4, 4, 8, 8, 8, 8, 10, 10};
    for (int i = 0; i < 10; i++) {
      assertThat(window.admit(5, policy(10))).isEqualTo(i + 1);
      assertThat(capacity(window)).as("after %s", i + 1).isEqualTo(expected[i]);
    }
    RestartWindow small = new RestartWindow();
    small.admit(5, policy(2));
    assertThat(capacity(small)).as("never beyond maxRestarts").isEqualTo(2);
  }

  @Test
  void anActorRestartedAHundredThousandTimesHoldsAtMostMaxRestartsStamps() throws Exception {
    int max = 7;
    RestartWindow window = new RestartWindow();
    long now = 1_000;
    for (int i = 0; i < 100_000; i++) {
      now += WITHIN / max + 1; // just slow enough never to exceed the budget
      assertThat(window.admit(now, policy(max))).isBetween(1, max);
      assertThat(window.size()).isLessThanOrEqualTo(max);
      assertThat(capacity(window)).isLessThanOrEqualTo(max);
    }
  }

  @Test
  void onceAllAgedOutABigRingIsGivenBack() throws Exception {
    int big = 4 * RestartWindow.KEPT;
    RestartWindow window = new RestartWindow();
    for (int i = 0; i < big; i++) {
      window.admit(0, policy(big));
    }
    assertThat(capacity(window)).isEqualTo(big);
    assertThat(window.admit(WITHIN, policy(big))).isEqualTo(1);
    assertThat(capacity(window)).as("shrunk back").isEqualTo(4);
    RestartWindow kept = new RestartWindow();
    for (int i = 0; i < RestartWindow.KEPT; i++) {
      kept.admit(0, policy(RestartWindow.KEPT));
    }
    assertThat(kept.admit(WITHIN, policy(RestartWindow.KEPT))).isEqualTo(1);
    assertThat(capacity(kept)).as("a ring up to KEPT is kept").isEqualTo(RestartWindow.KEPT);
  }

  @Test
  void aWindowThatFillsAndDrainsOverAndOverKeepsItsRing() throws Exception {
    // Regression: a ring longer than 8 was given back each time the window drained, so a window
    // holding a dozen restarts at a time allocated its ring anew every dozen restarts.
    RestartWindow window = new RestartWindow();
    long now = 0;
    long[] ring = null;
    for (int burst = 0; burst < 100; burst++) {
      for (int i = 1; i <= 12; i++) {
        assertThat(window.admit(now, policy(1_000))).isEqualTo(i);
      }
      now += WITHIN; // all twelve age out before the next burst
      if (burst == 1) {
        ring = stamps(window);
      } else if (burst > 1) {
        assertThat(stamps(window)).as("burst %s", burst).isSameAs(ring);
      }
    }
    assertThat(capacity(window)).isEqualTo(16);
  }

  @Test
  void aWrappedRingGrowsWithItsStampsInOrder() {
    RestartWindow window = new RestartWindow();
    RestartPolicy p = policy(100);
    for (int i = 0; i < 4; i++) {
      window.admit(i, p); // ring of 4: 0 1 2 3
    }
    window.admit(WITHIN + 1, p); // 0 and 1 age out; 5 wraps to the front: 2 3 | WITHIN+1
    assertThat(window.size()).isEqualTo(3);
    window.admit(WITHIN + 1, p);
    window.admit(WITHIN + 1, p); // full at 4, then grows past it with the order kept
    assertThat(window.size()).isEqualTo(5);
    // 2 and 3 age out first, in order: exactly the three young ones remain.
    assertThat(window.admit(WITHIN + 3, p)).isEqualTo(4);
  }

  private static long[] stamps(RestartWindow window) throws ReflectiveOperationException {
    Field stamps = RestartWindow.class.getDeclaredField("stamps");
    stamps.setAccessible(true);
    return (long[]) stamps.get(window);
  }

  /** The length of the window's ring: its memory, in stamps. */
  private static int capacity(RestartWindow window) throws ReflectiveOperationException {
    Field stamps = RestartWindow.class.getDeclaredField("stamps");
    stamps.setAccessible(true);
    return ((long[]) stamps.get(window)).length;
  }
}
