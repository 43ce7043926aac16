package dev.rungroup.spring.endpoint;

import dev.rungroup.spring.state.RunGroupActorStates;
import dev.rungroup.spring.state.RunGroupActorStates.ActorSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code actors} endpoint: the actors of the context's group, in their order, with where each
 * is, whether it is ready, on which thread, since when, how often it was restarted, and how it
 * ended. Read-only: stopping the application stays with Spring's {@code shutdown} endpoint.
 *
 * <p>Thread-safe: it reads consistent snapshots of the actors' states.
 *
 * @since 0.1
 */
@Endpoint(id = "actors")
public final class ActorsEndpoint {

  private final RunGroupActorStates states;

  /**
   * The endpoint of the group whose actors {@code states} follows.
   *
   * @param states the live state of the context's actors
   */
  public ActorsEndpoint(RunGroupActorStates states) {
    this.states = states;
  }

  /**
   * All actors, in order.
   *
   * @return the actors of the latest run (before the first run: every actor in state {@code new})
   */
  @ReadOperation
  public ActorsDescriptor actors() {
    List<ActorDescriptor> actors = new ArrayList<>();
    for (ActorSnapshot actor : states.snapshot().actors()) {
      actors.add(ActorDescriptor.of(actor));
    }
    return new ActorsDescriptor(List.copyOf(actors));
  }

  /**
   * One actor.
   *
   * @param name the actor's name
   * @return the actor, or {@code null} (404 over HTTP) if there is no actor of that name
   */
  @ReadOperation
  public @Nullable ActorDescriptor actor(@Selector String name) {
    ActorSnapshot actor = states.snapshot().actor(name);
    return actor == null ? null : ActorDescriptor.of(actor);
  }

  /**
   * The response of {@code GET /actuator/actors}.
   *
   * @param actors the actors, in their order
   */
  public record ActorsDescriptor(List<ActorDescriptor> actors) implements OperationResponseBody {}

  /**
   * One actor. Absent values ({@code null}) are left out of the JSON.
   *
   * @param name the actor's name
   * @param state {@code new}, {@code waiting}, {@code starting}, {@code running}, {@code
   *     restarting}, {@code done}, {@code standby}, {@code stopping}, {@code returned}, {@code
   *     failed}, {@code not-started} or {@code not-stopped-in-time}
   * @param ready whether the actor is ready (its current incarnation became ready and has not
   *     returned, or it is a one-shot actor that is done)
   * @param thread the name of the thread running it, once started
   * @param threadKind {@code platform} or {@code virtual}, once started
   * @param startTime when the {@code execute} of its latest incarnation began (ISO-8601 instant),
   *     once started
   * @param runningTime how long that {@code execute} ran, or has been running so far (ISO-8601
   *     duration), once started
   * @param timeToReady how long after the beginning of the run it first became ready (ISO-8601
   *     duration), once it did
   * @param restarts how many times its restart policy restarted it in this run, once it did
   * @param after the actors it starts after, when it has some
   * @param waitingFor while it is {@code waiting}: those of {@code after} that are not ready yet
   * @param outcome {@code normal} or {@code failed} once {@code execute} returned
   * @param error for a failed actor (or one restarting after a failure): the exception's {@code
   *     type} and {@code message}
   * @param interruptError what its {@code interrupt} threw, as {@code type} and {@code message}
   * @param firstToReturn {@code true} for the actor whose return stopped the group
   * @param leader for a leader actor: the name of its leadership
   * @param leading for a leader actor: whether this replica holds its leadership ({@code state} is
   *     {@code standby} while it does not)
   */
  public record ActorDescriptor(
      String name,
      String state,
      boolean ready,
      @Nullable String thread,
      @Nullable String threadKind,
      @Nullable String startTime,
      @Nullable String runningTime,
      @Nullable String timeToReady,
      @Nullable Integer restarts,
      @Nullable List<String> after,
      @Nullable List<String> waitingFor,
      @Nullable String outcome,
      @Nullable Map<String, String> error,
      @Nullable Map<String, String> interruptError,
      @Nullable Boolean firstToReturn,
      @Nullable String leader,
      @Nullable Boolean leading)
      implements OperationResponseBody {

    static ActorDescriptor of(ActorSnapshot actor) {
      Instant startTime = actor.startTime();
      Duration runningTime = actor.runningTime();
      Duration timeToReady = actor.timeToReady();
      Throwable error = actor.error();
      Throwable interruptError = actor.interruptError();
      return new ActorDescriptor(
          actor.name(),
          actor.state().toString(),
          actor.ready(),
          actor.thread(),
          actor.threadKind(),
          startTime == null ? null : startTime.toString(),
          runningTime == null ? null : runningTime.toString(),
          timeToReady == null ? null : timeToReady.toString(),
          actor.restarts() > 0 ? actor.restarts() : null,
          actor.after().isEmpty() ? null : actor.after(),
          actor.waitingFor().isEmpty() ? null : actor.waitingFor(),
          actor.outcome(),
          error == null ? null : RunGroupActorStates.describe(error),
          interruptError == null ? null : RunGroupActorStates.describe(interruptError),
          actor.firstToReturn() ? Boolean.TRUE : null,
          actor.leader(),
          actor.leader() == null ? null : actor.leading());
    }
  }
}
