package dev.rungroup.spring;

/**
 * Whether an {@link Actor @Actor} is restarted instead of stopping the group: the annotation says
 * whether, the properties {@code run-group.restart.*} and {@code
 * run-group.actors[<name>].restart.*} tune how (budget, backoff, jitter; the core's {@link
 * dev.rungroup.RestartPolicy} defaults unless set), and may be set only for an actor restarted
 * here.
 *
 * <p>What a restart runs again: a method actor's method is invoked again on the same bean; a
 * singleton bean actor's {@code execute} is called again on the same bean, which must therefore be
 * re-runnable (the failed incarnation's interrupt comes first and must not leave it unable to run
 * again); a prototype-scoped bean actor, allowed only with a restart, is a fresh bean per
 * incarnation.
 *
 * @since 0.2
 */
public enum Restart {
  /** Any return stops the group (the default). */
  NEVER,
  /** A failing incarnation is restarted; a normal return still stops the group. */
  ON_FAILURE,
  /** Any return is restarted, normal or failing; not for a one-shot actor. */
  ALWAYS
}
