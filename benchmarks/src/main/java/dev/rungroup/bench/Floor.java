package dev.rungroup.bench;

import dev.rungroup.Interruptible;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The counting floor: the least a run can do and still return only once every actor's {@code
 * execute} has returned. Go's {@code Run} waits for N results on a channel, not for the goroutines
 * to exit; here every thread, once its {@code execute} returned, counts down a {@code
 * CountDownLatch(N)}, and the run waits on that latch instead of joining the N threads (as {@link
 * Baseline} and {@code Group} do). Only the first result is kept: the first thread to return (or
 * {@link Run#stop()}) sets it with one compare-and-set and opens a latch of one; the others only
 * count down, so that N threads returning at once do not queue on a lock. A thread may still be on
 * its way out when {@code run()} returns, as a goroutine may be when {@code Run} returns; {@link
 * Run#awaitThreadsEnded()} joins them outside the clock. Same thread kinds and factory as the
 * baseline.
 */
final class Floor implements Contender {
  static final String NAME = "floor";

  /** The first result of a normal return, and of {@link Run#stop()}. */
  private static final Object NO_ERROR = new Object();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Run prepare(Scenario scenario, int n, ThreadKind kind, @Nullable CountDownLatch started) {
    Interruptible[] actors = Blocker.actors(scenario, n, started);
    ThreadFactory factory = kind.factory();
    AtomicReference<@Nullable Object> first = new AtomicReference<>();
    CountDownLatch firstReturned = new CountDownLatch(1);
    CountDownLatch returned = new CountDownLatch(actors.length);
    return new Run() {
      /** The threads of the run, for {@link #awaitThreadsEnded()}; made in the clock, as there. */
      private Thread[] threads = new Thread[0];

      @Override
      public void run() throws InterruptedException {
        threads = new Thread[actors.length];
        for (int i = 0; i < actors.length; i++) {
          Interruptible actor = actors[i];
          Thread thread =
              factory.newThread(
                  () -> {
                    Object result = NO_ERROR;
                    try {
                      actor.execute();
                    } catch (Throwable e) {
                      result = e;
                    }
                    if (first.compareAndSet(null, result)) {
                      firstReturned.countDown();
                    }
                    returned.countDown();
                  });
          threads[i] = thread;
          thread.start();
        }
        firstReturned.await();
        Object result = first.get();
        Throwable cause = result instanceof Throwable t ? t : null;
        for (Interruptible actor : actors) {
          actor.interrupt(cause);
        }
        returned.await();
        if (cause != (scenario == Scenario.A ? Blocker.FAILURE : null)) {
          throw new AssertionError("unexpected first result: " + result, cause);
        }
      }

      @Override
      public void stop() {
        if (first.compareAndSet(null, NO_ERROR)) {
          firstReturned.countDown();
        }
      }

      @Override
      public void awaitThreadsEnded() throws InterruptedException {
        for (Thread thread : threads) {
          thread.join();
        }
      }
    };
  }
}
