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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the packaged service as a real process ({@code java -jar}, {@code --server.port=0}, a data
 * directory and a configuration file of its own) and talks to it over HTTP, reads its output and
 * sends it a real SIGTERM ({@code kill -TERM}).
 *
 * <p>The jar holds the context processed ahead of time ({@code spring-boot:process-aot}). Four
 * tests also run it in Spring's AOT mode ({@code -Dspring.aot.enabled=true}) with the same
 * assertions: the start and stop in the graph's order (every kind of actor: the {@code web} bean
 * class, {@code @Actor} methods with and without an {@code ActorContext}, one-shot, signalled), the
 * restarts of {@code upstream} within its budget, and the exit codes of a startup timeout and of a
 * storage fault. The other four run on the JVM only, to keep the build's time in check.
 */
class ServiceIT {

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

  /** Bound for the service to start, answer, or end: generous, the machine may be loaded. */
  private static final Duration WAIT = Duration.ofMinutes(2);

  private static final Duration POLL = Duration.ofMillis(100);

  /** The exit status of a JVM ended by SIGTERM: 128 + 15. */
  private static final int SIGTERM_STATUS = 143;

  /** The line the starter logs when the group begins to stop without a first actor (SIGTERM). */
  private static final String STOPPING = "Stopping the group of actors";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private @Nullable Process process;
  private Path directory = Path.of("unset");
  private Path output = Path.of("unset");
  private Path portsFile = Path.of("unset");
  private Path configFile = Path.of("unset");

