package dev.rungroup.bench;

import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/** One implementation of the actor-group pattern, measured side by side with the others. */
interface Contender {

  /** The name in tables and charts. */
  String name();

  /** Whether this contender can run on threads of {@code kind} in this JVM. */
  default boolean supports(ThreadKind kind) {
    return kind.available();
  }

  /**
   * Builds everything for one run outside the measured time: the actors and the contender's own
   * structures. Nothing is started yet.
   *
   * @param started counted down by every actor once in execute (scenario B), else {@code null}
   */
  Run prepare(Scenario scenario, int n, ThreadKind kind, @Nullable CountDownLatch started);

  /**
   * Nanoseconds of the measured part of one run. An in-process contender is measured by {@link
   * Measure} around its {@link #prepare prepared} run; one in a process of its own ({@link
   * ChildContender}) measures itself there.
   *
   * @param collectFirst whether to run a full GC after the set-up, just before the clock starts
   */
  default long measure(Scenario scenario, int n, ThreadKind kind, boolean collectFirst)
      throws Exception {
    return Measure.once(this, scenario, n, kind, collectFirst);
  }

  /** A prepared run. */
  interface Run {
    /**
     * Starts every actor, waits for the first to return (or for {@link #stop()}), stops them all
     * and returns once all have ended. Throws if the run ended differently than the scenario says.
     */
    void run() throws Exception;

    /** Stops the run from another thread, as {@code Group.stop()} does; does not block. */
    void stop();

    /**
     * Called after {@link #run()} returned, outside the measured time: waits until every thread of
     * this run has ended, so that a thread still on its way out is not billed to the next run,
     * which may be another contender's. Only a contender whose run can return before its threads
     * have ended (Guava's) needs it; the others join theirs inside {@code run()}.
     */
    default void awaitThreadsEnded() throws InterruptedException {}
  }
}
