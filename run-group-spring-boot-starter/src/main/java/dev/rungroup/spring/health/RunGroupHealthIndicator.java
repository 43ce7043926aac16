package dev.rungroup.spring.health;

import dev.rungroup.Group;
import dev.rungroup.spring.state.RunGroupActorStates;
import dev.rungroup.spring.state.RunGroupActorStates.ActorSnapshot;
import dev.rungroup.spring.state.RunGroupActorStates.ActorState;
import dev.rungroup.spring.state.RunGroupActorStates.GroupSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of the context's group of actors, contributed as {@code runGroup}.
 *
 * <ul>
 *   <li>{@code UNKNOWN} before the group's first run (and always when the context has no actor),
 *       and while some actor of a new run has not started yet;
 *   <li>{@code UP} while every actor runs;
 *   <li>{@code OUT_OF_SERVICE} while the group stops, and once it stopped for any other reason than
 *       a failed actor: an actor returned normally (the application is closing), or the group was
 *       stopped from outside (context close, {@link
 *       dev.rungroup.spring.ActorGroup#stop(Throwable)});
 *   <li>{@code DOWN} once the group stopped because its first actor to return failed.
 * </ul>
 *
 * <p>The details give the group's state, the actor that stopped it and why, and each actor's state
 * ({@code new}, {@code starting}, {@code running}, {@code stopping}, {@code returned}, {@code
 * failed}, {@code not-started}, {@code not-stopped-in-time}) with its exception type and message
 * when it failed.
 *
 * <p>Thread-safe: it reads consistent snapshots of the actors' states.
 *
 * @since 0.1
 */
public final class RunGroupHealthIndicator implements HealthIndicator {

  private final RunGroupActorStates states;

  /**
   * The health of the group whose actors {@code states} follows.
   *
   * @param states the live state of the context's actors
   */
  public RunGroupHealthIndicator(RunGroupActorStates states) {
    this.states = states;
  }

  @Override
  public Health health() {
    GroupSnapshot group = states.snapshot();
    Health.Builder health = Health.status(status(group));
    health.withDetail("state", group.state().name());
    if (group.firstActor() != null) {
      health.withDetail("firstActor", group.firstActor());
    }
    Throwable cause = group.cause();
    if (cause != null) {
      health.withDetail("cause", RunGroupActorStates.describe(cause));
    }
    Map<String, Object> actors = new LinkedHashMap<>();
    for (ActorSnapshot actor : group.actors()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("state", actor.state().toString());
      Throwable error = actor.error();
      if (error != null) {
        details.put("error", RunGroupActorStates.describe(error));
      }
      Throwable interruptError = actor.interruptError();
      if (interruptError != null) {
        details.put("interruptError", RunGroupActorStates.describe(interruptError));
      }
      actors.put(actor.name(), details);
    }
    return health.withDetail("actors", actors).build();
  }

  private static Status status(GroupSnapshot group) {
    Group.State state = group.state();
    return switch (state) {
      case NEW -> Status.UNKNOWN;
      case RUNNING -> running(group);
      case STOPPING -> Status.OUT_OF_SERVICE;
      case STOPPED -> group.actorFailed() ? Status.DOWN : Status.OUT_OF_SERVICE;
    };
  }

  /** UP when every actor runs; OUT_OF_SERVICE once one returned (the stop is about to begin). */
  private static Status running(GroupSnapshot group) {
    Status status = group.actors().isEmpty() ? Status.UNKNOWN : Status.UP;
    for (ActorSnapshot actor : group.actors()) {
      if (actor.outcome() != null) {
        return Status.OUT_OF_SERVICE;
      }
      if (actor.state() != ActorState.RUNNING) {
        status = Status.UNKNOWN;
      }
    }
    return status;
  }
}
