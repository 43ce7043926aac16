package dev.rungroup.prop;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.StartupTimeoutException;
import dev.rungroup.prop.CaseRunner.Event;
import dev.rungroup.prop.CaseRunner.Execution;
import dev.rungroup.prop.CaseRunner.Execution.ActorState;
import dev.rungroup.prop.CaseRunner.Execution.Inc;
import dev.rungroup.prop.CaseRunner.SupplierFailure;
import dev.rungroup.prop.GroupCase.Opts;
import dev.rungroup.prop.GroupCase.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The properties of the graph and supervision, checked on one {@link Execution} of a case whose
 * actors use options (most hold trivially for a case without: one incarnation per actor, no edge):
 *
 * <ul>
 *   <li>no {@code execute} begins before each actor it starts after became ready (from what the
 *       test saw: the dependency began, signalled, or returned as a one-shot);
 *   <li>each actor's events, per incarnation: {@code actorStarted}, then {@code actorReturned},
 *       {@code actorReady} once per incarnation that became ready, {@code actorRestarting} only
 *       after a return (or a failed supplier), on the actor's own thread;
 *   <li>restarts: the error of the incarnation restarted, its number within the budget, the delay
 *       the policy gives it; never more than {@code maxRestarts} within {@code within}; an
 *       escalation only once the budget is spent, and its error is the group's; {@code
 *       Exit.Outcome.restarts()} counts them;
 *   <li>every interrupt: the stop's with the group's cause, a restart's with the incarnation's own
 *       error (what it throws is added to that error), the startup timer's with a {@link
 *       StartupTimeoutException} naming the actor; nothing thrown is lost;
 *   <li>during the stop, no actor is interrupted before the actors after it (direct or transitive)
 *       returned, unless the stop timeout ran out; the stop's interrupts come in the stop order;
 *   <li>a stop during a long restart delay cancels it: the actor ends and run() returns at once;
 *   <li>the group is ready at most once, only if every actor became ready; {@code isReady()} and
 *       {@code awaitReady} agree.
 * </ul>
 *
 * Every check is a certain violation: where the engine's moment is not observable (when it counted
 * a restart, when it began the stop) the test's own stamps bound it from the safe side.
 */
final class GraphChecks {

  /** A stop during a long restart delay: run() returns within this after the stop began. */
  static final long BACKOFF_STOP_BOUND_MILLIS = 2_500;

  /** A restart delay from this long counts as long (the stop must cancel it). */
  static final long LONG_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** What the checks saw over all cases so far, to show that the properties were exercised. */
  enum Seen {
    /** Actors that began after others. */
    DEPENDENT_STARTS,
    /** Restarts. */
    RESTARTS,
    /** Escalations of a supervised actor, its budget checked. */
    ESCALATIONS,
    /** Startup timeouts. */
    STARTUP_TIMEOUTS,
    /** Stop interrupts of an actor with started dependents, checked for order. */
    ORDERED_STOPS,
    /** Stops during a long restart delay. */
    STOPS_IN_BACKOFF,
    /** Groups that became ready. */
    GROUPS_READY
  }

  private static final Map<Seen, AtomicLong> SEEN = new EnumMap<>(Seen.class);

  static {
    for (Seen s : Seen.values()) {
      SEEN.put(s, new AtomicLong());
    }
  }

  /** The counts of what the checks saw, for the test's report. */
  static String seen() {
    StringBuilder b = new StringBuilder();
    for (Seen s : Seen.values()) {
      b.append(b.length() == 0 ? "" : ", ")
          .append(s.name().toLowerCase(Locale.ROOT).replace('_', ' '))
          .append(' ')
          .append(Objects.requireNonNull(SEEN.get(s)).get());
    }
    return b.toString();
  }

  private static void saw(Seen s) {
    Objects.requireNonNull(SEEN.get(s)).incrementAndGet();
  }

  private final Execution x;
  private final Exit exit;
  private final GroupCase c;

