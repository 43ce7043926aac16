package dev.rungroup.spring.autoconfigure;

import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.RestartPolicy;
import dev.rungroup.spring.ActorGroup;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Logs one run of the group, under the logger of {@link ActorGroup}: when the group became ready
 * and how long it took, each restart (at WARN, with the error), who stopped the group and why (a
 * spent restart budget at ERROR, naming the budget), each actor that failed (other than the first),
 * each interrupt that failed, each actor left running after the stop timeout and grace, each
 * listener that failed, and the end.
 *
 * <p>Thread-safe: the group calls it on its own threads; what it keeps (how each actor's latest
 * incarnation returned, written and read on that actor's thread) is in a concurrent map.
 */
final class RunGroupLogger implements GroupListener {

  private static final Log logger = LogFactory.getLog(ActorGroup.class);

  private final Supplier<Group> group;
  private final Function<String, ActorOptions> options;
  private final long createdNanos = System.nanoTime();

  /** Whether each actor's latest return was a failure. */
  private final Map<String, Boolean> failed = new ConcurrentHashMap<>();

  /**
   * A logger for one run of actors without options.
   *
   * @param group the run's group (built after this listener was given to its builder), for the stop
   *     timeout and grace it names
   */
  RunGroupLogger(Supplier<Group> group) {
    this(group, name -> ActorOptions.defaults());
  }

  /**
   * A logger for one run, created as the run is prepared (its time to ready counts from here).
   *
   * @param group the run's group (built after this listener was given to its builder), for the stop
   *     timeout and grace it names
   * @param options the options of each actor, by name, for the restart budget it names
   */
  RunGroupLogger(Supplier<Group> group, Function<String, ActorOptions> options) {
    this.group = group;
    this.options = options;
  }

  @Override
  public void groupReady() {
    logger.info(
        "Group of actors ready in " + format(Duration.ofNanos(System.nanoTime() - createdNanos)));
  }

  @Override
  public void actorReturned(String actor, @Nullable Throwable error) {
    failed.put(actor, error != null);
  }

  @Override
  public void actorRestarting(
      String actor, @Nullable Throwable error, int restart, Duration delay) {
    boolean failure = Boolean.TRUE.equals(failed.get(actor));
    String message =
        "Actor '"
            + actor
            + "' "
            + (failure ? "failed (" + error + ")" : "returned")
            + (!failure && error != null ? " and its interrupt failed (" + error + ")" : "")
            + ": restarting it in "
            + format(delay)
            + " (restart "
            + restart
            + ")";
    if (error == null) {
      logger.warn(message);
    } else {
      logger.warn(message, error); // an earlier incarnation's error is nowhere else
    }
  }

  @Override
  public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
    if (firstActor == null) {
      if (cause == null) {
        logger.info("Stopping the group of actors");
      } else {
        logger.info("Stopping the group of actors: " + cause);
      }
      return;
    }
    RestartPolicy policy = options.apply(firstActor).restart();
    boolean restarted =
        cause == null ? policy.restartsOnNormalReturn() : policy.restartsOnFailure();
    if (restarted) {
      // Its policy restarts such a return: the return that stops the group spent its budget.
      int times = policy.maxRestarts() + 1;
      String message =
          "Actor '"
              + firstActor
              + "' "
              + (cause == null ? "returned " : "failed ")
              + times
              + (times == 1 ? " time" : " times")
              + " within "
              + format(policy.within())
              + ": stopping the group of actors";
      if (cause == null) {
        logger.error(message);
      } else {
        logger.error(message, cause);
      }
    } else if (cause == null) {
      logger.info(
          "Actor '"
              + firstActor
              + "' returned: stopping the group of actors (an actor whose normal return should"
              + " end only itself, the others running on, is declared @Actor(oneShot = true))");
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

  /**
   * A duration as people write it: {@code 1h}, {@code 1m}, {@code 30s}, {@code 1.25s}, {@code
   * 850ms}, {@code 0.3ms}.
   */
  static String format(Duration duration) {
    if (duration.isNegative()) {
      return duration.toString();
    }
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (seconds == 0) {
      if (nanos == 0) {
        return "0s";
      }
      return plain(BigDecimal.valueOf(nanos, 6).setScale(1, RoundingMode.HALF_UP)) + "ms";
    }
    if (nanos == 0) {
      if (seconds % 3600 == 0) {
        return seconds / 3600 + "h";
      }
      if (seconds % 60 == 0) {
        return seconds / 60 + "m";
      }
      return seconds + "s";
    }
    BigDecimal exact = BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9));
    return plain(exact.setScale(3, RoundingMode.HALF_UP)) + "s";
  }

  private static String plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return (stripped.signum() == 0 ? BigDecimal.ZERO : stripped).toPlainString();
  }
}
