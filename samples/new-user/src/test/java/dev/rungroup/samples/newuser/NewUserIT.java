package dev.rungroup.samples.newuser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A new user's first application, made from the README alone: a fresh Spring Boot application
 * (parent {@code spring-boot-starter-parent}, as start.spring.io makes it) of each supported line,
 * with the README's {@code pom.xml} blocks (the BOM and the starter; the {@code process-aot}
 * execution of its AOT section) and its {@code App.java} block pasted in as they are, built with
 * Maven ({@code package}) against the build's local repository, into which the invoker's install
 * goal put the project's artifacts, and run as the README says: {@code java -jar}, then {@code java
 * -Dspring.aot.enabled=true -jar}. Each run must start the {@code @Actor}, print its line, and stop
 * it at SIGTERM with the exit status 143.
 *
 * <p>It builds both lines whatever line the build uses, so it runs on the baseline line's Java 17
 * leg only (it is skipped on the others).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class NewUserIT {

  private static final Duration WAIT = Duration.ofMinutes(2);

  /** The exit status of a JVM ended by SIGTERM: 128 + 15. */
  private static final int SIGTERM_STATUS = 143;

  /** The README's fenced blocks: the language, then the text. */
  private static final Pattern BLOCK =
      Pattern.compile("^```(\\w*)\\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL);

  private static final Path ROOT = Paths.get(property("new-user.root")).toAbsolutePath();

  private final List<Path> outputs = new ArrayList<>();

  private @Nullable Process process;

  /** Prints the outputs of the build and the runs when a test failed. */
  @RegisterExtension
  final AfterTestExecutionCallback printOutputOnFailure =
      context -> {
        if (context.getExecutionException().isPresent()) {
          for (Path output : outputs) {
            System.err.println("---- " + output + " ----");
            System.err.println(Files.readString(output, StandardCharsets.UTF_8));
          }
        }
      };

  @BeforeEach
  void onTheBaselineLegOnly() {
    Assumptions.assumeTrue(
        "platform".equals(System.getProperty("rungroup.test.threads", "platform")),
        "the Java 25 leg: the fresh applications were built and run on the Java 17 leg");
    Assumptions.assumeTrue(
        property("new-user.build.boot.version").equals(property("new-user.boot40.version")),
        "the newer Spring Boot leg: the fresh applications were built and run on the baseline leg");
  }

  @AfterEach
  void stopTheApplication() throws InterruptedException {
    Process running = process;
    if (running != null && running.isAlive()) {
      running.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "Spring Boot {0}")
  @ValueSource(strings = {"new-user.boot40.version", "new-user.boot41.version"})
  void theReadmesApplicationBuildsAndRunsItsActorOnTheJvmAndInAotMode(String versionProperty)
      throws Exception {
    String bootVersion = property(versionProperty);
    Path app = writeApplication(bootVersion);

    Path build = app.resolve("build.log");
    outputs.add(build);
    Process maven =
        command(
                app,
                ROOT.resolve("mvnw").toString(),
                "-B",
                "-ntp",
                "-Dmaven.repo.local=" + property("new-user.repository"),
                "package")
            .redirectOutput(build.toFile())
            .start();
    assertThat(maven.waitFor(10, TimeUnit.MINUTES)).as("the application's build ends").isTrue();
    assertThat(maven.exitValue()).as("the application's build (see build.log)").isZero();
    Path jar = app.resolve("target/app-0.0.1-SNAPSHOT.jar");
    assertThat(jar).exists();

    List<String> jvm = run(app, "jvm.log", List.of("java", "-jar", "target/" + jar.getFileName()));
    assertThat(jvm).noneMatch(line -> line.contains("Starting AOT-processed App"));

    List<String> aot =
        run(
            app,
            "aot.log",
            List.of("java", "-Dspring.aot.enabled=true", "-jar", "target/" + jar.getFileName()));
    assertThat(aot)
        .as("the context generated at build time runs")
        .anyMatch(line -> line.contains("Starting AOT-processed App"));
  }

  /** Runs the jar until its actor prints, sends SIGTERM, and returns the output's lines. */
  private List<String> run(Path app, String log, List<String> command) throws Exception {
    Path output = app.resolve(log);
    outputs.add(output);
    List<String> java = new ArrayList<>(command);
    java.set(0, Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    Process started =
        command(app, java.toArray(String[]::new)).redirectOutput(output.toFile()).start();
    process = started;
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> lines(output).contains("polling") || !started.isAlive());
    assertThat(started.isAlive()).as("the application runs").isTrue();
    assertThat(lines(output))
        .anyMatch(
            line -> line.endsWith("Started the group of 1 actor on platform threads: poller.poll"));

    Process kill =
        new ProcessBuilder("kill", "-TERM", Long.toString(started.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(started.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("it ends").isTrue();
    assertThat(started.exitValue()).isEqualTo(SIGTERM_STATUS);
    List<String> lines = lines(output);
    assertThat(lines)
        .anyMatch(line -> line.contains("Stopping the group of actors"))
        .anyMatch(line -> line.contains("Group of actors stopped"))
        .noneMatch(line -> line.contains(" ERROR ") || line.contains(" WARN "));
    return lines;
  }

  /** A fresh application of {@code bootVersion} under target/, from the README's blocks. */
  private static Path writeApplication(String bootVersion) throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    String dependencies = block(readme, "xml", "<artifactId>run-group-bom</artifactId>");
    assertThat(dependencies)
        .as("the README's BOM block names the build's version")
        .contains("<version>" + property("new-user.run-group.version") + "</version>");
    String aotPlugin = block(readme, "xml", "<goal>process-aot</goal>");
    String application = block(readme, "java", "@SpringBootApplication");
    Matcher packageLine =
        Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(application);
    assertThat(packageLine.find()).as("the README's App.java has a package").isTrue();

    Path app = Paths.get("target", "new-user", "boot-" + bootVersion).toAbsolutePath();
    Path sources = app.resolve("src/main/java").resolve(packageLine.group(1).replace('.', '/'));
    Files.createDirectories(sources);
    Files.writeString(
        app.resolve("pom.xml"),
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
          <modelVersion>4.0.0</modelVersion>
          <parent>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-parent</artifactId>
            <version>%s</version>
            <relativePath/>
          </parent>
          <groupId>com.example</groupId>
          <artifactId>app</artifactId>
          <version>0.0.1-SNAPSHOT</version>
          <properties>
            <java.version>17</java.version>
          </properties>
        %s
          <build>
            <plugins>
        %s
            </plugins>
          </build>
        </project>
        """
            .formatted(bootVersion, dependencies, aotPlugin),
        StandardCharsets.UTF_8);
    Files.writeString(sources.resolve("App.java"), application, StandardCharsets.UTF_8);
    return app;
  }

  /** The one fenced block of {@code language} in the README that contains {@code marker}. */
  private static String block(String readme, String language, String marker) {
    List<String> found = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(readme);
    while (matcher.find()) {
      if (matcher.group(1).equals(language) && matcher.group(2).contains(marker)) {
        found.add(matcher.group(2));
      }
    }
    assertThat(found).as("README blocks of %s with %s", language, marker).hasSize(1);
    return found.get(0);
  }

  /** A process in {@code directory}, with stderr into stdout, outside of this build's Maven. */
  private static ProcessBuilder command(Path directory, String... command) {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.keySet().removeAll(List.of("MAVEN_ARGS", "MAVEN_BASEDIR", "MAVEN_PROJECTBASEDIR"));
    return builder;
  }

  private static List<String> lines(Path output) throws IOException {
    return Files.readAllLines(output, StandardCharsets.UTF_8);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException("system property " + name + " not set (see the POM)");
    }
    return value;
  }
}
