package dev.rungroup.spring.availability;

import dev.rungroup.GroupListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Publishes Spring Boot's availability states from the group's events: {@link
 * ReadinessState#REFUSING_TRAFFIC} when the group begins to stop, before any actor is interrupted
 * (so that probes stop routing traffic first), and {@link LivenessState#BROKEN} when an actor
 * fails.
 */
final class RunGroupAvailabilityListener implements GroupListener {

  private static final Log logger = LogFactory.getLog(RunGroupAvailabilityListener.class);

  private final ApplicationContext context;

  RunGroupAvailabilityListener(ApplicationContext context) {
    this.context = context;
  }

  @Override
  public void actorReturned(String actor, @Nullable Throwable error) {
    if (error != null) {
      logger.info("Actor '" + actor + "' failed: liveness state is now BROKEN");
      publish(LivenessState.BROKEN);
    }
  }

  @Override
  public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
    if (logger.isDebugEnabled()) {
      logger.debug(
          (firstActor == null
                  ? "Group of actors stopped from outside"
                  : "Actor '" + firstActor + "' stops the group of actors")
              + ": readiness state is now REFUSING_TRAFFIC");
    }
    publish(ReadinessState.REFUSING_TRAFFIC);
  }

  private void publish(AvailabilityState state) {
    if (context instanceof ConfigurableApplicationContext configurable
        && !configurable.isActive()) {
      return; // an abandoned actor returning after the context closed: nobody to tell
    }
    AvailabilityChangeEvent.publish(context, this, state);
  }
}
