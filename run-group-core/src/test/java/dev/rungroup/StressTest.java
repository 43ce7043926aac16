package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs many random groups (sizes, which actor returns first and how, throwing interrupts, {@code
 * stop()} racing {@code run()}, with and without a stop timeout) and checks the promises that must
 * hold for every one of them. Seeded: a failure names the seed that reproduces it with {@code
 * -Dstress.seed=...}; {@code -Dstress.groups=...} changes the count.
 */
@Tag("stress")
class StressTest {

  private static final int GROUPS = Integer.getInteger("stress.groups", 1000);
  private static final long SEED = Long.getLong("stress.seed", System.nanoTime());
  private static final int MAX_ACTORS = 12;
  private static final long MAX_DELAY_NANOS = TimeUnit.MICROSECONDS.toNanos(300);

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void everyRandomGroupInterruptsEachActorOnceWaitsForAllAndReturnsTheFirstError() {
    Random seeds = new Random(SEED);
    for (int i = 0; i < GROUPS; i++) {
      long seed = seeds.nextLong();
      try {
        runCase(seed);
      } catch (Throwable failure) {
        throw new AssertionError(
            "random group "
                + i
                + " failed; reproduce the run with -Dstress.seed="
                + SEED
                + " (case seed "
                + seed
                + ")",
            failure);
      }
    }
  }

  /** One actor of a random group, recording what happens to it. */
  private static final class Recorder implements Interruptible {
    final boolean returns;
    final long delayNanos;
    final @Nullable Throwable toThrow;
    final boolean interruptThrows;
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger interrupts = new AtomicInteger();
    final AtomicBoolean executing = new AtomicBoolean();
    final AtomicBoolean ran = new AtomicBoolean();

    Recorder(Random random, boolean returns) {
      this.returns = returns;
      this.delayNanos = (long) (random.nextDouble() * MAX_DELAY_NANOS);
      int how = random.nextInt(4);
      this.toThrow =
          !returns || how < 2
              ? null
              : how == 2 ? new IllegalStateException("failure") : new AssertionError("error");
      this.interruptThrows = random.nextInt(5) == 0;
    }

    @Override
    public void execute() throws Exception {
      executing.set(true);
      ran.set(true);
      try {
        if (returns) {
          LockSupport.parkNanos(delayNanos);
          Throwable failure = toThrow;
          if (failure instanceof Exception e) {
            throw e;
          }
          if (failure instanceof Error e) {
            throw e;
          }
        } else {
          release.await();
        }
      } finally {
        executing.set(false);
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      interrupts.incrementAndGet();
      release.countDown();
      if (interruptThrows) {
        throw new IllegalStateException("interrupt failure");
      }
    }
  }

  private static void runCase(long seed) throws InterruptedException {
    Random random = new Random(seed);
    int size = random.nextInt(MAX_ACTORS + 1);
    boolean racingStop = size == 0 || random.nextInt(3) == 0;
    Group.Builder builder = TestThreads.builder();
    if (random.nextBoolean()) {
      builder.stopTimeout(Duration.ofSeconds(30));
    }
    Group group = builder.build();
    // `returners` actors, at random positions, return by themselves; the others block
    int returners = racingStop ? random.nextInt(size + 1) : 1 + random.nextInt(size);
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      positions.add(i);
    }
    Collections.shuffle(positions, random);
    Recorder[] recorders = new Recorder[size];
    for (int i = 0; i < size; i++) {
      recorders[positions.get(i)] = new Recorder(random, i < returners);
    }
    List<Recorder> actors = List.of(recorders);
    for (int i = 0; i < size; i++) {
      group.add("a" + i, actors.get(i));
    }

    Exception stopCause = new Exception("stopped from outside");
    long stopDelay = (long) (random.nextDouble() * MAX_DELAY_NANOS);
    Thread stopper = null;
    if (racingStop) {
      stopper =
          new Thread(
              () -> {
                LockSupport.parkNanos(stopDelay);
                group.stop(stopCause);
              });
      stopper.start();
    }
    Exit exit = group.run();
    if (stopper != null) {
      stopper.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(stopper.isAlive()).isFalse();
    }

    assertThat(exit.actors()).hasSize(size);
    assertThat(exit.allStopped()).as("every started actor stopped").isTrue();
    for (Recorder actor : actors) {
      assertThat(actor.executing).as("no actor still in execute after run()").isFalse();
    }
    boolean stoppedBeforeRun = size > 0 && actors.stream().allMatch(a -> a.interrupts.get() == 0);
    if (stoppedBeforeRun) {
      assertThat(exit.error()).isSameAs(stopCause);
      assertThat(actors).noneMatch(a -> a.ran.get());
    } else {
      for (int i = 0; i < size; i++) {
        Recorder actor = actors.get(i);
        Exit.Outcome outcome = exit.actors().get(i);
        assertThat(actor.interrupts).as("interrupts of a%d", i).hasValue(1);
        assertThat(outcome.interruptCompleted()).isTrue();
        assertThat(outcome.started()).isEqualTo(actor.ran.get());
        if (actor.interruptThrows) {
          assertThat(outcome.interruptError()).hasMessage("interrupt failure");
        } else {
          assertThat(outcome.interruptError()).isNull();
        }
        if (outcome.started() && actor.returns) {
          assertThat(outcome.error()).isSameAs(actor.toThrow);
        }
      }
    }
    Throwable expected = null;
    if (size == 0) {
      // run() and the racing stop(): whichever came first decides
      expected = exit.error() == null ? null : stopCause;
    } else if (exit.firstActor().isPresent()) {
      int first = Integer.parseInt(exit.firstActor().get().substring(1));
      Recorder firstActor = actors.get(first);
      assertThat(firstActor.returns).as("the first actor is one that returns").isTrue();
      expected = firstActor.toThrow;
    } else {
      assertThat(racingStop).as("no first actor means a stop from outside").isTrue();
      expected = stopCause;
    }
    assertThat(exit.error()).isSameAs(expected);
  }
}