  /**
   * Prints the service's output when a test failed; an after-test-execution callback, so it runs
   * before {@link #cleanUp()} deletes the output.
   */
  @RegisterExtension
  final AfterTestExecutionCallback printOutputOnFailure =
      context -> {
        if (context.getExecutionException().isPresent()) {
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
    configFile = directory.resolve("scrape-config.properties");
    Files.writeString(
        configFile,
        "scrape.interval=100ms\nscrape.targets=node,app\nrules.interval=300ms\nrules=items_total\n",
        StandardCharsets.UTF_8);
  }

  @AfterEach
  void cleanUp() throws Exception {
    Process running = process;
    if (running != null && running.isAlive()) {
      running.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Launch.class)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void startLinesFollowTheGraphAndAtSigtermTheDependentsStopBeforeTheConfigBeforeTheStorageCloses(
      Launch launch) throws Exception {
    Process service = start(launch, Map.of());
    String base = awaitPorts(service);
    awaitReadinessUp(base);
    awaitOutput("scrape: item 2 written");

    assertThat(json(get(base + "/api/items")).at("/items").asLong()).isGreaterThanOrEqualTo(2);
    JsonNode actors = json(get(base + "/actuator/actors")).at("/actors");
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (JsonNode actor : actors) {
      byName.put(actor.at("/name").asString(), actor);
    }
    assertThat(byName)
        .containsOnlyKeys("migrations", "storage", "config", "web", "scrape", "rules", "upstream");
    assertThat(byName.get("migrations").at("/state").asString()).isEqualTo("done");
    assertThat(names(byName.get("storage").at("/after"))).containsExactly("migrations");
    assertThat(names(byName.get("config").at("/after"))).containsExactly("storage");
    for (String dependent : List.of("web", "scrape", "rules")) {
      assertThat(names(byName.get(dependent).at("/after")))
          .as(dependent)
          .containsExactly("storage", "config");
    }
    assertThat(names(byName.get("upstream").at("/after"))).containsExactly("storage");
    List<String> order = new ArrayList<>(byName.keySet());
    assertThat(order.subList(0, 3))
        .as("the actors in a topological order")
        .containsExactly("migrations", "storage", "config");
    JsonNode health = json(get(base + "/actuator/health"));
    assertThat(health.at("/components/runGroup/status").asString()).isEqualTo("UP");

    // The config actor reloads on request, as Prometheus does.
    assertThat(post(base + "/-/reload").statusCode()).isEqualTo(202);
    awaitOutput("(POST /-/reload): 2 targets every 100 ms");

    signal(service, "TERM");
    assertThat(awaitExit(service)).isEqualTo(SIGTERM_STATUS);

    List<String> lines = outputLines();
    // Start: each actor's first line comes after the lines of the actors it is after.
    int migrated = index(lines, "migrations: done, schema version 3");
    int opening = index(lines, "storage: opening");
    int opened = index(lines, "storage: opened");
    int loaded = index(lines, "config: loaded");
    assertThat(opening).as("the storage opens after the migrations").isGreaterThan(migrated);
    assertThat(loaded).as("the config loads after the storage opened").isGreaterThan(opened);
    for (String start : List.of("web: API ready", "scrape: started", "rules: started")) {
      assertThat(index(lines, start)).as(start).isGreaterThan(loaded);
    }
    assertThat(index(lines, "upstream: polling")).isGreaterThan(opened);

    // Stop: the dependents before the config, the config and the upstream poller before the
    // storage closes, and the storage closed last.
    int stopping = index(lines, STOPPING);
    int configStopped = index(lines, "config: stopped");
    int closed = index(lines, "storage: closed");
    for (String stop :
        List.of("web: API stopped", "scrape: stopped", "rules: stopped", "upstream: stopped")) {
      int line = index(lines, stop);
      assertThat(line).as(stop).isGreaterThan(stopping).isLessThan(closed);
      if (!stop.startsWith("upstream")) {
        assertThat(line).as(stop + ", before the config").isLessThan(configStopped);
      }
    }
    assertThat(configStopped).isLessThan(closed);
    assertThat(closed).isLessThan(index(lines, "Group of actors stopped"));
    String threads =
        "virtual".equals(System.getProperty("rungroup.test.threads")) ? "virtual" : "platform";
    assertThat(lines)
        .as("the actors' threads follow spring.threads.virtual.enabled, read at startup")
        .anyMatch(
            line ->
                line.startsWith(
                    "Started the group of 7 actors on "
                        + threads
                        + " threads: migrations, storage, config, "));
    assertThat(lines)
        .as("Spring Boot's startup line says whether the AOT-processed context runs")
        .filteredOn(line -> line.startsWith("Starting AOT-processed ServiceApplication"))
        .hasSize(launch == Launch.AOT ? 1 : 0);
    assertThat(rawLines())
        .noneMatch(line -> line.contains(" ERROR ") || line.contains(" WARN "))
        .noneMatch(line -> line.contains("left running"));
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void readinessIsOutOfServiceWhileTheStorageOpensThenUp() throws Exception {
    Process service = start(Launch.JVM, Map.of("service.storage.open-time", "10s"));
    String base = awaitPorts(service);

    HttpResponse<String> readiness = get(base + "/actuator/health/readiness");
    JsonNode actors = json(get(base + "/actuator/actors"));
    JsonNode health = JSON.readTree(get(base + "/actuator/health").body());
    assertThat(outputLines())
        .as("the storage was still opening when asked (it takes 10 s)")
        .noneMatch(line -> line.startsWith("storage: opened"));
    assertThat(readiness.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(readiness.body()).at("/status").asString())
        .isEqualTo("OUT_OF_SERVICE");
    assertThat(actor(actors, "storage").at("/state").asString()).isEqualTo("running");
    assertThat(actor(actors, "storage").at("/ready").asBoolean()).isFalse();
    assertThat(actor(actors, "config").at("/state").asString()).isEqualTo("waiting");
    assertThat(health.at("/components/runGroup/status").asString()).isEqualTo("UNKNOWN");
    assertThat(get(base + "/api/items").statusCode())
        .as("the API refuses until the web actor runs")
        .isEqualTo(503);

    awaitReadinessUp(base);
    assertThat(outputLines())
        .anyMatch(line -> line.startsWith("storage: opened"))
        .anyMatch(line -> line.startsWith("Group of actors ready in"));
    assertThat(get(base + "/api/items").statusCode()).isEqualTo(200);

    signal(service, "TERM");
    assertThat(awaitExit(service)).isEqualTo(SIGTERM_STATUS);
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void scrapeWithAnItemInFlightAtSigtermWritesItBeforeTheStorageClosesUnderIt() throws Exception {
    Process service = start(Launch.JVM, Map.of("service.scrape.hold", "8s"));
    awaitPorts(service);

    // SIGTERM while an item is in flight: scraped, not yet written.
    String[] inFlight = new String[1];
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              List<String> lines = outputLines();
              for (String line : lines) {
                if (line.startsWith("scrape: item ") && line.contains(" in flight")) {
                  String item = line.substring(0, line.indexOf(" in flight"));
                  if (!lines.contains(item + " written")) {
                    inFlight[0] = item;
                    return true;
                  }
                }
              }
              return false;
            });
    signal(service, "TERM");
    assertThat(awaitExit(service)).isEqualTo(SIGTERM_STATUS);

    String item = inFlight[0];
    List<String> lines = outputLines();
    // The stop began while the item was in flight, and waited for it.
    assertInOrder(
        lines,
        item + " in flight",
        STOPPING,
        item + " written",
        "scrape: stopped",
        "config: stopped",
        "storage: closed");
    assertThat(lines)
        .noneMatch(line -> line.contains("storage is not open"))
        .noneMatch(line -> line.contains(" lost: "));
    assertThat(rawLines()).noneMatch(line -> line.contains(" ERROR "));
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void withGracefulShutdownARequestInFlightAtSigtermCompletesWith200AgainstRunningActors()
      throws Exception {
    Process service = start(Launch.JVM, Map.of());
    String base = awaitPorts(service);
    awaitReadinessUp(base);

    CompletableFuture<HttpResponse<String>> slow =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/api/slow?millis=5000"))
                .timeout(WAIT)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    awaitOutput("api: slow request started (5000 ms)");
    signal(service, "TERM");

    HttpResponse<String> answer = slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).at("/tookMillis").asLong()).isEqualTo(5000);
    assertThat(awaitExit(service)).isEqualTo(SIGTERM_STATUS);
    // The web server's drain began with the request in flight, and the actors were interrupted
    // only once it had answered.
    List<String> lines = outputLines();
    assertInOrder(
        lines,
        "api: slow request started (5000 ms)",
        "Commencing graceful shutdown",
        "api: slow request answered",
        STOPPING,
        "web: API stopped",
        "config: stopped",
        "storage: closed");
    assertThat(lines).noneMatch(line -> line.contains("storage is not open"));
  }

  @ParameterizedTest
  @EnumSource(Launch.class)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aStorageSlowerThanItsStartupTimeoutExits1NamingTheStorage(Launch launch) throws Exception {
    Process service =
        start(
            launch,
            Map.of(
                "service.storage.open-time", "60s",
                "run-group.actors[storage].startup-timeout", "1s"));

    assertThat(awaitExit(service)).isEqualTo(1);
    assertThat(outputLines())
        .anyMatch(line -> line.startsWith("Actor 'storage' failed: stopping the group of actors"))
        .anyMatch(line -> line.contains("actor 'storage' was not ready within its startup timeout"))
        .noneMatch(line -> line.startsWith("storage: opened"))
        .noneMatch(line -> line.startsWith("config: loaded"));
  }

  @ParameterizedTest
  @EnumSource(Launch.class)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void injectedUpstreamFailuresAreRestartedAndCountedWhileTheServiceStaysUpAndReady(Launch launch)
      throws Exception {
    Process service = start(launch, Map.of("service.upstream.interval", "100ms"));
    String base = awaitPorts(service);
    awaitReadinessUp(base);

    assertThat(post(base + "/fault/upstream?failures=3").statusCode()).isEqualTo(202);

    List<Integer> readiness = new ArrayList<>();
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () -> {
              readiness.add(get(base + "/actuator/health/readiness").statusCode());
              JsonNode upstream = json(get(base + "/actuator/actors/upstream"));
              return upstream.at("/restarts").asInt() == 3
                  && upstream.at("/state").asString().equals("running");
            });
    assertThat(readiness).as("readiness while restarting").isNotEmpty().containsOnly(200);
    assertThat(service.isAlive()).isTrue();

    JsonNode meter =
        json(get(base + "/actuator/metrics/rungroup.actor.restarts?tag=actor:upstream"));
    assertThat(meter.at("/measurements/0/statistic").asString()).isEqualTo("COUNT");
    assertThat(meter.at("/measurements/0/value").asDouble()).isEqualTo(3.0);
    JsonNode health = json(get(base + "/actuator/health"));
    assertThat(health.at("/components/runGroup/status").asString()).isEqualTo("UP");
    assertThat(json(get(base + "/actuator/health/readiness")).at("/status").asString())
        .isEqualTo("UP");
    assertThat(outputLines())
        .filteredOn(
            line ->
                line.startsWith(
                    "Actor 'upstream' failed (java.io.IOException: upstream unavailable"))
        .hasSize(3)
        .allMatch(line -> line.contains(": restarting it in"));
    awaitOutput("upstream: polling (restarts so far: 3)");

    signal(service, "TERM");
    assertThat(awaitExit(service)).isEqualTo(SIGTERM_STATUS);
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void anUpstreamCrashLoopPastItsBudgetExits1WithTheEscalationLine() throws Exception {
    Process service = start(Launch.JVM, Map.of("service.upstream.interval", "100ms"));
    String base = awaitPorts(service);
    awaitReadinessUp(base);

    assertThat(post(base + "/fault/upstream?failures=1000").statusCode()).isEqualTo(202);

    assertThat(awaitExit(service)).isEqualTo(1);
    assertThat(outputLines())
        .filteredOn(line -> line.startsWith("Actor 'upstream' failed (java.io.IOException"))
        .as("the five restarts of its budget")
        .hasSize(5);
    assertThat(rawLines())
        .anyMatch(
            line ->
                line.contains(" ERROR ")
                    && line.endsWith(
                        " : Actor 'upstream' failed 6 times within 1m: stopping the group of"
                            + " actors"));
    assertThat(outputLines())
        .anyMatch(line -> line.startsWith("storage: closed"))
        .anyMatch(line -> line.startsWith("Group of actors stopped"));
  }

  @ParameterizedTest
  @EnumSource(Launch.class)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aStorageFaultStopsTheWholeGroupAndExitsWith3(Launch launch) throws Exception {
    Process service = start(launch, Map.of());
    String base = awaitPorts(service);
    awaitReadinessUp(base);

    assertThat(post(base + "/fault/storage").statusCode()).isEqualTo(202);

    assertThat(awaitExit(service)).isEqualTo(StorageFault.EXIT_CODE);
    assertThat(outputLines())
        .anyMatch(line -> line.startsWith("Actor 'storage' failed: stopping the group of actors"))
        .anyMatch(line -> line.contains("storage failed: POST /fault/storage"))
        .anyMatch(line -> line.startsWith("storage: closed"))
        .anyMatch(line -> line.startsWith("web: API stopped"))
        .anyMatch(line -> line.startsWith("Group of actors stopped"));
  }

  // ---------------------------------------------------------------------------------------------

  /** Starts the jar; {@code overrides} replace or add to the defaults of these tests. */
  private Process start(Launch launch, Map<String, String> overrides) throws IOException {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("service.data-dir", directory.resolve("data").toString());
    properties.put("service.config-file", configFile.toUri().toString());
    properties.put("service.ports-file", portsFile.toString());
    properties.put("service.storage.open-time", "300ms");
    if ("virtual".equals(System.getProperty("rungroup.test.threads"))) {
      properties.put("spring.threads.virtual.enabled", "true"); // the Java 25 leg of the build
    }
    properties.putAll(overrides);
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(launch.jvmArguments());
    command.add("-jar");
    command.add(jar().toString());
    properties.forEach((key, value) -> command.add("--" + key + "=" + value));
    Process started =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    process = started;
    return started;
  }

  /** Waits for the ports file the service writes once the application is ready. */
  private String awaitPorts(Process service) throws IOException {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> Files.exists(portsFile) || !service.isAlive());
    assertThat(service.isAlive()).as("the service is running").isTrue();
    Properties ports = new Properties();
    try (Reader reader = Files.newBufferedReader(portsFile, StandardCharsets.UTF_8)) {
      ports.load(reader);
    }
    return "http://127.0.0.1:" + ports.getProperty("server.port");
  }

