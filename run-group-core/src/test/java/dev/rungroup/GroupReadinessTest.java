package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The group's readiness: {@code isReady()}, {@code awaitReady} and {@code groupReady}, for plain
 * actors, actors after plain ones, restarts, a stop first, a caller's interrupt.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupReadinessTest {

  /** Counts groupReady. */
  static final class Readies implements GroupListener {
    final AtomicInteger count = new AtomicInteger();

    @Override
    public void groupReady() {
      count.incrementAndGet();
    }
  }

  /** Runs {@code group} on a thread of its own. */
  static final class Runner {
    final AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    final Thread thread;

    Runner(Group group) {
      thread = new Thread(() -> exit.set(group.run()), "readiness-runner");
      thread.start();
    }

    Exit join() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(20));
      assertThat(thread.isAlive()).isFalse();
      Exit e = exit.get();
      assertThat(e).isNotNull();
      return e;
    }
  }

  private static Interruptible waiting(CountDownLatch began) {
    CountDownLatch done = new CountDownLatch(1);
    return Interruptible.of(
        () -> {
          began.countDown();
          TestThreads.await(done, 20);
        },
        c -> done.countDown());
  }

  @Test
  void aGroupOfPlainActorsBecomesReadyOnceAllBegan() throws Exception {
    Readies readies = new Readies();
    Group group = Group.builder().listener(readies).build();
    CountDownLatch began = new CountDownLatch(2);
    group.add("a", waiting(began));
    group.add("b", waiting(began));
    assertThat(group.isReady()).isFalse();
    assertThat(group.awaitReady(Duration.ZERO)).as("not running yet, no time").isFalse();
    Runner runner = new Runner(group);
    assertThat(group.awaitReady(Duration.ofSeconds(10))).isTrue();
    assertThat(group.isReady()).isTrue();
    group.stop();
    runner.join();
    assertThat(group.isReady()).as("latched").isTrue();
    assertThat(group.awaitReady(Duration.ZERO)).isTrue();
    assertThat(readies.count).hasValue(1);
  }

  @Test
  void anActorAfterAPlainActorStartsOnceThatOneBegan() throws Exception {
    CountDownLatch began = new CountDownLatch(2);
    Group group = new Group();
    group.add("plain", waiting(began));
    group.add("after", waiting(began), ActorOptions.defaults().after("plain"));
    Runner runner = new Runner(group);
    TestThreads.await(began, 10);
    assertThat(group.awaitReady(Duration.ofSeconds(10))).isTrue();
    group.stop();
    Exit exit = runner.join();
    assertThat(exit.actors()).allMatch(Exit.Outcome::started);
  }

  @Test
  void awaitReadyWakesAsTheGroupBecomesReady() throws Exception {
    AtomicReference<@Nullable ActorContext> context = new AtomicReference<>();
    CountDownLatch began = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "signalled",
        Interruptible.of(
            () -> {
              context.set(ActorContext.current());
              began.countDown();
              TestThreads.await(done, 20);
            },
            c -> done.countDown()),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));
    Runner runner = new Runner(group);
    TestThreads.await(began, 10);
    AtomicReference<@Nullable Boolean> answer = new AtomicReference<>();
    AtomicReference<Long> tookMillis = new AtomicReference<>(0L);
    Thread waiter =
        new Thread(
            () -> {
              long t = System.nanoTime();
              try {
                answer.set(group.awaitReady(Duration.ofSeconds(20)));
              } catch (InterruptedException e) {
                answer.set(null);
              }
              tookMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
            });
    waiter.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
    assertThat(group.isReady()).isFalse();
    context.get().ready();
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(answer.get()).isTrue();
    assertThat(tookMillis.get()).as("woken, not timed out").isLessThan(10_000);
    group.stop();
    runner.join();
  }

  @Test
  void awaitReadyReturnsFalseAtOnceWhenRunsCallerIsInterruptedBeforeTheGroupIsReady()
      throws Exception {
    CountDownLatch began = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "never-ready", waiting(began), ActorOptions.defaults().readiness(Readiness.SIGNALLED));
    Runner runner = new Runner(group);
    TestThreads.await(began, 10);
    AtomicReference<@Nullable Boolean> answer = new AtomicReference<>();
    AtomicReference<Long> tookMillis = new AtomicReference<>(0L);
    Thread waiter =
        new Thread(
            () -> {
              long t = System.nanoTime();
              try {
                answer.set(group.awaitReady(Duration.ofSeconds(20)));
              } catch (InterruptedException e) {
                answer.set(null);
              }
              tookMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
            });
    waiter.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
    runner.thread.interrupt();
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(answer.get()).isFalse();
    assertThat(tookMillis.get()).as("woken by the stop").isLessThan(10_000);
    Exit exit = runner.join();
    assertThat(exit.error()).isInstanceOf(InterruptedException.class);
    assertThat(exit.firstActor()).isEmpty();
    assertThat(group.isReady()).isFalse();
  }

  @Test
  void runReturnsWithItsCallersInterruptFlagSet() throws Exception {
    CountDownLatch began = new CountDownLatch(1);
    Group group = new Group();
    group.add("waiting", waiting(began));
    AtomicReference<Boolean> flag = new AtomicReference<>(false);
    AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    Thread runner =
        new Thread(
            () -> {
              exit.set(group.run());
              flag.set(Thread.currentThread().isInterrupted());
            });
    runner.start();
    TestThreads.await(began, 10);
    runner.interrupt();
    runner.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(flag.get()).isTrue();
    assertThat(exit.get()).isNotNull();
    assertThat(exit.get().error()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void awaitReadyWithNoTimeLeftAnswersAtOnce() throws Exception {
    Group group = new Group();
    assertThatThrownBy(() -> group.awaitReady(null)).isInstanceOf(NullPointerException.class);
    assertThat(group.awaitReady(Duration.ofSeconds(-1))).isFalse();
    assertThat(group.awaitReady(Duration.ZERO)).isFalse();
    assertThat(group.awaitReady(Duration.ofNanos(1))).isFalse();
    group.run();
    assertThat(group.awaitReady(Duration.ofSeconds(10)))
        .as("a group of zero actors never becomes ready")
        .isFalse();
  }

  @Test
  void groupReadyFiresOnceThoughARestartedActorIsReadyAgain() throws Exception {
    Readies readies = new Readies();
    CountDownLatch secondBegan = new CountDownLatch(1);
    CountDownLatch readyOnce = new CountDownLatch(1);
    AtomicInteger gets = new AtomicInteger();
    Group group =
        Group.builder()
            .listener(readies)
            .listener(
                new GroupListener() {
                  @Override
                  public void groupReady() {
                    readyOnce.countDown();
                  }
                })
            .build();
    group.add(
        "worker",
        () -> {
          int n = gets.getAndIncrement();
          if (n == 0) {
            return Interruptible.of(
                () -> {
                  TestThreads.await(readyOnce, 10);
                  throw new IllegalStateException("fails once the group is ready");
                },
                c -> {});
          }
          return waiting(secondBegan);
        },
        ActorOptions.defaults()
            .restart(RestartPolicy.onFailure().backoff(Duration.ZERO, Duration.ZERO).jitter(0)));
    Runner runner = new Runner(group);
    TestThreads.await(secondBegan, 10);
    await().atMost(Duration.ofSeconds(10)).until(() -> gets.get() == 2);
    group.stop();
    Exit exit = runner.join();
    assertThat(exit.actors().get(0).restarts()).isEqualTo(1);
    assertThat(readies.count).as("latched once").hasValue(1);
    assertThat(group.isReady()).isTrue();
  }

  @Test
  void aGroupThatStopsBeforeItIsReadyNeverBecomesReady() throws Exception {
    Readies readies = new Readies();
    AtomicReference<@Nullable ActorContext> context = new AtomicReference<>();
    CountDownLatch began = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Group group = Group.builder().listener(readies).build();
    group.add(
        "late",
        Interruptible.of(
            () -> {
              context.set(ActorContext.current());
              began.countDown();
              TestThreads.await(done, 20);
              ActorContext.current().ready(); // during the stop: too late for the group
            },
            c -> done.countDown()),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));
    Runner runner = new Runner(group);
    TestThreads.await(began, 10);
    group.stop();
    runner.join();
    assertThat(group.isReady()).isFalse();
    assertThat(group.awaitReady(Duration.ofSeconds(1))).isFalse();
    assertThat(readies.count).hasValue(0);
  }
}
