package dev.rungroup.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole harness with tiny N, so that CI builds and exercises the benchmarks. */
class CompareSmokeTest {

  @Test
  @Timeout(120)
  void smokeRunWritesTheTablesAndCharts(@TempDir Path out) throws Exception {
    Compare.main(new String[] {"--smoke", "--out", out.toString()});

    String md = Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8);
    assertThat(md).contains("## Scenario A", "## Scenario B", "| Group |", "baseline");
    assertThat(md).doesNotContain("failed");
    String csv = Files.readString(out.resolve("results.csv"), StandardCharsets.UTF_8);
    assertThat(csv.lines().filter(l -> l.startsWith("platform,A,100,Group,"))).hasSize(1);
    assertThat(out.resolve("scenario-a.png")).isNotEmptyFile();
    assertThat(out.resolve("scenario-b.png")).isNotEmptyFile();
    assertThat(out.resolve("machine.md")).isNotEmptyFile();
  }

  @Test
  @Timeout(60)
  void everyContenderCompletesBothScenarios() throws Exception {
    for (Contender c : Contenders.all()) {
      for (Scenario scenario : Scenario.values()) {
        long nanos = Measure.once(c, scenario, 50, ThreadKind.PLATFORM, false);
        assertThat(Duration.ofNanos(nanos)).isLessThan(Duration.ofSeconds(30));
      }
    }
  }
}
