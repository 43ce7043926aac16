package dev.rungroup.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Go program of {@code benchmarks/go} through the child protocol, on any JVM (the harness
 * measures it in the virtual-thread cells only, which a Java 17 build has none of). Skipped, with a
 * line saying why, where Go or Debian's oklog/run package is not installed.
 */
class GoChildTest {
  private static ChildContender go;

  @BeforeAll
  @Timeout(300)
  static void build() throws Exception {
    String missing = GoChild.missing();
    if (!missing.isEmpty()) {
      System.out.println("Go contender skipped: " + missing);
    }
    Assumptions.assumeTrue(missing.isEmpty(), missing);
    GoChild.Outcome built = GoChild.build(Objects.requireNonNull(GoChild.defaultSource()));
    assertThat(built.contender()).as(built.note()).isNotNull();
    assertThat(built.note())
        .startsWith(GoChild.OKLOG_RUN + " ")
        .contains("GOPATH=" + GoChild.GOPATH, "GO111MODULE=off", "go1.");
    go = Objects.requireNonNull(built.contender());
    go.start();
  }

  @AfterAll
  static void close() throws InterruptedException {
    if (go != null) {
      go.close();
    }
  }

  @Test
  @Timeout(120)
  void runsScenariosAAndBAtEveryN() throws Exception {
    for (Scenario scenario : Scenario.values()) {
      for (int n : new int[] {1, 10, 1_000}) {
        assertThat(go.measure(scenario, n, ThreadKind.VIRTUAL, n >= 1_000))
            .as(scenario + " " + n)
            .isPositive();
      }
    }
  }

  @Test
  @Timeout(120)
  void runsBothShapesOfScenarioCWithTwoClocks() throws Exception {
    for (boolean graph : new boolean[] {true, false}) {
      for (int n : new int[] {1, 25, 1_000}) {
        long[] clocks = go.measureC(graph, n, ThreadKind.VIRTUAL, n >= 1_000);
        assertThat(clocks).as("graph " + graph + ", " + n).hasSize(2);
        assertThat(clocks[0]).as("start").isPositive();
        assertThat(clocks[1]).as("stop").isPositive();
      }
    }
  }

  @Test
  @Timeout(60)
  void isMeasuredWithVirtualThreadsOnlyAndRefusesPlatformThreads() throws Exception {
    assertThat(go.supports(ThreadKind.PLATFORM)).isFalse();
    assertThatThrownBy(() -> go.measure(Scenario.A, 3, ThreadKind.PLATFORM, false))
        .hasMessage(GoChild.NAME + ": goroutines only: no platform threads in Go");
    // the child goes on after a refusal
    assertThat(go.measure(Scenario.A, 3, ThreadKind.VIRTUAL, false)).isPositive();
  }

  @Test
  void theSourceIsFoundFromTheModule() {
    assertThat(GoChild.defaultSource()).isEqualTo(Path.of("go"));
  }
}
