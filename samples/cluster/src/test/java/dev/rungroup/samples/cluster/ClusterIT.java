package dev.rungroup.samples.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.spring.autoconfigure.PostgresFixture;
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
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three packaged replicas of the sample as child JVMs on loopback ({@code java -jar}, a port each
 * from {@code server.port=0}), one private PostgreSQL (the starter's {@link PostgresFixture}), and
 * real signals ({@code kill -KILL/-TERM/-STOP/-CONT <pid>}) and a real database crash ({@code
 * pg_ctl stop -m immediate}). The leadership's settings are short: time-to-live 2 s, renew interval
 * 200 ms, margin 500 ms ({@code -Dcluster.time-to-live} and the others change them).
 *
 * <p>The scenarios run in order, on the same replicas and the same heartbeat table: one leader;
 * {@code kill -9} of the leader ({@code -Dcluster.failovers=N} times); SIGTERM of the leader
 * ({@code -Dcluster.handoffs=N} times); the database stopped under the leader; then the heartbeat
 * table of all of them checked for two incarnations of different replicas at once; last, a leader
 * paused by SIGSTOP past the time-to-live, whose overlap is measured. Each replica's output is kept
 * in {@code target/cluster-it}; every process and the database are stopped also when a test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES) // per scenario; the benchmark repeats some 10 times
class ClusterIT {

  @RegisterExtension static final PostgresFixture postgres = new PostgresFixture();

  private static final Duration TTL = setting("cluster.time-to-live", "2s");
  private static final Duration RENEW = setting("cluster.renew-interval", "200ms");
  private static final Duration MARGIN = setting("cluster.margin", "500ms");
  private static final int FAILOVERS = Integer.getInteger("cluster.failovers", 1);
  private static final int HANDOFFS = Integer.getInteger("cluster.handoffs", 1);

  /**
   * What a takeover may take beyond the lock's side of it: the new leader's start of billing and
   * its first insert, on a loaded machine (two cores, three JVMs, the database and the build).
   */
  private static final Duration FIRST_HEARTBEAT = Duration.ofMillis(300);

  /** How soon a standby leads after the leader's SIGTERM (the lock released, not expired). */
  private static final Duration HANDOFF = Duration.ofSeconds(1);

  /** How soon a resumed leader stops its incarnation: at once, give or take a heartbeat. */
  private static final Duration RESUMED_STOP = Duration.ofSeconds(1);

  /** Bound for a replica to start, answer or end: generous, the machine may be loaded. */
  private static final Duration WAIT = Duration.ofMinutes(2);

  private static final Duration POLL = Duration.ofMillis(20);

  /** The exit status of a JVM ended by SIGTERM: 128 + 15. */
  private static final int SIGTERM_STATUS = 143;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final Path logs = Path.of(System.getProperty("cluster.logs", "target/cluster-it"));
  private final Map<String, Replica> replicas = new LinkedHashMap<>();
  private JdbcTemplate jdbc = new JdbcTemplate();

  @BeforeAll
  void startThreeReplicas() throws Exception {
    assertThat(jar()).exists();
    deleteTree(logs);
    Files.createDirectories(logs);
    jdbc = new JdbcTemplate(postgres.dataSource());
    // The sample's own table, created once here rather than by three replicas starting at once
    // (CREATE TABLE IF NOT EXISTS is not safe against itself in PostgreSQL).
    try (Connection connection = postgres.dataSource().getConnection()) {
      ScriptUtils.executeSqlScript(connection, new ClassPathResource("schema.sql"));
    }
    System.out.printf(
        "ClusterIT: time-to-live %s, renew interval %s, margin %s; replicas' output in %s%n",
        TTL, RENEW, MARGIN, logs.toAbsolutePath());
    for (String name : List.of("a", "b", "c")) {
      Replica replica = new Replica(name);
      replicas.put(name, replica);
      replica.start();
    }
    for (Replica replica : replicas.values()) {
      replica.awaitUp();
    }
  }

  @AfterAll
  void stopReplicas() throws Exception {
    for (Replica replica : replicas.values()) {
      replica.destroy();
    }
  }

