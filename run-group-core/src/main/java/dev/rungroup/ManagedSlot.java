package dev.rungroup;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An actor added with options: it waits for its dependencies, becomes ready, may miss its startup
 * timeout, may end alone (one-shot) and may be restarted, each incarnation on the same thread. Only
 * actors that use an option are one, so a group without options pays for none of this.
 *
 * <p>Thread-safety: the fields below are guarded by the group's one lock, which is never held while
 * user code runs (the supplier, execute, interrupt, listeners); every transition of {@link Phase}
 * happens under it. Each incarnation's interrupt is taken under the lock by whoever calls it (the
 * stop, the restart, the startup timer), so it is called exactly once. Memory consistency: what a
 * dependency did before it became ready happens-before its dependents' execute (the lock orders the
 * two).
 */
final class ManagedSlot extends Slot {

  /** Where the actor is. */
  enum Phase {
    /**
     * It waits until the actors it starts after are ready: its thread, made by the start loop, is
     * started only then (or at the stop), and waits parked only if a dependency became unready
     * again before the thread took the lock.
     */
    WAITING,
    /** Getting or beginning an incarnation. */
    STARTING,
    /** An incarnation is in execute. */
    RUNNING,
    /** Between an incarnation that returned and the next: in its backoff. */
    BACKOFF,
    /** A one-shot actor that returned normally. */
    DONE,
    /** Its thread ended, or never started an incarnation. */
    ENDED
  }

  /** One run of the actor: the first, or the one after a restart. Guarded by the group's lock. */
  final class Incarnation {
    final int number;
    @Nullable Interruptible actor;
    boolean interruptTaken;
    boolean ready;
    long deadline;
    @Nullable StartupTimeoutException timedOut;

    /** What its interrupt threw; written before {@link #interruptDone}, by the one caller. */
    @Nullable Throwable interruptError;

    /**
     * Whether its interrupt returned. Written once by whoever took the interrupt, without the lock
     * (a restart does not pay for one more); volatile, so a reader that sees it true sees {@link
     * #interruptError} too.
     */
    volatile boolean interruptDone;

    /** Its execute returned (or the supplier failed): its fate is decided, the timer is done. */
    boolean returned;

    /** Read by {@link ActorContext#isStopping()} on any thread. */
    volatile boolean interrupted;

    Incarnation(int number) {
      this.number = number;
    }

    ManagedSlot slot() {
      return ManagedSlot.this;
    }
  }

  /** What an incarnation's return leads to. */
  private enum Next {
    /** The group is stopping: nothing more; the stop interrupts the current incarnation. */
    STOP,
    /** A one-shot actor returned normally: it ends, ready. */
    DONE,
    /** The failure (or return) stops the group. */
    ESCALATE,
    /** A fresh incarnation after the delay. */
    RESTART
  }

  /** Stands in for the actor of a supplier-form slot in {@link Slot#actor}; never called. */
  private static final Interruptible NO_ACTOR =
      Interruptible.of(
          () -> {
            throw new AssertionError("a supplier-form actor has no actor of its own");
          },
          cause -> {});

  private final @Nullable Supplier<? extends Interruptible> supplier;
  final ActorOptions options;

  /** The actors it starts after, each once. */
  final Slot[] dependencies;

  /** Its position among the group's actors (add order, from 0), for the stop order. */
  final int index;

  private final RestartWindow window;

  // Guarded by the group's lock.
  private Phase phase = Phase.WAITING;
  private int pending;
  private boolean ready;
  private @Nullable Incarnation current;
  private @Nullable Incarnation last;
  private @Nullable Thread waiter;

  /**
   * Whether its thread was started or claimed by whoever starts it (see {@link #placeLocked} and
   * {@link #releaseLocked}); from the start for an actor that starts after none.
   */
  private boolean launched;

  /**
   * Whether {@link Thread#start()} of its thread has returned (or was never to be called by the
   * group): from then on a thread still {@link Thread.State#NEW} never runs. Volatile: read without
   * the lock by {@link #mayStillStart()}.
   */
  private volatile boolean startReturned;

