package dev.rungroup.spring.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Configuration of the group of {@link dev.rungroup.spring.Actor @Actor} beans, prefix {@code
 * run-group}.
 */
@ConfigurationProperties("run-group")
public class RunGroupProperties {

  /**
   * The default lifecycle phase of the group: {@code SmartLifecycle.DEFAULT_PHASE - 4096}, below
   * Spring Boot's web server lifecycles (its graceful shutdown at {@code DEFAULT_PHASE - 1024}, its
   * start and stop at {@code DEFAULT_PHASE - 2048}), with room for other beans in between. The
   * actors start before the web server accepts requests, and on context close the web server stops
   * (draining its requests with {@code server.shutdown=graceful}) before the actors are
   * interrupted.
   */
  public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  /** Whether to run the context's @Actor beans as one group. */
  private boolean enabled = true;

  /**
   * Lifecycle phase of the group: it starts after, and stops before, the beans of lower phases. The
   * default is below the web server's lifecycles, so the actors run before the server accepts
   * requests and stop only once it has stopped (and, with server.shutdown=graceful, drained).
   */
  private int phase = DEFAULT_PHASE;

  /**
   * How long the group waits for its actors once it stops, before it interrupts their threads and
   * gives them the stop grace. Default: spring.lifecycle.timeout-per-shutdown-phase less the stop
   * grace, so that the group finishes within Spring's shutdown phase.
   */
  private @Nullable Duration stopTimeout;

  /**
   * How long the group waits, after the stop timeout ran out and the remaining actors' threads were
   * interrupted, before it leaves them running. Halved with the stop timeout when that is derived
   * from a shutdown phase shorter than twice the grace.
   */
  private Duration stopGrace = Duration.ofSeconds(1);

  /**
   * Whether the JVM exits with Spring's exit code once an actor returned and the context closed, in
   * an application started by SpringApplication.run (never in tests).
   */
  private boolean exitProcess = true;

  /**
   * Whether to run the context's actors.
   *
   * @return {@code true} by default
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets whether to run the context's actors.
   *
   * @param enabled {@code false} to leave them alone
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * The lifecycle phase of the group.
   *
   * @return {@link #DEFAULT_PHASE} by default
   */
  public int getPhase() {
    return phase;
  }

  /**
   * Sets the lifecycle phase of the group.
   *
   * @param phase any phase
   */
  public void setPhase(int phase) {
    this.phase = phase;
  }

  /**
   * How long the group waits for its actors once it stops.
   *
   * @return the stop timeout, or {@code null} for the default derived from {@code
   *     spring.lifecycle.timeout-per-shutdown-phase}
   */
  public @Nullable Duration getStopTimeout() {
    return stopTimeout;
  }

  /**
   * Sets how long the group waits for its actors once it stops.
   *
   * @param stopTimeout a positive duration, or {@code null} for the default
   * @throws IllegalArgumentException if {@code stopTimeout} is zero or negative
   */
  public void setStopTimeout(@Nullable Duration stopTimeout) {
    if (stopTimeout != null && (stopTimeout.isZero() || stopTimeout.isNegative())) {
      throw new IllegalArgumentException(
          "run-group.stop-timeout must be positive, was " + stopTimeout);
    }
    this.stopTimeout = stopTimeout;
  }

  /**
   * How long the group waits for interrupted threads after the stop timeout.
   *
   * @return one second by default
   */
  public Duration getStopGrace() {
    return stopGrace;
  }

  /**
   * Sets how long the group waits for interrupted threads after the stop timeout.
   *
   * @param stopGrace zero or a positive duration
   * @throws IllegalArgumentException if {@code stopGrace} is {@code null} or negative
   */
  public void setStopGrace(@Nullable Duration stopGrace) {
    if (stopGrace == null || stopGrace.isNegative()) {
      throw new IllegalArgumentException(
          "run-group.stop-grace must be zero or positive, was " + stopGrace);
    }
    this.stopGrace = stopGrace;
  }

  /**
   * Whether the JVM exits once an actor returned.
   *
   * @return {@code true} by default
   */
  public boolean isExitProcess() {
    return exitProcess;
  }

  /**
   * Sets whether the JVM exits once an actor returned.
   *
   * @param exitProcess {@code false} to only close the context
   */
  public void setExitProcess(boolean exitProcess) {
    this.exitProcess = exitProcess;
  }
}
