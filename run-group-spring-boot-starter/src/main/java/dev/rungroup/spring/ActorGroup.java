package dev.rungroup.spring;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The group of {@link Actor @Actor} beans of an application context, as a bean to inject: which
 * actors there are, where the current run is, how the last run ended, and a way to stop it.
 *
 * <p>Each start of the context (its refresh, or a {@code start()} after a {@code stop()}) runs a
 * fresh {@link Group}; this bean always describes the latest one. To follow the runs as they
 * happen, declare a {@link dev.rungroup.GroupListener} bean: it receives the events of every run.
 *
 * <p>All methods are thread-safe. All but {@link #awaitExit(Duration)} and {@link
 * #awaitReady(Duration)} return at once.
 */
public interface ActorGroup {

  /**
   * The names of the context's actors, in the order the group adds them: a topological order of
   * their {@link Actor#after() after} edges, ties by {@code @Order}, then registration. Without any
   * {@code after} that is also the order of their interrupts; with some, the interrupts follow the
   * reverse of the graph (each actor's dependents first).
   *
   * @return the names; empty if the context has no actor; unmodifiable
   */
  List<String> actorNames();

  /**
   * Where the latest run is.
   *
   * @return {@link Group.State#NEW} before the first run (and always when there is no actor);
   *     {@link Group.State#RUNNING} while the actors run; {@link Group.State#STOPPING} while they
   *     are interrupted and awaited; {@link Group.State#STOPPED} once the run ended and its {@link
   *     #exit()} is there (whoever sees {@code STOPPED} finds the {@code Exit})
   */
  Group.State state();

  /**
   * How the latest run ended.
   *
   * @return the {@link Exit} of the latest run once it ended; empty before the first run, while a
   *     run is going on, and when there is no actor
   */
  Optional<Exit> exit();

  /**
   * Waits until the latest run has ended, for instance in a test under Spring's TestContext
   * framework, where the group's end stops every actor but leaves the context open. If no run has
   * begun yet, waits for the first one to begin, then for its end.
   *
   * @param timeout how long to wait at most; zero or negative: do not wait
   * @return the {@link Exit} of the latest run once it ended (at once if it has ended already);
   *     empty on timeout, and at once when the context has no actor
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws NullPointerException if {@code timeout} is {@code null}
   * @since 0.2
   */
  Optional<Exit> awaitExit(Duration timeout) throws InterruptedException;

  /**
   * Waits until the latest run's group has become ready: every actor ready at once ({@link
   * Group#awaitReady(Duration)}). If no run has begun yet, waits for the first one to begin.
   *
   * @param timeout how long to wait at most; zero or negative: do not wait
   * @return {@code true} once the latest run's group has become ready (also if it stopped since);
   *     {@code false} on timeout, when that group began to stop without having become ready, and at
   *     once when the context has no actor
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws NullPointerException if {@code timeout} is {@code null}
   * @since 0.2
   */
  boolean awaitReady(Duration timeout) throws InterruptedException;

  /**
   * Stops the current run as if an actor had returned with {@code cause}: every actor is
   * interrupted in order, and {@code cause} becomes the run's {@link Exit#error()}. Unlike an actor
   * returning, this does not close the context nor exit the JVM: the application keeps running
   * without its actors (close the context for that). Does nothing if no run is going on.
   *
   * @param cause why the group stops, or {@code null}
   */
  void stop(@Nullable Throwable cause);
}
