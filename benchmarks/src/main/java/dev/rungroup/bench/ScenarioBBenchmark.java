package dev.rungroup.bench;

import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH, scenario B: all N actors block; the per-invocation setup starts the run on its own thread
 * and waits until every actor is in execute; one invocation is {@code stop()} and the wait for
 * {@code run()} to return (single shot).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 10)
@Measurement(iterations = 20)
public class ScenarioBBenchmark {
  /** Number of actors. */
  @Param({"10", "1000"})
  public int n = 10;

  /** {@code group}, {@code baseline}, {@code guava} or {@code sts}. */
  @Param({"group", "baseline"})
  public String contender = "group";

  /** {@code platform} or {@code virtual}. */
  @Param({"platform"})
  public String threads = "platform";

  private Measure.@Nullable StartedRun started;

  /**
   * Starts the run and waits until every actor has started.
   *
   * @throws Exception if the actors do not start
   */
  @Setup(Level.Invocation)
  public void start() throws Exception {
    started = Measure.startB(Contenders.byName(contender), n, ThreadKind.parse(threads));
    if (n >= 1_000) {
      System.gc();
    }
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
