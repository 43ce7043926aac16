package dev.rungroup.prop;

import dev.rungroup.ActorContext;
import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import dev.rungroup.RestartPolicy;
import dev.rungroup.StartupTimeoutException;
import dev.rungroup.TestThreads;
import dev.rungroup.prop.GroupCase.ActorSpec;
import dev.rungroup.prop.GroupCase.ListenerSpec;
import dev.rungroup.prop.GroupCase.Opts;
import dev.rungroup.prop.GroupCase.ThreadKind;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Runs one {@link GroupCase} against a real {@link Group} and checks the properties: {@code run()}
 * returns within its bound; each incarnation's interrupt is called exactly once (counted on each
 * incarnation object: a supplier-form actor's are fresh objects), with the group's cause when the
 * stop calls it; the {@link Exit} holds every error thrown, each outcome that of the actor's last
 * incarnation; no thread of the group (actors, stopper, startup timer) outlives {@code run()}
 * except actors reported as not stopped (and interrupts reported as not completed); listener events
 * come in a valid order. {@link GraphChecks} adds the properties of the graph and supervision.
 * Always releases and joins everything it started before returning.
 */
public final class CaseRunner {

  /** How long run() may take at most before the case counts as a hang. */
  static final long HANG_MILLIS = 30_000;

  /** Allowance over timeout + grace for a loaded machine (2 shared cores, up to 64 threads). */
  static final long BOUND_SLACK_MILLIS = 2_000;

  /** How much earlier than the deadline the group may seem to give up (clock reading gaps). */
  static final long EARLY_MARGIN_MILLIS = 50;

  /** Bounded join for threads that are ending, and for eventual checks. */
  static final long SETTLE_MILLIS = 5_000;

  private static final AtomicLong CASES = new AtomicLong();
  private static final @Nullable ThreadFactory VIRTUAL = virtualFactory();

  private CaseRunner() {}

  /** Whether virtual threads can be used (Java 21+). */
  public static boolean virtualAvailable() {
    return VIRTUAL != null;
  }

