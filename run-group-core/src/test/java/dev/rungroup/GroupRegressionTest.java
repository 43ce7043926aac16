package dev.rungroup;

import static dev.rungroup.TestThreads.awaitUninterruptibly;
import static dev.rungroup.TestThreads.awaitUpTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression tests for engine bugs: found by the property tests ({@link GroupPropertiesTest}) or by
 * attacking the documented contract from outside.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupRegressionTest {

  /**
   * Covers a bug where an actor whose thread was started, but had not yet reached its {@code
   * execute} when the stop timeout and grace ran out (here: held up in a slow {@code actorStarted}
   * listener), was reported as {@code stopped() == true} and never started, although its thread was
   * still alive and went on to call {@code execute} after {@code run()} had returned.
   */
  @Test
  void anActorWhoseThreadIsStillStartingAtTheDeadlineIsReportedAsNotStopped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch executed = new CountDownLatch(1);
    Group group =
        Group.builder()
            .stopTimeout(Duration.ofMillis(50))
            .stopGrace(Duration.ZERO)
            .listener(
                new GroupListener() {
                  @Override
                  public void actorStarted(String actor, Thread thread) {
                    if (actor.equals("slow")) {
                      awaitUninterruptibly(release);
                    }
                  }
                })
            .build();
    group.add("slow", executed::countDown, (@Nullable Throwable cause) -> {});
    group.add("first", () -> {}, cause -> {});

    Exit exit;
    try {
      exit = group.run();
    } finally {
      release.countDown();
    }

    Exit.Outcome slow = exit.actors().get(0);
    assertThat(slow.started()).isFalse();
    assertThat(slow.stopped()).as("its thread is alive and will still call execute").isFalse();
    assertThat(exit.allStopped()).isFalse();
    assertThat(executed.await(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * Covers a bug where, once the stop timeout ran out with an interrupt blocked, the interrupts not
   * called yet were handed to threads of their own but not given the grace: {@code run()} returned
   * at once if the actors had ended, reporting those interrupts as not completed, and they ran only
   * after {@code run()} had returned.
   */
  @Test
  void interruptsCalledAfterTheTimeoutGetTheGraceToComplete() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger laterInterrupts = new AtomicInteger();
    Group group =
        Group.builder()
            .stopTimeout(Duration.ofMillis(100))
            .stopGrace(Duration.ofMillis(500))
            .build();
    group.add("first", () -> {}, c -> awaitUninterruptibly(release));
    group.add("later", () -> {}, c -> laterInterrupts.incrementAndGet());
    Exit exit;
    try {
      exit = group.run();
    } finally {
      release.countDown();
    }
    assertThat(exit.actors().get(0).interruptCompleted()).isFalse();
    assertThat(exit.actors().get(1).interruptCompleted()).isTrue();
    assertThat(laterInterrupts).hasValue(1);
  }

  /**
   * Covers a bug where a stop timeout too long to count in nanoseconds ({@code ChronoUnit.FOREVER},
   * or 365,000 days) made {@code run()} throw {@code ArithmeticException} at the stop: no interrupt
   * was called, the group stayed {@code STOPPING} and {@code groupStopped} never came.
   */
  @Test
  void aStopTimeoutTooLongForNanosecondsIsPracticallyForeverNotAnOverflow() {
    for (Duration timeout : List.of(ChronoUnit.FOREVER.getDuration(), Duration.ofDays(365_000))) {
      AtomicInteger stopped = new AtomicInteger();
      Group group =
          Group.builder()
              .stopTimeout(timeout)
              .listener(
                  new GroupListener() {
                    @Override
                    public void groupStopped(Exit exit) {
                      stopped.incrementAndGet();
                    }
                  })
              .build();
      CountDownLatch stop = new CountDownLatch(1);
      AtomicInteger interrupts = new AtomicInteger();
      group.add(
          "waiting",
          stop::await,
          c -> {
            interrupts.incrementAndGet();
            stop.countDown();
          });
      group.add("first", () -> {}, c -> interrupts.incrementAndGet());

      Exit exit = group.run();

      assertThat(exit.firstActor()).hasValue("first");
      assertThat(exit.allStopped()).isTrue();
      assertThat(interrupts).hasValue(2);
      assertThat(stopped).hasValue(1);
      assertThat(group.state()).isEqualTo(Group.State.STOPPED);
      assertThat(group.stopTimeout()).as("what was given").hasValue(timeout);
    }
  }

  /**
   * Covers a bug where a stop grace too long to count in nanoseconds made {@code run()} throw
   * {@code ArithmeticException} once the stop timeout ran out, instead of waiting for the actors it
   * had just given {@link Thread#interrupt()}.
   */
  @Test
  void aStopGraceTooLongForNanosecondsIsPracticallyForeverNotAnOverflow() {
    Duration forever = ChronoUnit.FOREVER.getDuration();
    Group group = Group.builder().stopTimeout(Duration.ofMillis(50)).stopGrace(forever).build();
    CountDownLatch never = new CountDownLatch(1);
    group.add("deaf", never::await, c -> {}); // returns only on Thread.interrupt()
    group.add("first", () -> {}, c -> {});

    Exit exit = group.run();

    assertThat(exit.allStopped()).isTrue();
    assertThat(exit.actors().get(0).error()).isInstanceOf(InterruptedException.class);
    assertThat(group.stopGrace()).as("what was given").isEqualTo(forever);
  }

  /**
   * Covers a bug where a thread factory that handed back an already-started thread made the group
   * record a start failure while the actor ran anyway on that thread, unknown to {@code run()},
   * which returned while it was alive and reported it {@code started} and {@code stopped}.
   */
  @Test
  void aThreadFactoryThatReturnsAStartedThreadIsAStartFailureAndTheActorDoesNotRunOnIt()
      throws Exception {
    AtomicReference<Thread> foreign = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    CountDownLatch hold = new CountDownLatch(1);
    Group group =
        Group.builder()
            .threadFactory(
                r -> {
                  Thread t = new Thread(r);
                  t.setDaemon(true);
                  if (foreign.get() == null) {
                    foreign.set(t);
                    t.start(); // not the group's to start any more
                  }
                  return t;
                })
            .build();
    AtomicInteger interrupts = new AtomicInteger();
    group.add(
        "foreign",
        () -> {
          ran.countDown();
          hold.await(20, TimeUnit.SECONDS);
        },
        c -> interrupts.incrementAndGet());
    CountDownLatch stop = new CountDownLatch(1);
    group.add("other", stop::await, c -> stop.countDown());

    Exit exit;
    try {
      exit = group.run();
      foreign.get().join(TimeUnit.SECONDS.toMillis(10));
      assertThat(foreign.get().isAlive()).as("it did not run the actor").isFalse();
    } finally {
      hold.countDown();
    }

    assertThat(ran.getCount()).as("the actor never ran").isEqualTo(1);
    Exit.Outcome outcome = exit.actors().get(0);
    assertThat(outcome.started()).isFalse();
    assertThat(outcome.stopped()).isTrue();
    assertThat(outcome.error())
        .isInstanceOf(IllegalThreadStateException.class)
        .hasMessageContaining("'foreign'")
        .hasMessageContaining("already started");
    assertThat(exit.firstActor()).hasValue("foreign");
    assertThat(exit.error()).isSameAs(outcome.error());
    assertThat(interrupts).as("its interrupt is still called").hasValue(1);
  }

  /**
   * Covers a bug where a thread factory that blocked when asked for the threads of the interrupts
   * called after the stop timeout ran out held {@code run()} far past the stop timeout plus grace:
   * those threads were made on the thread in {@code run()}.
   */
  @Test
  void aThreadFactoryThatBlocksAfterTheDeadlineCannotHoldRun() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger others = new AtomicInteger();
    BlockedStop stop =
        runWithABlockedInterrupt(
            release,
            r -> {
              boolean actor = TestThreads.isActorTask(r);
              if (!actor && others.incrementAndGet() > 1) {
                awaitUpTo(release, 10); // a factory out of threads after the deadline
              }
              Thread t = new Thread(r);
              t.setDaemon(true);
              return t;
            });

    assertThat(stop.tookMillis()).as("bound 400 ms, the factory blocks 10 s").isLessThan(5_000);
    assertThat(stop.exit().actors().get(0).interruptCompleted()).isFalse();
    assertThat(stop.exit().actors().get(1).interruptCompleted()).isTrue();
    assertThat(stop.laterInterrupts()).hasValue(1);
  }

  /**
   * Covers a bug where, when the thread factory could not make the stopper thread, the group called
   * the interrupts on the thread in {@code run()} without a guard, so that one blocked interrupt
   * held {@code run()} far past the stop timeout plus grace.
   */
  @Test
  void withoutAStopperThreadFromTheFactoryABlockedInterruptCannotHoldRun() {
    CountDownLatch release = new CountDownLatch(1);
    BlockedStop stop =
        runWithABlockedInterrupt(
            release,
            r -> {
              if (!TestThreads.isActorTask(r)) {
                return null; // no stopper from the factory
              }
              Thread t = new Thread(r);
              t.setDaemon(true);
              return t;
            });

    assertThat(stop.tookMillis()).as("bound 400 ms, the interrupt blocks 10 s").isLessThan(5_000);
    assertThat(stop.exit().actors().get(0).interruptCompleted()).isFalse();
    assertThat(stop.laterInterrupts()).hasValue(1);
  }

  /**
   * Covers a bug where what the interrupt of an incarnation that missed its startup timeout threw
   * was lost when that incarnation was restarted: the startup timer calls that interrupt, and what
   * it threw was neither added to the incarnation's error as suppressed, as at any other restart,
   * nor kept on the actor's outcome, which holds its last incarnation's. Both orders: the interrupt
   * throws before the restart is decided, or after.
   */
  @Test
  void whatTheInterruptOfAnIncarnationThatMissedItsStartupTimeoutThrewIsKeptAtItsRestart() {
    for (boolean late : new boolean[] {false, true}) {
      RuntimeException cannotClose = new IllegalStateException("cannot close (late: " + late + ")");
      CountDownLatch returned = new CountDownLatch(1);
      AtomicReference<@Nullable Throwable> restartedWith = new AtomicReference<>();
      Group group =
          Group.builder()
              .listener(
                  new GroupListener() {
                    @Override
                    public void actorReturned(String actor, @Nullable Throwable error) {
                      returned.countDown();
                    }

                    @Override
                    public void actorRestarting(
                        String actor, @Nullable Throwable error, int restart, Duration delay) {
                      restartedWith.set(error);
                    }
                  })
              .build();
      AtomicInteger made = new AtomicInteger();
      Supplier<Interruptible> incarnations =
          () -> {
            if (made.getAndIncrement() > 0) {
              return Interruptible.of(() -> ActorContext.current().ready(), cause -> {});
            }
            CountDownLatch stop = new CountDownLatch(1);
            return Interruptible.of(
                stop::await, // never ready: the startup timer interrupts it
                cause -> {
                  stop.countDown();
                  if (late) {
                    awaitUninterruptibly(returned, 10); // once its return was decided on
                  }
                  throw cannotClose;
                });
          };
      group.add(
          "s",
          incarnations,
          ActorOptions.defaults()
              .readiness(Readiness.SIGNALLED)
              .startupTimeout(Duration.ofMillis(50))
              .restart(RestartPolicy.onFailure().backoff(Duration.ZERO, Duration.ZERO)));

      Exit exit = group.run();

      assertThat(made).hasValue(2);
      assertThat(exit.firstActor()).hasValue("s"); // the second returned normally
      assertThat(restartedWith.get()).isInstanceOf(StartupTimeoutException.class);
      assertThat(restartedWith.get().getSuppressed()).as("late: %s", late).contains(cannotClose);
    }
  }

  /** What {@link #runWithABlockedInterrupt} saw. */
  private record BlockedStop(Exit exit, long tookMillis, AtomicInteger laterInterrupts) {}

  /**
   * Covers a bug where a restarted actor that the stop timeout abandoned while its second
   * incarnation was still in {@code execute} was reported with the error of its first incarnation,
   * although an outcome holds the error of the actor's last incarnation, {@code null} while it
   * still runs.
   */
  @Test
  void anAbandonedRestartedActorReportsNoErrorOfAnEarlierIncarnation() throws Exception {
    CountDownLatch secondRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger incarnations = new AtomicInteger();
    Group group =
        Group.builder().stopTimeout(Duration.ofMillis(50)).stopGrace(Duration.ZERO).build();
    group.add(
        "supervised",
        () -> {
          int n = incarnations.getAndIncrement();
          return Interruptible.of(
              () -> {
                if (n == 0) {
                  throw new IllegalStateException("the first incarnation fails");
                }
                secondRunning.countDown();
                awaitUninterruptibly(release); // deaf to its interrupt and to Thread.interrupt()
              },
              cause -> {});
        },
        ActorOptions.defaults()
            .restart(RestartPolicy.onFailure().backoff(Duration.ZERO, Duration.ZERO).jitter(0)));
    group.add("stopper", () -> TestThreads.await(secondRunning, 10), cause -> {});

    Exit exit;
    try {
      exit = group.run();
    } finally {
      release.countDown();
    }
    ThreadHygieneExtension.allowNotStopped(exit);

    Exit.Outcome supervised = exit.actors().get(0);
    assertThat(supervised.stopped()).as("abandoned in its second incarnation").isFalse();
    assertThat(supervised.restarts()).isEqualTo(1);
    assertThat(supervised.error()).as("the running incarnation has no error yet").isNull();
    assertThat(exit.firstActor()).hasValue("stopper");
  }

  /**
   * Covers a bug where, under {@code RestartPolicy.always()}, an incarnation that returned normally
   * and whose interrupt then threw at its restart lost that exception: with no error of the
   * incarnation to add it to, it reached neither the listener nor the {@link Exit}.
   */
  @Test
  void whatARestartsInterruptThrowsAfterANormalReturnIsNotLost() throws Exception {
    IllegalStateException thrown = new IllegalStateException("the interrupt fails");
    CountDownLatch secondRunning = new CountDownLatch(1);
    AtomicInteger incarnations = new AtomicInteger();
    List<@Nullable Throwable> restartErrors = new CopyOnWriteArrayList<>();
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorRestarting(
                      String actor, @Nullable Throwable error, int restart, Duration delay) {
                    restartErrors.add(error);
                  }
                })
            .build();
    group.add(
        "supervised",
        () -> {
          int n = incarnations.getAndIncrement();
          CountDownLatch interrupted = new CountDownLatch(1);
          return Interruptible.of(
              () -> {
                if (n > 0) {
                  secondRunning.countDown();
                  TestThreads.await(interrupted, 10);
                }
              },
              cause -> {
                interrupted.countDown();
                if (n == 0) {
                  throw thrown;
                }
              });
        },
        ActorOptions.defaults()
            .restart(RestartPolicy.always().backoff(Duration.ZERO, Duration.ZERO).jitter(0)));
    group.add("stopper", () -> TestThreads.await(secondRunning, 10), cause -> {});

    Exit exit = group.run();

    assertThat(exit.actors().get(0).restarts()).isEqualTo(1);
    assertThat(restartErrors).as("what the restart's interrupt threw").containsExactly(thrown);
  }

  /**
   * Covers a bug where what an interrupt threw when the startup timer called it was lost once that
   * incarnation was restarted: it was kept only as the interrupt error of an incarnation that was
   * no longer the last, and not added to the incarnation's {@link StartupTimeoutException}, as a
   * restart's interrupt failure is added to the incarnation's error.
   */
  @Test
  void whatAnInterruptThrowsWhenTheStartupTimerCallsItIsKeptInTheTimeout() throws Exception {
    IllegalStateException thrown = new IllegalStateException("the interrupt fails");
    CountDownLatch secondRunning = new CountDownLatch(1);
    AtomicInteger incarnations = new AtomicInteger();
    List<@Nullable Throwable> restartErrors = new CopyOnWriteArrayList<>();
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorRestarting(
                      String actor, @Nullable Throwable error, int restart, Duration delay) {
                    restartErrors.add(error);
                  }
                })
            .build();
    group.add(
        "supervised",
        () -> {
          int n = incarnations.getAndIncrement();
          CountDownLatch interrupted = new CountDownLatch(1);
          return Interruptible.of(
              () -> {
                if (n > 0) {
                  ActorContext.current().ready();
                  secondRunning.countDown();
                }
                TestThreads.await(interrupted, 10);
              },
              cause -> {
                interrupted.countDown();
                if (n == 0) {
                  throw thrown;
                }
              });
        },
        ActorOptions.defaults()
            .readiness(Readiness.SIGNALLED)
            .startupTimeout(Duration.ofMillis(20))
            .restart(
                RestartPolicy.onFailure()
                    .maxRestarts(1)
                    .backoff(Duration.ZERO, Duration.ZERO)
                    .jitter(0)));
    group.add("stopper", () -> TestThreads.await(secondRunning, 10), cause -> {});

    Exit exit = group.run();

    assertThat(exit.actors().get(0).restarts()).isEqualTo(1);
    assertThat(restartErrors).hasSize(1);
    Throwable timeout = restartErrors.get(0);
    assertThat(timeout).isInstanceOf(StartupTimeoutException.class);
    assertThat(Objects.requireNonNull(timeout).getSuppressed())
        .as("what the interrupt threw when the timer called it")
        .containsExactly(thrown);
  }

  /**
   * Covers a bug where the startup timer could fail an incarnation that had already returned: when
   * its failure stopped the group, the deadline could pass while the {@code actorReturned}
   * listeners ran, before the group began to stop; the timer then called the incarnation's
   * interrupt with a {@link StartupTimeoutException}, which was neither the incarnation's error nor
   * the group's cause, and the stop skipped it.
   */
  @Test
  void theStartupTimerDoesNotFailAnIncarnationThatAlreadyReturned() throws Exception {
    IllegalStateException failure = new IllegalStateException("fails before it is ready");
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicReference<@Nullable Throwable> cause = new AtomicReference<>();
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorReturned(String actor, @Nullable Throwable error) {
                    // holds the actor's thread past its startup timeout, after it returned: a
                    // timer that fails it anyway calls its interrupt now
                    boolean unused = awaitUpTo(interrupted, 1);
                  }
                })
            .build();
    group.add(
        "late",
        Interruptible.of(
            () -> {
              throw failure;
            },
            c -> {
              cause.set(c);
              interrupted.countDown();
            }),
        ActorOptions.defaults()
            .readiness(Readiness.SIGNALLED)
            .startupTimeout(Duration.ofMillis(50)));

    Exit exit = group.run();

    assertThat(exit.error()).isSameAs(failure);
    assertThat(exit.actors().get(0).error()).isSameAs(failure);
    assertThat(cause.get()).as("the stop's interrupt, with the group's cause").isSameAs(failure);
  }

  /**
   * Covers a bug where, in a group without a stop timeout, an interrupt that the startup timer
   * called was reported as not completed when it returned after its actor's thread had ended: the
   * outcomes were taken as the actors' threads were joined, before the timer's thread was, although
   * {@code run()} waited for that interrupt before returning.
   */
  @Test
  void anInterruptTheStartupTimerCalledCountsAsCompletedOnceRunWaitedForIt() throws Exception {
    Thread runner = Thread.currentThread();
    CountDownLatch lateInterrupted = new CountDownLatch(1);
    CountDownLatch otherInterrupted = new CountDownLatch(1);
    CountDownLatch releaseOther = new CountDownLatch(1);
    AtomicReference<@Nullable Thread> lateThread = new AtomicReference<>();
    Group group = new Group();
    group.add(
        "late",
        Interruptible.of(
            () -> {
              lateThread.set(Thread.currentThread());
              TestThreads.await(lateInterrupted, 10);
            },
            cause -> {
              try { // on the timer's thread: returns only once run() took late's outcome
                lateInterrupted.countDown();
                boolean unused = awaitUpTo(otherInterrupted, 10);
                await()
                    .atMost(Duration.ofSeconds(10))
                    .until(
                        () ->
                            !Objects.requireNonNull(lateThread.get()).isAlive()
                                && TestThreads.waiting(runner));
              } finally {
                releaseOther.countDown();
              }
            }),
        ActorOptions.defaults()
            .readiness(Readiness.SIGNALLED)
            .startupTimeout(Duration.ofMillis(20)));
    group.add(
        "other", () -> TestThreads.await(releaseOther, 10), cause -> otherInterrupted.countDown());

    Exit exit = group.run();

    assertThat(exit.error()).isInstanceOf(StartupTimeoutException.class);
    assertThat(exit.actors().get(0).interruptCompleted())
        .as("the timer's call of the interrupt returned before run() did")
        .isTrue();
  }

  /**
   * Covers a bug where {@code ready()}, called through a SIGNALLED actor's context after its
   * incarnation had failed (here from the {@code actorReturned} listener, between the failure and
   * the stop it causes), still made the actor ready: its dependents were released and could begin
   * although the actor they start after had failed without ever being ready.
   */
  @Test
  void readyAfterTheIncarnationReturnedDoesNotReleaseItsDependents() throws Exception {
    IllegalStateException failure = new IllegalStateException("fails before it is ready");
    AtomicReference<@Nullable ActorContext> context = new AtomicReference<>();
    CountDownLatch webStarted = new CountDownLatch(1);
    List<String> ready = new CopyOnWriteArrayList<>();
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorStarted(String actor, Thread thread) {
                    if (actor.equals("web")) {
                      webStarted.countDown();
                    }
                  }

                  @Override
                  public void actorReady(String actor) {
                    ready.add(actor);
                  }

                  @Override
                  public void actorReturned(String actor, @Nullable Throwable error) {
                    if (actor.equals("db")) {
                      Objects.requireNonNull(context.get()).ready(); // too late
                      boolean unused = awaitUpTo(webStarted, 1); // a released web begins now
                    }
                  }
                })
            .build();
    group.add(
        "db",
        Interruptible.of(
            () -> {
              context.set(ActorContext.current());
              throw failure;
            },
            c -> {}),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));
    group.add("web", Interruptible.of(() -> {}, c -> {}), ActorOptions.defaults().after("db"));

    Exit exit = group.run();

    assertThat(exit.actors().get(1).started()).as("web never starts").isFalse();
    assertThat(ready).as("db never was ready").isEmpty();
    assertThat(exit.error()).as("db's failure stopped the group").isSameAs(failure);
  }

  /**
   * Runs a group with a 200 ms stop timeout and grace, threads from {@code factory}, an actor
   * {@code blocked} whose interrupt waits for {@code release} (up to 10 s) and an actor {@code
   * later} that counts its interrupts; releases the interrupt once {@code run()} returned.
   */
  private static BlockedStop runWithABlockedInterrupt(
      CountDownLatch release, ThreadFactory factory) {
    Group group =
        Group.builder()
            .stopTimeout(Duration.ofMillis(200))
            .stopGrace(Duration.ofMillis(200))
            .threadFactory(factory)
            .build();
    group.add("blocked", () -> {}, c -> awaitUpTo(release, 10));
    AtomicInteger later = new AtomicInteger();
    group.add("later", () -> {}, c -> later.incrementAndGet());

    long began = System.nanoTime();
    Exit exit;
    try {
      exit = group.run();
    } finally {
      release.countDown();
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    ThreadHygieneExtension.allowNotStopped(exit);
    return new BlockedStop(exit, tookMillis, later);
  }

  /**
   * Covers a bug where an actor that missed its startup timeout, and whose interrupt blocked (or
   * whose execute ignored it), kept the group running for ever: its failure counted only once its
   * execute returned. Without a restart policy the group now stops at the timeout.
   */
  @Test
  @Timeout(30)
  void aStartupTimeoutWhoseInterruptBlocksStillStopsTheGroupWithinItsBound() throws Exception {
    runNeverReady(
        release -> cause -> awaitUninterruptibly(release),
        exit -> {
          assertThat(exit.error()).isInstanceOf(StartupTimeoutException.class);
          assertThat(exit.firstActor()).hasValue("never-ready");
          assertThat(exit.allStopped()).isFalse();
        });
  }

  /**
   * Covers a bug where an actor whose startup timeout stopped the group, and whose execute then
   * ignored every interrupt until the stop timeout abandoned it, had no error in its outcome: the
   * timeout became its error only once execute returned, which it had not. Its outcome now holds
   * the {@link StartupTimeoutException} from the moment the timeout stops the group.
   */
  @Test
  @Timeout(30)
  void anActorAbandonedAfterItsStartupTimeoutStoppedTheGroupHasTheTimeoutAsItsOutcomesError()
      throws Exception {
    runNeverReady(
        release -> cause -> {},
        exit -> {
          Exit.Outcome stuck = exit.actors().get(0);
          assertThat(stuck.stopped()).as("abandoned by the stop timeout").isFalse();
          assertThat(stuck.error()).isInstanceOf(StartupTimeoutException.class);
          assertThat(stuck.error()).isSameAs(exit.error());
        });
  }

  /**
   * Runs one actor "never-ready" (SIGNALLED, never signalling, a 20 ms startup timeout, a stop
   * timeout of 200 ms) whose execute ignores everything until released, with the interrupt made
   * from the release latch; checks the exit, then releases the actor and waits for its thread.
   */
  private static void runNeverReady(
      java.util.function.Function<CountDownLatch, Interruptible.Interrupt> interrupt,
      java.util.function.Consumer<Exit> check)
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<@Nullable Thread> actorThread = new AtomicReference<>();
    Group group =
        Group.builder()
            .stopTimeout(Duration.ofMillis(200))
            .stopGrace(Duration.ofMillis(50))
            .build();
    group.add(
        "never-ready",
        Interruptible.of(
            () -> {
              actorThread.set(Thread.currentThread());
              awaitUninterruptibly(release);
            },
            interrupt.apply(release)),
        ActorOptions.defaults()
            .readiness(Readiness.SIGNALLED)
            .startupTimeout(Duration.ofMillis(20)));
    CompletableFuture<Exit> run = CompletableFuture.supplyAsync(group::run);
    try {
      check.accept(run.get(10, TimeUnit.SECONDS));
    } finally {
      release.countDown();
      Thread t = actorThread.get();
      if (t != null) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> !group.inRun());
    }
  }
}
