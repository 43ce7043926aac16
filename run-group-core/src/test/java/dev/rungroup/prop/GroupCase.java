package dev.rungroup.prop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * One random group and schedule, fully determined by its seed: the actors, what each execute and
 * interrupt does and when, the listeners, the thread kind, the stop timeout and the outside events
 * (stop, caller interruption). {@link #shrinks()} gives smaller variants for shrinking.
 */
public record GroupCase(
    long seed,
    List<ActorSpec> actors,
    List<ListenerSpec> listeners,
    ThreadKind threads,
    int factoryFailAt,
    int timeoutMillis,
    int graceMillis,
    boolean stopBeforeRun,
    int stopAtMicros,
    boolean stopWithCause,
    int interruptCallerAtMicros) {

  /** Largest group generated. */
  public static final int MAX_ACTORS = 64;

  /** What an actor's execute does. */
  public enum Exec {
    /** Waits for its interrupt's signal (interruptibly), then ends. */
    WAIT,
    /** Ends on its own after {@code delayMicros}: a candidate first returner. */
    RETURN,
    /** Calls {@code group.stop(...)} itself after its delay, then waits like WAIT. */
    STOP_GROUP,
    /** Ignores its interrupt; ends only on Thread.interrupt(). Needs a stop timeout. */
    STUCK_SOFT,
    /** Ignores everything until the test releases it after run(). Needs a stop timeout. */
    STUCK_HARD
  }

  /** How an execute ends. */
  public enum End {
    NORMAL,
    EXCEPTION,
    ERROR
  }

  /** What an interrupt does. */
  public enum Intr {
    SIGNAL,
    THROW,
    THROW_ERROR,
    /** Signals after a short sleep. */
    SLOW,
    /** Signals, then blocks until the test releases it. Needs a stop timeout. */
    BLOCK_AFTER_SIGNAL,
    /** Blocks until released, then signals. Needs a stop timeout. */
    BLOCK_BEFORE_SIGNAL
  }

  /** Where the group's threads come from. */
  public enum ThreadKind {
    /** No thread factory: the group's own daemon platform threads. */
    DEFAULT,
    /** A recording factory of platform threads. */
    PLATFORM,
    /** A recording factory of virtual threads (Java 21+). */
    VIRTUAL
  }

  /** One actor. */
  public record ActorSpec(Exec exec, int delayMicros, End end, Intr intr) {
    boolean needsTimeout() {
      return exec == Exec.STUCK_SOFT
          || exec == Exec.STUCK_HARD
          || intr == Intr.BLOCK_AFTER_SIGNAL
          || intr == Intr.BLOCK_BEFORE_SIGNAL;
    }

    @Override
    public String toString() {
      return exec
          + (exec == Exec.RETURN || exec == Exec.STOP_GROUP ? "@" + delayMicros + "us" : "")
          + "/"
          + end
          + "/"
          + intr;
    }
  }

  /**
   * One extra listener: {@code throwMask} bits 1 actorStarted, 2 actorReturned, 4 groupStopping, 8
   * groupStopped; {@code stuckInStartedOf} blocks actorStarted of that actor index until released
   * (-1: never; needs a stop timeout).
   */
  public record ListenerSpec(int throwMask, boolean throwError, int stuckInStartedOf) {}

  boolean hasTimeout() {
    return timeoutMillis > 0;
  }

  boolean needsTimeout() {
    return actors.stream().anyMatch(ActorSpec::needsTimeout)
        || listeners.stream().anyMatch(l -> l.stuckInStartedOf() >= 0);
  }

  /**
   * Whether something makes the group stop: an actor's return, a stop or an interrupt. A listener
   * stuck in actorStarted can hold up any actor's return, so then only an outside event counts.
   */
  boolean terminates() {
    if (!actors.isEmpty()
        && !stopBeforeRun
        && listeners.stream().anyMatch(l -> l.stuckInStartedOf() >= 0)) {
      return stopAtMicros >= 0 || interruptCallerAtMicros >= 0;
    }
    return actors.isEmpty()
        || stopBeforeRun
        || stopAtMicros >= 0
        || interruptCallerAtMicros >= 0
        || (factoryFailAt >= 0 && factoryFailAt < actors.size() && threads != ThreadKind.DEFAULT)
        || actors.stream().anyMatch(a -> a.exec() == Exec.RETURN || a.exec() == Exec.STOP_GROUP);
  }

  /** Generates the case of {@code seed}; {@code virtual}: whether virtual threads may be used. */
  public static GroupCase generate(long seed, boolean virtualAvailable, boolean preferVirtual) {
    SplittableRandom r = new SplittableRandom(seed);
    int size = pickSize(r);
    boolean hard = r.nextInt(100) < 35; // cases with stuck actors / blocking interrupts
    List<ActorSpec> actors = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      actors.add(randomActor(r, hard));
    }
    int returners = (int) actors.stream().filter(a -> a.exec() == Exec.RETURN).count();
    if (size > 0 && returners == 0 && r.nextInt(100) < 70) {
      int i = r.nextInt(size);
      ActorSpec a = actors.get(i);
      actors.set(i, new ActorSpec(Exec.RETURN, r.nextInt(5_000), a.end(), a.intr()));
    }
    List<ListenerSpec> listeners = new ArrayList<>();
    int listenerCount = r.nextInt(100) < 60 ? r.nextInt(3) : 0;
    for (int i = 0; i < listenerCount; i++) {
      int stuck = hard && size > 0 && r.nextInt(100) < 10 ? r.nextInt(size) : -1;
      listeners.add(
          new ListenerSpec(r.nextInt(100) < 50 ? r.nextInt(16) : 0, r.nextBoolean(), stuck));
    }
    ThreadKind kind;
    if (virtualAvailable && (preferVirtual ? r.nextInt(100) < 60 : r.nextInt(100) < 30)) {
      kind = ThreadKind.VIRTUAL;
    } else {
      kind = r.nextBoolean() ? ThreadKind.DEFAULT : ThreadKind.PLATFORM;
    }
    // only actor threads fail: without a stopper thread a blocking interrupt must block run()
    int factoryFailAt =
        kind != ThreadKind.DEFAULT && size > 0 && r.nextInt(100) < 5 ? r.nextInt(size) : -1;
    boolean stopBeforeRun = r.nextInt(100) < 3;
    int stopAt = r.nextInt(100) < 20 ? r.nextInt(8_000) : -1;
    boolean stopWithCause = r.nextBoolean();
    int interruptAt = r.nextInt(100) < 15 ? r.nextInt(8_000) : -1;
    GroupCase c =
        new GroupCase(
            seed,
            actors,
            listeners,
            kind,
            factoryFailAt,
            0,
            0,
            stopBeforeRun,
            stopAt,
            stopWithCause,
            interruptAt);
    boolean timeout = c.needsTimeout() || r.nextInt(100) < 30;
    c = c.withTimeout(timeout ? 20 + r.nextInt(130) : 0, timeout ? r.nextInt(120) : 0);
    return c.ensureTerminates();
  }

  private static int pickSize(SplittableRandom r) {
    int p = r.nextInt(100);
    if (p < 5) {
      return 0;
    }
    if (p < 60) {
      return 1 + r.nextInt(8);
    }
    if (p < 85) {
      return 1 + r.nextInt(24);
    }
    return 1 + r.nextInt(MAX_ACTORS);
  }

  private static ActorSpec randomActor(SplittableRandom r, boolean hard) {
    int e = r.nextInt(100);
    Exec exec;
    if (e < 60) {
      exec = Exec.WAIT;
    } else if (e < 78) {
      exec = Exec.RETURN;
    } else if (e < 84) {
      exec = Exec.STOP_GROUP;
    } else if (hard) {
      exec = r.nextBoolean() ? Exec.STUCK_SOFT : Exec.STUCK_HARD;
    } else {
      exec = Exec.WAIT;
    }
    End end =
        switch (r.nextInt(6)) {
          case 0, 1, 2 -> End.NORMAL;
          case 3, 4 -> End.EXCEPTION;
          default -> End.ERROR;
        };
    int i = r.nextInt(100);
    Intr intr;
    if (i < 60) {
      intr = Intr.SIGNAL;
    } else if (i < 72) {
      intr = Intr.THROW;
    } else if (i < 80) {
      intr = Intr.THROW_ERROR;
    } else if (i < 90 || !hard) {
      intr = Intr.SLOW;
    } else {
      intr = r.nextBoolean() ? Intr.BLOCK_AFTER_SIGNAL : Intr.BLOCK_BEFORE_SIGNAL;
    }
    return new ActorSpec(exec, r.nextInt(10_000), end, intr);
  }

  GroupCase withTimeout(int timeout, int grace) {
    return new GroupCase(
        seed,
        actors,
        listeners,
        threads,
        factoryFailAt,
        timeout,
        grace,
        stopBeforeRun,
        stopAtMicros,
        stopWithCause,
        interruptCallerAtMicros);
  }

  /** Removes the actors {@code from} (inclusive) to {@code to} (exclusive), keeping references. */
  GroupCase without(int from, int to) {
    List<ActorSpec> as = new ArrayList<>(actors);
    as.subList(from, to).clear();
    int removed = to - from;
    List<ListenerSpec> ls = new ArrayList<>();
    for (ListenerSpec l : listeners) {
      int s = l.stuckInStartedOf();
      int moved = s < from ? s : s >= to ? s - removed : -1;
      ls.add(new ListenerSpec(l.throwMask(), l.throwError(), moved));
    }
    int f = factoryFailAt;
    int fail = f < from ? f : f >= to ? f - removed : -1;
    return new GroupCase(
        seed,
        List.copyOf(as),
        List.copyOf(ls),
        threads,
        fail,
        timeoutMillis,
        graceMillis,
        stopBeforeRun,
        stopAtMicros,
        stopWithCause,
        interruptCallerAtMicros);
  }

  GroupCase withActors(List<ActorSpec> newActors) {
    int fail = factoryFailAt >= newActors.size() ? -1 : factoryFailAt;
    List<ListenerSpec> ls = new ArrayList<>();
    for (ListenerSpec l : listeners) {
      ls.add(
          l.stuckInStartedOf() >= newActors.size()
              ? new ListenerSpec(l.throwMask(), l.throwError(), -1)
              : l);
    }
    return new GroupCase(
        seed,
        List.copyOf(newActors),
        List.copyOf(ls),
        threads,
        fail,
        timeoutMillis,
        graceMillis,
        stopBeforeRun,
        stopAtMicros,
        stopWithCause,
        interruptCallerAtMicros);
  }

  GroupCase with(UnaryOperator<Builder> change) {
    Builder b = change.apply(new Builder(this));
    return new GroupCase(
        seed,
        List.copyOf(b.actors),
        List.copyOf(b.listeners),
        b.threads,
        b.factoryFailAt,
        b.timeoutMillis,
        b.graceMillis,
        b.stopBeforeRun,
        b.stopAtMicros,
        b.stopWithCause,
        b.interruptCallerAtMicros);
  }

  /** Makes sure something stops the group: else the first actor returns at once. */
  GroupCase ensureTerminates() {
    if (terminates()) {
      return this;
    }
    if (listeners.stream().anyMatch(l -> l.stuckInStartedOf() >= 0)) {
      return with(
          b -> {
            b.stopAtMicros = 1_000;
            return b;
          });
    }
    List<ActorSpec> as = new ArrayList<>(actors);
    ActorSpec a = as.get(0);
    as.set(0, new ActorSpec(Exec.RETURN, 0, a.end(), a.intr()));
    return withActors(as);
  }

  /** Valid (terminating, timeout where needed) smaller or simpler variants, simplest first. */
  List<GroupCase> shrinks() {
    List<GroupCase> out = new ArrayList<>();
    int n = actors.size();
    if (n > 1) {
      out.add(without(n / 2, n));
      out.add(without(0, n / 2));
    }
    for (int i = 0; i < n; i++) {
      out.add(without(i, i + 1));
    }
    if (!listeners.isEmpty()) {
      out.add(
          with(
              b -> {
                b.listeners.clear();
                return b;
              }));
      for (int i = 0; i < listeners.size(); i++) {
        int drop = i;
        out.add(
            with(
                b -> {
                  b.listeners.remove(drop);
                  return b;
                }));
      }
    }
    if (stopBeforeRun) {
      out.add(
          with(
              b -> {
                b.stopBeforeRun = false;
                return b;
              }));
    }
    if (stopAtMicros >= 0) {
      out.add(
          with(
              b -> {
                b.stopAtMicros = -1;
                return b;
              }));
    }
    if (interruptCallerAtMicros >= 0) {
      out.add(
          with(
              b -> {
                b.interruptCallerAtMicros = -1;
                return b;
              }));
    }
    if (factoryFailAt >= 0) {
      out.add(
          with(
              b -> {
                b.factoryFailAt = -1;
                return b;
              }));
    }
    if (threads != ThreadKind.PLATFORM) {
      out.add(
          with(
              b -> {
                b.threads = ThreadKind.PLATFORM;
                return b;
              }));
    }
    for (int i = 0; i < n; i++) {
      ActorSpec a = actors.get(i);
      int at = i;
      if (a.end() != End.NORMAL || a.intr() != Intr.SIGNAL || a.delayMicros() != 0) {
        out.add(
            with(
                b -> {
                  b.actors.set(at, new ActorSpec(a.exec(), 0, End.NORMAL, Intr.SIGNAL));
                  return b;
                }));
      }
      if (a.exec() != Exec.WAIT && a.exec() != Exec.RETURN) {
        out.add(
            with(
                b -> {
                  b.actors.set(at, new ActorSpec(Exec.WAIT, a.delayMicros(), a.end(), a.intr()));
                  return b;
                }));
      }
    }
    if (hasTimeout()) {
      out.add(withTimeout(0, 0));
    }
    List<GroupCase> valid = new ArrayList<>();
    for (GroupCase c : out) {
      GroupCase t = c.actors.isEmpty() ? c : c.ensureTerminates();
      if ((!t.needsTimeout() || t.hasTimeout()) && !t.equals(this)) {
        valid.add(t);
      }
    }
    return valid;
  }

  /** Size measure for shrinking: smaller is simpler. */
  int weight() {
    int w = actors.size() * 100 + listeners.size() * 10;
    for (ActorSpec a : actors) {
      w +=
          (a.end() == End.NORMAL ? 0 : 1)
              + (a.intr() == Intr.SIGNAL ? 0 : 1)
              + (a.exec() == Exec.WAIT ? 0 : 1)
              + (a.delayMicros() > 0 ? 1 : 0);
    }
    return w
        + (stopAtMicros >= 0 ? 5 : 0)
        + (interruptCallerAtMicros >= 0 ? 5 : 0)
        + (stopBeforeRun ? 5 : 0)
        + (factoryFailAt >= 0 ? 5 : 0)
        + (hasTimeout() ? 3 : 0)
        + (threads == ThreadKind.PLATFORM ? 0 : 1);
  }

  Duration timeout() {
    return Duration.ofMillis(timeoutMillis);
  }

  @Override
  public String toString() {
    return "GroupCase[seed="
        + seed
        + ", threads="
        + threads
        + (hasTimeout()
            ? ", stopTimeout=" + timeoutMillis + "ms, grace=" + graceMillis + "ms"
            : ", no stop timeout")
        + (factoryFailAt >= 0 ? ", factory fails at call " + factoryFailAt : "")
        + (stopBeforeRun ? ", stop before run" : "")
        + (stopAtMicros >= 0
            ? ", stop(" + (stopWithCause ? "cause" : "") + ") at " + stopAtMicros + "us"
            : "")
        + (interruptCallerAtMicros >= 0
            ? ", caller interrupted at " + interruptCallerAtMicros + "us"
            : "")
        + ", listeners="
        + listeners
        + ", "
        + actors.size()
        + " actors="
        + actors
        + "]";
  }

  /** Mutable copy for {@link #with}. */
  static final class Builder {
    final List<ActorSpec> actors;
    final List<ListenerSpec> listeners;
    ThreadKind threads;
    int factoryFailAt;
    int timeoutMillis;
    int graceMillis;
    boolean stopBeforeRun;
    int stopAtMicros;
    boolean stopWithCause;
    int interruptCallerAtMicros;

    Builder(GroupCase c) {
      actors = new ArrayList<>(c.actors);
      listeners = new ArrayList<>(c.listeners);
      threads = c.threads;
      factoryFailAt = c.factoryFailAt;
      timeoutMillis = c.timeoutMillis;
      graceMillis = c.graceMillis;
      stopBeforeRun = c.stopBeforeRun;
      stopAtMicros = c.stopAtMicros;
      stopWithCause = c.stopWithCause;
      interruptCallerAtMicros = c.interruptCallerAtMicros;
    }
  }
}
