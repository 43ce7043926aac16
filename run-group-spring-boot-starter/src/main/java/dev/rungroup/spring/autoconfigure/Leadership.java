package dev.rungroup.spring.autoconfigure;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * One leadership of the context's group: the actor that stands for the leader actors of one {@code
 * leader} name in the application's group. Its {@code execute} runs an elector on a platform thread
 * of its own ({@code run-group-leader-<name>}) and a watchdog on another, and returns once the
 * elector has ended: when the group stops this actor (after the leader actors stopped and the lock
 * was released), or when the leader actors' group ended by itself (an actor returned or failed
 * without a restart), which this actor then returns or throws, stopping the application's group as
 * any actor would.
 *
 * <p>The elector contends with {@code tryLock} every renew interval. Holding the lock, it builds
 * and runs a fresh {@link Group} of the leader actors (so their {@code after} edges, readiness,
 * restart policies and ordered stop are the core's), renews the lock every renew interval, and on a
 * failed renewal, or once the watchdog fenced, stops that group (in its stop order), waits for it,
 * unlocks, and contends again. Every call on the lock ({@code tryLock}, renewal, {@code unlock}) is
 * made on the elector thread, the one that took it, as a JDBC lock requires.
 *
 * <p>The watchdog reads only the monotonic clock: a leader whose last confirmed renewal (timed from
 * before the call that confirmed it) is older than the time-to-live less the margin stops its
 * leader actors on its own, whatever the elector is blocked in. It never runs in a lock callback.
 *
 * <p>Thread-safe. One lock guards the state machine ({@link Status}), the leader actors' group of
 * the moment, the time of the last confirmation and the end; no user code (actors, interrupts,
 * group stops, the lock registry, the observer) is called while it is held. What a thread wrote
 * under it happens-before what another reads under it.
 */
final class Leadership implements Interruptible {

  private static final Log logger = LogFactory.getLog(Leadership.class);

  /** What the starter reports leadership changes to (health, endpoint, meters). */
  interface Observer {
    /** This replica now holds {@code leader}. */
    void gained(String leader);

    /**
     * This replica no longer holds {@code leader}.
     *
     * @param standby whether its actors go on standby (lost while the group runs), called before
     *     they are stopped; {@code false} at the end of the leadership, once they stopped
     */
    void lost(String leader, boolean standby);

    /** No observer. */
    Observer NONE =
        new Observer() {
          @Override
          public void gained(String leader) {}

          @Override
          public void lost(String leader, boolean standby) {}
        };
  }

  /** Where the leadership is. */
  enum Status {
    /** {@code execute} has not begun. */
    NEW,
    /** Contending: another replica holds the lock, or nobody could be asked. */
    STANDBY,
    /** Holding the lock: the leader actors' group runs. */
    LEADING,
    /** The elector has ended: the lock is released and the leader actors have returned. */
    ENDED
  }

  private final String leader;
  private final String key;
  private final LockRegistry<?> registry;
  private final LeadershipSettings settings;
  private final Supplier<Group> incarnation;
  private final Observer observer;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private Status status = Status.NEW;
  private boolean closing;
  private @Nullable Throwable closeCause;
  private @Nullable Group actors; // the leader actors' group while leading
  private @Nullable Thread actorsThread; // the thread in that group's run()
  private boolean stopRequested; // this leadership stopped that group
  private @Nullable Ended endedBySelf; // that group ended without being stopped here
  private long confirmedNanos; // when the latest confirmed renewal began
  private boolean fenced;
  private boolean standingDown; // this tenure's actors are being stopped: nothing left to fence
  private boolean gainReported; // the starter was told of this tenure's gain
  private boolean lossReported; // the starter was told this tenure is lost
  private @Nullable Throwable result; // what execute throws once ended

  /**
   * A leadership.
   *
   * @param leader its name
   * @param registry the registry that elects it
   * @param settings time-to-live, renew interval, margin and the lock keys' namespace
   * @param incarnation builds a fresh group of the leader actors, each time the lock is gained
   * @param observer what leadership changes are reported to
   */
  Leadership(
      String leader,
      LockRegistry<?> registry,
      LeadershipSettings settings,
      Supplier<Group> incarnation,
      Observer observer) {
    this.leader = leader;
    this.key = settings.lockKey(leader);
    this.registry = registry;
    this.settings = settings;
    this.incarnation = incarnation;
    this.observer = observer;
  }

  /** The name of the actor that stands for leadership {@code leader} in the application's group. */
  static String actorName(String leader) {
    return "leader:" + leader;
  }

  /** Where the leadership is now. */
  Status status() {
    lock.lock();
    try {
      return status;
    } finally {
      lock.unlock();
    }
  }

  private void assertUnlocked() {
    assert !lock.isHeldByCurrentThread() : "user code called under the leadership's lock";
  }

  // ---------------------------------------------------------------------------------------------
  // Interruptible: the actor in the application's group

  @Override
  public void execute() throws Exception {
    lock.lock();
    try {
      if (status != Status.NEW) {
        throw new IllegalStateException("leadership '" + leader + "' runs once");
      }
      status = Status.STANDBY;
    } finally {
      lock.unlock();
    }
    Thread elector = new Thread(this::elect, "run-group-leader-" + leader);
    elector.setDaemon(true); // a call blocked in the lock registry must not keep the JVM alive
    Thread watchdog = new Thread(this::watch, "run-group-leader-" + leader + "-watchdog");
    watchdog.setDaemon(true);
    elector.start();
    watchdog.start();
    lock.lock();
    try {
      while (status != Status.ENDED) {
        changed.await();
      }
      Throwable error = result;
      if (error instanceof Exception exception) {
        throw exception;
      }
      if (error instanceof Error e) {
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void interrupt(@Nullable Throwable cause) {
    lock.lock();
    try {
      if (!closing) {
        closing = true;
        closeCause = cause;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "leadership '" + leader + "'";
  }

  // ---------------------------------------------------------------------------------------------
  // The elector: every call on the lock is made here.

  private void elect() {
    Lock distributed;
    try {
      distributed = registry.obtain(key);
    } catch (RuntimeException | Error e) {
      end(e);
      return;
    }
    boolean holding = false;
    Throwable error = null;
    try {
      while (true) {
        Ended selfEnded;
        lock.lock();
        try {
          if (closing) {
            break;
          }
          selfEnded = endedBySelf;
        } finally {
          lock.unlock();
        }
        if (holding && selfEnded != null) {
          // A leader actor returned or failed without a restart: the leadership ends with it.
          error = selfEnded.error();
          break;
        }
        if (!holding) {
          long began = System.nanoTime();
          if (tryLock(distributed)) {
            holding = true;
            if (!gain(began)) {
              break; // closing meanwhile: the finally stops nothing and unlocks
            }
          }
        } else {
          String lost = renew();
          if (lost != null) {
            standDown(distributed, lost);
            holding = false;
          }
        }
        awaitNextRound();
      }
    } catch (RuntimeException | Error e) {
      error = e;
    } finally {
      if (holding) {
        lock.lock();
        try {
          standingDown = true; // the stop under way is the one the watchdog would have made
        } finally {
          lock.unlock();
        }
        stopActors(closeCauseOrNull());
        unlock(distributed, "the application stops");
        observer.lost(leader, false);
      }
      end(error);
    }
  }

  private @Nullable Throwable closeCauseOrNull() {
    lock.lock();
    try {
      return closeCause;
    } finally {
      lock.unlock();
    }
  }

  /** Tries the lock once; a registry that cannot be asked counts as another replica holding it. */
  private boolean tryLock(Lock distributed) {
    assertUnlocked();
    try {
      if (distributed instanceof DistributedLock timed) {
        return timed.tryLock(Duration.ZERO, settings.timeToLive());
      }
      return distributed.tryLock();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      if (logger.isDebugEnabled()) {
        logger.debug("Leadership '" + leader + "': the lock could not be tried: " + e);
      }
      return false;
    }
  }

  /**
   * Holding the lock: starts a fresh group of the leader actors.
   *
   * @return {@code false} if the leadership began closing meanwhile (nothing started)
   */
  private boolean gain(long confirmedAt) {
    Group group = incarnation.get();
    Thread runner = new Thread(() -> runActors(group), "run-group-leader-" + leader + "-actors");
    runner.setDaemon(false);
    lock.lock();
    try {
      if (closing) {
        return false;
      }
      status = Status.LEADING;
      actors = group;
      actorsThread = runner;
      stopRequested = false;
      endedBySelf = null;
      fenced = false;
      standingDown = false;
      gainReported = false;
      lossReported = false;
      confirmedNanos = confirmedAt;
      changed.signalAll(); // the watchdog's deadline
    } finally {
      lock.unlock();
    }
    logger.info(
        "Leadership '" + leader + "' gained (lock '" + key + "'): starting its leader actors");
    observer.gained(leader);
    // A watchdog that fenced this tenure while the gain was being reported left the loss to us,
    // so that the starter hears of the loss after the gain.
    boolean fencedMeanwhile;
    lock.lock();
    try {
      gainReported = true;
      fencedMeanwhile = fenced && !lossReported;
      if (fencedMeanwhile) {
        lossReported = true;
      }
    } finally {
      lock.unlock();
    }
    if (fencedMeanwhile) {
      observer.lost(leader, true);
    }
    runner.start();
    return true;
  }

  /** How the leader actors' group ended by itself: with what its run says, or what it threw. */
  private record Ended(@Nullable Throwable error) {}

  private void runActors(Group group) {
    Ended ended;
    try {
      Exit exit = group.run();
      ended = new Ended(exit.error());
    } catch (RuntimeException | Error e) {
      ended = new Ended(e);
    }
    lock.lock();
    try {
      if (!stopRequested && actors == group) {
        endedBySelf = ended;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Renews the lock.
   *
   * @return why the leadership is lost, or {@code null} while it holds
   */
  private @Nullable String renew() {
    assertUnlocked();
    lock.lock();
    try {
      if (fenced) {
        return "fenced: no renewal confirmed for "
            + ActorTuning.text(settings.fenceAfter())
            + " (time-to-live "
            + ActorTuning.text(settings.timeToLive())
            + " less margin "
            + ActorTuning.text(settings.margin())
            + ")";
      }
    } finally {
      lock.unlock();
    }
    long began = System.nanoTime();
    try {
      if (registry instanceof RenewableLockRegistry<?> renewable) {
        renewable.renewLock(key, settings.timeToLive());
      }
    } catch (RuntimeException e) {
      return "the renewal failed: " + e;
    }
    lock.lock();
    try {
      if (fenced) {
        return "fenced: a renewal came back after the time-to-live less the margin";
      }
      confirmedNanos = began;
      changed.signalAll();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** The leadership is lost: the leader actors stop in order, then the lock is let go. */
  private void standDown(Lock distributed, String why) {
    boolean report;
    lock.lock();
    try {
      standingDown = true;
      report = !lossReported;
      lossReported = true;
    } finally {
      lock.unlock();
    }
    logger.info("Leadership '" + leader + "' lost (" + why + "): stopping its leader actors");
    if (report) {
      observer.lost(leader, true);
    }
    stopActors(new LeadershipLostException(leader, why));
    unlock(distributed, why);
    lock.lock();
    try {
      status = Status.STANDBY;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    logger.info("Leadership '" + leader + "': its leader actors stopped; contending again");
  }

  /** Stops the leader actors' group, if one runs, and waits for its run to end. */
  private void stopActors(@Nullable Throwable cause) {
    Group group;
    Thread runner;
    lock.lock();
    try {
      group = actors;
      runner = actorsThread;
      stopRequested = true;
    } finally {
      lock.unlock();
    }
    if (group == null || runner == null) {
      return;
    }
    assertUnlocked();
    group.stop(cause);
    boolean interrupted = false;
    while (true) {
      try {
        runner.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the actors must have returned before the lock goes
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      actors = null;
      actorsThread = null;
    } finally {
      lock.unlock();
    }
  }

  /** Unlocks on this (the locking) thread; a lock already expired or a database down is logged. */
  private void unlock(Lock distributed, String why) {
    assertUnlocked();
    try {
      distributed.unlock();
      if (logger.isDebugEnabled()) {
        logger.debug("Leadership '" + leader + "': lock released (" + why + ")");
      }
    } catch (RuntimeException e) {
      logger.info(
          "Leadership '"
              + leader
              + "': the lock could not be released ("
              + e
              + "); it expires after its time-to-live");
    }
  }

  /** Waits one renew interval, or less when closing or when the leader actors' group ended. */
  private void awaitNextRound() {
    long nanos = settings.renewInterval().toNanos();
    lock.lock();
    try {
      while (nanos > 0 && !closing && (endedBySelf == null || status != Status.LEADING)) {
        nanos = changed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void end(@Nullable Throwable error) {
    lock.lock();
    try {
      status = Status.ENDED;
      result = error;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The watchdog: the monotonic clock only.

  private void watch() {
    while (true) {
      Group toStop = null;
      long overdue = 0;
      boolean report = false;
      lock.lock();
      try {
        if (status == Status.ENDED) {
          return;
        }
        if (status == Status.LEADING && !fenced && !standingDown) {
          long deadline = confirmedNanos + settings.fenceAfter().toNanos();
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            fenced = true;
            stopRequested = true; // a stop of this leadership, not the actors' own end
            toStop = actors;
            overdue = -left;
            report = gainReported && !lossReported; // else the gain reports it
            if (report) {
              lossReported = true;
            }
            changed.signalAll();
          } else {
            changed.awaitNanos(left);
            continue;
          }
        } else {
          changed.await();
          continue;
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      logger.warn(
          "Leadership '"
              + leader
              + "' fenced: no renewal of lock '"
              + key
              + "' confirmed for "
              + ActorTuning.text(
                  settings.fenceAfter().plusNanos(overdue).truncatedTo(ChronoUnit.MILLIS))
              + "; interrupting its leader actors before the lock can expire");
      if (report) {
        observer.lost(leader, true);
      }
      if (toStop != null) {
        toStop.stop(
            new LeadershipLostException(
                leader, "fenced: no renewal confirmed within the time-to-live less the margin"));
      }
    }
  }

  /** Why a leadership's actors were stopped: it was lost, or fenced. */
  static final class LeadershipLostException extends Exception {
    private static final long serialVersionUID = 1L;

    LeadershipLostException(String leader, String why) {
      super("Leadership '" + leader + "' lost: " + why, null, false, false);
    }
  }
}
