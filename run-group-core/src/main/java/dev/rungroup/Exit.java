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
   * How one actor ended.
   *
   * @param name the actor's name
   * @param started whether its {@code execute} was called; {@code false} when the group was stopped
   *     before this actor's thread started (or could not be created or started)
   * @param stopped whether its {@code execute} returned before {@code run()} did, or never ran;
   *     {@code false} only for actors the stop timeout abandoned, still running
   * @param error what {@code execute} threw, or {@code null} (also when it is still running); an
   *     actor whose thread could not be created or started has that failure here and {@code
   *     started} false
   * @param interruptError what its {@code interrupt} threw, or {@code null}
   * @param interruptCompleted whether its {@code interrupt} was called and returned before {@code
   *     run()} did; {@code false} if it was never called (the group was stopped before it ran) or
   *     was still blocked when the stop timeout and grace ran out
   * @since 0.1
   */
  public record Outcome(
      String name,
      boolean started,
      boolean stopped,
      @Nullable Throwable error,
      @Nullable Throwable interruptError,
      boolean interruptCompleted) {

    /**
     * Creates an outcome.
     *
     * @param name the actor's name
     * @param started whether its {@code execute} was called
     * @param stopped whether its {@code execute} returned in time, or never ran
     * @param error what {@code execute} threw, or {@code null}
     * @param interruptError what its {@code interrupt} threw, or {@code null}
     * @param interruptCompleted whether its {@code interrupt} was called and returned in time
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public Outcome {
      Objects.requireNonNull(name, "name");
    }
  }
}
