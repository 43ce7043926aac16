package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A supervised actor holds memory for at most {@code maxRestarts} restarts, however long it runs:
 * one supplier-form actor restarted 100,000 times keeps the heap flat ({@link RestartWindowTest}
 * shows that its window never holds more than {@code maxRestarts} stamps). Part of the normal build
 * (a few seconds); tagged {@code stress} so that mutation testing leaves it out (each mutant of the
 * restart path would run it whole).
 */
@Tag("stress")
class RestartMemoryTest {

  /**
   * Heap that 90,000 restarts may add, after GC: below one object per restart (the smallest, 16
   * bytes, would be 1.4 MB), about a hundred times what the run shows (a few KiB).
   */
  static final long MARGIN_BYTES = 1024L * 1024;

  static final int FIRST = 10_000;
  static final int LAST = 100_000;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aHundredThousandRestartsOfOneActorKeepTheHeapAfterGcFlat() throws Exception {
    CountDownLatch atFirst = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    CountDownLatch atLast = new CountDownLatch(1);
    AtomicInteger incarnations = new AtomicInteger();
    Group group = new Group();
    int maxRestarts = 1_000_000;
    group.add(
        "restarting",
        () -> {
          int n = incarnations.getAndIncrement();
          if (n == FIRST) {
            return new Pausing(atFirst, resume);
          }
          if (n == LAST) {
            return new Pausing(atLast, new CountDownLatch(1)); // until the stop interrupts it
          }
          return new Quick(); // a fresh object per incarnation, as a real supplier makes
        },
        ActorOptions.defaults()
            .restart(
                RestartPolicy.always()
                    .maxRestarts(maxRestarts)
                    .within(Duration.ofMillis(1))
                    .backoff(Duration.ZERO, Duration.ZERO)
                    .jitter(0)));
    AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    Thread runner = new Thread(() -> exit.set(group.run()), "restart-memory-runner");
    runner.setDaemon(true);
    runner.start();
    long began = System.nanoTime();
    try {
      TestThreads.await(atFirst, 60);
      long afterFirst = heapAfterGc();
      resume.countDown();
      if (!atLast.await(90, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "no " + LAST + "th incarnation after " + incarnations.get() + ": " + exit.get());
      }
      long afterLast = heapAfterGc();
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      System.out.println(
          "RestartMemoryTest: heap after GC "
              + afterFirst / 1024
              + " KiB after "
              + FIRST
              + " restarts, "
              + afterLast / 1024
              + " KiB after "
              + LAST
              + " ("
              + tookMillis
              + " ms)");
      assertThat(afterLast - afterFirst)
          .as("heap grown between %s and %s restarts", FIRST, LAST)
          .isLessThan(MARGIN_BYTES);
    } finally {
      resume.countDown();
      group.stop();
      runner.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(runner.isAlive()).isFalse();
    Exit e = exit.get();
    assertThat(e).isNotNull();
    assertThat(e.error()).isNull();
    assertThat(e.actors().get(0).restarts()).isEqualTo(LAST);
  }

  /**
   * The heap in use after collecting garbage: {@link System#gc()} until two readings agree within
   * 64 KiB (at most 10 rounds), the lowest reading.
   */
  static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long lowest = Long.MAX_VALUE;
    long previous = -1;
    for (int round = 0; round < 10; round++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      lowest = Math.min(lowest, used);
      if (previous >= 0 && Math.abs(used - previous) < 64 * 1024) {
        break;
      }
      previous = used;
    }
    return lowest;
  }

  /** An incarnation that returns at once (restarted under always()). */
  private static final class Quick implements Interruptible {
    @Override
    public void execute() {}

    @Override
    public void interrupt(@Nullable Throwable cause) {}
  }

  /** An incarnation that says it runs and waits until resumed or interrupted. */
  private static final class Pausing implements Interruptible {
    private final CountDownLatch reached;
    private final CountDownLatch resume;

    Pausing(CountDownLatch reached, CountDownLatch resume) {
      this.reached = reached;
      this.resume = resume;
    }

    @Override
    public void execute() throws InterruptedException {
      reached.countDown();
      TestThreads.await(resume, 90);
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      resume.countDown();
    }
  }
}
