package dev.rungroup.spring.state;

import dev.rungroup.ActorOptions;
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
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;

/**
 * The live state of each actor of the latest run, written from the group's events and read by the
 * health contributor, the {@code actors} endpoint, the meters and whoever else shows the group. The
 * group's auto-configuration declares one per context, as bean {@code runGroupActorStates}. As a
 * {@link RunGroupCustomizer} it is called once at the beginning of every run, and adds to that
 * run's group a listener of its own: events of an earlier run (an actor the stop timeout abandoned,
 * returning late) never mix into the current one.
 *
 * <p>Besides the states of 0.1 (an actor starting, running, stopping, returned, failed, not
 * started, not stopped in time), an actor with options can be {@linkplain ActorState#WAITING
 * waiting} for the actors it starts after, {@linkplain ActorState#RESTARTING restarting} in the
 * backoff of its restart policy, or {@linkplain ActorState#DONE done} (a one-shot actor that
 * returned normally while the group runs on); every actor says whether it is {@linkplain
 * ActorSnapshot#ready() ready}, and the run whether its group has become ready.
 *
 * <p>Thread-safe: events arrive on the actors' threads and on the group's thread, snapshots are
 * taken on request threads; each run's record is guarded by its own monitor, so that an event
 * recorded happens-before every snapshot taken after it. No user code runs under it.
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
  private final Function<String, ActorOptions> options;
  private final Function<String, @Nullable String> leaderOf;
  private volatile @Nullable RunRecord latest;

  /** Whether this replica holds each leadership now. */
  private final Map<String, Boolean> leading = new ConcurrentHashMap<>();

  /** How many times each leadership was gained or lost by this replica. */
  private final Map<String, AtomicLong> leadershipChanges = new ConcurrentHashMap<>();

  /**
   * The states of {@code group}'s actors, all taken for actors without options (no {@code after},
   * not one-shot, never restarted).
   *
   * @param group the context's group, for its actors' names and its state
   */
  public RunGroupActorStates(ActorGroup group) {
    this(group, name -> ActorOptions.defaults());
  }

  /**
   * The states of {@code group}'s actors, each run with the options {@code options} gives for it:
   * they tell which actors an actor waits for, whether its normal return makes it done, and whether
   * its return is followed by a restart.
   *
   * @param group the context's group, for its actors' names and its state
   * @param options the options of each actor, by name; called at the beginning of every run and for
   *     snapshots before the first one
   * @since 0.2
   */
  public RunGroupActorStates(ActorGroup group, Function<String, ActorOptions> options) {
    this(group, options, name -> null);
  }

  /**
   * The states of {@code group}'s actors, each run with the options {@code options} gives for it,
   * some of them leader actors: on standby while this replica does not hold their leadership.
   *
   * @param group the context's group, for its actors' names and its state
   * @param options the options of each actor, by name
   * @param leaderOf the leadership of each actor, by name, or {@code null} for an actor of every
   *     replica
   * @since 0.2
   */
  public RunGroupActorStates(
      ActorGroup group,
      Function<String, ActorOptions> options,
      Function<String, @Nullable String> leaderOf) {
    this.group = Objects.requireNonNull(group, "group");
    this.options = Objects.requireNonNull(options, "options");
    this.leaderOf = Objects.requireNonNull(leaderOf, "leaderOf");
  }

  /**
   * The leaderships of the actors, in actor order.
   *
   * @return their names; empty without leader actors
   * @since 0.2
   */
  public List<String> leaderships() {
    List<String> found = new ArrayList<>();
    for (String name : group.actorNames()) {
      String leader = leaderOf.apply(name);
      if (leader != null && !found.contains(leader)) {
        found.add(leader);
      }
    }
    return List.copyOf(found);
  }

  /**
   * Whether this replica holds {@code leader} now.
   *
   * @param leader a leadership's name
   * @return {@code true} while it does
   * @since 0.2
   */
  public boolean leads(String leader) {
    return Boolean.TRUE.equals(leading.get(leader));
  }

  /**
   * How many times this replica gained or lost {@code leader}.
   *
   * @param leader a leadership's name
   * @return the count since the context started
   * @since 0.2
   */
  public long leadershipChanges(String leader) {
    AtomicLong changes = leadershipChanges.get(leader);
    return changes == null ? 0 : changes.get();
  }

  /**
   * Records that this replica gained {@code leader}: its leader actors start next.
   *
   * @param leader the leadership's name
   * @since 0.2
   */
  public void leadershipGained(String leader) {
    leading.put(leader, true);
    leadershipChanges.computeIfAbsent(leader, l -> new AtomicLong()).incrementAndGet();
  }

  /**
   * Records that this replica no longer holds {@code leader}.
   *
   * @param leader the leadership's name
   * @param standby whether its actors go on standby (the leadership was lost while the group runs:
   *     they are being stopped, and each that returns is on standby); {@code false} when the
   *     leadership ends with the run, and the actors keep the state their return gave them
   * @since 0.2
   */
  public void leadershipLost(String leader, boolean standby) {
    Boolean was = leading.put(leader, false);
    if (Boolean.TRUE.equals(was)) {
      leadershipChanges.computeIfAbsent(leader, l -> new AtomicLong()).incrementAndGet();
    }
    RunRecord run = latest;
    if (standby && run != null) {
      run.standBy(leader);
    }
  }

  /**
   * A listener of the actor events of the groups that run leader actors (their start, readiness,
   * restarts and returns), recorded in the latest run; their group events are not the run's and are
   * left out.
   *
   * @return the listener
   * @since 0.2
   */
  public GroupListener leaderActorEvents() {
    return new GroupListener() {
      @Override
      public void actorStarted(String actor, Thread thread) {
        RunRecord run = latest;
        if (run != null) {
          run.actorStarted(actor, thread);
        }
      }

      @Override
      public void actorReady(String actor) {
        RunRecord run = latest;
        if (run != null) {
          run.actorReady(actor);
        }
      }

      @Override
      public void actorRestarting(
          String actor, @Nullable Throwable error, int restart, Duration delay) {
        RunRecord run = latest;
        if (run != null) {
          run.actorRestarting(actor, error, restart, delay);
        }
      }

      @Override
      public void actorReturned(String actor, @Nullable Throwable error) {
        RunRecord run = latest;
        if (run != null) {
          run.actorReturned(actor, error);
        }
      }
    };
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void customize(Group.Builder builder) {
    RunRecord run = new RunRecord(group.actorNames(), options, leaderOf, this::leads);
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
        actors.add(
            ActorSnapshot.unstarted(
                name, options.apply(name).dependencies(), leaderOf.apply(name)));
      }
      return new GroupSnapshot(Group.State.NEW, null, null, List.copyOf(actors), false);
    }
    GroupSnapshot snapshot = run.snapshot();
    if (snapshot.state() == Group.State.STOPPED && group.state() != Group.State.STOPPED) {
      // The run's groupStopped came, but its Exit is not published yet: whoever sees STOPPED must
      // find ActorGroup.exit(), so the group still counts as stopping.
      return new GroupSnapshot(
          Group.State.STOPPING,
          snapshot.firstActor(),
          snapshot.cause(),
          snapshot.actors(),
          snapshot.ready());
    }
    return snapshot;
  }

  /** Where one actor is, as the health details and the endpoint name it. */
  public enum ActorState {
    /** The group has not run yet. */
    NEW("new"),
    /**
     * The group runs; the actor waits for the actors it starts {@linkplain
     * dev.rungroup.spring.Actor#after() after} to be ready ({@link ActorSnapshot#waitingFor()}
     * names those that are not yet).
     */
    WAITING("waiting"),
    /** The group runs, but the actor's thread has not called {@code execute} yet. */
    STARTING("starting"),
    /** In {@code execute}. */
    RUNNING("running"),
    /**
     * An incarnation returned and the actor's restart policy restarts it: it waits out its backoff
     * ({@link ActorSnapshot#restarts()} counts the restarts so far, {@link ActorSnapshot#error()}
     * is what the incarnation failed with). Not ready until the next incarnation is.
     */
    RESTARTING("restarting"),
    /** A one-shot actor that returned normally while the group runs on: it counts as ready. */
    DONE("done"),
    /**
     * A leader actor while this replica does not hold its leadership: it runs on another replica,
     * or none; it counts as ready.
     *
     * @since 0.2
     */
    STANDBY("standby"),
    /** Still in {@code execute} while the group interrupts its actors. */
    STOPPING("stopping"),
    /** {@code execute} returned normally (for a one-shot actor: while the group stops). */
    RETURNED("returned"),
    /** {@code execute} threw. */
    FAILED("failed"),
    /** The group stopped before the actor started (its thread, or the actors it waits for). */
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
   * @param thread the name of its thread, once started
   * @param threadKind {@code "platform"} or {@code "virtual"}, once started
   * @param startTime when the {@code execute} of its latest incarnation began, once started
   * @param runningTime how long that {@code execute} ran, or has been running
   * @param error what {@code execute} threw (for an actor restarting: what its last incarnation
   *     failed with)
   * @param interruptError what its {@code interrupt} threw
   * @param firstToReturn whether its return stopped the group
   * @param ready whether it is ready: its current incarnation became ready and has not returned, or
   *     it is {@linkplain ActorState#DONE done}
   * @param restarts how many times its restart policy restarted it in this run
   * @param after the actors it starts after, as declared; empty for none
   * @param waitingFor while {@linkplain ActorState#WAITING waiting}: those of {@code after} that
   *     are not ready yet; else empty
   * @param timeToReady how long after the beginning of the run the actor first became ready, once
   *     it did in this run
   * @param leader the leadership of a leader actor, else {@code null}
   * @param leading for a leader actor: whether this replica holds its leadership now
   * @since 0.1
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
      boolean firstToReturn,
      boolean ready,
      int restarts,
      List<String> after,
      List<String> waitingFor,
      @Nullable Duration timeToReady,
      @Nullable String leader,
      boolean leading) {

    /**
     * One actor in a snapshot; the lists are copied.
     *
     * @param name the actor's name
     * @param state where it is
     * @param thread the name of its thread, once started
     * @param threadKind {@code "platform"} or {@code "virtual"}, once started
     * @param startTime when {@code execute} began, once started
     * @param runningTime how long {@code execute} ran, or has been running
     * @param error what {@code execute} threw
     * @param interruptError what its {@code interrupt} threw
     * @param firstToReturn whether its return stopped the group
     * @param ready whether it is ready
     * @param restarts how many times it was restarted
     * @param after the actors it starts after
     * @param waitingFor the actors of {@code after} it still waits for
     * @param timeToReady how long after the beginning of the run it first became ready
     * @param leader the leadership of a leader actor, else {@code null}
     * @param leading whether this replica holds that leadership
     * @since 0.2
     */
    public ActorSnapshot {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
      after = List.copyOf(after);
      waitingFor = List.copyOf(waitingFor);
    }

    /**
     * One actor of every replica in a snapshot; the lists are copied.
     *
     * @param name the actor's name
     * @param state where it is
     * @param thread the name of its thread, once started
     * @param threadKind {@code "platform"} or {@code "virtual"}, once started
     * @param startTime when {@code execute} began, once started
     * @param runningTime how long {@code execute} ran, or has been running
     * @param error what {@code execute} threw
     * @param interruptError what its {@code interrupt} threw
     * @param firstToReturn whether its return stopped the group
     * @param ready whether it is ready
     * @param restarts how many times it was restarted
     * @param after the actors it starts after
     * @param waitingFor the actors of {@code after} it still waits for
     * @param timeToReady how long after the beginning of the run it first became ready
     * @since 0.2
     */
    public ActorSnapshot(
        String name,
        ActorState state,
        @Nullable String thread,
        @Nullable String threadKind,
        @Nullable Instant startTime,
        @Nullable Duration runningTime,
        @Nullable Throwable error,
        @Nullable Throwable interruptError,
        boolean firstToReturn,
        boolean ready,
        int restarts,
        List<String> after,
        List<String> waitingFor,
        @Nullable Duration timeToReady) {
      this(
          name,
          state,
          thread,
          threadKind,
          startTime,
          runningTime,
          error,
          interruptError,
          firstToReturn,
          ready,
          restarts,
          after,
          waitingFor,
          timeToReady,
          null,
          false);
    }

    /**
     * One actor in a snapshot, as 0.1 described it: not ready, never restarted, without {@code
     * after}.
     *
     * @param name the actor's name
     * @param state where it is
     * @param thread the name of its thread, once started
     * @param threadKind {@code "platform"} or {@code "virtual"}, once started
     * @param startTime when {@code execute} began, once started
     * @param runningTime how long {@code execute} ran, or has been running
     * @param error what {@code execute} threw
     * @param interruptError what its {@code interrupt} threw
     * @param firstToReturn whether its return stopped the group
     */
    public ActorSnapshot(
        String name,
        ActorState state,
        @Nullable String thread,
        @Nullable String threadKind,
        @Nullable Instant startTime,
        @Nullable Duration runningTime,
        @Nullable Throwable error,
        @Nullable Throwable interruptError,
        boolean firstToReturn) {
      this(
          name,
          state,
          thread,
          threadKind,
          startTime,
          runningTime,
          error,
          interruptError,
          firstToReturn,
          false,
          0,
          List.of(),
          List.of(),
          null);
    }

    private static ActorSnapshot unstarted(
        String name, List<String> after, @Nullable String leader) {
      return new ActorSnapshot(
          name,
          ActorState.NEW,
          null,
          null,
          null,
          null,
          null,
          null,
          false,
          false,
          0,
          after,
          List.of(),
          null,
          leader,
          false);
    }

    /**
     * How {@code execute} ended.
     *
     * @return {@code "normal"} or {@code "failed"} once {@code execute} returned (a {@linkplain
     *     ActorState#DONE done} actor's is {@code "normal"}), else {@code null} (also while the
     *     actor is {@linkplain ActorState#RESTARTING restarting}: it runs again)
     */
    public @Nullable String outcome() {
      return switch (state) {
        case RETURNED, DONE -> "normal";
        case FAILED -> "failed";
        case NEW,
            STANDBY,
            WAITING,
            STARTING,
            RUNNING,
            RESTARTING,
            STOPPING,
            NOT_STARTED,
            NOT_STOPPED_IN_TIME ->
            null;
      };
    }
  }

  /**
   * The latest run in a snapshot.
   *
   * @param state the group's state
   * @param firstActor the actor whose return stopped the group, once it stops
   * @param cause the first actor's error or the stop cause
   * @param actors the actors, in order
   * @param ready whether the group has become ready in this run (every actor was ready at once,
   *     while it ran); latched: a later restart or the stop does not undo it
   * @since 0.1
   */
  public record GroupSnapshot(
      Group.State state,
      @Nullable String firstActor,
      @Nullable Throwable cause,
      List<ActorSnapshot> actors,
      boolean ready) {

    /**
     * The latest run in a snapshot; the list is copied.
     *
     * @param state the group's state
     * @param firstActor the actor whose return stopped the group, once it stops
     * @param cause the first actor's error or the stop cause
     * @param actors the actors, in order
     * @param ready whether the group has become ready in this run
     * @since 0.2
     */
    public GroupSnapshot {
      Objects.requireNonNull(state, "state");
      actors = List.copyOf(actors);
    }

    /**
     * The latest run in a snapshot, as 0.1 described it: not ready.
     *
     * @param state the group's state
     * @param firstActor the actor whose return stopped the group, once it stops
     * @param cause the first actor's error or the stop cause
     * @param actors the actors, in order
     */
    public GroupSnapshot(
        Group.State state,
        @Nullable String firstActor,
        @Nullable Throwable cause,
        List<ActorSnapshot> actors) {
      this(state, firstActor, cause, actors, false);
    }

    /**
     * Whether the group stops or stopped because its first actor to return failed.
     *
     * @return {@code true} if the first actor to return threw
     */
    public boolean actorFailed() {
      return firstActor != null && cause != null;
    }

    /**
     * The actor named {@code name}.
     *
     * @param name an actor's name
     * @return its snapshot, or {@code null} if the group has no actor of that name
     * @since 0.2
     */
    public @Nullable ActorSnapshot actor(String name) {
      for (ActorSnapshot actor : actors) {
        if (actor.name().equals(name)) {
          return actor;
        }
      }
      return null;
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
      final List<String> after;
      final boolean oneShot;
      final boolean restartsOnFailure;
      final boolean restartsOnNormalReturn;
      final @Nullable String leader;
      ActorState state;
      @Nullable String thread;
      @Nullable String threadKind;
      @Nullable Instant startTime;
      long startNanos;
      long returnNanos;
      @Nullable Throwable error;
      @Nullable Throwable interruptError;
      boolean returnFailed;
      boolean ready;
      boolean everReady;
      long readyNanos;
      int restarts;

      Entry(String name, ActorOptions options, @Nullable String leader) {
        this.name = name;
        this.after = List.copyOf(options.dependencies());
        this.oneShot = options.isOneShot();
        this.restartsOnFailure = options.restart().restartsOnFailure();
        this.restartsOnNormalReturn = options.restart().restartsOnNormalReturn();
        this.leader = leader;
        if (leader != null) {
          this.state = ActorState.STANDBY; // until this replica gains the leadership
          this.ready = true;
        } else {
          this.state = after.isEmpty() ? ActorState.STARTING : ActorState.WAITING;
        }
      }

      /** Whether a return with or without {@code error} is followed by a restart (or escalates). */
      boolean restartsAfter(@Nullable Throwable error) {
        return error == null ? restartsOnNormalReturn : restartsOnFailure;
      }

      /** Whether {@code execute} of the latest incarnation has returned. */
      boolean hasReturned() {
        return switch (state) {
          case RETURNED, FAILED, DONE, RESTARTING, STANDBY -> true;
          case NEW, WAITING, STARTING, RUNNING, STOPPING, NOT_STARTED, NOT_STOPPED_IN_TIME -> false;
        };
      }
    }

    private final long runStartNanos = System.nanoTime();
    private final Map<String, Entry> entries = new LinkedHashMap<>(); // guarded by this
    private Group.State state = Group.State.RUNNING; // guarded by this
    private @Nullable String firstActor; // guarded by this
    private @Nullable Throwable cause; // guarded by this
    private boolean ready; // guarded by this
    private final Predicate<String> leads;

    RunRecord(
        List<String> names,
        Function<String, ActorOptions> options,
        Function<String, @Nullable String> leaderOf,
        Predicate<String> leads) {
      this.leads = leads;
      for (String name : names) {
        entries.put(name, new Entry(name, options.apply(name), leaderOf.apply(name)));
      }
    }

    /** The actors of {@code leader} go on standby: those still running once they return. */
    synchronized void standBy(String leader) {
      if (state != Group.State.RUNNING) {
        return;
      }
      for (Entry entry : entries.values()) {
        if (!leader.equals(entry.leader)) {
          continue;
        }
        if (entry.state == ActorState.RUNNING) {
          entry.state = ActorState.STOPPING;
        } else if (entry.state != ActorState.STOPPING) {
          entry.state = ActorState.STANDBY;
          entry.ready = true;
        }
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
        entry.ready = false;
        entry.error = null; // a fresh incarnation: what the last one threw is in the log
        entry.interruptError = null;
        entry.returnFailed = false;
        switch (entry.state) {
          case WAITING, STARTING, RESTARTING, STANDBY ->
              entry.state = state == Group.State.RUNNING ? ActorState.RUNNING : ActorState.STOPPING;
          default -> {
            // a late event of an actor the record already placed: keep its state
          }
        }
      }
      if (logger.isDebugEnabled()) {
        logger.debug(
            "Actor '" + actor + "' started on " + kind + " thread '" + thread.getName() + "'");
      }
    }

    @Override
    public void actorReady(String actor) {
      synchronized (this) {
        Entry entry = entry(actor);
        if (entry.state == ActorState.RUNNING
            || entry.state == ActorState.STOPPING
            || entry.state == ActorState.DONE) {
          entry.ready = true;
          if (!entry.everReady) {
            entry.everReady = true;
            entry.readyNanos = System.nanoTime();
          }
        } // else a signal that came after its incarnation returned: it is not ready
      }
      if (logger.isDebugEnabled()) {
        logger.debug("Actor '" + actor + "' is ready");
      }
    }

    @Override
    public synchronized void groupReady() {
      ready = true;
    }

    @Override
    public void actorRestarting(
        String actor, @Nullable Throwable error, int restart, Duration delay) {
      synchronized (this) {
        Entry entry = entry(actor);
        entry.restarts = Math.max(entry.restarts, restart);
        entry.ready = false;
        if (error != null) {
          if (entry.returnFailed) {
            entry.error = error; // the failure, with what its interrupt threw as suppressed
          } else {
            entry.interruptError = error; // a normal return under always(): its interrupt threw
          }
        }
        // A leader's actor whose leadership was lost in the meantime stays on standby: the
        // restart announced before that is called off, and no event would end "restarting".
        if (state == Group.State.RUNNING
            && entry.hasReturned()
            && entry.state != ActorState.STANDBY) {
          entry.state = ActorState.RESTARTING;
        }
      }
    }

    @Override
    public void actorReturned(String actor, @Nullable Throwable error) {
      Duration ran;
      synchronized (this) {
        Entry entry = entry(actor);
        entry.returnNanos = System.nanoTime();
        entry.error = error;
        entry.returnFailed = error != null;
        entry.ready = false;
        String leader = entry.leader;
        if (state == Group.State.RUNNING && leader != null && !leads.test(leader)) {
          entry.state = ActorState.STANDBY; // stopped because the leadership was lost
          entry.ready = true;
        } else if (state == Group.State.RUNNING && entry.oneShot && error == null) {
          entry.state = ActorState.DONE;
          entry.ready = true; // a one-shot actor that returned normally counts as ready
          if (!entry.everReady) {
            entry.everReady = true;
            entry.readyNanos = entry.returnNanos;
          }
        } else if (state == Group.State.RUNNING && entry.restartsAfter(error)) {
          // Restarted next, unless its budget is spent: then the stop comes and says so.
          entry.state = ActorState.RESTARTING;
        } else {
          entry.state = error == null ? ActorState.RETURNED : ActorState.FAILED;
        }
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
        switch (entry.state) {
          case RUNNING -> entry.state = ActorState.STOPPING;
          case RESTARTING -> // its restart is called off (or its budget was spent)
              entry.state = entry.returnFailed ? ActorState.FAILED : ActorState.RETURNED;
          default -> {
            // waiting and starting actors never start; the others stay as they are
          }
        }
      }
    }

    @Override
    public synchronized void groupStopped(Exit exit) {
      state = Group.State.STOPPED;
      for (Exit.Outcome outcome : exit.actors()) {
        Entry entry = entry(outcome.name());
        entry.interruptError = outcome.interruptError();
        entry.restarts = Math.max(entry.restarts, outcome.restarts());
        if (!outcome.started()) {
          entry.state = ActorState.NOT_STARTED;
          entry.error = outcome.error(); // its thread could not be created
          entry.ready = false;
        } else if (!outcome.stopped()) {
          entry.state = ActorState.NOT_STOPPED_IN_TIME;
        }
      }
    }

    /**
     * The entry of an actor; one the names did not list (cannot happen) is added at the end,
     * without options (the options function is not called under the monitor).
     */
    private Entry entry(String name) {
      Entry entry = entries.get(name);
      if (entry == null) {
        entry = new Entry(name, ActorOptions.defaults(), null);
        entries.put(name, entry);
      }
      return entry;
    }

    synchronized GroupSnapshot snapshot() {
      long now = System.nanoTime();
      List<ActorSnapshot> actors = new ArrayList<>(entries.size());
      for (Entry entry : entries.values()) {
        Duration runningTime = null;
        if (entry.startTime != null) {
          long end = entry.hasReturned() ? entry.returnNanos : now;
          runningTime = Duration.ofNanos(end - entry.startNanos);
        }
        List<String> waitingFor = List.of();
        if (entry.state == ActorState.WAITING) {
          List<String> notReady = new ArrayList<>();
          for (String dependency : entry.after) {
            Entry other = entries.get(dependency);
            if (other == null || !other.ready) {
              notReady.add(dependency);
            }
          }
          waitingFor = notReady;
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
                entry.name.equals(firstActor),
                entry.ready,
                entry.restarts,
                entry.after,
                waitingFor,
                entry.everReady ? Duration.ofNanos(entry.readyNanos - runStartNanos) : null,
                entry.leader,
                entry.leader != null && leads.test(entry.leader)));
      }
      return new GroupSnapshot(state, firstActor, cause, actors, ready);
    }
  }
}
