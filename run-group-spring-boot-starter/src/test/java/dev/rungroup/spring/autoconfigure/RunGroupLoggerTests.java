package dev.rungroup.spring.autoconfigure;

import static dev.rungroup.spring.autoconfigure.TestActors.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Group;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The log of one run, on its own over real groups. */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunGroupLoggerTests {

  private final AtomicReference<@Nullable Group> group = new AtomicReference<>();

  @Test
  void anActorReturningNormallyIsNamedAsTheOneThatStoppedTheGroup(CapturedOutput output) {
    Group run = group(Group.builder());
    run.add("worker", () -> {}, cause -> {});
    run.run();
    assertThat(output.getAll())
        .contains("Actor 'worker' returned: stopping the group of actors")
        .contains("Group of actors stopped");
  }

  @Test
  void aFailedActorAnotherFailureAndAFailedInterruptAreLogged(CapturedOutput output) {
    CountDownLatch serverStarted = new CountDownLatch(1);
    CountDownLatch serverStop = new CountDownLatch(1);
    Group run = group(Group.builder().stopTimeout(Duration.ofSeconds(WAIT_SECONDS)));
    run.add(
        "worker",
        () -> {
          TestActors.await(serverStarted);
          throw new IllegalStateException("worker broke");
        },
        cause -> {});
    run.add(
        "server",
        () -> {
          serverStarted.countDown();
          TestActors.await(serverStop);
        },
        cause -> {
          serverStop.countDown(); // stops it, and then fails
          throw new IllegalArgumentException("interrupt broke");
        });
    run.run();
    assertThat(output.getAll())
        .contains("Actor 'worker' failed: stopping the group of actors")
        .contains("worker broke")
        .contains("Interrupt of actor 'server' failed")
        .contains("interrupt broke")
        .contains("Group of actors stopped");
  }

  @Test
  void aStopFromOutsideIsLoggedWithItsCause(CapturedOutput output) {
    Group run = group(Group.builder());
    run.add("worker", () -> {}, cause -> {});
    run.stop(new IllegalStateException("asked to stop"));
    run.run();
    assertThat(output.getAll())
        .contains("Stopping the group of actors: java.lang.IllegalStateException: asked to stop")
        .contains("Group of actors stopped");
  }

  @Test
  void anActorLeftRunningIsLoggedWithTheGroupsStopTimeoutAndGrace(CapturedOutput output)
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Group run =
        group(Group.builder().stopTimeout(Duration.ofMillis(50)).stopGrace(Duration.ofMillis(60)));
    run.add(
        "stubborn",
        () -> {
          started.countDown();
          awaitIgnoringInterrupts(release);
        },
        cause -> {});
    run.add(
        "worker",
        () -> {
          TestActors.await(started);
        },
        cause -> {});
    try {
      run.run();
    } finally {
      release.countDown();
    }
    assertThat(output.getAll())
        .contains(
            "Actor 'stubborn' did not return within the stop timeout (PT0.05S) and grace"
                + " (PT0.06S): left running");
  }

  /**
   * Waits (bounded) for {@code latch}, deaf to interrupts: an actor the group must leave behind.
   */
  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (latch.getCount() > 0 && System.nanoTime() < deadline) {
      try {
        latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        // ignored on purpose: this actor does not return when interrupted
      }
    }
  }

  /** Builds the group with the logger as its listener. */
  private Group group(Group.Builder builder) {
    Group built =
        builder
            .listener(
                new RunGroupLogger(
                    () -> {
                      Group current = group.get();
                      if (current == null) {
                        throw new IllegalStateException("no group yet");
                      }
                      return current;
                    }))
            .build();
    group.set(built);
    return built;
  }
}
