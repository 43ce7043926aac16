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
 * JMH, scenario A: N-1 actors block until interrupted, the last added fails at once; one
 * invocation is one {@code run()} (single shot; actors and group are built in the per-invocation
 * setup, outside the measured time).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar} runs the harness; JMH itself: {@code java
 * -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main ScenarioA -p n=1000}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 10)
@Measurement(iterations = 20)
public class ScenarioABenchmark {
  /** Number of actors. */
  @Param({"10", "1000"})
  public int n = 10;

  /** {@code group}, {@code baseline}, {@code guava} or {@code sts}. */
  @Param({"group", "baseline"})
  public String contender = "group";

  /** {@code platform} or {@code virtual}. */
  @Param({"platform"})
  public String threads = "platform";

  private Contender.@Nullable Run run;

  /** Builds the actors and the contender's structures for the next invocation. */
  @Setup(Level.Invocation)
  public void prepare() {
    run = Contenders.byName(contender).prepare(Scenario.A, n, ThreadKind.parse(threads), null);
    if (n >= 1_000) {
      System.gc();
    }
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
