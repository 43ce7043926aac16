package dev.rungroup.spring.autoconfigure;

import static dev.rungroup.spring.autoconfigure.TestActors.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import dev.rungroup.RestartPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
  void anActorReturningNormallyIsNamedAsTheOneThatStoppedTheGroupWithAHintAtOneShot(
      CapturedOutput output) {
    Group run = group(Group.builder());
    run.add("worker", () -> {}, cause -> {});
    run.run();
    assertThat(output.getAll())
        .containsPattern(
            "INFO .* Actor 'worker' returned: stopping the group of actors \\(an actor whose"
                + " normal return should end only itself, the others running on, is declared"
                + " @Actor\\(oneShot = true\\)\\)")
        .contains("Group of actors stopped");
  }

  @Test
  void theGroupBecomingReadyIsLoggedWithHowLongItTook(CapturedOutput output) {
    Group run = group(Group.builder());
    run.add("worker", () -> {}, cause -> {});
    run.run();
    assertThat(output.getAll()).containsPattern("INFO .* Group of actors ready in [0-9.]+m?s");
  }

  @Test
  void eachRestartIsLoggedAtWarnWithTheActorTheErrorTheRestartAndTheDelay(CapturedOutput output) {
    AtomicInteger attempts = new AtomicInteger();
    ActorOptions supervised =
        ActorOptions.defaults()
            .restart(
                RestartPolicy.onFailure()
                    .maxRestarts(2)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(10))
                    .jitter(0));
    Group run = group(Group.builder(), Map.of("flaky", supervised));
    run.add(
        "flaky",
        () ->
            Interruptible.of(
                () -> {
                  int attempt = attempts.incrementAndGet();
                  if (attempt <= 2) {
                    throw new IllegalStateException("attempt " + attempt);
                  }
                },
                cause -> {}),
        supervised);
    run.run();
    assertThat(output.getAll())
        .containsPattern(
            "WARN .* Actor 'flaky' failed \\(java.lang.IllegalStateException: attempt 1\\):"
                + " restarting it in 10ms \\(restart 1\\)")
        .containsPattern(
            "WARN .* Actor 'flaky' failed \\(java.lang.IllegalStateException: attempt 2\\):"
                + " restarting it in 10ms \\(restart 2\\)")
        .contains("Actor 'flaky' returned: stopping the group of actors");
  }

  @Test
  void aSpentRestartBudgetIsLoggedAtErrorWithTheActorItsFailuresTheWindowAndTheError(
      CapturedOutput output) {
    ActorOptions supervised =
        ActorOptions.defaults()
            .restart(
                RestartPolicy.onFailure()
                    .maxRestarts(5)
                    .within(Duration.ofMinutes(1))
                    .backoff(Duration.ZERO, Duration.ZERO));
    Group run = group(Group.builder(), Map.of("flaky", supervised));
    run.add(
        "flaky",
        () ->
            Interruptible.of(
                () -> {
                  throw new IllegalStateException("disk full");
                },
                cause -> {}),
        supervised);
    Exit exit = run.run();
    assertThat(exit.actors().get(0).restarts()).isEqualTo(5);
    assertThat(output.getAll())
        .containsPattern(
            "ERROR .* Actor 'flaky' failed 6 times within 1m: stopping the group of actors")
        .contains("java.lang.IllegalStateException: disk full");
  }

  @Test
  void aOneShotActorsNormalReturnIsNotLoggedAsStoppingTheGroup(CapturedOutput output)
      throws Exception {
    CountDownLatch migrated = new CountDownLatch(1);
    Group run = group(Group.builder(), Map.of("migration", ActorOptions.defaults().oneShot()));
    run.add(
        "migration",
        Interruptible.of(migrated::countDown, cause -> {}),
        ActorOptions.defaults().oneShot());
    run.add(
        "worker",
        () -> {
          TestActors.await(migrated);
        },
        cause -> {});
    run.run();
    assertThat(output.getAll())
        .doesNotContain("Actor 'migration' returned")
        .contains("Actor 'worker' returned: stopping the group of actors");
  }

  @Test
  void durationsAreWrittenAsPeopleWriteThem() {
    assertThat(RunGroupLogger.format(Duration.ofMinutes(1))).isEqualTo("1m");
    assertThat(RunGroupLogger.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(RunGroupLogger.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(RunGroupLogger.format(Duration.ofMillis(1250))).isEqualTo("1.25s");
    assertThat(RunGroupLogger.format(Duration.ofMillis(850))).isEqualTo("850ms");
    assertThat(RunGroupLogger.format(Duration.ofNanos(300_000))).isEqualTo("0.3ms");
    assertThat(RunGroupLogger.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void durationsAreRoundedHalfUpWithoutTrailingZeros() {
    assertThat(RunGroupLogger.format(Duration.ofNanos(50_000))).isEqualTo("0.1ms");
    assertThat(RunGroupLogger.format(Duration.ofNanos(49_999))).isEqualTo("0ms");
    assertThat(RunGroupLogger.format(Duration.ofNanos(6_849_999))).isEqualTo("6.8ms");
    assertThat(RunGroupLogger.format(Duration.ofNanos(6_850_000))).isEqualTo("6.9ms");
    assertThat(RunGroupLogger.format(Duration.ofNanos(999_960_000))).isEqualTo("1000ms");
    assertThat(RunGroupLogger.format(Duration.ofMillis(1050))).isEqualTo("1.05s");
    assertThat(RunGroupLogger.format(Duration.ofMillis(1001))).isEqualTo("1.001s");
    assertThat(RunGroupLogger.format(Duration.ofNanos(1_000_400_000))).isEqualTo("1s");
    assertThat(RunGroupLogger.format(Duration.ofNanos(1_999_500_000))).isEqualTo("2s");
    assertThat(RunGroupLogger.format(Duration.ofNanos(61_000_500_000L))).isEqualTo("61.001s");
  }

  @Test
  void durationsAreWrittenAsTheirDecimalValueRoundedHalfUpWouldBe() {
    Random random = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      // some exactly halfway between two written values: x.xx5 s, x.x5 ms
      int nanos =
          random.nextBoolean()
              ? 1 + random.nextInt(999_999_999)
              : random.nextInt(1000) * 1_000_000 + 500_000;
      Duration duration =
          random.nextBoolean()
              ? Duration.ofNanos(random.nextBoolean() ? nanos : nanos / 10)
              : Duration.ofSeconds(1 + random.nextInt(100_000), nanos);
      assertThat(RunGroupLogger.format(duration)).as("%s", duration).isEqualTo(decimal(duration));
    }
  }

  /**
   * A sub-second duration in milliseconds to one decimal, else in seconds to three (BigDecimal).
   */
  private static String decimal(Duration duration) {
    BigDecimal value =
        duration.getSeconds() == 0
            ? BigDecimal.valueOf(duration.getNano(), 6).setScale(1, RoundingMode.HALF_UP)
            : BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9))
                .setScale(3, RoundingMode.HALF_UP);
    BigDecimal stripped = value.stripTrailingZeros();
    String plain = (stripped.signum() == 0 ? BigDecimal.ZERO : stripped).toPlainString();
    return plain + (duration.getSeconds() == 0 ? "ms" : "s");
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
                + " (PT0.06S): left running, its thread at:")
        // where it is stuck: its thread's stack, as the line's throwable
        .containsPattern(
            "ThreadStack: actor 'stubborn' on thread 'stubborn' \\((WAITING|TIMED_WAITING)\\)")
        .containsPattern("\\s+at .*RunGroupLoggerTests\\.awaitIgnoringInterrupts")
        .containsPattern(
            "INFO .* Group of actors stopped after [0-9.]+m?s \\(the stop took [0-9.]+m?s\\):"
                + " stubborn left running, worker returned");
  }

  @Test
  void theLastLineSaysHowLongTheGroupRanAndEachActorsOutcome(CapturedOutput output) {
    ActorOptions supervised =
        ActorOptions.defaults()
            .restart(
                RestartPolicy.onFailure()
                    .maxRestarts(1)
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                    .jitter(0));
    Group run = group(Group.builder(), Map.of("flaky", supervised));
    CountDownLatch stopped = new CountDownLatch(1);
    run.add(
        "waiter",
        () -> {
          TestActors.await(stopped);
        },
        cause -> stopped.countDown());
    run.add(
        "flaky",
        () ->
            Interruptible.of(
                () -> {
                  throw new IllegalStateException("disk full");
                },
                cause -> {}),
        supervised);
    run.run();
    assertThat(output.getAll())
        .containsPattern(
            "INFO .* Group of actors stopped after [0-9.]+m?s \\(the stop took [0-9.]+m?s\\):"
                + " waiter returned, flaky failed \\(java.lang.IllegalStateException\\) after 1"
                + " restart");
  }

  @Test
  void aStopFromOutsideWithAReasonIsLoggedWithIt(CapturedOutput output)
      throws InterruptedException {
    Group run =
        Group.builder()
            .listener(
                new RunGroupLogger(
                    () -> Objects.requireNonNull(group.get()),
                    name -> ActorOptions.defaults(),
                    () -> "the application context is closing"))
            .build();
    group.set(run);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    run.add(
        "worker",
        () -> {
          started.countDown();
          TestActors.await(stopped);
        },
        cause -> stopped.countDown());
    Thread stopper =
        new Thread(
            () -> {
              try {
                TestActors.await(started);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              run.stop(null);
            },
            "stopper");
    stopper.start();
    run.run();
    stopper.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertThat(output.getAll())
        .contains("Stopping the group of actors: the application context is closing")
        .containsPattern("Group of actors stopped after [0-9.]+m?s \\(the stop took");
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
    return group(builder, Map.of());
  }

  /** Builds the group with the logger of actors with {@code options} as its listener. */
  private Group group(Group.Builder builder, Map<String, ActorOptions> options) {
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
                    },
                    name -> options.getOrDefault(name, ActorOptions.defaults())))
            .build();
    group.set(built);
    return built;
  }
}
