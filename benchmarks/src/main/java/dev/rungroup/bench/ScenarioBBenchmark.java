package dev.rungroup.bench;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH, scenario B: all N actors block; the per-invocation setup starts the run on its own thread
 * and waits until every actor is in execute; one invocation is {@code stop()} and the wait for
 * {@code run()} to return (single shot).
 */
public class ScenarioBBenchmark extends ScenarioBenchmark {
  private Measure.@Nullable StartedRun started;

  /**
   * Starts the run and waits until every actor has started.
   *
   * @throws Exception if the actors do not start
   */
  @Setup(Level.Invocation)
  public void start() throws Exception {
    started = Measure.startB(contender(), n, kind());
    collectIfLarge();
  }

  /**
   * Stops the run and waits for {@code run()} to return.
   *
   * @return when run() returned, so that JMH consumes it
   * @throws Exception if the run does not end as scenario B says
   */
  @Benchmark
  public long stop() throws Exception {
    Measure.StartedRun s = started;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s.stopAndAwait();
  }

  /**
   * Waits, outside the measured time, until every thread of the run has ended.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @TearDown(Level.Invocation)
  public void awaitThreadsEnded() throws InterruptedException {
    Measure.StartedRun s = started;
    if (s != null) {
      s.run.awaitThreadsEnded();
    }
  }
}
