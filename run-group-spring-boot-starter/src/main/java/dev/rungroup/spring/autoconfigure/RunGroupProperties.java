package dev.rungroup.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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
   * The default lifecycle phase of the group: Spring Boot's {@code
   * WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024}, that is {@code
   * SmartLifecycle.DEFAULT_PHASE - 3072}, below the web server's lifecycles (its graceful shutdown
   * at {@code DEFAULT_PHASE - 1024}, its start and stop at {@code DEFAULT_PHASE - 2048}). The
   * actors start before the web server accepts requests, and on context close the web server stops
   * (draining its requests with {@code server.shutdown=graceful}) before the actors are
   * interrupted.
   */
  public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

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
   * How long each actor may take, from its own execute beginning (not counting the wait for the
   * actors it starts after), to become ready; one that is not fails with a StartupTimeoutException
   * (restarted under its restart policy, else stopping the group). Default: no limit.
   */
  private @Nullable Duration startupTimeout;

  /**
   * Whether each line logged on an actor's thread, while the actor runs, carries the actor's name
   * in the MDC key 'actor' (a field of structured logging; in a log pattern, the MDC conversion
   * word with the key actor). Needs SLF4J.
   */
  private boolean actorMdc = true;

  /** Defaults for every actor with @Actor(restart = ON_FAILURE or ALWAYS). */
  private final RestartDefaults restart = new RestartDefaults();

  /**
   * Settings of single actors, keyed by actor name in bracket form, as in
   * run-group.actors[consumer.poll].restart.max-restarts (the names of method actors contain a
   * dot): startup-timeout and restart.max-restarts, restart.within, restart.backoff-initial,
   * restart.backoff-max, restart.jitter, each overriding the default of the same name. A key that
   * names no actor fails the start.
   */
  private final Map<String, ActorProperties> actors = new LinkedHashMap<>();

  /** How the actors with @Actor(leader = ...) hold their leadership. */
  private final Leadership leadership = new Leadership();

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

  /**
   * How long each actor may take to become ready once its execute began.
   *
   * @return the startup timeout, or {@code null} (the default) for no limit
   */
  public @Nullable Duration getStartupTimeout() {
    return startupTimeout;
  }

  /**
   * Sets how long each actor may take to become ready once its execute began.
   *
   * @param startupTimeout a positive duration (checked when the group is configured), or {@code
   *     null} for no limit
   */
  public void setStartupTimeout(@Nullable Duration startupTimeout) {
    this.startupTimeout = startupTimeout;
  }

  /**
   * Whether lines logged on an actor's thread carry its name in the MDC key {@code actor}.
   *
   * @return {@code true} by default
   */
  public boolean isActorMdc() {
    return actorMdc;
  }

  /**
   * Sets whether lines logged on an actor's thread carry its name in the MDC key {@code actor}.
   *
   * @param actorMdc {@code false} to leave the MDC alone
   */
  public void setActorMdc(boolean actorMdc) {
    this.actorMdc = actorMdc;
  }

  /**
   * The restart defaults of the supervised actors.
   *
   * @return the defaults, never {@code null}
   */
  public RestartDefaults getRestart() {
    return restart;
  }

  /**
   * The settings of single actors, by actor name.
   *
   * @return the mutable map the properties are bound into
   */
  public Map<String, ActorProperties> getActors() {
    return actors;
  }

  /**
   * How the leader actors hold their leadership.
   *
   * @return the settings, never {@code null}
   * @since 0.2
   */
  public Leadership getLeadership() {
    return leadership;
  }

  /**
   * How the actors with {@code @Actor(leader = ...)} hold their leadership: the lock's
   * time-to-live, how often it is renewed, and the margin by which a leader stops its actors before
   * the lock could expire. Checked when the group is configured, naming the property.
   *
   * @since 0.2
   */
  public static class Leadership {

    /**
     * How long the lock of a leadership lives without renewal: a replica that crashed is replaced
     * after at most this plus one renew interval.
     */
    private Duration timeToLive = Duration.ofSeconds(10);

    /** How often the leader renews its lock, and a standby replica tries to take it. */
    private Duration renewInterval = Duration.ofMillis(500);

    /**
     * How long before the lock could expire a leader that could not renew it interrupts its leader
     * actors (self-fencing at time-to-live less margin, on the monotonic clock); it bounds the time
     * the actors have to return once interrupted, the clock skew between replicas and the pauses of
     * a process.
     */
    private Duration margin = Duration.ofSeconds(2);

    /**
     * How long the lock lives without renewal.
     *
     * @return ten seconds by default
     */
    public Duration getTimeToLive() {
      return timeToLive;
    }

    /**
     * Sets how long the lock lives without renewal.
     *
     * @param timeToLive a positive duration, more than the margin plus the renew interval
     */
    public void setTimeToLive(Duration timeToLive) {
      this.timeToLive = Objects.requireNonNull(timeToLive, "run-group.leadership.time-to-live");
    }

    /**
     * How often the lock is renewed or tried.
     *
     * @return 500 milliseconds by default
     */
    public Duration getRenewInterval() {
      return renewInterval;
    }

    /**
     * Sets how often the lock is renewed or tried.
     *
     * @param renewInterval a positive duration
     */
    public void setRenewInterval(Duration renewInterval) {
      this.renewInterval =
          Objects.requireNonNull(renewInterval, "run-group.leadership.renew-interval");
    }

    /**
     * How long before the lock could expire an unconfirmed leader fences itself.
     *
     * @return two seconds by default
     */
    public Duration getMargin() {
      return margin;
    }

    /**
     * Sets how long before the lock could expire an unconfirmed leader fences itself.
     *
     * @param margin zero or a positive duration, less than the time-to-live
     */
    public void setMargin(Duration margin) {
      this.margin = Objects.requireNonNull(margin, "run-group.leadership.margin");
    }
  }

  /**
   * How the actors with {@code @Actor(restart = ON_FAILURE or ALWAYS)} are restarted, unless an
   * actor's own {@code run-group.actors[<name>].restart.*} says otherwise: the values of the core's
   * {@link dev.rungroup.RestartPolicy} by default. The ranges are checked when the group is
   * configured, naming the property.
   */
  public static class RestartDefaults {

    /**
     * Most restarts an actor may have within the window; the failure that would make one more stops
     * the group. 0 restarts nothing.
     */
    private int maxRestarts = 5;

    /** How long a restart counts against max-restarts (a sliding window). */
    private Duration within = Duration.ofMinutes(1);

    /** Delay before the first restart in the window; it doubles with each further one. */
    private Duration backoffInitial = Duration.ofSeconds(1);

    /** Longest delay before a restart, before jitter. */
    private Duration backoffMax = Duration.ofSeconds(30);

    /**
     * Fraction, from 0 to 1, by which each delay varies at random, so that replicas do not restart
     * in step.
     */
    private double jitter = 0.2;

    /**
     * Most restarts within the window.
     *
     * @return 5 by default
     */
    public int getMaxRestarts() {
      return maxRestarts;
    }

    /**
     * Sets the most restarts within the window.
     *
     * @param maxRestarts zero or more
     */
    public void setMaxRestarts(int maxRestarts) {
      this.maxRestarts = maxRestarts;
    }

    /**
     * How long a restart counts against the budget.
     *
     * @return one minute by default
     */
    public Duration getWithin() {
      return within;
    }

    /**
     * Sets how long a restart counts against the budget.
     *
     * @param within a positive duration
     */
    public void setWithin(Duration within) {
      this.within = Objects.requireNonNull(within, "run-group.restart.within");
    }

    /**
     * The delay before the first restart in the window.
     *
     * @return one second by default
     */
    public Duration getBackoffInitial() {
      return backoffInitial;
    }

    /**
     * Sets the delay before the first restart in the window.
     *
     * @param backoffInitial zero or a positive duration
     */
    public void setBackoffInitial(Duration backoffInitial) {
      this.backoffInitial =
          Objects.requireNonNull(backoffInitial, "run-group.restart.backoff-initial");
    }

    /**
     * The longest delay before a restart.
     *
     * @return 30 seconds by default
     */
    public Duration getBackoffMax() {
      return backoffMax;
    }

    /**
     * Sets the longest delay before a restart.
     *
     * @param backoffMax at least the initial delay
     */
    public void setBackoffMax(Duration backoffMax) {
      this.backoffMax = Objects.requireNonNull(backoffMax, "run-group.restart.backoff-max");
    }

    /**
     * The fraction by which each delay varies at random.
     *
     * @return 0.2 by default
     */
    public double getJitter() {
      return jitter;
    }

    /**
     * Sets the fraction by which each delay varies at random.
     *
     * @param jitter from 0 to 1
     */
    public void setJitter(double jitter) {
      this.jitter = jitter;
    }
  }

  /**
   * The settings of one actor, {@code run-group.actors[<name>].*}: each one left unset takes the
   * default of the same name.
   */
  public static class ActorProperties {

    /** How long this actor may take to become ready once its execute began. */
    private @Nullable Duration startupTimeout;

    /** How this actor is restarted; only for an actor with a restart policy. */
    private final ActorRestart restart = new ActorRestart();

    /**
     * How long this actor may take to become ready once its execute began.
     *
     * @return the startup timeout, or {@code null} for run-group.startup-timeout
     */
    public @Nullable Duration getStartupTimeout() {
      return startupTimeout;
    }

    /**
     * Sets how long this actor may take to become ready once its execute began.
     *
     * @param startupTimeout a positive duration, or {@code null} for the default
     */
    public void setStartupTimeout(@Nullable Duration startupTimeout) {
      this.startupTimeout = startupTimeout;
    }

    /**
     * How this actor is restarted.
     *
     * @return the restart settings, never {@code null}
     */
    public ActorRestart getRestart() {
      return restart;
    }
  }

  /**
   * How one actor is restarted, {@code run-group.actors[<name>].restart.*}: each value left unset
   * ({@code null}) takes the one of {@code run-group.restart.*}.
   */
  public static class ActorRestart {

    /** Most restarts this actor may have within the window. */
    private @Nullable Integer maxRestarts;

    /** How long a restart of this actor counts against its max-restarts. */
    private @Nullable Duration within;

    /** Delay before this actor's first restart in the window. */
    private @Nullable Duration backoffInitial;

    /** Longest delay before a restart of this actor, before jitter. */
    private @Nullable Duration backoffMax;

    /** Fraction, from 0 to 1, by which each delay of this actor varies at random. */
    private @Nullable Double jitter;

    /**
     * Most restarts within the window.
     *
     * @return the value, or {@code null} for the default
     */
    public @Nullable Integer getMaxRestarts() {
      return maxRestarts;
    }

    /**
     * Sets the most restarts within the window.
     *
     * @param maxRestarts zero or more, or {@code null} for the default
     */
    public void setMaxRestarts(@Nullable Integer maxRestarts) {
      this.maxRestarts = maxRestarts;
    }

    /**
     * How long a restart counts against the budget.
     *
     * @return the value, or {@code null} for the default
     */
    public @Nullable Duration getWithin() {
      return within;
    }

    /**
     * Sets how long a restart counts against the budget.
     *
     * @param within a positive duration, or {@code null} for the default
     */
    public void setWithin(@Nullable Duration within) {
      this.within = within;
    }

    /**
     * The delay before the first restart in the window.
     *
     * @return the value, or {@code null} for the default
     */
    public @Nullable Duration getBackoffInitial() {
      return backoffInitial;
    }

    /**
     * Sets the delay before the first restart in the window.
     *
     * @param backoffInitial zero or a positive duration, or {@code null} for the default
     */
    public void setBackoffInitial(@Nullable Duration backoffInitial) {
      this.backoffInitial = backoffInitial;
    }

    /**
     * The longest delay before a restart.
     *
     * @return the value, or {@code null} for the default
     */
    public @Nullable Duration getBackoffMax() {
      return backoffMax;
    }

    /**
     * Sets the longest delay before a restart.
     *
     * @param backoffMax at least the initial delay, or {@code null} for the default
     */
    public void setBackoffMax(@Nullable Duration backoffMax) {
      this.backoffMax = backoffMax;
    }

    /**
     * The fraction by which each delay varies at random.
     *
     * @return the value, or {@code null} for the default
     */
    public @Nullable Double getJitter() {
      return jitter;
    }

    /**
     * Sets the fraction by which each delay varies at random.
     *
     * @param jitter from 0 to 1, or {@code null} for the default
     */
    public void setJitter(@Nullable Double jitter) {
      this.jitter = jitter;
    }
  }
}
