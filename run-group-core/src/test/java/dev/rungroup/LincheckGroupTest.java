package dev.rungroup;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model checking of the real {@link Group} with Lincheck: each test is a small concurrent program
 * (the thread in {@code run()}, the actors' threads the group starts, and a thread that stops, adds
 * or observes), and Lincheck explores its thread interleavings systematically — switching threads
 * at every shared-memory access, lock, park and unpark — checking the assertions in each. Lincheck
 * assumes sequential consistency, so this covers the state machine's logic under every explored
 * schedule, not reorderings of the Java memory model (the property tests cover those on real
 * hardware).
 */
@Tag("model")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LincheckGroupTest {

  /**
   * Interleavings explored per test: 300 in a normal build (about 10 s each on two cores); more
   * with {@code -Dlincheck.invocations=N}.
   */
  static final int INVOCATIONS = Integer.getInteger("lincheck.invocations", 300);

  /**
   * {@code stop(cause)} from another thread races {@code run()} and an actor that returns at once:
   * either the stop came first (sticky: nothing runs, nothing is interrupted) or the group runs,
   * and then every interrupt is called exactly once with the cause of whichever came first.
   */
  @Test
  void stopRacesRunAndAnActorsReturn() {
    Lincheck.runConcurrentTest(
        INVOCATIONS,
        () -> {
          IllegalStateException cause = new IllegalStateException("stop");
          AtomicInteger quickInterrupts = new AtomicInteger();
          AtomicInteger waitingInterrupts = new AtomicInteger();
          CountDownLatch released = new CountDownLatch(1);
          Group group = new Group();
          group.add("quick", () -> {}, c -> quickInterrupts.incrementAndGet());
          group.add(
              "waiting",
              released::await,
              c -> {
                waitingInterrupts.incrementAndGet();
                released.countDown();
              });
          Thread stopper = new Thread(() -> group.stop(cause));
          stopper.start();
          Exit exit = group.run();
          join(stopper);

          check(group.state() == Group.State.STOPPED, "state after run()");
          check(exit.allStopped(), "all stopped");
          boolean ranAtAll = exit.actors().stream().anyMatch(Exit.Outcome::started);
          if (!ranAtAll && quickInterrupts.get() == 0) {
            // stopped before run(): sticky
            check(waitingInterrupts.get() == 0, "no interrupt after a stop before run()");
            check(exit.error() == cause, "the stop cause");
            check(exit.firstActor().isEmpty(), "no first actor");
            for (Exit.Outcome o : exit.actors()) {
              check(!o.interruptCompleted(), "no interrupt completed");
            }
          } else {
            check(quickInterrupts.get() == 1, "quick interrupted once");
            check(waitingInterrupts.get() == 1, "waiting interrupted once");
            for (Exit.Outcome o : exit.actors()) {
              check(o.interruptCompleted(), "every interrupt completed");
            }
            if (exit.firstActor().isPresent()) {
              check(exit.firstActor().get().equals("quick"), "quick is first");
              check(exit.error() == null, "a normal return");
            } else {
              check(exit.error() == cause, "the stop cause");
            }
          }
        });
  }

  /**
   * {@code add} from another thread races {@code run()}: the add either lands before run() took its
   * actors (and the actor runs and is interrupted once) or throws {@link IllegalStateException};
   * never an actor that is added but not run.
   */
  @Test
  void addRacesRun() {
    Lincheck.runConcurrentTest(
        INVOCATIONS,
        () -> {
          AtomicInteger lateInterrupts = new AtomicInteger();
          AtomicInteger lateRuns = new AtomicInteger();
          boolean[] added = {false};
          Group group = new Group();
          group.add("first", () -> {}, c -> {});
          Thread adder =
              new Thread(
                  () -> {
                    try {
                      group.add(
                          "late", lateRuns::incrementAndGet, c -> lateInterrupts.incrementAndGet());
                      added[0] = true;
                    } catch (IllegalStateException expected) {
                      added[0] = false;
                    }
                  });
          adder.start();
          Exit exit = group.run();
          join(adder);

          if (added[0]) {
            check(
                exit.actors().size() == 2 && exit.actors().get(1).name().equals("late"),
                "late added");
            check(lateInterrupts.get() == 1, "late interrupted once");
            check(lateRuns.get() <= 1, "late ran at most once");
            check(exit.actors().get(1).started() == (lateRuns.get() == 1), "started means it ran");
          } else {
            check(exit.actors().size() == 1, "late not added");
            check(lateInterrupts.get() == 0, "late not interrupted");
            check(lateRuns.get() == 0, "late never ran");
          }
          check(exit.firstActor().isPresent(), "an actor returned first");
        });
  }

  /**
   * Two actors return at once, with different errors, while another thread stops the group and an
   * observer reads {@link Group#state()}: exactly one of them is first, its error is the group's,
   * every interrupt gets that cause once, and the observed states only move forward.
   */
  @Test
  void concurrentReturnsAndStopAgreeOnOneFirstAndStatesOnlyMoveForward() {
    Lincheck.runConcurrentTest(
        INVOCATIONS,
        () -> {
          IllegalStateException errorA = new IllegalStateException("a");
          IllegalStateException errorB = new IllegalStateException("b");
          IllegalStateException stopCause = new IllegalStateException("stop");
          Throwable[] causes = new Throwable[2];
          AtomicInteger interrupts = new AtomicInteger();
          Group group = new Group();
          group.add(
              "a",
              () -> {
                throw errorA;
              },
              c -> {
                causes[0] = c;
                interrupts.incrementAndGet();
              });
          group.add(
              "b",
              () -> {
                throw errorB;
              },
              c -> {
                causes[1] = c;
                interrupts.incrementAndGet();
              });
          Group.State[] seen = new Group.State[3];
          Thread observer =
              new Thread(
                  () -> {
                    for (int i = 0; i < seen.length; i++) {
                      seen[i] = group.state();
                    }
                    group.stop(stopCause);
                  });
          observer.start();
          Exit exit = group.run();
          join(observer);

          for (int i = 1; i < seen.length; i++) {
            check(seen[i].compareTo(seen[i - 1]) >= 0, "states only move forward");
          }
          if (seen[seen.length - 1] == Group.State.NEW && interrupts.get() == 0) {
            check(exit.error() == stopCause, "stopped before run()");
            return;
          }
          check(interrupts.get() == 2, "each interrupted once");
          check(causes[0] == exit.error(), "a's cause is the group's error");
          check(causes[1] == exit.error(), "b's cause is the group's error");
          if (exit.firstActor().isPresent()) {
            int first = exit.firstActor().get().equals("a") ? 0 : 1;
            check(exit.error() == (first == 0 ? errorA : errorB), "the first actor's error");
            check(exit.actors().get(first).error() == exit.error(), "first's outcome error");
          } else {
            check(exit.error() == stopCause, "the stop cause");
          }
          check(exit.allStopped(), "all stopped");
        });
  }

  /** Plain checks: Lincheck's trace collection does not go well with AssertJ's assert objects. */
  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError("violated: " + what);
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
