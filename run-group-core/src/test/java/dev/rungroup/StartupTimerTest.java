package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The startup timer: not before the timeout, the earliest deadline first, one thread that outlives
 * the timeouts it fires, none at all without a startup timeout, and what the timeout keeps.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StartupTimerTest {

  /** An actor that never signals, waits for its interrupt, then throws {@code thrown} if set. */
  private static Interruptible late(@Nullable RuntimeException thrown) {
    CountDownLatch interrupted = new CountDownLatch(1);
    return Interruptible.of(
        () -> {
          TestThreads.await(interrupted, 20);
          if (thrown != null) {
            throw thrown;
          }
        },
        c -> interrupted.countDown());
  }

  private static ActorOptions signalledWithin(Duration timeout) {
    return ActorOptions.defaults().readiness(Readiness.SIGNALLED).startupTimeout(timeout);
  }

  @Test
  void anActorNotReadyInTimeFailsWithTheTimeoutNotBeforeIt() {
    IllegalStateException own = new IllegalStateException("its own error, after the interrupt");
    Group group = new Group();
    group.add("late", late(own), signalledWithin(Duration.ofMillis(150)));
    long began = System.nanoTime();

    Exit exit = group.run();

    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    assertThat(tookMillis).isGreaterThanOrEqualTo(140);
    assertThat(exit.error()).isInstanceOf(StartupTimeoutException.class);
    StartupTimeoutException timeout = (StartupTimeoutException) exit.error();
    assertThat(timeout.actor()).isEqualTo("late");
    assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(150));
    assertThat(timeout).hasMessageContaining("'late'").hasMessageContaining("PT0.15S");
    assertThat(timeout.getSuppressed()).as("what execute threw is kept").containsExactly(own);
    assertThat(exit.firstActor()).hasValue("late");
  }

  @Test
  void anActorReadyInTimeDoesNotFail() {
    CountDownLatch done = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "prompt",
        Interruptible.of(
            () -> {
              ActorContext.current().ready();
              boolean unused = TestThreads.awaitUpTo(done, 1); // past its timeout, ready
            },
            c -> done.countDown()),
        signalledWithin(Duration.ofMillis(50)));

    Exit exit = group.run();

    assertThat(exit.error()).isNull();
    assertThat(exit.firstActor()).hasValue("prompt");
  }

  @Test
  void theEarliestDeadlineFiresFirstWhateverTheOrderTheyWereArmedIn() {
    CountDownLatch slowBegan = new CountDownLatch(1);
    CountDownLatch slowDone = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "slow",
        Interruptible.of(
            () -> {
              slowBegan.countDown();
              TestThreads.await(slowDone, 20);
            },
            c -> slowDone.countDown()),
        signalledWithin(Duration.ofSeconds(20)));
    group.add(
        "gate",
        Interruptible.of(
            () -> {
              TestThreads.await(slowBegan, 10); // so that quick is armed after slow
              ActorContext.current().ready();
              TestThreads.await(slowDone, 20);
            },
            c -> slowDone.countDown()),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));
    group.add("quick", late(null), signalledWithin(Duration.ofMillis(50)).after("gate"));
    long began = System.nanoTime();

    Exit exit = group.run();

    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)).isLessThan(10);
    assertThat(exit.firstActor()).hasValue("quick");
    assertThat(exit.error()).isInstanceOf(StartupTimeoutException.class);
  }

  @Test
  void theTimerOutlivesTheTimeoutsItFires() {
    AtomicInteger gets = new AtomicInteger();
    List<String> causes = new CopyOnWriteArrayList<>();
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorRestarting(
                      String actor, @Nullable Throwable error, int restart, Duration delay) {
                    causes.add(String.valueOf(error));
                  }
                })
            .build();
    group.add(
        "late",
        () -> {
          gets.incrementAndGet();
          return late(null);
        },
        signalledWithin(Duration.ofMillis(30))
            .restart(
                RestartPolicy.onFailure()
                    .maxRestarts(2)
                    .backoff(Duration.ZERO, Duration.ZERO)
                    .jitter(0)));

    Exit exit = group.run();

    assertThat(gets).as("three incarnations, each timed out").hasValue(3);
    assertThat(causes).hasSize(2).allMatch(c -> c.contains("startup timeout"));
    assertThat(exit.error()).isInstanceOf(StartupTimeoutException.class);
    assertThat(exit.actors().get(0).restarts()).isEqualTo(2);
  }

  @Test
  void withoutAStartupTimeoutThereIsNoTimerThread() {
    AtomicBoolean timerSeen = new AtomicBoolean();
    Group group = new Group();
    group.add("first", Interruptible.of(() -> {}, c -> {}));
    group.add(
        "after",
        Interruptible.of(
            () -> {
              for (Thread t : Thread.getAllStackTraces().keySet()) {
                timerSeen.compareAndSet(false, t.getName().equals(StartupTimer.THREAD_NAME));
              }
            },
            c -> {}),
        ActorOptions.defaults().after("first").readiness(Readiness.SIGNALLED));

    group.run();

    assertThat(timerSeen).isFalse();
  }

  @Test
  void withAStopTimeoutAnInterruptTheTimerCalledIsWaitedForUntilTheDeadline() {
    CountDownLatch never = new CountDownLatch(1);
    AtomicReference<@Nullable Thread> timerThread = new AtomicReference<>();
    Group group =
        Group.builder().stopTimeout(Duration.ofSeconds(20)).stopGrace(Duration.ZERO).build();
    CountDownLatch interrupted = new CountDownLatch(1);
    group.add(
        "late",
        Interruptible.of(
            () -> TestThreads.await(interrupted, 20),
            c -> {
              timerThread.set(Thread.currentThread());
              interrupted.countDown(); // execute returns, the group stops...
              boolean unused = TestThreads.awaitUpTo(never, 1); // ...while this still runs
            }),
        signalledWithin(Duration.ofMillis(30)));

    Exit exit = group.run();

    assertThat(timerThread.get()).isNotNull();
    assertThat(timerThread.get().getName()).isEqualTo(StartupTimer.THREAD_NAME);
    assertThat(exit.actors().get(0).interruptCompleted())
        .as("run() waited for it, well before its deadline")
        .isTrue();
  }
}
