package dev.rungroup.spring;

/**
 * Whether an {@link Actor @Actor} is restarted instead of stopping the group: the annotation says
 * whether, the properties {@code run-group.restart.*} and {@code
 * run-group.actors[<name>].restart.*} tune how (budget, backoff, jitter; the core's {@link
 * dev.rungroup.RestartPolicy} defaults unless set).
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
