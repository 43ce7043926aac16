package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Regression tests for bugs of the ready-made actors ({@link Actors}). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActorsRegressionTest {

  /**
   * Covers a bug where {@code Actors.timer(ChronoUnit.FOREVER.getDuration())} threw {@code
   * ArithmeticException} at once instead of waiting until interrupted.
   */
  @Test
  void aTimerTooLongForNanosecondsWaitsUntilInterrupted() throws Exception {
    Interruptible timer = Actors.timer(ChronoUnit.FOREVER.getDuration());
    AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                timer.execute();
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !t.isAlive()
                    || t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING);
    assertThat(t.isAlive()).as("still waiting; thrown: %s", thrown.get()).isTrue();

    timer.interrupt(null);
    t.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(t.isAlive()).isFalse();
    assertThat(thrown.get()).isNull();
  }

  /**
   * Covers a bug where every group stopped before it ran left the shutdown hook of its {@code
   * Actors.jvmShutdown} registered (holding the group) for the life of the JVM: such a group calls
   * no interrupt, and only the interrupt removed the hook.
   */
  @Test
  void aGroupStoppedBeforeItRanLeavesNoShutdownHookBehind() throws Exception {
    int left = 0;
    for (int i = 0; i < 2_000; i++) {
      Group group = new Group();
      Interruptible shutdown = Actors.jvmShutdown(group);
      group.add("shutdown", shutdown);
      group.stop();
      if (i % 2 == 0) {
        group.run(); // and a group only stopped, never run, ends as well
      }
      if (Runtime.getRuntime().removeShutdownHook(hook(shutdown))) {
        left++;
      }
    }
    assertThat(left).as("shutdown hooks left registered").isZero();
  }

  /**
   * Covers a bug where an {@code Actors.jvmShutdown} that could not be added to its group (here:
   * its name was taken) left its hook registered after the group had ended.
   */
  @Test
  void aShutdownActorThatCouldNotBeAddedLeavesNoHookOnceItsGroupEnded() throws Exception {
    Group group = new Group();
    group.add("shutdown", () -> {}, c -> {});
    Interruptible shutdown = Actors.jvmShutdown(group);
    assertThatThrownBy(() -> group.add("shutdown", shutdown))
        .isInstanceOf(IllegalArgumentException.class);

    group.run();

    assertThat(Runtime.getRuntime().removeShutdownHook(hook(shutdown))).isFalse();
  }

  /**
   * Covers a bug where the shutdown hook of an {@code Actors.jvmShutdown} added first was removed
   * by its own interrupt, the first to be called: a signal during a slower interrupt called later
   * then halted the JVM in the middle of the stop, with interrupts not yet called.
   */
  @Test
  void theShutdownHookStaysWhileTheGroupStopsWhateverTheOrderItWasAddedIn() throws Exception {
    Group group = Group.builder().stopTimeout(Duration.ofSeconds(20)).build();
    Interruptible shutdown = Actors.jvmShutdown(group);
    group.add("shutdown", shutdown); // first: its interrupt is called first
    CountDownLatch slowInterrupt = new CountDownLatch(1);
    CountDownLatch checked = new CountDownLatch(1);
    AtomicBoolean registered = new AtomicBoolean();
    group.add(
        "slow",
        () -> {},
        c -> {
          slowInterrupt.countDown();
          awaitUpTo(checked, 20);
        });
    Thread[] hookHolder = {null};
    Thread runner = new Thread(group::run);
    runner.start();
    try {
      assertThat(slowInterrupt.await(20, TimeUnit.SECONDS)).isTrue();
      Thread hook = hook(shutdown);
      hookHolder[0] = hook;
      registered.set(Runtime.getRuntime().removeShutdownHook(hook));
      if (registered.get()) {
        Runtime.getRuntime().addShutdownHook(hook); // back, for the group's end to remove
      }
    } finally {
      checked.countDown();
    }
    runner.join(TimeUnit.SECONDS.toMillis(20));

    assertThat(runner.isAlive()).isFalse();
    assertThat(registered).as("registered while the later interrupt ran").isTrue();
    assertThat(Runtime.getRuntime().removeShutdownHook(hookHolder[0]))
        .as("removed once the group stopped")
        .isFalse();
  }

  /**
   * Covers a bug where the shutdown hook returned at once when it found the group {@code STOPPED}
   * while {@code run()} was still calling the {@code groupStopped} listeners, so the JVM could halt
   * before they ran, although the hook promises to wait until {@code run()} is about to return.
   */
  @Test
  void theShutdownHookWaitsForGroupStoppedListeners() throws Exception {
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Group group =
        Group.builder()
            .stopTimeout(Duration.ofSeconds(20))
            .listener(
                new GroupListener() {
                  @Override
                  public void groupStopped(Exit exit) {
                    inListener.countDown();
                    awaitUpTo(release, 20);
                  }
                })
            .build();
    Interruptible shutdown = Actors.jvmShutdown(group);
    group.add("shutdown", shutdown);
    group.add("first", () -> {}, c -> {});
    Thread runner = new Thread(group::run);
    runner.start();
    Method onShutdown = shutdown.getClass().getDeclaredMethod("onShutdown");
    onShutdown.setAccessible(true);
    AtomicBoolean hookReturned = new AtomicBoolean();
    Thread hookThread =
        new Thread(
            () -> {
              try {
                onShutdown.invoke(shutdown);
                hookReturned.set(true);
              } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      assertThat(inListener.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(group.state()).isEqualTo(Group.State.STOPPED);
      hookThread.start();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hookReturned.get() || hookThread.getState() == Thread.State.TIMED_WAITING);
      assertThat(hookReturned).as("the hook waits while groupStopped runs").isFalse();
    } finally {
      release.countDown();
    }
    hookThread.join(TimeUnit.SECONDS.toMillis(10));
    runner.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(hookReturned).isTrue();
    assertThat(runner.isAlive()).isFalse();
  }

  /**
   * Covers a bug where {@code Actors.completion} on a stage shared by many groups, as its javadoc
   * allows, left one callback on the stage per ended group: 2,000 groups that ended left 2,000
   * dependents on a future that never completes.
   */
  @Test
  void aSharedStageKeepsNoCallbackPerEndedGroup() throws Exception {
    CompletableFuture<String> shared = new CompletableFuture<>();
    for (int i = 0; i < 2_000; i++) {
      Group group = new Group();
      group.add("waits", Actors.completion(shared));
      group.add("first", () -> {}, c -> {});
      assertThat(group.run().firstActor()).hasValue("first");
    }
    assertThat(shared.getNumberOfDependents()).isLessThanOrEqualTo(1);
    assertThat(Actors.StageWaiters.waiting(shared)).as("no actor held per ended group").isZero();

    // it still works: a group waiting on it ends when it completes
    Group group = new Group();
    group.add("waits", Actors.completion(shared));
    CountDownLatch never = new CountDownLatch(1);
    group.add("other", never::await, c -> never.countDown());
    Thread runner = new Thread(group::run);
    runner.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Actors.StageWaiters.waiting(shared) == 1);
    assertThat(shared.getNumberOfDependents()).isEqualTo(1);
    shared.complete("done");
    runner.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(runner.isAlive()).isFalse();
  }

  static Thread hook(Interruptible shutdown) throws ReflectiveOperationException {
    Field field = shutdown.getClass().getDeclaredField("hook");
    field.setAccessible(true);
    return (Thread) field.get(shutdown);
  }

  private static void awaitUpTo(CountDownLatch latch, long seconds) {
    try {
      boolean unused = latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