  private boolean stopPassed;
  private int restarts;
  private boolean everStarted;

  /** What the last incarnation (or the supplier's last call) failed with; the outcome's error. */
  private @Nullable Throwable lastError;

  /**
   * Whether the actor's thread has finished its part: written under the lock, by that thread only
   * (so it reads it without the lock); read under the lock by {@link #outcome}.
   */
  private boolean finished;

  /**
   * Under the lock: the actor's thread has begun its run (it will finish, and signal a stop that
   * waits for it, as it ends); a factory's thread that never runs it never sets this.
   */
  private boolean entered;

  /**
   * Handed from {@link #awaitDependencies} to {@link #incarnations} on the actor's own thread: the
   * Interruptible form's incarnation, and whether it has begun already.
   */
  private @Nullable Incarnation first;

  private boolean firstBegun;

  ManagedSlot(
      Group group,
      String name,
      int index,
      @Nullable Interruptible actor,
      @Nullable Supplier<? extends Interruptible> supplier,
      ActorOptions options,
      Slot[] dependencies) {
    super(group, name, actor == null ? NO_ACTOR : actor);
    this.index = index;
    this.supplier = supplier;
    this.options = options;
    this.dependencies = dependencies;
    this.pending = dependencies.length;
    this.launched = dependencies.length == 0;
    this.window = new RestartWindow();
    if (actor != null) { // the Interruptible form: its one incarnation exists from the start
      Incarnation first = new Incarnation(0);
      first.actor = actor;
      current = first;
      last = first;
    }
  }

  @Override
  public void run() {
    Thread me = Thread.currentThread();
    if (me != thread) {
      return; // a thread the factory had started already (see Slot.run)
    }
    if (me.getName().isEmpty()) {
      me.setName(name);
    }
    try {
      if (awaitDependencies(me)) {
        incarnations(me);
      }
    } finally {
      ActorContext.leave();
      if (!finished) { // else afterReturn finished it already, under its lock
        ReentrantLock lock = group.lock;
        lock.lock();
        try {
          finishLocked();
        } finally {
          lock.unlock();
        }
      }
      group.actorEnded(this);
    }
  }

  /** Under the lock, on the actor's thread: it runs no more; its dependencies may be stopped. */
  private void finishLocked() {
    finished = true;
    group.dependentFinishedLocked(dependencies);
    if (phase != Phase.DONE) {
      phase = Phase.ENDED;
    }
  }

  /**
   * Returns once every dependency is ready, as they usually are when this thread starts (parked
   * otherwise: one became unready again); {@code false} if the group began to stop first.
   */
  private boolean awaitDependencies(Thread me) {
    ReentrantLock lock = group.lock;
    boolean interrupted = false;
    while (true) {
      lock.lock();
      try {
        entered = true;
        if (group.state() != Group.State.RUNNING) {
          waiter = null;
          return false;
        }
        if (pending == 0) {
          waiter = null;
          phase = Phase.STARTING;
          Incarnation inc = current;
          first = inc;
          // The Interruptible form's incarnation begins under this same lock (one lock fewer per
          // actor); one ready on start in a group without listeners goes through begin().
          boolean readyNow =
              options.readiness() == Readiness.ON_START
                  && !options.isOneShot()
                  && group.listeners.isEmpty();
          firstBegun = false;
          if (inc != null && !readyNow) {
            runningLocked(inc);
            firstBegun = true;
          }
          if (interrupted) {
            me.interrupt(); // not ours to swallow
          }
          return true;
        }
        waiter = me;
      } finally {
        lock.unlock();
      }
      LockSupport.park(this);
      interrupted |= Thread.interrupted(); // else park would return at once, again and again
    }
  }

