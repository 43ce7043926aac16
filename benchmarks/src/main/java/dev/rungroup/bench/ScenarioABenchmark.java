package dev.rungroup.bench;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH, scenario A: N-1 actors block until interrupted, the last added fails at once; one invocation
 * is one {@code run()} (single shot; actors and group are built in the per-invocation setup,
 * outside the measured time).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar} runs the harness; JMH itself: {@code java
 * -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main ScenarioA -p n=1000}.
 */
public class ScenarioABenchmark extends ScenarioBenchmark {
  private Contender.@Nullable Run run;

  /** Builds the actors and the contender's structures for the next invocation. */
  @Setup(Level.Invocation)
  public void prepare() {
    run = contender().prepare(Scenario.A, n, kind(), null);
    collectIfLarge();
  }

  /**
   * One run of the group.
   *
   * @throws Exception if the run ends differently than scenario A says
   */
  @Benchmark
  public void run() throws Exception {
    Contender.Run r = run;
    if (r == null) {
      throw new IllegalStateException("not prepared");
    }
    r.run();
  }

  /**
   * Waits, outside the measured time, until every thread of the run has ended.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @TearDown(Level.Invocation)
  public void awaitThreadsEnded() throws InterruptedException {
    Contender.Run r = run;
    if (r != null) {
      r.awaitThreadsEnded();
    }
  }
}