  private void awaitReadinessUp(String base) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> get(base + "/actuator/health/readiness").statusCode() == 200);
  }

  private void awaitOutput(String text) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> outputLines().stream().anyMatch(line -> line.contains(text)));
  }

  private int awaitExit(Process service) throws InterruptedException {
    assertThat(service.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the service ends").isTrue();
    return service.exitValue();
  }

  /** The output's lines, each cut to its message when it is a Spring log line. */
  private List<String> outputLines() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : rawLines()) {
      int message = line.indexOf(" : ");
      lines.add(message < 0 ? line : line.substring(message + 3));
    }
    return lines;
  }

  private List<String> rawLines() throws IOException {
    return Files.readAllLines(output, StandardCharsets.UTF_8);
  }

  /** The index of the first line that begins with {@code prefix}, which must be there. */
  private static int index(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no line begins with \"" + prefix + "\"");
  }

  /** Asserts that lines beginning with each prefix come in this order, each after the last. */
  private static void assertInOrder(List<String> lines, String... prefixes) {
    int from = 0;
    for (String prefix : prefixes) {
      int found = -1;
      for (int i = from; i < lines.size() && found < 0; i++) {
        if (lines.get(i).startsWith(prefix)) {
          found = i;
        }
      }
      assertThat(found)
          .as(
              "a line beginning with \"%s\" after line %d, in the order %s",
              prefix, from, List.of(prefixes))
          .isNotNegative();
      from = found + 1;
    }
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    for (JsonNode name : array) {
      names.add(name.asString());
    }
    return names;
  }

  private static JsonNode actor(JsonNode actors, String name) {
    for (JsonNode actor : actors.at("/actors")) {
      if (actor.at("/name").asString().equals(name)) {
        return actor;
      }
    }
    throw new AssertionError("no actor " + name + " in " + actors);
  }

  private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.uri() + " answers 200").isEqualTo(200);
    return JSON.readTree(response.body());
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
