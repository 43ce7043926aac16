package dev.rungroup;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Whether an actor that returns is restarted instead of stopping the group, and within what budget.
 * Immutable; the withers return a new policy.
 *
 * <ul>
 *   <li>{@link #never()} (the default): any return stops the group, as in wave 1.
 *   <li>{@link #onFailure()}: a failing incarnation is restarted; a normal return still stops the
 *       group (or, for a {@linkplain ActorOptions#oneShot() one-shot} actor, ends that actor only).
 *   <li>{@link #always()}: any return is restarted, normal or failing.
 * </ul>
 *
 * <p>Budget: a restart counts while it is younger than {@link #within(Duration) within} (a sliding
 * window); the restart that would make more than {@link #maxRestarts(int) maxRestarts} in the
 * window <em>escalates</em> instead: that failure stops the group. The n-th restart counted in the
 * window waits {@code min(max, initial × 2^(n−1))} times a random factor in {@code [1 − jitter, 1 +
 * jitter]}. Defaults: 5 restarts within one minute, backoff from 1 s up to 30 s, jitter 0.2.
 *
 * <p>The withers check only for {@code null}; the ranges (such as {@code maxRestarts >= 0}) are
 * checked when the policy is given to {@link Group#add(String, java.util.function.Supplier,
 * ActorOptions)}, whose error names the actor.
 *
 * @since 0.2
 */
public final class RestartPolicy {

  private enum Kind {
    NEVER,
    ON_FAILURE,
    ALWAYS
  }

  private static final RestartPolicy NEVER =
      new RestartPolicy(
          Kind.NEVER, 5, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);

  private final Kind kind;
  private final int maxRestarts;
  private final Duration within;

  /** {@link #within} in nanoseconds, saturated: read at every restart. */
  private final long withinNanos;

  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final double jitter;

  private RestartPolicy(
      Kind kind,
      int maxRestarts,
      Duration within,
      Duration backoffInitial,
      Duration backoffMax,
      double jitter) {
    this.kind = kind;
    this.maxRestarts = maxRestarts;
    this.within = within;
    this.withinNanos = BoundedStop.saturatedNanos(within);
    this.backoffInitial = backoffInitial;
    this.backoffMax = backoffMax;
    this.jitter = jitter;
  }

  /**
   * No restart: any return of the actor stops the group (the default).
   *
   * @return the policy
   */
  public static RestartPolicy never() {
    return NEVER;
  }

  /**
   * Restart a failing incarnation (one whose {@code execute} threw, or that missed its startup
   * timeout), with the default budget.
   *
   * @return the policy
   */
  public static RestartPolicy onFailure() {
    return NEVER.with(Kind.ON_FAILURE);
  }

  /**
   * Restart any incarnation that returns, normally or failing, with the default budget. Not for a
   * one-shot actor, whose normal return is its end.
   *
   * @return the policy
   */
  public static RestartPolicy always() {
    return NEVER.with(Kind.ALWAYS);
  }

  /**
   * How many restarts the window may hold; the next failure escalates. Default 5; 0 restarts
   * nothing.
   *
   * @param maxRestarts zero or more (checked at {@code add})
   * @return a new policy
   */
  public RestartPolicy maxRestarts(int maxRestarts) {
    return new RestartPolicy(kind, maxRestarts, within, backoffInitial, backoffMax, jitter);
  }

  /**
   * How long a restart counts against {@link #maxRestarts(int)}. Default one minute.
   *
   * @param window positive (checked at {@code add})
   * @return a new policy
   * @throws NullPointerException if {@code window} is {@code null}
   */
  public RestartPolicy within(Duration window) {
    Objects.requireNonNull(window, "window");
    return new RestartPolicy(kind, maxRestarts, window, backoffInitial, backoffMax, jitter);
  }

  /**
   * The delay before a restart: {@code initial} for the first in the window, doubling up to {@code
   * max}. Default 1 s up to 30 s; {@code backoff(Duration.ZERO, Duration.ZERO)} restarts at once.
   *
   * @param initial zero or positive (checked at {@code add})
   * @param max at least {@code initial} (checked at {@code add})
   * @return a new policy
   * @throws NullPointerException if an argument is {@code null}
   */
  public RestartPolicy backoff(Duration initial, Duration max) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    return new RestartPolicy(kind, maxRestarts, within, initial, max, jitter);
  }

  /**
   * How much each delay varies at random, as a fraction: the delay is multiplied by a factor drawn
   * from {@code [1 − jitter, 1 + jitter]}, so that replicas do not restart in step. Default 0.2.
   *
   * @param jitter from 0 to 1 (checked at {@code add})
   * @return a new policy
   */
  public RestartPolicy jitter(double jitter) {
    return new RestartPolicy(kind, maxRestarts, within, backoffInitial, backoffMax, jitter);
  }

  /**
   * Returns how many restarts the window may hold.
   *
   * @return how many restarts the window may hold
   */
  public int maxRestarts() {
    return maxRestarts;
  }

  /**
   * Returns how long a restart counts against the budget.
   *
   * @return how long a restart counts against the budget
   */
  public Duration within() {
    return within;
  }

  /** {@link #within()} in nanoseconds, or {@link Long#MAX_VALUE} if it is longer. */
  long withinNanos() {
    return withinNanos;
  }

  /**
   * Returns the delay before the first restart in the window.
   *
   * @return the delay before the first restart in the window
   */
  public Duration backoffInitial() {
    return backoffInitial;
  }

  /**
   * Returns the longest delay before a restart, before jitter.
   *
   * @return the longest delay before a restart, before jitter
   */
  public Duration backoffMax() {
    return backoffMax;
  }

  /**
   * Returns the fraction by which a delay varies at random.
   *
   * @return the fraction by which a delay varies at random
   */
  public double jitter() {
    return jitter;
  }

  /**
   * Whether a failing incarnation is restarted ({@code false} for {@link #never()} only).
   *
   * @return {@code true} for {@link #onFailure()} and {@link #always()}
   */
  public boolean restartsOnFailure() {
    return kind != Kind.NEVER;
  }

  /**
   * Whether a normal return is restarted too: this is {@link #always()}.
   *
   * @return {@code true} for {@link #always()}
   */
  public boolean restartsOnNormalReturn() {
    return kind == Kind.ALWAYS;
  }

  /** Whether an incarnation that failed ({@code failed}) or returned normally is restarted. */
  boolean restartsAfter(boolean failed) {
    return switch (kind) {
      case NEVER -> false;
      case ON_FAILURE -> failed;
      case ALWAYS -> true;
    };
  }

  /**
   * The delay of the n-th restart counted in the window ({@code n >= 1}), with jitter; saturated at
   * {@link Long#MAX_VALUE} nanoseconds.
   */
  long delayNanos(int n) {
    long max = BoundedStop.saturatedNanos(backoffMax);
    long base = BoundedStop.saturatedNanos(backoffInitial);
    for (int i = 1; i < n && base < max; i++) {
      base = BoundedStop.saturatedAdd(base, base);
    }
    base = Math.min(base, max);
    if (jitter == 0 || base == 0) {
      return base;
    }
    double factor = 1 - jitter + 2 * jitter * ThreadLocalRandom.current().nextDouble();
    double delay = base * factor;
    return delay >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) delay;
  }

  /**
   * Checks the ranges; the message names the actor.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  void check(String actor) {
    String problem = null;
    if (maxRestarts < 0) {
      problem = "maxRestarts must not be negative, was " + maxRestarts;
    } else if (within.isNegative() || within.isZero()) {
      problem = "within must be positive, was " + within;
    } else if (backoffInitial.isNegative()) {
      problem = "backoff initial must not be negative, was " + backoffInitial;
    } else if (backoffMax.compareTo(backoffInitial) < 0) {
      problem =
          "backoff max (" + backoffMax + ") must not be less than initial (" + backoffInitial + ")";
    } else if (!(jitter >= 0 && jitter <= 1)) {
      problem = "jitter must be from 0 to 1, was " + jitter;
    }
    if (problem != null) {
      throw new IllegalArgumentException("actor '" + actor + "': restart policy " + problem);
    }
  }

  private RestartPolicy with(Kind k) {
    return new RestartPolicy(k, maxRestarts, within, backoffInitial, backoffMax, jitter);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RestartPolicy p
        && p.kind == kind
        && p.maxRestarts == maxRestarts
        && p.within.equals(within)
        && p.backoffInitial.equals(backoffInitial)
        && p.backoffMax.equals(backoffMax)
        && Double.compare(p.jitter, jitter) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, maxRestarts, within, backoffInitial, backoffMax, jitter);
  }

  @Override
  public String toString() {
    String name =
        switch (kind) {
          case NEVER -> "never";
          case ON_FAILURE -> "onFailure";
          case ALWAYS -> "always";
        };
    return "RestartPolicy["
        + name
        + ", maxRestarts="
        + maxRestarts
        + " within "
        + within
        + ", backoff "
        + backoffInitial
        + ".."
        + backoffMax
        + ", jitter "
        + jitter
        + "]";
  }
}
