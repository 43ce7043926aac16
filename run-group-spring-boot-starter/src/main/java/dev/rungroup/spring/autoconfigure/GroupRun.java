package dev.rungroup.spring.autoconfigure;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.spring.ActorGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One run of a group, on the run thread; also the group's first listener, which tracks the run's
 * threads.
 *
 * <p>Its own threads are the run thread, the actors' threads, and any thread while it calls an
 * actor's interrupt (the group's stopper threads among them): a stop or destroy on one of them must
 * not wait for the run, which cannot end before that thread goes on.
 */
final class GroupRun implements GroupListener {

  static final String RUN_THREAD_NAME = "run-group";

  private static final Log logger = LogFactory.getLog(ActorGroup.class);

  private final RunGroupApplicationExit applicationExit;

  @SuppressWarnings("NullAway.Init") // set by the lifecycle's prepare(), before any other use
  Group group;

  private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();
  private final Set<Thread> interrupting = ConcurrentHashMap.newKeySet();
  private final Set<Thread> closing = ConcurrentHashMap.newKeySet();
  private final List<Runnable> callbacks = new ArrayList<>(); // guarded by this
  private boolean ended; // guarded by this

  volatile @Nullable Exit exit;

  /** Why the group was stopped from outside, the first reason given; read by the logger. */
  private final AtomicReference<@Nullable String> stopReason = new AtomicReference<>();

  GroupRun(RunGroupApplicationExit applicationExit) {
    this.applicationExit = applicationExit;
  }

  Group group() {
    return group;
  }

  void start() {
    Thread thread = new Thread(this::run, RUN_THREAD_NAME);
    thread.setDaemon(false); // keeps the JVM alive, also when the actors are virtual threads
    ownThreads.add(thread);
    thread.start();
  }

  private void run() {
    Exit result = null;
    try {
      result = group.run();
    } catch (RuntimeException | Error e) {
      logger.error("The group of actors failed to run", e);
    } finally {
      exit = result;
      List<Runnable> toCall;
      synchronized (this) {
        ended = true;
        toCall = new ArrayList<>(callbacks);
        callbacks.clear();
        notifyAll(); // awaitEnd
      }
      for (Runnable callback : toCall) {
        callBack(callback);
      }
    }
    if (result != null) {
      applicationExit.groupEnded(result);
    }
  }

  /**
   * Stops the group from outside, saying why for the log: the first reason given is kept (it is set
   * before the group's stop, so the group's {@code groupStopping} sees it).
   */
  void requestStop(@Nullable Throwable cause, String reason) {
    stopReason.compareAndSet(null, reason);
    group.stop(cause);
  }

  /** Why the group was stopped from outside, or {@code null} if not through the lifecycle. */
  @Nullable String stopReason() {
    return stopReason.get();
  }

  boolean isOwnThread(Thread thread) {
    return ownThreads.contains(thread) || interrupting.contains(thread);
  }

  /** Whether the run has ended and its {@link #exit} (if it has one) is published. */
  synchronized boolean hasEnded() {
    return ended;
  }

  /**
   * Waits until the run has ended and its {@link #exit} is published.
   *
   * @param nanos how long to wait at most; zero or negative: do not wait
   * @return whether the run has ended
   * @throws InterruptedException if the waiting thread is interrupted
   */
  synchronized boolean awaitEnd(long nanos) throws InterruptedException {
    long began = System.nanoTime();
    while (!ended) {
      long left = nanos - (System.nanoTime() - began);
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Notes that {@code thread}, one of the run's own, is stopping or closing the context. */
  void closingOn(Thread thread) {
    closing.add(thread);
  }

  /**
   * Whether {@code thread} is stopping or closing the context: a method actor's interrupt leaves
   * such a thread alone, for it goes on with the rest of the close (other lifecycles, the beans'
   * destroy methods) before it can return to the actor.
   */
  boolean isClosingContext(Thread thread) {
    return closing.contains(thread);
  }

  /** {@code actor}, with the threads that call its interrupt counted as the run's own. */
  Interruptible tracked(Interruptible actor) {
    return new Interruptible() {
      @Override
      public void execute() throws Exception {
        actor.execute();
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        Thread thread = Thread.currentThread();
        boolean added = interrupting.add(thread);
        try {
          actor.interrupt(cause);
        } finally {
          if (added) {
            interrupting.remove(thread);
          }
        }
      }

      @Override
      public String toString() {
        return actor.toString();
      }
    };
  }

  void whenEnded(Runnable callback) {
    synchronized (this) {
      if (!ended) {
        callbacks.add(callback);
        return;
      }
    }
    callBack(callback);
  }

  private void callBack(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      logger.warn("Lifecycle stop callback failed", e);
    }
  }

  @Override
  public void actorStarted(String actor, Thread thread) {
    ownThreads.add(thread);
  }
}