  /** Scenario 1. */
  @Test
  @Order(1)
  void exactlyOneReplicaRunsBillingTheOthersStandByAndAllThreeAreUp() throws Exception {
    Replica leader = awaitOneLeader();
    // (Before this, while three JVMs start on a loaded machine, a replica may gain the lock and be
    // fenced at once: its tryLock took longer than the time-to-live less the margin.)
    long steady = databaseMicros();
    // Several time-to-lives: the leader keeps its lock, the others keep standing by.
    await()
        .during(TTL.multipliedBy(2))
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> leaderOrNull() == leader);
    for (Replica replica : replicas.values()) {
      JsonNode billing = replica.billing();
      assertThat(billing).as(replica.name).isNotNull();
      assertThat(billing.at("/leader").asString()).isEqualTo("billing");
      if (replica == leader) {
        assertThat(billing.at("/state").asString()).isEqualTo("running");
        assertThat(billing.at("/leading").asBoolean()).isTrue();
      } else {
        assertThat(billing.at("/state").asString()).as(replica.name).isEqualTo("standby");
        assertThat(billing.at("/leading").asBoolean()).as(replica.name).isFalse();
      }
      HttpResponse<String> health = replica.get("/actuator/health");
      assertThat(health.statusCode()).as(replica.name).isEqualTo(200);
      assertThat(JSON.readTree(health.body()).at("/status").asString())
          .as(replica.name)
          .isEqualTo("UP");
    }
    assertThat(
            jdbc.queryForList(
                "SELECT DISTINCT replica FROM heartbeat WHERE at > to_timestamp(? / 1e6)",
                String.class,
                steady))
        .as("the replicas that wrote heartbeats meanwhile")
        .containsExactly(leader.name);
  }

  /** Scenario 2: crash failover, {@code cluster.failovers} times. */
  @Test
  @Order(2)
  void killMinus9OfTheLeaderHandsBillingToAnotherReplicaWithinTheTimeToLivePlusOneRenewInterval()
      throws Exception {
    for (int run = 1; run <= FAILOVERS; run++) {
      Replica leader = awaitOneLeader();
      long killedAt = databaseMicros();
      leader.signal("KILL");
      assertThat(leader.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      Incarnation next = awaitIncarnationSince(killedAt);
      Duration failover = micros(next.first() - killedAt);
      report("failover", run, failover);
      assertThat(next.replica()).isNotEqualTo(leader.name);
      assertThat(failover)
          .as("kill -9 to the next incarnation's first heartbeat")
          .isLessThanOrEqualTo(TTL.plus(RENEW).plus(FIRST_HEARTBEAT));

      leader.start(); // back to three replicas
      leader.awaitUp();
    }
  }

  /** Scenario 3: graceful handoff, {@code cluster.handoffs} times. */
  @Test
  @Order(3)
  void sigtermOfTheLeaderHandsBillingToAStandbyWithinOneSecond() throws Exception {
    for (int run = 1; run <= HANDOFFS; run++) {
      Replica leader = awaitOneLeader();
      long terminatedAt = databaseMicros();
      leader.signal("TERM");

      Incarnation next = awaitIncarnationSince(terminatedAt);
      Duration handoff = micros(next.first() - terminatedAt);
      report("handoff", run, handoff);
      assertThat(next.replica()).isNotEqualTo(leader.name);
      assertThat(handoff)
          .as("SIGTERM to the next incarnation's first heartbeat")
          .isLessThan(HANDOFF);
      assertThat(leader.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(leader.process().exitValue()).isEqualTo(SIGTERM_STATUS);
      assertThat(leader.output())
          .anyMatch(line -> line.contains("Leadership 'billing' gained"))
          .anyMatch(line -> line.contains("billing: incarnation ") && line.endsWith(" stopped"));

      leader.start();
      leader.awaitUp();
    }
  }

  /** Scenario 5 (before the check of scenarios 1 to 5, {@link #neverTwoAtOnce()}). */
  @Test
  @Order(4)
  void theDatabaseStoppedStopsBillingWithinTheTimeToLiveTickersRunOnAndOneLeadsAgain()
      throws Exception {
    Replica leader = awaitOneLeader();
    Map<Replica, Long> ticks = new LinkedHashMap<>();
    for (Replica replica : replicas.values()) {
      ticks.put(replica, replica.ticks());
    }

    int from = leader.output().size();
    try {
      long stopped = System.nanoTime();
      postgres.stopImmediately();
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(() -> "standby".equals(state(leader.billing())));
      Duration interrupted = Duration.ofNanos(System.nanoTime() - stopped);
      report("database-stop-to-standby", 1, interrupted);
      assertThat(interrupted)
          .as("the database stopped to billing stopped on the leader")
          .isLessThan(TTL);
      // The lock could not be released (the database is down): it is left to expire.
      leader.awaitOutput("Leadership 'billing' lost", from);
      leader.awaitOutput("Leadership 'billing': its leader actors stopped; contending again", from);

      // While the database is down nobody leads, and every replica's ticker keeps ticking.
      await()
          .during(TTL)
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(this::noneRunsBilling);
      for (Replica replica : replicas.values()) {
        long before = ticks.get(replica);
        await().atMost(WAIT).pollInterval(POLL).until(() -> replica.ticks() >= before + 10);
        assertThat(replica.process().isAlive()).as(replica.name).isTrue();
        assertThat(state(replica.actor("ticker"))).as(replica.name).isEqualTo("running");
      }
    } finally {
      postgres.startServerIfStopped();
    }
    long back = databaseMicros();
    awaitOneLeader();
    Incarnation next = awaitIncarnationSince(back);
    System.out.printf(
        "ClusterIT: the database back, replica %s leads again (first heartbeat %s after)%n",
        next.replica(), micros(next.first() - back));
  }

  /**
   * Scenario 4: over scenarios 1, 2, 3 and 5, no two incarnations of different replicas ran at
   * once, by the database's clock (each incarnation from its first to its last heartbeat).
   */
  @Test
  @Order(5)
  void neverTwoAtOnce() {
    List<Incarnation> incarnations = incarnationsSince(0);
    List<String> overlaps = overlaps(incarnations);
    report("overlaps", 1, overlaps.size());
    System.out.printf(
        "ClusterIT: %d incarnations of billing, %d heartbeats, %d overlaps%n",
        incarnations.size(),
        incarnations.stream().mapToLong(Incarnation::heartbeats).sum(),
        overlaps.size());
    assertThat(incarnations.stream().map(Incarnation::replica).distinct())
        .as("billing ran on more than one replica in turn")
        .hasSizeGreaterThan(1);
    assertThat(overlaps).as("incarnations of different replicas at once").isEmpty();
  }

  /**
   * Scenario 6: a leader paused by SIGSTOP past the time-to-live. A standby takes over meanwhile;
   * on SIGCONT the old leader's watchdog finds its lock unconfirmed for too long and stops billing
   * at once. What it wrote between its resumption and that stop overlaps the new leader: measured
   * and printed (the guarantee excludes pauses beyond the margin), not asserted to be zero.
   */
  @Test
  @Order(6)
  void aLeaderPausedPastTheTimeToLiveStopsItsIncarnationAtOnceWhenItResumes() throws Exception {
    Replica old = awaitOneLeader();
    int from = old.output().size();
    long pausedAt = databaseMicros();
    old.signal("STOP");
    old.paused = true;
    Incarnation next;
    try {
      next = awaitIncarnationSince(pausedAt);
      assertThat(next.replica()).isNotEqualTo(old.name);
      // A few heartbeats of the new leader, so that the old one resumes while it runs.
      await().atMost(WAIT).pollInterval(POLL).until(() -> heartbeats(next.incarnation()) >= 3);
    } finally {
      old.signal("CONT");
      old.paused = false;
    }
    long resumedAt = databaseMicros();
    Duration paused = micros(resumedAt - pausedAt);

    await().atMost(WAIT).pollInterval(POLL).until(() -> "standby".equals(state(old.billing())));
    Incarnation before = lastIncarnationOf(old.name, pausedAt);
    Duration overlap = micros(before.last() - next.first());
    Duration afterResume = micros(before.last() - resumedAt);
    Long late =
        jdbc.queryForObject(
            "SELECT count(*) FROM heartbeat WHERE incarnation = ?::uuid AND at >="
                + " to_timestamp(? / 1e6)",
            Long.class,
            before.incarnation(),
            next.first());
    report("sigstop-overlap", 1, overlap);
    report("sigstop-last-heartbeat-after-resume", 1, afterResume);
    report("sigstop-late-heartbeats", 1, late == null ? 0 : late);
    System.out.printf(
        "ClusterIT: SIGSTOP for %s; the old leader's last heartbeat %s after SIGCONT; overlap"
            + " with the new leader %s (negative: none), %d heartbeats of the old leader in it%n",
        paused, afterResume, overlap, late);
    assertThat(paused).isGreaterThan(TTL);
    assertThat(afterResume).as("the resumed leader stops at once").isLessThan(RESUMED_STOP);
    old.awaitOutput("Leadership 'billing' lost", from);
    assertThat(awaitOneLeader()).as("the new leader keeps leading").isNotSameAs(old);
  }

  // ---------------------------------------------------------------------------------------------
  // The heartbeat table

  /** One incarnation of billing: its heartbeats' first and last times, in µs since the epoch. */
  record Incarnation(String replica, String incarnation, long first, long last, long heartbeats) {}

  private List<Incarnation> incarnationsSince(long micros) {
    return jdbc.query(
        "SELECT replica, incarnation::text, min(micros), max(micros), count(*) FROM ("
            + "SELECT replica, incarnation, (extract(epoch FROM at) * 1000000)::bigint AS micros"
            + " FROM heartbeat) h GROUP BY replica, incarnation HAVING min(micros) > ?"
            + " ORDER BY 3",
        (rs, row) ->
            new Incarnation(
                rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
        micros);
  }

  private Incarnation awaitIncarnationSince(long micros) {
    List<Incarnation> found = new ArrayList<>();
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () -> {
              found.clear();
              found.addAll(incarnationsSince(micros));
              return !found.isEmpty();
            });
    return found.get(0);
  }

  private long heartbeats(String incarnation) {
    Long count =
        jdbc.queryForObject(
            "SELECT count(*) FROM heartbeat WHERE incarnation = ?::uuid", Long.class, incarnation);
    return count == null ? 0 : count;
  }

  private Incarnation lastIncarnationOf(String replica, long startedBefore) {
    List<Incarnation> all =
        incarnationsSince(0).stream()
            .filter(i -> i.replica().equals(replica) && i.first() < startedBefore)
            .toList();
    assertThat(all).as("incarnations of " + replica).isNotEmpty();
    return all.get(all.size() - 1);
  }

  private long databaseMicros() {
    Long now =
        jdbc.queryForObject(
            "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint", Long.class);
    assertThat(now).isNotNull();
    return now;
  }

  /** Each pair of incarnations of different replicas that ran at once, described. */
  static List<String> overlaps(List<Incarnation> incarnations) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < incarnations.size(); i++) {
      for (int j = i + 1; j < incarnations.size(); j++) {
        Incarnation a = incarnations.get(i);
        Incarnation b = incarnations.get(j);
        long overlap = Math.min(a.last(), b.last()) - Math.max(a.first(), b.first());
        if (!a.replica().equals(b.replica()) && overlap >= 0) {
          found.add(a + " and " + b + " overlap by " + micros(overlap));
        }
      }
    }
    return found;
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1000);
  }

  // ---------------------------------------------------------------------------------------------
  // The replicas

  /** The one replica whose billing runs, once the others stand by. */
  private Replica awaitOneLeader() {
    Replica[] leader = new Replica[1];
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              leader[0] = leaderOrNull();
              return leader[0] != null;
            });
    return leader[0];
  }

  /**
   * The replica whose billing runs while every other running replica's stands by, or {@code null}
   * when there is none, or more than one: a paused replica is not asked (it would not answer).
   */
  private @Nullable Replica leaderOrNull() throws IOException, InterruptedException {
    Replica leader = null;
    for (Replica replica : replicas.values()) {
      if (replica.paused || !replica.process().isAlive()) {
        continue;
      }
      JsonNode billing = replica.billing();
      String state = state(billing);
      if (billing != null && "running".equals(state) && billing.at("/leading").asBoolean()) {
        if (leader != null) {
          return null;
        }
        leader = replica;
      } else if (!"standby".equals(state)) {
        return null;
      }
    }
    return leader;
  }

  /** Whether every replica answers and none runs billing. */
  private boolean noneRunsBilling() throws InterruptedException {
    for (Replica replica : replicas.values()) {
      String state = state(replica.billing());
      if (state == null || state.equals("running")) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable String state(@Nullable JsonNode actor) {
    return actor == null ? null : actor.at("/state").asString();
  }

  /** One replica: a name, and the process of its current generation. */
  private final class Replica {
    final String name;
    volatile boolean paused;
    private int generation;
    private @Nullable Process process;
    private Path output = Path.of("unset");
    private final Path portsFile;
    private String base = "http://unset";

    Replica(String name) {
      this.name = name;
      this.portsFile = logs.resolve(name + ".port");
    }

    void start() throws IOException {
      generation++;
      output = logs.resolve(name + "-" + generation + ".log");
      Files.deleteIfExists(portsFile);
      List<String> command = new ArrayList<>();
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
      command.add("-jar");
      command.add(jar().toString());
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("cluster.replica", name);
      properties.put("cluster.ports-file", portsFile.toString());
      properties.put("server.port", "0");
      properties.put("spring.datasource.url", postgres.url());
      properties.put("spring.sql.init.mode", "never");
      properties.put("run-group.leadership.time-to-live", TTL.toMillis() + "ms");
      properties.put("run-group.leadership.renew-interval", RENEW.toMillis() + "ms");
      properties.put("run-group.leadership.margin", MARGIN.toMillis() + "ms");
      properties.forEach((key, value) -> command.add("--" + key + "=" + value));
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
    }

    /** Waits for the ports file the replica writes once ready, and for its health UP. */
    void awaitUp() throws IOException {
      Process running = process();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Files.exists(portsFile) || !running.isAlive());
      assertThat(running.isAlive()).as("replica " + name + " runs; see " + output).isTrue();
      Properties ports = new Properties();
      try (Reader reader = Files.newBufferedReader(portsFile, StandardCharsets.UTF_8)) {
        ports.load(reader);
      }
      base = "http://127.0.0.1:" + ports.getProperty("server.port");
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> get("/actuator/health").statusCode() == 200);
    }

    Process process() {
      Process current = process;
      assertThat(current).as("replica " + name + " started").isNotNull();
      return current;
    }

    /** Sends a real signal: {@code kill -<signal> <pid>}. */
    void signal(String signal) throws IOException, InterruptedException {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process().pid()))
              .redirectErrorStream(true)
              .start();
      assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(kill.exitValue()).as("kill -" + signal + " of replica " + name).isZero();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(5))
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** The actors endpoint's billing, or {@code null} if the replica does not answer. */
    @Nullable JsonNode billing() throws InterruptedException {
      return actor("billing");
    }

    @Nullable JsonNode actor(String actor) throws InterruptedException {
      try {
        HttpResponse<String> response = get("/actuator/actors/" + actor);
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
      } catch (IOException e) {
        return null;
      }
    }

    long ticks() throws IOException, InterruptedException {
      return JSON.readTree(get("/ticker").body()).at("/ticks").asLong();
    }

    /** Waits for a line of the current generation's output, from line {@code from} on. */
    void awaitOutput(String text, int from) {
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(() -> output().stream().skip(from).anyMatch(line -> line.contains(text)));
    }

    /** The output of its current generation, each line cut to its message. */
    List<String> output() throws IOException {
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
        int message = line.indexOf(" : ");
        lines.add(message < 0 ? line : line.substring(message + 3));
      }
      return lines;
    }

    /** Ends the process, also a paused one, and waits for it. */
    void destroy() throws InterruptedException {
      Process current = process;
      if (current == null || !current.isAlive()) {
        return;
      }
      current.destroyForcibly(); // SIGKILL ends a stopped process too
      if (!current.waitFor(60, TimeUnit.SECONDS)) {
        System.err.println("ClusterIT: replica " + name + " did not end");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Prints a measurement and, with {@code -Dcluster.results=<file>}, appends it as a CSV line. */
  private static void report(String what, int run, Duration value) throws IOException {
    System.out.printf("ClusterIT: %s #%d: %d ms%n", what, run, value.toMillis());
    append(what, run, String.format("%.1f", value.toNanos() / 1e6));
  }

  private static void report(String what, int run, long count) {
    try {
      append(what, run, Long.toString(count));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void append(String what, int run, String value) throws IOException {
    String results = System.getProperty("cluster.results", "");
    if (results.isBlank()) {
      return;
    }
    Path file = Path.of(results);
    if (!Files.exists(file)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file, "measure,time_to_live_ms,renew_interval_ms,run,value\n", StandardCharsets.UTF_8);
    }
    Files.writeString(
        file,
        String.join(
                ",",
                what,
                Long.toString(TTL.toMillis()),
                Long.toString(RENEW.toMillis()),
                Integer.toString(run),
                value)
            + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
  }

  private static Duration setting(String property, String fallback) {
    String value = System.getProperty(property, "");
    return DurationStyle.detectAndParse(value.isBlank() ? fallback : value);
  }

  private static Path jar() {
    return Path.of(System.getProperty("sample.jar", "target/cluster.jar"));
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
