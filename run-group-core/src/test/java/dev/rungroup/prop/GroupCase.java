package dev.rungroup.prop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

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

  /**
   * One actor: what each of its incarnations does ({@code exec}, {@code end}, {@code intr}), and,
   * if {@code opts} is not null, the options it is added with.
   */
  public record ActorSpec(Exec exec, int delayMicros, End end, Intr intr, @Nullable Opts opts) {

    /** An actor added without options. */
    public ActorSpec(Exec exec, int delayMicros, End end, Intr intr) {
      this(exec, delayMicros, end, intr, null);
    }

    boolean needsTimeout() {
      return exec == Exec.STUCK_SOFT
          || exec == Exec.STUCK_HARD
          || intr == Intr.BLOCK_AFTER_SIGNAL
          || intr == Intr.BLOCK_BEFORE_SIGNAL;
    }

    ActorSpec withOpts(@Nullable Opts o) {
      return new ActorSpec(exec, delayMicros, end, intr, o);
    }

    ActorSpec withBehaviour(Exec e, int delay, End en, Intr in) {
      return new ActorSpec(e, delay, en, in, opts);
    }

    /** The actors it starts after. */
    List<Integer> after() {
      return opts == null ? List.of() : opts.after();
    }

    /** Whether incarnation {@code n} follows exec and end (else it waits for its interrupt). */
    boolean follows(int n) {
      if (n >= LOOP_CAP) {
        return false;
      }
      return opts == null || opts.repeat() < 0 || n < opts.repeat();
    }

    @Override
    public String toString() {
      return exec
          + (exec == Exec.RETURN || exec == Exec.STOP_GROUP ? "@" + delayMicros + "us" : "")
          + "/"
          + end
          + "/"
          + intr
          + (opts == null ? "" : opts.toString());
    }
  }

  /** Restart policy kinds. */
  public enum Policy {
    NEVER,
    ON_FAILURE,
    ALWAYS
  }

  /**
   * The options of an actor added with {@code add(name, actor-or-supplier, options)}. Durations in
   * microseconds (the startup timeout in milliseconds); -1 or 0 mean none as documented per field.
   *
   * @param after earlier actors it starts after (indices)
   * @param signalled {@code Readiness.SIGNALLED} (else {@code ON_START})
   * @param signalAtMicros when a signalled incarnation calls {@code ready()} after its execute
   *     began; -1: never
   * @param oneShot one-shot
   * @param supplier added in the supplier form (each incarnation a fresh object)
   * @param policy restart policy kind
   * @param maxRestarts restart budget in the window
   * @param withinMicros the window
   * @param backoffMicros the initial delay
   * @param backoffMaxMicros the longest delay
   * @param jitterPercent the jitter, in percent
   * @param repeat incarnations {@code < repeat} follow exec and end, later ones wait for their
   *     interrupt and return normally; -1: all follow
   * @param supplierFailAt the incarnation whose {@code get()} fails (throws, or returns null for an
   *     odd seed); -1: none
   * @param startupTimeoutMillis the startup timeout; 0: none
   */
  public record Opts(
      List<Integer> after,
      boolean signalled,
      int signalAtMicros,
      boolean oneShot,
      boolean supplier,
      Policy policy,
      int maxRestarts,
      int withinMicros,
      int backoffMicros,
      int backoffMaxMicros,
      int jitterPercent,
      int repeat,
      int supplierFailAt,
      int startupTimeoutMillis) {

    /** A restart's delay long enough that only a cancelled one lets the group stop in time. */
    static final int LONG_BACKOFF_MICROS = 4_000_000;

    static Opts plain() {
      return new Opts(
          List.of(), false, -1, false, false, Policy.NEVER, 5, 60_000_000, 0, 0, 0, -1, -1, 0);
    }

    boolean longBackoff() {
      return backoffMicros >= LONG_BACKOFF_MICROS;
    }

    Opts withAfter(List<Integer> a) {
      return new Opts(
          List.copyOf(a),
          signalled,
          signalAtMicros,
          oneShot,
          supplier,
          policy,
          maxRestarts,
          withinMicros,
          backoffMicros,
          backoffMaxMicros,
          jitterPercent,
          repeat,
          supplierFailAt,
          startupTimeoutMillis);
    }

    Opts with(UnaryOperator<OptsBuilder> change) {
      OptsBuilder b = change.apply(new OptsBuilder(this));
      return new Opts(
          List.copyOf(b.after),
          b.signalled,
          b.signalAtMicros,
          b.oneShot,
          b.supplier,
          b.policy,
          b.maxRestarts,
          b.withinMicros,
          b.backoffMicros,
          b.backoffMaxMicros,
          b.jitterPercent,
          b.repeat,
          b.supplierFailAt,
          b.startupTimeoutMillis);
    }

    int weight() {
      return after.size() * 3
          + (signalled ? 1 : 0)
          + (oneShot ? 1 : 0)
          + (supplier ? 1 : 0)
          + (policy == Policy.NEVER ? 0 : 2)
          + (backoffMicros > 0 ? 1 : 0)
          + (longBackoff() ? 2 : 0)
          + (jitterPercent > 0 ? 1 : 0)
          + (repeat >= 0 ? 1 : 0)
          + (supplierFailAt >= 0 ? 2 : 0)
          + (startupTimeoutMillis > 0 ? 2 : 0);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("{");
      if (!after.isEmpty()) {
        b.append("after").append(after).append(' ');
      }
      if (signalled) {
        b.append(signalAtMicros < 0 ? "SIGNALLED(never) " : "SIGNALLED@" + signalAtMicros + "us ");
      }
      if (oneShot) {
        b.append("oneShot ");
      }
      if (supplier) {
        b.append("supplier ");
      }
      if (policy != Policy.NEVER) {
        b.append(policy)
            .append('(')
            .append(maxRestarts)
            .append(" in ")
            .append(withinMicros)
            .append("us, backoff ")
            .append(backoffMicros)
            .append("..")
            .append(backoffMaxMicros)
            .append("us, jitter ")
            .append(jitterPercent)
            .append("%) ");
      }
      if (repeat >= 0) {
        b.append("repeat ").append(repeat).append(' ');
      }
      if (supplierFailAt >= 0) {
        b.append("supplierFailsAt ").append(supplierFailAt).append(' ');
      }
      if (startupTimeoutMillis > 0) {
        b.append("startupTimeout ").append(startupTimeoutMillis).append("ms ");
      }
      return b.toString().trim() + "}";
    }
  }

  /** Mutable copy for {@link Opts#with}. */
  static final class OptsBuilder {
    List<Integer> after;
    boolean signalled;
    int signalAtMicros;
    boolean oneShot;
    boolean supplier;
    Policy policy;
    int maxRestarts;
    int withinMicros;
    int backoffMicros;
    int backoffMaxMicros;
    int jitterPercent;
    int repeat;
    int supplierFailAt;
    int startupTimeoutMillis;

    OptsBuilder(Opts o) {
      after = new ArrayList<>(o.after());
      signalled = o.signalled();
      signalAtMicros = o.signalAtMicros();
      oneShot = o.oneShot();
      supplier = o.supplier();
      policy = o.policy();
      maxRestarts = o.maxRestarts();
      withinMicros = o.withinMicros();
      backoffMicros = o.backoffMicros();
      backoffMaxMicros = o.backoffMaxMicros();
      jitterPercent = o.jitterPercent();
      repeat = o.repeat();
      supplierFailAt = o.supplierFailAt();
      startupTimeoutMillis = o.startupTimeoutMillis();
    }
  }

  /**
   * One extra listener: {@code throwMask} bits 1 actorStarted, 2 actorReturned, 4 groupStopping, 8
   * groupStopped, 16 actorReady, 32 groupReady, 64 actorRestarting; {@code stuckInStartedOf} blocks
   * actorStarted of that actor index until released (-1: never; needs a stop timeout).
   */
  public record ListenerSpec(int throwMask, boolean throwError, int stuckInStartedOf) {}

  boolean hasTimeout() {
    return timeoutMillis > 0;
  }

  boolean needsTimeout() {
    return actors.stream().anyMatch(ActorSpec::needsTimeout)
        || listeners.stream().anyMatch(l -> l.stuckInStartedOf() >= 0);
  }

  /** Whether any actor is added with options. */
  boolean hasOptions() {
    return actors.stream().anyMatch(a -> a.opts() != null);
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
    if (actors.isEmpty()
        || stopBeforeRun
        || stopAtMicros >= 0
        || interruptCallerAtMicros >= 0
        || (factoryFailAt >= 0 && factoryFailAt < actors.size() && threads != ThreadKind.DEFAULT)) {
      return true;
    }
    boolean[] ready = new boolean[actors.size()];
    boolean stops = false;
    for (int i = 0; i < actors.size(); i++) {
      ActorSpec a = actors.get(i);
      boolean starts = true;
      for (int d : a.after()) {
        starts &= ready[d];
      }
      ready[i] = starts && surelyReady(a);
      stops |= starts && surelyStopsGroup(a);
    }
    return stops;
  }

  /**
   * Whether an actor that starts surely becomes ready and stays so until its dependents start (a
   * restart makes it unready again, and its next incarnation may never be ready).
   */
  private static boolean surelyReady(ActorSpec a) {
    Opts o = a.opts();
    if (o == null) {
      return true;
    }
    if (o.supplierFailAt() == 0 || o.policy() != Policy.NEVER) {
      return false;
    }
    if (o.signalled()) {
      boolean intime =
          o.startupTimeoutMillis() == 0 || o.signalAtMicros() < o.startupTimeoutMillis() * 500L;
      return o.signalAtMicros() >= 0 && intime;
    }
    if (o.oneShot()) {
      return a.exec() == Exec.RETURN && a.end() == End.NORMAL && a.follows(0);
    }
    return true;
  }

  /** Whether an actor that starts surely stops the group, soon. */
  private static boolean surelyStopsGroup(ActorSpec a) {
    Opts o = a.opts();
    if (o == null) {
      return a.exec() == Exec.RETURN || a.exec() == Exec.STOP_GROUP;
    }
    if (o.longBackoff() && o.policy() != Policy.NEVER) {
      return false; // its restart would wait seconds: the group is stopped from outside
    }
    // a restart calls the failed incarnation's interrupt on the actor's thread: one that blocks
    // holds up the restarts, and with them the escalation
    boolean blocks = a.intr() == Intr.BLOCK_AFTER_SIGNAL || a.intr() == Intr.BLOCK_BEFORE_SIGNAL;
    boolean escalates =
        o.policy() == Policy.NEVER
            || (!blocks
                && o.withinMicros() >= 1_000_000
                && (o.repeat() < 0 || o.repeat() > o.maxRestarts()));
    if (o.supplierFailAt() == 0) {
      return o.policy() == Policy.NEVER;
    }
    if (!a.follows(0)) {
      return false;
    }
    if (a.exec() == Exec.STOP_GROUP) {
      return true;
    }
    if (a.exec() == Exec.RETURN) {
      boolean failed = a.end() != End.NORMAL;
      if (o.oneShot() && !failed) {
        return false;
      }
      if (o.policy() == Policy.ON_FAILURE && !failed) {
        return true;
      }
      return escalates && o.supplierFailAt() < 0;
    }
    // a signalled actor that never signals in time fails with its startup timeout
    return a.exec() == Exec.WAIT
        && o.signalled()
        && o.signalAtMicros() < 0
        && o.startupTimeoutMillis() > 0
        && o.policy() == Policy.NEVER;
  }

  /** Generates the case of {@code seed}; {@code virtual}: whether virtual threads may be used. */
  public static GroupCase generate(long seed, boolean virtualAvailable, boolean preferVirtual) {
    SplittableRandom r = new SplittableRandom(seed);
    int size = pickSize(r);
    boolean hard = r.nextInt(100) < 35; // cases with stuck actors / blocking interrupts
    boolean graph = r.nextInt(100) < GRAPH_PERCENT; // cases with options: graph and supervision
    List<ActorSpec> actors = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ActorSpec a = randomActor(r, hard);
      if (graph && r.nextInt(100) < 75) {
        Opts o = randomOpts(r, i);
        if (o.policy() != Policy.NEVER && r.nextInt(100) < 60) {
          // supervised actors mostly fail, so that they restart
          a =
              a.withBehaviour(
                  Exec.RETURN,
                  r.nextInt(3_000),
                  r.nextInt(100) < 75 ? End.EXCEPTION : End.ERROR,
                  a.intr());
        }
        a = a.withOpts(o);
      }
      actors.add(a);
    }
    int returners = (int) actors.stream().filter(a -> a.exec() == Exec.RETURN).count();
    if (size > 0 && returners == 0 && r.nextInt(100) < 70) {
      int i = r.nextInt(size);
      ActorSpec a = actors.get(i);
      actors.set(i, a.withBehaviour(Exec.RETURN, r.nextInt(5_000), a.end(), a.intr()));
    }
    List<ListenerSpec> listeners = new ArrayList<>();
    int listenerCount = r.nextInt(100) < 60 ? r.nextInt(3) : 0;
    for (int i = 0; i < listenerCount; i++) {
      int stuck = hard && size > 0 && r.nextInt(100) < 10 ? r.nextInt(size) : -1;
      int mask = r.nextInt(100) < 50 ? r.nextInt(graph ? 128 : 16) : 0;
      listeners.add(new ListenerSpec(mask, r.nextBoolean(), stuck));
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

  /** Share of the cases whose actors use options (after, readiness, one-shot, restarts). */
  static final int GRAPH_PERCENT = 50;

  /** Incarnations from this one on wait for their interrupt: no endless loop of quick restarts. */
  static final int LOOP_CAP = 64;

  private static final int[] WITHIN_MICROS = {1_000, 3_000, 20_000, 200_000, 2_000_000, 60_000_000};
  private static final int[] BACKOFF_MICROS = {0, 0, 0, 50, 300, 1_000};

  private static Opts randomOpts(SplittableRandom r, int index) {
    List<Integer> after = new ArrayList<>();
    if (index > 0 && r.nextInt(100) < 60) {
      int k = 1 + r.nextInt(Math.min(3, index));
      while (after.size() < k) {
        // mostly recent actors, sometimes any earlier one: chains and fans
        int d = r.nextBoolean() ? index - 1 - r.nextInt(Math.min(index, 3)) : r.nextInt(index);
        if (!after.contains(d)) {
          after.add(d);
        }
      }
    }
    boolean signalled = r.nextInt(100) < 35;
    int signalAt = signalled && r.nextInt(100) < 75 ? r.nextInt(3_000) : -1;
    boolean oneShot = r.nextInt(100) < 15;
    int p = r.nextInt(100);
    Policy policy = p < 40 ? Policy.NEVER : p < 80 || oneShot ? Policy.ON_FAILURE : Policy.ALWAYS;
    boolean supplier = policy != Policy.NEVER || r.nextBoolean();
    int maxRestarts = r.nextInt(4);
    int within = WITHIN_MICROS[r.nextInt(WITHIN_MICROS.length)];
    int backoff = BACKOFF_MICROS[r.nextInt(BACKOFF_MICROS.length)];
    if (policy != Policy.NEVER && r.nextInt(100) < 6) {
      backoff = Opts.LONG_BACKOFF_MICROS + r.nextInt(3_000_000);
    }
    int backoffMax = r.nextBoolean() ? backoff : backoff * 4;
    if (backoffMax < 0) {
      backoffMax = Integer.MAX_VALUE;
    }
    int jitter = new int[] {0, 0, 20, 50}[r.nextInt(4)];
    int repeat = r.nextBoolean() ? -1 : 1 + r.nextInt(maxRestarts + 2);
    int supplierFailAt = supplier && r.nextInt(100) < 10 ? r.nextInt(3) : -1;
    // a signalled actor may be late: its startup timeout then fails it
    int startupTimeout = r.nextInt(100) < (signalled ? 35 : 5) ? 1 + r.nextInt(20) : 0;
    return new Opts(
        after,
        signalled,
        signalAt,
        oneShot,
        supplier,
        policy,
        maxRestarts,
        within,
        backoff,
        backoffMax,
        jitter,
        repeat,
        supplierFailAt,
        startupTimeout);
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

  /**
   * Removes the actors {@code from} (inclusive) to {@code to} (exclusive), keeping references: the
   * {@code after} edges to a removed actor go, those to later ones move down.
   */
  GroupCase without(int from, int to) {
    List<ActorSpec> as = new ArrayList<>();
    int removed = to - from;
    for (int i = 0; i < actors.size(); i++) {
      if (i >= from && i < to) {
        continue;
      }
      ActorSpec a = actors.get(i);
      Opts o = a.opts();
      if (o != null && !o.after().isEmpty()) {
        List<Integer> after = new ArrayList<>();
        for (int d : o.after()) {
          if (d < from) {
            after.add(d);
          } else if (d >= to) {
            after.add(d - removed);
          }
        }
        a = a.withOpts(o.withAfter(after));
      }
      as.add(a);
    }
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

  /**
   * Makes sure something stops the group: else, without options, the first actor returns at once;
   * with options (a supervised actor may restart for ever), the group is stopped from outside.
   */
  GroupCase ensureTerminates() {
    if (terminates()) {
      return this;
    }
    if (listeners.stream().anyMatch(l -> l.stuckInStartedOf() >= 0) || hasOptions()) {
      int at = (int) Math.floorMod(seed, 8_000L);
      return with(
          b -> {
            b.stopAtMicros = at;
            return b;
          });
    }
    List<ActorSpec> as = new ArrayList<>(actors);
    ActorSpec a = as.get(0);
    as.set(0, a.withBehaviour(Exec.RETURN, 0, a.end(), a.intr()));
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
      if (a.opts() != null) {
        for (Opts simpler : simplerOpts(a.opts())) {
          out.add(
              with(
                  b -> {
                    b.actors.set(at, a.withOpts(simpler));
                    return b;
                  }));
        }
      }
      if (a.end() != End.NORMAL || a.intr() != Intr.SIGNAL || a.delayMicros() != 0) {
        out.add(
            with(
                b -> {
                  b.actors.set(at, a.withBehaviour(a.exec(), 0, End.NORMAL, Intr.SIGNAL));
                  return b;
                }));
      }
      if (a.exec() != Exec.WAIT && a.exec() != Exec.RETURN) {
        out.add(
            with(
                b -> {
                  b.actors.set(at, a.withBehaviour(Exec.WAIT, a.delayMicros(), a.end(), a.intr()));
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

  /** Simpler options of one actor: none at all (its edges go), or one feature less. */
  private static List<@Nullable Opts> simplerOpts(Opts o) {
    List<@Nullable Opts> out = new ArrayList<>();
    out.add(null);
    for (int k = 0; k < o.after().size(); k++) {
      List<Integer> fewer = new ArrayList<>(o.after());
      fewer.remove(k);
      out.add(o.withAfter(fewer));
    }
    if (o.policy() != Policy.NEVER) {
      out.add(
          o.with(
              b -> {
                b.policy = Policy.NEVER;
                return b;
              }));
    }
    if (o.signalled()) {
      out.add(
          o.with(
              b -> {
                b.signalled = false;
                b.signalAtMicros = -1;
                return b;
              }));
    }
    if (o.oneShot()) {
      out.add(
          o.with(
              b -> {
                b.oneShot = false;
                return b;
              }));
    }
    if (o.supplier() && o.policy() == Policy.NEVER) {
      out.add(
          o.with(
              b -> {
                b.supplier = false;
                b.supplierFailAt = -1;
                return b;
              }));
    }
    if (o.backoffMicros() > 0 || o.jitterPercent() > 0) {
      out.add(
          o.with(
              b -> {
                b.backoffMicros = 0;
                b.backoffMaxMicros = 0;
                b.jitterPercent = 0;
                return b;
              }));
    }
    if (o.repeat() >= 0) {
      out.add(
          o.with(
              b -> {
                b.repeat = -1;
                return b;
              }));
    }
    if (o.supplierFailAt() >= 0) {
      out.add(
          o.with(
              b -> {
                b.supplierFailAt = -1;
                return b;
              }));
    }
    if (o.startupTimeoutMillis() > 0) {
      out.add(
          o.with(
              b -> {
                b.startupTimeoutMillis = 0;
                return b;
              }));
    }
    return out;
  }

  /** Size measure for shrinking: smaller is simpler. */
  int weight() {
    int w = actors.size() * 100 + listeners.size() * 10;
    for (ActorSpec a : actors) {
      w +=
          (a.end() == End.NORMAL ? 0 : 1)
              + (a.intr() == Intr.SIGNAL ? 0 : 1)
              + (a.exec() == Exec.WAIT ? 0 : 1)
              + (a.delayMicros() > 0 ? 1 : 0)
              + (a.opts() == null ? 0 : 2 + a.opts().weight());
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
