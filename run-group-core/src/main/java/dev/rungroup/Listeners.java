package dev.rungroup;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * A group's listeners and what they threw. Every event goes through one loop, {@link #tell}, which
 * calls each listener in the order added and keeps its exception in {@link #errors}; an event is an
 * enum constant, so it allocates nothing.
 *
 * <p>Thread-safe: the listeners are fixed when the group is built, and the errors are a concurrent
 * queue. Listeners are user code: they are called without the group's lock.
 */
final class Listeners {

  private static final GroupListener[] NONE = new GroupListener[0];

  private final Group group;
  private final GroupListener[] listeners;

  /** What the listeners threw, in the order thrown; handed to the {@link Exit}. */
  final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

  Listeners(Group group, List<GroupListener> listeners) {
    this.group = group;
    this.listeners = listeners.toArray(NONE);
  }

  /** Whether the group has no listener: then no event needs reporting before what it announces. */
  boolean isEmpty() {
    return listeners.length == 0;
  }

  void actorStarted(String actor, Thread thread) {
    tell(Event.ACTOR_STARTED, actor, thread);
  }

  void actorReturned(String actor, @Nullable Throwable error) {
    tell(Event.ACTOR_RETURNED, actor, error);
  }

  void actorReady(String actor) {
    tell(Event.ACTOR_READY, actor, null);
  }

  void groupReady() {
    tell(Event.GROUP_READY, null, null);
  }

  void actorRestarting(String actor, @Nullable Throwable error, int restart, Duration delay) {
    if (listeners.length != 0) {
      tell(Event.ACTOR_RESTARTING, actor, new Restarting(error, restart, delay));
    }
  }

  /** The arguments of {@link GroupListener#actorRestarting} but the actor. */
  private record Restarting(@Nullable Throwable error, int restart, Duration delay) {}

  void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
    tell(Event.GROUP_STOPPING, firstActor, cause);
  }

  void groupStopped(Exit exit) {
    tell(Event.GROUP_STOPPED, null, exit);
  }

  private enum Event {
    ACTOR_STARTED,
    ACTOR_READY,
    ACTOR_RESTARTING,
    ACTOR_RETURNED,
    GROUP_READY,
    GROUP_STOPPING,
    GROUP_STOPPED
  }

  /**
   * Calls every listener with {@code event}, in the order added, and keeps what each throws. {@code
   * actor} and {@code arg} are the arguments of the event's method, as the methods above pass them.
   */
  @SuppressWarnings("NullAway") // each event is given the arguments its method takes
  private void tell(Event event, @Nullable String actor, @Nullable Object arg) {
    for (GroupListener listener : listeners) {
      assert group.lockFree() : Group.NO_USER_CODE_UNDER_LOCK;
      try {
        switch (event) {
          case ACTOR_STARTED -> listener.actorStarted(actor, (Thread) arg);
          case ACTOR_READY -> listener.actorReady(actor);
          case ACTOR_RESTARTING -> {
            Restarting r = (Restarting) arg;
            listener.actorRestarting(actor, r.error(), r.restart(), r.delay());
          }
          case ACTOR_RETURNED -> listener.actorReturned(actor, (Throwable) arg);
          case GROUP_READY -> listener.groupReady();
          case GROUP_STOPPING -> listener.groupStopping(actor, (Throwable) arg);
          case GROUP_STOPPED -> listener.groupStopped((Exit) arg);
        }
      } catch (Throwable e) {
        errors.add(e);
      }
    }
  }
}
