package dev.rungroup.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault tests of the starter as real processes ({@link FaultTestApplication}): signals during the
 * refresh, an actor's start and the stop; failures while beans are destroyed, of a later lifecycle,
 * of a bean created late and of the web server; an actor calling {@code System.exit}. Each checks
 * the exit code, that the process ends within its bound, and that every actor that printed {@code
 * STARTED x} also printed {@code INTERRUPTED x}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FaultIT {

  /** Bound on a child's start and on its end without a stop timeout in play. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Spring Boot's log line once {@code SpringApplication.run} has refreshed the context. */
  private static final String STARTED_APPLICATION = "Started FaultTestApplication";

  /** Allowance for a loaded machine on top of a stop timeout, for the JVM's own shutdown. */
  private static final Duration SLACK = Duration.ofSeconds(4);

  /** Exit code of a JVM ended by SIGTERM: 128 + 15. */
  private static final int SIGTERM_EXIT = 143;

  /** Exit code of a JVM ended by SIGINT: 128 + 2. */
  private static final int SIGINT_EXIT = 130;

  /** Exit code of a JVM whose main thread threw: what a failed SpringApplication.run gives. */
  private static final int FAILED_START_EXIT = 1;

  private static ChildProcess start(String scenario, String... springArgs) throws IOException {
    return ChildProcess.start(FaultTestApplication.class, false, scenario, springArgs);
  }

  /** Every actor that printed {@code STARTED x} printed {@code INTERRUPTED x}. */
  private static void assertEveryStartedActorInterrupted(ChildProcess child) {
    List<String> lines = child.lines();
    List<String> started =
        lines.stream()
            .filter(line -> line.startsWith("STARTED "))
            .map(line -> line.substring("STARTED ".length()))
            .toList();
    for (String actor : started) {
      assertThat(lines)
          .as("actor '%s' started, so its interrupt must have run\n%s", actor, child.output())
          .contains("INTERRUPTED " + actor);
    }
  }

  @Test
  void sigtermDuringTheRefreshEndsTheProcessBeforeAnyActorStarts() throws Exception {
    // The bean waits without a timeout: Spring's shutdown hook interrupts the starting thread.
    try (ChildProcess child = start("refresh")) {
      child.awaitLine("REFRESHING", PATIENCE);
      child.signal("TERM");
      int code = child.awaitExit(PATIENCE);
      assertThat(code).as(child.output()).isEqualTo(SIGTERM_EXIT);
      assertThat(child.lines())
          .as(child.output())
          .contains("REFRESH INTERRUPTED")
          .noneMatch(line -> line.startsWith("STARTED "));
    }
  }

  @Test
  void sigtermDuringATimedWaitOfTheRefreshClosesTheContextOnceTheRefreshEnded() throws Exception {
    // The bean waits with a timeout: Spring's shutdown hook waits for the refresh to end, the
    // actors start, and the close that follows interrupts them.
    Duration refreshWait = Duration.ofSeconds(3);
    try (ChildProcess child =
        start(
            "refresh",
            "--fault.refresh-wait-ms=" + refreshWait.toMillis(),
            "--run-group.stop-timeout=5s")) {
      child.awaitLine("REFRESHING", PATIENCE);
      child.signal("TERM");
      int code = child.awaitExit(refreshWait.plus(Duration.ofSeconds(5)).plus(SLACK));
      assertThat(code).as(child.output()).isEqualTo(SIGTERM_EXIT);
      assertThat(child.lines()).as(child.output()).contains("REFRESH WAITED");
      assertEveryStartedActorInterrupted(child);
    }
  }

  @Test
  void sigtermWhileAnActorIsStartingInterruptsEveryActor() throws Exception {
    Duration stopTimeout = Duration.ofSeconds(5);
    try (ChildProcess child = start("starting", "--run-group.stop-timeout=5s")) {
      child.awaitLine("STARTING slow", PATIENCE);
      long began = System.nanoTime();
      child.signal("TERM");
      int code = child.awaitExit(stopTimeout.plus(SLACK));
      Duration took = Duration.ofNanos(System.nanoTime() - began);
      assertThat(code).as(child.output()).isEqualTo(SIGTERM_EXIT);
      assertThat(child.lines())
          .as(child.output())
          .contains("INTERRUPTED slow", "START ABANDONED slow")
          .doesNotContain("RUNNING slow");
      assertEveryStartedActorInterrupted(child);
      assertThat(took).as(child.output()).isLessThan(stopTimeout);
    }
  }

  @Test
  void sigtermWhileTheGroupStopsLetsEveryInterruptRunAndEndsWithTheSignalsCode() throws Exception {
    Duration stopTimeout = Duration.ofSeconds(5);
    Duration grace = Duration.ofSeconds(1);
    try (ChildProcess child = start("stopping", "--run-group.stop-timeout=5s")) {
      child.awaitLine("INTERRUPTING slowstop", PATIENCE);
      long began = System.nanoTime();
      child.signal("TERM");
      int code = child.awaitExit(stopTimeout.plus(grace).plus(SLACK));
      Duration took = Duration.ofNanos(System.nanoTime() - began);
      // The signal's shutdown begins while the group is still stopping: its code wins, and the
      // group, stopped by the context close, no longer exits the JVM itself.
      assertThat(code).as(child.output()).isEqualTo(SIGTERM_EXIT);
      assertThat(child.lines())
          .as(child.output())
          .contains("RETURNING quick")
          .containsSubsequence("INTERRUPTED slowstop", "INTERRUPTED other", "INTERRUPTED quick");
      assertEveryStartedActorInterrupted(child);
      assertThat(took).as(child.output()).isLessThan(stopTimeout.plus(grace));
    }
  }

  @Test
  void actorFailingWhileAnotherBeansPreDestroyRunsDoesNotDeadlock() throws Exception {
    // Spring's shutdown phase gives up after one second, before the group's own stop timeout: the
    // beans are destroyed while an actor still runs, and the pool's @PreDestroy makes it fail.
    try (ChildProcess child =
        start(
            "predestroy",
            "--spring.lifecycle.timeout-per-shutdown-phase=1s",
            "--run-group.stop-timeout=20s")) {
      child.awaitLine("STARTED user", PATIENCE);
      child.awaitLine("STARTED steady", PATIENCE);
      child.awaitLine(STARTED_APPLICATION, PATIENCE);
      child.signal("TERM");
      int code = child.awaitExit(Duration.ofSeconds(10));
      assertThat(code).as(child.output()).isEqualTo(SIGTERM_EXIT);
      assertThat(child.lines())
          .as(child.output())
          .containsSubsequence(
              "INTERRUPTED user", "PREDESTROY pool, group STOPPING", "FAILING user")
          .contains("PREDESTROY pool done")
          .anyMatch(line -> line.contains("Actor 'user' failed"));
      assertEveryStartedActorInterrupted(child);
    }
  }

  /**
   * Regression: Spring's shutdown phase (1 s) gives up on the group before its stop timeout (5 s)
   * while a slow interrupt (2 s) runs; the group's {@code destroy()} must still wait for the group,
   * else the JVM halts before the next interrupt is called and before the outcome is logged.
   */
  @Test
  void shutdownPhaseShorterThanTheStopTimeoutStillLetsEveryInterruptRun() throws Exception {
    Duration stopTimeout = Duration.ofSeconds(5);
    try (ChildProcess child =
        start(
            "sigint",
            "--spring.lifecycle.timeout-per-shutdown-phase=1s",
            "--run-group.stop-timeout=5s")) {
      child.awaitLine("STARTED slowstop", PATIENCE);
      child.awaitLine("STARTED other", PATIENCE);
      child.awaitLine(STARTED_APPLICATION, PATIENCE);
      child.signal("TERM");
      int code = child.awaitExit(stopTimeout.plus(SLACK));
      assertThat(code).as(child.output()).isEqualTo(SIGTERM_EXIT);
      assertThat(child.lines())
          .as(child.output())
          .containsSubsequence("INTERRUPTING slowstop", "INTERRUPTED slowstop", "INTERRUPTED other")
          .anyMatch(line -> line.contains("Group of actors stopped"))
          // the operator's log says what stopped the group: the signal, through the JVM shutdown
          .anyMatch(
              line ->
                  line.contains(
                      "Stopping the group of actors: the JVM is shutting down (a signal such as"
                          + " SIGTERM or SIGINT, or System.exit)"));
      assertEveryStartedActorInterrupted(child);
    }
  }

  @Test
  void laterLifecycleFailingToStartEndsTheProcessAndInterruptsTheActors() throws Exception {
    try (ChildProcess child = start("lifecycle", "--run-group.phase=0")) {
      int code = child.awaitExit(PATIENCE);
      assertThat(code).as(child.output()).isEqualTo(FAILED_START_EXIT);
      assertThat(child.lines())
          .as(child.output())
          .contains("STARTED first", "STARTED second", "FAILING later lifecycle");
      assertEveryStartedActorInterrupted(child);
    }
  }

  @Test
  void beanCreationFailingAfterTheActorsStartedEndsTheProcessAndInterruptsThem() throws Exception {
    try (ChildProcess child = start("runner")) {
      int code = child.awaitExit(PATIENCE);
      assertThat(code).as(child.output()).isEqualTo(FAILED_START_EXIT);
      assertThat(child.lines())
          .as(child.output())
          .contains("STARTED first", "STARTED second", "CREATING broken")
          .anyMatch(line -> line.contains("the broken bean cannot be created"));
      assertEveryStartedActorInterrupted(child);
    }
  }

  /**
   * Phase {@code 2147483647} (above the web server) starts the group after the web server, so no
   * actor starts; phase {@code 0} (below it, as the default phase is) starts it before, so the
   * actors run when the server fails.
   */
  @ParameterizedTest(name = "run-group.phase={0}")
  @ValueSource(ints = {Integer.MAX_VALUE, 0})
  void webServerPortTakenFailsTheStartAndNoActorKeepsTheProcessAlive(int phase) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ChildProcess child =
            ChildProcess.start(
                FaultTestApplication.class,
                true,
                "actors",
                "--server.port=" + taken.getLocalPort(),
                "--server.address=" + InetAddress.getLoopbackAddress().getHostAddress(),
                "--run-group.phase=" + phase)) {
      int code = child.awaitExit(PATIENCE);
      assertThat(code).as(child.output()).isEqualTo(FAILED_START_EXIT);
      assertThat(child.lines())
          .as(child.output())
          .anyMatch(line -> line.contains(String.valueOf(taken.getLocalPort())))
          .contains("APPLICATION FAILED TO START");
      if (phase == Integer.MAX_VALUE) {
        assertThat(child.lines()).as(child.output()).noneMatch(l -> l.startsWith("STARTED "));
      }
      assertEveryStartedActorInterrupted(child);
    }
  }

  @Test
  void sigintTwiceEndsWith130AndTheSecondDoesNotBreakTheShutdown() throws Exception {
    Duration stopTimeout = Duration.ofSeconds(5);
    try (ChildProcess child = start("sigint", "--run-group.stop-timeout=5s")) {
      child.awaitLine("STARTED slowstop", PATIENCE);
      child.awaitLine("STARTED other", PATIENCE);
      child.awaitLine(STARTED_APPLICATION, PATIENCE);
      long began = System.nanoTime();
      child.signal("INT");
      child.awaitLine("INTERRUPTING slowstop", PATIENCE);
      child.signal("INT");
      int code = child.awaitExit(stopTimeout.plus(SLACK));
      Duration took = Duration.ofNanos(System.nanoTime() - began);
      assertThat(code).as(child.output()).isEqualTo(SIGINT_EXIT);
      assertThat(child.lines())
          .as(child.output())
          .containsSubsequence("INTERRUPTED slowstop", "INTERRUPTED other")
          .anyMatch(line -> line.contains("Group of actors stopped"));
      assertEveryStartedActorInterrupted(child);
      assertThat(took).as(child.output()).isLessThan(stopTimeout);
    }
  }

  /**
   * Covers a bug where a stop through {@code ActorGroup.stop(cause)} that came after an actor had
   * returned, while a slow interrupt still ran, kept the application up (here its web server)
   * without actors: the actor's return came first, so the process must end with its code.
   */
  @Test
  void lateStopAfterAnActorReturnedStillEndsTheProcessWithTheActorsCode() throws Exception {
    try (ChildProcess child =
        ChildProcess.start(
            FaultTestApplication.class,
            true,
            "latestop",
            "--server.port=0",
            "--server.address=" + InetAddress.getLoopbackAddress().getHostAddress())) {
      int code = child.awaitExit(PATIENCE);
      assertThat(code).as(child.output()).isZero();
      assertThat(child.lines())
          .as(child.output())
          .containsSubsequence("RETURNING quick", "STOPPING LATE", "INTERRUPTED slowstop")
          .anyMatch(line -> line.contains("Closing the application context and exiting the JVM"));
      assertEveryStartedActorInterrupted(child);
    }
  }

  @Test
  void actorCallingSystemExitEndsTheProcessWithItsCodeAfterInterruptingTheOthers()
      throws Exception {
    Duration stopTimeout = Duration.ofSeconds(2);
    Duration grace = Duration.ofSeconds(1);
    try (ChildProcess child = start("exit5", "--run-group.stop-timeout=2s")) {
      child.awaitLine("EXITING exiter", PATIENCE);
      long began = System.nanoTime();
      int code = child.awaitExit(stopTimeout.plus(grace).plus(SLACK));
      Duration took = Duration.ofNanos(System.nanoTime() - began);
      assertThat(code).as(child.output()).isEqualTo(5);
      assertThat(child.lines())
          .as(child.output())
          .contains("INTERRUPTED other", "INTERRUPTED exiter")
          .anyMatch(line -> line.contains("'exiter' did not return within the stop timeout"));
      assertEveryStartedActorInterrupted(child);
      // Its thread waits in System.exit for the shutdown hooks: the group waits for it in vain.
      assertThat(took).as(child.output()).isGreaterThanOrEqualTo(stopTimeout);
    }
  }
}
