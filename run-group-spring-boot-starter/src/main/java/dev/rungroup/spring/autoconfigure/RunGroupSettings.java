package dev.rungroup.spring.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the context's group, as resolved from the {@code run-group.*} properties.
 *
 * @param phase the lifecycle phase of the group
 * @param stopTimeout how long the group waits for its actors once it stops
 * @param stopGrace the last wait for interrupted threads after the stop timeout
 * @param exitProcess whether the JVM may exit once an actor returned (in a launched application)
 * @param threadFactory where the group's threads come from, or {@code null} for the group's default
 * @param tuning the actors' startup timeouts and restart budgets, checked
 * @param leadership how the leader actors hold their leadership, checked
 * @param actorMdc whether lines logged on an actor's thread carry its name in the MDC
 */
record RunGroupSettings(
    int phase,
    Duration stopTimeout,
    Duration stopGrace,
    boolean exitProcess,
    @Nullable ThreadFactory threadFactory,
    ActorTuning tuning,
    LeadershipSettings leadership,
    boolean actorMdc) {

  RunGroupSettings {
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(stopGrace, "stopGrace");
    Objects.requireNonNull(tuning, "tuning");
    Objects.requireNonNull(leadership, "leadership");
  }
}
