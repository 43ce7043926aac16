package dev.rungroup.spring.autoconfigure;

import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.RestartPolicy;
import dev.rungroup.spring.ActorGroup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Logs one run of the group, under the logger of {@link ActorGroup}: the start (its actors in
 * order, and the kind of thread), when the group became ready and how long it took, each restart
 * (at WARN, with the error), who or what stopped the group and why (an actor, the context closing,
 * the JVM shutting down, a stop through {@link ActorGroup#stop(Throwable)}; a spent restart budget
 * at ERROR, naming the budget), each actor that failed (other than the first), each interrupt that
 * failed, each actor left running after the stop timeout and grace (at WARN, with where its thread
 * is stuck), each listener that failed, and one summary line at the end (how long the group ran and
 * stopped, each actor's outcome).
 *
 * <p>Thread-safe: the group calls it on its own threads; what it keeps (how each actor's latest
 * incarnation returned and the thread of each actor, written on that actor's thread) is in
 * concurrent maps, and the time the stop began in a volatile field written by the thread in {@code
 * run()} (which also reads it).
 */
final class RunGroupLogger implements GroupListener {

  private static final Log logger = LogFactory.getLog(ActorGroup.class);

  private final Supplier<Group> group;
  private final Function<String, ActorOptions> options;
  private final long createdNanos = System.nanoTime();

  /** Whether each actor's latest return was a failure. */
  private final Map<String, Boolean> failed = new ConcurrentHashMap<>();

  /** The thread of each actor that started, for the stack of one left running. */
  private final Map<String, Thread> threads = new ConcurrentHashMap<>();

  /** What stopped the group from outside, if known: read when the group begins to stop. */
  private final Supplier<@Nullable String> stopReason;

  /** When the group began to stop; 0 before. */
  private volatile long stoppingNanos;

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
    this(group, options, () -> null);
  }

  /**
   * A logger for one run, created as the run is prepared (its time to ready counts from here).
   *
   * @param group the run's group (built after this listener was given to its builder), for the stop
   *     timeout and grace it names
   * @param options the options of each actor, by name, for the restart budget it names
   * @param stopReason why the group was stopped from outside (the context closing, the JVM shutting
   *     down), or {@code null} if that is not known; asked when the group begins to stop
   */
  RunGroupLogger(
      Supplier<Group> group,
      Function<String, ActorOptions> options,
      Supplier<@Nullable String> stopReason) {
    this.group = group;
    this.options = options;
    this.stopReason = stopReason;
  }

  /**
   * Logs that the group started: one line at INFO with its actors in the order they were added.
   *
   * @param actors the actors' names, in order
   * @param threadKind the kind of thread they run on, as in {@code "platform threads"}
   */
  static void groupStarted(List<String> actors, String threadKind) {
    logger.info(
        "Started the group of "
            + actors.size()
            + (actors.size() == 1 ? " actor" : " actors")
            + " on "
            + threadKind
            + ": "
            + String.join(", ", actors));
  }

  @Override
  public void actorStarted(String actor, Thread thread) {
    threads.put(actor, thread);
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
    stoppingNanos = System.nanoTime();
    if (firstActor == null) {
      String reason = stopReason.get();
      String why =
          reason == null
              ? (cause == null ? "" : ": " + cause)
              : ": " + reason + (cause == null ? "" : " (" + cause + ")");
      logger.info("Stopping the group of actors" + why);
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
        String message =
            "Actor '"
                + outcome.name()
                + "' did not return within the stop timeout ("
                + stopped.stopTimeout().map(Duration::toString).orElse("none")
                + ") and grace ("
                + stopped.stopGrace()
                + "): left running";
        Thread thread = threads.get(outcome.name());
        if (thread == null) {
          logger.warn(message);
        } else {
          logger.warn(message + ", its thread at:", new ThreadStack(outcome.name(), thread));
        }
      }
    }
    for (Throwable error : exit.listenerErrors()) {
      logger.warn("A GroupListener failed", error);
    }
    logger.info(summary(exit));
  }

  /**
   * The last line: {@code Group of actors stopped after 2.5s (the stop took 12ms): storage
   * returned, consumer failed (java.io.IOException) after 2 restarts, web not started}; a failure
   * by its class only, its message and stack trace being logged once, on a line of its own.
   */
  private String summary(Exit exit) {
    long now = System.nanoTime();
    long stopping = stoppingNanos;
    StringBuilder line =
        new StringBuilder("Group of actors stopped after ")
            .append(format(Duration.ofNanos(now - createdNanos)));
    if (stopping != 0) {
      line.append(" (the stop took ").append(format(Duration.ofNanos(now - stopping))).append(')');
    }
    String separator = ": ";
    for (Exit.Outcome outcome : exit.actors()) {
      line.append(separator).append(outcome.name()).append(' ').append(outcome(outcome));
      separator = ", ";
    }
    return line.toString();
  }

  private static String outcome(Exit.Outcome outcome) {
    String ended;
    Throwable error = outcome.error();
    if (!outcome.stopped()) {
      ended = "left running";
    } else if (!outcome.started()) {
      ended =
          error == null ? "not started" : "failed to start (" + error.getClass().getName() + ")";
    } else if (error != null) {
      ended = "failed (" + error.getClass().getName() + ")"; // its message and stack: logged above
    } else {
      ended = "returned";
    }
    int restarts = outcome.restarts();
    if (restarts > 0) {
      ended += " after " + restarts + (restarts == 1 ? " restart" : " restarts");
    }
    return ended;
  }

  /** Where an actor left running is: its thread's stack, logged as the WARN line's throwable. */
  static final class ThreadStack extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ThreadStack(String actor, Thread thread) {
      super(
          "actor '" + actor + "' on thread '" + thread.getName() + "' (" + thread.getState() + ")",
          null,
          false,
          true);
      setStackTrace(thread.getStackTrace());
    }
  }

  /**
   * A duration as people write it: {@code 1h}, {@code 1m}, {@code 30s}, {@code 1.25s}, {@code
   * 850ms}, {@code 0.3ms}: under a second in milliseconds to one decimal, else in seconds to three,
   * rounded half up, without trailing zeros. In integer arithmetic: the first {@code BigDecimal} of
   * a JVM costs some 25 ms of CPU time to initialise, on the thread that logs the group ready.
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
      long tenths = (nanos + 50_000L) / 100_000L; // of a millisecond
      return tenths / 10 + decimals(tenths % 10, 1) + "ms";
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
    long millis = (nanos + 500_000L) / 1_000_000L; // 0 to 1,000
    return millis == 1_000 ? (seconds + 1) + "s" : seconds + decimals(millis, 3) + "s";
  }

  /** The fraction {@code fraction} / 10^{@code digits} as ".25" (no trailing zeros), or "". */
  private static String decimals(long fraction, int digits) {
    if (fraction == 0) {
      return "";
    }
    StringBuilder text = new StringBuilder(Long.toString(fraction));
    while (text.length() < digits) {
      text.insert(0, '0');
    }
    int end = text.length();
    while (text.charAt(end - 1) == '0') {
      end--;
    }
    return "." + text.substring(0, end);
  }
}
