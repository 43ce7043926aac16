package dev.rungroup.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the starter start-up benchmark with {@code --smoke} (N = 0 and 100, one sample per variant,
 * each in a fresh JVM of this test's Java), so that CI builds and exercises it: every variant
 * starts, its actors run (with the starter) or not (without), and the close stops them.
 */
class StarterStartupSmokeTest {

  @Test
  @Timeout(300)
  void smokeRunStartsEveryVariantAndWritesTheReport(@TempDir Path out) throws Exception {
    StarterStartup.main(new String[] {"--smoke", "--out", out.toString()});

    String md = Files.readString(out.resolve("starter.md"), StandardCharsets.UTF_8);
    assertThat(md)
        .contains(
            "## Platform threads",
            "start-up: main → ready",
            "start-up: main thread CPU time until ready",
            "≤ 15 ms at N = 0",
            "≤ 5% at N = 100");
    assertThat(md).doesNotContain("Failed samples");
    String csv = Files.readString(out.resolve("starter.csv"), StandardCharsets.UTF_8);
    for (String starter : new String[] {"with", "without"}) {
      for (int n : new int[] {0, 100}) {
        assertThat(csv.lines())
            .as("%s starter, N = %d", starter, n)
            .anyMatch(l -> l.startsWith("platform," + n + "," + starter + ",ready,1,"));
      }
    }
    if (ThreadKind.VIRTUAL.available()) {
      assertThat(csv.lines()).anyMatch(l -> l.startsWith("virtual,100,with,ready,1,"));
    }
  }
}
