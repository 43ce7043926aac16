package dev.rungroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A group of actors, run together: the first actor to return, normally or with an error, makes the
 * group interrupt every actor and wait for all of them. This is Go's {@code oklog/run} for Java,
 * with names, a bounded stop, captured failures and an outcome per actor.
 *
 * <pre>{@code
 * Group group = new Group();
 * CountDownLatch done = new CountDownLatch(1);
 * group.add("worker", () -> done.await(), cause -> done.countDown());
 * group.add("timer", Actors.timer(Duration.ofSeconds(3)));
 * Exit exit = group.run();              // returns after about three seconds
 * exit.firstActor();                    // Optional[timer]
 * exit.error();                         // null: the timer returned normally
 * }</pre>
 *
 * <h2>How a run goes</h2>
 *
 * <ol>
 *   <li>{@link #run()} starts every actor's {@link Interruptible#execute() execute} on a thread of
 *       its own, made by the group's {@link ThreadFactory}: by default a daemon platform thread
 *       named after the actor. An actor {@linkplain ActorOptions#after(String...) after} others
 *       waits on its thread until they are {@linkplain Readiness ready}.
 *   <li>It waits until the first actor returns, {@link #stop(Throwable)} is called, or the thread
 *       in {@code run()} is interrupted. The <em>cause</em> is that actor's exception ({@code null}
 *       for a normal return: actors are meant to be permanent, so a normal return stops the group
 *       too), the stop cause, or the {@link InterruptedException}.
 *   <li>It calls {@link Interruptible#interrupt(Throwable) interrupt(cause)} of every actor exactly
 *       once (of every incarnation, for a restarted actor), one after another, also of the actor
 *       that returned: in the order they were added, or, when actors declare {@code after}, each
 *       dependency only once its dependents have returned (see "The graph" below). In a group
 *       without {@code after} and without a stop timeout the interrupts run on the thread that
 *       called {@code run()}; with a stop timeout, on a stopper thread from the group's thread
 *       factory, so that {@code run()} can keep its deadline even if an interrupt blocks; with
 *       {@code after}, on such a stopper thread too (a virtual one for virtual actors: the ordered
 *       stop hands over from layer to layer, and a hand-off between virtual threads stays in their
 *       scheduler).
 *   <li>It waits until every actor's {@code execute} has returned (every incarnation's, for a
 *       restarted actor) and its thread has done its last step for the group, and returns an {@link
 *       Exit}. It does not join the threads: one may still be finishing its last instructions
 *       (returning from the group's code, ending) for a moment after {@code run()} returned.
 * </ol>
 *
 * <p>Every actor without {@code after} is started, also when the group begins to stop while {@code
 * run()} is still starting the others, as oklog/run starts every goroutine: so such an actor's
 * {@code execute} may begin after its {@code interrupt} was called, and must then return at once.
 * In exchange its interrupt may wait until its own {@code execute} has returned without risk of
 * waiting forever. An actor with {@code after} never starts if the stop comes first, but is still
 * interrupted: its interrupt must not wait for its own {@code execute}.
 *
 * <h2>The graph and supervision</h2>
 *
 * <p>{@link #add(String, Interruptible, ActorOptions)} and {@link #add(String, Supplier,
 * ActorOptions)} take {@link ActorOptions}: what an actor starts after, when it is ready, its
 * startup timeout, whether its normal return ends it alone (one-shot), and its {@link
 * RestartPolicy}. The group is {@linkplain #isReady() ready} once every actor is. The stop order is
 * fixed when {@code run()} begins: repeatedly the earliest-added actor among those not yet placed
 * whose dependents are all placed; each interrupt waits until the actors after it have returned,
 * until the stop timeout runs out. A restart runs a fresh incarnation on the same thread after its
 * backoff, within its budget; a failure over budget stops the group as in wave 1. An actor added
 * without options, or with {@link ActorOptions#defaults()}, runs as described above, at the same
 * cost.
 *
 * <h2>Stop timeout</h2>
 *
 * <p>By default the group waits as long as its actors take, as oklog/run does. With {@link
 * Builder#stopTimeout(Duration)}, once the timeout has run out after the stop began: the interrupts
 * not yet called are called at once, each on a thread of its own (the blocked one is left running
 * and reported by {@link Exit.Outcome#interruptCompleted()}); every thread still in {@code execute}
 * gets {@link Thread#interrupt()}; a grace follows ({@link Builder#stopGrace(Duration)}, one second
 * by default); then {@code run()} returns, with the actors still running marked as not {@linkplain
 * Exit.Outcome#stopped() stopped}.
 *
 * <p>The timeout counts from the moment the stop began, or, if it began while {@code run()} was
 * still starting the actors, from the moment it has started them all. From then on nothing but the
 * {@link GroupListener} callbacks called on the thread in {@code run()} ({@code groupStopping} and
 * {@code groupStopped}: user code, which must be quick) can hold {@code run()} longer than timeout
 * plus grace: not an actor, not an interrupt, not the stopper, not thread creation. The stopper's
 * thread is made before the timeout counts (a daemon thread of the group's own if the factory fails
 * to make it), and the interrupts called after the timeout ran out run on daemon platform threads
 * of the group's own, never asked of the factory. Only when no thread at all can be made (out of
 * memory) does the group call an interrupt on the thread in {@code run()}. A timeout or grace too
 * long to count in nanoseconds (about 292 years, such as {@code ChronoUnit.FOREVER.getDuration()})
 * is practically forever: the group's arithmetic saturates instead of failing, and {@link
 * #stopTimeout()} and {@link #stopGrace()} still return what was given.
 *
 * <h2>Failures</h2>
 *
 * <p>Nothing thrown is lost. An exception or {@link Error} thrown by {@code execute} is that
 * actor's {@linkplain Exit.Outcome#error() error}; one from {@code interrupt} is its {@linkplain
 * Exit.Outcome#interruptError() interrupt error} and does not keep the other interrupts from being
 * called; a failure to create or start an actor's thread is that actor's error and stops the group
 * (also a thread that the factory had started already: it is not the group's, so the group runs
 * nothing on it and does not wait for it, and says so in the error); a {@link GroupListener} that
 * throws is kept in {@link Exit#listenerErrors()}. {@code run()} itself throws only when misused.
 *
 * <h2>Lifecycle</h2>
 *
 * <p>A group runs once. Its {@linkplain #state() state} goes {@code NEW -> RUNNING -> STOPPING ->
 * STOPPED}, or straight from {@code NEW} to {@code STOPPED} if {@link #stop(Throwable)} comes
 * first: then {@code run()} returns at once without starting or interrupting any actor.
 *
 * <h2>Thread-safety and memory consistency</h2>
 *
 * <p>All methods are thread-safe. Actions in a thread before it adds an actor happen-before that
 * actor's {@code execute} starts. Actions of an actor before it became ready happen-before the
 * {@code execute} of the actors after it, and before {@link #awaitReady(Duration)} returns {@code
 * true}. Everything an actor's thread did for the group, {@code execute} and its listener events
 * included, happens-before {@code run()} returns, except for actors that the stop timeout
 * abandoned; what the thread does after that (a thread factory's wrapper code after the task, the
 * thread's own end) is not waited for. Actions before a call to {@code stop} happen-before the
 * interrupts that it causes.
 *
 * @since 0.1
 */
public final class Group {

  /**
   * Where a group is in its single run.
   *
   * @since 0.1
   */
  public enum State {
    /** Built; actors can be added. */
    NEW,
    /** {@link Group#run()} is starting or running the actors. */
    RUNNING,
    /** The group is interrupting its actors and waiting for them. */
    STOPPING,
    /** {@link Group#run()} has returned, or the group was stopped before it ran. */
    STOPPED
  }

  /** Why an assertion on {@link #lockFree()} failed. */
  static final String NO_USER_CODE_UNDER_LOCK = "no user code under the lock";

  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(1);

  private final @Nullable Duration stopTimeout;
  private final Duration stopGrace;
  private final @Nullable ThreadFactory threadFactory;

  /** Called without the lock, as all user code; read by the slots. */
  final Listeners listeners;

  /**
   * Guards the state machine: no user code under the lock (actors' execute and interrupt,
   * listeners, the thread factory and end actions are called with it released, which {@link
   * #lockFree()} asserts), so a callback may call back into the group from any thread.
   */
  final ReentrantLock lock = new ReentrantLock();

  /**
   * Signalled at every change of state, when the group becomes ready, and when the startup timer
   * has a new earliest deadline; awaited by run(), awaitReady, restart delays and the timer.
   */
  final Condition stateChanged = lock.newCondition();

  /**
   * Signalled when the last unfinished dependent of an actor finished while the stop waits for one
   * ({@link #awaitDependents}): one wake-up per actor the stop waits at, not one per dependent.
   */
  private final Condition dependentsFinished = lock.newCondition();

  /** How many threads wait in {@link #awaitDependents}. Guarded by lock. */
  private int dependentWaiters;

  private final CountDownLatch terminated = new CountDownLatch(1);
  private final EndActions endActions = new EndActions(lock);

  /** Written under {@link #lock}; read without it where a stale value is harmless. */
  private volatile State state = State.NEW;

  /** The actors not ready yet, once run() began; the one that makes it 0 latches {@link #ready}. */
  private final AtomicInteger unready = new AtomicInteger();

  /**
   * Counts down the actors whose thread has not ended its part yet; made by run() for its N actors
   * before it starts any. Each actor's thread counts it down as the last thing it does for the
   * group ({@link #actorEnded}), so run() waits for N returned actors, as Go's {@code Run} waits
   * for N results on a channel, not for N threads to die. The count-down publishes everything the
   * thread did before it (a latch's count-down happens-before an await that it ends).
   */
  private CountDownLatch unended = new CountDownLatch(0);

  /** Latched under {@link #lock}: the group has become ready while it ran. */
  private volatile boolean ready;

  // Guarded by lock.
  private final List<Slot> slots = new ArrayList<>();
  private @Nullable Map<String, Slot> names = new HashMap<>();
  private boolean runCalled;
  private @Nullable Throwable stopCause;
  private @Nullable Slot firstSlot;

  /** The actors added with options; {@code null} while there is none. Guarded by lock until run. */
  private @Nullable Graph graph;

  /** The startup timer, made by run() before any actor starts if an actor has a timeout. */
  private @Nullable StartupTimer timer;

  /**
   * The actors of the run under way, held here for {@link ActorContext}'s weak registry of running
   * groups: an abandoned actor's slot holds this group, so the entry stays while it runs.
   */
  @SuppressWarnings("unused")
  private Slot @Nullable [] running;

  /**
   * Creates a group with the defaults: no stop timeout (wait for every actor, as oklog/run does),
   * daemon platform threads named after the actors, no listener.
   */
  public Group() {
    this(new Builder());
  }

  private Group(Builder builder) {
    this.stopTimeout = builder.stopTimeout;
    this.stopGrace = builder.stopGrace;
    this.threadFactory = builder.threadFactory;
    this.listeners = new Listeners(this, builder.listeners);
  }

  /**
   * Starts a builder for a group with a stop timeout, a thread factory or listeners.
   *
   * @return a new builder with the defaults of {@link #Group()}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds an actor with a generated name ({@code actor-1}, {@code actor-2}, ... by position).
   *
   * @param actor the actor
   * @return this group
   * @throws NullPointerException if {@code actor} is {@code null}
   * @throws IllegalStateException if {@link #run()} was already called
   */
  public Group add(Interruptible actor) {
    Objects.requireNonNull(actor, "actor");
    return addSlot(null, actor);
  }

  /**
   * Adds a named actor.
   *
   * @param name the actor's name, unique within the group; it names the actor's thread, its outcome
   *     and its listener events
   * @param actor the actor
   * @return this group
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is blank or already taken in this group
   * @throws IllegalStateException if {@link #run()} was already called
   */
  public Group add(String name, Interruptible actor) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(actor, "actor");
    return addSlot(name, actor);
  }

  /**
   * Adds an actor written as two lambdas, with a generated name.
   *
   * @param execute the work; must return once {@code interrupt} was called
   * @param interrupt makes {@code execute} return; called exactly once per run
   * @return this group
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalStateException if {@link #run()} was already called
   * @see #add(Interruptible)
   */
  public Group add(Interruptible.Execute execute, Interruptible.Interrupt interrupt) {
    return add(Interruptible.of(execute, interrupt));
  }

  /**
   * Adds a named actor written as two lambdas.
   *
   * @param name the actor's name, unique within the group
   * @param execute the work; must return once {@code interrupt} was called
   * @param interrupt makes {@code execute} return; called exactly once per run
   * @return this group
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is blank or already taken in this group
   * @throws IllegalStateException if {@link #run()} was already called
   * @see #add(String, Interruptible)
   */
  public Group add(String name, Interruptible.Execute execute, Interruptible.Interrupt interrupt) {
    Objects.requireNonNull(name, "name");
    return add(name, Interruptible.of(execute, interrupt));
  }

  /**
   * Adds a named actor with options: what it starts after, when it is ready, its startup timeout,
   * whether it is one-shot. An actor added with {@link ActorOptions#defaults()} runs exactly as one
   * added with {@link #add(String, Interruptible)}.
   *
   * <p>This form runs one instance, so its restart policy must be {@link RestartPolicy#never()};
   * for a supervised actor use {@link #add(String, Supplier, ActorOptions)}. An actor that starts
   * after others and never started when the group stops is still interrupted, exactly once.
   *
   * @param name the actor's name, unique within the group
   * @param actor the actor
   * @param options how the group runs it
   * @return this group
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is blank or taken, or the options do not fit
   *     this actor (an {@code after} name that is not of an actor added before it, a restart policy
   *     other than {@code never()}, {@code oneShot()} with {@code always()}, a duration or count
   *     out of range); the message names the actor
   * @throws IllegalStateException if {@link #run()} was already called
   * @since 0.2
   */
  public Group add(String name, Interruptible actor, ActorOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(options, "options");
    return addSlot(name, actor, null, options);
  }

  /**
   * Adds a named actor made by {@code actor}: each incarnation, the first run and every restart, is
   * a fresh {@code actor.get()}, called on the actor's own thread when it starts (not at {@code
   * add}). An actor that never started (the group stopped before its dependencies were ready) has
   * no incarnation: nothing is got from the supplier and nothing is interrupted. A supplier that
   * throws or returns {@code null} fails that incarnation, as an {@code execute} that throws.
   *
   * @param name the actor's name, unique within the group
   * @param actor makes each incarnation
   * @param options how the group runs it, its restart policy included
   * @return this group
   * @throws NullPointerException if an argument is {@code null}
   * @throws IllegalArgumentException if {@code name} is blank or taken, or the options do not fit
   *     this actor (an {@code after} name that is not of an actor added before it, {@code
   *     oneShot()} with {@code always()}, a duration or count out of range); the message names the
   *     actor
   * @throws IllegalStateException if {@link #run()} was already called
   * @since 0.2
   */
  public Group add(String name, Supplier<? extends Interruptible> actor, ActorOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(options, "options");
    return addSlot(name, null, actor, options);
  }

  private Group addSlot(@Nullable String name, Interruptible actor) {
    return addSlot(name, actor, null, ActorOptions.defaults());
  }

  private Group addSlot(
      @Nullable String name,
      @Nullable Interruptible actor,
      @Nullable Supplier<? extends Interruptible> supplier,
      ActorOptions options) {
    if (name != null && name.isBlank()) {
      throw new IllegalArgumentException("actor name must not be blank: '" + name + "'");
    }
    boolean plain = supplier == null && options.isPlain();
    if (name != null) {
      options.check(name, supplier != null);
    }
    lock.lock();
    try {
      Map<String, Slot> taken = names;
      if (runCalled || taken == null) {
        throw new IllegalStateException(
            "cannot add actor " + (name == null ? "" : "'" + name + "' ") + "after run() began");
      }
      String actorName = name;
      if (actorName == null) {
        actorName = "actor-" + (slots.size() + 1);
        for (int suffix = 2; taken.containsKey(actorName); suffix++) {
          actorName = "actor-" + (slots.size() + 1) + "-" + suffix;
        }
      } else if (taken.containsKey(actorName)) {
        throw new IllegalArgumentException(
            "actor name '" + actorName + "' is already taken in this group");
      }
      Slot slot;
      if (plain && actor != null) {
        slot = new Slot(this, actorName, actor);
      } else {
        Slot[] dependencies = dependencies(actorName, options, taken);
        ManagedSlot managed =
            new ManagedSlot(this, actorName, slots.size(), actor, supplier, options, dependencies);
        for (Slot dependency : dependencies) {
          dependency.addDependent(managed);
        }
        Graph g = graph;
        if (g == null) {
          g = new Graph();
          graph = g;
        }
        g.add(managed);
        slot = managed;
      }
      taken.put(actorName, slot);
      slots.add(slot);
      return this;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: the actors {@code actor} starts after, each once, all added before it. */
  private static Slot[] dependencies(String actor, ActorOptions options, Map<String, Slot> taken) {
    Set<Slot> found = new LinkedHashSet<>();
    for (String dependency : options.dependencies()) {
      Slot slot = taken.get(dependency);
      if (slot == null) {
        throw new IllegalArgumentException(
            "actor '"
                + actor
                + "': after("
                + (dependency.equals(actor) ? "itself" : "'" + dependency + "'")
                + ") names no actor added before it (added so far: "
                + taken.keySet()
                + "); an actor starts only after actors added earlier, so that the graph has no"
                + " cycle");
      }
      found.add(slot);
    }
    return found.toArray(new Slot[0]);
  }

  /**
   * Runs the group: starts every actor (those with {@code after} once their dependencies are
   * ready), waits for the first to return, interrupts all of them in the stop order and waits for
   * them (within the stop timeout and grace, if set). See the class documentation for the whole
   * contract.
   *
   * <p>With no actors, returns at once with an empty {@link Exit}. If {@link #stop(Throwable)} came
   * first, returns at once without starting or interrupting any actor. If the calling thread is
   * interrupted while the actors run, the group stops with the {@link InterruptedException} as
   * cause, and {@code run()} returns with the thread's interrupt flag set; an interrupt while the
   * group is already stopping does not shorten the wait.
   *
   * @return why the group stopped and how every actor ended
   * @throws IllegalStateException if {@code run()} was already called on this group
   */
  public Exit run() {
    Slot[] actors;
    boolean stoppedBeforeRun;
    lock.lock();
    try {
      if (runCalled) {
        throw new IllegalStateException("run() was already called: a Group runs once");
      }
      runCalled = true;
      names = null;
      actors = slots.toArray(new Slot[0]);
      stoppedBeforeRun = state == State.STOPPED;
      if (!stoppedBeforeRun) {
        state = actors.length == 0 ? State.STOPPING : State.RUNNING;
        unready.set(actors.length);
        unended = new CountDownLatch(actors.length); // published to the actors by their start
      }
    } finally {
      lock.unlock();
    }
    Exit exit = null;
    boolean registered = false;
    try {
      Exit.Outcome[] outcomes = new Exit.Outcome[actors.length];
      if (stoppedBeforeRun || actors.length == 0) {
        exit = finish(actors, outcomes, true);
        return exit;
      }
      Graph g = graph;
      Slot[] order = g == null ? actors : g.stopOrder(actors);
      running = actors;
      ActorContext.running(actors);
      registered = true;
      Thread timerThread = g != null && g.hasTimeouts() ? startTimer() : null;
      startAll(actors);
      // The stop runs on a stopper thread with a stop timeout (run() keeps its deadline) and in a
      // graph: there each interrupt waits for the actors after it, layer after layer, and a
      // thread from the group's factory (a virtual one for virtual actors) takes those hand-offs
      // in the scheduler, not through the kernel. Made now, not once the stop began: the factory
      // is user code and may block.
      BoundedStop bounded =
          stopTimeout == null && (g == null || !g.hasEdges())
              ? null
              : BoundedStop.prepare(this, order);
      boolean interrupted = awaitStopRequest();
      interrupted |= stopAll(actors, order, outcomes, bounded);
      if (timerThread != null) {
        // It ends at the stop, once an interrupt it called returned: waited for like the stop's
        // interrupts (until the stop timeout's deadline, if any), and only then are the outcomes
        // taken, so that an interrupt it called counts as completed.
        long until =
            bounded == null ? System.nanoTime() + Long.MAX_VALUE : bounded.deadline(); // wraps
        interrupted |= Threads.joinUntil(timerThread, until);
        Arrays.fill(outcomes, null);
      }
      exit = finish(actors, outcomes, false);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return exit;
    } finally {
      if (registered && exit != null && exit.allStopped()) {
        ActorContext.ended(actors);
      }
      terminated.countDown();
      endActions.end();
    }
  }

  /** Starts the startup timer's thread, one of the group's own; {@code null} if none can be. */
  private @Nullable Thread startTimer() {
    StartupTimer t = new StartupTimer(this);
    Thread thread = Threads.own(t, StartupTimer.THREAD_NAME);
    if (thread == null) {
      return null;
    }
    lock.lock();
    try {
      timer = t;
    } finally {
      lock.unlock();
    }
    return Threads.start(thread) ? thread : null;
  }

  /**
   * Whether the group has become ready: every actor was ready at one moment while it ran (an actor
   * without options once its {@code execute} began; a one-shot actor once it returned normally).
   * Latched: a later restart does not undo it, nor does the stop. A group of zero actors never
   * becomes ready.
   *
   * @return {@code true} once the group has become ready
   * @since 0.2
   */
  public boolean isReady() {
    return ready;
  }

  /**
   * Waits until the group has become ready.
   *
   * @param timeout how long to wait at most; zero or negative: do not wait
   * @return {@code true} once the group has become ready (also if it stopped since); {@code false}
   *     on timeout, or when it began to stop without having become ready
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws NullPointerException if {@code timeout} is {@code null}
   * @since 0.2
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long nanos = timeout.isNegative() ? 0 : BoundedStop.saturatedNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (!ready && (state == State.NEW || state == State.RUNNING)) {
        if (nanos <= 0) {
          return false;
        }
        nanos = stateChanged.awaitNanos(nanos);
      }
      return ready;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the group without a cause, as if an actor had returned normally. See {@link
   * #stop(Throwable)}.
   */
  public void stop() {
    stop(null);
  }

  /**
   * Stops the group as if an actor had returned with {@code cause}: every actor is interrupted with
   * it and it becomes the {@link Exit#error()} (unless an actor returned first). Does not block;
   * callable from any thread, also from an actor or a listener. Idempotent and sticky: the first
   * stop wins, and a stop before {@link #run()} makes {@code run()} return at once without starting
   * or interrupting any actor.
   *
   * @param cause why the group stops, or {@code null}
   */
  public void stop(@Nullable Throwable cause) {
    requestStop(null, cause);
  }

  /**
   * The stop timeout this group was built with.
   *
   * @return the timeout; empty if the group waits for its actors without bound
   * @see Builder#stopTimeout(Duration)
   */
  public Optional<Duration> stopTimeout() {
    return Optional.ofNullable(stopTimeout);
  }

  /**
   * The grace this group gives its actors after the stop timeout ran out.
   *
   * @return the grace; one second unless set
   * @see Builder#stopGrace(Duration)
   */
  public Duration stopGrace() {
    return stopGrace;
  }

  /**
   * Where the group is in its run.
   *
   * @return the current state; it may change right after this returns
   */
  public State state() {
    return state;
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "Group[" + state + ", " + slots.size() + " actors]";
    } finally {
      lock.unlock();
    }
  }

  /** Waits until {@link #run()} has returned; for actors that must outlive the stop. */
  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  /**
   * Whether {@link #run()} was called and has not returned yet: actors, interrupts or listeners of
   * this group may still be running.
   */
  boolean inRun() {
    lock.lock();
    try {
      return runCalled && terminated.getCount() != 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The stop timeout plus grace in nanoseconds, saturated at {@link Long#MAX_VALUE} (practically
   * forever), which it also is when the group has no stop timeout.
   */
  long stopBoundNanos() {
    Duration timeout = stopTimeout;
    return timeout == null ? Long.MAX_VALUE : BoundedStop.boundNanos(timeout, stopGrace);
  }

  /**
   * Runs {@code action} once the group has ended: when {@link #run()} is about to return, or when
   * the group is stopped before it ran; at once if it has ended already. See {@link EndActions}.
   */
  void whenEnded(Runnable action) {
    endActions.add(action);
  }

  /** Whether the calling thread does not hold the group's lock: it may call user code. */
  boolean lockFree() {
    return !lock.isHeldByCurrentThread();
  }

  /** A thread for {@code task} from the factory (user code), named {@code name} if unnamed. */
  Thread newThread(Runnable task, String name) {
    assert lockFree() : NO_USER_CODE_UNDER_LOCK;
    return Threads.named(threadFactory, task, name);
  }

  // ---------------------------------------------------------------------------------------------
  // The state machine. Transitions happen under `lock`; no user code runs while it is held.

  /** Moves NEW -> STOPPED or RUNNING -> STOPPING; later stops are ignored. */
  private void requestStop(@Nullable Slot first, @Nullable Throwable cause) {
    boolean endedBeforeRun = false;
    lock.lock();
    try {
      State s = state;
      switch (s) {
        case NEW -> {
          if (first == null) {
            state = State.STOPPED;
            stopCause = cause;
            endedBeforeRun = true;
          }
        }
        case RUNNING -> {
          state = State.STOPPING;
          stopCause = cause;
          firstSlot = first;
          stateChanged.signalAll();
        }
        case STOPPING, STOPPED -> {
          // the first stop wins
        }
        default -> throw new AssertionError("unexpected state: " + s);
      }
    } finally {
      lock.unlock();
    }
    if (endedBeforeRun) {
      endActions.end();
    }
  }

  private void startAll(Slot[] actors) {
    // Every actor's thread is made here, on run()'s thread (the factory is user code), and started,
    // also once the group began to stop (oklog/run starts every goroutine too): an interrupt may
    // then come before its execute, which must return at once; an actor without `after` then
    // executes, so its interrupt may wait for its own execute. One with `after` is started once
    // its dependencies are ready (by whoever made the last one ready) or at the stop, and never
    // executes once the stop began: started earlier, its thread would only park.
    ThreadFactory factory = threadFactory;
    // The threads of actors with `after` are placed under the lock in batches, one lock for
    // PLACE_BATCH of them, so that this loop takes the lock from the actors it started rarely.
    ManagedSlot[] batch = null;
    Thread[] batchThreads = null;
    int k = 0;
    for (Slot slot : actors) {
      Thread thread;
      try {
        assert lockFree() : NO_USER_CODE_UNDER_LOCK;
        // A factory's unnamed thread is named by the slot itself, as it begins.
        thread = Threads.create(factory, slot, slot.name);
      } catch (Throwable e) { // OutOfMemoryError included
        startFailed(slot, e);
        continue;
      }
      if (slot instanceof ManagedSlot m && m.dependencies.length > 0) {
        if (batch == null || batchThreads == null) {
          batch = new ManagedSlot[PLACE_BATCH];
          batchThreads = new Thread[PLACE_BATCH];
        }
        batch[k] = m;
        batchThreads[k++] = thread;
        if (k == PLACE_BATCH) {
          place(batch, batchThreads, k);
          k = 0;
        }
      } else {
        slot.thread = thread;
        launch(slot, thread);
      }
    }
    if (batch != null && batchThreads != null) {
      place(batch, batchThreads, k);
    }
  }

  /** How many threads of actors with {@code after} the start loop places under one lock. */
  private static final int PLACE_BATCH = 32;

  /**
   * Places the first {@code k} threads made for actors with {@code after} under one lock (see
   * {@link ManagedSlot#placeLocked}) and starts, lock released, those to be started now.
   */
  private void place(ManagedSlot[] slots, Thread[] threads, int k) {
    int now = 0; // the first `now` entries are then those to start: the others start later
    lock.lock();
    try {
      for (int i = 0; i < k; i++) {
        if (slots[i].placeLocked(threads[i])) {
          slots[now] = slots[i];
          threads[now++] = threads[i];
        }
      }
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < now; i++) {
      launch(slots[i], threads[i]);
    }
  }

  /** Starts an actor's thread, lock released; if it cannot be, the actor failed to start. */
  void launch(Slot slot, Thread thread) {
    try {
      assert lockFree() : NO_USER_CODE_UNDER_LOCK; // a factory's Thread may override start()
      thread.start();
    } catch (Throwable e) { // OutOfMemoryError "unable to create native thread" included
      startFailed(slot, e);
      return;
    }
    if (slot instanceof ManagedSlot m) {
      m.startReturned();
    }
  }

  /**
   * An actor's thread could not be made or started: it never runs, it failed with {@code e}, and
   * the group stops. Called by the start loop, or by the thread that made an actor's last
   * dependency ready; lock released.
   */
  private void startFailed(Slot slot, Throwable e) {
    if (slot instanceof ManagedSlot m) {
      lock.lock();
      try {
        m.thread = null;
        m.startError = e;
        dependentFinishedLocked(m.dependencies); // it never runs: nothing to wait for
      } finally {
        lock.unlock();
      }
      m.startReturned();
    } else {
      slot.thread = null;
      slot.startError = e;
    }
    actorEnded(slot); // it never runs
    requestStop(slot, e);
  }

  /** Waits while RUNNING; returns whether the calling thread was interrupted. */
  private boolean awaitStopRequest() {
    lock.lock();
    try {
      while (state == State.RUNNING) {
        try {
          stateChanged.await();
        } catch (InterruptedException e) {
          state = State.STOPPING;
          stopCause = e;
          firstSlot = null;
          stateChanged.signalAll();
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Interrupts every actor and waits until they all ended; returns whether the calling thread was
   * interrupted meanwhile (the flag is cleared while interrupts run, and restored by run()). A flat
   * group without a stop timeout is interrupted on this thread, in add order, and takes the
   * outcomes here; otherwise {@code bounded} runs the stop on its stopper thread, and {@link
   * #finish} takes the outcomes.
   */
  private boolean stopAll(
      Slot[] actors, Slot[] order, Exit.Outcome[] outcomes, @Nullable BoundedStop bounded) {
    long stopBegan = System.nanoTime();
    @Nullable Throwable cause;
    @Nullable Slot first;
    lock.lock();
    try {
      cause = stopCause;
      first = firstSlot;
    } finally {
      lock.unlock();
    }
    boolean interrupted = Thread.interrupted();
    releaseWaiting();
    listeners.groupStopping(first == null ? null : first.name, cause);
    if (bounded == null) { // no actor starts after another: nothing to wait for between them
      for (Slot slot : order) {
        slot.callInterrupt(cause);
      }
      interrupted |= Thread.interrupted();
      interrupted |= awaitEnded(actors, false, 0);
      for (int i = 0; i < actors.length; i++) {
        outcomes[i] = actors[i].outcome();
      }
      return interrupted;
    }
    return bounded.stop(cause, stopBegan, stopTimeout, stopGrace) || interrupted;
  }

  /**
   * Moves to STOPPED and reports; takes the outcomes not taken yet (the null entries of {@code
   * outcomes}). {@code announce}: groupStopping was not called yet.
   */
  private Exit finish(Slot[] actors, Exit.Outcome[] outcomes, boolean announce) {
    for (int i = 0; i < actors.length; i++) {
      if (outcomes[i] == null) {
        outcomes[i] = actors[i].outcome();
      }
    }
    @Nullable Throwable cause;
    @Nullable String first;
    lock.lock();
    try {
      cause = stopCause;
      first = firstSlot == null ? null : firstSlot.name;
      state = State.STOPPED;
      stateChanged.signalAll();
    } finally {
      lock.unlock();
    }
    if (announce) {
      listeners.groupStopping(first, cause);
    }
    Exit exit = new Exit(cause, first, Arrays.asList(outcomes), listeners.errors);
    listeners.groupStopped(exit);
    return exit;
  }

  /**
   * Called once per actor, as the last thing its thread does for the group (or by the start loop
   * for an actor whose thread could not be started): counts it down, so the last one ends the wait
   * in {@link #awaitEnded}. Lock-free.
   */
  void actorEnded(Slot slot) {
    if (slot.markEnded()) {
      unended.countDown();
    }
  }

  /**
   * Waits until every actor has ended its part ({@link #actorEnded}), until {@code deadline} (a
   * {@link System#nanoTime()}) if {@code bounded}; returns whether the calling thread was
   * interrupted meanwhile (it waits on, as a join does). Everything the actors' threads did before
   * they ended happens-before its return when they all have. An actor whose thread died without
   * ending (a factory's thread that never ran it) is not waited for: every {@value #RECHECK_MILLIS}
   * ms without the count reaching 0, the wait looks whether any actor still runs.
   */
  boolean awaitEnded(Slot[] actors, boolean bounded, long deadline) {
    CountDownLatch latch = unended;
    boolean interrupted = false;
    int scan = 0;
    while (latch.getCount() > 0) {
      long wait = recheckWait(bounded, deadline);
      if (wait <= 0) {
        break;
      }
      try {
        if (latch.await(wait, TimeUnit.NANOSECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
        continue;
      }
      // Not ended in time: look for an actor still running, from where the last look stopped
      // (the actors before it have ended), so that all the looks together are linear.
      while (scan < actors.length && !actors[scan].running()) {
        scan++;
      }
      if (scan == actors.length) {
        break;
      }
    }
    return interrupted;
  }

  /** Whether no actor still runs: every one has ended, or its thread died without ending. */
  boolean allEnded(Slot[] actors) {
    if (unended.getCount() == 0) {
      return true;
    }
    for (Slot slot : actors) {
      if (slot.running()) {
        return false;
      }
    }
    return true;
  }

  /** Under the lock: an actor that starts after {@code dependencies} finished. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // under the lock
  void dependentFinishedLocked(Slot[] dependencies) {
    boolean last = false;
    for (Slot d : dependencies) {
      Slot.Dependents of = d.dependents;
      last |= of != null && --of.unfinished == 0;
    }
    if (last && dependentWaiters > 0) {
      dependentsFinished.signalAll();
    }
  }

  /**
   * Waits until every actor that starts after {@code slot} finished (the stop then interrupts
   * {@code slot}), until {@code deadline} (a {@link System#nanoTime()}) if {@code bounded}; returns
   * whether the calling thread was interrupted meanwhile (it waits on, as a join does). A dependent
   * whose thread ended without running it (a factory's thread started already) counts as finished:
   * such a thread is not signalled, so while any dependent's thread has not begun to run it (or
   * with a deadline), the wait looks again every {@value #RECHECK_MILLIS} ms; else it waits untimed
   * for the signal of the last dependent to finish.
   */
  boolean awaitDependents(Slot slot, boolean bounded, long deadline) {
    Slot.Dependents of = slot.dependents;
    if (of == null) {
      return false;
    }
    if (of.unfinished == 0) { // they all finished: it only counts down, so no lock is needed
      return false;
    }
    ManagedSlot[] after = of.slots();
    boolean interrupted = false;
    lock.lock();
    try {
      dependentWaiters++;
      try {
        while (of.unfinished > 0 && anyAlive(after)) {
          if (!bounded && allSignalEndLocked(after)) {
            // Each will signal as it finishes: an untimed wait, which costs a virtual thread no
            // timer (a timed park of one schedules a task on the JDK's timer thread, a kernel
            // wake-up per layer of the stop).
            try {
              dependentsFinished.await();
            } catch (InterruptedException e) {
              interrupted = true;
            }
            continue;
          }
          long wait = recheckWait(bounded, deadline);
          if (wait <= 0) {
            break;
          }
          try {
            dependentsFinished.awaitNanos(wait);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        dependentWaiters--;
      }
    } finally {
      lock.unlock();
    }
    return interrupted;
  }

  static final long RECHECK_MILLIS = 50;

  /**
   * How long a wait that looks again every {@value #RECHECK_MILLIS} ms parks next: that, or what is
   * left until {@code deadline} if {@code bounded}; 0 or less once the deadline has passed.
   */
  private static long recheckWait(boolean bounded, long deadline) {
    long wait = TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS);
    return bounded ? Math.min(wait, deadline - System.nanoTime()) : wait;
  }

  /** Under the lock: whether every one of {@code slots} finished or will signal as it does. */
  private static boolean allSignalEndLocked(ManagedSlot[] slots) {
    for (ManagedSlot s : slots) {
      if (!s.signalsEndLocked()) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyAlive(ManagedSlot[] slots) {
    for (ManagedSlot s : slots) {
      Thread t = s.thread;
      if (t != null && s.live(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The actors that wait for their dependencies never execute: their threads are started (or
   * unparked), so that each ends its part.
   */
  private void releaseWaiting() {
    Graph g = graph;
    if (g == null) {
      return;
    }
    ManagedSlot[] waiting;
    lock.lock();
    try {
      waiting = g.stopReleaseLocked();
    } finally {
      lock.unlock();
    }
    release(waiting);
  }

  /** Starts the threads of the actors given (claimed under the lock), skipping {@code null}s. */
  static void release(ManagedSlot @Nullable [] slots) {
    if (slots != null) {
      for (ManagedSlot s : slots) {
        if (s != null) {
          s.release();
        }
      }
    }
  }

  /** Called on a plain actor's thread as its execute begins: it is ready. */
  void plainReady(Slot slot) {
    listeners.actorReady(slot.name);
    if (slot.dependents() != null) {
      ManagedSlot[] wake;
      lock.lock();
      try {
        wake = dependencyReadyLocked(slot);
      } finally {
        lock.unlock();
      }
      release(wake);
    }
    if (unready.decrementAndGet() == 0) {
      latchReady();
    }
  }

  /**
   * Under the lock: {@code slot} became ready; its dependents whose threads the caller is to start
   * (see {@link ManagedSlot#releaseLocked}), lock released, with {@link #release}.
   */
  ManagedSlot @Nullable [] dependencyReadyLocked(Slot slot) {
    ManagedSlot[] after = slot.dependents();
    if (after == null) {
      return null;
    }
    ManagedSlot[] wake = null;
    int k = 0;
    for (ManagedSlot dependent : after) {
      if (dependent.releaseLocked()) {
        if (wake == null) {
          wake = new ManagedSlot[after.length];
        }
        wake[k++] = dependent;
      }
    }
    return wake;
  }

  /**
   * One more actor is ready; whether it was the last (then call {@link #latchReady()}). Once the
   * group has become ready (latched) the count no longer matters: a restart counts nothing.
   */
  boolean countReadyLocked() {
    return !ready && unready.decrementAndGet() == 0;
  }

  /** A ready actor is restarting: not ready until its next incarnation is. */
  void countUnreadyLocked() {
    if (!ready) {
      unready.incrementAndGet();
    }
  }

  /** Every actor is ready: the group becomes ready, once, if it still runs. Lock released. */
  void latchReady() {
    if (ready) {
      return; // it became ready once (a restarted actor ready again): it stays so
    }
    boolean first;
    lock.lock();
    try {
      first = state == State.RUNNING && !ready;
      if (first) {
        ready = true;
        stateChanged.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (first) {
      listeners.groupReady();
    }
  }

  /** Under the lock: why the group stops, once it does. */
  @Nullable Throwable stopCauseLocked() {
    return stopCause;
  }

  /** Under the lock: {@code inc} must be ready within {@code timeout}, if it has one. */
  void armStartupTimeout(ManagedSlot.Incarnation inc, @Nullable Duration timeout) {
    StartupTimer t = timer;
    if (timeout != null && t != null) {
      t.armLocked(inc, timeout);
    }
  }

  /** An actor's failure (or return) that no restart covers stops the group, as in wave 1. */
  void stopBy(Slot slot, @Nullable Throwable failure) {
    requestStop(slot, failure);
  }

  /** Called on an actor's thread once execute returned. */
  void actorReturned(Slot slot, @Nullable Throwable error) {
    // The event first: a listener then sees the first actor return before the group stopping.
    listeners.actorReturned(slot.name, error);
    if (state == State.RUNNING) {
      requestStop(slot, error);
    }
  }

  /**
   * Configures a {@link Group}. Not thread-safe; each {@link #build()} returns a new group with the
   * settings at that moment.
   *
   * @since 0.1
   */
  public static final class Builder {
    private @Nullable Duration stopTimeout;
    private Duration stopGrace = DEFAULT_GRACE;
    private @Nullable ThreadFactory threadFactory;
    private final List<GroupListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Bounds how long the group waits for its actors once it begins to stop. Default: no bound, as
     * oklog/run. See "Stop timeout" in {@link Group}.
     *
     * @param timeout positive time from the stop to forcing the rest; one too long to count in
     *     nanoseconds (about 292 years) is practically forever
     * @return this builder
     * @throws NullPointerException if {@code timeout} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Builder stopTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("stopTimeout must be positive, was " + timeout);
      }
      this.stopTimeout = timeout;
      return this;
    }

    /**
     * Sets how long the group waits, after the stop timeout ran out and the remaining actors were
     * interrupted with {@link Thread#interrupt()}, before it gives up on them. Default: one second.
     * Has no effect without a {@linkplain #stopTimeout(Duration) stop timeout}.
     *
     * @param grace zero or positive; one too long to count in nanoseconds (about 292 years) is
     *     practically forever
     * @return this builder
     * @throws NullPointerException if {@code grace} is {@code null}
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public Builder stopGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("stopGrace must not be negative, was " + grace);
      }
      this.stopGrace = grace;
      return this;
    }

    /**
     * Sets where the group's threads come from: one per actor, plus a stopper thread when a stop
     * timeout is set (made once the actors have been started). A thread without a name is named
     * after its actor (by the thread itself, as it begins). Default: daemon platform threads named
     * after the actors. For virtual threads on Java 21+, pass {@code Thread.ofVirtual().factory()}.
     * The interrupts that the stop timeout makes the group call late run on daemon platform threads
     * of the group's own, so that a factory cannot hold {@code run()} past its deadline.
     *
     * @param factory makes the threads, each new and not started; a {@code null} thread, or one
     *     started already, counts as a failure of that actor (a stopper thread the factory fails to
     *     make is replaced by one of the group's own)
     * @return this builder
     * @throws NullPointerException if {@code factory} is {@code null}
     */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Adds a listener for the group's events; may be called more than once, listeners are called in
     * the order added.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is {@code null}
     */
    public Builder listener(GroupListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds a new, empty group with these settings.
     *
     * @return the group
     */
    public Group build() {
      return new Group(this);
    }
  }
}
