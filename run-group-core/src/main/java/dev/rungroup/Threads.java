package dev.rungroup;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** How a group makes, starts and joins its threads. Stateless, so thread-safe. */
final class Threads {

  private Threads() {}

  /**
   * A daemon platform thread named {@code name} if {@code factory} is {@code null}, else the
   * factory's thread as it comes (a factory's unnamed thread stays unnamed).
   *
   * @throws RejectedExecutionException if the factory returned {@code null}
   * @throws IllegalThreadStateException if the factory returned a thread started already
   */
  static Thread create(@Nullable ThreadFactory factory, Runnable task, String name) {
    if (factory == null) {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    }
    Thread thread = factory.newThread(task);
    if (thread == null) {
      throw new RejectedExecutionException("the thread factory returned null for '" + name + "'");
    }
    if (thread.getState() != Thread.State.NEW) {
      // Not the group's thread: it runs nothing of the group's (see Slot.run, BoundedStop.run).
      throw new IllegalThreadStateException(
          "the thread factory returned a thread already started ('"
              + thread.getName()
              + "', "
              + thread.getState()
              + ") for '"
              + name
              + "': it is not the group's, so the group runs nothing on it and does not wait for"
              + " it; a ThreadFactory must return a new, unstarted thread");
    }
    return thread;
  }

  /** {@link #create}, with a factory's unnamed thread named {@code name}. */
  static Thread named(@Nullable ThreadFactory factory, Runnable task, String name) {
    Thread thread = create(factory, task, name);
    if (thread.getName().isEmpty()) {
      thread.setName(name);
    }
    return thread;
  }

  /** A daemon platform thread, not from a factory; {@code null} if none can be made. */
  static @Nullable Thread own(Runnable task, String name) {
    try {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    } catch (Throwable e) { // OutOfMemoryError
      return null;
    }
  }

  /** Starts {@code thread}; returns {@code false} if it could not be started. */
  static boolean start(Thread thread) {
    try {
      thread.start();
      return true;
    } catch (Throwable e) { // OutOfMemoryError "unable to create native thread"
      return false;
    }
  }

  /** Joins {@code thread} until {@code deadline}; returns whether this thread was interrupted. */
  static boolean joinUntil(Thread thread, long deadline) {
    boolean interrupted = false;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !thread.isAlive()) {
        return interrupted;
      }
      try {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }
}
