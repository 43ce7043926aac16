package dev.rungroup.samples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the packaged service as a real process ({@code java -jar}, both ports 0) and talks to it
 * over HTTP: its own server, actuator, SIGTERM, and the fault switch.
 */
class ServiceIT {

  /** Bound for the service to start, answer, or end. */
  private static final Duration WAIT = Duration.ofMinutes(2);

  private static final Duration POLL = Duration.ofMillis(100);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private @Nullable Process process;
  private Path output = Path.of("unset");
  private Path portsFile = Path.of("unset");
  private Path directory = Path.of("unset");

  /** Prints the service's output when a test failed. */
  @RegisterExtension
  final TestWatcher printOutputOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          System.err.println("---- output of the service ----");
          try {
            System.err.println(Files.readString(output, StandardCharsets.UTF_8));
          } catch (IOException e) {
            System.err.println("(unreadable: " + e + ")");
          }
        }
      };

  @BeforeEach
  void prepare() throws IOException {
    assertThat(jar()).exists();
    directory = Files.createTempDirectory("service-it");
    output = directory.resolve("output.log");
    portsFile = directory.resolve("ports.properties");
  }

  @AfterEach
  void cleanUp() throws Exception {
    Process running = process;
    if (running != null && running.isAlive()) {
      running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // The output is printed by the watcher before this runs.
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(directory);
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void servesItsOwnHttpAndActuatorThenStopsGracefullyOnSigterm() throws Exception {
    Process service = start("--service.cron-interval=200ms");
    Properties ports = awaitPorts(service);
    String own = "http://127.0.0.1:" + ports.getProperty("http.port");
    String actuator = "http://127.0.0.1:" + ports.getProperty("server.port") + "/actuator";

    awaitReady(own);
    assertThat(get(own + "/fault").statusCode()).as("GET /fault is refused").isEqualTo(405);
    assertThat(get(own + "/nowhere").statusCode()).isEqualTo(404);

    JsonNode health = json(get(actuator + "/health"));
    assertThat(health.at("/status").asString()).isEqualTo("UP");
    assertThat(health.at("/components/runGroup/status").asString()).isEqualTo("UP");
    assertThat(health.at("/components/runGroup/details/state").asString()).isEqualTo("RUNNING");

    JsonNode actors = json(get(actuator + "/actors")).at("/actors");
    assertThat(actors.size()).isEqualTo(3);
    List<String> names = new ArrayList<>();
    for (JsonNode actor : actors) {
      names.add(actor.at("/name").asString());
      assertThat(actor.at("/state").asString()).isEqualTo("running");
    }
    assertThat(names)
        .as("in interrupt order")
        .containsExactly("http-server", "cron-jobs", "state-machine");

    JsonNode running = json(get(actuator + "/metrics/rungroup.actors.running"));
    assertThat(running.at("/measurements/0/value").asDouble()).isEqualTo(3.0);

    // The cron jobs waited for the state machine, then run every 200 ms.
    awaitOutput("cron-jobs: run 2: state machine is READY");
    assertThat(outputLines())
        .containsSubsequence(
            "cron-jobs: waiting until the state machine is ready",
            "state-machine: READY",
            "cron-jobs: run 1: state machine is READY");

    signal(service, "TERM");
    assertThat(service.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("ends after SIGTERM")
        .isTrue();
    // A JVM ended by SIGTERM exits with 128 + 15 once its shutdown hooks (Spring's) have run.
    assertThat(service.exitValue()).isEqualTo(143);
    assertThat(outputLines())
        .containsSubsequence("http-server: stopped", "state-machine: stopped (group stopping)")
        .anyMatch(line -> line.contains("cron-jobs: stopped"))
        .anyMatch(line -> line.contains("Group of actors stopped"))
        .noneMatch(line -> line.contains("ERROR"))
        .noneMatch(line -> line.contains("left running"));
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void postFaultMakesTheStateMachineFailAndTheWholeGroupStopWithExitCode3() throws Exception {
    Process service = start();
    Properties ports = awaitPorts(service);
    String own = "http://127.0.0.1:" + ports.getProperty("http.port");
    awaitReady(own);

    HttpResponse<String> fault = post(own + "/fault");

    assertThat(fault.statusCode()).isEqualTo(202);
    assertThat(service.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("ends by itself").isTrue();
    assertThat(service.exitValue()).isEqualTo(ServiceFault.EXIT_CODE);
    assertThat(outputLines())
        .anyMatch(line -> line.contains("Actor 'state-machine' failed: stopping the group"))
        .anyMatch(line -> line.contains("state machine failed: POST /fault"))
        .anyMatch(line -> line.contains("http-server: stopped"))
        .anyMatch(line -> line.contains("cron-jobs: stopped"));
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void failAfterPropertyStopsTheGroupWithExitCode3() throws Exception {
    Process service = start("--service.fail-after=500ms");

    assertThat(service.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("ends by itself").isTrue();
    assertThat(service.exitValue()).isEqualTo(ServiceFault.EXIT_CODE);
    assertThat(outputLines())
        .anyMatch(line -> line.contains("state machine failed: service.fail-after=PT0.5S elapsed"))
        .anyMatch(line -> line.contains("http-server: stopped"));
  }

  // ---------------------------------------------------------------------------------------------

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.add("--server.port=0");
    command.add("--service.http-port=0");
    command.add("--service.startup-delay=300ms");
    command.add("--service.ports-file=" + portsFile);
    command.addAll(List.of(args));
    Process started =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    process = started;
    return started;
  }

  private Properties awaitPorts(Process service) throws IOException {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> Files.exists(portsFile) || !service.isAlive());
    assertThat(service.isAlive()).as("the service is running").isTrue();
    Properties ports = new Properties();
    try (Reader reader = Files.newBufferedReader(portsFile, StandardCharsets.UTF_8)) {
      ports.load(reader);
    }
    return ports;
  }

  /** Waits until the service's own server says the state machine is ready. */
  private void awaitReady(String own) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .ignoreExceptions() // the server may not accept connections yet
        .until(() -> get(own + "/state").body().equals("READY\n"));
  }

  private void awaitOutput(String text) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> outputLines().stream().anyMatch(line -> line.contains(text)));
  }

  /** The output's lines, each cut to its message when it is a Spring log line. */
  private List<String> outputLines() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      int message = line.indexOf(" : ");
      lines.add(message < 0 ? line : line.substring(message + 3));
    }
    return lines;
  }

  private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.uri() + " answers 200").isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> post(String uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a signal with {@code kill}: {@link Process#destroy()} would also close its streams. */
  private static void signal(Process service, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(service.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -" + signal).isZero();
  }

  private static Path jar() {
    return Paths.get(System.getProperty("sample.jar", "target/service.jar"));
  }
}