  private void incarnations(Thread me) {
    Incarnation inc = first; // the Interruptible form's, or none yet
    boolean begun = firstBegun;
    first = null;
    boolean readyOnStart = options.readiness() == Readiness.ON_START && !options.isOneShot();
    boolean quiet = group.listeners.isEmpty();
    while (true) {
      boolean fresh = inc == null;
      if (inc == null) {
        inc = new Incarnation(restarts); // written only on this thread, in afterReturn
        ActorContext.enter(new ActorContext(this, inc));
        Throwable failure = get(inc);
        if (failure != null) { // no incarnation: nothing to interrupt
          if (!afterReturn(null, failure, false)) {
            return;
          }
          inc = null;
          continue;
        }
      } else {
        ActorContext.enter(new ActorContext(this, inc));
      }
      if (!begun && !begin(inc, fresh, readyOnStart && quiet)) {
        return;
      }
      begun = false;
      group.listeners.actorStarted(name, me);
      if (readyOnStart && !quiet) {
        markReady(inc);
      }
      Throwable error = null;
      Interruptible actor = Objects.requireNonNull(inc.actor, "published without actor");
      assert group.lockFree() : Group.NO_USER_CODE_UNDER_LOCK;
      try {
        actor.execute();
      } catch (Throwable e) {
        error = e;
      }
      if (!afterReturn(inc, error, true)) {
        return;
      }
      inc = null;
    }
  }

  /** Gets a fresh incarnation from the supplier; returns the failure, or null. */
  private @Nullable Throwable get(Incarnation inc) {
    Supplier<? extends Interruptible> s = Objects.requireNonNull(supplier, "no supplier");
    assert group.lockFree() : Group.NO_USER_CODE_UNDER_LOCK;
    try {
      Interruptible got = s.get();
      if (got == null) {
        return new NullPointerException("the supplier of actor '" + name + "' returned null");
      }
      inc.actor = got;
      return null;
    } catch (Throwable e) {
      return e;
    }
  }

  /**
   * Makes {@code inc} the current incarnation and lets it execute, unless the group began to stop:
   * then a fresh incarnation is interrupted here if the stop has passed this actor already (else
   * the stop does it, in its order), and {@code false} is returned. With {@code readyNow} (an actor
   * ready on start, in a group without listeners: no {@code actorReady} to report first) it becomes
   * ready under the same lock, so a restart takes one lock fewer.
   */
  private boolean begin(Incarnation inc, boolean fresh, boolean readyNow) {
    ReentrantLock lock = group.lock;
    boolean runs;
    boolean interruptHere = false;
    @Nullable Throwable cause = null;
    ManagedSlot @Nullable [] wake = null;
    boolean groupReady = false;
    lock.lock();
    try {
      current = inc;
      last = inc;
      lastError = null; // the outcome's error is the last incarnation's: none while it runs
      runs = group.state() == Group.State.RUNNING;
      if (runs) {
        runningLocked(inc);
        if (readyNow && claimReadyLocked(inc) && !ready) {
          ready = true;
          wake = group.dependencyReadyLocked(this);
          groupReady = group.countReadyLocked();
        }
      } else {
        interruptHere = fresh && stopPassed && !inc.interruptTaken;
        if (interruptHere) {
          take(inc);
        }
        cause = group.stopCauseLocked();
      }
    } finally {
      lock.unlock();
    }
    if (runs) {
      Group.release(wake);
      if (groupReady) {
        group.latchReady();
      }
      return true;
    }
    if (interruptHere) {
      interrupt(inc, cause);
    }
    return false;
  }

  /** Under the lock, the group running: {@code inc} (current) begins its execute. */
  private void runningLocked(Incarnation inc) {
    current = inc;
    last = inc;
    lastError = null; // the outcome's error is the last incarnation's: none while it runs
    phase = Phase.RUNNING;
    everStarted = true;
    group.armStartupTimeout(inc, options.timeoutOrNull());
  }

