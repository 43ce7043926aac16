package dev.rungroup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One actor of a {@link Group} added without options, and its live outcome: wave 1's actor. It is
 * the {@link Runnable} of the actor's own thread, so a running actor costs one object besides its
 * thread. An actor added with options is a {@link ManagedSlot}, which overrides {@link #run()},
 * {@link #callInterrupt} and {@link #outcome()}.
 *
 * <p>Thread-safety and memory: the actor's thread writes {@link #started}, {@link #error} and
 * {@link #returned}; the interrupting thread writes {@link #interruptError} and {@link
 * #interruptDone}; the thread in run() reads them in {@link #outcome()}. Each flag is written with
 * release and read with acquire, so whoever sees a flag set also sees what was written before it;
 * the group's count of running actors, which the thread decrements last (after {@link #ended}),
 * orders everything the thread did before run() returns. These are plain stores on x86, where a
 * volatile store would be a full fence per actor. The group's lock is never held here: this is
 * where the actor's code runs.
 */
class Slot implements Runnable {
  private static final VarHandle STARTED;
  private static final VarHandle RETURNED;
  private static final VarHandle INTERRUPT_DONE;
  private static final VarHandle ENDED;

  static {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    try {
      STARTED = lookup.findVarHandle(Slot.class, "started", boolean.class);
      RETURNED = lookup.findVarHandle(Slot.class, "returned", boolean.class);
      INTERRUPT_DONE = lookup.findVarHandle(Slot.class, "interruptDone", boolean.class);
      ENDED = lookup.findVarHandle(Slot.class, "ended", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Group group;
  final String name;
  final Interruptible actor;

  /**
   * Written by the thread in run() before start(); read by the actor's thread, which start() lets
   * see it.
   */
  @Nullable Thread thread;

  @Nullable Throwable startError;

  /**
   * The actors that start after this one, if any: told when this one is ready, and interrupted
   * before it during the stop. Written under the group's lock while actors are added, read once
   * run() began.
   */
  @Nullable Dependents dependents;

  /**
   * The actors that start after one actor, and how many of them have not finished yet (their thread
   * ended its run, or was never started): the stop interrupts that actor once none is left. Kept
   * apart from the slot, so that an actor no other starts after pays one reference for it. Grown
   * under the group's lock while actors are added, {@link #seal sealed} by run() before any actor
   * starts; {@code unfinished} is written under the group's lock.
   */
  static final class Dependents {
    private ManagedSlot[] slots = new ManagedSlot[2];
    private int size;

    /** Written under the group's lock; volatile, so that a wait can see 0 without the lock. */
    volatile int unfinished;

    @SuppressWarnings("NonAtomicVolatileUpdate") // under the group's lock
    void add(ManagedSlot dependent) {
      if (size == slots.length) {
        slots = java.util.Arrays.copyOf(slots, size * 2); // doubling: linear in the edges
      }
      slots[size++] = dependent;
      unfinished++;
    }

    /** Trims the array to the dependents; run() calls it once, before any actor starts. */
    void seal() {
      if (slots.length != size) {
        slots = java.util.Arrays.copyOf(slots, size);
      }
    }

    /** The dependents, once {@link #seal sealed}. */
    ManagedSlot[] slots() {
      return slots;
    }
  }

  /** The actors that start after this one, or {@code null} if none; once run() began. */
  final ManagedSlot @Nullable [] dependents() {
    Dependents d = dependents;
    return d == null ? null : d.slots();
  }

  /** Whether execute was called; release/acquire. */
  @SuppressWarnings("UnusedVariable") // accessed through STARTED
  private boolean started;

  /** Whether execute returned; release/acquire, published after {@link #error}. */
  @SuppressWarnings("UnusedVariable") // accessed through RETURNED
  private boolean returned;

  private @Nullable Throwable error;

  /** Whether interrupt returned; release/acquire, published after {@link #interruptError}. */
  @SuppressWarnings("UnusedVariable") // accessed through INTERRUPT_DONE
  private boolean interruptDone;

  private @Nullable Throwable interruptError;

  /**
   * Whether this actor's thread has ended its part: {@link #run()} returned or is about to (it is
   * the last thing the thread does for the group), or the thread was never started. Written once,
   * with release, just before the group's count of running actors goes down (see {@link
   * Group#actorEnded}); read with acquire.
   */
  @SuppressWarnings("UnusedVariable") // accessed through ENDED
  private boolean ended;

  Slot(Group group, String name, Interruptible actor) {
    this.group = group;
    this.name = name;
    this.actor = actor;
  }

  @Override
  public void run() {
    Thread current = Thread.currentThread();
    if (current != thread) {
      // Not the thread the group started for this actor: a factory handed it back started.
      // (A racy read, harmless: such a thread sees null or another thread, never itself.)
      return;
    }
    if (current.getName().isEmpty()) {
      // Named here rather than in the start loop, so that run() does not pay for it N times.
      current.setName(name);
    }
    try {
      group.listeners.actorStarted(name, current);
      STARTED.setRelease(this, true);
      group.plainReady(this);
      Throwable failure = null;
      assert group.lockFree() : Group.NO_USER_CODE_UNDER_LOCK;
      try {
        actor.execute();
      } catch (Throwable e) {
        failure = e;
      }
      error = failure;
      RETURNED.setRelease(this, true);
      group.actorReturned(this, failure);
    } finally {
      group.actorEnded(this);
    }
  }

  /** Marks this actor ended; whether it was not before (then the group counts it, once). */
  final boolean markEnded() {
    return ENDED.compareAndSet(this, false, true);
  }

  /** Whether this actor has ended its part ({@link #markEnded}). */
  final boolean hasEnded() {
    return (boolean) ENDED.getAcquire(this);
  }

  void callInterrupt(@Nullable Throwable cause) {
    Throwable failure = null;
    assert group.lockFree() : Group.NO_USER_CODE_UNDER_LOCK;
    try {
      actor.interrupt(cause);
    } catch (Throwable e) {
      failure = e;
    }
    interruptError = failure;
    INTERRUPT_DONE.setRelease(this, true);
  }

  /**
   * Whether this actor may still be running for the group: it has not ended its part and its thread
   * is alive, or is not started yet but will be (an actor that starts after others). A thread that
   * died without ending it (a factory's thread that never ran the actor) counts as not running.
   */
  final boolean running() {
    if (hasEnded()) {
      return false;
    }
    Thread t = thread;
    return t != null && live(t);
  }

  /** Whether {@code t}, this actor's thread, is alive or is yet to be started by the group. */
  final boolean live(Thread t) {
    return t.isAlive() || (mayStillStart() && t.getState() == Thread.State.NEW);
  }

  /**
   * Whether the group may still start this actor's thread: never for an actor without options,
   * whose thread the start loop starts at once.
   */
  boolean mayStillStart() {
    return false;
  }

  /** Adds an actor that starts after this one; under the group's lock, before run(). */
  final void addDependent(ManagedSlot dependent) {
    Dependents d = dependents;
    if (d == null) {
      d = new Dependents();
      dependents = d;
    }
    d.add(dependent);
  }

  /** Called on the thread in run(), which wrote {@link #thread}. */
  Exit.Outcome outcome() {
    boolean done = (boolean) INTERRUPT_DONE.getAcquire(this);
    boolean hasReturned = (boolean) RETURNED.getAcquire(this);
    boolean hasStarted = (boolean) STARTED.getAcquire(this);
    Throwable failure = hasReturned ? error : startError;
    // A thread that was started is running until execute returned, even if it has not reached
    // execute yet (a slow actorStarted listener, a thread not scheduled before the deadline).
    boolean launched = thread != null;
    return new Exit.Outcome(
        name, hasStarted, !launched || hasReturned, failure, done ? interruptError : null, done, 0);
  }
}
