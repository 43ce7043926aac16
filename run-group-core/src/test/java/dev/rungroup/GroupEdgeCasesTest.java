package dev.rungroup;

import static dev.rungroup.TestThreads.awaitUninterruptibly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Edge cases of {@link Group} that random schedules reach rarely: misuse, generated names, the stop
 * timeout's deadline, grace and {@link Thread#interrupt()}, the caller's interrupt flag while
 * stopping. Written to kill the mutants PIT found alive (see the README, Reliability).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupEdgeCasesTest {

  private static final Duration LONG = Duration.ofSeconds(20);

  /**
   * A thread factory whose threads, after the group's task returned, wait for {@code after}: what a
   * wrapper does after the task (clean-up, a pool's own bookkeeping). Made threads go in {@code
   * made}.
   */
  private static java.util.concurrent.ThreadFactory lingering(
      CountDownLatch after, List<Thread> made) {
    return r -> {
      Thread t =
          new Thread(
              () -> {
                r.run();
                awaitUninterruptibly(after, 20);
              });
      t.setDaemon(true);
      made.add(t);
      return t;
    };
  }

  @Test
  void runReturnsOnceEveryExecuteReturnedNotOnceEveryThreadDied() throws Exception {
    CountDownLatch after = new CountDownLatch(1);
    List<Thread> made = new CopyOnWriteArrayList<>();
    Group group = Group.builder().threadFactory(lingering(after, made)).build();
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicInteger wroteInExecute = new AtomicInteger();
    group.add(
        "worker",
        () -> {
          awaitUninterruptibly(interrupted, 20);
          wroteInExecute.set(42); // a plain write: run() returning must make it visible
        },
        cause -> interrupted.countDown());
    group.add("trigger", () -> {}, cause -> {});
    try {
      Exit exit = group.run(); // before the fix: joined the threads, which wait for `after`

      assertThat(exit.actors()).allSatisfy(o -> assertThat(o.stopped()).isTrue());
      assertThat(wroteInExecute.get()).isEqualTo(42);
      assertThat(made).hasSize(2).anySatisfy(t -> assertThat(t.isAlive()).isTrue());
    } finally {
      after.countDown();
      for (Thread t : made) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
  }

  @Test
  void withAStopTimeoutAThreadStillEndingAfterItsExecuteCountsAsStoppedAtOnce() throws Exception {
    CountDownLatch after = new CountDownLatch(1);
    List<Thread> made = new CopyOnWriteArrayList<>();
    Group group = Group.builder().threadFactory(lingering(after, made)).stopTimeout(LONG).build();
    CountDownLatch interrupted = new CountDownLatch(1);
    group.add("worker", () -> awaitUninterruptibly(interrupted, 20), c -> interrupted.countDown());
    group.add("trigger", () -> {}, cause -> {});
    try {
      Exit exit = group.run(); // would wait out the 20 s timeout if it waited for the threads

      assertThat(exit.actors()).allSatisfy(o -> assertThat(o.stopped()).isTrue());
      assertThat(made).anySatisfy(t -> assertThat(t.isAlive()).isTrue());
    } finally {
      after.countDown();
      for (Thread t : made) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
  }

  @Test
  void aFactorysThreadThatNeverRunsTheActorDoesNotHoldRunForever() {
    AtomicInteger dropped = new AtomicInteger();
    Group group =
        Group.builder()
            .threadFactory(
                r -> {
                  // drops the first actor's task: a thread that ends without running it
                  Thread t = new Thread(dropped.getAndIncrement() == 0 ? () -> {} : r);
                  t.setDaemon(true);
                  return t;
                })
            .build();
    group.add("dropped", () -> {}, cause -> {});
    group.add("trigger", () -> {}, cause -> {});
    Exit exit = group.run();
    assertThat(exit.actors().get(0).started()).isFalse();
    assertThat(exit.actors().get(1).stopped()).isTrue();
  }

  @Test
  void generatedNamesSkipEveryTakenSuffix() {
    Group group = new Group();
    group.add("actor-2", () -> {}, c -> {});
    group.add("actor-2-2", () -> {}, c -> {});
    group.add("actor-3-2", () -> {}, c -> {});
    group.add(() -> {}, c -> {});
    assertThat(group.run().actors())
        .extracting(Exit.Outcome::name)
        .containsExactly("actor-2", "actor-2-2", "actor-3-2", "actor-4");
  }

  @Test
  void twoTakenSuffixesMakeTheThird() {
    Group group = new Group();
    group.add("actor-3", () -> {}, c -> {});
    group.add("actor-3-2", () -> {}, c -> {});
    group.add(() -> {}, c -> {}); // position 3: actor-3 and actor-3-2 are taken
    assertThat(group.run().actors().get(2).name()).isEqualTo("actor-3-3");
  }

  @Test
  void aThreadFactoryThatFailsStopsTheGroupWithThatActorsError() {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    Group group =
        Group.builder()
            .threadFactory(
                r -> {
                  if (calls.incrementAndGet() == 2) {
                    return null;
                  }
                  Thread t = new Thread(r);
                  t.setDaemon(true);
                  return t;
                })
            .build();
    group.add("waiting", never::await, c -> never.countDown());
    group.add("unlucky", () -> {}, c -> {});

    Exit exit = group.run();

    assertThat(exit.firstActor()).hasValue("unlucky");
    assertThat(exit.error()).isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    assertThat(exit.actors().get(1).started()).isFalse();
    assertThat(exit.actors().get(1).error()).isSameAs(exit.error());
  }

  @Test
  void callerInterruptedWhileTheInterruptsRunWithoutTimeoutKeepsItsFlag() throws Exception {
    CountDownLatch stopping = new CountDownLatch(1);
    CountDownLatch interruptSent = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "first",
        () -> {},
        c -> {
          stopping.countDown();
          awaitUninterruptibly(interruptSent); // restores the flag: run() must keep it
        });
    boolean[] flag = {false};
    Thread runner =
        new Thread(
            () -> {
              group.run();
              flag[0] = Thread.interrupted();
            });
    runner.start();
    assertThat(stopping.await(10, TimeUnit.SECONDS)).isTrue();
    runner.interrupt();
    interruptSent.countDown();
    runner.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(runner.isAlive()).isFalse();
    assertThat(flag[0]).isTrue();
  }

  @Test
  void withoutAStopperThreadFromTheFactoryTheInterruptsRunOnAThreadOfTheGroups() {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger interrupts = new AtomicInteger();
    CountDownLatch stop = new CountDownLatch(1);
    Group group =
        Group.builder()
            .stopTimeout(LONG)
            .threadFactory(
                r -> {
                  if (calls.incrementAndGet() == 3) {
                    return null; // the stopper thread
                  }
                  Thread t = new Thread(r);
                  t.setDaemon(true);
                  return t;
                })
            .build();
    group.add(
        "waiting",
        stop::await,
        c -> {
          interrupts.incrementAndGet();
          stop.countDown();
        });
    group.add("first", () -> {}, c -> interrupts.incrementAndGet());

    Exit exit = group.run();

    assertThat(interrupts).hasValue(2);
    assertThat(exit.allStopped()).isTrue();
  }

  @Test
  void theLateInterruptsRunOnThreadsOfTheGroupsOwnNotTheFactorys() {
    AtomicInteger stoppers = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger laterInterrupts = new AtomicInteger();
    Group group =
        Group.builder()
            .stopTimeout(Duration.ofMillis(50))
            .stopGrace(Duration.ofMillis(200))
            .threadFactory(
                r -> {
                  boolean actor = TestThreads.isActorTask(r);
                  if (!actor && stoppers.incrementAndGet() > 1) {
                    return null; // no thread for the late interrupts
                  }
                  Thread t = new Thread(r);
                  t.setDaemon(true);
                  return t;
                })
            .build();
    group.add("blocked", () -> {}, c -> awaitUninterruptibly(release));
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

  @Test
  void theStopperCallsEveryInterruptOnceAndEndsCleanly() {
    java.util.Queue<Throwable> uncaught = new java.util.concurrent.ConcurrentLinkedQueue<>();
    Group group =
        Group.builder()
            .stopTimeout(LONG)
            .threadFactory(
                r -> {
                  Thread t = new Thread(r);
                  t.setDaemon(true);
                  t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
                  return t;
                })
            .build();
    AtomicInteger interrupts = new AtomicInteger();
    CountDownLatch stop = new CountDownLatch(1);
    group.add(
        "waiting",
        stop::await,
        c -> {
          interrupts.incrementAndGet();
          stop.countDown();
        });
    group.add("first", () -> {}, c -> interrupts.incrementAndGet());

    Exit exit = group.run();

    assertThat(interrupts).hasValue(2);
    assertThat(exit.allStopped()).isTrue();
    assertThat(uncaught).isEmpty();
  }

  @Test
  void aStopperThreadTheFactoryHadStartedRunsNoInterrupt() {
    java.util.Set<Thread> foreign = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.Set<Thread> interruptedOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Group group =
        Group.builder()
            .stopTimeout(LONG)
            .threadFactory(
                r -> {
                  Thread t = new Thread(r);
                  t.setDaemon(true);
                  if (!TestThreads.isActorTask(r)) {
                    foreign.add(t);
                    t.start();
                  }
                  return t;
                })
            .build();
    CountDownLatch stop = new CountDownLatch(1);
    group.add(
        "waiting",
        stop::await,
        c -> {
          interruptedOn.add(Thread.currentThread());
          stop.countDown();
        });
    group.add("first", () -> {}, c -> interruptedOn.add(Thread.currentThread()));

    Exit exit = group.run();

    assertThat(foreign).hasSize(1);
    assertThat(interruptedOn).isNotEmpty().doesNotContainAnyElementsOf(foreign);
    assertThat(interruptedOn)
        .allSatisfy(t -> assertThat(t.getName()).isEqualTo("run-group-stopper"));
    assertThat(exit.allStopped()).isTrue();
    assertThat(exit.actors()).allSatisfy(o -> assertThat(o.interruptCompleted()).isTrue());
  }

  @Test
  void afterRunTheGroupIsFreeForOtherThreads() throws Exception {
    Group group = new Group();
    group.add("a", () -> {}, c -> {});
    group.run();
    Throwable[] thrown = {null};
    Thread other =
        new Thread(
            () -> {
              try {
                group.add("late", () -> {}, c -> {});
              } catch (IllegalStateException e) {
                thrown[0] = e;
              }
            });
    other.start();
    other.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(other.isAlive()).isFalse();
    assertThat(thrown[0]).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void callerInterruptedWhileTheActorsRunStopsTheGroupAndKeepsItsFlag() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch stop = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "a",
        () -> {
          running.countDown();
          stop.await();
        },
        c -> stop.countDown());
    boolean[] flag = {false};
    Exit[] exit = {null};
    Thread runner =
        new Thread(
            () -> {
              exit[0] = group.run();
              flag[0] = Thread.interrupted();
            });
    runner.start();
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    await(() -> group.state() == Group.State.RUNNING);
    runner.interrupt();
    runner.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(runner.isAlive()).isFalse();
    assertThat(flag[0]).isTrue();
    assertThat(exit[0].error()).isInstanceOf(InterruptedException.class);
    assertThat(exit[0].firstActor()).isEmpty();
  }

  @Test
  void toStringReleasesTheLock() throws Exception {
    Group group = new Group();
    assertThat(group.toString()).isEqualTo("Group[NEW, 0 actors]");
    Thread adder = new Thread(() -> group.add("other", () -> {}, c -> {}));
    adder.start();
    adder.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(adder.isAlive()).isFalse();
    assertThat(group.run().actors()).hasSize(1);
  }

  @Test
  void everyAddReturnsTheGroupAndUnnamedActorsSkipTakenNames() {
    Group group = new Group();
    assertThat(group.add("actor-2", () -> {}, c -> {})).isSameAs(group);
    assertThat(group.add(() -> {}, c -> {})).isSameAs(group);
    assertThat(group.add(Interruptible.of(() -> {}, c -> {}))).isSameAs(group);
    assertThat(group.add("named", Interruptible.of(() -> {}, c -> {}))).isSameAs(group);
    assertThat(group.toString()).isEqualTo("Group[NEW, 4 actors]");

    Exit exit = group.run();

    assertThat(exit.actors())
        .extracting(Exit.Outcome::name)
        .containsExactly("actor-2", "actor-2-2", "actor-3", "named");
    assertThat(group.toString()).isEqualTo("Group[STOPPED, 4 actors]");
  }

  @Test
  @SuppressWarnings("NullAway") // misuse on purpose
  void misuseThrows() {
    Group group = new Group();
    assertThatThrownBy(() -> group.add(" ", () -> {}, c -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    group.add("a", () -> {}, c -> {});
    assertThatThrownBy(() -> group.add("a", () -> {}, c -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'");
    assertThatThrownBy(() -> group.add(null, () -> {}, c -> {}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
    group.run();
    assertThatThrownBy(group::run).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> group.add("b", () -> {}, c -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'b'");
    assertThatThrownBy(() -> group.add(() -> {}, c -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aStopBeforeRunIsStickyAndRunSignalsTermination() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Group group = new Group();
    group.add("a", calls::incrementAndGet, c -> calls.incrementAndGet());
    group.stop();
    assertThat(group.state()).isEqualTo(Group.State.STOPPED);
    assertThat(group.awaitTermination(1, TimeUnit.MILLISECONDS)).isFalse();

    Exit exit = group.run();

    assertThat(calls).hasValue(0);
    assertThat(exit.error()).isNull();
    assertThat(exit.actors().get(0).started()).isFalse();
    assertThat(group.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void stopBoundIsTimeoutPlusGraceSaturated() {
    assertThat(new Group().stopBoundNanos()).isEqualTo(Long.MAX_VALUE);
    Group group =
        Group.builder()
            .stopTimeout(Duration.ofSeconds(3))
            .stopGrace(Duration.ofMillis(500))
            .build();
    assertThat(group.stopBoundNanos()).isEqualTo(Duration.ofMillis(3500).toNanos());
    Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
    assertThat(Group.builder().stopTimeout(forever).build().stopBoundNanos())
        .isEqualTo(Long.MAX_VALUE);
    assertThat(
            Group.builder()
                .stopTimeout(Duration.ofNanos(Long.MAX_VALUE - 10))
                .build()
                .stopBoundNanos())
        .as("plus the default grace")
        .isEqualTo(Long.MAX_VALUE);
    assertThat(
            Group.builder()
                .stopTimeout(Duration.ofSeconds(1))
                .stopGrace(forever)
                .build()
                .stopBoundNanos())
        .isEqualTo(Long.MAX_VALUE);
    assertThat(BoundedStop.saturatedNanos(Duration.ofNanos(Long.MAX_VALUE)))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(BoundedStop.saturatedNanos(Duration.ofNanos(Long.MAX_VALUE - 1)))
        .isEqualTo(Long.MAX_VALUE - 1);
    assertThat(BoundedStop.saturatedAdd(1, 2)).isEqualTo(3);
    assertThat(BoundedStop.saturatedAdd(5, 0)).isEqualTo(5);
    assertThat(BoundedStop.saturatedAdd(Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
    assertThat(BoundedStop.saturatedAdd(Long.MAX_VALUE - 1, 100)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void defaultThreadsAreDaemonThreadsNamedAfterTheActor() {
    List<Thread> threads = new CopyOnWriteArrayList<>();
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorStarted(String actor, Thread thread) {
                    threads.add(thread);
                  }
                })
            .build();
    group.add("worker", () -> {}, c -> {});
    group.run();
    assertThat(threads)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.isDaemon()).isTrue();
              assertThat(t.getName()).isEqualTo("worker");
            });
  }

  @Test
  void builderMethodsChain() {
    Group.Builder builder = Group.builder();
    assertThat(builder.threadFactory(Thread::new)).isSameAs(builder);
    assertThat(builder.listener(new GroupListener() {})).isSameAs(builder);
    assertThat(builder.stopTimeout(LONG)).isSameAs(builder);
    assertThat(builder.stopGrace(Duration.ZERO)).isSameAs(builder);
  }

  @Test
  void lambdaActorsCallBothHalvesAndDescribeThemselves() throws Exception {
    AtomicInteger interrupts = new AtomicInteger();
    Interruptible actor = Interruptible.of(() -> {}, c -> interrupts.incrementAndGet());
    actor.execute();
    actor.interrupt(null);
    assertThat(interrupts).hasValue(1);
    assertThat(actor.toString()).startsWith("Interruptible[");
  }

  @Test
  void withATimeoutCooperativeActorsStopAtOnceInAddOrder() {
    List<String> trace = new CopyOnWriteArrayList<>();
    CountDownLatch second = new CountDownLatch(1);
    Group group = Group.builder().stopTimeout(LONG).build();
    group.add(
        "slow-interrupt",
        () -> {},
        c -> {
          trace.add("start 1");
          sleep(300);
          trace.add("end 1");
        });
    group.add(
        "second",
        second::await,
        c -> {
          trace.add("start 2");
          second.countDown();
        });
    long start = System.nanoTime();

    Exit exit = group.run();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(trace).containsExactly("start 1", "end 1", "start 2");
    assertThat(exit.allStopped()).isTrue();
    assertThat(exit.actors()).allSatisfy(o -> assertThat(o.interruptCompleted()).isTrue());
  }

  @Test
  void withATimeoutRunWaitsForAnActorThatTakesAWhileToEnd() {
    CountDownLatch interrupted = new CountDownLatch(1);
    Group group = Group.builder().stopTimeout(LONG).stopGrace(Duration.ZERO).build();
    group.add(
        "lingering",
        () -> {
          interrupted.await();
          sleep(300); // winding down after the interrupt
        },
        c -> interrupted.countDown());
    group.add("first", () -> {}, c -> {}); // last: the others' threads are started before it

    Exit exit = group.run();

    assertThat(exit.allStopped()).isTrue();
  }

  @Test
  void afterTheTimeoutActorsIgnoringTheirInterruptGetThreadInterruptAndTheGrace() {
    Group group = Group.builder().stopTimeout(Duration.ofMillis(50)).stopGrace(LONG).build();
    group.add("deaf", () -> new CountDownLatch(1).await(), c -> {});
    group.add("first", () -> {}, c -> {}); // last: the others' threads are started before it
    long start = System.nanoTime();

    Exit exit = group.run();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    Exit.Outcome deaf = exit.actors().get(0);
    assertThat(deaf.stopped()).isTrue();
    assertThat(deaf.error()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void anAbandonedActorIsReportedOnlyAfterTimeoutAndGrace() {
    CountDownLatch release = new CountDownLatch(1);
    Group group =
        Group.builder()
            .stopTimeout(Duration.ofMillis(100))
            .stopGrace(Duration.ofMillis(200))
            .build();
    group.add("stuck", () -> awaitUninterruptibly(release), c -> {});
    group.add("first", () -> {}, c -> {}); // last: the others' threads are started before it
    long start = System.nanoTime();
    Exit exit;
    try {
      exit = group.run();
    } finally {
      release.countDown();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(290));
    assertThat(exit.actors().get(0).stopped()).isFalse();
    assertThat(exit.toString()).contains("some not stopped");
  }

  @Test
  void callerInterruptedWhileStoppingWithATimeoutKeepsItsFlag() throws Exception {
    CountDownLatch stopping = new CountDownLatch(1);
    CountDownLatch interruptSent = new CountDownLatch(1);
    Group group = Group.builder().stopTimeout(LONG).build();
    group.add(
        "first",
        () -> {},
        c -> {
          stopping.countDown();
          awaitUninterruptibly(interruptSent);
        });
    boolean[] flag = {false};
    Exit[] exit = {null};
    Thread runner =
        new Thread(
            () -> {
              exit[0] = group.run();
              flag[0] = Thread.interrupted();
            });
    runner.start();
    assertThat(stopping.await(10, TimeUnit.SECONDS)).isTrue();
    runner.interrupt();
    interruptSent.countDown();
    runner.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(runner.isAlive()).isFalse();
    assertThat(flag[0]).isTrue();
    assertThat(exit[0].error()).isNull(); // the actor's normal return stopped the group first
  }

  @Test
  void callerInterruptedWhileStoppingWithoutTimeoutKeepsItsFlag() throws Exception {
    CountDownLatch stopping = new CountDownLatch(1);
    CountDownLatch interruptSent = new CountDownLatch(1);
    CountDownLatch lingering = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "lingering",
        () -> {
          stopping.countDown();
          awaitUninterruptibly(lingering);
        },
        c -> {});
    group.add("first", () -> {}, c -> {}); // last: the others' threads are started before it
    boolean[] flag = {false};
    Thread runner =
        new Thread(
            () -> {
              group.run();
              flag[0] = Thread.interrupted();
            });
    runner.start();
    assertThat(stopping.await(10, TimeUnit.SECONDS)).isTrue();
    await(() -> group.state() == Group.State.STOPPING);
    runner.interrupt();
    lingering.countDown();
    runner.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(runner.isAlive()).isFalse();
    assertThat(flag[0]).isTrue();
    interruptSent.countDown();
  }

  @Test
  void aListenerFailingInGroupStoppedIsKept() {
    IllegalStateException boom = new IllegalStateException("boom");
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void groupStopped(Exit exit) {
                    throw boom;
                  }
                })
            .build();
    group.add("a", () -> {}, (@Nullable Throwable c) -> {});
    assertThat(group.run().listenerErrors()).containsExactly(boom);
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis); // part of the actor's behaviour, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
