package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Regression tests for engine bugs found by the property tests ({@link GroupPropertiesTest}). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupRegressionTest {

  /**
   * Covers a bug where an actor whose thread was started, but had not yet reached its {@code
   * execute} when the stop timeout and grace ran out (here: held up in a slow {@code actorStarted}
   * listener), was reported as {@code stopped() == true} and never started, although its thread
   * was still alive and went on to call {@code execute} after {@code run()} had returned.
   */
  @Test
  void anActorWhoseThreadIsStillStartingAtTheDeadlineIsReportedAsNotStopped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch executed = new CountDownLatch(1);
    Group group = Group.builder()
        .stopTimeout(Duration.ofMillis(50))
        .stopGrace(Duration.ZERO)
        .listener(new GroupListener() {
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

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        if (latch.await(20, TimeUnit.SECONDS)) {
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

  /**
   * Covers a bug where, once the stop timeout ran out with an interrupt blocked, the interrupts
   * not called yet were handed to threads of their own but not given the grace: {@code run()}
   * returned at once if the actors had ended, reporting those interrupts as not completed, and
   * they ran only after {@code run()} had returned.
   */
  @Test
  void interruptsCalledAfterTheTimeoutGetTheGraceToComplete() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger laterInterrupts = new AtomicInteger();
    Group group = Group.builder().stopTimeout(Duration.ofMillis(100))
        .stopGrace(Duration.ofMillis(500)).build();
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
}
