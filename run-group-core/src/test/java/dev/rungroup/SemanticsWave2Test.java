package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The core's semantics for actors with options: one nested class per point of the contract on the
 * graph and supervision (after, ready, startup timeout, ordered stop, one-shot, restart, the
 * actor's context), one test per sentence and named as it; then the misuse that {@code add}
 * rejects, and a group whose actors use no option, which runs as before.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SemanticsWave2Test {

  /** How long a wait for something that must happen may take. */
  static final long WAIT_SECONDS = 10;

  /** How long a check that something does not happen watches. */
  static final Duration HOLD = Duration.ofMillis(200);

  /** How long an actor of the stop-order tests goes on after its interrupt before it returns. */
  static final Duration LINGER = Duration.ofMillis(100);

  static final ActorOptions DEFAULTS = ActorOptions.defaults();
  static final ActorOptions SIGNALLED = DEFAULTS.readiness(Readiness.SIGNALLED);

  /** Restarts at once and exactly, with room for many restarts: the tests' policy. */
  static RestartPolicy quickOnFailure() {
    return RestartPolicy.onFailure()
        .maxRestarts(100)
        .backoff(Duration.ZERO, Duration.ZERO)
        .jitter(0);
  }

  // -----------------------------------------------------------------------------------------------
  // Fixtures

  /**
   * Records the group's events with their thread and time, and the marks of the test's actors
   * ({@code executing}, {@code return}, {@code interrupt}, {@code get}) in between.
   */
  static final class Recorder implements GroupListener {

    static final Set<String> MARKS = Set.of("executing", "return", "interrupt", "get");

    /** One event or mark. */
    record Event(
        String kind,
        @Nullable String actor,
        Thread thread,
        long nanos,
        @Nullable Throwable error,
        int restart,
        @Nullable Duration delay) {
      @Override
      public String toString() {
        return actor == null ? kind : kind + " " + actor;
      }
    }

    final List<Event> events = new CopyOnWriteArrayList<>();

    private void add(
        String kind,
        @Nullable String actor,
        @Nullable Throwable error,
        int restart,
        @Nullable Duration delay) {
      events.add(
          new Event(kind, actor, Thread.currentThread(), System.nanoTime(), error, restart, delay));
    }

    void mark(String kind, String actor) {
      add(kind, actor, null, 0, null);
    }

    @Override
    public void actorStarted(String actor, Thread thread) {
      add("started", actor, null, 0, null);
    }

    @Override
    public void actorReady(String actor) {
      add("ready", actor, null, 0, null);
    }

    @Override
    public void actorRestarting(
        String actor, @Nullable Throwable error, int restart, Duration delay) {
      add("restarting", actor, error, restart, delay);
    }

    @Override
    public void actorReturned(String actor, @Nullable Throwable error) {
      add("returned", actor, error, 0, null);
    }

    @Override
    public void groupReady() {
      add("groupReady", null, null, 0, null);
    }

    @Override
    public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
      add("stopping", firstActor, cause, 0, null);
    }

    @Override
    public void groupStopped(Exit exit) {
      add("stopped", null, null, 0, null);
    }

    /** Every event and mark, as "kind actor". */
    List<String> log() {
      return events.stream().map(Event::toString).collect(Collectors.toList());
    }

    /** The kinds of one actor's events and marks, in order. */
    List<String> kinds(String actor) {
      return events.stream()
          .filter(e -> actor.equals(e.actor()))
          .map(Event::kind)
          .collect(Collectors.toList());
    }

    /** The kinds of one actor's events from the group, without the marks. */
    List<String> groupKinds(String actor) {
      return kinds(actor).stream().filter(k -> !MARKS.contains(k)).collect(Collectors.toList());
    }

    List<Event> of(String kind, @Nullable String actor) {
      return events.stream()
          .filter(e -> e.kind().equals(kind) && Objects.equals(e.actor(), actor))
          .collect(Collectors.toList());
    }

    /** The actors of every event of {@code kind}, in order. */
    List<@Nullable String> actors(String kind) {
      return events.stream()
          .filter(e -> e.kind().equals(kind))
          .map(Event::actor)
          .collect(Collectors.toList());
    }

    int count(String kind, @Nullable String actor) {
      return of(kind, actor).size();
    }

    void awaitCount(String kind, @Nullable String actor, int n) {
      eventually(() -> count(kind, actor) >= n);
    }

    /** The position of the first "kind actor" in {@link #log()}; fails if there is none. */
    int indexOf(String event) {
      int i = log().indexOf(event);
      assertThat(i).as("'%s' in %s", event, log()).isNotNegative();
      return i;
    }
  }

  /** What an incarnation does in its {@code execute}. */
  interface Body {
    void run(Inc self) throws Exception;
  }

  /**
   * One actor instance (an incarnation): runs its body in {@code execute}, records its interrupts;
   * the test {@linkplain #open() opens} it to let a body that waits for it go on.
   */
  static final class Inc implements Interruptible {
    final String name;
    final int index;
    private final Body body;
    private final @Nullable Recorder recorder;
    final AtomicInteger executions = new AtomicInteger();
    final AtomicInteger interrupts = new AtomicInteger();
    final List<@Nullable Throwable> causes = new CopyOnWriteArrayList<>();
    final CountDownLatch interruptedLatch = new CountDownLatch(1);
    final AtomicReference<@Nullable Thread> thread = new AtomicReference<>();
    final AtomicReference<@Nullable Thread> interruptThread = new AtomicReference<>();
    final AtomicReference<@Nullable ActorContext> context = new AtomicReference<>();
    final AtomicReference<@Nullable RuntimeException> thrown = new AtomicReference<>();
    volatile @Nullable RuntimeException interruptThrows;
    volatile boolean signalled;
    volatile boolean returned;
    private boolean opened; // guarded by this
    private boolean interrupted; // guarded by this

    Inc(String name, @Nullable Recorder recorder, Body body) {
      this(name, 0, recorder, body);
    }

    Inc(String name, int index, @Nullable Recorder recorder, Body body) {
      this.name = name;
      this.index = index;
      this.recorder = recorder;
      this.body = body;
    }

    @Override
    public void execute() throws Exception {
      thread.set(Thread.currentThread());
      context.set(ActorContext.current());
      executions.incrementAndGet();
      mark("executing");
      try {
        body.run(this);
      } finally {
        returned = true;
        mark("return");
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      interruptThread.set(Thread.currentThread());
      mark("interrupt");
      interrupts.incrementAndGet();
      causes.add(cause);
      synchronized (this) {
        interrupted = true;
        notifyAll();
      }
      interruptedLatch.countDown();
      RuntimeException failure = interruptThrows;
      if (failure != null) {
        throw failure;
      }
    }

    /** Lets a body waiting in {@link #awaitOpened()} go on. */
    void open() {
      synchronized (this) {
        opened = true;
        notifyAll();
      }
    }

    /** Waits until opened or interrupted; whether it was opened. */
    boolean awaitOpened() throws InterruptedException {
      return awaitState(true);
    }

    /** Waits until interrupted. */
    void awaitInterrupt() throws InterruptedException {
      awaitState(false);
    }

    private synchronized boolean awaitState(boolean orOpened) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!(orOpened && opened) && !interrupted) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(name + " waited 20 s in vain");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return orOpened && opened;
    }

    /** A fresh failure of this incarnation, kept in {@link #thrown}. */
    RuntimeException failure() {
      RuntimeException e = new IllegalStateException(name + " #" + index + " failed");
      thrown.set(e);
      return e;
    }

    /** Says ready through the current context, as a SIGNALLED actor does. */
    void signal() {
      signalled = true;
      ActorContext.current().ready();
    }

    private void mark(String kind) {
      Recorder r = recorder;
      if (r != null) {
        r.mark(kind, name);
      }
    }
  }

  /** Makes the incarnations of a supplier-form actor: the i-th {@code get()} runs bodies[i]. */
  static final class Made implements Supplier<Inc> {
    final String name;
    private final @Nullable Recorder recorder;
    private final Body[] bodies;
    final List<Inc> incs = new CopyOnWriteArrayList<>();
    final List<Thread> getThreads = new CopyOnWriteArrayList<>();
    final List<String> contextInGet = new CopyOnWriteArrayList<>();

    /** The last body is repeated for every later incarnation. */
    Made(String name, @Nullable Recorder recorder, Body... bodies) {
      this.name = name;
      this.recorder = recorder;
      this.bodies = bodies.clone();
    }

    @Override
    public Inc get() {
      getThreads.add(Thread.currentThread());
      String seen;
      try {
        seen = ActorContext.current().name();
      } catch (IllegalStateException e) {
        seen = "no context";
      }
      contextInGet.add(seen);
      Recorder r = recorder;
      if (r != null) {
        r.mark("get", name);
      }
      int i = incs.size();
      Inc inc = new Inc(name, i, recorder, bodies[Math.min(i, bodies.length - 1)]);
      incs.add(inc);
      return inc;
    }

    int gets() {
      return getThreads.size();
    }

    /** The i-th incarnation, once it was made. */
    Inc inc(int i) {
      eventually(() -> incs.size() > i);
      return incs.get(i);
    }

    /** The i-th incarnation, once it executes. */
    Inc executing(int i) {
      Inc inc = inc(i);
      eventually(() -> inc.executions.get() == 1);
      return inc;
    }
  }

  /** Runs until interrupted. */
  static final Body RUNS = Inc::awaitInterrupt;

  /** Returns normally at once. */
  static final Body RETURNS = self -> {};

  /** Fails at once. */
  static final Body FAILS =
      self -> {
        throw self.failure();
      };

  /** Returns normally once opened (or interrupted). */
  static final Body RETURNS_WHEN_OPENED = Inc::awaitOpened;

  /** Signals ready at once, then runs until interrupted. */
  static final Body SIGNALS =
      self -> {
        self.signal();
        self.awaitInterrupt();
      };

  /** Signals ready once opened, then runs until interrupted. */
  static final Body SIGNALS_WHEN_OPENED =
      self -> {
        if (self.awaitOpened()) {
          self.signal();
          self.awaitInterrupt();
        }
      };

  /** Signals ready at once, then fails. */
  static final Body SIGNALS_THEN_FAILS =
      self -> {
        self.signal();
        throw self.failure();
      };

  /** Signals ready at once, then fails once opened. */
  static final Body SIGNALS_THEN_FAILS_WHEN_OPENED =
      self -> {
        self.signal();
        if (self.awaitOpened()) {
          throw self.failure();
        }
      };

  /** Runs until interrupted, then goes on for {@link #LINGER} before it returns. */
  static final Body LINGERS =
      self -> {
        self.awaitInterrupt();
        letTimePass(LINGER);
      };

  /** Signals ready at once, runs until interrupted, then lingers. */
  static final Body SIGNALS_AND_LINGERS =
      self -> {
        self.signal();
        self.awaitInterrupt();
        letTimePass(LINGER);
      };

  /** {@code run()} on a thread of the test's, with a bounded wait for its {@link Exit}. */
  static final class Running {
    private final Thread thread;
    private final AtomicReference<@Nullable Exit> exit = new AtomicReference<>();

    Running(Group group) {
      thread = new Thread(() -> exit.set(group.run()), "runs-the-group");
      thread.start();
    }

    Exit exit() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(20));
      assertThat(thread.isAlive()).as("run() returned").isFalse();
      return Objects.requireNonNull(exit.get(), "exit");
    }
  }

  static Running start(Group group) {
    return new Running(group);
  }

  /** A thread that waits in {@link Group#awaitReady(Duration)}; its result or exception. */
  static final class Waiter {
    final Thread thread;
    final AtomicReference<@Nullable Object> result = new AtomicReference<>();

    Waiter(Group group, Duration timeout) {
      thread =
          new Thread(
              () -> {
                try {
                  result.set(group.awaitReady(timeout));
                } catch (InterruptedException e) {
                  result.set(e);
                }
              },
              "awaits-ready");
      thread.start();
    }

    /** Once the thread waits in awaitReady. */
    Waiter waiting() {
      eventually(() -> thread.getState() == Thread.State.TIMED_WAITING);
      return this;
    }

    @Nullable Object result() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertThat(thread.isAlive()).as("awaitReady returned").isFalse();
      return result.get();
    }
  }

  static void eventually(Callable<Boolean> condition) {
    await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .pollInterval(Duration.ofMillis(5))
        .until(condition);
  }

  /** Checks that {@code condition} stays true for {@link #HOLD}. */
  static void holds(Callable<Boolean> condition) {
    await()
        .during(HOLD)
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .pollInterval(Duration.ofMillis(10))
        .until(condition);
  }

  /**
   * Lets {@code duration} pass on the calling thread: for tests about a duration (a timeout, a
   * window), never to wait for another thread. Ignores interrupts meanwhile, keeping the flag.
   */
  static void letTimePass(Duration duration) {
    CountDownLatch never = new CountDownLatch(1);
    long end = System.nanoTime() + duration.toNanos();
    boolean interrupted = false;
    for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
      try {
        never.await(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  static Group recorded(Recorder recorder) {
    return TestThreads.builder().listener(recorder).build();
  }

  /** The live threads named as the startup timer's. */
  static List<Thread> timerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("run-group-startup-timer") && t.isAlive())
        .collect(Collectors.toList());
  }

  /**
   * A graph as pairs: an actor's name, then the names it starts after, separated by spaces (empty
   * for none); in add order.
   */
  static Map<String, List<String>> graph(String... pairs) {
    Map<String, List<String>> graph = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      String after = pairs[i + 1].trim();
      graph.put(pairs[i], after.isEmpty() ? List.of() : Arrays.asList(after.split(" +")));
    }
    return graph;
  }

  /** The actors after {@code actor}, direct and transitive. */
  static Set<String> dependents(Map<String, List<String>> graph, String actor) {
    Set<String> found = new LinkedHashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<String, List<String>> e : graph.entrySet()) {
        if (!found.contains(e.getKey())) {
          for (String dependency : e.getValue()) {
            if (dependency.equals(actor) || found.contains(dependency)) {
              grew |= found.add(e.getKey());
              break;
            }
          }
        }
      }
    }
    return found;
  }

  /**
   * The stop order as the contract words it, written apart from the engine: repeatedly the
   * earliest-added actor among those not yet placed whose dependents, direct and transitive, are
   * all placed.
   */
  static List<String> stopOrderByTheRule(Map<String, List<String>> graph) {
    List<String> placed = new ArrayList<>();
    while (placed.size() < graph.size()) {
      for (String actor : graph.keySet()) {
        if (!placed.contains(actor) && placed.containsAll(dependents(graph, actor))) {
          placed.add(actor);
          break;
        }
      }
    }
    return placed;
  }

  /**
   * Adds {@code graph} to {@code group}, every actor running {@code body} (the Interruptible form,
   * {@code options} plus its {@code after}), in add order.
   */
  static Map<String, Inc> addGraph(
      Group group,
      Recorder recorder,
      Map<String, List<String>> graph,
      ActorOptions options,
      Body body) {
    Map<String, Inc> incs = new LinkedHashMap<>();
    graph.forEach(
        (name, after) -> {
          Inc inc = new Inc(name, recorder, body);
          incs.put(name, inc);
          group.add(name, inc, options.after(after.toArray(new String[0])));
        });
    return incs;
  }

  /**
   * Checks that every interrupt came after every started actor after it, direct or transitive, had
   * returned.
   */
  static void assertEachInterruptCameAfterItsStartedDependentsReturned(
      Recorder rec, Map<String, List<String>> graph) {
    for (String actor : graph.keySet()) {
      int interrupt = rec.indexOf("interrupt " + actor);
      for (String dependent : dependents(graph, actor)) {
        if (rec.count("executing", dependent) > 0) {
          assertThat(rec.indexOf("return " + dependent))
              .as("%s returned before %s was interrupted: %s", dependent, actor, rec.log())
              .isLessThan(interrupt);
        }
      }
    }
  }

  /** Asserts that {@code add} throws an IllegalArgumentException naming all of {@code parts}. */
  static void rejected(ThrowingCallable add, String... parts) {
    assertThatThrownBy(add)
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e -> {
              for (String part : parts) {
                assertThat(e.getMessage()).contains(part);
              }
            });
  }

  // -----------------------------------------------------------------------------------------------

  @Nested
  class Point11After {

    // "names actors added earlier (an unknown name, the actor itself or a later one throws
    // IllegalArgumentException at add, so the graph has no cycle)": see MisuseAtAdd.

    @Test
    void callingAfterTwiceAddsToTheList() throws Exception {
      assertThat(DEFAULTS.after("a").after("b", "c").dependencies()).containsExactly("a", "b", "c");
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc a = new Inc("a", rec, SIGNALS_WHEN_OPENED);
      Inc b = new Inc("b", rec, SIGNALS_WHEN_OPENED);
      Inc c = new Inc("c", rec, RUNS);
      group
          .add("a", a, SIGNALLED)
          .add("b", b, SIGNALLED)
          .add("c", c, DEFAULTS.after("a").after("b"));
      Running running = start(group);

      a.open();
      rec.awaitCount("ready", "a", 1);
      holds(() -> c.executions.get() == 0); // it waits for b too, named by the second call
      b.open();
      eventually(() -> c.executions.get() == 1);

      group.stop();
      running.exit();
    }

    @Test
    void theActorsExecuteBeginsOnlyOnceEveryNamedActorIsReady() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc a = new Inc("a", rec, SIGNALS_WHEN_OPENED);
      Inc b = new Inc("b", rec, SIGNALS_WHEN_OPENED);
      AtomicReference<@Nullable Boolean> bothReadyAtStart = new AtomicReference<>();
      Inc c =
          new Inc(
              "c",
              rec,
              self -> {
                bothReadyAtStart.set(a.signalled && b.signalled);
                self.awaitInterrupt();
              });
      group.add("a", a, SIGNALLED).add("b", b, SIGNALLED).add("c", c, DEFAULTS.after("a", "b"));
      Running running = start(group);
      eventually(() -> a.executions.get() == 1 && b.executions.get() == 1);

      holds(() -> c.executions.get() == 0);
      a.open();
      rec.awaitCount("ready", "a", 1);
      holds(() -> c.executions.get() == 0);
      b.open();
      eventually(() -> bothReadyAtStart.get() != null);

      assertThat(bothReadyAtStart.get()).isTrue();
      group.stop();
      running.exit();
    }

    @Test
    void ifTheGroupBeginsToStopFirstItNeverStarts() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc a = new Inc("a", rec, SIGNALS_WHEN_OPENED); // never ready
      Inc b = new Inc("b", rec, RUNS);
      Made c = new Made("c", rec, RUNS);
      group
          .add("a", a, SIGNALLED)
          .add("b", b, DEFAULTS.after("a"))
          .add("c", c, DEFAULTS.after("a"));
      Running running = start(group);
      eventually(() -> a.executions.get() == 1);

      group.stop();
      Exit exit = running.exit();

      assertThat(exit.actors())
          .extracting(Exit.Outcome::name, Exit.Outcome::started, Exit.Outcome::stopped)
          .containsExactly(
              tuple("a", true, true), tuple("b", false, true), tuple("c", false, true));
      assertThat(b.executions).hasValue(0);
      assertThat(c.gets()).isZero();
      assertThat(rec.count("started", "b") + rec.count("started", "c")).isZero();
    }

    @Test
    void itNeverStartsEvenIfADependencyBecomesReadyDuringTheStop() throws Exception {
      Recorder rec = new Recorder();
      CountDownLatch stopping = new CountDownLatch(1);
      CountDownLatch aReady = new CountDownLatch(1);
      // The threads of b and c reach their slot only once a has become ready, during the stop.
      ThreadFactory gated =
          task -> {
            String name = task instanceof Slot slot ? slot.name : "other";
            boolean gate = !name.equals("a");
            Thread thread =
                new Thread(
                    () -> {
                      if (gate) {
                        TestThreads.awaitUninterruptibly(aReady, WAIT_SECONDS);
                      }
                      task.run();
                    },
                    name);
            thread.setDaemon(true);
            return thread;
          };
      Group group =
          Group.builder()
              .threadFactory(gated)
              .listener(rec)
              .listener(
                  new GroupListener() {
                    @Override
                    public void groupStopping(@Nullable String first, @Nullable Throwable cause) {
                      stopping.countDown();
                    }
                  })
              .build();
      Inc a =
          new Inc(
              "a",
              rec,
              self -> {
                TestThreads.await(stopping, WAIT_SECONDS);
                self.signal(); // ready during the stop
                aReady.countDown();
                self.awaitInterrupt();
              });
      Inc b = new Inc("b", rec, RUNS);
      Made c = new Made("c", rec, RUNS);
      group
          .add("a", a, SIGNALLED)
          .add("b", b, DEFAULTS.after("a"))
          .add("c", c, DEFAULTS.after("a"));
      Running running = start(group);
      eventually(() -> a.executions.get() == 1);

      group.stop();
      Exit exit = running.exit();

      assertThat(rec.count("ready", "a")).as("a became ready during the stop").isEqualTo(1);
      assertThat(exit.actors())
          .extracting(Exit.Outcome::started)
          .containsExactly(true, false, false);
      assertThat(b.executions).hasValue(0);
      assertThat(b.interrupts).hasValue(1);
      assertThat(c.gets()).isZero();
      assertThat(rec.count("groupReady", null)).isZero();
    }

    @Test
    void anInterruptibleThatNeverStartedIsStillInterruptedExactlyOnce() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc a = new Inc("a", rec, SIGNALS_WHEN_OPENED); // never ready
      Inc b = new Inc("b", rec, RUNS);
      group.add("a", a, SIGNALLED).add("b", b, DEFAULTS.after("a"));
      Running running = start(group);
      eventually(() -> a.executions.get() == 1);
      Exception cause = new Exception("maintenance");

      group.stop(cause);
      Exit exit = running.exit();

      assertThat(b.executions).hasValue(0);
      assertThat(b.interrupts).hasValue(1);
      assertThat(b.causes).containsExactly(cause);
      Exit.Outcome outcome = exit.actors().get(1);
      assertThat(outcome.started()).isFalse();
      assertThat(outcome.interruptCompleted()).isTrue();
    }

    @Test
    void aSupplierFormActorThatNeverStartedHasNoIncarnationNothingIsGotNothingIsInterrupted()
        throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc a = new Inc("a", rec, SIGNALS_WHEN_OPENED); // never ready
      Made b = new Made("b", rec, RUNS);
      group.add("a", a, SIGNALLED).add("b", b, DEFAULTS.after("a"));
      Running running = start(group);
      eventually(() -> a.executions.get() == 1);

      group.stop();
      Exit exit = running.exit();

      assertThat(b.gets()).isZero();
      assertThat(b.incs).isEmpty();
      assertThat(rec.kinds("b")).isEmpty();
      Exit.Outcome outcome = exit.actors().get(1);
      assertThat(outcome.started()).isFalse();
      assertThat(outcome.interruptCompleted()).as("nothing was interrupted").isFalse();
      assertThat(outcome.error()).isNull();
    }

    @Test
    void theSuppliersFirstGetHappensWhenTheActorStarts() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc a = new Inc("a", rec, SIGNALS_WHEN_OPENED);
      Made b = new Made("b", rec, RUNS);
      group.add("a", a, SIGNALLED).add("b", b, DEFAULTS.after("a"));
      assertThat(b.gets()).as("not at add").isZero();
      Running running = start(group);
      eventually(() -> a.executions.get() == 1);
      holds(() -> b.gets() == 0); // not when run() begins, while it waits

      a.open();
      Inc first = b.executing(0);

      assertThat(b.gets()).isEqualTo(1);
      assertThat(rec.indexOf("get b")).isGreaterThan(rec.indexOf("ready a"));
      assertThat(b.getThreads.get(0)).as("on the actor's thread").isSameAs(first.thread.get());
      assertThat(b.getThreads.get(0).getName()).isEqualTo("b");
      group.stop();
      running.exit();
      assertThat(b.gets()).isEqualTo(1);
    }
  }

  @Nested
  class Point12Ready {

    @Test
    void anOnStartActorIsReadyWhenItsExecuteBegins() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc plain = new Inc("plain", rec, RUNS);
      Made supplied = new Made("supplied", rec, RUNS);
      AtomicReference<@Nullable Boolean> suppliedStillRunning = new AtomicReference<>();
      Inc after =
          new Inc(
              "after",
              rec,
              self -> {
                suppliedStillRunning.set(!supplied.inc(0).returned);
                self.awaitInterrupt();
              });
      group.add("plain", plain).add("supplied", supplied, DEFAULTS);
      group.add("after", after, DEFAULTS.after("plain", "supplied"));
      Running running = start(group);
      eventually(() -> suppliedStillRunning.get() != null);
      group.stop();
      running.exit();

      for (String actor : List.of("plain", "supplied", "after")) {
        List<String> kinds = rec.kinds(actor);
        assertThat(kinds.indexOf("ready"))
            .as("%s: %s", actor, kinds)
            .isEqualTo(kinds.indexOf("started") + 1)
            .isLessThan(kinds.indexOf("executing"));
      }
      assertThat(suppliedStillRunning.get()).isTrue();
    }

    @Test
    void aSignalledActorIsReadyWhenItCallsReadyWhichIsIdempotent() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc s =
          new Inc(
              "s",
              rec,
              self -> {
                self.awaitOpened();
                rec.mark("signals", "s");
                ActorContext context = ActorContext.current();
                context.ready();
                context.ready();
                rec.mark("signalled", "s");
                self.awaitInterrupt();
              });
      Inc d = new Inc("d", rec, RUNS);
      group.add("s", s, SIGNALLED).add("d", d, DEFAULTS.after("s"));
      Running running = start(group);
      eventually(() -> s.executions.get() == 1);
      holds(() -> !group.isReady() && d.executions.get() == 0 && rec.count("ready", "s") == 0);

      s.open();
      eventually(() -> d.executions.get() == 1);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      group.stop();
      running.exit();

      assertThat(rec.kinds("s"))
          .containsExactly(
              "started",
              "executing",
              "signals",
              "ready",
              "signalled",
              "interrupt",
              "return",
              "returned");
    }

    @Test
    void aOneShotActorIsReadyWhenItReturnsNormally() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc plain = new Inc("plain", rec, RUNS);
      Inc once = new Inc("once", rec, RETURNS_WHEN_OPENED);
      Inc d = new Inc("d", rec, RUNS);
      group.add("plain", plain).add("once", once, DEFAULTS.oneShot());
      group.add("d", d, DEFAULTS.after("once"));
      Running running = start(group);
      eventually(() -> once.executions.get() == 1);
      holds(() -> rec.count("ready", "once") == 0 && d.executions.get() == 0 && !group.isReady());

      once.open();
      eventually(() -> d.executions.get() == 1);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      group.stop();
      running.exit();

      assertThat(rec.groupKinds("once")).containsExactly("started", "returned", "ready");
    }

    @Test
    void aOneShotActorIsReadyEarlierIfItIsSignalledAndSignals() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc once =
          new Inc(
              "once",
              rec,
              self -> {
                self.signal();
                self.awaitOpened();
              });
      Inc d = new Inc("d", rec, RUNS);
      group.add("once", once, SIGNALLED.oneShot()).add("d", d, DEFAULTS.after("once"));
      Running running = start(group);

      eventually(() -> d.executions.get() == 1);
      assertThat(once.returned).as("it still runs").isFalse();
      once.open();
      rec.awaitCount("returned", "once", 1);
      eventually(() -> !Objects.requireNonNull(once.thread.get()).isAlive());
      group.stop();
      running.exit();

      assertThat(rec.groupKinds("once")).containsExactly("started", "ready", "returned");
    }

    @Test
    void actorReadyFiresOncePerIncarnationThatBecomesReadyForEveryKind() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      group.add("plain", new Inc("plain", rec, RUNS));
      group.add("onStart", new Made("onStart", rec, RUNS), DEFAULTS);
      group.add("signalled", new Inc("signalled", rec, SIGNALS), SIGNALLED);
      group.add("oneShot", new Inc("oneShot", rec, RETURNS), DEFAULTS.oneShot());
      group.add(
          "signalledOneShot", new Inc("signalledOneShot", rec, Inc::signal), SIGNALLED.oneShot());
      Made restarted = new Made("restarted", rec, SIGNALS_THEN_FAILS, FAILS, SIGNALS);
      group.add("restarted", restarted, SIGNALLED.restart(quickOnFailure()));
      Running running = start(group);
      restarted.executing(2);
      rec.awaitCount("ready", "restarted", 2);
      rec.awaitCount("ready", "signalledOneShot", 1);
      rec.awaitCount("ready", "oneShot", 1);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();

      group.stop();
      running.exit();

      assertThat(rec.count("ready", "plain")).isEqualTo(1);
      assertThat(rec.count("ready", "onStart")).isEqualTo(1);
      assertThat(rec.count("ready", "signalled")).isEqualTo(1);
      assertThat(rec.count("ready", "oneShot")).isEqualTo(1);
      assertThat(rec.count("ready", "signalledOneShot")).isEqualTo(1);
      assertThat(rec.count("ready", "restarted"))
          .as("incarnations 0 and 2 became ready, 1 did not")
          .isEqualTo(2);
      assertThat(rec.count("restarting", "restarted")).isEqualTo(2);
    }

    @Test
    void theGroupBecomesReadyWhenAllItsActorsAre() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc a = new Inc("a", rec, SIGNALS_WHEN_OPENED);
      Inc b = new Inc("b", rec, SIGNALS_WHEN_OPENED);
      group.add("a", a, SIGNALLED).add("b", b, SIGNALLED);
      Running running = start(group);
      eventually(() -> a.executions.get() == 1 && b.executions.get() == 1);

      a.open();
      rec.awaitCount("ready", "a", 1);
      holds(() -> !group.isReady());
      assertThat(group.awaitReady(Duration.ZERO)).isFalse();
      b.open();

      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      assertThat(group.isReady()).isTrue();
      rec.awaitCount("groupReady", null, 1); // fired once isReady() is true
      assertThat(rec.indexOf("groupReady")).isGreaterThan(rec.indexOf("ready b"));
      group.stop();
      running.exit();
    }

    @Test
    void theGroupBecomesReadyOnlyWhileItRuns() throws Exception {
      Recorder rec = new Recorder();
      CountDownLatch stopping = new CountDownLatch(1);
      Group group =
          TestThreads.builder()
              .listener(rec)
              .listener(
                  new GroupListener() {
                    @Override
                    public void groupStopping(@Nullable String first, @Nullable Throwable cause) {
                      stopping.countDown();
                    }
                  })
              .build();
      Inc late =
          new Inc(
              "late",
              rec,
              self -> {
                TestThreads.await(stopping, WAIT_SECONDS);
                self.signal(); // the last actor becomes ready, but the group is stopping
                self.awaitInterrupt();
              });
      group.add("plain", new Inc("plain", rec, RUNS)).add("late", late, SIGNALLED);
      Running running = start(group);
      eventually(() -> late.executions.get() == 1);

      group.stop();
      running.exit();

      assertThat(rec.count("ready", "late")).isEqualTo(1);
      assertThat(group.isReady()).isFalse();
      assertThat(group.awaitReady(Duration.ZERO)).isFalse();
      assertThat(rec.count("groupReady", null)).isZero();
    }

    @Test
    void aGroupOfZeroActorsNeverBecomesReady() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);

      group.run();

      assertThat(group.isReady()).isFalse();
      long began = System.nanoTime();
      assertThat(group.awaitReady(Duration.ofMinutes(1))).isFalse();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)).isLessThan(5);
      assertThat(rec.count("groupReady", null)).isZero();
    }

    @Test
    void groupReadinessIsLatchedALaterRestartDoesNotUndoIt() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, SIGNALS_THEN_FAILS_WHEN_OPENED, SIGNALS_WHEN_OPENED);
      group.add("plain", new Inc("plain", rec, RUNS));
      group.add("s", s, SIGNALLED.restart(quickOnFailure()));
      Running running = start(group);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();

      s.executing(0).open(); // fails: restarted, not ready until its next incarnation signals
      Inc second = s.executing(1);
      assertThat(group.isReady()).isTrue();
      assertThat(group.awaitReady(Duration.ZERO)).isTrue();
      second.open();
      rec.awaitCount("ready", "s", 2);
      group.stop();
      running.exit();

      assertThat(group.isReady()).as("latched over the stop too").isTrue();
      assertThat(group.awaitReady(Duration.ZERO)).isTrue();
      assertThat(rec.count("groupReady", null)).isEqualTo(1);
    }

    @Test
    void groupReadyFiresOnceOnTheThreadWhoseActorCompletedTheGroupsReadiness() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc a = new Inc("a", rec, SIGNALS_WHEN_OPENED);
      Inc b = new Inc("b", rec, SIGNALS_WHEN_OPENED);
      Inc c = new Inc("c", rec, SIGNALS_WHEN_OPENED);
      group.add("a", a, SIGNALLED).add("b", b, SIGNALLED).add("c", c, SIGNALLED);
      Running running = start(group);

      a.open();
      rec.awaitCount("ready", "a", 1);
      c.open();
      rec.awaitCount("ready", "c", 1);
      b.open(); // the last
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      group.stop();
      running.exit();

      List<Recorder.Event> ready = rec.of("groupReady", null);
      assertThat(ready).hasSize(1);
      assertThat(ready.get(0).thread()).isSameAs(b.thread.get());
    }

    @Test
    void actorReadyAndActorRestartingAreCalledOnTheActorsOwnThread() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, SIGNALS_THEN_FAILS, SIGNALS);
      Inc once = new Inc("once", rec, RETURNS);
      Inc plain = new Inc("plain", rec, RUNS);
      group.add("plain", plain).add("once", once, DEFAULTS.oneShot());
      group.add("s", s, SIGNALLED.restart(quickOnFailure()));
      Running running = start(group);
      s.executing(1);
      rec.awaitCount("ready", "s", 2);
      rec.awaitCount("ready", "once", 1);
      group.stop();
      running.exit();

      Thread sThread = s.inc(0).thread.get();
      assertThat(s.inc(1).thread.get()).as("a restart runs on the same thread").isSameAs(sThread);
      assertThat(rec.of("ready", "s")).extracting(Recorder.Event::thread).containsOnly(sThread);
      assertThat(rec.of("restarting", "s"))
          .singleElement()
          .extracting(Recorder.Event::thread)
          .isSameAs(sThread);
      assertThat(rec.of("ready", "once").get(0).thread()).isSameAs(once.thread.get());
      assertThat(rec.of("ready", "plain").get(0).thread()).isSameAs(plain.thread.get());
    }

    @Test
    void perIncarnationActorStartedThenActorReturnedARestartRepeatsThePair() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, FAILS, FAILS, RUNS);
      group.add("s", s, DEFAULTS.restart(quickOnFailure()));
      Running running = start(group);
      s.executing(2);
      group.stop();
      running.exit();

      assertThat(rec.groupKinds("s"))
          .containsExactly(
              "started",
              "ready",
              "returned",
              "restarting",
              "started",
              "ready",
              "returned",
              "restarting",
              "started",
              "ready",
              "returned");
      assertThat(rec.of("returned", "s"))
          .extracting(Recorder.Event::error)
          .containsExactly(s.inc(0).thrown.get(), s.inc(1).thrown.get(), null);
    }

    @Test
    void awaitReadyReturnsTrueOnceTheGroupHasBecomeReadyAlsoIfItStoppedSince() throws Exception {
      Group group = TestThreads.group();
      Inc a = new Inc("a", null, SIGNALS_WHEN_OPENED);
      group.add("a", a, SIGNALLED);
      Waiter before = new Waiter(group, Duration.ofMinutes(1)).waiting(); // before run()
      Running running = start(group);
      eventually(() -> a.executions.get() == 1);
      holds(before.thread::isAlive);

      a.open();

      assertThat(before.result()).isEqualTo(true);
      group.stop();
      running.exit();
      assertThat(group.awaitReady(Duration.ZERO)).isTrue();
      assertThat(group.awaitReady(Duration.ofMinutes(1))).isTrue();
    }

    @Test
    void awaitReadyReturnsFalseOnTimeout() throws Exception {
      Group group = TestThreads.group();
      Inc a = new Inc("a", null, SIGNALS_WHEN_OPENED); // never ready
      group.add("a", a, SIGNALLED);
      Running running = start(group);
      eventually(() -> a.executions.get() == 1);

      long began = System.nanoTime();
      boolean ready = group.awaitReady(Duration.ofMillis(100));
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

      assertThat(ready).isFalse();
      assertThat(tookMillis).isGreaterThanOrEqualTo(90);
      group.stop();
      running.exit();
    }

    @Test
    void awaitReadyReturnsFalseWhenTheGroupStopsWithoutHavingBecomeReady() throws Exception {
      Group group = TestThreads.group();
      Inc a = new Inc("a", null, SIGNALS_WHEN_OPENED); // never ready
      group.add("a", a, SIGNALLED);
      Running running = start(group);
      eventually(() -> a.executions.get() == 1);
      Waiter waiter = new Waiter(group, Duration.ofMinutes(1)).waiting();

      group.stop();

      assertThat(waiter.result()).as("at once, not after a minute").isEqualTo(false);
      running.exit();
      assertThat(group.awaitReady(Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void awaitReadyThrowsInterruptedException() throws Exception {
      Group group = TestThreads.group();
      Inc a = new Inc("a", null, SIGNALS_WHEN_OPENED); // never ready
      group.add("a", a, SIGNALLED);
      Running running = start(group);
      Waiter waiter = new Waiter(group, Duration.ofMinutes(1)).waiting();

      waiter.thread.interrupt();

      assertThat(waiter.result()).isInstanceOf(InterruptedException.class);
      Thread.currentThread().interrupt();
      Throwable thrown = catchThrowable(() -> group.awaitReady(Duration.ofMinutes(1)));
      boolean flagLeft = Thread.interrupted();
      assertThat(thrown).as("also with the flag set").isInstanceOf(InterruptedException.class);
      assertThat(flagLeft).isFalse();
      group.stop();
      running.exit();
    }
  }

  @Nested
  class Point13StartupTimeout {

    @Test
    void anIncarnationNotReadyWithinItsStartupTimeoutFailsWithStartupTimeoutException() {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Duration timeout = Duration.ofMillis(100);
      Inc other = new Inc("other", rec, RUNS);
      Inc slow = new Inc("slow", rec, RUNS); // never signals
      group.add("other", other).add("slow", slow, SIGNALLED.startupTimeout(timeout));

      Exit exit = group.run();

      Throwable error = exit.error();
      assertThat(error)
          .isInstanceOfSatisfying(
              StartupTimeoutException.class,
              e -> {
                assertThat(e.actor()).isEqualTo("slow");
                assertThat(e.timeout()).isEqualTo(timeout);
                assertThat(e.getMessage()).contains("'slow'").contains(timeout.toString());
              });
      assertThat(exit.firstActor()).hasValue("slow");
      assertThat(exit.actors().get(1).error()).as("the actor's error").isSameAs(error);
      assertThat(slow.causes).as("interrupted once, with it").containsExactly(error);
      assertThat(Objects.requireNonNull(slow.interruptThread.get()).getName())
          .isEqualTo("run-group-startup-timer");
      assertThat(rec.of("returned", "slow"))
          .extracting(Recorder.Event::error)
          .containsExactly(error);
      assertThat(other.causes).as("stopping the group").containsExactly(error);
    }

    @Test
    void theTimeoutCountsFromTheIncarnationsOwnExecuteNotTheWaitForItsDependencies()
        throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Duration timeout = Duration.ofMillis(150);
      Inc a =
          new Inc(
              "a",
              rec,
              self -> {
                letTimePass(timeout.multipliedBy(3)); // its dependent waits longer than its timeout
                self.signal();
                self.awaitInterrupt();
              });
      Inc b = new Inc("b", rec, SIGNALS); // ready as soon as it begins
      group.add("a", a, SIGNALLED).add("b", b, SIGNALLED.after("a").startupTimeout(timeout));
      Running running = start(group);
      rec.awaitCount("ready", "b", 1);

      group.stop();
      Exit exit = running.exit();

      assertThat(exit.error()).isNull();
      assertThat(exit.actors().get(1).error()).isNull();
      assertThat(b.causes).as("only the stop's interrupt").containsExactly((Throwable) null);
    }

    @Test
    void aStartupTimeoutIsAFailureLikeAnyOtherRestartedUnderItsRestartPolicy() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, RUNS, SIGNALS); // the first never signals
      group.add("s", s, SIGNALLED.startupTimeout(Duration.ofMillis(100)).restart(quickOnFailure()));
      Running running = start(group);
      rec.awaitCount("ready", "s", 1);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();

      group.stop();
      Exit exit = running.exit();

      Recorder.Event restarting = rec.of("restarting", "s").get(0);
      assertThat(restarting.restart()).isEqualTo(1);
      assertThat(restarting.error())
          .isInstanceOfSatisfying(
              StartupTimeoutException.class, e -> assertThat(e.actor()).isEqualTo("s"));
      assertThat(rec.of("returned", "s").get(0).error()).isSameAs(restarting.error());
      assertThat(s.inc(0).causes).containsExactly(restarting.error());
      assertThat(exit.error()).isNull();
      assertThat(exit.actors().get(0).restarts()).isEqualTo(1);
      assertThat(exit.actors().get(0).error()).isNull();
    }

    @Test
    void elseItStopsTheGroup() {
      Group group = TestThreads.group();
      Made s = new Made("s", null, RUNS); // never signals
      Inc other = new Inc("other", null, RUNS);
      group.add("other", other);
      group.add(
          "s",
          s,
          SIGNALLED
              .startupTimeout(Duration.ofMillis(100))
              .restart(quickOnFailure().maxRestarts(1)));

      Exit exit = group.run();

      assertThat(s.gets()).isEqualTo(2);
      assertThat(exit.error()).isInstanceOf(StartupTimeoutException.class);
      assertThat(exit.firstActor()).hasValue("s");
      assertThat(s.inc(1).causes).containsExactly(exit.error());
      assertThat(other.causes).containsExactly(exit.error());
    }

    @Test
    void anIncarnationReadyInTimeRunsOnPastItsTimeout() throws Exception {
      Group group = TestThreads.group();
      Inc s = new Inc("s", null, SIGNALS);
      group.add("s", s, SIGNALLED.startupTimeout(Duration.ofMillis(100)));
      Running running = start(group);
      eventually(() -> s.signalled);

      letTimePass(Duration.ofMillis(300));

      assertThat(group.state()).isEqualTo(Group.State.RUNNING);
      assertThat(s.interrupts).hasValue(0);
      group.stop();
      assertThat(running.exit().error()).isNull();
    }

    @Test
    void byDefaultThereIsNoStartupTimeout() throws Exception {
      assertThat(DEFAULTS.startupTimeout()).isEmpty();
      assertThat(SIGNALLED.oneShot().restart(RestartPolicy.onFailure()).startupTimeout()).isEmpty();
      Group group = TestThreads.group();
      Inc s = new Inc("s", null, SIGNALS_WHEN_OPENED);
      group.add("s", s, SIGNALLED);
      Running running = start(group);
      eventually(() -> s.executions.get() == 1);

      assertThat(timerThreads()).as("no startup timer").isEmpty();
      s.open();
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      group.stop();
      assertThat(running.exit().error()).isNull();
    }
  }

  @Nested
  class Point14OrderedStop {

    @Test
    void theStopOrderIsTheReverseOfATopologicalOrderTiesInAddOrder() throws Exception {
      Map<String, List<String>> diamond = graph("a", "", "b", "a", "c", "a", "d", "b c", "e", "");
      Map<String, List<String>> tie = graph("a", "", "b", "", "c", "a");

      for (Map<String, List<String>> g : List.of(diamond, tie)) {
        Recorder rec = new Recorder();
        Group group = recorded(rec);
        Map<String, Inc> incs = addGraph(group, rec, g, DEFAULTS, RUNS);
        Running running = start(group);
        eventually(() -> incs.values().stream().allMatch(i -> i.executions.get() == 1));
        group.stop();
        running.exit();

        assertThat(rec.actors("interrupt")).isEqualTo(stopOrderByTheRule(g));
      }
      assertThat(stopOrderByTheRule(diamond)).containsExactly("d", "b", "c", "a", "e");
      assertThat(stopOrderByTheRule(tie)).containsExactly("b", "c", "a");
    }

    @Test
    void thePrometheusGraphStopsInTheOrderOfTheRule() throws Exception {
      Map<String, List<String>> prometheus =
          graph(
              "termination", "",
              "tsdb", "",
              "discovery-scrape", "",
              "discovery-notify", "",
              "config", "tsdb",
              "scrape", "tsdb config discovery-scrape",
              "rules", "tsdb config",
              "notifier", "config discovery-notify",
              "web", "tsdb config",
              "reload", "config");
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Map<String, Inc> incs = new LinkedHashMap<>();
      prometheus.forEach(
          (name, after) -> {
            boolean signalled = name.equals("tsdb") || name.equals("config");
            Inc inc = new Inc(name, rec, signalled ? SIGNALS_AND_LINGERS : LINGERS);
            incs.put(name, inc);
            group.add(
                name, inc, (signalled ? SIGNALLED : DEFAULTS).after(after.toArray(new String[0])));
          });
      Running running = start(group);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();

      group.stop();
      running.exit();

      assertThat(rec.actors("interrupt"))
          .containsExactly(
              "termination",
              "scrape",
              "discovery-scrape",
              "rules",
              "notifier",
              "discovery-notify",
              "web",
              "reload",
              "config",
              "tsdb")
          .isEqualTo(stopOrderByTheRule(prometheus));
      assertEachInterruptCameAfterItsStartedDependentsReturned(rec, prometheus);
      assertThat(incs.values()).allSatisfy(i -> assertThat(i.interrupts).hasValue(1));
    }

    @ParameterizedTest(name = "stop timeout: {0}")
    @ValueSource(booleans = {false, true})
    void interruptsAreCalledOneAtATimeEachWaitingUntilEveryActorAfterItHasReturned(
        boolean withStopTimeout) throws Exception {
      // b is one-shot: done before the stop, so a's wait is for c (transitive) and d (direct).
      Map<String, List<String>> g = graph("a", "", "b", "a", "c", "b", "d", "a");
      Recorder rec = new Recorder();
      Group.Builder builder = TestThreads.builder().listener(rec);
      if (withStopTimeout) {
        builder.stopTimeout(Duration.ofSeconds(20));
      }
      Group group = builder.build();
      Map<String, Inc> incs = new LinkedHashMap<>();
      for (String name : g.keySet()) {
        Inc inc = new Inc(name, rec, name.equals("b") ? RETURNS : LINGERS);
        incs.put(name, inc);
        ActorOptions options = DEFAULTS.after(g.get(name).toArray(new String[0]));
        group.add(name, inc, name.equals("b") ? options.oneShot() : options);
      }
      Running running = start(group);
      eventually(() -> incs.values().stream().allMatch(i -> i.executions.get() == 1));
      rec.awaitCount("ready", "b", 1);

      group.stop();
      running.exit();

      assertThat(rec.actors("interrupt")).containsExactly("c", "b", "d", "a");
      assertThat(rec.indexOf("interrupt b")).isGreaterThan(rec.indexOf("return c"));
      assertThat(rec.indexOf("interrupt a"))
          .isGreaterThan(rec.indexOf("return c"))
          .isGreaterThan(rec.indexOf("return d"));
      assertEachInterruptCameAfterItsStartedDependentsReturned(rec, g);
      assertThat(incs.values())
          .extracting(i -> i.interruptThread.get())
          .as("one after another, on one thread")
          .containsOnly(incs.get("a").interruptThread.get());
    }

    @Test
    void theOrderIsFixedWhenRunBeginsAlsoForActorsThatNeverStarted() throws Exception {
      Map<String, List<String>> diamond = graph("a", "", "b", "a", "c", "a", "d", "b c");
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Map<String, Inc> incs = addGraph(group, rec, diamond, SIGNALLED, SIGNALS_WHEN_OPENED);
      Running running = start(group);
      eventually(() -> incs.get("a").executions.get() == 1); // never ready: b, c, d never start

      group.stop();
      Exit exit = running.exit();

      assertThat(rec.actors("interrupt")).containsExactly("d", "b", "c", "a");
      assertThat(exit.actors())
          .extracting(Exit.Outcome::started)
          .containsExactly(true, false, false, false);
      assertThat(incs.values()).allSatisfy(i -> assertThat(i.interrupts).hasValue(1));
    }

    @Test
    void withNoAfterAnywhereThereIsNothingToWaitForAndTheOrderIsAddOrder() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc last = new Inc("last", rec, RUNS);
      AtomicBoolean lastInterruptedWhileFirstRan = new AtomicBoolean();
      // The first returns only once the last was interrupted: nothing waits for a return.
      Inc first =
          new Inc(
              "first",
              rec,
              self -> {
                self.signal();
                self.awaitInterrupt();
                lastInterruptedWhileFirstRan.set(
                    TestThreads.awaitUpTo(last.interruptedLatch, WAIT_SECONDS));
              });
      group.add("first", first, SIGNALLED);
      group.add("supplied", new Made("supplied", rec, RUNS), DEFAULTS);
      group.add(
          "timed", new Inc("timed", rec, SIGNALS), SIGNALLED.startupTimeout(Duration.ofMinutes(1)));
      group.add("once", new Inc("once", rec, RETURNS), DEFAULTS.oneShot());
      group.add(
          "supervised", new Made("supervised", rec, RUNS), DEFAULTS.restart(quickOnFailure()));
      group.add("plain", new Inc("plain", rec, RUNS));
      group.add("last", last, DEFAULTS);
      Running running = start(group);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();

      group.stop();
      running.exit();

      assertThat(rec.actors("interrupt"))
          .containsExactly("first", "supplied", "timed", "once", "supervised", "plain", "last");
      assertThat(lastInterruptedWhileFirstRan).isTrue();
    }

    @Test
    void onceTheStopTimeoutRunsOutTheInterruptsNotYetCalledAreCalledAtOnce() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      Recorder rec = new Recorder();
      Duration stopTimeout = Duration.ofMillis(300);
      Group group =
          TestThreads.builder()
              .listener(rec)
              .stopTimeout(stopTimeout)
              .stopGrace(Duration.ofMillis(200))
              .build();
      Inc a = new Inc("a", rec, RUNS);
      Inc deaf =
          new Inc(
              "deaf",
              rec,
              self -> {
                self.awaitInterrupt();
                TestThreads.awaitUninterruptibly(release, 20); // deaf once interrupted
              });
      group.add("a", a).add("deaf", deaf, DEFAULTS.after("a"));
      Running running = start(group);
      eventually(() -> a.executions.get() == 1 && deaf.executions.get() == 1);
      try {
        long stopped = System.nanoTime();
        group.stop();
        Exit exit = running.exit();
        ThreadHygieneExtension.allowNotStopped(exit);

        assertThat(a.interrupts).hasValue(1);
        long waited = rec.of("interrupt", "a").get(0).nanos() - stopped;
        assertThat(TimeUnit.NANOSECONDS.toMillis(waited))
            .as("a waited for its dependent until the stop timeout")
            .isGreaterThanOrEqualTo(stopTimeout.toMillis() - 20);
        assertThat(rec.count("return", "deaf")).as("still running").isZero();
        assertThat(exit.actors().get(1).stopped()).isFalse();
        assertThat(exit.actors().get(0).stopped()).isTrue();
      } finally {
        release.countDown();
      }
    }

    /** An actor that waits until interrupted and records the thread its interrupt ran on. */
    private Interruptible lingering(
        String name, CountDownLatch running, List<String> order, List<Thread> on) {
      CountDownLatch stop = new CountDownLatch(1);
      return new Interruptible() {
        @Override
        public void execute() throws InterruptedException {
          running.countDown();
          stop.await();
        }

        @Override
        public void interrupt(@Nullable Throwable cause) {
          order.add(name);
          on.add(Thread.currentThread());
          stop.countDown();
        }
      };
    }

    @Test
    void theInterruptsOfAGraphRunOneAtATimeOnAStopperThreadFromTheGroupsFactory() throws Exception {
      List<Thread> made = new CopyOnWriteArrayList<>();
      ThreadFactory base = TestThreads.virtual() ? TestThreads.virtualFactory() : Thread::new;
      ThreadFactory counting =
          r -> {
            Thread t = base.newThread(r);
            made.add(t);
            return t;
          };
      List<String> order = new CopyOnWriteArrayList<>();
      List<Thread> on = new CopyOnWriteArrayList<>();
      CountDownLatch running = new CountDownLatch(3);
      Group group = Group.builder().threadFactory(counting).build();
      group
          .add("a", lingering("a", running, order, on))
          .add("b", lingering("b", running, order, on), DEFAULTS.after("a"))
          .add("c", lingering("c", running, order, on), DEFAULTS.after("b"));
      Running run = start(group);
      assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

      group.stop();
      run.exit();

      assertThat(order).containsExactly("c", "b", "a");
      assertThat(on).hasSize(3).allSatisfy(t -> assertThat(t).isSameAs(on.get(0)));
      Thread stopper = on.get(0);
      assertThat(made).as("the actors' three threads and the stopper's").hasSize(4);
      assertThat(stopper).isNotSameAs(run.thread).isSameAs(made.get(3));
    }

    @Test
    void aFlatGroupsInterruptsStillRunOnTheThreadThatCalledRun() throws Exception {
      List<String> order = new CopyOnWriteArrayList<>();
      List<Thread> on = new CopyOnWriteArrayList<>();
      CountDownLatch running = new CountDownLatch(2);
      Group group = TestThreads.group();
      group
          .add("a", lingering("a", running, order, on))
          .add("b", lingering("b", running, order, on), DEFAULTS);
      Running run = start(group);
      assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

      group.stop();
      run.exit();

      assertThat(order).containsExactly("a", "b");
      assertThat(on).containsExactly(run.thread, run.thread);
    }

    @Test
    void aGraphsStopperThreadThatNeverRunsItsTaskLeavesEveryInterruptToRunInOrder()
        throws Exception {
      ThreadFactory base = TestThreads.virtual() ? TestThreads.virtualFactory() : Thread::new;
      // The stopper's thread from this factory ignores its task and ends at once.
      ThreadFactory deaf = r -> base.newThread(r instanceof BoundedStop ? () -> {} : r);
      List<String> order = new CopyOnWriteArrayList<>();
      List<Thread> on = new CopyOnWriteArrayList<>();
      CountDownLatch running = new CountDownLatch(2);
      Group group = Group.builder().threadFactory(deaf).build();
      group
          .add("a", lingering("a", running, order, on))
          .add("b", lingering("b", running, order, on), DEFAULTS.after("a"));
      Running run = start(group);
      assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

      group.stop();
      Exit exit = run.exit();

      assertThat(order).containsExactly("b", "a");
      assertThat(on).containsExactly(run.thread, run.thread);
      assertThat(exit.allStopped()).isTrue();
    }
  }

  @Nested
  class Point15OneShot {

    @Test
    void aOneShotActorsNormalReturnEndsThatActorOnlyTheGroupGoesOn() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc server = new Inc("server", rec, RUNS);
      Inc migrate = new Inc("migrate", rec, RETURNS);
      group.add("server", server).add("migrate", migrate, DEFAULTS.oneShot());
      Running running = start(group);
      rec.awaitCount("returned", "migrate", 1);

      holds(() -> group.state() == Group.State.RUNNING && server.interrupts.get() == 0);
      group.stop();
      Exit exit = running.exit();

      assertThat(exit.firstActor()).isEmpty();
      assertThat(exit.error()).isNull();
      Exit.Outcome outcome = exit.actors().get(1);
      assertThat(outcome.started()).isTrue();
      assertThat(outcome.stopped()).isTrue();
      assertThat(outcome.error()).isNull();
      assertThat(migrate.interrupts).as("once, at the stop").hasValue(1);
    }

    @Test
    void andTheActorCountsAsReady() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc migrate = new Inc("migrate", rec, RETURNS_WHEN_OPENED);
      group.add("server", new Inc("server", rec, RUNS)).add("migrate", migrate, DEFAULTS.oneShot());
      Running running = start(group);
      eventually(() -> migrate.executions.get() == 1);
      holds(() -> !group.isReady());

      migrate.open();

      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      rec.awaitCount("groupReady", null, 1); // fired once isReady() is true
      assertThat(rec.indexOf("groupReady")).isGreaterThan(rec.indexOf("returned migrate"));
      group.stop();
      running.exit();
    }

    @Test
    void itsFailureStopsTheGroupAsAnyFailure() {
      Group group = TestThreads.group();
      Inc server = new Inc("server", null, RUNS);
      Inc migrate = new Inc("migrate", null, FAILS);
      group.add("server", server).add("migrate", migrate, DEFAULTS.oneShot());

      Exit exit = group.run();

      assertThat(exit.error()).isSameAs(migrate.thrown.get()).isNotNull();
      assertThat(exit.firstActor()).hasValue("migrate");
      assertThat(server.causes).containsExactly(exit.error());
    }

    @Test
    void unlessItsRestartPolicyRestartsIt() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made migrate = new Made("migrate", rec, FAILS, RETURNS);
      group.add("server", new Inc("server", rec, RUNS));
      group.add("migrate", migrate, DEFAULTS.oneShot().restart(quickOnFailure()));
      Running running = start(group);
      rec.awaitCount("returned", "migrate", 2);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      holds(() -> group.state() == Group.State.RUNNING);

      group.stop();
      Exit exit = running.exit();

      assertThat(exit.firstActor()).isEmpty();
      assertThat(exit.actors().get(1).restarts()).isEqualTo(1);
      assertThat(exit.actors().get(1).error()).isNull();
      assertThat(migrate.gets()).isEqualTo(2);
    }

    // "oneShot() with always() throws IllegalArgumentException": see MisuseAtAdd.
  }

  @Nested
  class Point16Restart {

    @Test
    void underOnFailureAFailingIncarnationIsRestartedInsteadOfStoppingTheGroup() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc plain = new Inc("plain", rec, RUNS);
      Made s = new Made("s", rec, FAILS, RUNS);
      group.add("plain", plain).add("s", s, DEFAULTS.restart(quickOnFailure()));
      Running running = start(group);
      s.executing(1);

      assertThat(group.state()).isEqualTo(Group.State.RUNNING);
      assertThat(plain.interrupts).hasValue(0);
      group.stop();
      Exit exit = running.exit();
      assertThat(exit.error()).isNull();
      assertThat(exit.firstActor()).isEmpty();
      assertThat(exit.actors().get(1).restarts()).isEqualTo(1);
    }

    @Test
    void underAlwaysAnyReturningIncarnationIsRestarted() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, RETURNS, FAILS, RUNS);
      group.add(
          "s", s, DEFAULTS.restart(RestartPolicy.always().backoff(Duration.ZERO, Duration.ZERO)));
      Running running = start(group);
      s.executing(2);

      assertThat(group.state()).isEqualTo(Group.State.RUNNING);
      group.stop();
      running.exit();
      assertThat(rec.of("restarting", "s"))
          .extracting(Recorder.Event::error)
          .containsExactly(null, s.inc(1).thrown.get());
    }

    @Test
    void actorRestartingCountsEveryRestartSinceTheRunBeganWhileTheBackoffCountsTheWindow()
        throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      AtomicInteger gets = new AtomicInteger();
      CountDownLatch fourth = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      // Each restart ages out of a one-nanosecond window at once: every delay is the first's.
      group.add(
          "s",
          () -> {
            int n = gets.incrementAndGet();
            return Interruptible.of(
                () -> {
                  if (n <= 3) {
                    throw new IllegalStateException("blip " + n);
                  }
                  fourth.countDown();
                  release.await();
                },
                cause -> release.countDown());
          },
          DEFAULTS.restart(
              RestartPolicy.onFailure()
                  .maxRestarts(1)
                  .within(Duration.ofNanos(1))
                  .backoff(Duration.ofMillis(1), Duration.ofSeconds(1))
                  .jitter(0)));
      Running running = start(group);
      assertThat(fourth.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      group.stop();
      Exit exit = running.exit();

      assertThat(rec.of("restarting", "s"))
          .extracting(Recorder.Event::restart)
          .containsExactly(1, 2, 3);
      assertThat(rec.of("restarting", "s"))
          .extracting(Recorder.Event::delay)
          .containsOnly(Duration.ofMillis(1));
      assertThat(exit.actors().get(0).restarts()).isEqualTo(3);
    }

    @Test
    void whatTheInterruptThrowsAfterANormalReturnUnderAlwaysIsActorRestartingsError()
        throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      AtomicInteger gets = new AtomicInteger();
      CountDownLatch second = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      IllegalStateException thrown = new IllegalStateException("interrupt of incarnation 1");
      group.add(
          "s",
          () -> {
            int n = gets.incrementAndGet();
            return Interruptible.of(
                () -> {
                  if (n > 1) {
                    second.countDown();
                    release.await();
                  }
                },
                cause -> {
                  if (n == 1) {
                    throw thrown;
                  }
                  release.countDown();
                });
          },
          DEFAULTS.restart(RestartPolicy.always().backoff(Duration.ZERO, Duration.ZERO)));
      Running running = start(group);
      assertThat(second.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      group.stop();
      running.exit();

      assertThat(rec.of("restarting", "s"))
          .extracting(Recorder.Event::error)
          .containsExactly(thrown);
    }

    @Test
    void underOnFailureANormalReturnStillStopsTheGroup() {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc plain = new Inc("plain", rec, RUNS);
      Made s = new Made("s", rec, RETURNS);
      group.add("plain", plain).add("s", s, DEFAULTS.restart(quickOnFailure()));

      Exit exit = group.run();

      assertThat(exit.firstActor()).hasValue("s");
      assertThat(exit.error()).isNull();
      assertThat(s.gets()).isEqualTo(1);
      assertThat(rec.count("restarting", "s")).isZero();
      assertThat(plain.causes).containsExactly((Throwable) null);
    }

    @Test
    void atARestartTheFailedIncarnationsInterruptIsCalledWithItsOwnErrorThenActorRestarting()
        throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, FAILS, RUNS);
      group.add("s", s, DEFAULTS.restart(quickOnFailure()));
      Running running = start(group);
      s.executing(1);
      group.stop();
      running.exit();

      Inc failed = s.inc(0);
      assertThat(failed.causes).containsExactly(failed.thrown.get());
      assertThat(rec.kinds("s"))
          .containsExactly(
              "get",
              "started",
              "ready",
              "executing",
              "return",
              "returned",
              "interrupt",
              "restarting",
              "get",
              "started",
              "ready",
              "executing",
              "interrupt",
              "return",
              "returned");
      Recorder.Event restarting = rec.of("restarting", "s").get(0);
      assertThat(restarting.error()).isSameAs(failed.thrown.get());
      assertThat(restarting.restart()).isEqualTo(1);
    }

    @Test
    void anExceptionFromThatInterruptIsAddedToTheErrorAsSuppressed() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      IllegalStateException fromInterrupt = new IllegalStateException("cannot close");
      Made s =
          new Made(
              "s",
              rec,
              self -> {
                self.interruptThrows = fromInterrupt;
                throw self.failure();
              },
              RUNS);
      group.add("s", s, DEFAULTS.restart(quickOnFailure()));
      Running running = start(group);
      s.executing(1);
      group.stop();
      running.exit();

      Throwable error = rec.of("restarting", "s").get(0).error();
      assertThat(error).isSameAs(s.inc(0).thrown.get());
      assertThat(Objects.requireNonNull(error).getSuppressed()).containsExactly(fromInterrupt);
    }

    @Test
    void theNthRestartWaitsMinOfMaxAndInitialTimesTwoToTheNMinusOne() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, FAILS, FAILS, FAILS, FAILS, FAILS, RUNS);
      RestartPolicy policy =
          RestartPolicy.onFailure()
              .maxRestarts(5)
              .within(Duration.ofMinutes(1))
              .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
              .jitter(0);
      group.add("s", s, DEFAULTS.restart(policy));
      Running running = start(group);
      s.executing(5);
      group.stop();
      running.exit();

      List<Recorder.Event> restarting = rec.of("restarting", "s");
      assertThat(restarting).extracting(Recorder.Event::restart).containsExactly(1, 2, 3, 4, 5);
      assertThat(restarting)
          .extracting(e -> Objects.requireNonNull(e.delay()).toMillis())
          .containsExactly(10L, 20L, 40L, 40L, 40L);
      assertThat(restarting)
          .extracting(Recorder.Event::error)
          .containsExactly(
              s.inc(0).thrown.get(),
              s.inc(1).thrown.get(),
              s.inc(2).thrown.get(),
              s.inc(3).thrown.get(),
              s.inc(4).thrown.get());
      List<Recorder.Event> started = rec.of("started", "s");
      for (int n = 0; n < restarting.size(); n++) {
        Recorder.Event r = restarting.get(n);
        long waited = started.get(n + 1).nanos() - r.nanos();
        assertThat(waited)
            .as("restart %d waited its delay", n + 1)
            .isGreaterThanOrEqualTo(Objects.requireNonNull(r.delay()).toNanos());
      }
    }

    @Test
    void theDelayIsTimesARandomFactorWithinOneMinusJitterAndOnePlusJitter() throws Exception {
      assertThat(RestartPolicy.onFailure().jitter()).as("unless set").isEqualTo(0.2);
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, FAILS, RUNS);
      RestartPolicy policy =
          RestartPolicy.onFailure()
              .maxRestarts(8)
              .backoff(Duration.ofMillis(20), Duration.ofMillis(20))
              .jitter(0.5);
      group.add("s", s, DEFAULTS.restart(policy));
      Running running = start(group);
      s.executing(8);
      group.stop();
      running.exit();

      List<Duration> delays =
          rec.of("restarting", "s").stream()
              .map(e -> Objects.requireNonNull(e.delay()))
              .collect(Collectors.toList());
      assertThat(delays)
          .hasSize(8)
          .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(10), Duration.ofMillis(30)));
      assertThat(Set.copyOf(delays)).as("random").hasSizeGreaterThan(1);
    }

    @Test
    void aRestartCountsWhileItIsYoungerThanWithinASlidingWindow() {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Duration within = Duration.ofSeconds(1);
      Made s =
          new Made(
              "s",
              rec,
              FAILS,
              FAILS,
              self -> {
                letTimePass(within.plusMillis(200)); // the first two restarts age out
                throw self.failure();
              },
              FAILS,
              FAILS);
      RestartPolicy policy =
          RestartPolicy.onFailure()
              .maxRestarts(2)
              .within(within)
              .backoff(Duration.ofMillis(5), Duration.ofSeconds(1))
              .jitter(0);
      group.add("s", s, DEFAULTS.restart(policy));

      Exit exit = group.run();

      List<Recorder.Event> restarting = rec.of("restarting", "s");
      assertThat(restarting)
          .extracting(e -> Objects.requireNonNull(e.delay()).toMillis())
          .as("the n-th restart counted in the window waits initial x 2^(n-1)")
          .containsExactly(5L, 10L, 5L, 10L);
      assertThat(exit.error()).as("the fifth failure escalates").isSameAs(s.inc(4).thrown.get());
      assertThat(exit.actors().get(0).restarts()).isEqualTo(4);
    }

    @Test
    void theRestartThatWouldMakeMoreThanMaxRestartsEscalatesThatFailureStopsTheGroup() {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Inc plain = new Inc("plain", rec, RUNS);
      Made s = new Made("s", rec, FAILS);
      group.add("plain", plain).add("s", s, DEFAULTS.restart(quickOnFailure().maxRestarts(2)));

      Exit exit = group.run();

      assertThat(s.gets()).isEqualTo(3);
      assertThat(rec.count("restarting", "s")).isEqualTo(2);
      RuntimeException last = s.inc(2).thrown.get();
      assertThat(exit.error()).as("the last error").isSameAs(last).isNotNull();
      assertThat(exit.firstActor()).hasValue("s");
      assertThat(exit.actors().get(1).restarts()).isEqualTo(2);
      assertThat(exit.actors().get(1).error()).isSameAs(last);
      assertThat(plain.causes).containsExactly(last);
      assertThat(s.inc(2).causes).containsExactly(last);

      Group none = TestThreads.group();
      Made z = new Made("z", null, FAILS);
      none.add("z", z, DEFAULTS.restart(quickOnFailure().maxRestarts(0)));
      Exit zero = none.run();
      assertThat(z.gets()).isEqualTo(1);
      assertThat(zero.error()).isSameAs(z.inc(0).thrown.get());
    }

    @Test
    void theDefaultsAreFiveRestartsWithinOneMinuteBackoffOneSecondUpToThirtySeconds()
        throws Exception {
      for (RestartPolicy p :
          List.of(RestartPolicy.never(), RestartPolicy.onFailure(), RestartPolicy.always())) {
        assertThat(p.maxRestarts()).isEqualTo(5);
        assertThat(p.within()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.backoffInitial()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.jitter()).isEqualTo(0.2);
      }
      assertThat(DEFAULTS.restart()).isEqualTo(RestartPolicy.never());
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, FAILS, RUNS);
      group.add("s", s, DEFAULTS.restart(RestartPolicy.onFailure()));
      Running running = start(group);
      rec.awaitCount("restarting", "s", 1);

      group.stop(); // during its delay
      running.exit();

      assertThat(rec.of("restarting", "s").get(0).delay())
          .isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
    }

    @Test
    void aStopDuringTheDelayCancelsItAtOnceAndStartsNothingMore() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, FAILS, RUNS);
      Duration minute = Duration.ofMinutes(1);
      group.add("s", s, DEFAULTS.restart(RestartPolicy.onFailure().backoff(minute, minute)));
      Running running = start(group);
      rec.awaitCount("restarting", "s", 1);

      long began = System.nanoTime();
      group.stop();
      Exit exit = running.exit();

      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)).isLessThan(10);
      assertThat(s.gets()).isEqualTo(1);
      assertThat(rec.count("started", "s")).isEqualTo(1);
      assertThat(s.inc(0).interrupts).hasValue(1);
      assertThat(exit.actors().get(0).restarts()).isEqualTo(1);
    }

    @Test
    void eachIncarnationsInterruptIsCalledExactlyOnceTheCurrentOnesWithTheGroupsCause()
        throws Exception {
      Group group = TestThreads.group();
      Made s = new Made("s", null, FAILS, FAILS, RUNS);
      group.add("s", s, DEFAULTS.restart(quickOnFailure()));
      Running running = start(group);
      s.executing(2);
      Exception cause = new Exception("shutdown");

      group.stop(cause);
      running.exit();

      assertThat(s.incs).allSatisfy(i -> assertThat(i.interrupts).hasValue(1));
      assertThat(s.inc(0).causes).containsExactly(s.inc(0).thrown.get());
      assertThat(s.inc(1).causes).containsExactly(s.inc(1).thrown.get());
      assertThat(s.inc(2).causes).containsExactly(cause);
    }

    @Test
    void anIncarnationGotDuringTheStopAfterTheStopPassedItsActorIsInterruptedOnceNeverExecuted()
        throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      CountDownLatch inGet = new CountDownLatch(1);
      CountDownLatch passed = new CountDownLatch(1);
      Inc late = new Inc("late", rec, RUNS);
      Supplier<Inc> slow =
          () -> {
            inGet.countDown();
            TestThreads.awaitUninterruptibly(passed, WAIT_SECONDS); // until the stop passed it
            return late;
          };
      CountDownLatch nextStop = new CountDownLatch(1);
      group.add("late", slow, DEFAULTS);
      group.add(
          "next",
          nextStop::await,
          cause -> {
            passed.countDown(); // interrupted after "late" in the stop order
            nextStop.countDown();
          });
      Running running = start(group);
      TestThreads.await(inGet, WAIT_SECONDS);

      group.stop();
      Exit exit = running.exit();

      assertThat(late.executions).hasValue(0);
      assertThat(late.interrupts).hasValue(1);
      assertThat(Objects.requireNonNull(late.interruptThread.get()).getName()).isEqualTo("late");
      assertThat(rec.count("started", "late")).isZero();
      assertThat(exit.actors().get(0).started()).isFalse();
    }

    @Test
    void aRestartedActorIsNotReadyUntilItsNewIncarnationIs() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made a = new Made("a", rec, SIGNALS_THEN_FAILS_WHEN_OPENED, SIGNALS_WHEN_OPENED);
      Inc b = new Inc("b", rec, SIGNALS_WHEN_OPENED);
      Inc c = new Inc("c", rec, RUNS);
      group.add("a", a, SIGNALLED.restart(quickOnFailure())).add("b", b, SIGNALLED);
      group.add("c", c, DEFAULTS.after("a", "b"));
      Running running = start(group);
      rec.awaitCount("ready", "a", 1);

      a.executing(0).open(); // fails: restarted
      Inc second = a.executing(1);
      b.open();
      rec.awaitCount("ready", "b", 1);
      holds(() -> c.executions.get() == 0 && !group.isReady());
      second.open();

      eventually(() -> c.executions.get() == 1);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      group.stop();
      running.exit();
    }

    @Test
    void actorContextRestartsAndOutcomeRestartsCountTheRestartsThatHappened() throws Exception {
      Group group = TestThreads.group();
      Inc plain = new Inc("plain", null, RUNS);
      Made s = new Made("s", null, FAILS, FAILS, RUNS);
      group.add("plain", plain).add("s", s, DEFAULTS.restart(quickOnFailure()));
      Running running = start(group);
      s.executing(2);

      group.stop();
      Exit exit = running.exit();

      assertThat(s.incs)
          .extracting(i -> Objects.requireNonNull(i.context.get()).restarts())
          .containsExactly(0, 1, 2);
      assertThat(Objects.requireNonNull(plain.context.get()).restarts()).isZero();
      assertThat(exit.actors()).extracting(Exit.Outcome::restarts).containsExactly(0, 2);
      assertThat(new Exit.Outcome("x", true, true, null, null, true).restarts())
          .as("the six-argument constructor")
          .isZero();
    }

    @Test
    void aSupervisedActorHoldsMemoryForAtMostMaxRestartsRestartsHoweverLongItRuns()
        throws Exception {
      RestartPolicy policy = RestartPolicy.onFailure().maxRestarts(3).within(Duration.ofNanos(100));
      RestartWindow window = new RestartWindow();
      Field stamps = RestartWindow.class.getDeclaredField("stamps");
      stamps.setAccessible(true);
      int admitted = 0;
      long now = 0;
      for (int i = 0; i < 100_000; i++) {
        now += 10 + (i % 50 == 0 ? 1_000 : 0); // bursts within the window, now and then a pause
        if (window.admit(now, policy) > 0) {
          admitted++;
        }
        assertThat(window.size()).isLessThanOrEqualTo(3);
        assertThat(((long[]) stamps.get(window)).length).isLessThanOrEqualTo(3);
      }
      assertThat(admitted).as("the window slides").isGreaterThan(3);
    }

    @Test
    void backoffZeroZeroIsAllowed() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made s = new Made("s", rec, FAILS, RUNS);
      group.add(
          "s",
          s,
          DEFAULTS.restart(RestartPolicy.onFailure().backoff(Duration.ZERO, Duration.ZERO)));
      Running running = start(group);
      s.executing(1);
      group.stop();
      running.exit();

      assertThat(rec.of("restarting", "s").get(0).delay()).isEqualTo(Duration.ZERO);
    }

    @Test
    void restartsAreOneForOneTheActorsAfterARestartingOneKeepRunning() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Made a = new Made("a", rec, SIGNALS_THEN_FAILS_WHEN_OPENED, SIGNALS);
      Inc b = new Inc("b", rec, RUNS);
      Inc plain = new Inc("plain", rec, RUNS);
      group.add("a", a, SIGNALLED.restart(quickOnFailure())).add("b", b, DEFAULTS.after("a"));
      group.add("plain", plain);
      Running running = start(group);
      eventually(() -> b.executions.get() == 1);

      a.executing(0).open();
      a.executing(1);
      rec.awaitCount("ready", "a", 2);

      assertThat(b.interrupts).hasValue(0);
      assertThat(plain.interrupts).hasValue(0);
      assertThat(b.returned).isFalse();
      group.stop();
      running.exit();
      assertThat(b.executions).hasValue(1);
      assertThat(rec.count("started", "b")).isEqualTo(1);
      assertThat(b.interrupts).hasValue(1);
    }

    @Test
    void aSupplierThatThrowsFailsThatIncarnationWithoutActorStartedOrReturned() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      IllegalStateException cannotConnect = new IllegalStateException("cannot connect");
      Made made = new Made("s", rec, RUNS);
      AtomicInteger gets = new AtomicInteger();
      Supplier<Inc> flaky =
          () -> {
            if (gets.getAndIncrement() == 0) {
              throw cannotConnect;
            }
            return made.get();
          };
      group.add("s", flaky, DEFAULTS.restart(quickOnFailure()));
      Running running = start(group);
      made.executing(0);
      group.stop();
      Exit exit = running.exit();

      assertThat(rec.groupKinds("s")).containsExactly("restarting", "started", "ready", "returned");
      assertThat(rec.of("restarting", "s").get(0).error()).isSameAs(cannotConnect);
      assertThat(exit.actors().get(0).restarts()).isEqualTo(1);
    }
  }

  @Nested
  class Point17ActorContext {

    @Test
    void currentIsThereForEveryActorWhicheverAddFormAddedIt() throws Exception {
      Group group = TestThreads.group();
      Map<String, Inc> byName = new LinkedHashMap<>();
      for (String name : List.of("actor-1", "named", "actor-3", "lambdas", "defaults", "options")) {
        byName.put(name, new Inc(name, null, RUNS));
      }
      Made supplied = new Made("supplied", null, RUNS);
      group.add(byName.get("actor-1"));
      group.add("named", byName.get("named"));
      Inc three = byName.get("actor-3");
      group.add(three::execute, three::interrupt);
      Inc lambdas = byName.get("lambdas");
      group.add("lambdas", lambdas::execute, lambdas::interrupt);
      group.add("defaults", byName.get("defaults"), DEFAULTS);
      group.add("options", byName.get("options"), DEFAULTS.startupTimeout(Duration.ofMinutes(1)));
      group.add("supplied", supplied, DEFAULTS);
      Running running = start(group);
      byName.put("supplied", supplied.executing(0));
      eventually(() -> byName.values().stream().allMatch(i -> i.executions.get() == 1));

      group.stop();
      running.exit();

      byName.forEach(
          (name, inc) ->
              assertThat(Objects.requireNonNull(inc.context.get()).name())
                  .as("the context of %s", name)
                  .isEqualTo(name));
      assertThat(supplied.contextInGet)
          .as("also in the supplier's get()")
          .containsExactly("supplied");
    }

    @Test
    void onAnyOtherThreadCurrentThrowsIllegalStateException() throws Exception {
      assertThatThrownBy(ActorContext::current)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(Thread.currentThread().getName());
      AtomicReference<@Nullable Throwable> inInterrupt = new AtomicReference<>();
      Group group = TestThreads.group();
      CountDownLatch stop = new CountDownLatch(1);
      group.add(
          "a",
          stop::await,
          cause -> {
            try {
              ActorContext.current(); // the interrupt runs on the thread that stops the group
            } catch (IllegalStateException e) {
              inInterrupt.set(e);
            }
            stop.countDown();
          });
      Inc b = new Inc("b", null, SIGNALS);
      group.add("b", b, SIGNALLED);
      Running running = start(group);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();

      assertThatThrownBy(ActorContext::current).isInstanceOf(IllegalStateException.class);
      group.stop();
      running.exit();
      assertThat(inInterrupt.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void itIsNotInheritedByThreadsTheActorStartsButTheObjectMayBeHandedToThem() throws Exception {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      Map<String, List<Object>> seenByChild = new LinkedHashMap<>();
      for (String name : List.of("plain", "managed")) {
        List<Object> seen = new CopyOnWriteArrayList<>();
        seenByChild.put(name, seen);
        Body body =
            self -> {
              ActorContext mine = ActorContext.current();
              Thread child =
                  new Thread(
                      () -> {
                        try {
                          seen.add(ActorContext.current());
                        } catch (IllegalStateException e) {
                          seen.add(e);
                        }
                        seen.add(mine.name());
                        seen.add(mine.isStopping());
                        seen.add(mine.restarts());
                        mine.ready(); // handed over: the signal counts
                        seen.add(Thread.currentThread());
                      },
                      name + "-child");
              child.start();
              child.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
              self.awaitInterrupt();
            };
        Inc inc = new Inc(name, rec, body);
        if (name.equals("plain")) {
          group.add(name, inc);
        } else {
          group.add(name, inc, SIGNALLED);
        }
      }
      Running running = start(group);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS)))
          .as("managed signalled")
          .isTrue();
      eventually(() -> seenByChild.values().stream().allMatch(seen -> seen.size() == 5));
      group.stop();
      running.exit();

      seenByChild.forEach(
          (name, seen) -> {
            assertThat(seen).hasSize(5);
            assertThat(seen.get(0)).as(name).isInstanceOf(IllegalStateException.class);
            assertThat(seen.subList(1, 4)).as(name).containsExactly(name, false, 0);
          });
      assertThat(rec.of("ready", "managed"))
          .singleElement()
          .extracting(Recorder.Event::thread)
          .as("actorReady on the thread that made it ready")
          .isSameAs(seenByChild.get("managed").get(4));
    }

    @Test
    void isStoppingIsTrueOnceTheGroupIsStopping() throws Exception {
      List<Boolean> whenStopping = new CopyOnWriteArrayList<>();
      AtomicReference<@Nullable Inc> plainRef = new AtomicReference<>();
      AtomicReference<@Nullable Inc> managedRef = new AtomicReference<>();
      Group group =
          TestThreads.builder()
              .listener(
                  new GroupListener() {
                    @Override
                    public void groupStopping(@Nullable String first, @Nullable Throwable cause) {
                      for (AtomicReference<@Nullable Inc> ref : List.of(plainRef, managedRef)) {
                        Inc inc = Objects.requireNonNull(ref.get());
                        whenStopping.add(Objects.requireNonNull(inc.context.get()).isStopping());
                      }
                    }
                  })
              .build();
      Inc plain = new Inc("plain", null, RUNS);
      Inc managed = new Inc("managed", null, SIGNALS);
      plainRef.set(plain);
      managedRef.set(managed);
      group.add("plain", plain).add("managed", managed, SIGNALLED);
      Running running = start(group);
      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      eventually(() -> plain.context.get() != null);

      assertThat(Objects.requireNonNull(plain.context.get()).isStopping()).isFalse();
      assertThat(Objects.requireNonNull(managed.context.get()).isStopping()).isFalse();
      group.stop();
      running.exit();

      assertThat(whenStopping).containsExactly(true, true);
      assertThat(Objects.requireNonNull(plain.context.get()).isStopping()).isTrue();
      assertThat(Objects.requireNonNull(managed.context.get()).isStopping()).isTrue();
    }

    @Test
    void isStoppingIsTrueOnceThisIncarnationHasBeenInterrupted() throws Exception {
      AtomicReference<@Nullable Group> self = new AtomicReference<>();
      AtomicBoolean stoppingAfterItsInterrupt = new AtomicBoolean();
      AtomicReference<Group.@Nullable State> groupThen = new AtomicReference<>();
      Made s =
          new Made(
              "s",
              null,
              inc -> { // never signals: the startup timer interrupts it
                inc.awaitInterrupt();
                stoppingAfterItsInterrupt.set(ActorContext.current().isStopping());
                groupThen.set(Objects.requireNonNull(self.get()).state());
              },
              SIGNALS);
      Group group = TestThreads.group();
      self.set(group);
      group.add("s", s, SIGNALLED.startupTimeout(Duration.ofMillis(100)).restart(quickOnFailure()));
      Running running = start(group);
      Inc second = s.executing(1);
      eventually(() -> second.signalled);

      assertThat(stoppingAfterItsInterrupt).isTrue();
      assertThat(groupThen.get()).isEqualTo(Group.State.RUNNING);
      assertThat(Objects.requireNonNull(s.inc(0).context.get()).isStopping()).isTrue();
      assertThat(Objects.requireNonNull(second.context.get()).isStopping()).isFalse();
      group.stop();
      running.exit();
    }

    @Test
    void nameIsTheActorsAndRestartsCountsTheRestartsBeforeThisIncarnation() throws Exception {
      Group group = TestThreads.group();
      Inc plain = new Inc("plain", null, RUNS);
      Made s = new Made("supervised", null, FAILS, RUNS);
      group.add("plain", plain).add("supervised", s, DEFAULTS.restart(quickOnFailure()));
      Running running = start(group);
      Inc second = s.executing(1);
      eventually(() -> plain.context.get() != null);

      ActorContext context = Objects.requireNonNull(second.context.get());
      assertThat(context.name()).isEqualTo("supervised");
      assertThat(context.restarts()).isEqualTo(1);
      assertThat(Objects.requireNonNull(s.inc(0).context.get()).restarts()).isZero();
      assertThat(Objects.requireNonNull(plain.context.get()).name()).isEqualTo("plain");
      assertThat(Objects.requireNonNull(plain.context.get()).restarts()).isZero();
      group.stop();
      running.exit();
    }
  }

  @Nested
  class MisuseAtAdd {

    private final Interruptible actor = Interruptible.of(() -> {}, cause -> {});
    private final Made supplier = new Made("never made", null, RUNS);

    @Test
    void anAfterNameOfNoActorIsRejectedNamingTheActor() {
      Group group = new Group().add("db", actor);

      rejected(() -> group.add("web", actor, DEFAULTS.after("db", "cache")), "'web'", "'cache'");
      rejected(() -> group.add("web", supplier, DEFAULTS.after("cache")), "'web'", "'cache'");
    }

    @Test
    void anAfterNamingTheActorItselfIsRejected() {
      Group group = new Group();

      rejected(() -> group.add("web", actor, DEFAULTS.after("web")), "'web'", "itself");
    }

    @Test
    void anAfterNamingALaterActorIsRejectedAndTheFailedAddAddsNothing() {
      Group group = new Group();

      rejected(() -> group.add("web", actor, DEFAULTS.after("db")), "'web'", "'db'");
      group.add("db", actor);
      group.add("web", actor, DEFAULTS.after("db"));
      group.stop();
      assertThat(group.run().actors()).extracting(Exit.Outcome::name).containsExactly("db", "web");
    }

    @Test
    void aRestartPolicyWithTheInterruptibleFormIsRejected() {
      Group group = new Group();

      rejected(
          () -> group.add("worker", actor, DEFAULTS.restart(RestartPolicy.onFailure())),
          "'worker'",
          "Supplier");
      rejected(
          () -> group.add("worker", actor, DEFAULTS.restart(RestartPolicy.always())),
          "'worker'",
          "Supplier");
      assertThatCode(() -> group.add("worker", actor, DEFAULTS.restart(RestartPolicy.never())))
          .doesNotThrowAnyException();
    }

    @Test
    void oneShotWithAlwaysIsRejected() {
      Group group = new Group();

      rejected(
          () -> group.add("config", supplier, DEFAULTS.oneShot().restart(RestartPolicy.always())),
          "'config'",
          "oneShot()",
          "always()");
      assertThatCode(
              () ->
                  group.add(
                      "config", supplier, DEFAULTS.oneShot().restart(RestartPolicy.onFailure())))
          .doesNotThrowAnyException();
    }

    @Test
    void aZeroOrNegativeStartupTimeoutIsRejected() {
      Group group = new Group();

      for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
        rejected(
            () -> group.add("web", actor, DEFAULTS.startupTimeout(bad)),
            "'web'",
            "startupTimeout",
            bad.toString());
        rejected(() -> group.add("web", supplier, DEFAULTS.startupTimeout(bad)), "'web'");
      }
    }

    @Test
    void aZeroOrNegativeWithinIsRejected() {
      Group group = new Group();

      for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
        rejected(
            () -> group.add("w", supplier, DEFAULTS.restart(RestartPolicy.onFailure().within(bad))),
            "'w'",
            "within",
            bad.toString());
      }
    }

    @Test
    void aNegativeBackoffIsRejected() {
      Group group = new Group();

      RestartPolicy bad = RestartPolicy.onFailure().backoff(Duration.ofMillis(-1), Duration.ZERO);
      rejected(
          () -> group.add("w", supplier, DEFAULTS.restart(bad)), "'w'", "backoff", "PT-0.001S");
    }

    @Test
    void aBackoffMaxLessThanInitialIsRejected() {
      Group group = new Group();

      RestartPolicy bad =
          RestartPolicy.onFailure().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1));
      rejected(() -> group.add("w", supplier, DEFAULTS.restart(bad)), "'w'", "max", "PT1S", "PT2S");
    }

    @Test
    void aJitterOutsideZeroToOneIsRejected() {
      Group group = new Group();

      for (double bad : new double[] {-0.1, 1.1, Double.NaN}) {
        rejected(
            () -> group.add("w", supplier, DEFAULTS.restart(RestartPolicy.always().jitter(bad))),
            "'w'",
            "jitter",
            String.valueOf(bad));
      }
      for (double fine : new double[] {0, 1}) {
        assertThatCode(
                () ->
                    group.add(
                        "w" + fine,
                        supplier,
                        DEFAULTS.restart(RestartPolicy.always().jitter(fine))))
            .doesNotThrowAnyException();
      }
    }

    @Test
    void maxRestartsBelowZeroIsRejected() {
      Group group = new Group();

      rejected(
          () ->
              group.add("w", supplier, DEFAULTS.restart(RestartPolicy.onFailure().maxRestarts(-1))),
          "'w'",
          "maxRestarts",
          "-1");
      assertThatCode(
              () ->
                  group.add(
                      "w", supplier, DEFAULTS.restart(RestartPolicy.onFailure().maxRestarts(0))))
          .doesNotThrowAnyException();
    }

    @Test
    void theWithersCheckOnlyForNullTheRestIsCheckedAtAdd() {
      assertThatCode(
              () -> {
                DEFAULTS.startupTimeout(Duration.ZERO);
                RestartPolicy.onFailure()
                    .maxRestarts(-1)
                    .within(Duration.ZERO)
                    .backoff(Duration.ofSeconds(2), Duration.ofSeconds(-1))
                    .jitter(7);
              })
          .doesNotThrowAnyException();
      assertThatThrownBy(() -> DEFAULTS.after((String) null))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> DEFAULTS.readiness(null)).hasMessage("readiness");
      assertThatThrownBy(() -> DEFAULTS.restart(null)).hasMessage("policy");
      assertThatThrownBy(() -> new Group().add("a", actor, null)).hasMessage("options");
    }
  }

  @Nested
  class PlainGroupUnchanged {

    @Test
    void interruptsAreCalledInAddOrderOnTheThreadThatCalledRun() {
      Recorder rec = new Recorder();
      Group group = recorded(rec);
      List<String> names = new ArrayList<>();
      List<Inc> incs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String name = "actor-" + i;
        names.add(name);
        Inc inc = new Inc(name, rec, RUNS);
        incs.add(inc);
        group.add(name, inc, DEFAULTS);
      }
      names.add("trigger");
      Inc trigger = new Inc("trigger", rec, RETURNS);
      incs.add(trigger);
      group.add("trigger", trigger, DEFAULTS);

      group.run();

      assertThat(rec.actors("interrupt")).containsExactlyElementsOf(names);
      assertThat(incs)
          .extracting(i -> i.interruptThread.get())
          .containsOnly(Thread.currentThread());
    }

    @Test
    void everyActorIsStartedEvenWhenTheStopCameDuringTheStart() {
      AtomicReference<@Nullable Group> self = new AtomicReference<>();
      AtomicInteger made = new AtomicInteger();
      Group group =
          TestThreads.builder()
              .threadFactory(
                  task -> {
                    Thread thread = new Thread(task);
                    thread.setDaemon(true);
                    if (made.incrementAndGet() == 1) {
                      Objects.requireNonNull(self.get()).stop(); // before the second is started
                    }
                    return thread;
                  })
              .build();
      self.set(group);
      List<Inc> incs = new ArrayList<>();
      for (String name : List.of("first", "second", "third")) {
        Inc inc = new Inc(name, null, RUNS);
        incs.add(inc);
        group.add(name, inc, DEFAULTS);
      }

      Exit exit = group.run();

      assertThat(incs).allSatisfy(i -> assertThat(i.executions).hasValue(1));
      assertThat(incs).allSatisfy(i -> assertThat(i.interrupts).hasValue(1));
      assertThat(exit.actors()).allSatisfy(o -> assertThat(o.started()).isTrue());
    }

    @Test
    void isReadyOnceAllBeganAndGroupReadyFiresOnce() throws Exception {
      Recorder rec = new Recorder();
      CountDownLatch gate = new CountDownLatch(1);
      Group group =
          Group.builder()
              .listener(rec)
              .threadFactory(
                  task -> {
                    boolean last = task instanceof Slot slot && slot.name.equals("c");
                    Thread thread =
                        new Thread(
                            () -> {
                              if (last) {
                                TestThreads.awaitUninterruptibly(gate, WAIT_SECONDS);
                              }
                              task.run();
                            });
                    thread.setDaemon(true);
                    return thread;
                  })
              .build();
      Map<String, Inc> incs = new LinkedHashMap<>();
      for (String name : List.of("a", "b", "c")) {
        Inc inc = new Inc(name, rec, RUNS);
        incs.put(name, inc);
        group.add(name, inc, DEFAULTS);
      }
      Running running = start(group);
      eventually(() -> incs.get("a").executions.get() == 1 && incs.get("b").executions.get() == 1);
      holds(() -> !group.isReady());

      gate.countDown();

      assertThat(group.awaitReady(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
      group.stop();
      running.exit();
      assertThat(group.isReady()).isTrue();
      List<Recorder.Event> ready = rec.of("groupReady", null);
      assertThat(ready).hasSize(1);
      assertThat(ready.get(0).thread()).isSameAs(incs.get("c").thread.get());
      for (String name : incs.keySet()) {
        assertThat(rec.count("ready", name)).isEqualTo(1);
      }
    }

    @Test
    void anActorAddedWithDefaultsRunsAsOneAddedWithoutOptions() throws Exception {
      List<Class<?>> tasks = new CopyOnWriteArrayList<>();
      Group group =
          Group.builder()
              .threadFactory(
                  task -> {
                    tasks.add(task.getClass());
                    Thread thread = new Thread(task);
                    thread.setDaemon(true);
                    return thread;
                  })
              .build();
      Inc a = new Inc("a", null, RUNS);
      Inc b = new Inc("b", null, RUNS);
      group.add("a", a, DEFAULTS).add("b", b, DEFAULTS.readiness(Readiness.ON_START));
      Running running = start(group);
      eventually(() -> a.executions.get() == 1 && b.executions.get() == 1);

      assertThat(timerThreads()).isEmpty();
      assertThat(tasks).containsExactly(Slot.class, Slot.class);
      group.stop();
      Exit exit = running.exit();
      assertThat(exit.actors()).extracting(Exit.Outcome::restarts).containsExactly(0, 0);
      assertThat(exit.actors())
          .allSatisfy(
              o -> {
                assertThat(o.started()).isTrue();
                assertThat(o.interruptCompleted()).isTrue();
              });
    }
  }
}
