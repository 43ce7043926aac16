package dev.rungroup.spring.actuate;

import dev.rungroup.Group;
import dev.rungroup.spring.actuate.ActorStates.ActorSnapshot;
import dev.rungroup.spring.actuate.ActorStates.ActorState;
import dev.rungroup.spring.actuate.ActorStates.GroupSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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
 */
public final class ActorGroupHealthIndicator implements HealthIndicator {

  private final ActorStates states;

  ActorGroupHealthIndicator(ActorStates states) {
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
      health.withDetail("cause", describe(cause));
    }
    Map<String, Object> actors = new LinkedHashMap<>();
    for (ActorSnapshot actor : group.actors()) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("state", actor.state().toString());
      Throwable error = actor.error();
      if (error != null) {
        details.put("error", describe(error));
      }
      Throwable interruptError = actor.interruptError();
      if (interruptError != null) {
        details.put("interruptError", describe(interruptError));
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

  /** An exception as its type and message, as Spring's {@code Health.Builder} shows them. */
  static Map<String, String> describe(Throwable error) {
    Map<String, String> description = new LinkedHashMap<>();
    description.put("type", error.getClass().getName());
    @Nullable String message = error.getMessage();
    if (message != null) {
      description.put("message", message);
    }
    return description;
  }
}
