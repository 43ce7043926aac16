package dev.rungroup.samples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/** Runs the packaged Spring Boot sample as a real process, as the README's first command does. */
class SeedExampleIT {

  private static final List<String> ARTICLE_LINES =
      List.of(
          "Go routine 3 is sleeping...",
          "Go routine 3 is sleeping...",
          "Go routine 3 is sleeping...",
          "Go routine 3 is closed",
          "Go routine 1 is closed",
          "Go routine 2 is closed");

  private static final long PROCESS_TIMEOUT_SECONDS = 120;

  private final List<Path> outputs = new ArrayList<>();

  /** Prints the child's stdout and stderr when a test failed. */
  @RegisterExtension
  final TestWatcher printOutputOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          for (Path output : outputs) {
            System.err.println("---- " + output.getFileName() + " of the sample ----");
            try {
              System.err.println(Files.readString(output, StandardCharsets.UTF_8));
            } catch (IOException e) {
              System.err.println("(unreadable: " + e + ")");
            }
          }
        }
      };

  @BeforeEach
  void checkJar() {
    assertThat(jar()).exists();
  }

  @AfterEach
  void deleteOutputs() throws IOException {
    for (Path output : outputs) {
      Files.deleteIfExists(output);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void printsTheArticlesLinesWithTheClosingOrderFixedAndExitsZeroByItself() throws Exception {
    Result result = run();

    assertThat(result.ended()).as("the sample ends by itself").isTrue();
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).containsExactlyElementsOf(ARTICLE_LINES);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void closingOrderHoldsWithAShortTickToo() throws Exception {
    Result result = run("--seed.tick=1ms", "--logging.level.dev.rungroup=info");

    assertThat(result.ended()).as("the sample ends by itself").isTrue();
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).containsExactlyElementsOf(ARTICLE_LINES);
    assertThat(result.stderr())
        .as("the group's log goes to stderr")
        .anyMatch(line -> line.contains("Actor 'routine-3' returned: stopping the group"));
  }

  private record Result(boolean ended, int exitCode, List<String> stdout, List<String> stderr) {}

  private Result run(String... args) throws IOException, InterruptedException {
    Path stdout = Files.createTempFile("seed-example", ".stdout");
    Path stderr = Files.createTempFile("seed-example", ".stderr");
    outputs.add(stdout);
    outputs.add(stderr);
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    boolean ended = process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return new Result(
        ended,
        ended ? process.exitValue() : -1,
        Files.readAllLines(stdout, StandardCharsets.UTF_8),
        Files.readAllLines(stderr, StandardCharsets.UTF_8));
  }

  private static Path jar() {
    return Paths.get(System.getProperty("sample.jar", "target/seed-example.jar"));
  }
}
