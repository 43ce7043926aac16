package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of the interrupts at a stop from outside, for graphs of actors with and without
 * options, against the definition written out as plainly as possible: repeatedly the earliest-added
 * actor not yet interrupted whose dependents all are.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GraphStopOrderTest {

  @Test
  void aDiamondWithAPlainBaseStopsTheTopFirstAndTiesInAddOrder() throws Exception {
    // base (no options) <- left, right <- top; lone (no options) has no edge
    List<List<Integer>> after =
        List.of(List.of(), List.of(0), List.of(0), List.of(), List.of(1, 2));
    assertThat(interruptOrder(after, new boolean[] {false, true, true, false, true}))
        .containsExactly(3, 4, 1, 2, 0);
  }

  @Test
  void randomGraphsStopInTheOrderOfTheDefinition() throws Exception {
    for (int seed = 0; seed < 20; seed++) {
      Random random = new Random(seed);
      int n = 2 + random.nextInt(30);
      List<List<Integer>> after = new ArrayList<>();
      boolean[] withOptions = new boolean[n];
      for (int i = 0; i < n; i++) {
        List<Integer> deps = new ArrayList<>();
        withOptions[i] = random.nextInt(4) != 0;
        if (withOptions[i]) {
          for (int d = 0; d < i; d++) {
            if (random.nextInt(4) == 0) {
              deps.add(d);
            }
          }
        }
        after.add(deps);
      }
      assertThat(interruptOrder(after, withOptions))
          .as("seed %d, after %s", seed, after)
          .containsExactlyElementsOf(definition(after));
    }
  }

  /** Repeatedly the earliest-added actor not yet placed whose dependents are all placed. */
  private static List<Integer> definition(List<List<Integer>> after) {
    int n = after.size();
    boolean[] placed = new boolean[n];
    List<Integer> order = new ArrayList<>();
    while (order.size() < n) {
      for (int i = 0; i < n; i++) {
        if (!placed[i] && dependentsPlaced(after, placed, i)) {
          placed[i] = true;
          order.add(i);
          break;
        }
      }
    }
    return order;
  }

  private static boolean dependentsPlaced(List<List<Integer>> after, boolean[] placed, int i) {
    for (int j = 0; j < after.size(); j++) {
      if (after.get(j).contains(i) && !placed[j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs the graph (actor i after the actors {@code after.get(i)}, with options if {@code
   * withOptions[i]}), stops it once ready and returns the actors in the order of their interrupts.
   */
  private static List<Integer> interruptOrder(List<List<Integer>> after, boolean[] withOptions)
      throws Exception {
    Group group = new Group();
    Queue<Integer> interrupts = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < after.size(); i++) {
      int actor = i;
      CountDownLatch latch = new CountDownLatch(1);
      Interruptible blocker =
          Interruptible.of(
              latch::await,
              cause -> {
                interrupts.add(actor);
                latch.countDown();
              });
      if (withOptions[i]) {
        String[] names = after.get(i).stream().map(d -> "a" + d).toArray(String[]::new);
        group.add("a" + i, blocker, ActorOptions.defaults().after(names));
      } else {
        group.add("a" + i, blocker);
      }
    }
    Thread stopper =
        new Thread(
            () -> {
              try {
                group.awaitReady(Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              group.stop(null);
            });
    stopper.start();
    Exit exit = group.run();
    stopper.join();
    assertThat(exit.error()).isNull();
    assertThat(exit.actors()).allMatch(o -> o.started() && o.stopped() && o.interruptCompleted());
    return List.copyOf(interrupts);
  }
}
