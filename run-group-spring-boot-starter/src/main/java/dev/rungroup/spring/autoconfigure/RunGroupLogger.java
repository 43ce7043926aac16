package dev.rungroup.spring.autoconfigure;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.spring.ActorGroup;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Logs one run of the group, under the logger of {@link ActorGroup}: who stopped the group and why,
 * each actor that failed (other than the first), each interrupt that failed, each actor left
 * running after the stop timeout and grace, each listener that failed, and the end.
 *
 * <p>Thread-safe: it keeps no state; the group calls it on its own threads.
 */
final class RunGroupLogger implements GroupListener {

  private static final Log logger = LogFactory.getLog(ActorGroup.class);

  private final Supplier<Group> group;

  /**
   * A logger for one run.
   *
   * @param group the run's group (built after this listener was given to its builder), for the stop
   *     timeout and grace it names
   */
  RunGroupLogger(Supplier<Group> group) {
    this.group = group;
  }

  @Override
  public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
    if (firstActor == null) {
      if (cause == null) {
        logger.info("Stopping the group of actors");
      } else {
        logger.info("Stopping the group of actors: " + cause);
      }
    } else if (cause == null) {
      logger.info("Actor '" + firstActor + "' returned: stopping the group of actors");
    } else {
      logger.error("Actor '" + firstActor + "' failed: stopping the group of actors", cause);
    }
  }

  @Override
  public void groupStopped(Exit exit) {
    for (Exit.Outcome outcome : exit.actors()) {
      Throwable error = outcome.error();
      if (error != null && error != exit.error()) {
        logger.error("Actor '" + outcome.name() + "' failed", error);
      }
      Throwable interruptError = outcome.interruptError();
      if (interruptError != null) {
        logger.warn("Interrupt of actor '" + outcome.name() + "' failed", interruptError);
      }
      if (!outcome.stopped()) {
        Group stopped = group.get();
        logger.warn(
            "Actor '"
                + outcome.name()
                + "' did not return within the stop timeout ("
                + stopped.stopTimeout().map(Duration::toString).orElse("none")
                + ") and grace ("
                + stopped.stopGrace()
                + "): left running");
      }
    }
    for (Throwable error : exit.listenerErrors()) {
      logger.warn("A GroupListener failed", error);
    }
    logger.info("Group of actors stopped");
  }
}
