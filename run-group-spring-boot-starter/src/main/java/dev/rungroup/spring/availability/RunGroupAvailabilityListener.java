package dev.rungroup.spring.availability;

import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.RunGroupCustomizer;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Publishes Spring Boot's availability states from the group of the root context.
 *
 * <ul>
 *   <li>Readiness accepts traffic only while the current run's group is ready: {@link
 *       ReadinessState#ACCEPTING_TRAFFIC} at the later of {@link ApplicationReadyEvent} and the
 *       group becoming ready. When Spring publishes {@code ACCEPTING_TRAFFIC} (right after {@code
 *       ApplicationReadyEvent}) before the group is ready, this publishes {@link
 *       ReadinessState#REFUSING_TRAFFIC} right after it. So a new run (after {@code
 *       context.stop()}, {@code start()}) refuses traffic, as its predecessor's stop left it, until
 *       it is ready.
 *   <li>{@code REFUSING_TRAFFIC} when the group begins to stop, before any actor is interrupted (so
 *       that probes stop routing traffic first).
 *   <li>{@link LivenessState#BROKEN} when a failure stops the group: its first actor to return
 *       failed (a restart within budget, a failure while the group stops, a one-shot actor's normal
 *       return never break it).
 * </ul>
 *
 * Without any actor it does nothing: Spring's readiness is left alone. As a {@link
 * RunGroupCustomizer} it adds a listener of its own to each run, so that events of an earlier run
 * never count for the current one. It is registered after the context's {@code
 * ApplicationAvailability} bean, so that bean sees Spring's {@code ACCEPTING_TRAFFIC} before the
 * {@code REFUSING_TRAFFIC} published in answer.
 *
 * <p>Thread-safe. One lock guards whether the application is ready, the current run and its
 * readiness, and the latest readiness decision; events are published outside it. Decisions are
 * numbered: a thread that published a decision publishes again the latest one if a newer decision
 * was made meanwhile, so that the last readiness published is the last one decided, whatever the
 * threads' timing.
 */
final class RunGroupAvailabilityListener implements RunGroupCustomizer, SmartApplicationListener {

  private static final Log logger = LogFactory.getLog(RunGroupAvailabilityListener.class);

  private final ConfigurableApplicationContext context;
  private final ActorGroup group;

  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private boolean applicationReady;
  private @Nullable Run current;
  private ReadinessState decided = ReadinessState.REFUSING_TRAFFIC;
  private long decisions;

  /**
   * The listener of {@code context}'s own group.
   *
   * @param context the root context, where the states are published
   * @param group the context's group
   */
  RunGroupAvailabilityListener(ConfigurableApplicationContext context, ActorGroup group) {
    this.context = context;
    this.group = group;
  }

  @Override
  public void customize(Group.Builder builder) {
    Run run = new Run();
    lock.lock();
    try {
      current = run; // not ready: Spring's ACCEPTING_TRAFFIC is answered until it is
    } finally {
      lock.unlock();
    }
    builder.listener(run);
  }

  @Override
  public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
    return ApplicationReadyEvent.class.isAssignableFrom(eventType)
        || AvailabilityChangeEvent.class.isAssignableFrom(eventType);
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationReadyEvent ready) {
      if (ready.getApplicationContext() == context) {
        lock.lock();
        try {
          applicationReady = true; // Spring publishes ACCEPTING_TRAFFIC next
        } finally {
          lock.unlock();
        }
      }
    } else if (event instanceof AvailabilityChangeEvent<?> change
        && change.getState() instanceof ReadinessState state) {
      readinessPublished(state, change.getSource() == this);
    }
  }

  /**
   * Someone published {@code state}: if it accepts traffic while the group is not ready, refuse.
   */
  private void readinessPublished(ReadinessState state, boolean ours) {
    if (ours || state != ReadinessState.ACCEPTING_TRAFFIC) {
      return;
    }
    boolean hasActors = !group.actorNames().isEmpty(); // outside the lock: finding them may scan
    long decision = 0;
    lock.lock();
    try {
      Run run = current;
      if (hasActors && (run == null || !run.ready || run.stopping)) {
        decision = decideLocked(ReadinessState.REFUSING_TRAFFIC);
      }
    } finally {
      lock.unlock();
    }
    if (decision != 0) {
      if (logger.isDebugEnabled()) {
        logger.debug(
            "Readiness state ACCEPTING_TRAFFIC came before the group of actors is ready:"
                + " readiness state is now REFUSING_TRAFFIC");
      }
      publishDecision(decision, ReadinessState.REFUSING_TRAFFIC);
    }
  }

  /**
   * Whether the current run's group is ready and not stopping: readiness may accept traffic. The
   * group's listeners hear that it became ready a little after {@link ActorGroup#awaitReady}
   * returns.
   */
  boolean groupReady() {
    lock.lock();
    try {
      Run run = current;
      return run != null && run.ready && !run.stopping;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: makes {@code state} the latest decision; its number. */
  private long decideLocked(ReadinessState state) {
    decided = state;
    return ++decisions;
  }

  /**
   * Publishes the decision numbered {@code decision}, then the latest one again for as long as a
   * newer one was made while publishing: another thread's decision may have been published before
   * this one.
   */
  private void publishDecision(long decision, ReadinessState state) {
    long published = decision;
    ReadinessState toPublish = state;
    while (true) {
      publish(toPublish);
      lock.lock();
      try {
        if (decisions == published) {
          return;
        }
        published = decisions;
        toPublish = decided;
      } finally {
        lock.unlock();
      }
    }
  }

  private void publish(AvailabilityState state) {
    if (!context.isActive()) {
      return; // an abandoned actor returning after the context closed: nobody to tell
    }
    AvailabilityChangeEvent.publish(context, this, state);
  }

  /** One run's readiness; its fields are guarded by the listener's lock. */
  private final class Run implements GroupListener {
    boolean ready;
    boolean stopping;

    @Override
    public void groupReady() {
      long decision = 0;
      lock.lock();
      try {
        if (current != this || stopping) {
          return;
        }
        ready = true;
        if (applicationReady) {
          decision = decideLocked(ReadinessState.ACCEPTING_TRAFFIC);
        }
      } finally {
        lock.unlock();
      }
      if (decision != 0) {
        logger.debug("Group of actors ready: readiness state is now ACCEPTING_TRAFFIC");
        publishDecision(decision, ReadinessState.ACCEPTING_TRAFFIC);
      }
    }

    @Override
    public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
      long decision = 0;
      lock.lock();
      try {
        stopping = true;
        if (current == this) {
          decision = decideLocked(ReadinessState.REFUSING_TRAFFIC);
        }
      } finally {
        lock.unlock();
      }
      if (decision != 0) {
        if (logger.isDebugEnabled()) {
          logger.debug(
              (firstActor == null
                      ? "Group of actors stopped from outside"
                      : "Actor '" + firstActor + "' stops the group of actors")
                  + ": readiness state is now REFUSING_TRAFFIC");
        }
        publishDecision(decision, ReadinessState.REFUSING_TRAFFIC);
      }
      if (firstActor != null && cause != null) {
        logger.info(
            "Actor '" + firstActor + "' failed and stops the group: liveness state is now BROKEN");
        publish(LivenessState.BROKEN);
      }
    }
  }
}
