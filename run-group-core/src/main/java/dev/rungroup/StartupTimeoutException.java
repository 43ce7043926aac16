package dev.rungroup;

import java.time.Duration;
import java.util.Objects;

/**
 * What an actor fails with when it is not ready within its {@linkplain
 * ActorOptions#startupTimeout(Duration) startup timeout}, counted from the moment its own {@code
 * execute} began. The group interrupts that incarnation with this exception and, once its {@code
 * execute} returned, treats it as the actor's error: restarted under its restart policy, else
 * stopping the group. Whatever {@code execute} threw meanwhile, and whatever that interrupt threw,
 * is kept as suppressed.
 *
 * @since 0.2
 */
public final class StartupTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the actor that was not ready in time. */
  private final String actor;

  /** Its startup timeout. */
  private final Duration timeout;

  /**
   * Creates the exception for an actor.
   *
   * @param actor the actor's name
   * @param timeout its startup timeout
   * @throws NullPointerException if an argument is {@code null}
   */
  public StartupTimeoutException(String actor, Duration timeout) {
    super(
        "actor '"
            + Objects.requireNonNull(actor, "actor")
            + "' was not ready within its startup timeout of "
            + Objects.requireNonNull(timeout, "timeout"));
    this.actor = actor;
    this.timeout = timeout;
  }

  /**
   * The actor that was not ready in time.
   *
   * @return its name
   */
  public String actor() {
    return actor;
  }

  /**
   * The startup timeout that ran out.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }
}
