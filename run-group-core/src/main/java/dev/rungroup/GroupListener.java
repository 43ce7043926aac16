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
