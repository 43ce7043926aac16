package dev.rungroup.spring.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the leader actors hold their leadership, from {@code run-group.leadership.*}, checked.
 *
 * @param timeToLive how long a lock lives without renewal
 * @param renewInterval how often the leader renews and a standby tries
 * @param margin how long before the lock could expire an unconfirmed leader fences itself
 * @param namespace what the lock keys begin with: {@code spring.application.name}, or {@code null}
 *     when none is set
 */
record LeadershipSettings(
    Duration timeToLive, Duration renewInterval, Duration margin, @Nullable String namespace) {

  private static final String PREFIX = "run-group.leadership.";

  LeadershipSettings {
    Objects.requireNonNull(timeToLive, "timeToLive");
    Objects.requireNonNull(renewInterval, "renewInterval");
    Objects.requireNonNull(margin, "margin");
  }

  /** The defaults: 10 s, 500 ms, 2 s, no namespace. */
  static LeadershipSettings defaults() {
    return of(new RunGroupProperties.Leadership(), null);
  }

  /**
   * The settings the properties say.
   *
   * @param leadership the bound properties
   * @param applicationName {@code spring.application.name}, or {@code null}
   * @throws ActorDefinitionException naming the property, for a value out of range
   */
  static LeadershipSettings of(
      RunGroupProperties.Leadership leadership, @Nullable String applicationName) {
    Duration ttl = leadership.getTimeToLive();
    Duration renew = leadership.getRenewInterval();
    Duration margin = leadership.getMargin();
    if (ttl.isZero() || ttl.isNegative()) {
      throw outOfRange("time-to-live", ttl, "must be positive", "set a positive duration, as 10s");
    }
    if (renew.isZero() || renew.isNegative()) {
      throw outOfRange(
          "renew-interval", renew, "must be positive", "set a positive duration, as 500ms");
    }
    if (margin.isNegative() || margin.compareTo(ttl) >= 0) {
      throw outOfRange(
          "margin",
          margin,
          "must be zero or more and less than "
              + PREFIX
              + "time-to-live ("
              + ActorTuning.text(ttl)
              + ")",
          "set a margin below the time-to-live, as 2s for 10s");
    }
    if (renew.compareTo(ttl.minus(margin)) >= 0) {
      throw new ActorDefinitionException(
          PREFIX
              + "renew-interval ("
              + ActorTuning.text(renew)
              + ") must be less than "
              + PREFIX
              + "time-to-live less "
              + PREFIX
              + "margin ("
              + ActorTuning.text(ttl.minus(margin))
              + "): a leader that renews less often fences itself before its first renewal. Fix:"
              + " renew more often, or make the time-to-live longer.");
    }
    String namespace =
        applicationName == null || applicationName.isBlank() ? null : applicationName;
    return new LeadershipSettings(ttl, renew, margin, namespace);
  }

  /** The key of the lock of leadership {@code leader}: {@code <application name>.<leader>}. */
  String lockKey(String leader) {
    return namespace == null ? leader : namespace + "." + leader;
  }

  /** How long a leader may go without a confirmed renewal before it fences itself. */
  Duration fenceAfter() {
    return timeToLive.minus(margin);
  }

  private static ActorDefinitionException outOfRange(
      String property, Duration value, String rule, String fix) {
    return new ActorDefinitionException(
        PREFIX
            + property
            + " "
            + rule
            + ", was "
            + ActorTuning.text(value)
            + ". Fix: "
            + fix
            + ".");
  }
}
