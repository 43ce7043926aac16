package dev.rungroup.spring.autoconfigure;

import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.RunGroupCustomizer;
import dev.rungroup.spring.autoconfigure.ActorScanner.ActorDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the context's actors as one {@link Group} on a thread of its own, as a {@link
 * SmartLifecycle}: {@code start()} starts a fresh group and returns; {@code stop(callback)} stops
 * it and calls back once it ended. When the group ends by itself (an actor returned), {@link
 * RunGroupApplicationExit} closes the context (unless Spring's TestContext framework loaded it);
 * {@link RunGroupLogger} logs each run. It is not {@linkplain #isPauseable() pauseable}: a paused
 * context keeps its actors running.
 *
 * <p>Each context runs its own actors: in a hierarchy, the group of a context takes only that
 * context's {@link GroupListener} and {@link RunGroupCustomizer} beans, none of its parent's.
 *
 * <p>Thread-safe. One lock guards which run is current and whether the lifecycle runs; no user code
 * runs while it is held (checked by assertions): the actors are found, the listener and customizer
 * beans created and the customizers applied before the lock is taken, and the result is published
 * under it. Whatever a thread published under the lock happens-before what another thread reads
 * under it; the actors found, published once and immutable, and the latest run are read without the
 * lock through volatile fields. {@link #awaitExit(Duration)} and {@link #awaitReady(Duration)} wait
 * for a run to be published on a condition of that lock, then for the run itself without it. A
 * {@link #stop(Throwable)} that comes while a run is being prepared stops that run as soon as it
 * starts; a lifecycle stop or destroy that comes meanwhile wins over the start, which then starts
 * nothing.
 */
final class RunGroupLifecycle
    implements ActorGroup, SmartLifecycle, SmartInitializingSingleton, DisposableBean {

  private static final Log logger = LogFactory.getLog(ActorGroup.class);

  /** What the log says stopped a group that {@link #stop(Throwable)} stopped. */
  static final String STOPPED_THROUGH_ACTOR_GROUP = "ActorGroup.stop was called";

  /** What the log says stopped a group that the context's close stopped. */
  static final String CONTEXT_CLOSING = "the application context is closing";

  /** What the log says stopped a group that the context's close stopped in a JVM shutdown. */
  static final String JVM_SHUTTING_DOWN =
      "the JVM is shutting down (a signal such as SIGTERM or SIGINT, or System.exit)";

  /** How long {@link #stop()} and {@link #destroy()} wait beyond the group's own bound. */
  private static final Duration EXTRA_WAIT = Duration.ofSeconds(1);

  private final ConfigurableApplicationContext context;
  private final RunGroupSettings settings;
  private final ObjectProvider<GroupListener> listeners;
  private final ObjectProvider<RunGroupCustomizer> customizers;
  private final RunGroupApplicationExit applicationExit;

  /** Where the lifecycle is: {@code STOPPED -> STARTING -> RUNNING -> STOPPED}. */
  private enum Status {
    /** Not started, or stopped (a new {@code start()} runs a fresh group). */
    STOPPED,
    /** {@code start()} is preparing a run outside the lock; a second start returns at once. */
    STARTING,
    /** Started: the current run (if the context has actors) runs its group. */
    RUNNING
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition runPublished = lock.newCondition();
  // Guarded by lock.
  private @Nullable GroupRun current;
  private Status status = Status.STOPPED;
  private long stops; // lifecycle stops and destroys so far: one during a start cancels it
  private boolean stopRequested; // stop(cause) while starting
  private @Nullable Throwable stopCause;

  /** The actors of the context once found: published once, immutable. */
  private volatile @Nullable Actors actors;

  /** The latest run, also after it ended. */
  private volatile @Nullable GroupRun latest;

  RunGroupLifecycle(
      ConfigurableApplicationContext context,
      RunGroupSettings settings,
      ObjectProvider<GroupListener> listeners,
      ObjectProvider<RunGroupCustomizer> customizers) {
    this.context = context;
    this.settings = settings;
    this.listeners = listeners;
    this.customizers = customizers;
    this.applicationExit =
        new RunGroupApplicationExit(
            context,
            settings.exitProcess(),
            !SpringApplicationLaunch.loadedByTestContextFramework());
  }

  /** The settings of the group, as resolved from the properties. */
  RunGroupSettings settings() {
    return settings;
  }

  /** Fails unless the lock is free on this thread: about to call user code. */
  private void assertUnlocked() {
    assert !lock.isHeldByCurrentThread() : "user code called under the lifecycle's lock";
  }

  // ---------------------------------------------------------------------------------------------
  // Finding the actors: once every singleton exists, so that a misuse fails the refresh.

  /**
   * The actors of the context, in order, their names, their options and leaderships by name, and
   * the name of the lock registry bean that elects the leader actors ({@code null} without any).
   */
  private record Actors(
      List<ActorDefinition> definitions,
      List<String> names,
      Map<String, ActorOptions> options,
      Map<String, String> leaders,
      @Nullable String lockRegistry) {
    static Actors of(List<ActorDefinition> definitions, @Nullable String lockRegistry) {
      List<String> names = new ArrayList<>(definitions.size());
      Map<String, ActorOptions> options = new HashMap<>();
      Map<String, String> leaders = new HashMap<>();
      for (ActorDefinition actor : definitions) {
        names.add(actor.name());
        options.put(actor.name(), actor.options());
        String leader = actor.leader();
        if (leader != null) {
          leaders.put(actor.name(), leader);
        }
      }
      return new Actors(
          List.copyOf(definitions),
          List.copyOf(names),
          Map.copyOf(options),
          Map.copyOf(leaders),
          lockRegistry);
    }
  }

  @Override
  public void afterSingletonsInstantiated() {
    actors();
  }

  /** Finds the actors outside the lock (it creates beans) and publishes them once. */
  private Actors actors() {
    Actors found = actors;
    if (found != null) {
      return found;
    }
    assertUnlocked();
    List<ActorDefinition> definitions =
        ActorScanner.scan(context.getBeanFactory(), settings.tuning());
    Actors scanned =
        Actors.of(definitions, LeaderRegistry.find(context.getBeanFactory(), definitions));
    boolean published = false;
    lock.lock();
    try {
      found = actors;
      if (found == null) {
        found = scanned;
        actors = found;
        published = true;
      }
    } finally {
      lock.unlock();
    }
    if (published && found.definitions().isEmpty()) {
      logger.debug("No @Actor beans: no group to run");
    }
    return found;
  }

  // ---------------------------------------------------------------------------------------------
  // ActorGroup

  @Override
  public List<String> actorNames() {
    return actors().names();
  }

  /**
   * The options the actor named {@code name} runs with.
   *
   * @param name an actor's name
   * @return its options; {@link ActorOptions#defaults()} for a name the context has no actor of
   */
  ActorOptions options(String name) {
    ActorOptions options = actors().options().get(name);
    return options == null ? ActorOptions.defaults() : options;
  }

  /**
   * The leadership of the actor named {@code name}.
   *
   * @param name an actor's name
   * @return its leadership, or {@code null} for an actor of every replica (or no actor)
   */
  @Nullable String leaderOf(String name) {
    return actors().leaders().get(name);
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code STOPPED} only once the run's {@link Exit} is published: the group itself is {@code
   * STOPPED} a little earlier, while its {@code groupStopped} listeners run, and this reports
   * {@code STOPPING} until then, so that whoever sees {@code STOPPED} sees {@link #exit()}.
   */
  @Override
  public Group.State state() {
    GroupRun run = latest;
    if (run == null) {
      return Group.State.NEW;
    }
    Group.State state = run.group.state();
    return state == Group.State.STOPPED && !run.hasEnded() ? Group.State.STOPPING : state;
  }

  @Override
  public Optional<Exit> exit() {
    GroupRun run = latest;
    return run == null ? Optional.empty() : Optional.ofNullable(run.exit);
  }

  @Override
  public Optional<Exit> awaitExit(Duration timeout) throws InterruptedException {
    long began = System.nanoTime();
    long nanos = timeoutNanos(timeout);
    GroupRun run = awaitRun(nanos);
    if (run == null || !run.awaitEnd(nanos - (System.nanoTime() - began))) {
      return Optional.empty();
    }
    return Optional.ofNullable(run.exit);
  }

  @Override
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long began = System.nanoTime();
    long nanos = timeoutNanos(timeout);
    GroupRun run = awaitRun(nanos);
    if (run == null) {
      return false;
    }
    long left = Math.max(0, nanos - (System.nanoTime() - began));
    return run.group.awaitReady(Duration.ofNanos(left));
  }

  private static long timeoutNanos(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return timeout.isNegative() ? 0 : saturatedNanos(timeout);
  }

  /**
   * The latest run, once there is one: waits at most {@code nanos} for the first run to be
   * published; {@code null} on timeout, and at once when the context has no actor.
   */
  private @Nullable GroupRun awaitRun(long nanos) throws InterruptedException {
    GroupRun run = latest;
    if (run != null) {
      return run;
    }
    if (actors().definitions().isEmpty()) { // outside the lock: finding the actors creates beans
      return null;
    }
    lock.lockInterruptibly();
    try {
      long left = nanos;
      while ((run = latest) == null) {
        if (left <= 0) {
          return null;
        }
        left = runPublished.awaitNanos(left);
      }
      return run;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void stop(@Nullable Throwable cause) {
    GroupRun run;
    lock.lock();
    try {
      run = current;
      if (run == null && status == Status.STARTING && !stopRequested) {
        stopRequested = true; // the run being prepared stops as soon as it starts
        stopCause = cause;
      }
    } finally {
      lock.unlock();
    }
    if (run != null) {
      assertUnlocked();
      run.requestStop(cause, STOPPED_THROUGH_ACTOR_GROUP);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // SmartLifecycle

  @Override
  public void start() {
    long stopsBefore;
    lock.lock();
    try {
      if (status != Status.STOPPED) {
        return;
      }
      status = Status.STARTING;
      stopRequested = false;
      stopCause = null;
      stopsBefore = stops;
    } finally {
      lock.unlock();
    }
    GroupRun run;
    try {
      run = prepare();
    } catch (RuntimeException | Error e) {
      lock.lock();
      try {
        status = Status.STOPPED;
      } finally {
        lock.unlock();
      }
      throw e;
    }
    boolean stopNow;
    Throwable cause;
    lock.lock();
    try {
      if (stops != stopsBefore) {
        status = Status.STOPPED;
        return; // stopped or destroyed while the run was prepared: that stop wins
      }
      status = Status.RUNNING;
      if (run == null) {
        return;
      }
      run.start();
      current = run;
      latest = run;
      runPublished.signalAll();
      stopNow = stopRequested;
      cause = stopCause;
    } finally {
      lock.unlock();
    }
    assertUnlocked();
    RunGroupLogger.groupStarted(
        actors().names(),
        settings.threadFactory() == null ? "platform threads" : "virtual threads");
    if (stopNow) {
      run.requestStop(cause, STOPPED_THROUGH_ACTOR_GROUP);
    }
  }

  /**
   * Prepares a run without the lock: finds the actors, creates this context's listener and
   * customizer beans, applies the customizers and makes the actors.
   *
   * @return the run, not started; {@code null} if the context has no actor
   */
  private @Nullable GroupRun prepare() {
    assertUnlocked();
    List<ActorDefinition> definitions = actors().definitions();
    if (definitions.isEmpty()) {
      return null;
    }
    GroupRun run = new GroupRun(applicationExit);
    boolean actorMdc = settings.actorMdc() && ActorMdc.isAvailable(context.getClassLoader());
    Group.Builder builder = Group.builder();
    if (actorMdc) {
      builder.listener(ActorMdc.entering()); // first: every listener's line carries the name
    }
    builder
        .stopTimeout(settings.stopTimeout())
        .stopGrace(settings.stopGrace())
        .listener(run)
        .listener(new RunGroupLogger(run::group, this::options, run::stopReason));
    ThreadFactory threadFactory = settings.threadFactory();
    if (threadFactory != null) {
      builder.threadFactory(threadFactory);
    }
    Set<Object> parents = parentSingletons();
    List<GroupListener> ownListeners =
        listeners.orderedStream().filter(l -> !parents.contains(l)).toList();
    ownListeners.forEach(builder::listener);
    List<RunGroupCustomizer> ownCustomizers =
        customizers.orderedStream().filter(customizer -> !parents.contains(customizer)).toList();
    ownCustomizers.forEach(customizer -> customizer.customize(builder));
    if (actorMdc) {
      builder.listener(ActorMdc.leaving()); // last, after the customizers' listeners too
    }
    Group group = builder.build();
    BooleanSupplier stopping = () -> group.state() != Group.State.RUNNING;
    Actors found = actors();
    Map<String, Integer> lastOfLeader = new HashMap<>();
    for (int i = 0; i < definitions.size(); i++) {
      String leader = definitions.get(i).leader();
      if (leader != null) {
        lastOfLeader.put(leader, i);
      }
    }
    for (int i = 0; i < definitions.size(); i++) {
      ActorDefinition actor = definitions.get(i);
      String leader = actor.leader();
      if (leader != null) {
        if (Integer.valueOf(i).equals(lastOfLeader.get(leader))) { // its deps were added before
          String registry = Objects.requireNonNull(found.lockRegistry(), "lock registry");
          List<GroupListener> forwarded = new ArrayList<>();
          if (actorMdc) {
            forwarded.add(ActorMdc.entering()); // the leader actors' lines carry their names too
          }
          forwarded.addAll(ownListeners);
          forwarded.add(run);
          if (actorMdc) {
            forwarded.add(ActorMdc.leaving());
          }
          LeadershipRun.add(
              group,
              leader,
              definitions,
              context.getBeanFactory().getBean(registry),
              settings,
              forwarded,
              ownCustomizers,
              run);
        }
        continue;
      }
      ActorOptions options = actor.options();
      if (options.restart().restartsOnFailure()) { // a fresh actor per incarnation
        group.add(
            actor.name(),
            () -> run.tracked(actor.factory().create(stopping, run::isClosingContext)),
            options);
      } else {
        Interruptible created = actor.factory().create(stopping, run::isClosingContext);
        group.add(actor.name(), run.tracked(created), options);
      }
    }
    run.group = group;
    return run;
  }

  /**
   * The {@link GroupListener} and {@link RunGroupCustomizer} singletons of the parent contexts:
   * Spring's providers hand them out to a child too, but the child's group is the child's own.
   */
  private Set<Object> parentSingletons() {
    Set<Object> found = Collections.newSetFromMap(new IdentityHashMap<>());
    ApplicationContext parent = context.getParent();
    if (parent != null) {
      found.addAll(
          BeanFactoryUtils.beansOfTypeIncludingAncestors(parent, GroupListener.class, false, false)
              .values());
      found.addAll(
          BeanFactoryUtils.beansOfTypeIncludingAncestors(
                  parent, RunGroupCustomizer.class, false, false)
              .values());
    }
    return found;
  }

  /** Ends the lifecycle's current run, if any, under the lock; a start under way is cancelled. */
  private @Nullable GroupRun takeCurrent() {
    lock.lock();
    try {
      GroupRun run = current;
      current = null;
      switch (status) {
        case RUNNING -> status = Status.STOPPED;
        case STARTING, STOPPED -> {
          // a start under way ends itself (it sees the stop count change); nothing runs
        }
        default -> throw new AssertionError("unexpected status: " + status);
      }
      stops++;
      return run;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void stop(Runnable callback) {
    GroupRun run = takeCurrent();
    assertUnlocked();
    if (run == null) {
      callback.run();
      return;
    }
    Thread caller = Thread.currentThread();
    if (run.isOwnThread(caller)) {
      run.closingOn(caller); // before the stop: its interrupt must not hit this thread's close
    }
    run.requestStop(null, closingReason());
    if (run.isOwnThread(caller)) {
      // Closing the context from an actor (or a listener on the group's thread): that actor
      // cannot return before this does, so do not make the shutdown wait for it.
      callback.run();
      return;
    }
    run.whenEnded(callback);
  }

  @Override
  public void stop() {
    GroupRun run;
    lock.lock();
    try {
      run = current;
    } finally {
      lock.unlock();
    }
    stop(() -> {});
    if (run != null && !run.isOwnThread(Thread.currentThread())) {
      awaitEnd(run);
    }
  }

  @Override
  public boolean isRunning() {
    lock.lock();
    try {
      return status == Status.RUNNING;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isAutoStartup() {
    return true;
  }

  @Override
  public int getPhase() {
    return settings.phase();
  }

  /**
   * Not pauseable: a paused context (Spring's TestContext framework pauses a cached context while
   * no test uses it) keeps its actors running. Stopping them would end the run, and the restart
   * that follows would run a fresh group under the test that takes the context up again.
   *
   * @return {@code false}
   */
  @Override
  public boolean isPauseable() {
    return false;
  }

  /**
   * Stops a group still running when the context is destroyed without a lifecycle stop, and waits
   * (within the group's bound) for a group that is still stopping: the lifecycle stop may have been
   * given up by Spring's shutdown-phase timeout before the group's own stop timeout ran out, and
   * the JVM would otherwise halt with interrupts not yet called and the outcome not logged.
   */
  @Override
  public void destroy() {
    GroupRun run = takeCurrent();
    assertUnlocked();
    if (run != null) {
      if (run.isOwnThread(Thread.currentThread())) {
        run.closingOn(Thread.currentThread());
      }
      run.requestStop(null, closingReason());
    } else {
      run = latest; // stopped by the lifecycle already: wait below if it has not ended yet
    }
    if (run != null && !run.isOwnThread(Thread.currentThread())) {
      awaitEnd(run);
    }
  }

  /**
   * Why the context stops the group, for the log: the JVM shutting down (Spring Boot's shutdown
   * hook closes the context on a signal or {@code System.exit}), else the context closing.
   */
  private static String closingReason() {
    return jvmShuttingDown() ? JVM_SHUTTING_DOWN : CONTEXT_CLOSING;
  }

  /** Whether the JVM is shutting down: it then refuses new shutdown hooks. */
  static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> {}, "run-group-shutdown-probe");
    try {
      Runtime.getRuntime().addShutdownHook(probe);
    } catch (IllegalStateException e) {
      return true; // "Shutdown in progress"
    }
    Runtime.getRuntime().removeShutdownHook(probe);
    return false;
  }

  /** Waits until {@code run} has ended, at most as long as its group may take, plus a margin. */
  private void awaitEnd(GroupRun run) {
    CountDownLatch ended = new CountDownLatch(1);
    run.whenEnded(ended::countDown);
    Group group = run.group;
    long nanos =
        saturatedNanos(
            group.stopTimeout().orElse(settings.stopTimeout()), group.stopGrace(), EXTRA_WAIT);
    try {
      ended.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The sum of {@code durations} in nanoseconds, saturated at {@link Long#MAX_VALUE} (about 292
   * years: practically forever), as the core counts a huge stop timeout: never an overflow.
   */
  static long saturatedNanos(Duration... durations) {
    long sum = 0;
    for (Duration duration : durations) {
      long nanos;
      try {
        nanos = duration.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
      sum += nanos;
      if (sum < 0) {
        return Long.MAX_VALUE;
      }
    }
    return sum;
  }
}