  /**
   * Decides what an incarnation's return leads to and does it; returns whether a fresh incarnation
   * is to start. {@code inc} is null when the supplier failed ({@code executed} false).
   */
  private boolean afterReturn(
      @Nullable Incarnation inc, @Nullable Throwable error, boolean executed) {
    ReentrantLock lock = group.lock;
    Next next;
    @Nullable Throwable failure = error;
    @Nullable StartupTimeoutException timedOut = null;
    boolean interruptHere = false;
    int n = 0;
    int number = 0;
    long delay = 0;
    boolean becameReady = false;
    lock.lock();
    try {
      if (inc != null) {
        inc.returned = true;
        if (inc.timedOut != null) {
          timedOut = inc.timedOut;
          failure = timedOut;
        }
      }
      lastError = failure;
      boolean failed = failure != null;
      RestartPolicy policy = options.restart();
      if (group.state() != Group.State.RUNNING) {
        next = Next.STOP;
        if (!executed || group.listeners.isEmpty()) {
          // Nothing left to do but end (no actorReturned to report first): the actor finishes
          // under this lock, one lock fewer per actor in the stop (the stop of a graph waits for
          // it).
          finishLocked();
        }
      } else if (options.isOneShot() && !failed) {
        next = Next.DONE;
        phase = Phase.DONE;
        becameReady = inc != null && claimReadyLocked(inc);
      } else if (!policy.restartsAfter(failed)) {
        next = Next.ESCALATE;
      } else {
        n = window.admit(System.nanoTime(), policy);
        if (n == 0) {
          next = Next.ESCALATE;
        } else {
          next = Next.RESTART;
          restarts = restarts == Integer.MAX_VALUE ? restarts : restarts + 1;
          number = restarts;
          delay = policy.delayNanos(n);
          if (inc != null && !inc.interruptTaken) {
            take(inc);
            interruptHere = true;
          } // else the startup timer took it: what it throws is added to the timeout (timedOut)
          unreadyLocked();
          current = null;
          phase = Phase.BACKOFF;
        }
      }
    } finally {
      lock.unlock();
    }
    if (timedOut != null && error != null && error != timedOut) {
      timedOut.addSuppressed(error); // nothing thrown is lost
    }
    if (executed) {
      group.listeners.actorReturned(name, failure);
    }
    switch (next) {
      case STOP -> {
        return false;
      }
      case DONE -> {
        if (becameReady && inc != null) {
          announceReady(inc);
        }
        return false;
      }
      case ESCALATE -> {
        group.stopBy(this, failure);
        return false;
      }
      case RESTART -> {
        Throwable interruptFailure = interruptHere && inc != null ? interrupt(inc, failure) : null;
        Throwable reported = failure;
        if (interruptFailure != null && failure != null && interruptFailure != failure) {
          failure.addSuppressed(interruptFailure);
        } else if (interruptFailure != null && failure == null) {
          reported = interruptFailure; // a normal return under always(): nothing else to carry it
        }
        group.listeners.actorRestarting(name, reported, number, Duration.ofNanos(delay));
        return backoff(delay);
      }
    }
    throw new AssertionError("unexpected next: " + next);
  }

