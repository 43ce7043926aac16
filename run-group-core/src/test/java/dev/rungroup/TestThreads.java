package dev.rungroup;

import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Threads for tests, shared with the starter's tests through the core's test-jar: the thread kind
 * of the test run, and bounded waits for latches.
 *
 * <p>The thread kind is platform threads by default; virtual threads when the build runs the tests
 * on Java 21+ with {@code -Drungroup.test.threads=virtual} (the {@code java25} profile). Reached by
 * reflection, since the code is compiled for Java 17.
 */
public final class TestThreads {

  private TestThreads() {}

  /**
   * Whether this run uses virtual threads.
   *
   * @return {@code true} on Java 21+ with {@code -Drungroup.test.threads=virtual}
   */
  public static boolean virtual() {
    return "virtual".equals(System.getProperty("rungroup.test.threads"))
        && Runtime.version().feature() >= 21;
  }

  /** A builder using the run's thread kind. */
  static Group.Builder builder() {
    Group.Builder builder = Group.builder();
    if (virtual()) {
      builder.threadFactory(virtualFactory());
    }
    return builder;
  }

  /** A group with the run's thread kind and otherwise the defaults. */
  static Group group() {
    return builder().build();
  }

  /**
   * {@code Thread.ofVirtual().factory()}.
   *
   * @return a factory of virtual threads
   * @throws IllegalStateException before Java 21
   */
  public static ThreadFactory virtualFactory() {
    try {
      Object ofVirtual = Thread.class.getMethod("ofVirtual").invoke(null);
      Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
      return (ThreadFactory) factory.invoke(ofVirtual);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("virtual threads need Java 21+", e);
    }
  }

  /**
   * Whether {@code thread} is blocked waiting, with or without a timeout (run() waits for its
   * actors in timed parks).
   *
   * @param thread any thread
   * @return whether it is {@code WAITING} or {@code TIMED_WAITING}
   */
  public static boolean waiting(Thread thread) {
    Thread.State s = thread.getState();
    return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
  }

  /**
   * {@code thread.isVirtual()}, {@code false} before Java 21.
   *
   * @param thread any thread
   * @return whether it is a virtual thread
   */
  public static boolean isVirtual(Thread thread) {
    try {
      return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (NoSuchMethodException e) {
      return false;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether {@code task}, handed to a group's thread factory, is an actor's (not the stopper's).
   *
   * @param task what the group asked the factory to run
   * @return whether it runs an actor
   */
  public static boolean isActorTask(Runnable task) {
    return task instanceof Slot;
  }

  /**
   * Waits for {@code latch}, failing if it does not open in time.
   *
   * @param latch the latch
   * @param seconds how long to wait at most
   * @throws InterruptedException if the calling thread is interrupted
   * @throws IllegalStateException if the latch did not open in time
   */
  public static void await(CountDownLatch latch, long seconds) throws InterruptedException {
    if (!latch.await(seconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException("waited " + seconds + " s in vain");
    }
  }

  /**
   * Waits for {@code latch} up to {@code seconds}, ignoring interrupts meanwhile (the interrupt
   * flag is set again before it returns).
   *
   * @param latch the latch
   * @param seconds how long to wait at most
   * @return whether the latch opened in time
   */
  public static boolean awaitUpTo(CountDownLatch latch, long seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    boolean interrupted = false;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        try {
          return latch.await(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits for {@code latch} up to {@code seconds}, ignoring interrupts meanwhile (the interrupt
   * flag is set again before it returns), failing if it does not open in time.
   *
   * @param latch the latch
   * @param seconds how long to wait at most
   * @throws IllegalStateException if the latch did not open in time
   */
  public static void awaitUninterruptibly(CountDownLatch latch, long seconds) {
    if (!awaitUpTo(latch, seconds)) {
      throw new IllegalStateException("waited " + seconds + " s in vain");
    }
  }

  /**
   * Waits for {@code latch} as long as it takes, ignoring interrupts meanwhile (the interrupt flag
   * is set again before it returns); for actors that must not be ended early. The waiting test's
   * own timeout bounds it.
   *
   * @param latch the latch
   */
  public static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        if (latch.await(20, TimeUnit.SECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
