package dev.rungroup.bench;

import dev.rungroup.Interruptible;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The counting floor: {@link Baseline} with its last step as Go's {@code Run} has it. Go's {@code
 * Run} waits for N results on a channel, not for the goroutines to exit; here every thread, once
 * its {@code execute} returned, puts its result on the queue and counts down a {@code
 * CountDownLatch(N)}, and the run waits on that latch instead of joining the N threads. A thread
 * may still be on its way out when {@code run()} returns (after the count down: the end of its task
 * and of the thread itself), as a goroutine may be when {@code Run} returns; {@link
 * Run#awaitThreadsEnded()} joins them outside the clock. Same thread kinds and factory as the
 * baseline.
 */
final class Floor implements Contender {
  static final String NAME = "floor";

  /** Put on the queue by a normal return, and by {@link Run#stop()}. */
  private static final Object NO_ERROR = new Object();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Run prepare(Scenario scenario, int n, ThreadKind kind, @Nullable CountDownLatch started) {
    Interruptible[] actors = Blocker.actors(scenario, n, started);
    ThreadFactory factory = kind.factory();
    BlockingQueue<Object> results = new LinkedBlockingQueue<>();
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
                    results.add(result);
                    returned.countDown();
                  });
          threads[i] = thread;
          thread.start();
        }
        Object first = results.take();
        Throwable cause = first instanceof Throwable t ? t : null;
        for (Interruptible actor : actors) {
          actor.interrupt(cause);
        }
        returned.await();
        if (cause != (scenario == Scenario.A ? Blocker.FAILURE : null)) {
          throw new AssertionError("unexpected first result: " + first, cause);
        }
      }

      @Override
      public void stop() {
        results.add(NO_ERROR);
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
