package dev.rungroup.bench;

import dev.rungroup.Interruptible;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The baseline: the smallest correct loop of the pattern as an engine must run it, Go's {@code Run}
 * written out in Java. Start one thread per actor, each puts its result on a queue when {@code
 * execute} returns; take the first result; call every interrupt with its error, in order; join
 * every thread (as {@code Group} does: its run returns once every actor's thread has ended). No
 * names, no outcomes, no listeners, no timeout, no state machine. {@link Floor} waits for the N
 * returns instead of the N threads, as Go's {@code Run} does.
 */
final class Baseline implements Contender {
  static final String NAME = "baseline";

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
    return new Run() {
      @Override
      public void run() throws InterruptedException {
        Thread[] threads = new Thread[actors.length];
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
                  });
          threads[i] = thread;
          thread.start();
        }
        Object first = results.take();
        Throwable cause = first instanceof Throwable t ? t : null;
        for (Interruptible actor : actors) {
          actor.interrupt(cause);
        }
        for (Thread thread : threads) {
          thread.join();
        }
        if (cause != (scenario == Scenario.A ? Blocker.FAILURE : null)) {
          throw new AssertionError("unexpected first result: " + first, cause);
        }
      }

      @Override
      public void stop() {
        results.add(NO_ERROR);
      }
    };
  }
}
