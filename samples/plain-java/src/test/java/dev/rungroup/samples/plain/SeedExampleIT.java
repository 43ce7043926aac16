package dev.rungroup.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the packaged sample as a real process, as the README tells a newcomer to. */
class SeedExampleIT {

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void packagedJarPrintsTheArticlesLinesInADeterministicOrderAndExitsZero() throws Exception {
    Path jar = Paths.get(System.getProperty("sample.jar", "target/plain-java-sample.jar"));
    assertThat(jar).exists();
    Path output = Files.createTempFile("plain-java-sample", ".out");
    try {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      Process process =
          new ProcessBuilder(java, "-jar", jar.toString())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean ended = process.waitFor(45, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly();
      }
      assertThat(ended).as("the sample ends by itself").isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(lines(output))
          .containsExactly(
              "Go routine 3 is sleeping...",
              "Go routine 3 is sleeping...",
              "Go routine 3 is sleeping...",
              "Go routine 3 is closed",
              "Go routine 1 is closed",
              "Go routine 2 is closed");
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }
}