  GraphChecks(Execution x, Exit exit) {
    this.x = x;
    this.exit = exit;
    this.c = x.c;
  }

  private void fail(String message) {
    x.fail(message);
  }

  /** Checks that need the moment run() returned, before the test releases anything. */
  void checkAtReturn() {
    Group g = Objects.requireNonNull(x.group);
    Boolean awaited = x.awaitedReady;
    if (awaited != null && awaited != g.isReady()) {
      fail("awaitReady returned " + awaited + " but isReady() is " + g.isReady());
    }
    try {
      if (g.awaitReady(Duration.ZERO) != g.isReady()) {
        fail("awaitReady(0) after run() disagrees with isReady()");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (int i = 0; i < x.actors.size(); i++) {
      ActorState a = x.actors.get(i);
      Exit.Outcome o = exit.actors().get(i);
      Inc last = a.lastInc();
      if (!o.stopped()
          && last != null
          && last.execCount.get() > 0
          && !last.execDone
          && o.error() != null
          && !(o.error() instanceof StartupTimeoutException)) { // the timeout stopped the group
        fail(
            "actor "
                + i
                + " "
                + o
                + ": its last incarnation is still in execute, but the outcome has an error");
      }
    }
    checkStopDuringBackoff();
  }

  /** Checks on the whole record, once every thread has ended. */
  void checkSettled() {
    List<Event> events = x.sortedEvents();
    for (int i = 0; i < x.actors.size(); i++) {
      ActorState a = x.actors.get(i);
      int index = i;
      List<Event> own =
          events.stream()
              .filter(
                  ev ->
                      ev.actor() == index
                          && !ev.kind().equals("stopping")
                          && !ev.kind().equals("stopped"))
              .toList();
      checkOwnEvents(a, own);
      checkRestarts(a, own, exit.actors().get(i));
      checkInterrupts(a, exit.actors().get(i));
    }
    checkDependenciesReadyFirst(events);
    checkEscalation();
    checkOrderedStop();
    checkGroupReady(events);
  }

  /** Every attempt of an actor, an incarnation or a failed supplier call, by number. */
  private static int attempts(ActorState a) {
    int n = a.incs.isEmpty() ? 0 : a.incs.get(a.incs.size() - 1).number + 1;
    for (SupplierFailure f : a.supplierFailures) {
      n = Math.max(n, f.attempt() + 1);
    }
    return n;
  }

  private static @Nullable Inc inc(ActorState a, int attempt) {
    for (Inc inc : a.incs) {
      if (inc.number == attempt) {
        return inc;
      }
    }
    return null;
  }

  private static @Nullable SupplierFailure supplierFailure(ActorState a, int attempt) {
    for (SupplierFailure f : a.supplierFailures) {
      if (f.attempt() == attempt) {
        return f;
      }
    }
    return null;
  }

  /** Per attempt: the order of its events, its readiness events, the thread they come on. */
  private void checkOwnEvents(ActorState a, List<Event> own) {
    String who = "actor " + a.index;
    int attempts = attempts(a);
    int lastAttempt = -1;
    for (Event ev : own) {
      if (ev.attempt() < lastAttempt) {
        fail(
            who
                + ": "
                + ev.kind()
                + " of attempt "
                + ev.attempt()
                + " after attempt "
                + lastAttempt);
      }
      lastAttempt = Math.max(lastAttempt, ev.attempt());
      if (ev.thread() != a.thread) {
        fail(who + ": " + ev.kind() + " on thread " + ev.thread().getName() + ", not the actor's");
      }
      if (ev.kind().equals("started") && ev.param() != ev.thread()) {
        fail(who + ": actorStarted names another thread than the one it is called on");
      }
    }
    Opts o = a.opts;
    for (int k = 0; k < Math.max(attempts, 1); k++) {
      int attempt = k;
      List<String> kinds =
          own.stream().filter(ev -> ev.attempt() == attempt).map(Event::kind).toList();
      Inc inc = inc(a, k);
      String w = who + ", attempt " + k + " " + kinds;
      if (inc == null) {
        if (!kinds.isEmpty() && !kinds.equals(List.of("restarting"))) {
          fail(w + ": events of a failed supplier call (only actorRestarting may come)");
        }
        continue;
      }
      boolean executed = inc.execCount.get() > 0;
      List<String> withoutReady = kinds.stream().filter(s -> !s.equals("ready")).toList();
      List<String> expected =
          !executed
              ? List.of()
              : withoutReady.contains("restarting")
                  ? List.of("started", "returned", "restarting")
                  : List.of("started", "returned");
      if (!withoutReady.equals(expected)) {
        fail(
            w
                + ": events out of order for an incarnation that "
                + (executed ? "ran" : "never ran"));
        continue;
      }
      long readies = kinds.stream().filter(s -> s.equals("ready")).count();
      int started = kinds.indexOf("started");
      int ready = kinds.indexOf("ready");
      int returned = kinds.indexOf("returned");
      boolean signalled = o != null && o.signalled();
      boolean oneShot = o != null && o.oneShot();
      boolean called = inc.readyCallSeq >= 0;
      if (readies > 1) {
        fail(w + ": actorReady more than once for one incarnation");
      } else if (!executed && readies != 0) {
        fail(w + ": actorReady for an incarnation that never ran");
      } else if (executed && !oneShot && !signalled) {
        if (readies != 1 || ready < started || ready > returned) {
          fail(w + ": an ON_START incarnation is ready once, as its execute begins");
        }
      } else if (executed && signalled && called) {
        if (readies != 1) {
          fail(w + ": a SIGNALLED incarnation that called ready() has one actorReady");
        } else {
          Event readyEvent = readyEvent(own, attempt);
          if (readyEvent != null && readyEvent.seq() < inc.readyCallSeq) {
            fail(w + ": actorReady before the incarnation called ready()");
          }
        }
      } else if (executed && readies == 1) {
        // a one-shot that did not signal: ready only by returning normally
        if (!oneShot || ready < returned || inc.failure() != null) {
          fail(
              w
                  + ": actorReady for an incarnation that neither began (ON_START), signalled nor"
                  + " returned normally as a one-shot");
        }
      }
    }
    for (int k = 0; k + 1 < attempts; k++) {
      int attempt = k;
      if (own.stream().noneMatch(ev -> ev.attempt() == attempt && ev.kind().equals("restarting"))) {
        fail(who + ": attempt " + (k + 1) + " was made without actorRestarting for attempt " + k);
      }
    }
  }

  private static @Nullable Event readyEvent(List<Event> own, int attempt) {
    for (Event ev : own) {
      if (ev.attempt() == attempt && ev.kind().equals("ready")) {
        return ev;
      }
    }
    return null;
  }

  /** The failure of an attempt (null for a normal return) and when it happened. */
  private static @Nullable Throwable failureOf(ActorState a, int attempt) {
    Inc inc = inc(a, attempt);
    if (inc != null) {
      return inc.failure();
    }
    SupplierFailure f = supplierFailure(a, attempt);
    return f == null ? null : f.thrown();
  }

  private static long failedAt(ActorState a, int attempt) {
    Inc inc = inc(a, attempt);
    if (inc != null) {
      return inc.execEndNanos;
    }
    SupplierFailure f = supplierFailure(a, attempt);
    return f == null ? Long.MIN_VALUE : f.nanos();
  }

  private static boolean isSupplierNull(ActorState a, int attempt) {
    SupplierFailure f = supplierFailure(a, attempt);
    return f != null && f.thrown() == null;
  }

  /** The errors, numbers and delays of the restarts; the budget; the count in the outcome. */
  private void checkRestarts(ActorState a, List<Event> own, Exit.Outcome outcome) {
    String who = "actor " + a.index;
    List<Event> restarts = own.stream().filter(ev -> ev.kind().equals("restarting")).toList();
    if (outcome.restarts() != restarts.size()) {
      fail(
          who
              + ": Outcome.restarts() is "
              + outcome.restarts()
              + " but it restarted "
              + restarts.size()
              + " times");
    }
    Opts o = a.opts;
    if (o == null || o.policy() == Policy.NEVER) {
      if (!restarts.isEmpty()) {
        fail(who + ": restarted without a restart policy");
      }
      return;
    }
    for (Event ev : restarts) {
      saw(Seen.RESTARTS);
      Throwable failure = failureOf(a, ev.attempt());
      boolean npe = isSupplierNull(a, ev.attempt()) && ev.cause() instanceof NullPointerException;
      Inc restarted = inc(a, ev.attempt());
      // a normal return under always(): what its interrupt threw, if it did, is the error
      boolean interruptFailure =
          failure == null && restarted != null && ev.cause() == restarted.intrThrown;
      if (ev.cause() != failure && !npe && !interruptFailure) {
        fail(
            who
                + ": actorRestarting("
                + ev.cause()
                + ") but attempt "
                + ev.attempt()
                + " failed with "
                + failure);
      }
      if (o.policy() == Policy.ON_FAILURE && ev.cause() == null) {
        fail(who + ": restarted after a normal return under onFailure()");
      }
      // actorRestarting's number counts every restart of the run; the backoff counts those in the
      // window, which the test cannot see exactly: the delay must fit one position 1..min(n, max)
      int n = ev.restart();
      int expected = restarts.indexOf(ev) + 1;
      if (n != expected) {
        fail(who + ": actorRestarting with number " + n + ", expected " + expected);
        continue;
      }
      long delay = Objects.requireNonNull(ev.delay()).toNanos();
      double j = o.jitterPercent() / 100.0;
      boolean fits = false;
      for (int m = 1; m <= Math.min(n, o.maxRestarts()) && !fits; m++) {
        long base =
            Math.min(o.backoffMaxMicros() * 1_000L, shifted(o.backoffMicros() * 1_000L, m - 1));
        long low = (long) Math.floor(base * (1 - j)) - 1;
        long high = (long) Math.ceil(base * (1 + j)) + 1;
        fits = j == 0 ? delay == base : delay >= low && delay <= high;
      }
      if (!fits) {
        fail(
            who
                + ": restart "
                + n
                + " waits "
                + delay
                + " ns, which no position in the window gives under the policy");
      }
    }
    // at most maxRestarts within `within`: restarts k..k+max (max+1 of them) span at least within
    long within = o.withinMicros() * 1_000L;
    int max = o.maxRestarts();
    for (int k = 0; k + max < restarts.size(); k++) {
      long first = failedAt(a, restarts.get(k).attempt());
      long lastCounted = restarts.get(k + max).nanos();
      if (lastCounted - first < within) {
        fail(
            who
                + ": "
                + (max + 1)
                + " restarts within "
                + TimeUnit.NANOSECONDS.toMicros(lastCounted - first)
                + " us, over the budget of "
                + max
                + " within "
                + o.withinMicros()
                + " us");
      }
    }
  }

  private static long shifted(long v, int by) {
    long r = v;
    for (int i = 0; i < by && r > 0 && r < Long.MAX_VALUE / 2; i++) {
      r *= 2;
    }
    return r;
  }

  /** The actor whose failure stopped the group spent its budget first; its error is the last. */
  private void checkEscalation() {
    if (exit.firstActor().isEmpty()) {
      return;
    }
    int i = x.actorIndex(exit.firstActor().get());
    if (i < 0 || i >= x.actors.size()) {
      return;
    }
    ActorState a = x.actors.get(i);
    int last = attempts(a) - 1;
    boolean ran = a.incs.stream().anyMatch(inc -> inc.execCount.get() > 0);
    if (last < 0 || (!ran && a.supplierFailures.isEmpty())) {
      return; // its thread could not be made: checked with the outcomes
    }
    Throwable failure = failureOf(a, last);
    boolean npe = isSupplierNull(a, last) && exit.error() instanceof NullPointerException;
    if (exit.error() != failure && !npe) {
      fail(
          "actor "
              + i
              + " stopped the group: Exit.error() is "
              + exit.error()
              + " but its last incarnation failed with "
              + failure);
    }
    Opts o = a.opts;
    if (o == null || o.policy() == Policy.NEVER) {
      return;
    }
    boolean failed = failure != null || isSupplierNull(a, last);
    if (!failed && o.policy() == Policy.ON_FAILURE) {
      return; // a normal return stops the group under onFailure()
    }
    saw(Seen.ESCALATIONS);
    long escalatedAt = failedAt(a, last);
    long within = o.withinMicros() * 1_000L;
    long counted =
        x.sortedEvents().stream()
            .filter(ev -> ev.actor() == a.index && ev.kind().equals("restarting"))
            .filter(ev -> ev.nanos() > escalatedAt - within)
            .count();
    if (counted < o.maxRestarts()) {
      fail(
          "actor "
              + i
              + " escalated with "
              + counted
              + " restarts in its window, before spending its budget of "
              + o.maxRestarts());
    }
  }

  /** Interrupt causes; what interrupts threw is kept; the startup timeout's exception. */
  private void checkInterrupts(ActorState a, Exit.Outcome outcome) {
    String who = "actor " + a.index;
    Inc last = a.lastInc();
    for (Inc inc : a.incs) {
      if (inc.intrCount.get() == 0) {
        continue;
      }
      String w = who + ", incarnation " + inc.number;
      Thread t = inc.intrThread;
      Throwable failure = inc.failure();
      if (CaseRunner.isTimer(t)) {
        saw(Seen.STARTUP_TIMEOUTS);
        if (!(inc.intrCause instanceof StartupTimeoutException timeout)) {
          fail(w + ": the startup timer interrupted it with " + inc.intrCause);
          continue;
        }
        String m = String.valueOf(timeout.getMessage());
        if (!m.contains(a.name)
            || !m.contains(Duration.ofMillis(a.startupTimeoutMillis()).toString())) {
          fail(w + ": StartupTimeoutException's message names not the actor and timeout: " + m);
        }
        if (inc.execDone && inc.reportedSet && inc.reported != timeout) {
          fail(w + ": timed out, but reported " + inc.reported + " as its failure");
        }
        Throwable own = inc.execThrown;
        if (own != null
            && inc.reportedSet
            && !Arrays.asList(timeout.getSuppressed()).contains(own)) {
          fail(w + ": the execute's own error " + own + " is not kept in the startup timeout's");
        }
      } else if (!inc.stopInterrupt()) { // a restart's, on the actor's thread
        if (inc.intrCause != failure) {
          fail(
              w
                  + ": a restart interrupted it with "
                  + inc.intrCause
                  + ", not its own error "
                  + failure);
        }
      }
      Throwable thrown = inc.intrThrown;
      if (thrown == null || !inc.intrReturned) {
        continue;
      }
      boolean inOutcome =
          inc == last && outcome.interruptCompleted() && outcome.interruptError() == thrown;
      boolean suppressed =
          failure != null && Arrays.asList(failure.getSuppressed()).contains(thrown);
      boolean restartError =
          failure == null
              && x.events.stream()
                  .anyMatch(
                      ev ->
                          ev.actor() == a.index
                              && ev.kind().equals("restarting")
                              && ev.attempt() == inc.number
                              && ev.cause() == thrown);
      boolean late = inc == last && !outcome.interruptCompleted();
      if (!inOutcome && !suppressed && !restartError && !late) {
        fail(
            w
                + ": its interrupt threw "
                + thrown
                + ", found neither in the outcome nor in the incarnation's error ("
                + failure
                + ")");
      }
    }
  }

  /** No execute before each dependency became ready, as far as the test saw it. */
  private void checkDependenciesReadyFirst(List<Event> events) {
    for (ActorState a : x.actors) {
      Opts o = a.opts;
      if (o == null || o.after().isEmpty()) {
        continue;
      }
      long begun = Long.MAX_VALUE;
      for (Inc inc : a.incs) {
        if (inc.execCount.get() > 0) {
          begun = Math.min(begun, inc.execBeginSeq);
        }
      }
      if (begun == Long.MAX_VALUE) {
        continue;
      }
      saw(Seen.DEPENDENT_STARTS);
      for (int d : o.after()) {
        long ready = readyCause(x.actors.get(d), events);
        if (begun < ready) {
          fail(
              "actor "
                  + a.index
                  + " began its execute before actor "
                  + d
                  + ", which it starts after, was ready"
                  + (ready == Long.MAX_VALUE ? " (it never was)" : ""));
        }
      }
    }
  }

  /** The earliest moment the test saw a reason for the actor to be ready; MAX if none. */
  private static long readyCause(ActorState a, List<Event> events) {
    Opts o = a.opts;
    long cause = Long.MAX_VALUE;
    if (o == null || (!o.signalled() && !o.oneShot())) {
      for (Event ev : events) {
        if (ev.actor() == a.index && ev.kind().equals("started")) {
          return ev.seq();
        }
      }
      return cause;
    }
    for (Inc inc : a.incs) {
      if (o.signalled() && inc.readyCallSeq >= 0) {
        cause = Math.min(cause, inc.readyCallSeq);
      }
      if (o.oneShot() && inc.execDone && inc.failure() == null) {
        cause = Math.min(cause, inc.execEndSeq);
      }
    }
    return cause;
  }

  /** The point-14 order, computed here on its own from the case's edges. */
  private List<Integer> stopOrder() {
    int n = c.actors().size();
    int[] unplaced = new int[n];
    for (int i = 0; i < n; i++) {
      for (int d : c.actors().get(i).after()) {
        unplaced[d]++;
      }
    }
    boolean[] placed = new boolean[n];
    List<Integer> order = new ArrayList<>();
    while (order.size() < n) {
      int next = -1;
      for (int i = 0; i < n && next < 0; i++) {
        if (!placed[i] && unplaced[i] == 0) {
          next = i;
        }
      }
      placed[next] = true;
      order.add(next);
      for (int d : c.actors().get(next).after()) {
        unplaced[d]--;
      }
    }
    return order;
  }

  private boolean[] dependentsOf(int actor) {
    int n = c.actors().size();
    boolean[] dependent = new boolean[n];
    for (int i = actor + 1; i < n; i++) {
      for (int d : c.actors().get(i).after()) {
        if (d == actor || dependent[d]) {
          dependent[i] = true;
        }
      }
    }
    return dependent;
  }

  /**
   * The stop's interrupts on the thread in run() or the stopper come in the stop order; none is
   * called before every started dependent returned, unless the stop timeout may have run out.
   */
  private void checkOrderedStop() {
    if (c.stopBeforeRun() || x.actors.isEmpty()) {
      return;
    }
    List<Integer> order = stopOrder();
    int[] position = new int[order.size()];
    for (int p = 0; p < order.size(); p++) {
      position[order.get(p)] = p;
    }
    List<Inc> inOrder = new ArrayList<>();
    for (ActorState a : x.actors) {
      for (Inc inc : a.incs) {
        Thread t = inc.intrThread;
        if (inc.intrCount.get() > 0
            && inc.stopInterrupt()
            && t != null
            && (t == x.runnerThread || t.getName().equals("run-group-stopper"))) {
          inOrder.add(inc);
        }
      }
    }
    inOrder.sort((p, q) -> Long.compare(p.intrSeq, q.intrSeq));
    for (int k = 1; k < inOrder.size(); k++) {
      int before = inOrder.get(k - 1).actor.index;
      int after = inOrder.get(k).actor.index;
      if (inOrder.get(k - 1).intrThread == inOrder.get(k).intrThread
          && position[after] < position[before]) {
        fail(
            "the stop interrupted actor "
                + before
                + " before actor "
                + after
                + ", against the stop order "
                + order);
      }
    }
    long triggered = Long.MAX_VALUE;
    for (long t : x.stopTriggers) {
      triggered = Math.min(triggered, t);
    }
    long timeout = TimeUnit.MILLISECONDS.toNanos(c.timeoutMillis());
    for (ActorState d : x.actors) {
      boolean[] dependents = dependentsOf(d.index);
      for (Inc inc : d.incs) {
        if (inc.intrCount.get() == 0 || !inc.stopInterrupt()) {
          continue;
        }
        if (c.hasTimeout()
            && (triggered == Long.MAX_VALUE || inc.intrNanos - triggered >= timeout)) {
          continue; // the timeout may have run out: then the rest are interrupted at once
        }
        boolean anyStarted = false;
        for (int i = 0; i < dependents.length; i++) {
          if (!dependents[i]) {
            continue;
          }
          anyStarted |= x.actors.get(i).incs.stream().anyMatch(r -> r.execCount.get() > 0);
          for (Inc running : x.actors.get(i).incs) {
            if (running.execCount.get() > 0
                && (running.execEndSeq < 0 || running.execEndSeq > inc.intrSeq)) {
              fail(
                  "the stop interrupted actor "
                      + d.index
                      + " while actor "
                      + i
                      + ", which starts after it, had not returned");
            }
          }
        }
        if (anyStarted) {
          saw(Seen.ORDERED_STOPS);
        }
      }
    }
  }

  /** A stop during a long restart delay: the actor ends, run() returns at once. */
  private void checkStopDuringBackoff() {
    Event stopping = x.first("stopping");
    if (stopping == null) {
      return;
    }
    for (ActorState a : x.actors) {
      Event longest = null;
      for (Event ev : x.sortedEvents()) {
        if (ev.actor() == a.index
            && ev.kind().equals("restarting")
            && ev.nanos() < stopping.nanos()
            && Objects.requireNonNull(ev.delay()).toNanos() >= LONG_DELAY_NANOS) {
          longest = ev;
        }
      }
      if (longest == null || longest.attempt() != attempts(a) - 1) {
        continue; // no long delay under way when the stop came
      }
      saw(Seen.STOPS_IN_BACKOFF);
      Exit.Outcome o = exit.actors().get(a.index);
      if (!o.stopped()) {
        fail(
            "actor "
                + a.index
                + " was in a restart's delay of "
                + longest.delay()
                + " when the stop came, but was not stopped in time");
      }
      long took = TimeUnit.NANOSECONDS.toMillis(x.runEndNanos - stopping.nanos());
      if (!c.hasTimeout() && took > BACKOFF_STOP_BOUND_MILLIS) {
        fail(
            "run() took "
                + took
                + " ms after the stop, which came during actor "
                + a.index
                + "'s restart delay of "
                + longest.delay());
      }
    }
  }

  /** groupReady at most once, only once every actor was ready; isReady() agrees. */
  private void checkGroupReady(List<Event> events) {
    long readies = events.stream().filter(ev -> ev.kind().equals("groupReady")).count();
    boolean isReady = Objects.requireNonNull(x.group).isReady();
    if (readies > 1) {
      fail("groupReady fired " + readies + " times");
    }
    if (isReady != (readies == 1)) {
      fail("isReady() is " + isReady + " but groupReady fired " + readies + " times");
    }
    if (readies == 0) {
      return;
    }
    saw(Seen.GROUPS_READY);
    if (x.actors.isEmpty() || c.stopBeforeRun()) {
      fail("groupReady for a group that never ran an actor");
    }
    for (ActorState a : x.actors) {
      if (events.stream().noneMatch(ev -> ev.actor() == a.index && ev.kind().equals("ready"))) {
        fail("groupReady, but actor " + a.index + " was never ready");
      }
    }
    Event stopped = x.first("stopped");
    Event ready =
        events.stream().filter(ev -> ev.kind().equals("groupReady")).findFirst().orElseThrow();
    if (!c.hasTimeout() && stopped != null && ready.seq() > stopped.seq()) {
      fail("groupReady after groupStopped");
    }
  }
}
