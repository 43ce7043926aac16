package dev.rungroup.spring.state;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.RunGroupCustomizer;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;

/**
 * The live state of each actor of the latest run, written from the group's events and read by the
 * health contributor, the {@code actors} endpoint and whoever else shows the group. The group's
 * auto-configuration declares one per context, as bean {@code runGroupActorStates}. As a {@link
 * RunGroupCustomizer} it is called once at the beginning of every run, and adds to that run's group
 * a listener of its own: events of an earlier run (an actor the stop timeout abandoned, returning
 * late) never mix into the current one.
 *
 * <p>Thread-safe: events arrive on the actors' threads and on the group's thread, snapshots are
 * taken on request threads; each run's record is guarded by its own monitor, so that an event
 * recorded happens-before every snapshot taken after it.
 *
 * @since 0.1
 */
public final class RunGroupActorStates implements RunGroupCustomizer, Ordered {

  /**
   * Early among the customizers, so that its listener follows the group before the listeners that
   * other customizers add: what they observe, health and endpoint already show.
   */
  public static final int ORDER = 0;

  private static final Log logger = LogFactory.getLog(RunGroupActorStates.class);

  private static final @Nullable Method IS_VIRTUAL = isVirtualMethod();

  private final ActorGroup group;
  private volatile @Nullable RunRecord latest;

