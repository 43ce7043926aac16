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
 *       and in each run until the group is ready (every actor ready at once: started, or signalled
 *       for {@code readiness = SIGNALLED}; a one-shot actor once done);
 *   <li>{@code UP} once the group is ready, for as long as it runs: an actor restarting within its
 *       budget, or a one-shot actor done, keeps it {@code UP};
 *   <li>{@code OUT_OF_SERVICE} from the moment an actor returned that no restart follows and while
 *       the group stops, and once it stopped for any other reason than a failure: an actor returned
 *       normally (the application is closing), or the group was stopped from outside (context
 *       close, {@link dev.rungroup.spring.ActorGroup#stop(Throwable)});
 *   <li>{@code DOWN} once a failure stopped the group: its first actor to return failed, also when
 *       that failure spent the actor's restart budget.
 * </ul>
 *
 * <p>The details give the group's state, the actor that stopped it and why, and each actor's state
 * ({@code new}, {@code waiting}, {@code starting}, {@code running}, {@code restarting}, {@code
 * done}, {@code stopping}, {@code returned}, {@code failed}, {@code not-started}, {@code
 * not-stopped-in-time}) with whether it is {@code ready}, its {@code restarts} once it was
 * restarted, the actors it is {@code waitingFor} while waiting, and its exception's type and
 * message when it failed.
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
      details.put("ready", actor.ready());
      String leader = actor.leader();
      if (leader != null) {
        details.put("leader", leader);
        details.put("leading", actor.leading());
      }
      if (actor.restarts() > 0) {
        details.put("restarts", actor.restarts());
      }
      if (!actor.waitingFor().isEmpty()) {
        details.put("waitingFor", actor.waitingFor());
      }
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

  /**
   * While the group runs: {@code OUT_OF_SERVICE} once an actor returned that no restart follows
   * (the stop is about to begin); else {@code UP} once the group became ready, {@code UNKNOWN}
   * before.
   */
  private static Status running(GroupSnapshot group) {
    for (ActorSnapshot actor : group.actors()) {
      if (actor.state() == ActorState.RETURNED || actor.state() == ActorState.FAILED) {
        return Status.OUT_OF_SERVICE;
      }
    }
    return group.ready() && !group.actors().isEmpty() ? Status.UP : Status.UNKNOWN;
  }
}