  private static @Nullable ThreadFactory virtualFactory() {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
      return (ThreadFactory) factory.invoke(builder);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // Java 17
    }
  }

  /** Runs the case once; returns the violated properties, empty if all held. */
  public static List<String> run(GroupCase c) {
    return new Execution(c, CASES.incrementAndGet()).run();
  }

  /** Something our actors and listeners throw, to tell it apart from the engine's. */
  static final class ActorError extends Error {
    private static final long serialVersionUID = 1L;

    ActorError(String message) {
      super(message, null, true, false); // suppression on: a restart adds its interrupt's failure
    }
  }

  /** A failure of our thread factory. */
  static final class FactoryFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FactoryFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** One listener event, as the first listener saw it. */
  record Event(
      long seq,
      long nanos,
      String kind,
      int actor,
      int attempt,
      Thread thread,
      @Nullable Thread param,
      @Nullable String first,
      @Nullable Throwable cause,
      @Nullable Exit exit,
      int restart,
      @Nullable Duration delay) {}

  /** A supplier's {@code get()} that failed: {@code thrown} is null if it returned null. */
  record SupplierFailure(int attempt, long seq, long nanos, @Nullable Throwable thrown) {}

  static final class Execution {
    final GroupCase c;
    final String prefix;
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong seq = new AtomicLong();
    final CountDownLatch release = new CountDownLatch(1);
    final Queue<Event> events = new ConcurrentLinkedQueue<>();
    final Queue<Throwable> listenerThrown = new ConcurrentLinkedQueue<>();
    final Queue<Thread> factoryThreads = new ConcurrentLinkedQueue<>();
    final Set<Throwable> stopCauses = Collections.newSetFromMap(new IdentityHashMap<>());
    final AtomicInteger factoryCalls = new AtomicInteger();
    final List<ActorState> actors = new ArrayList<>();

    /** {@link System#nanoTime()} just before each thing that may stop the group. */
    final Queue<Long> stopTriggers = new ConcurrentLinkedQueue<>();

    volatile @Nullable Throwable factoryFailure;
    volatile boolean stopWithoutCause;
    @Nullable Group group;

    /** What {@code awaitReady} returned on a thread that waited from run()'s start. */
    volatile @Nullable Boolean awaitedReady;

    /** Set by the thread in run(). */
    long runEndNanos;

    @Nullable Thread runnerThread;

    Execution(GroupCase c, long id) {
      this.c = c;
      this.prefix = "c" + id + "-a";
    }

    void fail(String message) {
      violations.add(message);
    }

    void trigger() {
      stopTriggers.add(System.nanoTime());
    }

    int actorIndex(String name) {
      if (!name.startsWith(prefix)) {
        return -1;
      }
      try {
        return Integer.parseInt(name.substring(prefix.length()));
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    ThreadFactory factory(ThreadFactory delegate) {
      return r -> {
        int call = factoryCalls.getAndIncrement();
        // only an actor's thread fails (the group's Slot); without a stopper thread a blocking
        // interrupt would hold run() past its deadline, which no engine can avoid
        if (call == c.factoryFailAt() && TestThreads.isActorTask(r)) {
          trigger();
          if ((c.seed() & 1) == 0) {
            factoryFailure = new RejectedExecutionException("null thread");
            return null;
          }
          FactoryFailure f = new FactoryFailure("factory failure at call " + call);
          factoryFailure = f;
          throw f;
        }
        Thread t = delegate.newThread(r);
        factoryThreads.add(t);
        return t;
      };
    }

    void awaitRelease() {
      boolean interrupted = false;
      boolean done = false;
      while (!done) {
        try {
          done = release.await(HANG_MILLIS * 2, TimeUnit.MILLISECONDS);
          if (!done) {
            break; // give up rather than hang forever
          }
        } catch (InterruptedException e) {
          interrupted = true; // ignored until released: this is the stuck part of the schedule
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /** Adds an actor to {@code g} in the form and with the options of its spec. */
    void add(Group g, ActorState a) {
      String name = prefix + a.index;
      Opts o = a.spec.opts();
      if (o == null) {
        if ((c.seed() + a.index) % 3 == 0) {
          g.add(name, a.single(), ActorOptions.defaults());
        } else {
          g.add(name, a.single());
        }
        return;
      }
      ActorOptions options = ActorOptions.defaults();
      List<String> after = new ArrayList<>();
      for (int d : o.after()) {
        after.add(prefix + d);
      }
      if (after.size() > 1 && a.index % 2 == 1) { // after twice adds to the list
        options =
            options
                .after(after.get(0))
                .after(after.subList(1, after.size()).toArray(new String[0]));
      } else if (!after.isEmpty()) {
        options = options.after(after.toArray(new String[0]));
      }
      if (o.signalled()) {
        options = options.readiness(Readiness.SIGNALLED);
      }
      if (o.startupTimeoutMillis() > 0) {
        options = options.startupTimeout(Duration.ofMillis(o.startupTimeoutMillis()));
      }
      if (o.oneShot()) {
        options = options.oneShot();
      }
      RestartPolicy policy = a.policy();
      if (policy != null) {
        options = options.restart(policy);
      }
      if (o.supplier()) {
        g.add(name, a::get, options);
      } else {
        g.add(name, a.single(), options);
      }
    }

    List<String> run() {
      Group.Builder builder = Group.builder();
      if (c.hasTimeout()) {
        builder.stopTimeout(c.timeout()).stopGrace(Duration.ofMillis(c.graceMillis()));
      }
      switch (c.threads()) {
        case DEFAULT -> {}
        case PLATFORM ->
            builder.threadFactory(
                factory(
                    r -> {
                      Thread t = new Thread(r, "");
                      t.setDaemon(true);
                      return t;
                    }));
        case VIRTUAL -> builder.threadFactory(factory(Objects.requireNonNull(VIRTUAL)));
        default -> throw new AssertionError("unexpected kind: " + c.threads());
      }
      builder.listener(new Recorder());
      for (int i = 0; i < c.listeners().size(); i++) {
        builder.listener(new Thrower(i, c.listeners().get(i)));
      }
      Group g = builder.build();
      this.group = g;
      for (int i = 0; i < c.actors().size(); i++) {
        ActorState a = new ActorState(i, c.actors().get(i));
        actors.add(a);
        add(g, a);
      }
      boolean timers = c.actors().stream().anyMatch(a -> startupTimeout(a) > 0);
      Set<Thread> before = c.threads() == ThreadKind.DEFAULT || timers ? liveThreads() : Set.of();
      Throwable outsideCause = c.stopWithCause() ? new IllegalStateException("outside stop") : null;
      if (outsideCause != null) {
        stopCauses.add(outsideCause);
      }
      if (c.stopBeforeRun()) {
        stopWithoutCause |= outsideCause == null;
        g.stop(outsideCause);
      }
      Object lock = new Object();
      boolean[] returned = {false};
      boolean[] delivered = {false};
      Exit[] exit = {null};
      long[] times = new long[2];
      boolean[] flagAfter = {false};
      Thread runner =
          new Thread(
              () -> {
                times[0] = System.nanoTime();
                Exit e = g.run();
                times[1] = System.nanoTime();
                synchronized (lock) {
                  returned[0] = true;
                }
                flagAfter[0] = Thread.interrupted();
                exit[0] = e;
              },
              "prop-runner-" + prefix);
      runner.setDaemon(true);
      runnerThread = runner;
      Thread watcher = null;
      if (c.hasOptions() && (c.seed() & 2) == 0) {
        watcher =
            new Thread(
                () -> {
                  try {
                    awaitedReady = g.awaitReady(Duration.ofMillis(HANG_MILLIS));
                  } catch (InterruptedException e) {
                    fail("the thread in awaitReady was interrupted");
                  }
                },
                "prop-ready-" + prefix);
        watcher.setDaemon(true);
        startOrSkip(watcher);
      }
      startOrSkip(runner);
      Thread scheduler = null;
      if (c.stopAtMicros() >= 0 || c.interruptCallerAtMicros() >= 0) {
        scheduler =
            new Thread(
                () -> {
                  // the schedule starts when run() has begun: a stop before it is sticky
                  // (stopBeforeRun)
                  long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANG_MILLIS);
                  while (g.state() == Group.State.NEW && System.nanoTime() < waitUntil) {
                    LockSupport.parkNanos(
                        TimeUnit.MICROSECONDS.toNanos(20)); // polling run()'s start
                  }
                  long start = System.nanoTime();
                  int stopAt = c.stopAtMicros();
                  int intrAt = c.interruptCallerAtMicros();
                  boolean stopFirst = stopAt >= 0 && (intrAt < 0 || stopAt <= intrAt);
                  for (int step = 0; step < 2; step++) {
                    boolean doStop = (step == 0) == stopFirst;
                    int at = doStop ? stopAt : intrAt;
                    if (at < 0) {
                      continue;
                    }
                    sleepUntil(start + TimeUnit.MICROSECONDS.toNanos(at));
                    if (doStop) {
                      stopWithoutCause |= outsideCause == null;
                      trigger();
                      g.stop(outsideCause);
                    } else {
                      synchronized (lock) {
                        if (!returned[0]) {
                          delivered[0] = true;
                          trigger();
                          runner.interrupt();
                        }
                      }
                    }
                  }
                },
                "prop-scheduler-" + prefix);
        scheduler.setDaemon(true);
        startOrSkip(scheduler);
      }
      try {
        join(runner, HANG_MILLIS);
        if (runner.isAlive() && inUnguardedFallback(runner)) {
          throw new EnvironmentFailure(
              "the machine refused a new thread, so the engine called a"
                  + " blocking interrupt on run()'s own thread (its documented fallback)");
        }
        if (runner.isAlive()) {
          fail(
              "run() did not return within "
                  + HANG_MILLIS
                  + " ms (a hang); group "
                  + g
                  + ", runner "
                  + runner.getState()
                  + " interrupted="
                  + Thread.currentThread().isInterrupted()
                  + " stack: "
                  + stack(runner)
                  + "\n"
                  + threadDump());
          return violations;
        }
        if (scheduler != null) {
          join(scheduler, SETTLE_MILLIS);
        }
        Exit e = Objects.requireNonNull(exit[0]);
        runEndNanos = times[1];
        boolean wasDelivered;
        synchronized (lock) {
          wasDelivered = delivered[0];
        }
        checkBound(times[1]);
        if (flagAfter[0] != wasDelivered) {
          fail(
              "interrupt flag after run() is "
                  + flagAfter[0]
                  + " but the caller was "
                  + (wasDelivered ? "" : "not ")
                  + "interrupted");
        }
        if (watcher != null) {
          join(watcher, SETTLE_MILLIS);
          if (watcher.isAlive()) {
            fail("awaitReady did not return once the group stopped: " + stack(watcher));
          }
        }
        List<Thread> groupThreads = groupThreads(before);
        checkThreads(e, groupThreads);
        checkExit(e, wasDelivered);
        checkEvents(e);
        checkLowerBound(e, times[1]);
        checkThreadInterruptReachedStuckActors(e);
        GraphChecks graph = new GraphChecks(this, e);
        graph.checkAtReturn();
        release.countDown();
        for (Thread t : groupThreads(before)) {
          if (t.isAlive()
              && actorIndex(t.getName()) >= 0
              && !e.actors().get(actorIndex(t.getName())).stopped()) {
            t.interrupt(); // an abandoned STUCK_SOFT actor that reached execute only now
          }
        }
        for (Thread t : groupThreads) {
          join(t, SETTLE_MILLIS);
        }
        for (Thread t : groupThreads(before)) {
          join(t, SETTLE_MILLIS);
          if (t.isAlive()) {
            fail(
                "thread "
                    + t.getName()
                    + " still alive even after every block was released: "
                    + stack(t));
          }
        }
        checkEventually(e);
        graph.checkSettled();
      } finally {
        release.countDown();
        if (runner.isAlive()) {
          runner.interrupt();
          join(runner, SETTLE_MILLIS);
        }
      }
      return violations;
    }

    static int startupTimeout(ActorSpec a) {
      Opts o = a.opts();
      return o == null ? 0 : o.startupTimeoutMillis();
    }

    void checkBound(long runEnded) {
      Event stopping = first("stopping");
      if (stopping == null) {
        fail("groupStopping was never called");
        return;
      }
      if (c.hasTimeout()) {
        long took = TimeUnit.NANOSECONDS.toMillis(runEnded - stopping.nanos());
        long bound = c.timeoutMillis() + c.graceMillis() + BOUND_SLACK_MILLIS;
        if (took > bound) {
          fail(
              "run() returned "
                  + took
                  + " ms after the stop began, over timeout + grace ("
                  + (c.timeoutMillis() + c.graceMillis())
                  + " ms) + slack");
        }
      }
    }

    /** An actor abandoned (or an interrupt left blocked) only after the whole deadline. */
    void checkLowerBound(Exit e, long runEnded) {
      Event stopping = first("stopping");
      if (stopping == null || !c.hasTimeout() || c.stopBeforeRun()) {
        return;
      }
      long took = TimeUnit.NANOSECONDS.toMillis(runEnded - stopping.nanos());
      if (!e.allStopped() && took < c.timeoutMillis() + c.graceMillis() - EARLY_MARGIN_MILLIS) {
        fail("an actor was abandoned " + took + " ms after the stop began, before timeout + grace");
      }
      // every interrupt is waited for until the deadline: the stop's, a restart's, the timer's;
      // a supplier-form actor that never got an incarnation has none to complete
      boolean blocked = false;
      for (int i = 0; i < actors.size(); i++) {
        ActorState a = actors.get(i);
        boolean hasIncarnation = a.opts == null || !a.opts.supplier() || a.lastInc() != null;
        blocked |= hasIncarnation && !e.actors().get(i).interruptCompleted();
      }
      if (blocked && took < c.timeoutMillis() - EARLY_MARGIN_MILLIS) {
        fail(
            "an interrupt was reported not completed "
                + took
                + " ms after the stop began,"
                + " before the timeout");
      }
    }

    /** Threads still in execute at the deadline get Thread.interrupt(): STUCK_SOFT ends on it. */
    void checkThreadInterruptReachedStuckActors(Exit e) {
      if (!c.hasTimeout() || c.stopBeforeRun()) {
        return;
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
      for (int i = 0; i < actors.size(); i++) {
        ActorState a = actors.get(i);
        int index = i;
        boolean heldByListener =
            c.listeners().stream().anyMatch(l -> l.stuckInStartedOf() == index);
        if (heldByListener) {
          continue;
        }
        for (Inc inc : a.incs) {
          if (!inc.follows
              || a.spec.exec() != GroupCase.Exec.STUCK_SOFT
              || inc.execCount.get() == 0) {
            continue;
          }
          while (!inc.threadInterrupted && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling an eventual state
          }
          if (!inc.threadInterrupted) {
            fail(
                "actor "
                    + i
                    + " incarnation "
                    + inc.number
                    + " ignores its interrupt and was still in execute at the deadline,"
                    + " but never got Thread.interrupt()");
          }
        }
      }
    }

    List<Thread> groupThreads(Set<Thread> before) {
      List<Thread> out = new ArrayList<>();
      Set<Thread> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      if (c.threads() == ThreadKind.DEFAULT) {
        for (Event ev : events) {
          if (ev.actor() >= 0
              && !ev.thread().getName().startsWith("prop-")
              && seen.add(ev.thread())) {
            out.add(ev.thread());
          }
        }
        for (Thread t : liveThreads()) {
          if (!before.contains(t)
              && (actorIndex(t.getName()) >= 0 || isStopper(t) || isTimer(t))
              && seen.add(t)) {
            out.add(t);
          }
        }
      } else {
        out.addAll(factoryThreads);
        if (!before.isEmpty()) {
          for (Thread t : liveThreads()) {
            if (!before.contains(t) && isTimer(t) && seen.add(t)) {
              out.add(t);
            }
          }
        }
      }
      return out;
    }

    void checkThreads(Exit e, List<Thread> threads) {
      boolean someInterruptIncomplete = e.actors().stream().anyMatch(o -> !o.interruptCompleted());
      boolean someIncarnationInterruptBlocked =
          actors.stream()
              .anyMatch(
                  a -> a.incs.stream().anyMatch(i -> i.intrCount.get() > 0 && !i.intrReturned));
      for (Thread t : threads) {
        if (!t.isAlive()) {
          continue;
        }
        String name = t.getName();
        int i = actorIndex(name);
        boolean allowed;
        String what;
        if (i >= 0 && i < e.actors().size()) {
          allowed = !e.actors().get(i).stopped();
          what = "actor " + name + " (outcome " + e.actors().get(i) + ")";
        } else if (isStopper(t)) {
          allowed = someInterruptIncomplete;
          what = "stopper thread " + name;
        } else if (isTimer(t)) {
          allowed = someIncarnationInterruptBlocked;
          what = "startup timer thread " + name;
        } else {
          allowed = false;
          what = "unknown group thread '" + name + "'";
        }
        if (allowed) {
          continue;
        }
        // run() waits for every execute to return, not for the threads to die: a thread that
        // was ending as run() returned (or that the deadline caught ending) takes a moment
        join(t, SETTLE_MILLIS);
        if (t.isAlive()) {
          fail(
              "thread alive "
                  + SETTLE_MILLIS
                  + " ms after run() returned, not reported as not stopped: "
                  + what
                  + " at "
                  + stack(t));
        }
      }
    }

    void checkExit(Exit e, boolean delivered) {
      int n = c.actors().size();
      if (e.actors().size() != n) {
        fail("Exit has " + e.actors().size() + " outcomes for " + n + " actors");
        return;
      }
      boolean groupStarted = !c.stopBeforeRun() && n > 0;
      for (int i = 0; i < n; i++) {
        Exit.Outcome o = e.actors().get(i);
        ActorState a = actors.get(i);
        String who = "actor " + i + " " + o;
        if (!o.name().equals(prefix + i)) {
          fail(who + ": wrong name or order");
        }
        if (!o.stopped() && !c.hasTimeout()) {
          fail(who + ": not stopped without a stop timeout");
        }
        boolean executed = a.incs.stream().anyMatch(inc -> inc.execCount.get() > 0);
        if (o.stopped()
            && o.started()
            && a.incs.stream().anyMatch(inc -> inc.execCount.get() > 0 && !inc.execDone)) {
          fail(who + ": reported stopped but an execute has not returned");
        }
        if (o.stopped() && o.started() != executed) {
          fail(who + ": started() is " + o.started() + " but execute ran: " + executed);
        }
        if (o.stopped()) {
          a.checkError(o, who);
        } else if (a.opts == null && o.error() != null) {
          fail(who + ": still running but has an error");
        }
        if (!o.started() && o.error() != null) {
          Throwable f = factoryFailure;
          boolean factoryFault =
              c.factoryFailAt() == i
                  && f != null
                  && (o.error() == f || o.error() instanceof RejectedExecutionException);
          boolean supplierFault = !a.supplierFailures.isEmpty();
          if (!factoryFault && !supplierFault) {
            fail(who + ": not started but has error " + o.error());
          }
        }
        if (!o.started() && c.factoryFailAt() == i && factoryFailure != null && o.error() == null) {
          fail(who + ": its thread could not be made but the outcome has no error");
        }
        Inc last = a.lastInc();
        if (o.interruptCompleted()) {
          if (last == null || !last.intrReturned) {
            fail(who + ": interrupt reported completed but it has not returned");
          } else if (o.interruptError() != last.intrThrown) {
            fail(
                who
                    + ": interruptError "
                    + o.interruptError()
                    + " but its last incarnation's interrupt threw "
                    + last.intrThrown);
          }
        } else {
          if (o.interruptError() != null) {
            fail(who + ": interruptError set but interrupt not completed");
          }
          boolean hasIncarnation = a.opts == null || !a.opts.supplier() || last != null;
          if (groupStarted && !c.hasTimeout() && hasIncarnation) {
            fail(who + ": interrupt not completed without a stop timeout");
          }
        }
        for (Inc inc : a.incs) {
          if (inc.intrCount.get() > 1) {
            fail(
                who
                    + ": interrupt of incarnation "
                    + inc.number
                    + " called "
                    + inc.intrCount.get()
                    + " times");
          }
          if (inc.execCount.get() > 1) {
            fail(
                who
                    + ": execute of incarnation "
                    + inc.number
                    + " called "
                    + inc.execCount.get()
                    + " times");
          }
          if (inc.intrCount.get() > 0 && inc.stopInterrupt() && inc.intrCause != e.error()) {
            fail(
                who
                    + ": the stop interrupted incarnation "
                    + inc.number
                    + " with cause "
                    + inc.intrCause
                    + " but Exit.error() is "
                    + e.error());
          }
        }
        if (c.stopBeforeRun()
            && (o.started()
                || a.gets.get() != 0
                || a.incs.stream()
                    .anyMatch(inc -> inc.intrCount.get() != 0 || inc.execCount.get() != 0))) {
          fail(who + ": the group was stopped before run() but the actor ran or was interrupted");
        }
      }
      Throwable err = e.error();
      if (e.firstActor().isPresent()) {
        int i = actorIndex(e.firstActor().get());
        if (i < 0 || i >= n) {
          fail("firstActor " + e.firstActor() + " is not an actor");
        } else if (c.stopBeforeRun()) {
          fail("firstActor " + e.firstActor() + " after a stop before run()");
        } else {
          Exit.Outcome o = e.actors().get(i);
          // a startup timeout stops the group at the timeout, whether or not execute returns
          if (!o.stopped() && !(o.error() instanceof StartupTimeoutException)) {
            fail("first actor " + o + " is not stopped");
          }
          if (err != o.error()) {
            fail("Exit.error() " + err + " is not the first actor's error " + o.error());
          }
        }
      } else if (n > 0) {
        boolean ok =
            (err == null && (stopWithoutCause || actorStoppedWithoutCause()))
                || (err != null && stopCauses.contains(err))
                || (err instanceof InterruptedException && delivered);
        if (!ok) {
          fail("Exit.error() " + err + " without a first actor matches no stop or interrupt");
        }
      } else if (err != null && !stopCauses.contains(err)) {
        fail("an empty group's Exit.error() is " + err);
      }
      Set<Throwable> kept = Collections.newSetFromMap(new IdentityHashMap<>());
      kept.addAll(e.listenerErrors());
      for (Throwable t : listenerThrown) {
        if (!kept.contains(t) && !lateListenerError(e, t) && !(c.hasTimeout() && actorEvent(t))) {
          fail("listener error lost: " + t);
        }
      }
    }

    /** A failure in a listener called on an actor's thread: may race with a deadline. */
    boolean actorEvent(Throwable t) {
      String m = String.valueOf(t.getMessage());
      return m.contains(" in actor") || m.contains(" in groupReady");
    }

    boolean actorStoppedWithoutCause() {
      return actors.stream()
          .anyMatch(
              a -> a.incs.stream().anyMatch(inc -> inc.stoppedGroup && inc.stopCause == null));
    }

    /** A listener failure thrown after run() returned, by an actor the timeout abandoned. */
    boolean lateListenerError(Exit e, Throwable t) {
      String m = String.valueOf(t.getMessage());
      for (int i = 0; i < e.actors().size(); i++) {
        if (!e.actors().get(i).stopped() && m.contains(" " + prefix + i + " ")) {
          return true;
        }
      }
      return false;
    }

    void checkEvents(Exit e) {
      List<Event> list = sortedEvents();
      long stoppingCount = list.stream().filter(ev -> ev.kind().equals("stopping")).count();
      long stoppedCount = list.stream().filter(ev -> ev.kind().equals("stopped")).count();
      if (stoppingCount != 1 || stoppedCount != 1) {
        fail("groupStopping called " + stoppingCount + " times, groupStopped " + stoppedCount);
        return;
      }
      Event stopping = Objects.requireNonNull(first("stopping"));
      Event stopped = Objects.requireNonNull(first("stopped"));
      if (stopping.seq() > stopped.seq()) {
        fail("groupStopped before groupStopping");
      }
      if (!Objects.equals(stopping.first(), e.firstActor().orElse(null))
          || stopping.cause() != e.error()) {
        fail(
            "groupStopping("
                + stopping.first()
                + ", "
                + stopping.cause()
                + ") but Exit says "
                + e.firstActor()
                + ", "
                + e.error());
      }
      if (stopped.exit() != e) {
        fail("groupStopped got another Exit than run() returned");
      }
      for (int i = 0; i < actors.size(); i++) {
        ActorState a = actors.get(i);
        Exit.Outcome o = e.actors().get(i);
        for (Inc inc : a.incs) {
          if (inc.intrCount.get() > 0 && inc.stopInterrupt() && inc.intrSeq < stopping.seq()) {
            fail("the stop's interrupt of actor " + i + " called before groupStopping");
          }
        }
        int actor = i;
        List<Event> own = list.stream().filter(ev -> ev.actor() == actor).toList();
        long starts = own.stream().filter(ev -> ev.kind().equals("started")).count();
        long executed = a.incs.stream().filter(inc -> inc.execCount.get() > 0).count();
        if (o.stopped() && starts != executed) {
          fail(
              "actor "
                  + i
                  + ": "
                  + executed
                  + " executes but actorStarted came "
                  + starts
                  + " times");
        }
        for (Event ev : own) {
          if (ev.seq() > stopped.seq()) {
            boolean late = !o.stopped() || (c.hasTimeout() && ev.kind().equals("returned"));
            if (!late) {
              fail("actor " + i + ": " + ev.kind() + " after groupStopped");
            }
          }
        }
        long returns = own.stream().filter(ev -> ev.kind().equals("returned")).count();
        if (o.stopped() && !c.hasTimeout() && returns != executed) {
          fail(
              "actor "
                  + i
                  + ": "
                  + executed
                  + " executes returned but actorReturned came "
                  + returns
                  + " times before run() returned");
        }
      }
    }

    List<Event> sortedEvents() {
      List<Event> list = new ArrayList<>(events);
      list.sort((a, b) -> Long.compare(a.seq(), b.seq()));
      return list;
    }

    void checkEventually(Exit e) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
      boolean groupStarted = !c.stopBeforeRun() && !actors.isEmpty();
      while (true) {
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < actors.size(); i++) {
          ActorState a = actors.get(i);
          Exit.Outcome o = e.actors().get(i);
          boolean supplierForm = a.opts != null && a.opts.supplier();
          if (!supplierForm && a.incs.size() != 1) {
            pending.add("actor " + i + ": " + a.incs.size() + " instances of an Interruptible");
          }
          for (Inc inc : a.incs) {
            int count = inc.intrCount.get();
            boolean expected = groupStarted && (supplierForm || !c.stopBeforeRun());
            if (expected ? count != 1 : count != 0) {
              pending.add(
                  "actor "
                      + i
                      + ", incarnation "
                      + inc.number
                      + ": interrupt called "
                      + count
                      + " times");
            }
          }
          if (!o.started()
              && o.stopped()
              && a.incs.stream().anyMatch(inc -> inc.execCount.get() != 0)) {
            pending.add(
                "actor "
                    + i
                    + " reported never started, but its execute ran after run()"
                    + " returned");
          }
        }
        Set<Throwable> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(e.listenerErrors());
        for (Throwable t : listenerThrown) {
          if (!kept.contains(t)) {
            pending.add("listener error lost even later: " + t);
          }
        }
        if (e.listenerErrors().size() != listenerThrown.size()) {
          pending.add(
              "Exit.listenerErrors() has "
                  + e.listenerErrors().size()
                  + " errors, listeners threw "
                  + listenerThrown.size());
        }
        if (pending.isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          violations.addAll(pending);
          return;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling an eventual state
      }
    }

    @Nullable Event first(String kind) {
      for (Event ev : events) {
        if (ev.kind().equals(kind)) {
          return ev;
        }
      }
      return null;
    }

    void record(
        String kind,
        String actor,
        @Nullable Thread param,
        @Nullable Throwable cause,
        int restart,
        @Nullable Duration delay) {
      int i = actorIndex(actor);
      int attempt = i >= 0 && i < actors.size() ? actors.get(i).attemptNow() : -1;
      events.add(
          new Event(
              seq.incrementAndGet(),
              System.nanoTime(),
              kind,
              i,
              attempt,
              Thread.currentThread(),
              param,
              null,
              cause,
              null,
              restart,
              delay));
    }

    /** The first listener: records every event with a sequence number and time. */
    final class Recorder implements GroupListener {
      @Override
      public void actorStarted(String actor, Thread thread) {
        record("started", actor, thread, null, 0, null);
      }

      @Override
      public void actorReady(String actor) {
        record("ready", actor, null, null, 0, null);
      }

      @Override
      public void groupReady() {
        record("groupReady", "", null, null, 0, null);
      }

      @Override
      public void actorRestarting(
          String actor, @Nullable Throwable error, int restart, Duration delay) {
        record("restarting", actor, null, error, restart, delay);
      }

      @Override
      public void actorReturned(String actor, @Nullable Throwable error) {
        int i = actorIndex(actor);
        if (i >= 0 && i < actors.size()) {
          ActorState a = actors.get(i);
          Inc inc = a.lastExecuted;
          if (inc == null) {
            fail("actorReturned(" + actor + ") but no execute of it returned");
          } else {
            inc.reported = error;
            inc.reportedSet = true;
            boolean timedOut =
                error instanceof StartupTimeoutException && a.startupTimeoutMillis() > 0;
            if (error != inc.execThrown && !timedOut) {
              fail(
                  "actorReturned("
                      + actor
                      + ") got "
                      + error
                      + " but execute threw "
                      + inc.execThrown);
            }
          }
        }
        record("returned", actor, null, error, 0, null);
      }

      @Override
      public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
        events.add(
            new Event(
                seq.incrementAndGet(),
                System.nanoTime(),
                "stopping",
                -1,
                -1,
                Thread.currentThread(),
                null,
                firstActor,
                cause,
                null,
                0,
                null));
      }

      @Override
      public void groupStopped(Exit exit) {
        events.add(
            new Event(
                seq.incrementAndGet(),
                System.nanoTime(),
                "stopped",
                -1,
                -1,
                Thread.currentThread(),
                null,
                null,
                null,
                exit,
                0,
                null));
      }
    }

    /** An extra listener that throws in some events, or blocks in one actorStarted. */
    final class Thrower implements GroupListener {
      final int index;
      final ListenerSpec spec;

      Thrower(int index, ListenerSpec spec) {
        this.index = index;
        this.spec = spec;
      }

      private void maybeThrow(int bit, String event) {
        if ((spec.throwMask() & bit) == 0) {
          return;
        }
        String message = "listener " + index + " in " + event + " ";
        Throwable t =
            spec.throwError() ? new ActorError(message) : new IllegalStateException(message);
        listenerThrown.add(t);
        if (t instanceof Error error) {
          throw error;
        }
        throw (RuntimeException) t;
      }

      @Override
      public void actorStarted(String actor, Thread thread) {
        if (actorIndex(actor) == spec.stuckInStartedOf()) {
          awaitRelease();
        }
        maybeThrow(1, "actorStarted " + actor);
      }

      @Override
      public void actorReturned(String actor, @Nullable Throwable error) {
        maybeThrow(2, "actorReturned " + actor);
      }

      @Override
      public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
        maybeThrow(4, "groupStopping");
      }

      @Override
      public void groupStopped(Exit exit) {
        maybeThrow(8, "groupStopped");
      }

      @Override
      public void actorReady(String actor) {
        maybeThrow(16, "actorReady " + actor);
      }

      @Override
      public void groupReady() {
        maybeThrow(32, "groupReady");
      }

      @Override
      public void actorRestarting(
          String actor, @Nullable Throwable error, int restart, Duration delay) {
        maybeThrow(64, "actorRestarting " + actor);
      }
    }

    /** One actor: its spec and every incarnation made of it. */
    final class ActorState {
      final int index;
      final ActorSpec spec;
      final @Nullable Opts opts;
      final String name;

      /** Every incarnation object made, in order: one for the Interruptible forms. */
      final List<Inc> incs = new CopyOnWriteArrayList<>();

      /** The supplier's calls so far: the number of the next attempt. */
      final AtomicInteger gets = new AtomicInteger();

      final List<SupplierFailure> supplierFailures = new CopyOnWriteArrayList<>();

      /** The incarnation whose execute returned last; written and read on the actor's thread. */
      volatile @Nullable Inc lastExecuted;

      /** The actor's thread, once seen. */
      volatile @Nullable Thread thread;

      ActorState(int index, ActorSpec spec) {
        this.index = index;
        this.spec = spec;
        this.opts = spec.opts();
        this.name = prefix + index;
        if (opts == null || !opts.supplier()) {
          incs.add(new Inc(this, 0));
        }
      }

      Inc single() {
        return incs.get(0);
      }

      int startupTimeoutMillis() {
        return opts == null ? 0 : opts.startupTimeoutMillis();
      }

      /** The attempt the actor's thread is at: the supplier call it made last. */
      int attemptNow() {
        return opts != null && opts.supplier() ? gets.get() - 1 : 0;
      }

      @Nullable RestartPolicy policy() {
        Opts o = opts;
        if (o == null || o.policy() == GroupCase.Policy.NEVER) {
          return null;
        }
        RestartPolicy p =
            o.policy() == GroupCase.Policy.ALWAYS
                ? RestartPolicy.always()
                : RestartPolicy.onFailure();
        return p.maxRestarts(o.maxRestarts())
            .within(Duration.ofNanos(o.withinMicros() * 1_000L))
            .backoff(
                Duration.ofNanos(o.backoffMicros() * 1_000L),
                Duration.ofNanos(o.backoffMaxMicros() * 1_000L))
            .jitter(o.jitterPercent() / 100.0);
      }

      /** The supplier of the supplier form: a fresh incarnation, or a failure at its attempt. */
      Interruptible get() {
        int n = gets.getAndIncrement();
        Thread me = Thread.currentThread();
        if (thread == null) {
          thread = me;
        } else if (thread != me) {
          fail(
              "actor "
                  + index
                  + ": supplier called on "
                  + me.getName()
                  + ", not on its own thread");
        }
        Opts o = Objects.requireNonNull(opts);
        if (n == o.supplierFailAt()) {
          trigger();
          if ((c.seed() & 4) == 0) {
            supplierFailures.add(
                new SupplierFailure(n, seq.incrementAndGet(), System.nanoTime(), null));
            @SuppressWarnings("NullAway") // the case of a supplier that returns null
            Interruptible none = null;
            return none;
          }
          IllegalStateException thrown =
              new IllegalStateException("supplier of actor " + index + " failed");
          supplierFailures.add(
              new SupplierFailure(n, seq.incrementAndGet(), System.nanoTime(), thrown));
          throw thrown;
        }
        Inc inc = new Inc(this, n);
        incs.add(inc);
        return inc;
      }

      @Nullable Inc lastInc() {
        return incs.isEmpty() ? null : incs.get(incs.size() - 1);
      }

      /** The outcome's error of a stopped actor: that of its last incarnation. */
      void checkError(Exit.Outcome o, String who) {
        Inc last = lastInc();
        SupplierFailure lastFailure =
            supplierFailures.isEmpty() ? null : supplierFailures.get(supplierFailures.size() - 1);
        if (lastFailure != null && (last == null || lastFailure.attempt() > last.number)) {
          if (lastFailure.thrown() == null
              ? !(o.error() instanceof NullPointerException)
                  || !String.valueOf(o.error().getMessage()).contains(name)
              : o.error() != lastFailure.thrown()) {
            fail(
                who
                    + ": error is "
                    + o.error()
                    + " but the last attempt's supplier failed with "
                    + lastFailure);
          }
          return;
        }
        if (last == null || last.execCount.get() == 0) {
          if (o.error() != null && !(c.factoryFailAt() == index) && !previousFailure(o.error())) {
            fail(who + ": its last incarnation never ran but the error is " + o.error());
          }
          return;
        }
        Throwable expected = last.failure();
        if (o.error() != expected) {
          fail(
              who
                  + ": error is "
                  + o.error()
                  + " but its last incarnation failed with "
                  + expected);
        }
      }

      /** Whether {@code t} is what an earlier attempt failed with. */
      boolean previousFailure(Throwable t) {
        for (Inc inc : incs) {
          if (inc.failure() == t) {
            return true;
          }
        }
        for (SupplierFailure f : supplierFailures) {
          if (f.thrown() == t || (f.thrown() == null && t instanceof NullPointerException)) {
            return true;
          }
        }
        return false;
      }
    }

    /** One incarnation: follows its actor's {@link ActorSpec}, recording what it did. */
    final class Inc implements Interruptible {
      final ActorState actor;
      final int number;
      final boolean follows;
      final CountDownLatch signal = new CountDownLatch(1);
      final AtomicInteger execCount = new AtomicInteger();
      final AtomicInteger intrCount = new AtomicInteger();
      volatile long execBeginSeq = -1;
      volatile long execEndSeq = -1;
      volatile long execEndNanos;
      volatile @Nullable Throwable execThrown;
      volatile boolean execDone;
      volatile long readyCallSeq = -1;
      volatile @Nullable Throwable reported;
      volatile boolean reportedSet;
      volatile @Nullable Throwable intrThrown;
      volatile boolean intrReturned;
      volatile @Nullable Throwable intrCause;
      volatile long intrSeq = Long.MAX_VALUE;
      volatile long intrNanos;
      volatile @Nullable Thread intrThread;
      volatile boolean stoppedGroup;
      volatile boolean threadInterrupted;
      volatile @Nullable Throwable stopCause;

      Inc(ActorState actor, int number) {
        this.actor = actor;
        this.number = number;
        this.follows = actor.spec.follows(number);
      }

      /** What the engine should count this incarnation's execute as: its startup timeout wins. */
      @Nullable Throwable failure() {
        Throwable cause = intrCause;
        if (intrCount.get() > 0
            && isTimer(intrThread)
            && cause instanceof StartupTimeoutException) {
          return cause;
        }
        return execThrown;
      }

      /** Whether this interrupt was the stop's: not the restart's, not the startup timer's. */
      boolean stopInterrupt() {
        Thread t = intrThread;
        if (t == null || isTimer(t)) {
          return false;
        }
        return t != actor.thread || execCount.get() == 0;
      }

      @Override
      public void execute() throws Exception {
        execCount.incrementAndGet();
        Thread me = Thread.currentThread();
        if (actor.thread == null) {
          actor.thread = me;
        }
        execBeginSeq = seq.incrementAndGet();
        ActorContext ctx = ActorContext.current();
        if (!ctx.name().equals(actor.name)) {
          fail("actor " + actor.index + ": ActorContext.name() is " + ctx.name());
        }
        if (ctx.restarts() != number) {
          fail(
              "actor "
                  + actor.index
                  + ", incarnation "
                  + number
                  + ": ActorContext.restarts() is "
                  + ctx.restarts());
        }
        Opts o = actor.opts;
        try {
          if (o != null && o.signalled() && o.signalAtMicros() >= 0) {
            try {
              boolean unused = signal.await(o.signalAtMicros(), TimeUnit.MICROSECONDS);
            } catch (InterruptedException e) {
              me.interrupt(); // the stop timeout's: for what follows to see
            }
            readyCallSeq = seq.incrementAndGet();
            ctx.ready();
            ctx.ready(); // idempotent
          } else if ((o == null || !o.signalled()) && actor.index % 3 == 1) {
            ctx.ready(); // no effect: not a SIGNALLED actor
          }
          GroupCase.Exec exec = follows ? actor.spec.exec() : GroupCase.Exec.WAIT;
          GroupCase.End end = follows ? actor.spec.end() : GroupCase.End.NORMAL;
          switch (exec) {
            case WAIT -> {
              signal.await();
              if (!ctx.isStopping()) {
                fail(
                    "actor "
                        + actor.index
                        + ": interrupted, but ActorContext.isStopping() is false");
              }
            }
            case RETURN -> TimeUnit.MICROSECONDS.sleep(actor.spec.delayMicros());
            case STOP_GROUP -> {
              TimeUnit.MICROSECONDS.sleep(actor.spec.delayMicros());
              Throwable cause =
                  actor.index % 2 == 0 ? null : new IllegalStateException("actor stop");
              if (cause != null) {
                synchronized (stopCauses) {
                  stopCauses.add(cause);
                }
              }
              stopCause = cause;
              stoppedGroup = true;
              trigger();
              Objects.requireNonNull(group).stop(cause);
              signal.await();
            }
            case STUCK_SOFT -> {
              try {
                boolean unused =
                    new CountDownLatch(1).await(HANG_MILLIS * 2, TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                threadInterrupted = true; // the only way out: Thread.interrupt() after the timeout
              }
            }
            case STUCK_HARD -> awaitRelease();
            default -> throw new AssertionError("unexpected exec: " + exec);
          }
          switch (end) {
            case NORMAL -> {}
            case EXCEPTION ->
                throw new IllegalStateException("actor " + actor.index + "." + number + " failed");
            case ERROR -> throw new ActorError("actor " + actor.index + "." + number + " error");
            default -> throw new AssertionError("unexpected end: " + end);
          }
        } catch (Throwable t) {
          execThrown = t;
          throw t;
        } finally {
          trigger();
          execEndNanos = System.nanoTime();
          execEndSeq = seq.incrementAndGet();
          execDone = true;
          actor.lastExecuted = this;
        }
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        if (cause instanceof StartupTimeoutException && actor.policy() == null) {
          // The timer stopped the group just before this call (no restart can follow): the
          // stop timeout counts from about now, as from any other trigger.
          trigger();
        }
        intrSeq = seq.incrementAndGet();
        intrNanos = System.nanoTime();
        intrThread = Thread.currentThread();
        intrCause = cause;
        intrCount.incrementAndGet();
        try {
          switch (actor.spec.intr()) {
            case SIGNAL -> signal.countDown();
            case THROW -> {
              signal.countDown();
              throw new IllegalStateException(
                  "interrupt " + actor.index + "." + number + " failed");
            }
            case THROW_ERROR -> {
              signal.countDown();
              throw new ActorError("interrupt " + actor.index + "." + number + " error");
            }
            case SLOW -> {
              try {
                TimeUnit.MICROSECONDS.sleep(actor.spec.delayMicros() % 2_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              signal.countDown();
            }
            case BLOCK_AFTER_SIGNAL -> {
              signal.countDown();
              awaitRelease();
            }
            case BLOCK_BEFORE_SIGNAL -> {
              awaitRelease();
              signal.countDown();
            }
            default -> throw new AssertionError("unexpected intr: " + actor.spec.intr());
          }
        } catch (RuntimeException | Error t) {
          intrThrown = t;
          throw t;
        } finally {
          intrReturned = true;
        }
      }

      @Override
      public String toString() {
        return "incarnation " + number + " of actor " + actor.index;
      }
    }
  }

  /**
   * The machine ran out of threads (pthread_create EAGAIN, seen on shared CI machines): the case
   * says nothing about the engine and is skipped.
   */
  public static final class EnvironmentFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EnvironmentFailure(String message) {
      super(message);
    }
  }

  static void startOrSkip(Thread t) {
    try {
      t.start();
    } catch (OutOfMemoryError e) {
      throw new EnvironmentFailure("cannot start a test thread: " + e);
    }
  }

  /** Whether run()'s thread is itself in an interrupt because no stopper thread could start. */
  static boolean inUnguardedFallback(Thread runner) {
    StackTraceElement[] stack = runner.getStackTrace();
    for (int i = 1; i < stack.length; i++) {
      if (stack[i].getMethodName().equals("stopWithin")
          && stack[i - 1].getMethodName().equals("callInterrupt")) {
        return true;
      }
    }
    return false;
  }

  static boolean isStopper(Thread t) {
    return t.getName().startsWith("run-group-stopper");
  }

  static boolean isTimer(@Nullable Thread t) {
    return t != null && t.getName().equals("run-group-startup-timer");
  }

  static Set<Thread> liveThreads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  static void join(Thread t, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (t.isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static void sleepUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static String stack(Thread t) {
    StringBuilder b = new StringBuilder();
    for (StackTraceElement e : t.getStackTrace()) {
      b.append("\n    at ").append(e);
    }
    return b.toString();
  }

  static String threadDump() {
    StringBuilder b = new StringBuilder("thread dump:");
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      b.append("\n  ").append(e.getKey().getName()).append(" ").append(e.getKey().getState());
      for (StackTraceElement s : e.getValue()) {
        b.append("\n    at ").append(s);
      }
    }
    return b.toString();
  }
}
