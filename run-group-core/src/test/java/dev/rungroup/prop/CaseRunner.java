package dev.rungroup.prop;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.TestThreads;
import dev.rungroup.prop.GroupCase.ActorSpec;
import dev.rungroup.prop.GroupCase.ListenerSpec;
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
 * returns within its bound; each interrupt of a started group is called exactly once; the {@link
 * Exit} holds every error thrown; no thread of the group outlives {@code run()} except actors
 * reported as not stopped (and interrupts reported as not completed); listener events come in a
 * valid order. Always releases and joins everything it started before returning.
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
      super(message, null, false, false);
    }
  }

  /** A failure of our thread factory. */
  static final class FactoryFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FactoryFailure(String message) {
      super(message, null, false, false);
    }
  }

  private record Event(
      long seq,
      long nanos,
      String kind,
      int actor,
      @Nullable Thread thread,
      @Nullable String first,
      @Nullable Throwable cause,
      @Nullable Exit exit) {}

  private static final class Execution {
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
    volatile @Nullable Throwable factoryFailure;
    volatile boolean stopWithoutCause;
    @Nullable Group group;

    Execution(GroupCase c, long id) {
      this.c = c;
      this.prefix = "c" + id + "-a";
    }

    void fail(String message) {
      violations.add(message);
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
        g.add(prefix + i, a);
      }
      Set<Thread> before = c.threads() == ThreadKind.DEFAULT ? liveThreads() : Set.of();
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
                      g.stop(outsideCause);
                    } else {
                      synchronized (lock) {
                        if (!returned[0]) {
                          delivered[0] = true;
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
        List<Thread> groupThreads = groupThreads(before);
        checkThreads(e, groupThreads);
        checkExit(e, wasDelivered);
        checkEvents(e);
        checkLowerBound(e, times[1]);
        checkThreadInterruptReachedStuckActors(e);
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
      } finally {
        release.countDown();
        if (runner.isAlive()) {
          runner.interrupt();
          join(runner, SETTLE_MILLIS);
        }
      }
      return violations;
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
      boolean blocked = e.actors().stream().anyMatch(o -> !o.interruptCompleted());
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
        Exit.Outcome o = e.actors().get(i);
        boolean launched = o.started() || !o.stopped();
        if (a.spec.exec() != GroupCase.Exec.STUCK_SOFT || heldByListener || !launched) {
          continue;
        }
        while (!a.threadInterrupted && System.nanoTime() < deadline) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling an eventual state
        }
        if (!a.threadInterrupted) {
          fail(
              "actor "
                  + i
                  + " ignores its interrupt and was still in execute at the deadline,"
                  + " but never got Thread.interrupt()");
        }
      }
    }

    List<Thread> groupThreads(Set<Thread> before) {
      List<Thread> out = new ArrayList<>();
      Set<Thread> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      if (c.threads() == ThreadKind.DEFAULT) {
        for (Event ev : events) {
          if (ev.thread() != null && seen.add(ev.thread())) {
            out.add(ev.thread());
          }
        }
        for (Thread t : liveThreads()) {
          if (!before.contains(t)
              && (actorIndex(t.getName()) >= 0 || isStopper(t))
              && seen.add(t)) {
            out.add(t);
          }
        }
      } else {
        out.addAll(factoryThreads);
      }
      return out;
    }

    void checkThreads(Exit e, List<Thread> threads) {
      boolean someInterruptIncomplete = e.actors().stream().anyMatch(o -> !o.interruptCompleted());
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
        } else {
          allowed = false;
          what = "unknown group thread '" + name + "'";
        }
        if (allowed) {
          continue;
        }
        if (c.hasTimeout() || c.stopBeforeRun()) {
          // a thread the deadline caught while it was already ending may take a moment to die
          join(t, SETTLE_MILLIS);
        }
        if (t.isAlive()) {
          fail(
              "thread alive after run() returned, not reported as not stopped: "
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
        if (o.stopped() && o.started() && !a.execDone) {
          fail(who + ": reported stopped but its execute has not returned");
        }
        if (o.stopped() && o.started() && o.error() != a.execThrown) {
          fail(who + ": error is " + o.error() + " but execute threw " + a.execThrown);
        }
        if (!o.started() && o.error() != null) {
          Throwable f = factoryFailure;
          boolean factoryFault =
              c.factoryFailAt() == i
                  && f != null
                  && (o.error() == f || o.error() instanceof RejectedExecutionException);
          if (!factoryFault) {
            fail(who + ": not started but has error " + o.error());
          }
        }
        if (!o.started() && c.factoryFailAt() == i && factoryFailure != null && o.error() == null) {
          fail(who + ": its thread could not be made but the outcome has no error");
        }
        if (o.interruptCompleted()) {
          if (!a.intrReturned) {
            fail(who + ": interrupt reported completed but it has not returned");
          }
          if (o.interruptError() != a.intrThrown) {
            fail(
                who
                    + ": interruptError "
                    + o.interruptError()
                    + " but interrupt threw "
                    + a.intrThrown);
          }
        } else {
          if (o.interruptError() != null) {
            fail(who + ": interruptError set but interrupt not completed");
          }
          if (groupStarted && !c.hasTimeout()) {
            fail(who + ": interrupt not completed without a stop timeout");
          }
        }
        if (a.intrCount.get() > 1) {
          fail(who + ": interrupt called " + a.intrCount.get() + " times");
        }
        if (a.execCount.get() > 1) {
          fail(who + ": execute called " + a.execCount.get() + " times");
        }
        if (c.stopBeforeRun()
            && (o.started() || a.intrCount.get() != 0 || a.execCount.get() != 0)) {
          fail(who + ": the group was stopped before run() but the actor ran or was interrupted");
        }
        Throwable cause = a.intrCause;
        if (a.intrCount.get() > 0 && cause != e.error()) {
          fail(who + ": interrupt got cause " + cause + " but Exit.error() is " + e.error());
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
          if (!o.stopped()) {
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

    /** A failure in actorStarted/actorReturned: may race with a deadline; checked eventually. */
    boolean actorEvent(Throwable t) {
      return String.valueOf(t.getMessage()).contains(" in actor");
    }

    boolean actorStoppedWithoutCause() {
      return actors.stream().anyMatch(a -> a.stoppedGroup && a.stopCause == null);
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
      List<Event> list = new ArrayList<>(events);
      list.sort((a, b) -> Long.compare(a.seq(), b.seq()));
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
        long intrSeq = a.intrSeq;
        if (a.intrCount.get() > 0 && intrSeq < stopping.seq()) {
          fail("interrupt of actor " + i + " called before groupStopping");
        }
        int actor = i;
        List<Event> own = list.stream().filter(ev -> ev.actor() == actor).toList();
        long starts = own.stream().filter(ev -> ev.kind().equals("started")).count();
        if (o.started() && starts != 1) {
          fail("actor " + i + " started but actorStarted came " + starts + " times");
        }
        if (o.stopped() && !o.started() && starts != 0) {
          fail("actor " + i + " reported never started and stopped, but actorStarted came");
        }
        boolean seenStart = false;
        for (Event ev : own) {
          if (ev.kind().equals("started")) {
            seenStart = true;
          } else if (!seenStart) {
            fail("actor " + i + ": actorReturned before actorStarted");
          }
          if (ev.seq() > stopped.seq()) {
            boolean late = !o.stopped() || (c.hasTimeout() && ev.kind().equals("returned"));
            if (!late) {
              fail("actor " + i + ": " + ev.kind() + " after groupStopped");
            }
          }
        }
        if (o.started()
            && o.stopped()
            && !c.hasTimeout()
            && own.stream().noneMatch(ev -> ev.kind().equals("returned"))) {
          fail("actor " + i + " returned but actorReturned did not come before run() returned");
        }
      }
      if (!c.hasTimeout() && !c.stopBeforeRun()) {
        for (int i = 1; i < actors.size(); i++) {
          if (actors.get(i).intrSeq < actors.get(i - 1).intrSeq) {
            fail("interrupts out of add order: actor " + i + " before actor " + (i - 1));
          }
        }
      }
    }

    void checkEventually(Exit e) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
      boolean groupStarted = !c.stopBeforeRun() && !actors.isEmpty();
      while (true) {
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < actors.size(); i++) {
          ActorState a = actors.get(i);
          Exit.Outcome o = e.actors().get(i);
          int count = a.intrCount.get();
          if (groupStarted ? count != 1 : count != 0) {
            pending.add("actor " + i + ": interrupt called " + count + " times");
          }
          if (!o.started() && o.stopped() && a.execCount.get() != 0) {
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

    /** The first listener: records every event with a sequence number and time. */
    final class Recorder implements GroupListener {
      @Override
      public void actorStarted(String actor, Thread thread) {
        events.add(
            new Event(
                seq.incrementAndGet(),
                System.nanoTime(),
                "started",
                actorIndex(actor),
                thread,
                null,
                null,
                null));
      }

      @Override
      public void actorReturned(String actor, @Nullable Throwable error) {
        int i = actorIndex(actor);
        if (i >= 0 && i < actors.size() && error != actors.get(i).execThrown) {
          fail(
              "actorReturned("
                  + actor
                  + ") got "
                  + error
                  + " but execute threw "
                  + actors.get(i).execThrown);
        }
        events.add(
            new Event(
                seq.incrementAndGet(), System.nanoTime(), "returned", i, null, null, error, null));
      }

      @Override
      public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
        events.add(
            new Event(
                seq.incrementAndGet(),
                System.nanoTime(),
                "stopping",
                -1,
                null,
                firstActor,
                cause,
                null));
      }

      @Override
      public void groupStopped(Exit exit) {
        events.add(
            new Event(
                seq.incrementAndGet(), System.nanoTime(), "stopped", -1, null, null, null, exit));
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
    }

    /** One actor following its {@link ActorSpec}, recording what it did. */
    final class ActorState implements Interruptible {
      final int index;
      final ActorSpec spec;
      final CountDownLatch signal = new CountDownLatch(1);
      final AtomicInteger execCount = new AtomicInteger();
      final AtomicInteger intrCount = new AtomicInteger();
      volatile @Nullable Throwable execThrown;
      volatile boolean execDone;
      volatile @Nullable Throwable intrThrown;
      volatile boolean intrReturned;
      volatile @Nullable Throwable intrCause;
      volatile long intrSeq = Long.MAX_VALUE;
      volatile boolean stoppedGroup;
      volatile boolean threadInterrupted;
      volatile @Nullable Throwable stopCause;

      ActorState(int index, ActorSpec spec) {
        this.index = index;
        this.spec = spec;
      }

      @Override
      public void execute() throws Exception {
        execCount.incrementAndGet();
        try {
          switch (spec.exec()) {
            case WAIT -> signal.await();
            case RETURN -> TimeUnit.MICROSECONDS.sleep(spec.delayMicros());
            case STOP_GROUP -> {
              TimeUnit.MICROSECONDS.sleep(spec.delayMicros());
              Throwable cause = index % 2 == 0 ? null : new IllegalStateException("actor stop");
              if (cause != null) {
                synchronized (stopCauses) {
                  stopCauses.add(cause);
                }
              }
              stopCause = cause;
              stoppedGroup = true;
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
            default -> throw new AssertionError("unexpected exec: " + spec.exec());
          }
          switch (spec.end()) {
            case NORMAL -> {}
            case EXCEPTION -> throw new IllegalStateException("actor " + index + " failed");
            case ERROR -> throw new ActorError("actor " + index + " error");
            default -> throw new AssertionError("unexpected end: " + spec.end());
          }
        } catch (Throwable t) {
          execThrown = t;
          throw t;
        } finally {
          execDone = true;
        }
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        intrSeq = seq.incrementAndGet();
        intrCause = cause;
        intrCount.incrementAndGet();
        try {
          switch (spec.intr()) {
            case SIGNAL -> signal.countDown();
            case THROW -> {
              signal.countDown();
              throw new IllegalStateException("interrupt " + index + " failed");
            }
            case THROW_ERROR -> {
              signal.countDown();
              throw new ActorError("interrupt " + index + " error");
            }
            case SLOW -> {
              try {
                TimeUnit.MICROSECONDS.sleep(spec.delayMicros() % 2_000);
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
            default -> throw new AssertionError("unexpected intr: " + spec.intr());
          }
        } catch (RuntimeException | Error t) {
          intrThrown = t;
          throw t;
        } finally {
          intrReturned = true;
        }
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
