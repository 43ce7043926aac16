package dev.rungroup.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link ProcessTestApplication} as a real process started by {@code SpringApplication.run}
 * and checks how the process ends: the exit code follows the first actor, SIGTERM interrupts every
 * actor, and nothing holds the JVM past the stop timeout plus grace.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessIT {

  /** Bound on a child's start and on its end without a stop timeout in play. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /**
   * Spring Boot's log line once {@code SpringApplication.run} has refreshed the context. A SIGTERM
   * before it may find the context still starting, when Spring's shutdown hook can skip the close.
   */
  private static final String STARTED_APPLICATION = "Started ProcessTestApplication";

  /** Allowance for a loaded machine on top of a stop timeout, for the JVM's own shutdown. */
  private static final Duration SLACK = Duration.ofSeconds(4);

  @Test
  void actorReturningNormallyEndsTheProcessWithZeroAfterInterruptingTheOthers() throws Exception {
    try (ChildProcess child = ChildProcess.start("return")) {
      int code = child.awaitExit(PATIENCE);
      assertThat(code).as(child.output()).isZero();
      assertThat(child.lines())
          .as(child.output())
          .contains("RETURNING quick", "INTERRUPTED worker")
          .anyMatch(line -> line.contains("Actor 'quick.run' returned: stopping the group"));
    }
  }

  @Test
  void actorFailingEndsTheProcessWithOneAndLogsTheFailureOnce() throws Exception {
    try (ChildProcess child = ChildProcess.start("fail")) {
      int code = child.awaitExit(PATIENCE);
      assertThat(code).as(child.output()).isOne();
      assertThat(child.lines())
          .as(child.output())
          .contains("INTERRUPTED worker")
          .filteredOn(line -> line.contains("the failing actor failed"))
          .hasSize(1);
      assertThat(child.lines())
          .as(child.output())
          .anyMatch(line -> line.contains("Actor 'failing' failed: stopping the group"));
    }
  }

  @Test
  void exceptionImplementingExitCodeGeneratorGivesItsExitCode() throws Exception {
    try (ChildProcess child = ChildProcess.start("exit42")) {
      assertThat(child.awaitExit(PATIENCE)).as(child.output()).isEqualTo(42);
    }
  }

  /**
   * Covers a bug where the actors of a child context never ran: its {@code ActorGroup} was the
   * parent's, so the child's actor could not end the application, which ran on with the parent's.
   */
  @Test
  void actorOfAChildContextRunsAndItsReturnEndsTheProcessAfterInterruptingTheParentsActor()
      throws Exception {
    try (ChildProcess child = ChildProcess.start("child")) {
      int code = child.awaitExit(PATIENCE);
      assertThat(code).as(child.output()).isZero();
      assertThat(child.lines())
          .as(child.output())
          .contains("STARTED parentworker", "RETURNING childquick", "INTERRUPTED parentworker")
          .anyMatch(line -> line.contains("Actor 'childquick' returned: stopping the group"));
    }
  }

  @Test
  void misuseOfActorFailsTheStartWithSpringBootsReportNamingTheFix() throws Exception {
    try (ChildProcess child = ChildProcess.start("misuse")) {
      assertThat(child.awaitExit(PATIENCE)).as(child.output()).isOne();
      assertThat(child.lines())
          .as(child.output())
          .contains("APPLICATION FAILED TO START", "Description:", "Action:")
          .anyMatch(line -> line.contains("work(...) of bean 'withParameter'"))
          .anyMatch(line -> line.startsWith("remove the parameters"));
    }
  }

  @Test
  void sigtermInterruptsEveryActorAndEndsTheProcessWithinTheStopTimeout() throws Exception {
    Duration stopTimeout = Duration.ofSeconds(5);
    try (ChildProcess child =
        ChildProcess.start("block", "--run-group.stop-timeout=" + stopTimeout.toSeconds() + "s")) {
      child.awaitLine("STARTED first", PATIENCE);
      child.awaitLine("STARTED second", PATIENCE);
      child.awaitLine(STARTED_APPLICATION, PATIENCE);
      long began = System.nanoTime();
      child.terminate();
      int code = child.awaitExit(stopTimeout.plus(SLACK));
      Duration took = Duration.ofNanos(System.nanoTime() - began);
      assertThat(code).as("SIGTERM's usual exit code\n" + child.output()).isEqualTo(143);
      assertThat(child.lines())
          .as(child.output())
          .containsSubsequence("INTERRUPTED first", "INTERRUPTED second");
      assertThat(took).as(child.output()).isLessThan(stopTimeout);
    }
  }

  @Test
  void actorIgnoringItsInterruptCannotHoldTheProcessPastTheStopTimeoutAndGrace() throws Exception {
    Duration stopTimeout = Duration.ofSeconds(1);
    Duration grace = Duration.ofSeconds(1);
    try (ChildProcess child = ChildProcess.start("stubborn", "--run-group.stop-timeout=1s")) {
      child.awaitLine("STARTED polite", PATIENCE);
      child.awaitLine("STARTED stubborn", PATIENCE);
      child.awaitLine(STARTED_APPLICATION, PATIENCE);
      long began = System.nanoTime();
      child.terminate();
      int code = child.awaitExit(stopTimeout.plus(grace).plus(SLACK));
      Duration took = Duration.ofNanos(System.nanoTime() - began);
      assertThat(code).as(child.output()).isEqualTo(143);
      assertThat(took).as(child.output()).isGreaterThanOrEqualTo(stopTimeout);
      assertThat(child.lines())
          .as(child.output())
          .contains("INTERRUPTED polite", "IGNORED an interrupt")
          .anyMatch(
              line -> line.contains("'stubborn.work' did not return within the stop timeout"));
    }
  }
}
