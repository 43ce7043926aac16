package dev.rungroup.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
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
    assertThat(md).contains("The old engine was not measured: no --old-engine given");
    assertThat(md).doesNotContain("## Against", "reference-figures");
    String csv = Files.readString(out.resolve("results.csv"), StandardCharsets.UTF_8);
    assertThat(csv.lines().filter(l -> l.startsWith("platform,A,100,Group,"))).hasSize(1);
    assertThat(csv.lines().filter(l -> l.startsWith("platform,B,100," + Floor.NAME + ",")))
        .singleElement()
        .satisfies(l -> assertThat(ratio(l)).as("Group / floor").isPositive());
    assertThat(md).contains("| Group / floor |");
    if (goMeasured()) {
      System.out.println("Go contender measured in the smoke run");
      assertThat(md).contains("`" + GoChild.NAME + "`, in a process of its own", "| Group / Go |");
      for (String scenario : new String[] {"A", "B"}) {
        for (int n : Compare.SMOKE_NS) {
          String cell = "virtual," + scenario + "," + n + "," + GoChild.NAME + ",";
          assertThat(csv.lines().filter(l -> l.startsWith(cell)))
              .as(cell)
              .singleElement()
              .satisfies(
                  l -> {
                    assertThat(Integer.parseInt(l.split(",", -1)[4])).as("runs").isPositive();
                    assertThat(ratio(l)).as("Group / Go").isPositive();
                  });
        }
      }
      assertThat(csv).doesNotContain("platform,A,1," + GoChild.NAME);
      String graph = Files.readString(out.resolve("scenario-c.csv"), StandardCharsets.UTF_8);
      assertThat(graph).contains("virtual,100,go-graph,", "virtual,100,go-flat,");
      assertThat(md).contains("#### " + GoChild.NAME + ", the same rounds");
    } else {
      System.out.println("Go contender skipped: " + goSkipped());
      assertThat(md).contains(GoChild.NAME + " was not measured: ");
      assertThat(csv).doesNotContain(GoChild.NAME);
    }
    assertThat(out.resolve("scenario-a.png")).isNotEmptyFile();
    assertThat(out.resolve("scenario-b.png")).isNotEmptyFile();
    assertThat(out.resolve("machine.md")).isNotEmptyFile();
    assertThat(md).contains("## Scenario C: the graph", "## Restart latency");
    assertThat(out.resolve("scenario-c.csv")).isNotEmptyFile();
    assertThat(out.resolve("restart.csv")).isNotEmptyFile();
  }

  /**
   * Scenario C and the restart latency on their own: every thread kind of this JVM, both shapes at
   * each smoke N with both clocks, both ways of restarting with every restart measured; and nothing
   * of scenarios A and B (no child JVM, no chart).
   */
  @Test
  @Timeout(120)
  void graphAndRestartScenariosRunOnTheirOwn(@TempDir Path out) throws Exception {
    Compare.main(
        new String[] {
          "--smoke", "--no-memory", "--scenarios", "C,restart", "--out", out.toString()
        });

    String md = Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8);
    assertThat(md)
        .contains("## Scenario C: the graph", "## Restart latency")
        .contains("≤ 2× the catch-and-loop")
        .doesNotContain("## Scenario A", "## Scenario B", "failed");
    if (goMeasured()) {
      assertThat(md).contains("`" + GoChild.NAME + "`, in a process of its own");
    }
    assertThat(out.resolve("scenario-a.png")).doesNotExist();
    assertThat(out.resolve("results.csv")).isNotEmptyFile();
    String graph = Files.readString(out.resolve("scenario-c.csv"), StandardCharsets.UTF_8);
    String restart = Files.readString(out.resolve("restart.csv"), StandardCharsets.UTF_8);
    for (ThreadKind kind : ThreadKind.values()) {
      if (!kind.available()) {
        continue;
      }
      List<ScenarioC.Shape> shapes = new ArrayList<>(ScenarioC.GROUP_SHAPES);
      if (kind == ThreadKind.VIRTUAL && goMeasured()) {
        shapes.addAll(ScenarioC.GO_SHAPES);
      }
      for (int n : ScenarioC.SMOKE_NS) {
        for (ScenarioC.Shape shape : shapes) {
          String cell = kind.label() + "," + n + "," + shape.key + ",";
          assertThat(graph.lines().filter(l -> l.startsWith(cell)))
              .as(cell)
              .singleElement()
              .satisfies(
                  line -> {
                    String[] f = line.split(",", -1);
                    assertThat(Integer.parseInt(f[3])).as("runs").isGreaterThanOrEqualTo(5);
                    assertThat(Double.parseDouble(f[5])).as("start median").isPositive();
                    assertThat(Double.parseDouble(f[8])).as("stop median").isPositive();
                    if (shape.graph()) {
                      assertThat(Double.parseDouble(f[12])).as("start ratio").isPositive();
                      assertThat(Double.parseDouble(f[14])).as("stop ratio").isPositive();
                    }
                    if (!shape.go && shapes.contains(shape.inGo())) {
                      assertThat(Double.parseDouble(f[16])).as("start, Group / Go").isPositive();
                      assertThat(Double.parseDouble(f[17])).as("stop, Group / Go").isPositive();
                    }
                  });
        }
      }
      for (RestartLatency.Way way : RestartLatency.Way.values()) {
        String row = kind.label() + "," + way.key + ",";
        assertThat(restart.lines().filter(l -> l.startsWith(row)))
            .as(row)
            .singleElement()
            .satisfies(
                line -> {
                  String[] f = line.split(",", -1);
                  assertThat(Integer.parseInt(f[2]))
                      .as("restarts measured")
                      .isEqualTo(RestartLatency.SMOKE_RESTARTS);
                  assertThat(Long.parseLong(f[4])).as("median").isPositive();
                  assertThat(Long.parseLong(f[5]))
                      .as("p99")
                      .isGreaterThanOrEqualTo(Long.parseLong(f[4]));
                });
      }
    }
  }

  /**
   * The graph of scenario C is what it claims: each layer begins only once the one before is ready.
   */
  @Test
  @Timeout(60)
  void scenarioCStartsEachLayerAfterTheLayerBeforeIsReady() throws Exception {
    int n = 25; // two full layers and a partial one
    Queue<String> events = new ConcurrentLinkedQueue<>();
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorStarted(String actor, Thread thread) {
                    events.add("started " + actor);
                  }

                  @Override
                  public void actorReady(String actor) {
                    events.add("ready " + actor);
                  }

                  @Override
                  public void groupReady() {
                    events.add("group ready");
                  }
                })
            .build();
    ScenarioC.addGraph(group, n);
    Thread stopper =
        new Thread(
            () -> {
              try {
                group.awaitReady(Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              group.stop();
            });
    stopper.start();
    Exit exit = group.run();
    stopper.join();

    assertThat(exit.actors()).hasSize(n).allMatch(o -> o.started() && o.stopped());
    List<String> order = List.copyOf(events);
    assertThat(order).contains("group ready");
    for (int i = ScenarioC.LAYER; i < n; i++) {
      int started = order.indexOf("started a" + i);
      int layerBefore = (i / ScenarioC.LAYER - 1) * ScenarioC.LAYER;
      for (int d = layerBefore; d < layerBefore + ScenarioC.LAYER; d++) {
        assertThat(order.indexOf("ready a" + d))
            .as("a" + d + " ready before a" + i)
            .isBetween(0, started);
      }
    }
  }

  @Test
  void percentilesAreNearestRank() {
    long[] sorted = new long[200];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i + 1L;
    }
    assertThat(RestartLatency.percentile(sorted, 0.5)).isEqualTo(100);
    assertThat(RestartLatency.percentile(sorted, 0.99)).isEqualTo(198);
    assertThat(RestartLatency.percentile(new long[] {7}, 0.99)).isEqualTo(7);
    assertThat(RestartLatency.percentile(new long[0], 0.99)).isEqualTo(-1);
  }

  /**
   * The old engine's path end to end: a jar made from this build's core classes (so that the test
   * needs no other revision) runs in a child JVM, and this build's core in another, in every cell
   * of the smoke run; the old engine's rows carry the ratio new / old.
   */
  @Test
  @Timeout(180)
  void oldEngineRunsInAChildJvmFromItsOwnJar(@TempDir Path dir) throws Exception {
    Path jar = jarOfCore(dir.resolve("old-engine.jar"));
    Path out = dir.resolve("out");
    Compare.main(
        new String[] {
          "--smoke",
          "--no-memory",
          "--scenarios",
          "A,B",
          "--contenders",
          "group,old",
          "--old-engine",
          jar.toString(),
          "--old-engine-label",
          "this build's core",
          "--out",
          out.toString()
        });

    String md = Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8);
    assertThat(md)
        .contains("| " + ChildContender.OLD_ENGINE + " |", "| " + ChildContender.NEW_ENGINE + " |")
        .contains("| Group / old engine |", "| **new / old** |")
        .contains("in a child JVM of its own: run-group-core this build's core, from `" + jar)
        .doesNotContain("failed");
    String csv = Files.readString(out.resolve("results.csv"), StandardCharsets.UTF_8);
    for (ThreadKind kind : ThreadKind.values()) {
      if (!kind.available()) {
        continue;
      }
      for (String scenario : new String[] {"A", "B"}) {
        for (int n : Compare.SMOKE_NS) {
          String cell = kind.label() + "," + scenario + "," + n + ",";
          assertThat(csv.lines().filter(l -> l.startsWith(cell + ChildContender.OLD_ENGINE + ",")))
              .as(cell + "old")
              .singleElement()
              .satisfies(
                  line -> {
                    String[] f = line.split(",", -1);
                    assertThat(Integer.parseInt(f[4])).as("runs").isGreaterThanOrEqualTo(5);
                    assertThat(Double.parseDouble(f[9])).as("Group / old engine").isPositive();
                    assertThat(Double.parseDouble(f[11])).as("new / old").isPositive();
                    assertThat(Double.parseDouble(f[12])).as("new / old, paired").isPositive();
                  });
          assertThat(csv.lines().filter(l -> l.startsWith(cell + ChildContender.NEW_ENGINE + ",")))
              .as(cell + "new")
              .singleElement()
              .satisfies(l -> assertThat(Integer.parseInt(l.split(",", -1)[4])).isPositive());
        }
      }
    }
  }

  @Test
  @Timeout(120)
  void oldEngineThatDoesNotStartIsReportedAndLeftOut(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("no-engine.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(empty))) {
      jar.putNextEntry(new JarEntry("README"));
      jar.write("no classes".getBytes(StandardCharsets.UTF_8));
    }
    Path out = dir.resolve("out");
    Compare.main(
        new String[] {
          "--smoke",
          "--no-memory",
          "--max-n",
          "1",
          "--kinds",
          "platform",
          "--scenarios",
          "A",
          "--contenders",
          "group,old",
          "--old-engine",
          empty.toString(),
          "--out",
          out.toString()
        });

    String md = Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8);
    assertThat(md).contains("The old engine was not measured: its child JVM did not start");
    assertThat(md).doesNotContain("| " + ChildContender.OLD_ENGINE + " |");
    String csv = Files.readString(out.resolve("results.csv"), StandardCharsets.UTF_8);
    assertThat(csv.lines().filter(l -> l.startsWith("platform,A,1,Group,"))).hasSize(1);
  }

  /**
   * A Go program that does not build is reported and left out; the others are measured. Where Go is
   * missing, the report says that instead.
   */
  @Test
  @Timeout(120)
  void goProgramThatDoesNotBuildIsReportedAndLeftOut(@TempDir Path dir) throws Exception {
    Path source = Files.createDirectories(dir.resolve("broken-go"));
    Files.writeString(source.resolve("main.go"), "package main\n\nfunc main() { undefined() }\n");
    Path out = dir.resolve("out");
    Compare.main(
        new String[] {
          "--smoke",
          "--no-memory",
          "--max-n",
          "1",
          "--kinds",
          "virtual",
          "--scenarios",
          "A",
          "--contenders",
          "group,go",
          "--go",
          source.toString(),
          "--out",
          out.toString()
        });

    String md = Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8);
    String missing = GoChild.missing();
    if (!ThreadKind.VIRTUAL.available()) {
      assertThat(md).contains(GoChild.NAME + " was not measured: goroutines are measured beside");
    } else if (missing.isEmpty()) {
      assertThat(md).contains(GoChild.NAME + " was not measured: go build failed (exit code");
      assertThat(md).contains("undefined");
    } else {
      System.out.println("Go contender skipped: " + missing);
      assertThat(md).contains(GoChild.NAME + " was not measured: " + missing);
    }
    assertThat(md).doesNotContain("| " + GoChild.NAME + " |");
    String csv = Files.readString(out.resolve("results.csv"), StandardCharsets.UTF_8);
    assertThat(csv).doesNotContain(GoChild.NAME);
    if (ThreadKind.VIRTUAL.available()) {
      assertThat(csv.lines().filter(l -> l.startsWith("virtual,A,1,Group,"))).hasSize(1);
    }
  }

  @Test
  void goProgramThatIsNotThereIsNamed() throws Exception {
    assertThat(GoChild.build(Path.of("no", "such", "dir")).contender()).isNull();
    assertThat(GoChild.build(Path.of("no", "such", "dir")).note())
        .isEqualTo("no Go program at no/such/dir (main.go)");
  }

  /** Whether a smoke run measures the Go program here: Go is installed and the JVM is 21+. */
  private static boolean goMeasured() {
    return goSkipped().isEmpty();
  }

  /** Why a smoke run does not measure the Go program here, or empty. */
  private static String goSkipped() {
    if (!ThreadKind.VIRTUAL.available()) {
      return "no virtual threads in this JVM (Java " + Runtime.version().feature() + ")";
    }
    return GoChild.missing();
  }

  /** The column group_over_this of a row of results.csv. */
  private static double ratio(String csvLine) {
    return Double.parseDouble(csvLine.split(",", -1)[9]);
  }

  @Test
  void oldEngineThatIsMissingIsNamedInTheError() {
    assertThatThrownBy(
            () -> ChildContender.engine(ChildContender.OLD_ENGINE, Path.of("no", "such.jar")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--old-engine")
        .hasMessageContaining("such.jar");
  }

  @Test
  void unknownOptionsAndMissingValuesAreNamed() {
    assertThatThrownBy(() -> new Compare.Options().parse(new String[] {"--budgte", "5"}))
        .hasMessage("unknown option --budgte");
    assertThatThrownBy(() -> new Compare.Options().parse(new String[] {"--budget"}))
        .hasMessage("--budget needs a value");
    assertThatThrownBy(() -> new Compare.Options().parse(new String[] {"--kinds", "green"}))
        .hasMessageContaining("unknown thread kind 'green'");
    assertThatThrownBy(() -> new Compare.Options().parse(new String[] {"--scenarios", "A,D"}))
        .hasMessageContaining("unknown scenario 'D'");
  }

  /** A jar of the core's classes as this test's classpath has them (a directory or a jar). */
  private static Path jarOfCore(Path jar) throws Exception {
    Path core = Path.of(Group.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isRegularFile(core)) {
      return Files.copy(core, jar);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(core)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(core.relativize(file).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(file));
        out.closeEntry();
      }
    }
    return jar;
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
