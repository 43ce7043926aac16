package dev.rungroup;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What an actor may ask of its group from its own thread: its {@linkplain #name() name}, whether
 * the group (or this incarnation) {@linkplain #isStopping() is stopping}, how many times it was
 * {@linkplain #restarts() restarted}, and, for a {@link Readiness#SIGNALLED SIGNALLED} actor, the
 * signal that it is {@linkplain #ready() ready}.
 *
 * <pre>{@code
 * public void execute() throws Exception {
 *   server.bind();
 *   ActorContext.current().ready();   // the actors after this one may begin
 *   server.serve();
 * }
 * }</pre>
 *
 * <p>{@link #current()} works on the thread of every actor, whichever {@code add} form added it,
 * also inside a supplier's {@code get()} and in the listener events called on that thread. It is
 * not inherited by threads the actor starts; the object itself may be handed to them, and every
 * method is thread-safe. For an actor added with options it is at hand at once; for one added
 * without, the first call on its thread looks it up among the actors of the running groups (a scan
 * linear in their number), later calls do not.
 *
 * <p>Memory consistency effects: actions before {@link #ready()} happen-before the {@code execute}
 * of the actors that start after this one.
 *
 * @since 0.2
 */
public final class ActorContext {

  private static final ThreadLocal<ActorContext> CURRENT = new ThreadLocal<>();

  /**
   * The groups whose actors may call {@link #current()} without having options: those in {@link
   * Group#run()}, and those that returned with abandoned actors still running (held weakly: such an
   * actor's slot holds its group, so it stays while the thread lives).
   */
  private static final Set<Slot[]> RUNNING =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final Slot slot;
  private final ManagedSlot.@Nullable Incarnation incarnation;

  ActorContext(Slot slot, ManagedSlot.@Nullable Incarnation incarnation) {
    this.slot = slot;
    this.incarnation = incarnation;
  }

  /**
   * The context of the actor whose thread calls this.
   *
   * @return the context of the calling actor's current incarnation
   * @throws IllegalStateException if the calling thread is not an actor's thread of a running group
   */
  public static ActorContext current() {
    ActorContext context = CURRENT.get();
    if (context != null) {
      return context;
    }
    Slot slot = lookUp(Thread.currentThread());
    if (slot == null) {
      throw new IllegalStateException(
          "ActorContext.current() called on thread '"
              + Thread.currentThread().getName()
              + "', which is not the thread of an actor of a running group (a thread an actor"
              + " starts does not inherit it: hand it the context instead)");
    }
    context = new ActorContext(slot, null);
    CURRENT.set(context);
    return context;
  }

  /**
   * The actor's name in its group.
   *
   * @return the name
   */
  public String name() {
    return slot.name;
  }

  /**
   * Signals that a {@link Readiness#SIGNALLED SIGNALLED} actor is ready: the actors after it may
   * begin, and the group may become ready. Idempotent; has no effect for an {@link
   * Readiness#ON_START ON_START} actor (ready already, or, one-shot, at its normal return), nor
   * once this incarnation has returned or been restarted. Fires {@link GroupListener#actorReady} on
   * the calling thread.
   */
  public void ready() {
    ManagedSlot.Incarnation inc = incarnation;
    if (inc != null) {
      ((ManagedSlot) slot).signalled(inc);
    }
  }

  /**
   * Whether the actor should wind down.
   *
   * @return {@code true} once the group is stopping (or stopped), or this incarnation's interrupt
   *     was called (at a restart or a startup timeout)
   */
  public boolean isStopping() {
    ManagedSlot.Incarnation inc = incarnation;
    return slot.group.state().compareTo(Group.State.RUNNING) > 0
        || (inc != null && inc.interrupted);
  }

  /**
   * How many times the actor was restarted before this incarnation began.
   *
   * @return 0 for the first incarnation, n for the one after the n-th restart
   */
  public int restarts() {
    ManagedSlot.Incarnation inc = incarnation;
    return inc == null ? 0 : inc.number;
  }

  @Override
  public String toString() {
    return "ActorContext[" + slot.name + ", restarts=" + restarts() + "]";
  }

  /** Makes {@code context} the calling thread's: an actor with options, at each incarnation. */
  static void enter(ActorContext context) {
    CURRENT.set(context);
  }

  /** Forgets the calling thread's context: its actor with options ended. */
  static void leave() {
    CURRENT.remove();
  }

  /** The actors of a group that begins its run (see {@link #RUNNING}). */
  static void running(Slot[] actors) {
    RUNNING.add(actors);
  }

  /** The group's run ended with every actor ended (no actor's code runs on its thread any more). */
  static void ended(Slot[] actors) {
    RUNNING.remove(actors);
  }

  private static @Nullable Slot lookUp(Thread thread) {
    Slot[][] groups;
    synchronized (RUNNING) {
      groups = RUNNING.toArray(new Slot[0][]);
    }
    for (Slot[] actors : groups) {
      for (Slot slot : actors) {
        // A racy read, harmless: the slot of this thread was written before the thread started.
        if (slot.thread == thread) {
          return slot;
        }
      }
    }
    return null;
  }
}
