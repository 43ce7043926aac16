package dev.rungroup;

import org.jspecify.annotations.Nullable;

/**
 * Receives the events of a {@link Group}: the only way the core reports anything, since it logs
 * nothing itself. Every method has an empty default, so a listener overrides only what it needs.
 *
 * <p><b>Threads.</b> {@link #actorStarted} and {@link #actorReturned} are called on the actor's own
 * thread, concurrently for different actors; {@link #groupStopping} and {@link #groupStopped} are
 * called on the thread that called {@link Group#run()}. An implementation must therefore be
 * thread-safe. Events of one actor arrive in order: started, then returned. {@code groupStopping}
 * comes once, before any actor's interrupt is called, and after the {@code actorReturned} of the
 * actor whose return stops the group; {@code groupStopped} comes once, last among the events of
 * this run, except for {@code actorReturned} of actors that the stop timeout abandoned.
 *
 * <p><b>Failures.</b> An exception thrown by a listener never disturbs the group: it is caught and
 * kept in {@link Exit#listenerErrors()} (unless it is thrown after {@code run()} returned, by the
 * {@code actorReturned} of an abandoned actor).
 *
 * <p><b>Memory consistency effects:</b> actions of an actor before it returns happen-before {@code
 * actorReturned} for it; that of the first actor happens-before {@code groupStopping}, which
 * happens-before any actor's interrupt. Listeners should be quick: {@code actorStarted} runs before
 * the actor's {@code execute}, and {@code groupStopping} before the interrupts; {@code
 * groupStopping} and {@code groupStopped} run on the thread in {@code run()} and are the only code
 * that can hold it past the stop timeout plus grace.
 *
 * @since 0.1
 */
public interface GroupListener {

  /**
   * An actor's thread is about to call its {@code execute}.
   *
   * @param actor the actor's name
   * @param thread the thread that runs the actor (the current thread)
   */
  default void actorStarted(String actor, Thread thread) {}

  /**
   * An actor became ready ({@link Readiness}): once per incarnation that does, on the thread that
   * made it ready (the actor's own, or whichever thread called {@link ActorContext#ready()} on a
   * context the actor handed it).
   *
   * @param actor the actor's name
   * @since 0.2
   */
  default void actorReady(String actor) {}

  /**
   * Every actor of the group is ready: once per run, on the thread whose actor completed the
   * group's readiness. Never for a group that began to stop first, nor for one of zero actors.
   *
   * @since 0.2
   */
  default void groupReady() {}

  /**
   * An incarnation returned and its {@link RestartPolicy} restarts it: its interrupt was called
   * with its error, and a fresh incarnation starts after {@code delay} (unless the group stops
   * first). Called on the actor's own thread.
   *
   * @param actor the actor's name
   * @param error what the incarnation failed with ({@link StartupTimeoutException} for a startup
   *     timeout), with what its interrupt threw as suppressed; for a normal return under {@link
   *     RestartPolicy#always()}, what its interrupt threw, else {@code null}
   * @param restart the number of this restart, 1 for the first
   * @param delay how long the actor waits before its next incarnation, jitter included
   * @since 0.2
   */
  default void actorRestarting(
      String actor, @Nullable Throwable error, int restart, java.time.Duration delay) {}

  /**
   * An actor's {@code execute} returned.
   *
   * @param actor the actor's name
   * @param error what {@code execute} threw, or {@code null} if it returned normally
   */
  default void actorReturned(String actor, @Nullable Throwable error) {}

  /**
   * The group begins to stop; no actor has been interrupted yet.
   *
   * @param firstActor the actor whose return stops the group, or {@code null} if it was stopped
   *     from outside ({@link Group#stop(Throwable)}, or the thread in {@code run()} interrupted)
   * @param cause the cause passed to every interrupt: the first actor's error or the stop cause;
   *     {@code null} for a normal return or a stop without cause
   */
  default void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {}

  /**
   * The group stopped; {@link Group#run()} returns {@code exit} next.
   *
   * @param exit what {@code run()} returns (its {@link Exit#listenerErrors()} holds the listener
   *     failures up to this call)
   */
  default void groupStopped(Exit exit) {}
}
