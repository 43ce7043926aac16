package dev.rungroup.spring.metrics;

import dev.rungroup.GroupListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Each incarnation of an actor as a Micrometer {@link Observation} named {@value #NAME}, with the
 * low-cardinality keys {@code actor} (its name) and {@code outcome} ({@code normal} or {@code
 * failed}, as the meter {@code rungroup.actor.exits}), and the incarnation's error: started on the
 * actor's thread just before its {@code execute}, stopped just after it returned. It is never
 * opened as the current scope, so a trace begun inside the actor is not one span as long as the
 * actor's life. With a meter handler on the registry (Spring Boot's, or the starter's own when the
 * context has a {@code MeterRegistry} and no {@code ObservationRegistry}) the observation is the
 * timer {@value #NAME}{@code {actor,outcome,error}} and the long task timer {@value #NAME}{@code
 * .active{actor}}. Turned off by an {@code ObservationPredicate} that refuses the name {@value
 * #NAME}.
 *
 * <p>Thread-safe: the group calls it on the actors' threads; each thread's open observation is in a
 * concurrent map, put and removed on that thread (one incarnation at a time per thread).
 */
final class RunGroupObservations implements GroupListener {

  /** The observation's name. */
  static final String NAME = "rungroup.actor";

  private final ObservationRegistry registry;

  /** The observation of the incarnation running on each actor thread. */
  private final Map<Thread, Observation> open = new ConcurrentHashMap<>();

  RunGroupObservations(ObservationRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void actorStarted(String actor, Thread thread) {
    Observation observation =
        Observation.createNotStarted(NAME, registry)
            .contextualName("actor " + actor)
            .lowCardinalityKeyValue("actor", actor)
            .start();
    open.put(Thread.currentThread(), observation);
  }

  @Override
  public void actorReturned(String actor, @Nullable Throwable error) {
    Observation observation = open.remove(Thread.currentThread());
    if (observation == null) {
      return;
    }
    observation.lowCardinalityKeyValue("outcome", error == null ? "normal" : "failed");
    if (error != null) {
      observation.error(error);
    }
    observation.stop();
  }
}