  /**
   * Waits out a restart's delay; {@code false} if the group began to stop meanwhile. A zero delay
   * waits for nothing: the actor stays in {@link Phase#BACKOFF} until {@link #begin} (which checks
   * the group's state under the lock) makes the next incarnation current.
   */
  private boolean backoff(long delayNanos) {
    if (delayNanos == 0) {
      return true;
    }
    ReentrantLock lock = group.lock;
    lock.lock();
    try {
      long deadline = System.nanoTime() + delayNanos; // compared as a difference: wraps safely
      while (group.state() == Group.State.RUNNING) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          phase = Phase.STARTING;
          return true;
        }
        try {
          group.stateChanged.awaitNanos(left);
        } catch (InterruptedException e) {
          // Only the stop timeout interrupts an actor's thread, once the group is stopping.
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** The stop's interrupt: the current incarnation's, with the group's cause, if not taken. */
  @Override
  void callInterrupt(@Nullable Throwable cause) {
    Incarnation inc;
    ReentrantLock lock = group.lock;
    lock.lock();
    try {
      stopPassed = true;
      inc = current;
      if (inc == null || inc.interruptTaken) {
        return;
      }
      take(inc);
    } finally {
      lock.unlock();
    }
    interrupt(inc, cause);
  }

  /**
   * Called by the startup timer, its lock released, for an incarnation whose interrupt it took.
   * What the interrupt throws is added to the timeout, the incarnation's error, as a restart adds
   * it to the failure (so it is not lost if the incarnation is restarted).
   */
  void timedOut(Incarnation inc, StartupTimeoutException error) {
    if (!options.restart().restartsOnFailure()) {
      // No restart can follow: the group stops now, not only once execute returns, so that an
      // actor that ignores (or blocks) this interrupt cannot keep the group running unbounded.
      // The timeout is its error from now on, also if the stop timeout abandons it.
      ReentrantLock lock = group.lock;
      lock.lock();
      try {
        lastError = error;
      } finally {
        lock.unlock();
      }
      group.stopBy(this, error);
    }
    Throwable failure = interrupt(inc, error);
    if (failure != null && failure != error) {
      error.addSuppressed(failure); // Throwable's suppressed list is synchronized
    }
  }

  /**
   * Under the lock: whether the startup timer should fail {@code inc} now, taking its interrupt:
   * not once it is ready, nor once it returned (its return decided what follows; when that stops
   * the group, the stop interrupts it with the group's cause).
   */
  @Nullable StartupTimeoutException expireLocked(Incarnation inc) {
    Duration timeout = options.timeoutOrNull();
    if (timeout == null || inc != current || inc.ready || inc.returned || inc.interruptTaken) {
      return null;
    }
    take(inc);
    StartupTimeoutException error = new StartupTimeoutException(name, timeout);
    inc.timedOut = error;
    return error;
  }

  /** {@link ActorContext#ready()}: has effect for a SIGNALLED actor only. */
  void signalled(Incarnation inc) {
    if (options.readiness() == Readiness.SIGNALLED) {
      markReady(inc);
    }
  }

  /**
   * {@code inc} becomes ready, if it is current and still running. In a group without listeners (no
   * {@code actorReady} to report first) it is made so for the others under the same lock, one lock
   * fewer per actor; else {@link #announceReady} reports it first.
   */
  private void markReady(Incarnation inc) {
    boolean became;
    boolean quiet = group.listeners.isEmpty();
    ManagedSlot @Nullable [] wake = null;
    boolean groupReady = false;
    ReentrantLock lock = group.lock;
    lock.lock();
    try {
      became = phase == Phase.RUNNING && !inc.returned && claimReadyLocked(inc);
      if (became && quiet && !ready) {
        ready = true;
        wake = group.dependencyReadyLocked(this);
        groupReady = group.countReadyLocked();
      }
    } finally {
      lock.unlock();
    }
    if (became && !quiet) {
      announceReady(inc);
      return;
    }
    Group.release(wake);
    if (groupReady) {
      group.latchReady();
    }
  }

  /**
   * Under the lock: whether {@code inc} becomes ready now (it is current and was not yet); from
   * then on the startup timer no longer fails it. Nobody else sees it ready before {@link
   * #announceReady} has reported it.
   */
  private boolean claimReadyLocked(Incarnation inc) {
    if (inc != current || inc.ready) {
      return false;
    }
    inc.ready = true;
    return true;
  }

  /**
   * Reports that {@code inc} became ready, then makes it so for the others: its waiting dependents
   * may begin and the group may become ready only after {@code actorReady} returned, so that a
   * listener sees this actor ready before their events. Nothing is made ready if the incarnation is
   * no longer current (it failed and is restarting meanwhile: it is not ready any more).
   */
  private void announceReady(Incarnation inc) {
    group.listeners.actorReady(name);
    ManagedSlot @Nullable [] wake;
    boolean groupReady;
    ReentrantLock lock = group.lock;
    lock.lock();
    try {
      if (inc != current || ready) {
        return;
      }
      ready = true;
      wake = group.dependencyReadyLocked(this);
      groupReady = group.countReadyLocked();
    } finally {
      lock.unlock();
    }
    Group.release(wake);
    if (groupReady) {
      group.latchReady();
    }
  }

  /** Under the lock: a restart makes the actor not ready until its next incarnation is. */
  private void unreadyLocked() {
    if (!ready) {
      return;
    }
    ready = false;
    group.countUnreadyLocked();
    ManagedSlot[] after = dependents();
    if (after != null) {
      for (ManagedSlot d : after) {
        if (d.phase == Phase.WAITING) {
          d.pending++;
        }
      }
    }
  }

  /**
   * Under the lock, by the start loop: its thread was made; whether the caller starts it now (its
   * dependencies are ready already, or the group began to stop). Else whoever makes the last of
   * them ready starts it ({@link #releaseLocked}), or the stop does ({@link #stopReleaseLocked}).
   */
  boolean placeLocked(Thread t) {
    thread = t;
    launched = pending == 0 || group.state() != Group.State.RUNNING;
    return launched;
  }

  /**
   * Under the lock: one of this actor's dependencies became ready; whether the caller is to start
   * its thread, outside the lock ({@link #release}): it was the last it waited for and the thread
   * is made and not started yet. A thread parked in {@link #awaitDependencies} (a dependency became
   * unready again before it took the lock: rare) is unparked here, which runs no user code.
   */
  boolean releaseLocked() {
    if (phase != Phase.WAITING || --pending != 0) {
      return false;
    }
    return launchLocked();
  }

  /** Under the lock, the group stopping: whether the caller is to start its thread, as above. */
  boolean stopReleaseLocked() {
    return phase == Phase.WAITING && launchLocked();
  }

  private boolean launchLocked() {
    Thread w = waiter;
    if (w != null) {
      LockSupport.unpark(w);
      return false;
    }
    if (launched || thread == null) {
      return false; // started already (it will see its state), or not made yet (placeLocked will)
    }
    launched = true;
    return true;
  }

  /** Starts its thread, claimed under the lock; the lock is not held (the thread may fail). */
  void release() {
    group.launch(this, Objects.requireNonNull(thread, "claimed without a thread"));
  }

  /** {@link Thread#start()} of its thread returned. */
  void startReturned() {
    startReturned = true;
  }

  @Override
  boolean mayStillStart() {
    return !startReturned;
  }

  private void take(Incarnation inc) {
    inc.interruptTaken = true;
    inc.interrupted = true;
  }

  private @Nullable Throwable interrupt(Incarnation inc, @Nullable Throwable cause) {
    Interruptible actor = Objects.requireNonNull(inc.actor, "published without actor");
    Throwable failure = null;
    assert group.lockFree() : Group.NO_USER_CODE_UNDER_LOCK;
    try {
      actor.interrupt(cause);
    } catch (Throwable e) {
      failure = e;
    }
    inc.interruptError = failure;
    inc.interruptDone = true; // volatile: publishes interruptError
    return failure;
  }

  /** Under the lock: whether its end will be signalled: it has finished, or its thread runs it. */
  boolean signalsEndLocked() {
    return finished || entered;
  }

  /** Under the lock: the phase, for tests and the group's own checks. */
  Phase phaseLocked() {
    return phase;
  }

  @Override
  Exit.Outcome outcome() {
    ReentrantLock lock = group.lock;
    lock.lock();
    try {
      Incarnation l = last;
      boolean launched = thread != null;
      boolean done = l != null && l.interruptDone;
      Throwable interruptError = l != null && done ? l.interruptError : null;
      return new Exit.Outcome(
          name,
          everStarted,
          !launched || finished,
          launched ? lastError : startError,
          interruptError,
          done,
          restarts);
    } finally {
      lock.unlock();
    }
  }
}