  /**
   * The states of {@code group}'s actors.
   *
   * @param group the context's group, for its actors' names and its state
   */
  public RunGroupActorStates(ActorGroup group) {
    this.group = group;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void customize(Group.Builder builder) {
    RunRecord run = new RunRecord(group.actorNames());
    latest = run;
    builder.listener(run);
  }

  /**
   * The latest run as it is now.
   *
   * @return a consistent snapshot; before the first run (and when there is no actor) a snapshot in
   *     state {@link Group.State#NEW} with every actor {@link ActorState#NEW}; in state {@link
   *     Group.State#STOPPED} only once {@link ActorGroup#state()} says so too (and so once {@link
   *     ActorGroup#exit()} has the run's outcome)
   */
  public GroupSnapshot snapshot() {
    RunRecord run = latest;
    if (run == null) {
      List<ActorSnapshot> actors = new ArrayList<>();
      for (String name : group.actorNames()) {
        actors.add(ActorSnapshot.unstarted(name, ActorState.NEW));
      }
      return new GroupSnapshot(Group.State.NEW, null, null, List.copyOf(actors));
    }
    GroupSnapshot snapshot = run.snapshot();
    if (snapshot.state() == Group.State.STOPPED && group.state() != Group.State.STOPPED) {
      // The run's groupStopped came, but its Exit is not published yet: whoever sees STOPPED must
      // find ActorGroup.exit(), so the group still counts as stopping.
      return new GroupSnapshot(
          Group.State.STOPPING, snapshot.firstActor(), snapshot.cause(), snapshot.actors());
    }
    return snapshot;
  }

  /** Where one actor is, as the health details and the endpoint name it. */
  public enum ActorState {
    /** The group has not run yet. */
    NEW("new"),
    /** The group runs, but the actor's thread has not called {@code execute} yet. */
    STARTING("starting"),
    /** In {@code execute}. */
    RUNNING("running"),
    /** Still in {@code execute} while the group interrupts its actors. */
    STOPPING("stopping"),
    /** {@code execute} returned normally. */
    RETURNED("returned"),
    /** {@code execute} threw. */
    FAILED("failed"),
    /** The group stopped before the actor's thread started. */
    NOT_STARTED("not-started"),
    /** Still in {@code execute} when the stop timeout and grace ran out: left running. */
    NOT_STOPPED_IN_TIME("not-stopped-in-time");

    private final String label;

    ActorState(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * One actor in a snapshot.
   *
   * @param name the actor's name
   * @param state where it is
   * @param startTime when its {@code execute} began, once started
   * @param thread the name of its thread, once started
   * @param threadKind {@code "platform"} or {@code "virtual"}, once started
   * @param runningTime how long {@code execute} ran, or has been running
   * @param error what {@code execute} threw
   * @param interruptError what its {@code interrupt} threw
   * @param firstToReturn whether its return stopped the group
   */
  public record ActorSnapshot(
      String name,
      ActorState state,
      @Nullable String thread,
      @Nullable String threadKind,
      @Nullable Instant startTime,
      @Nullable Duration runningTime,
      @Nullable Throwable error,
      @Nullable Throwable interruptError,
      boolean firstToReturn) {

    private static ActorSnapshot unstarted(String name, ActorState state) {
      return new ActorSnapshot(name, state, null, null, null, null, null, null, false);
    }

    /**
     * How {@code execute} ended.
     *
     * @return {@code "normal"} or {@code "failed"} once {@code execute} returned, else {@code null}
     */
    public @Nullable String outcome() {
      return switch (state) {
        case RETURNED -> "normal";
        case FAILED -> "failed";
        case NEW, STARTING, RUNNING, STOPPING, NOT_STARTED, NOT_STOPPED_IN_TIME -> null;
      };
    }
  }

  /**
   * The latest run in a snapshot.
   *
   * @param state the group's state
   * @param actors the actors, in order
   * @param firstActor the actor whose return stopped the group, once it stops
   * @param cause the first actor's error or the stop cause
   */
  public record GroupSnapshot(
      Group.State state,
      @Nullable String firstActor,
      @Nullable Throwable cause,
      List<ActorSnapshot> actors) {

    /**
     * Whether the group stops or stopped because its first actor to return failed.
     *
     * @return {@code true} if the first actor to return threw
     */
    public boolean actorFailed() {
      return firstActor != null && cause != null;
    }
  }

  /**
   * An exception as its type and message, as Spring's {@code Health.Builder} shows them.
   *
   * @param error the exception
   * @return {@code type} and, if it has one, {@code message}
   */
  public static Map<String, String> describe(Throwable error) {
    Map<String, String> description = new LinkedHashMap<>();
    description.put("type", error.getClass().getName());
    @Nullable String message = error.getMessage();
    if (message != null) {
      description.put("message", message);
    }
    return description;
  }

  /** {@code "virtual"} for a virtual thread (Java 21+), else {@code "platform"}. */
  static String threadKind(Thread thread) {
    Method isVirtual = IS_VIRTUAL;
    if (isVirtual != null) {
      try {
        if (Boolean.TRUE.equals(isVirtual.invoke(thread))) {
          return "virtual";
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        return "platform";
      }
    }
    return "platform";
  }

  private static @Nullable Method isVirtualMethod() {
    try {
      return Thread.class.getMethod("isVirtual"); // Java 21+
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The record of one run, fed by that run's events. */
  private static final class RunRecord implements GroupListener {

    /** One actor; guarded by the record's monitor. */
    private static final class Entry {
      final String name;
      ActorState state = ActorState.STARTING;
      @Nullable String thread;
      @Nullable String threadKind;
      @Nullable Instant startTime;
      long startNanos;
      long returnNanos;
      @Nullable Throwable error;
      @Nullable Throwable interruptError;

      Entry(String name) {
        this.name = name;
      }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>(); // guarded by this
    private Group.State state = Group.State.RUNNING; // guarded by this
    private @Nullable String firstActor; // guarded by this
    private @Nullable Throwable cause; // guarded by this

    RunRecord(List<String> names) {
      for (String name : names) {
        entries.put(name, new Entry(name));
      }
    }

    @Override
    public void actorStarted(String actor, Thread thread) {
      String kind = threadKind(thread);
      synchronized (this) {
        Entry entry = entry(actor);
        entry.thread = thread.getName();
        entry.threadKind = kind;
        entry.startTime = Instant.now();
        entry.startNanos = System.nanoTime();
        if (entry.state == ActorState.STARTING) {
          entry.state = state == Group.State.RUNNING ? ActorState.RUNNING : ActorState.STOPPING;
        }
      }
      if (logger.isDebugEnabled()) {
        logger.debug(
            "Actor '" + actor + "' started on " + kind + " thread '" + thread.getName() + "'");
      }
    }

    @Override
    public void actorReturned(String actor, @Nullable Throwable error) {
      Duration ran;
      synchronized (this) {
        Entry entry = entry(actor);
        entry.returnNanos = System.nanoTime();
        entry.error = error;
        entry.state = error == null ? ActorState.RETURNED : ActorState.FAILED;
        ran = Duration.ofNanos(entry.returnNanos - entry.startNanos);
      }
      if (logger.isDebugEnabled()) {
        logger.debug(
            "Actor '"
                + actor
                + "' "
                + (error == null ? "returned" : "failed with " + error)
                + " after "
                + ran);
      }
    }

    @Override
    public synchronized void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
      state = Group.State.STOPPING;
      this.firstActor = firstActor;
      this.cause = cause;
      for (Entry entry : entries.values()) {
        if (entry.state == ActorState.RUNNING) {
          entry.state = ActorState.STOPPING;
        }
      }
    }

    @Override
    public synchronized void groupStopped(Exit exit) {
      state = Group.State.STOPPED;
      for (Exit.Outcome outcome : exit.actors()) {
        Entry entry = entry(outcome.name());
        entry.interruptError = outcome.interruptError();
        if (!outcome.started()) {
          entry.state = ActorState.NOT_STARTED;
          entry.error = outcome.error(); // its thread could not be created
        } else if (!outcome.stopped()) {
          entry.state = ActorState.NOT_STOPPED_IN_TIME;
        }
      }
    }

    /** The entry of an actor; one the names did not list (cannot happen) is added at the end. */
    private Entry entry(String name) {
      return entries.computeIfAbsent(name, Entry::new);
    }

    synchronized GroupSnapshot snapshot() {
      long now = System.nanoTime();
      List<ActorSnapshot> actors = new ArrayList<>(entries.size());
      for (Entry entry : entries.values()) {
        Duration runningTime = null;
        if (entry.startTime != null) {
          long end =
              entry.state == ActorState.RETURNED || entry.state == ActorState.FAILED
                  ? entry.returnNanos
                  : now;
          runningTime = Duration.ofNanos(end - entry.startNanos);
        }
        actors.add(
            new ActorSnapshot(
                entry.name,
                entry.state,
                entry.thread,
                entry.threadKind,
                entry.startTime,
                runningTime,
                entry.error,
                entry.interruptError,
                entry.name.equals(firstActor)));
      }
      return new GroupSnapshot(state, firstActor, cause, List.copyOf(actors));
    }
  }
}
