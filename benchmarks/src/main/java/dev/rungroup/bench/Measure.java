package dev.rungroup.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** One measured run of a scenario. */
final class Measure {
  /** Longest wait for all actors to start, or for a stopped run to return. */
  static final long PATIENCE_SECONDS = 600;

  private Measure() {}

  /**
   * Nanoseconds of the measured part of one run.
   *
   * @param collectFirst whether to run a full GC just before the clock starts (after the set-up),
   *     so that the run neither pays for earlier garbage nor copies the set-up's fresh objects in a
   *     young collection
   */
  static long once(
      Contender contender, Scenario scenario, int n, ThreadKind kind, boolean collectFirst)
      throws Exception {
    return scenario == Scenario.A
        ? scenarioA(contender, n, kind, collectFirst)
        : scenarioB(contender, n, kind, collectFirst);
  }

  /** From the call of run() to its return. */
  static long scenarioA(Contender contender, int n, ThreadKind kind, boolean collectFirst)
      throws Exception {
    Contender.Run run = contender.prepare(Scenario.A, n, kind, null);
    if (collectFirst) {
      System.gc();
    }
    long began = System.nanoTime();
    run.run();
    long took = System.nanoTime() - began;
    run.awaitThreadsEnded();
    return took;
  }

  /** From stop(), once every actor has started, to run() returning on its own thread. */
  static long scenarioB(Contender contender, int n, ThreadKind kind, boolean collectFirst)
      throws Exception {
    StartedRun started = startB(contender, n, kind);
    if (collectFirst) {
      System.gc();
    }
    long began = System.nanoTime();
    long took = started.stopAndAwait() - began;
    started.run.awaitThreadsEnded();
    return took;
  }

  /** Starts a scenario B run on a runner thread and waits until every actor is in execute. */
  static StartedRun startB(Contender contender, int n, ThreadKind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(n);
    Contender.Run run = contender.prepare(Scenario.B, n, kind, started);
    StartedRun handle = new StartedRun(run);
    handle.runner.start();
    if (!started.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
      handle.runner.interrupt();
      throw new IllegalStateException(
          contender.name() + ": only " + (n - started.getCount()) + " of " + n + " started");
    }
    return handle;
  }

  /** A scenario B run whose actors have all started. */
  static final class StartedRun {
    final Contender.Run run;
    final Thread runner;
    private volatile long returnedAt;
    private volatile @Nullable Throwable failure;

    StartedRun(Contender.Run run) {
      this.run = run;
      this.runner = new Thread(this::runAndRecord, "bench-run");
      this.runner.setDaemon(true);
    }

    private void runAndRecord() {
      try {
        run.run();
      } catch (Throwable e) {
        failure = e;
      }
      returnedAt = System.nanoTime();
    }

    /** Stops the run and waits for it; returns the nanoTime at which run() returned. */
    long stopAndAwait() throws Exception {
      run.stop();
      runner.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
      if (runner.isAlive()) {
        throw new IllegalStateException("run() did not return after stop()");
      }
      Throwable f = failure;
      if (f != null) {
        throw new IllegalStateException("run failed: " + f, f);
      }
      return returnedAt;
    }
  }
}
