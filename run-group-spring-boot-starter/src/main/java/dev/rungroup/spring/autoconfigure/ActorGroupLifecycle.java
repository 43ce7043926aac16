package dev.rungroup.spring.autoconfigure;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.RunGroupCustomizer;
import dev.rungroup.spring.autoconfigure.ActorScanner.ActorDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ExitCodeExceptionMapper;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * Runs the context's actors as one {@link Group} on a thread of its own, as a {@link
 * SmartLifecycle}: {@code start()} starts a fresh group and returns; {@code stop(callback)} stops
 * it and calls back once it ended. When the group ends by itself (an actor returned), the context
 * is closed from a new thread and, in an application started by {@code SpringApplication.run} with
 * {@code run-group.exit-process}, the JVM exits with Spring's exit code.
 *
 * <p>Each context runs its own actors: in a hierarchy, the group of a context takes only that
 * context's {@link GroupListener} and {@link RunGroupCustomizer} beans, none of its parent's.
 */
final class ActorGroupLifecycle
    implements ActorGroup, SmartLifecycle, SmartInitializingSingleton, DisposableBean {

  private static final Log logger = LogFactory.getLog(ActorGroup.class);

  /** How long {@link #stop()} and {@link #destroy()} wait beyond the group's own bound. */
  private static final Duration EXTRA_WAIT = Duration.ofSeconds(1);

  static final String RUN_THREAD_NAME = "run-group";
  static final String EXIT_THREAD_NAME = "run-group-exit";

  private final ConfigurableApplicationContext context;
  private final int phase;
  private final Duration stopTimeout;
  private final Duration stopGrace;
  private final boolean exitProcess;
  private final @Nullable ThreadFactory threadFactory;
  private final ObjectProvider<GroupListener> listeners;
  private final ObjectProvider<RunGroupCustomizer> customizers;

  private final Object lock = new Object();
  // Guarded by lock.
  private @Nullable List<ActorDefinition> actors;
  private @Nullable Run current;
  private boolean running;

  /** The latest run, also after it ended. */
  private volatile @Nullable Run latest;

  ActorGroupLifecycle(
      ConfigurableApplicationContext context,
      int phase,
      Duration stopTimeout,
      Duration stopGrace,
      boolean exitProcess,
      @Nullable ThreadFactory threadFactory,
      ObjectProvider<GroupListener> listeners,
      ObjectProvider<RunGroupCustomizer> customizers) {
    this.context = context;
    this.phase = phase;
    this.stopTimeout = stopTimeout;
    this.stopGrace = stopGrace;
    this.exitProcess = exitProcess;
    this.threadFactory = threadFactory;
    this.listeners = listeners;
    this.customizers = customizers;
  }

  // ---------------------------------------------------------------------------------------------
  // Finding the actors: once every singleton exists, so that a misuse fails the refresh.

  @Override
  public void afterSingletonsInstantiated() {
    actors();
  }

  private List<ActorDefinition> actors() {
    synchronized (lock) {
      List<ActorDefinition> found = actors;
      if (found == null) {
        found = ActorScanner.scan(context.getBeanFactory());
        actors = found;
        if (found.isEmpty()) {
          logger.debug("No @Actor beans: no group to run");
        }
      }
      return found;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // ActorGroup

  @Override
  public List<String> actorNames() {
    List<String> names = new ArrayList<>();
    for (ActorDefinition actor : actors()) {
      names.add(actor.name());
    }
    return List.copyOf(names);
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
    Run run = latest;
    if (run == null) {
      return Group.State.NEW;
    }
    Group.State state = run.group.state();
    return state == Group.State.STOPPED && !run.hasEnded() ? Group.State.STOPPING : state;
  }

  @Override
  public Optional<Exit> exit() {
    Run run = latest;
    return run == null ? Optional.empty() : Optional.ofNullable(run.exit);
  }

  @Override
  public void stop(@Nullable Throwable cause) {
    Run run;
    synchronized (lock) {
      run = current;
    }
    if (run != null) {
      run.requestStop(cause);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // SmartLifecycle

  @Override
  public void start() {
    synchronized (lock) {
      if (running) {
        return;
      }
      List<ActorDefinition> definitions = actors();
      if (definitions.isEmpty()) {
        running = true;
        return;
      }
      Run run = new Run();
      Group.Builder builder =
          Group.builder().stopTimeout(stopTimeout).stopGrace(stopGrace).listener(run);
      if (threadFactory != null) {
        builder.threadFactory(threadFactory);
      }
      Set<Object> parents = parentSingletons();
      listeners.orderedStream().filter(l -> !parents.contains(l)).forEach(builder::listener);
      customizers
          .orderedStream()
          .filter(customizer -> !parents.contains(customizer))
          .forEach(customizer -> customizer.customize(builder));
      Group group = builder.build();
      for (ActorDefinition actor : definitions) {
        Interruptible created =
            actor
                .factory()
                .create(() -> group.state() != Group.State.RUNNING, run::isClosingContext);
        group.add(actor.name(), run.tracked(created));
      }
      run.start(group);
      current = run;
      latest = run;
      running = true;
    }
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

  @Override
  public void stop(Runnable callback) {
    Run run;
    synchronized (lock) {
      run = current;
      current = null;
      running = false;
    }
    if (run == null) {
      callback.run();
      return;
    }
    Thread caller = Thread.currentThread();
    if (run.isOwnThread(caller)) {
      run.closingOn(caller); // before the stop: its interrupt must not hit this thread's close
    }
    run.requestStop(null);
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
    Run run;
    synchronized (lock) {
      run = current;
    }
    stop(() -> {});
    if (run != null && !run.isOwnThread(Thread.currentThread())) {
      awaitEnd(run);
    }
  }

  @Override
  public boolean isRunning() {
    synchronized (lock) {
      return running;
    }
  }

  @Override
  public boolean isAutoStartup() {
    return true;
  }

  @Override
  public int getPhase() {
    return phase;
  }

  /** The group's stop timeout, as resolved from the properties. */
  Duration stopTimeout() {
    return stopTimeout;
  }

  /** The group's grace after the stop timeout. */
  Duration stopGrace() {
    return stopGrace;
  }

  /** Whether the JVM may exit once an actor returned (in a launched application). */
  boolean exitProcess() {
    return exitProcess;
  }

  /**
   * Stops a group still running when the context is destroyed without a lifecycle stop, and waits
   * (within the group's bound) for a group that is still stopping: the lifecycle stop may have been
   * given up by Spring's shutdown-phase timeout before the group's own stop timeout ran out, and
   * the JVM would otherwise halt with interrupts not yet called and the outcome not logged.
   */
  @Override
  public void destroy() {
    Run run;
    synchronized (lock) {
      run = current;
      current = null;
      running = false;
    }
    if (run != null) {
      if (run.isOwnThread(Thread.currentThread())) {
        run.closingOn(Thread.currentThread());
      }
      run.requestStop(null);
    } else {
      run = latest; // stopped by the lifecycle already: wait below if it has not ended yet
    }
    if (run != null && !run.isOwnThread(Thread.currentThread())) {
      awaitEnd(run);
    }
  }

  /** Waits until {@code run} has ended, at most as long as its group may take, plus a margin. */
  private void awaitEnd(Run run) {
    CountDownLatch ended = new CountDownLatch(1);
    run.whenEnded(ended::countDown);
    Group group = run.group;
    long nanos =
        group.stopTimeout().orElse(stopTimeout).plus(group.stopGrace()).plus(EXTRA_WAIT).toNanos();
    try {
      ended.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The end of a run

  /**
   * Closes the context if the group ended by itself. The {@link Exit} decides, as the group's first
   * stop: an actor that returned first closes the context also when a stop came later (the
   * context's close or {@link #stop(Throwable)} while the interrupts ran); a stop that came first
   * never closes it.
   */
  private void ended(Exit exit) {
    if (exit.firstActor().isEmpty()) {
      return; // stopped from outside: the context is closing, or the user asked for it
    }
    boolean exitJvm = exitProcess && SpringApplicationLaunch.isLaunched(context);
    Thread closer = new Thread(() -> closeContext(exit, exitJvm), EXIT_THREAD_NAME);
    closer.setDaemon(false); // holds the JVM until it has exited with the right code
    closer.start();
  }

  private void closeContext(Exit exit, boolean exitJvm) {
    if (!context.isActive()) {
      return; // closed or closing already (a shutdown raced the actor): that close decides
    }
    if (!exitJvm) {
      logger.info("Closing the application context: the group of actors has stopped");
      context.close();
      return;
    }
    int code = exitCode(context, exit.error());
    // Logged before the close: the close may shut the logging system down.
    logger.info(
        "Closing the application context and exiting the JVM: the group of actors has stopped"
            + " (exit code "
            + code
            + ", unless an ExitCodeGenerator bean says otherwise)");
    System.exit(SpringApplication.exit(context, () -> code));
  }

  /**
   * The exit code for the error that stopped the group: 0 without error; else the code of an
   * exception in the cause chain that implements {@link ExitCodeGenerator}; else the first non-zero
   * code of the {@link ExitCodeExceptionMapper} beans, in order; else 1.
   */
  static int exitCode(ConfigurableApplicationContext context, @Nullable Throwable error) {
    if (error == null) {
      return 0;
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ExitCodeGenerator generator) {
        int code = generator.getExitCode();
        if (code != 0) {
          return code;
        }
        break;
      }
    }
    if (context.isActive()) {
      List<ExitCodeExceptionMapper> mappers =
          new ArrayList<>(context.getBeansOfType(ExitCodeExceptionMapper.class).values());
      AnnotationAwareOrderComparator.sort(mappers);
      for (ExitCodeExceptionMapper mapper : mappers) {
        int code = mapper.getExitCode(error);
        if (code != 0) {
          return code;
        }
      }
    }
    return 1;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * One run of a group, on the run thread; also the group's first listener, which logs.
   *
   * <p>Its own threads are the run thread, the actors' threads, and any thread while it calls an
   * actor's interrupt (the group's stopper threads among them): a stop or destroy on one of them
   * must not wait for the run, which cannot end before that thread goes on.
   */
  private final class Run implements GroupListener {

    @SuppressWarnings("NullAway.Init") // set by start(), before any other use
    Group group;

    private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();
    private final Set<Thread> interrupting = ConcurrentHashMap.newKeySet();
    private final Set<Thread> closing = ConcurrentHashMap.newKeySet();
    private final List<Runnable> callbacks = new ArrayList<>(); // guarded by this
    private boolean ended; // guarded by this

    volatile @Nullable Exit exit;

    void start(Group group) {
      this.group = group;
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
        }
        for (Runnable callback : toCall) {
          callBack(callback);
        }
      }
      if (result != null) {
        ended(result);
      }
    }

    void requestStop(@Nullable Throwable cause) {
      group.stop(cause);
    }

    boolean isOwnThread(Thread thread) {
      return ownThreads.contains(thread) || interrupting.contains(thread);
    }

    /** Whether the run has ended and its {@link #exit} (if it has one) is published. */
    synchronized boolean hasEnded() {
      return ended;
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

    // GroupListener: track the actor threads, log who stopped the group and why.

    @Override
    public void actorStarted(String actor, Thread thread) {
      ownThreads.add(thread);
    }

    @Override
    public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
      if (firstActor == null) {
        if (cause == null) {
          logger.info("Stopping the group of actors");
        } else {
          logger.info("Stopping the group of actors: " + cause);
        }
      } else if (cause == null) {
        logger.info("Actor '" + firstActor + "' returned: stopping the group of actors");
      } else {
        logger.error("Actor '" + firstActor + "' failed: stopping the group of actors", cause);
      }
    }

    @Override
    public void groupStopped(Exit exit) {
      for (Exit.Outcome outcome : exit.actors()) {
        Throwable error = outcome.error();
        if (error != null && error != exit.error()) {
          logger.error("Actor '" + outcome.name() + "' failed", error);
        }
        Throwable interruptError = outcome.interruptError();
        if (interruptError != null) {
          logger.warn("Interrupt of actor '" + outcome.name() + "' failed", interruptError);
        }
        if (!outcome.stopped()) {
          logger.warn(
              "Actor '"
                  + outcome.name()
                  + "' did not return within the stop timeout ("
                  + group.stopTimeout().map(Duration::toString).orElse("none")
                  + ") and grace ("
                  + group.stopGrace()
                  + "): left running");
        }
      }
      Collection<Throwable> listenerErrors = exit.listenerErrors();
      for (Throwable error : listenerErrors) {
        logger.warn("A GroupListener failed", error);
      }
      logger.info("Group of actors stopped");
    }
  }
}
