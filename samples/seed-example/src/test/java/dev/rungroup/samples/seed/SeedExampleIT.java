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
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the packaged Spring Boot sample as a real process, as the README's first command does: on
 * the JVM, and in Spring's AOT mode (the jar holds the context processed at build time by {@code
 * spring-boot:process-aot}), with the same output.
 */
class SeedExampleIT {

  /** How the jar is launched. */
  enum Launch {
    /** {@code java -jar}: the context's configuration is processed at startup. */
    JVM,
    /** {@code java -Dspring.aot.enabled=true -jar}: the code generated at build time runs. */
    AOT;

    List<String> jvmArguments() {
      return this == AOT ? List.of("-Dspring.aot.enabled=true") : List.of();
    }
  }

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
  void theJarHoldsTheContextProcessedAheadOfTime() throws IOException {
    try (JarFile jar = new JarFile(jar().toFile())) {
      assertThat(
              jar.getEntry(
                  "BOOT-INF/classes/dev/rungroup/samples/seed/"
                      + "SeedExampleApplication__ApplicationContextInitializer.class"))
          .as("the initializer that spring-boot:process-aot generated")
          .isNotNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Launch.class)
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void printsTheArticlesLinesWithTheClosingOrderFixedAndExitsZeroByItself(Launch launch)
      throws Exception {
    Result result = run(launch);

    assertThat(result.ended()).as("the sample ends by itself").isTrue();
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).containsExactlyElementsOf(ARTICLE_LINES);
  }

  @ParameterizedTest
  @EnumSource(Launch.class)
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void closingOrderHoldsWithAShortTickToo(Launch launch) throws Exception {
    Result result = run(launch, "--seed.tick=1ms", "--logging.level.dev.rungroup=info");

    assertThat(result.ended()).as("the sample ends by itself").isTrue();
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).containsExactlyElementsOf(ARTICLE_LINES);
    assertThat(result.stderr())
        .as("the group's log goes to stderr")
        .anyMatch(line -> line.contains("Actor 'routine-3' returned: stopping the group"));
  }

  private record Result(boolean ended, int exitCode, List<String> stdout, List<String> stderr) {}

  private Result run(Launch launch, String... args) throws IOException, InterruptedException {
    Path stdout = Files.createTempFile("seed-example", ".stdout");
    Path stderr = Files.createTempFile("seed-example", ".stderr");
    outputs.add(stdout);
    outputs.add(stderr);
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(launch.jvmArguments());
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
