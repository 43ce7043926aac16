package dev.rungroup;

import org.jspecify.annotations.Nullable;

/**
 * An actor of a {@link Group}: a long-running {@link #execute() execute} half and an {@link
 * #interrupt(Throwable) interrupt} half that makes it return.
 *
 * <p>The group calls {@code execute} once, on a thread of its own. When any actor of the group
 * returns, the group calls {@code interrupt} of <em>every</em> actor exactly once, also of the one
 * that returned, of those whose {@code execute} has already returned, and of those that never
 * started (an actor {@linkplain ActorOptions#after(String...) after} others, when the group stopped
 * first), so {@code interrupt} must be safe to call at any time, from another thread, and must make
 * {@code execute} return. An actor restarted under a {@link RestartPolicy} is a fresh instance per
 * incarnation, each interrupted exactly once.
 *
 * <p>An implementation is used by one group at a time. {@code interrupt} is called from a thread
 * other than the one running {@code execute}; implementations must make the signal visible across
 * threads (a {@code volatile} flag, a latch, closing a resource, or {@link Thread#interrupt()} of
 * the executing thread).
 *
 * @see Group#add(String, Interruptible)
 * @see Actors
 * @since 0.1
 */
public interface Interruptible {

  /**
   * Does the actor's work until it is done or until {@link #interrupt(Throwable)} makes it return.
   * Actors are meant to be permanent: any return, normal or exceptional, stops the group, unless
   * the actor is {@linkplain ActorOptions#oneShot() one-shot} (a normal return ends it alone) or
   * its {@link RestartPolicy} restarts it.
   *
   * @throws Exception anything; it becomes the actor's {@linkplain Exit.Outcome#error() error} and,
   *     if this actor is the first to return, the group's {@linkplain Exit#error() error}
   */
  void execute() throws Exception;

  /**
   * Makes {@link #execute()} return. Called exactly once per run of the group (per incarnation), in
   * the group's stop order (add order when no actor declares {@code after}), possibly before {@code
   * execute} started, after it returned, or for an actor that never started. At a restart or a
   * startup timeout it is called with that incarnation's own error.
   *
   * <p>An exception thrown here is recorded as the actor's {@linkplain
   * Exit.Outcome#interruptError() interrupt error} and does not keep the group from interrupting
   * the other actors.
   *
   * @param cause why the group stops: the error of the first actor to return, the cause given to
   *     {@link Group#stop(Throwable)}, or {@code null} when the first actor returned normally or
   *     the group was stopped without a cause
   */
  void interrupt(@Nullable Throwable cause);

  /**
   * The {@code execute} half of an actor written as a lambda.
   *
   * @see Group#add(String, Execute, Interrupt)
   * @since 0.1
   */
  @FunctionalInterface
  interface Execute {
    /**
     * Does the actor's work, as {@link Interruptible#execute()}.
     *
     * @throws Exception anything; it becomes the actor's error
     */
    void execute() throws Exception;
  }

  /**
   * The {@code interrupt} half of an actor written as a lambda.
   *
   * @see Group#add(String, Execute, Interrupt)
   * @since 0.1
   */
  @FunctionalInterface
  interface Interrupt {
    /**
     * Makes the matching {@link Execute} return, as {@link Interruptible#interrupt(Throwable)}.
     *
     * @param cause why the group stops, or {@code null}
     */
    void interrupt(@Nullable Throwable cause);
  }

  /**
   * Combines two lambdas into an actor.
   *
   * @param execute the work; must return once {@code interrupt} was called
   * @param interrupt makes {@code execute} return
   * @return an actor calling the two
   * @throws NullPointerException if an argument is {@code null}
   */
  static Interruptible of(Execute execute, Interrupt interrupt) {
    java.util.Objects.requireNonNull(execute, "execute");
    java.util.Objects.requireNonNull(interrupt, "interrupt");
    return new Interruptible() {
      @Override
      public void execute() throws Exception {
        execute.execute();
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        interrupt.interrupt(cause);
      }

      @Override
      public String toString() {
        return "Interruptible[" + execute + ", " + interrupt + "]";
      }
    };
  }
}
