package dev.rungroup;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Group#run()} returns: why the group stopped and how each actor ended.
 *
 * <p>Instances are immutable, but for {@link #listenerErrors()}, which only grows, and are safe to
 * share between threads.
 *
 * @since 0.1
 */
public final class Exit {

  private final @Nullable Throwable error;
  private final @Nullable String firstActor;
  private final List<Outcome> actors;
  private final Collection<Throwable> listenerErrors;

  /**
   * @param listenerErrors a thread-safe collection the group keeps appending to
   */
  Exit(
      @Nullable Throwable error,
      @Nullable String firstActor,
      List<Outcome> actors,
      Collection<Throwable> listenerErrors) {
    this.error = error;
    this.firstActor = firstActor;
    this.actors = List.copyOf(actors);
    this.listenerErrors = listenerErrors;
  }

  /**
   * Why the group stopped, as oklog/run's {@code Run} returns it.
   *
   * @return the exception of the first actor to return; else the cause given to {@link
   *     Group#stop(Throwable)}, or the {@link InterruptedException} if the thread in {@code run()}
   *     was interrupted; {@code null} if the first actor returned normally or the group was stopped
   *     without a cause
   */
  public @Nullable Throwable error() {
    return error;
  }

  /**
   * The actor whose return stopped the group.
   *
   * @return its name; empty if the group was stopped from outside, or had no actors
   */
  public Optional<String> firstActor() {
    return Optional.ofNullable(firstActor);
  }

  /**
   * How each actor ended.
   *
   * @return one outcome per actor, in the order they were added; unmodifiable
   */
  public List<Outcome> actors() {
    return actors;
  }

  /**
   * Failures of {@link GroupListener} methods in this run, in the order they happened. They never
   * disturb the group; they are kept here so that none is lost. The list is read anew on each call:
   * it also holds failures of {@link GroupListener#groupStopped(Exit)} itself, and of {@link
   * GroupListener#actorReturned} for actors that returned after the stop timeout abandoned them.
   *
   * @return a snapshot of the exceptions listeners threw so far; unmodifiable, usually empty
   */
  public List<Throwable> listenerErrors() {
    return List.copyOf(listenerErrors);
  }

  /**
   * Whether every actor's {@code execute} returned before {@code run()} did.
   *
   * @return {@code false} if the stop timeout abandoned at least one actor
   */
  public boolean allStopped() {
    for (Outcome outcome : actors) {
      if (!outcome.stopped()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "Exit[firstActor="
        + firstActor
        + ", error="
        + error
        + ", actors="
        + actors.size()
        + (allStopped() ? "" : ", some not stopped")
        + "]";
  }

  /**
   * How one actor ended. For an actor {@linkplain RestartPolicy restarted}, the error and interrupt
   * fields are those of its last incarnation.
   *
   * @param name the actor's name
   * @param started whether its {@code execute} was called (by any incarnation); {@code false} when
   *     the group was stopped before this actor's thread started (or could not be created or
   *     started), or before the actors it starts {@linkplain ActorOptions#after(String...) after}
   *     were ready
   * @param stopped whether its {@code execute} returned before {@code run()} did, or never ran;
   *     {@code false} only for actors the stop timeout abandoned, still running
   * @param error what {@code execute} threw (for a startup timeout, the {@link
   *     StartupTimeoutException}), or {@code null} (also when it is still running); an actor whose
   *     thread could not be created or started, or whose supplier failed, has that failure here
   * @param interruptError what its {@code interrupt} threw, or {@code null}
   * @param interruptCompleted whether its {@code interrupt} was called and returned before {@code
   *     run()} did; {@code false} if it was never called (the group was stopped before it ran, or,
   *     for a supplier-form actor, before it started) or was still blocked when the stop timeout
   *     and grace ran out
   * @param restarts how many times the actor was restarted under its {@link RestartPolicy}; 0 for
   *     an actor without one
   * @since 0.1
   */
  public record Outcome(
      String name,
      boolean started,
      boolean stopped,
      @Nullable Throwable error,
      @Nullable Throwable interruptError,
      boolean interruptCompleted,
      int restarts) {

    /**
     * Creates an outcome.
     *
     * @param name the actor's name
     * @param started whether its {@code execute} was called
     * @param stopped whether its {@code execute} returned in time, or never ran
     * @param error what {@code execute} threw, or {@code null}
     * @param interruptError what its {@code interrupt} threw, or {@code null}
     * @param interruptCompleted whether its {@code interrupt} was called and returned in time
     * @param restarts how many times it was restarted
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code restarts} is negative
     * @since 0.2
     */
    public Outcome {
      Objects.requireNonNull(name, "name");
      if (restarts < 0) {
        throw new IllegalArgumentException("restarts must not be negative, was " + restarts);
      }
    }

    /**
     * Creates an outcome of an actor that was never restarted: wave 1's constructor.
     *
     * @param name the actor's name
     * @param started whether its {@code execute} was called
     * @param stopped whether its {@code execute} returned in time, or never ran
     * @param error what {@code execute} threw, or {@code null}
     * @param interruptError what its {@code interrupt} threw, or {@code null}
     * @param interruptCompleted whether its {@code interrupt} was called and returned in time
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public Outcome(
        String name,
        boolean started,
        boolean stopped,
        @Nullable Throwable error,
        @Nullable Throwable interruptError,
        boolean interruptCompleted) {
      this(name, started, stopped, error, interruptError, interruptCompleted, 0);
    }
  }
}
