package dev.rungroup.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the JMH benchmarks of both scenarios share: single shot (one invocation is one run, its
 * set-up per invocation and outside the measured time), a fixed 4 GB heap, and the parameters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 10)
@Measurement(iterations = 20)
public abstract class ScenarioBenchmark {
  /** Number of actors. */
  @Param({"10", "1000"})
  public int n = 10;

  /** {@code group}, {@code baseline}, {@code guava} or {@code sts}. */
  @Param({"group", "baseline"})
  public String contender = "group";

  /** {@code platform} or {@code virtual}. */
  @Param({"platform"})
  public String threads = "platform";

  /** For subclasses. */
  protected ScenarioBenchmark() {}

  Contender contender() {
    return Contenders.byName(contender);
  }

  ThreadKind kind() {
    return ThreadKind.parse(threads);
  }

  /**
   * A full GC at the end of a set-up with 1,000 actors or more, as the harness does, so that the
   * run pays neither for earlier garbage nor for copying its own fresh set-up.
   */
  void collectIfLarge() {
    if (n >= 1_000) {
      System.gc();
    }
  }
}
