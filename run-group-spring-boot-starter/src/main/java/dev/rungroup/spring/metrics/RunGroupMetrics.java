package dev.rungroup.spring.metrics;

import dev.rungroup.Exit;
import dev.rungroup.GroupListener;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.state.RunGroupActorStates;
import dev.rungroup.spring.state.RunGroupActorStates.ActorSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Micrometer meters of the group, fed by its events.
 *
 * <ul>
 *   <li>{@value #RUNNING} (gauge): how many actors are in {@code execute} now;
 *   <li>{@value #EXITS} (counter, tags {@code actor}, {@code outcome} = {@code normal} or {@code
 *       failed}): returns of {@code execute};
 *   <li>{@value #RESTARTS} (counter, tag {@code actor}): restarts under the actor's restart policy;
 *   <li>{@value #READY} (time gauge, tag {@code actor}): how long after the beginning of the latest
 *       run the actor first became ready in it ({@code NaN} until it did), read from the {@link
 *       RunGroupActorStates} of the context;
 *   <li>{@value #STOP} (timer): how long the group took to stop, from the beginning of the stop to
 *       the end of the run;
 *   <li>{@value #LEADERSHIP} (gauge, tag {@code leader}): 1 while this replica holds the
 *       leadership, else 0;
 *   <li>{@value #LEADERSHIP_CHANGES} (function counter, tag {@code leader}): how many times this
 *       replica gained or lost it.
 * </ul>
 *
 * How long each {@code execute} ran is the timer of the observation {@code rungroup.actor} ({@link
 * RunGroupObservations}), not a meter of this class.
 *
 * <p>The meters are registered at startup, once every singleton exists, and only if the context has
 * actors: without any, no group runs and there is nothing to meter. The counters and time gauges of
 * every actor start at zero (the gauges at {@code NaN}). Contexts that share one registry (a child
 * context using its parent's) share the meters: the gauge of running actors counts the actors of
 * all their groups, the per-actor meters are told apart by the actor's name.
 */
final class RunGroupMetrics implements GroupListener, SmartInitializingSingleton {

  static final String RUNNING = "rungroup.actors.running";
  static final String EXITS = "rungroup.actor.exits";
  static final String STOP = "rungroup.stop";
  static final String RESTARTS = "rungroup.actor.restarts";
  static final String READY = "rungroup.actor.ready.time";
  static final String LEADERSHIP = "rungroup.leadership";
  static final String LEADERSHIP_CHANGES = "rungroup.leadership.changes";

  /**
   * The running actors per registry, for all contexts that meter into it: Micrometer keeps the
   * first gauge registered under a name, so a second context's gauge would be ignored. Weak keys:
   * an entry goes with its registry. Guarded by itself.
   */
  private static final Map<MeterRegistry, AtomicInteger> RUNNING_BY_REGISTRY = new WeakHashMap<>();

  private final MeterRegistry registry;
  private final ActorGroup group;
  private final @Nullable RunGroupActorStates states;
  private final AtomicInteger running;

  /**
   * Registered in {@link #afterSingletonsInstantiated}, which comes before the group's first start;
   * that start happens-before every event of the group. {@code null}: the context has no actors.
   */
  private @Nullable Timer stopTimer;

  /** The actor threads in {@code execute} (events of one actor come on its own thread). */
  private final Set<Thread> actorStarted = ConcurrentHashMap.newKeySet();

  /** When each group thread began stopping its group. */
  private final Map<Thread, Long> stopStarts = new ConcurrentHashMap<>();

  /**
   * The meters of {@code group}.
   *
   * @param registry where the meters go
   * @param group the context's group
   * @param states the live state of its actors, for the time to ready; {@code null}: no such gauge
   */
  RunGroupMetrics(MeterRegistry registry, ActorGroup group, @Nullable RunGroupActorStates states) {
    this.registry = registry;
    this.group = group;
    this.states = states;
    synchronized (RUNNING_BY_REGISTRY) {
      this.running = RUNNING_BY_REGISTRY.computeIfAbsent(registry, r -> new AtomicInteger());
    }
  }

  @Override
  public void afterSingletonsInstantiated() {
    List<String> actors = group.actorNames();
    if (actors.isEmpty()) {
      return;
    }
    Gauge.builder(RUNNING, running, AtomicInteger::get)
        .description("Actors of the group running now")
        .register(registry);
    stopTimer =
        Timer.builder(STOP).description("Time the group of actors took to stop").register(registry);
    RunGroupActorStates leaderStates = states;
    if (leaderStates != null) {
      for (String leader : leaderStates.leaderships()) {
        Gauge.builder(LEADERSHIP, leaderStates, read -> read.leads(leader) ? 1 : 0)
            .description("Whether this replica holds the leadership (1) or not (0)")
            .tag("leader", leader)
            .register(registry);
        FunctionCounter.builder(
                LEADERSHIP_CHANGES, leaderStates, read -> read.leadershipChanges(leader))
            .description("Times this replica gained or lost the leadership")
            .tag("leader", leader)
            .register(registry);
      }
    }
    for (String actor : actors) {
      exits(actor, "normal");
      exits(actor, "failed");
      restarts(actor);
      RunGroupActorStates actorStates = states;
      if (actorStates != null) {
        TimeGauge.builder(
                READY,
                actorStates,
                TimeUnit.NANOSECONDS,
                readStates -> timeToReadyNanos(readStates, actor))
            .description(
                "How long after the beginning of the latest run the actor first became ready")
            .tag("actor", actor)
            .register(registry);
      }
    }
  }

  /** The actor's time to ready in the latest run, in nanoseconds; {@code NaN} until it is ready. */
  private static double timeToReadyNanos(RunGroupActorStates states, String actor) {
    ActorSnapshot snapshot = states.snapshot().actor(actor);
    Duration timeToReady = snapshot == null ? null : snapshot.timeToReady();
    return timeToReady == null ? Double.NaN : timeToReady.toNanos();
  }

  @Override
  public void actorRestarting(
      String actor, @Nullable Throwable error, int restart, Duration delay) {
    restarts(actor).increment();
  }

  @Override
  public void actorStarted(String actor, Thread thread) {
    actorStarted.add(thread);
    running.incrementAndGet();
  }

  @Override
  public void actorReturned(String actor, @Nullable Throwable error) {
    if (actorStarted.remove(Thread.currentThread())) {
      running.decrementAndGet();
    }
    exits(actor, error == null ? "normal" : "failed").increment();
  }

  @Override
  public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
    stopStarts.put(Thread.currentThread(), System.nanoTime());
  }

  @Override
  public void groupStopped(Exit exit) {
    Long start = stopStarts.remove(Thread.currentThread());
    Timer timer = stopTimer;
    if (start != null && timer != null) {
      timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private Counter exits(String actor, String outcome) {
    return Counter.builder(EXITS)
        .description("Returns of the actors' execute")
        .tag("actor", actor)
        .tag("outcome", outcome)
        .register(registry);
  }

  private Counter restarts(String actor) {
    return Counter.builder(RESTARTS)
        .description("Restarts of the actors under their restart policy")
        .tag("actor", actor)
        .register(registry);
  }
}
