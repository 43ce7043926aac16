package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One nested class per semantic point of the design's core contract. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SemanticsTest {

  /** Blocks until interrupted; records what happened to it. */
  static final class Blocker implements Interruptible {
    final String name;
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger interrupts = new AtomicInteger();
    final List<@Nullable Throwable> causes = new CopyOnWriteArrayList<>();
    final AtomicReference<@Nullable Thread> thread = new AtomicReference<>();
    final AtomicReference<@Nullable Thread> interruptThread = new AtomicReference<>();
    volatile boolean returned;

    Blocker(String name) {
      this.name = name;
    }

    @Override
    public void execute() throws InterruptedException {
      thread.set(Thread.currentThread());
      started.countDown();
      try {
        release.await();
      } finally {
        returned = true;
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      interruptThread.set(Thread.currentThread());
      interrupts.incrementAndGet();
      causes.add(cause);
      release.countDown();
    }
  }

  /** Returns once {@code go} opens, normally or by throwing {@code error}. */
  static Interruptible returnsWhen(CountDownLatch go, @Nullable Exception error) {
    return new Interruptible() {
      @Override
      public void execute() throws Exception {
        go.await();
        if (error != null) {
          throw error;
        }
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {}
    };
  }

  static List<Blocker> addBlockers(Group group, String... names) {
    List<Blocker> blockers = new ArrayList<>();
    for (String name : names) {
      Blocker blocker = new Blocker(name);
      group.add(name, blocker);
      blockers.add(blocker);
    }
    return blockers;
  }

  @Nested
  class Point1EveryActorOnItsOwnThread {

    @Test
    void everyActorRunsOnItsOwnThreadNamedAfterIt() throws Exception {
      Group group = new Group();
      List<Blocker> blockers = addBlockers(group, "alpha", "beta", "gamma");
      CountDownLatch go = new CountDownLatch(1);
      group.add("last", returnsWhen(go, null));
      Thread runner = new Thread(group::run);
      runner.start();
      for (Blocker blocker : blockers) {
        assertThat(blocker.started.await(10, TimeUnit.SECONDS)).isTrue();
      }

      assertThat(blockers)
          .extracting(b -> b.thread.get())
          .doesNotHaveDuplicates()
          .doesNotContain(runner)
          .extracting(Thread::getName)
          .containsExactly("alpha", "beta", "gamma");
      assertThat(blockers).extracting(b -> b.thread.get().isDaemon()).containsOnly(true);
      go.countDown();
      runner.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(runner.isAlive()).isFalse();
    }

    @Test
    void theFirstReturnInterruptsEveryActorExactlyOnceAlsoTheOneThatReturned() {
      Group group = TestThreads.group();
      List<Blocker> blockers = addBlockers(group, "a", "b", "c");
      AtomicInteger firstInterrupts = new AtomicInteger();
      group.add("first", () -> {}, cause -> firstInterrupts.incrementAndGet());

      Exit exit = group.run();

      assertThat(blockers).extracting(b -> b.interrupts.get()).containsOnly(1);
      assertThat(firstInterrupts).hasValue(1);
      assertThat(exit.firstActor()).hasValue("first");
    }

    @Test
    void runReturnsOnlyWhenEveryActorHasReturned() {
      Group group = TestThreads.group();
      CountDownLatch interrupted = new CountDownLatch(1);
      CountDownLatch finishSlowly = new CountDownLatch(1);
      AtomicBoolean slowReturned = new AtomicBoolean();
      CountDownLatch slowStarted = new CountDownLatch(1);
      group.add(
          "slow",
          () -> {
            slowStarted.countDown();
            interrupted.await();
            finishSlowly.await();
            slowReturned.set(true);
          },
          cause -> interrupted.countDown());
      group.add("quick", slowStarted::await, cause -> {});
      // Lets the slow actor finish only some time after its interrupt: run() must wait for it.
      Thread releaser =
          new Thread(
              () -> {
                try {
                  interrupted.await();
                  for (int i = 0; i < 1000; i++) {
                    Thread.yield();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                finishSlowly.countDown();
              });
      releaser.start();

      Exit exit = group.run();

      assertThat(slowReturned).isTrue();
      assertThat(exit.actors()).allMatch(Exit.Outcome::stopped);
    }

    /**
     * Covers a bug where an actor whose thread had not reached execute when the stop began was
     * skipped: an interrupt waiting for its own execute to return (an ordered shutdown) then waited
     * forever.
     */
    @Test
    void everyActorIsStartedEvenWhenTheGroupStopsWhileStartingThem() {
      AtomicInteger executed = new AtomicInteger();
      AtomicInteger interrupts = new AtomicInteger();
      AtomicReference<@Nullable Group> self = new AtomicReference<>();
      AtomicInteger made = new AtomicInteger();
      Group group =
          TestThreads.builder()
              .threadFactory(
                  task -> {
                    Thread thread = new Thread(task);
                    if (made.incrementAndGet() == 1) {
                      self.get().stop(); // the stop begins before the second actor is started
                    }
                    return thread;
                  })
              .build();
      self.set(group);
      for (String name : List.of("first", "second")) {
        CountDownLatch cancel = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        group.add(
            name,
            () -> {
              try {
                cancel.await();
                executed.incrementAndGet();
              } finally {
                closed.countDown();
              }
            },
            cause -> {
              interrupts.incrementAndGet();
              cancel.countDown();
              try {
                closed.await(); // ordered shutdown: wait until this actor has returned
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }

      Exit exit = group.run();

      assertThat(executed).hasValue(2);
      assertThat(interrupts).hasValue(2);
      assertThat(exit.actors())
          .allSatisfy(
              o -> {
                assertThat(o.started()).isTrue();
                assertThat(o.stopped()).isTrue();
              });
    }

    @Test
    void virtualThreadsComeFromTheGivenFactoryAndAreNamedAfterTheActor() throws Exception {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          Runtime.version().feature() >= 21, "virtual threads need Java 21+");
      Group group = Group.builder().threadFactory(TestThreads.virtualFactory()).build();
      AtomicReference<@Nullable Thread> seen = new AtomicReference<>();
      group.add("virtual-one", () -> seen.set(Thread.currentThread()), cause -> {});

      group.run();

      assertThat(TestThreads.isVirtual(seen.get())).isTrue();
      assertThat(seen.get().getName()).isEqualTo("virtual-one");
    }
  }

  @Nested
  class Point2TheCause {

    @Test
    void aNormalReturnStopsTheGroupWithANullCause() {
      Group group = TestThreads.group();
      List<Blocker> blockers = addBlockers(group, "a", "b");
      group.add("returns", () -> {}, cause -> {});

      Exit exit = group.run();

      assertThat(exit.error()).isNull();
      assertThat(blockers).allSatisfy(b -> assertThat(b.causes).containsExactly((Throwable) null));
    }

    @Test
    void theFirstActorsExceptionIsTheCauseGivenToEveryInterrupt() {
      Group group = TestThreads.group();
      List<Blocker> blockers = addBlockers(group, "a", "b");
      IllegalStateException boom = new IllegalStateException("boom");
      group.add("fails", returnsWhen(new CountDownLatch(0), boom));

      Exit exit = group.run();

      assertThat(exit.error()).isSameAs(boom);
      assertThat(blockers).allSatisfy(b -> assertThat(b.causes).containsExactly(boom));
    }
  }

  @Nested
  class Point3InterruptOrder {

    @Test
    void interruptsAreCalledInAddOrderOnTheThreadThatCalledRun() {
      Group group = TestThreads.group();
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 20; i++) {
        String name = "actor-" + i;
        CountDownLatch stop = new CountDownLatch(1);
        group.add(
            name,
            stop::await,
            cause -> {
              order.add(name);
              threads.add(Thread.currentThread());
              stop.countDown();
            });
      }
      group.add("trigger", () -> {}, cause -> order.add("trigger"));

      group.run();

      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        expected.add("actor-" + i);
      }
      expected.add("trigger");
      assertThat(order).containsExactlyElementsOf(expected);
      assertThat(threads).containsOnly(Thread.currentThread());
    }

    @Test
    void withAStopTimeoutInterruptsRunInAddOrderOnOneStopperThread() {
      Group group = TestThreads.builder().stopTimeout(Duration.ofSeconds(20)).build();
      List<Blocker> blockers = addBlockers(group, "a", "b", "c");
      group.add("trigger", () -> {}, cause -> {});

      group.run();

      assertThat(blockers).extracting(b -> b.interruptThread.get()).doesNotContainNull();
      Thread stopper = blockers.get(0).interruptThread.get();
      assertThat(stopper).isNotEqualTo(Thread.currentThread());
      assertThat(stopper.getName()).isEqualTo("run-group-stopper");
      assertThat(stopper.isDaemon()).as("a stopper never keeps the JVM alive").isTrue();
      assertThat(blockers).extracting(b -> b.interruptThread.get()).containsOnly(stopper);
    }
  }

  @Nested
  class Point4NothingThrownIsLost {

    @Test
    void anErrorFromExecuteIsTheActorsErrorAndTheGroups() {
      Group group = TestThreads.group();
      addBlockers(group, "a");
      AssertionError error = new AssertionError("broken invariant");
      group.add(
          "errs",
          () -> {
            throw error;
          },
          cause -> {});

      Exit exit = group.run();

      assertThat(exit.error()).isSameAs(error);
      assertThat(exit.actors().get(1).error()).isSameAs(error);
    }

    @Test
    void anInterruptThatThrowsIsRecordedAndTheOtherInterruptsAreStillCalled() {
      Group group = TestThreads.group();
      Blocker before = addBlockers(group, "before").get(0);
      RuntimeException interruptFailure = new RuntimeException("cannot interrupt");
      CountDownLatch stuckUntil = new CountDownLatch(1);
      group.add(
          "throwing",
          stuckUntil::await,
          cause -> {
            stuckUntil.countDown();
            throw interruptFailure;
          });
      Blocker after = addBlockers(group, "after").get(0);
      group.add("trigger", () -> {}, cause -> {});

      Exit exit = group.run();

      assertThat(before.interrupts).hasValue(1);
      assertThat(after.interrupts).hasValue(1);
      Exit.Outcome throwing = exit.actors().get(1);
      assertThat(throwing.interruptError()).isSameAs(interruptFailure);
      assertThat(throwing.interruptCompleted()).isTrue();
      assertThat(exit.error()).isNull();
    }

    @Test
    void aListenerThatThrowsNeverDisturbsTheGroupAndIsKeptInTheExit() {
      RuntimeException listenerFailure = new RuntimeException("listener bug");
      Group group =
          TestThreads.builder()
              .listener(
                  new GroupListener() {
                    @Override
                    public void actorStarted(String actor, Thread thread) {
                      throw listenerFailure;
                    }

                    @Override
                    public void groupStopping(@Nullable String first, @Nullable Throwable cause) {
                      throw listenerFailure;
                    }
                  })
              .build();
      Blocker blocker = addBlockers(group, "a").get(0);
      group.add("trigger", blocker.started::await, cause -> {});

      Exit exit = group.run();

      assertThat(blocker.interrupts).hasValue(1);
      assertThat(exit.listenerErrors()).hasSize(3).containsOnly(listenerFailure);
      assertThat(exit.firstActor()).hasValue("trigger");
    }

    @Test
    void aThreadThatCannotBeCreatedIsThatActorsErrorAndStopsTheGroup() {
      AtomicInteger made = new AtomicInteger();
      Group group =
          Group.builder()
              .threadFactory(task -> made.incrementAndGet() == 2 ? null : new Thread(task, "made"))
              .build();
      Blocker first = addBlockers(group, "first").get(0);
      group.add("unlucky", returnsWhen(new CountDownLatch(1), null));

      Exit exit = group.run();

      assertThat(exit.firstActor()).hasValue("unlucky");
      assertThat(exit.error()).isInstanceOf(RejectedExecutionException.class);
      Exit.Outcome unlucky = exit.actors().get(1);
      assertThat(unlucky.started()).isFalse();
      assertThat(unlucky.error()).isSameAs(exit.error());
      assertThat(first.interrupts).hasValue(1);
      assertThat(Thread.interrupted()).as("run() sets no interrupt flag of its own").isFalse();
    }
  }

  @Nested
  class Point5StopTimeout {

    @Test
    void anActorIgnoringItsInterruptIsAbandonedAfterTimeoutPlusGraceAndReported() throws Exception {
      CountDownLatch never = new CountDownLatch(1);
      AtomicBoolean sawThreadInterrupt = new AtomicBoolean();
      CountDownLatch sawIt = new CountDownLatch(1);
      Group group =
          TestThreads.builder()
              .stopTimeout(Duration.ofMillis(200))
              .stopGrace(Duration.ofMillis(200))
              .build();
      CountDownLatch stubbornStarted = new CountDownLatch(1);
      group.add(
          "stubborn",
          () -> {
            stubbornStarted.countDown();
            while (never.getCount() > 0) {
              try {
                never.await();
              } catch (InterruptedException e) {
                sawThreadInterrupt.set(true);
                sawIt.countDown();
              }
            }
          },
          cause -> {});
      group.add("trigger", stubbornStarted::await, cause -> {});
      try {
        long began = System.nanoTime();
        Exit exit = group.run();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        assertThat(tookMillis).isLessThan(10_000);
        assertThat(exit.actors().get(0).stopped()).isFalse();
        assertThat(exit.actors().get(0).started()).isTrue();
        assertThat(exit.allStopped()).isFalse();
        assertThat(exit.actors().get(1).stopped()).isTrue();
        assertThat(sawIt.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sawThreadInterrupt).isTrue();
      } finally {
        never.countDown();
      }
    }

    @Test
    void aBlockedInterruptDoesNotKeepTheLaterOnesFromBeingCalled() {
      CountDownLatch unblock = new CountDownLatch(1);
      Group group =
          TestThreads.builder()
              .stopTimeout(Duration.ofMillis(200))
              .stopGrace(Duration.ofMillis(500))
              .build();
      CountDownLatch stuckStop = new CountDownLatch(1);
      group.add(
          "stuck-interrupt",
          stuckStop::await,
          cause -> {
            stuckStop.countDown();
            while (unblock.getCount() > 0) {
              try {
                unblock.await();
              } catch (InterruptedException e) {
                // ignores interruption on purpose
              }
            }
          });
      Blocker later = addBlockers(group, "later").get(0);
      group.add("trigger", () -> {}, cause -> {});
      try {
        Exit exit = group.run();

        assertThat(later.interrupts).hasValue(1);
        assertThat(later.interruptThread.get().getName()).startsWith("run-group-stopper-");
        assertThat(later.interruptThread.get().isDaemon()).as("the group's own thread").isTrue();
        Exit.Outcome stuck = exit.actors().get(0);
        assertThat(stuck.interruptCompleted()).isFalse();
        assertThat(stuck.stopped()).isTrue();
        assertThat(exit.actors().get(1).interruptCompleted()).isTrue();
      } finally {
        unblock.countDown();
      }
    }

    @Test
    void nothingButTheListenersOnRunsThreadHoldsRunPastTimeoutPlusGrace() {
      CountDownLatch release = new CountDownLatch(1);
      try {
        // an actor deaf to everything, a blocked interrupt, a factory that blocks once the
        // stopper's thread is made
        AtomicInteger others = new AtomicInteger();
        Group group =
            Group.builder()
                .stopTimeout(Duration.ofMillis(200))
                .stopGrace(Duration.ofMillis(200))
                .threadFactory(
                    task -> {
                      if (!TestThreads.isActorTask(task) && others.incrementAndGet() > 1) {
                        awaitUpTo(release, 10_000);
                      }
                      Thread t = new Thread(task);
                      t.setDaemon(true);
                      return t;
                    })
                .build();
        group.add("deaf", () -> awaitUpTo(release, 10_000), cause -> {});
        group.add("stuck", () -> {}, cause -> awaitUpTo(release, 10_000));
        long began = System.nanoTime();
        Exit exit = group.run();
        ThreadHygieneExtension.allowNotStopped(exit);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began))
            .as("bound 400 ms; each of them blocks 10 s")
            .isLessThan(5_000);
        assertThat(exit.actors().get(0).stopped()).isFalse();
        assertThat(exit.actors().get(1).interruptCompleted()).isFalse();

        // a slow groupStopping listener is user code on run()'s thread: it does hold run()
        Group listened =
            Group.builder()
                .stopTimeout(Duration.ofMillis(50))
                .stopGrace(Duration.ZERO)
                .listener(
                    new GroupListener() {
                      @Override
                      public void groupStopping(@Nullable String first, @Nullable Throwable c) {
                        awaitUpTo(new CountDownLatch(1), 600);
                      }
                    })
                .build();
        listened.add("quick", () -> {}, cause -> {});
        long listenedBegan = System.nanoTime();
        listened.run();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - listenedBegan))
            .isGreaterThanOrEqualTo(550);
      } finally {
        release.countDown();
      }
    }

    /** Waits for {@code latch} up to {@code millis}, ignoring interrupts (keeping the flag). */
    private void awaitUpTo(CountDownLatch latch, long millis) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      boolean interrupted = false;
      while (true) {
        long left = deadline - System.nanoTime();
        try {
          if (left <= 0 || latch.await(left, TimeUnit.NANOSECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    @Test
    void withoutATimeoutTheGroupWaitsForASlowActor() {
      Group group = TestThreads.group();
      CountDownLatch interrupted = new CountDownLatch(1);
      AtomicBoolean finished = new AtomicBoolean();
      CountDownLatch slowStarted = new CountDownLatch(1);
      group.add(
          "slow",
          () -> {
            slowStarted.countDown();
            interrupted.await();
            for (int i = 0; i < 10_000; i++) {
              Thread.yield();
            }
            finished.set(true);
          },
          cause -> interrupted.countDown());
      group.add("trigger", slowStarted::await, cause -> {});

      Exit exit = group.run();

      assertThat(finished).isTrue();
      assertThat(exit.allStopped()).isTrue();
    }

    @Test
    void theGroupTellsItsStopTimeoutAndGrace() {
      Group bounded =
          Group.builder().stopTimeout(Duration.ofSeconds(3)).stopGrace(Duration.ZERO).build();

      assertThat(new Group().stopTimeout()).isEmpty();
      assertThat(new Group().stopGrace()).isEqualTo(Duration.ofSeconds(1));
      assertThat(bounded.stopTimeout()).hasValue(Duration.ofSeconds(3));
      assertThat(bounded.stopGrace()).isZero();
    }

    @Test
    void invalidTimeoutsAreRejectedNamingTheValue() {
      assertThatThrownBy(() -> Group.builder().stopTimeout(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("stopTimeout");
      assertThatThrownBy(() -> Group.builder().stopTimeout(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PT-1S");
      assertThatThrownBy(() -> Group.builder().stopGrace(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("stopGrace");
    }
  }

  @Nested
  class Point6StopFromOutside {

    @Test
    void stopFromAnotherThreadActsLikeAnActorReturningWithThatCause() throws Exception {
      Group group = TestThreads.group();
      List<Blocker> blockers = addBlockers(group, "a", "b");
      AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
      Thread runner = new Thread(() -> exit.set(group.run()));
      runner.start();
      for (Blocker blocker : blockers) {
        assertThat(blocker.started.await(10, TimeUnit.SECONDS)).isTrue();
      }
      Exception cause = new Exception("maintenance");

      group.stop(cause);
      group.stop(new Exception("second stop is ignored"));
      runner.join(TimeUnit.SECONDS.toMillis(10));

      assertThat(runner.isAlive()).isFalse();
      assertThat(exit.get().error()).isSameAs(cause);
      assertThat(exit.get().firstActor()).isEmpty();
      assertThat(blockers).allSatisfy(b -> assertThat(b.causes).containsExactly(cause));
    }

    @Test
    void stopBeforeRunIsStickyAndRunThenStartsAndInterruptsNothing() {
      Group group = TestThreads.group();
      Blocker blocker = addBlockers(group, "a").get(0);
      Exception cause = new Exception("never mind");

      group.stop(cause);
      Exit exit = group.run();

      assertThat(exit.error()).isSameAs(cause);
      assertThat(exit.actors())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.started()).isFalse();
                assertThat(o.stopped()).isTrue();
                assertThat(o.interruptCompleted()).isFalse();
              });
      assertThat(blocker.started.getCount()).isEqualTo(1);
      assertThat(blocker.interrupts).hasValue(0);
      assertThat(group.state()).isEqualTo(Group.State.STOPPED);
    }

    @Test
    void interruptingTheThreadInRunStopsTheGroupAndKeepsTheFlag() throws Exception {
      Group group = TestThreads.group();
      List<Blocker> blockers = addBlockers(group, "a", "b");
      AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
      AtomicBoolean flagAfterRun = new AtomicBoolean();
      Thread runner =
          new Thread(
              () -> {
                exit.set(group.run());
                flagAfterRun.set(Thread.currentThread().isInterrupted());
              });
      runner.start();
      for (Blocker blocker : blockers) {
        assertThat(blocker.started.await(10, TimeUnit.SECONDS)).isTrue();
      }

      runner.interrupt();
      runner.join(TimeUnit.SECONDS.toMillis(10));

      assertThat(runner.isAlive()).isFalse();
      assertThat(exit.get().error()).isInstanceOf(InterruptedException.class);
      assertThat(exit.get().firstActor()).isEmpty();
      assertThat(flagAfterRun).isTrue();
      assertThat(blockers).allSatisfy(b -> assertThat(b.interrupts).hasValue(1));
    }

    @Test
    void anInterruptWhileRunWaitsForTheActorsDoesNotShortenTheWaitAndKeepsTheFlag()
        throws Exception {
      Group group = TestThreads.group();
      CountDownLatch interrupted = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      // Its interrupt returns at once, but execute goes on until the test releases it: run()
      // then waits for it in the joins, where the test interrupts run()'s thread.
      group.add(
          "slow",
          () -> {
            while (true) {
              try {
                release.await();
                return;
              } catch (InterruptedException e) {
                // a virtual or platform thread may see a poke: only the latch ends it
              }
            }
          },
          cause -> interrupted.countDown());
      group.add("trigger", () -> {}, cause -> {});
      AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
      AtomicBoolean flagAfterRun = new AtomicBoolean();
      Thread runner =
          new Thread(
              () -> {
                exit.set(group.run());
                flagAfterRun.set(Thread.currentThread().isInterrupted());
              });
      runner.start();
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> TestThreads.waiting(runner));

      runner.interrupt();
      runner.join(200);
      boolean returnedBeforeRelease = !runner.isAlive();
      release.countDown();
      runner.join(TimeUnit.SECONDS.toMillis(10));

      assertThat(returnedBeforeRelease).as("run() returned before its actor ended").isFalse();
      assertThat(runner.isAlive()).isFalse();
      assertThat(exit.get().firstActor()).hasValue("trigger");
      assertThat(exit.get().actors()).allSatisfy(o -> assertThat(o.stopped()).isTrue());
      assertThat(flagAfterRun).isTrue();
    }

    @Test
    void stopDoesNotBlockEvenWhenCalledFromAnActor() {
      Group group = TestThreads.group();
      Blocker blocker = addBlockers(group, "a").get(0);
      AtomicReference<@Nullable Group> self = new AtomicReference<>(group);
      CountDownLatch after = new CountDownLatch(1);
      group.add(
          "stopper",
          () -> {
            self.get().stop();
            after.await();
          },
          cause -> after.countDown());

      Exit exit = group.run();

      assertThat(exit.firstActor()).isEmpty();
      assertThat(exit.error()).isNull();
      assertThat(blocker.interrupts).hasValue(1);
    }
  }

  @Nested
  class Point7ZeroActors {

    @Test
    void runWithNoActorsReturnsAtOnceWithAnEmptyExit() {
      Group group = TestThreads.group();

      Exit exit = group.run();

      assertThat(exit.actors()).isEmpty();
      assertThat(exit.error()).isNull();
      assertThat(exit.firstActor()).isEmpty();
      assertThat(group.state()).isEqualTo(Group.State.STOPPED);
    }
  }

  @Nested
  class Point8RunsOnceAndValidatesArguments {

    @Test
    void aSecondRunThrowsIllegalState() {
      Group group = TestThreads.group();
      group.run();

      assertThatThrownBy(group::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("runs once");
    }

    @Test
    void addAfterRunBeganThrowsIllegalState() throws Exception {
      Group group = TestThreads.group();
      Blocker blocker = addBlockers(group, "a").get(0);
      Thread runner = new Thread(group::run);
      runner.start();
      assertThat(blocker.started.await(10, TimeUnit.SECONDS)).isTrue();
      try {
        assertThatThrownBy(() -> group.add("late", new Blocker("late")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("late");
      } finally {
        group.stop();
        runner.join(TimeUnit.SECONDS.toMillis(10));
      }
    }

    @Test
    void nullArgumentsThrowNullPointerNamingTheArgument() {
      Group group = new Group();
      Interruptible actor = new Blocker("x");

      assertThatThrownBy(() -> group.add(nullValue())).hasMessage("actor");
      assertThatThrownBy(() -> group.add(nullValue(), actor)).hasMessage("name");
      assertThatThrownBy(() -> group.add("n", (Interruptible) nullValue())).hasMessage("actor");
      assertThatThrownBy(() -> group.add(nullValue(), cause -> {})).hasMessage("execute");
      assertThatThrownBy(() -> group.add(() -> {}, nullValue())).hasMessage("interrupt");
      assertThatThrownBy(() -> Group.builder().threadFactory(nullValue())).hasMessage("factory");
      assertThatThrownBy(() -> Group.builder().listener(nullValue())).hasMessage("listener");
      assertThatThrownBy(() -> Group.builder().stopTimeout(nullValue())).hasMessage("timeout");
    }

    @Test
    void duplicateOrBlankNamesAreRejectedAndUnnamedActorsGetUniqueNames() {
      Group group = new Group();
      group.add("db", new Blocker("db"));
      group.add(new Blocker("x"));
      group.add("actor-3", new Blocker("y"));
      group.add(new Blocker("z"));

      assertThatThrownBy(() -> group.add("db", new Blocker("db")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'db'");
      assertThatThrownBy(() -> group.add(" ", new Blocker("blank")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("blank");
      group.stop();
      assertThat(group.run().actors())
          .extracting(Exit.Outcome::name)
          .containsExactly("db", "actor-2", "actor-3", "actor-4");
    }

    @SuppressWarnings({"TypeParameterUnusedInFormals", "unchecked"})
    private static <T> T nullValue() {
      return (T) null;
    }
  }

  @Nested
  class Point9MemoryEffects {

    int beforeAdd;
    int writtenByActor;

    @Test
    void actionsBeforeAddAreSeenByExecuteAndActorWritesAreSeenAfterRun() {
      Group group = TestThreads.group();
      AtomicInteger seen = new AtomicInteger();
      beforeAdd = 42;
      group.add(
          "reader",
          () -> {
            seen.set(beforeAdd);
            writtenByActor = 7;
          },
          cause -> {});

      group.run();

      assertThat(seen).hasValue(42);
      assertThat(writtenByActor).isEqualTo(7);
    }
  }

  @Nested
  class Point10ReportsThroughListeners {

    @Test
    void listenerEventsArriveInOrderWithNamesThreadsAndTheExit() {
      List<String> events = new CopyOnWriteArrayList<>();
      AtomicReference<@Nullable Exit> stoppedWith = new AtomicReference<>();
      IllegalStateException boom = new IllegalStateException("boom");
      CountDownLatch bothStarted = new CountDownLatch(2);
      Group group =
          TestThreads.builder()
              .listener(
                  new GroupListener() {
                    @Override
                    public void actorStarted(String actor, Thread thread) {
                      events.add("started " + actor + " on " + thread.getName());
                      bothStarted.countDown();
                    }

                    @Override
                    public void actorReturned(String actor, @Nullable Throwable error) {
                      events.add("returned " + actor + " " + error);
                    }

                    @Override
                    public void groupStopping(@Nullable String first, @Nullable Throwable cause) {
                      events.add("stopping " + first + " " + cause);
                    }

                    @Override
                    public void groupStopped(Exit exit) {
                      stoppedWith.set(exit);
                      events.add("stopped");
                    }
                  })
              .build();
      CountDownLatch stop = new CountDownLatch(1);
      group.add("waiter", stop::await, cause -> stop.countDown());
      group.add(
          "failer",
          () -> {
            bothStarted.await();
            throw boom;
          },
          cause -> {});

      Exit exit = group.run();

      assertThat(events)
          .containsExactlyInAnyOrder(
              "started waiter on waiter",
              "started failer on failer",
              "returned failer " + boom,
              "stopping failer " + boom,
              "returned waiter null",
              "stopped");
      assertThat(events.get(events.size() - 1)).isEqualTo("stopped");
      assertThat(events.indexOf("returned failer " + boom))
          .isLessThan(events.indexOf("stopping failer " + boom));
      assertThat(events.indexOf("stopping failer " + boom))
          .isLessThan(events.indexOf("returned waiter null"));
      assertThat(stoppedWith.get()).isSameAs(exit);
    }
  }
}
