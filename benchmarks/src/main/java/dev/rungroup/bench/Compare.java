package dev.rungroup.bench;

import com.google.common.base.Splitter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The side-by-side harness: runs scenarios A and B for every contender, thread kind and N in one
 * JVM, then the memory probes in fresh JVMs, and writes {@code results.md}, {@code results.csv},
 * {@code machine.md} and the charts to the output directory. Prints the Markdown to stdout.
 *
 * <p>Besides A and B, with this build's engine alone: {@linkplain ScenarioC scenario C} (the graph
 * against a flat group) and the {@linkplain RestartLatency restart latency} (the restart policy
 * against a catch-and-loop), written to {@code scenario-c.csv} and {@code restart.csv} as well.
 *
 * <p>Options: {@code --out DIR} (default {@code benchmarks/results}); {@code --smoke} (N up to 100,
 * a few seconds, for CI); {@code --budget SECONDS} (measuring time per cell, default 15); {@code
 * --kinds platform,virtual}; {@code --scenarios A,B,C,restart} (default all); {@code --contenders
 * group,baseline,floor,guava,sts}; {@code --max-n N}; {@code --min-n N}; {@code --restarts R}
 * (restarts measured per contender, default {@value RestartLatency#DEFAULT_RESTARTS}); {@code
 * --no-memory}; {@code --old-engine JAR} (run-group's core built from another revision, measured in
 * a child JVM as {@value ChildContender#OLD_ENGINE}, beside this build's core in another as {@value
 * ChildContender#NEW_ENGINE}, see {@link ChildContender}) and {@code --old-engine-label TEXT}
 * (which revision that is, for the report); {@code --go DIR} (the Go program, {@link GoChild},
 * default {@code benchmarks/go} or {@code go}, whichever holds a {@code main.go}: built with Go and
 * measured in a child process in the virtual-thread cells of A, B and C) and {@code --no-go}.
 * {@code --contenders} also takes {@code old} and {@code go}.
 *
 * <p>Each cell (thread kind, scenario, N) first warms every contender up (for a second, at least
 * one run, at most 2,000), then measures rounds in which every contender runs once, in a new random
 * order each round (seeded), as many as the budget allows (5 to 301 rounds; the restart latency: a
 * fixed {@value RestartLatency#ROUNDS}), see {@link Rounds}; a contender's threads have all ended
 * before the next run begins. Runs with N of 1,000 or more get a full GC after their set-up, just
 * before the clock starts. A contender that fails, or whose median passes a minute, is not run at
 * larger N of that kind.
 */
public final class Compare {
  static final int[] PLATFORM_NS = {1, 10, 100, 1_000, 10_000};
  static final int[] VIRTUAL_NS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
  static final int[] SMOKE_NS = {1, 10, 100};

  private static final long DISQUALIFY_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final int MAX_ROUNDS = 301;

  /**
   * One measured cell of one contender.
   *
   * @param samples the measured runs in the order of the rounds (one per round, until a failure)
   */
  record Result(
      ThreadKind kind,
      Scenario scenario,
      int n,
      String contender,
      @Nullable Stats stats,
      String note,
      List<Long> samples) {}

  /** One memory figure. */
  record MemoryResult(String what, String contender, ThreadKind kind, int n, double value) {}

  private final Options options;
  private final List<Result> results = new ArrayList<>();
  private final List<MemoryResult> memory = new ArrayList<>();
  private final List<ScenarioC.Result> graph = new ArrayList<>();
  private final List<RestartLatency.Result> restarts = new ArrayList<>();
  private final String loadBefore = Proc.firstLine("/proc/loadavg");

  private Compare(Options options) {
    this.options = options;
  }

  /**
   * Runs the comparison.
   *
   * @param args see the class documentation
   * @throws Exception if writing the results fails
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Options options = new Options();
    options.parse(args);
    Compare compare = new Compare(options);
    String markdown = compare.runAll();
    Harness.printReport(markdown, options.out);
  }

  /** Runs everything, writes the files and returns the Markdown report. */
  String runAll() throws Exception {
    long began = System.nanoTime();
    List<Contender> contenders = new ArrayList<>();
    for (Contender c : Contenders.all()) {
      if (options.contenders.isEmpty() || options.contenders.contains(Contenders.shortName(c))) {
        contenders.add(c);
      }
    }
    // the engines in child JVMs: in every cell, but not in the memory probes
    List<ChildContender> children = new ArrayList<>();
    String oldEngineNote =
        options.sideBySide() ? startEngines(children) : "scenarios A and B not among --scenarios";
    // the Go program in a child process: in the virtual-thread cells of A, B and C
    ChildContender go = null;
    String goNote;
    if (!options.sideBySide() && !options.graph) {
      goNote = "scenarios A, B and C not among --scenarios";
    } else {
      GoChild.Outcome built = startGo();
      go = built.contender();
      goNote = built.note();
    }
    if (go == null) {
      Harness.log(GoChild.NAME + " skipped: " + goNote);
    } else {
      Harness.log(GoChild.NAME + ": " + goNote);
    }
    List<Contender> measured = new ArrayList<>(contenders);
    measured.addAll(children);
    if (go != null && options.sideBySide()) {
      measured.add(go);
    }
    if (options.sideBySide()) {
      Harness.log("contenders: " + names(measured));
      if (!Contenders.structuredTaskScopeMissingReason().isEmpty()) {
        Harness.log(
            "StructuredTaskScope skipped: " + Contenders.structuredTaskScopeMissingReason());
      }
      if (children.isEmpty()) {
        Harness.log("old engine skipped: " + oldEngineNote);
      }
    }
    try {
      measureAll(measured);
      measureGraph(go);
    } finally {
      for (ChildContender child : children) {
        child.close();
      }
      if (go != null) {
        go.close();
      }
    }
    measureRestarts();
    if (options.memory) {
      runMemoryProbes(contenders);
    }
    long took = System.nanoTime() - began;
    Report report =
        new Report(
            results,
            memory,
            machine(took),
            Contenders.structuredTaskScopeMissingReason(),
            oldEngineNote,
            goNote,
            graph,
            restarts);
    Files.createDirectories(options.out);
    String markdown = report.markdown();
    Files.writeString(options.out.resolve("results.md"), markdown, StandardCharsets.UTF_8);
    Files.writeString(options.out.resolve("results.csv"), report.csv(), StandardCharsets.UTF_8);
    Files.writeString(
        options.out.resolve("machine.md"), report.machineMarkdown(), StandardCharsets.UTF_8);
    if (!graph.isEmpty()) {
      Files.writeString(
          options.out.resolve("scenario-c.csv"), ScenarioC.csv(graph), StandardCharsets.UTF_8);
    }
    if (!restarts.isEmpty()) {
      Files.writeString(
          options.out.resolve("restart.csv"), RestartLatency.csv(restarts), StandardCharsets.UTF_8);
    }
    Charts.write(results, options.out);
    return markdown;
  }

  /**
   * Starts the old engine's child JVM and this build's, if {@code --old-engine} is given, before
   * and outside every clock, and adds them to {@code children}; returns what the report says of the
   * old engine: what it is, or why it is not measured.
   */
  private String startEngines(List<ChildContender> children) throws InterruptedException {
    Path oldEngineJar = options.oldEngine;
    if (oldEngineJar == null) {
      return "no --old-engine given (benchmarks/run builds one from BASE_REV)";
    }
    if (!options.contenders.isEmpty() && !options.contenders.contains("old")) {
      return "not among --contenders (add old)";
    }
    try {
      for (ChildContender child :
          List.of(
              ChildContender.engine(ChildContender.OLD_ENGINE, oldEngineJar),
              ChildContender.engine(ChildContender.NEW_ENGINE, ChildContender.thisEngine()))) {
        children.add(child);
        child.start();
      }
    } catch (IOException e) {
      for (ChildContender child : children) {
        child.close();
      }
      children.clear();
      return "its child JVM did not start: " + e.getMessage();
    }
    return "run-group-core "
        + (options.oldEngineLabel.isEmpty() ? "" : options.oldEngineLabel + ", ")
        + "from `"
        + oldEngineJar
        + "`; `"
        + ChildContender.NEW_ENGINE
        + "` is this build's, the same as `Group`, but measured as the old one is, in a child JVM"
        + " of its own with the same flags (a child JVM can run the same code faster than this"
        + " one, which has run the other contenders too); **new / old** is its median over the old"
        + " one's";
  }

  /**
   * Builds the Go program and starts it, before and outside every clock; a null contender and the
   * reason if it is not wanted, cannot be built or does not start.
   */
  private GoChild.Outcome startGo() throws InterruptedException {
    if (options.noGo) {
      return new GoChild.Outcome(null, "--no-go given");
    }
    if (!options.contenders.isEmpty() && !options.contenders.contains("go")) {
      return new GoChild.Outcome(null, "not among --contenders (add go)");
    }
    if (!ThreadKind.VIRTUAL.available() || !options.kinds.contains(ThreadKind.VIRTUAL)) {
      return new GoChild.Outcome(
          null,
          "goroutines are measured beside virtual threads, and this run has none ("
              + (ThreadKind.VIRTUAL.available() ? "--kinds" : "this JVM is older than 21")
              + ")");
    }
    Path source = options.goSource != null ? options.goSource : GoChild.defaultSource();
    if (source == null) {
      return new GoChild.Outcome(
          null, "no Go program found (benchmarks/go or go from here; --go DIR)");
    }
    Harness.log(GoChild.NAME + ": building " + source);
    GoChild.Outcome built = GoChild.build(source);
    ChildContender go = built.contender();
    if (go == null) {
      return built;
    }
    try {
      go.start();
    } catch (IOException e) {
      go.close();
      return new GoChild.Outcome(null, "the Go program did not start: " + e.getMessage());
    }
    return built;
  }

  /** Every cell of every thread kind, N and scenario, in that order. */
  private void measureAll(List<Contender> contenders) {
    for (ThreadKind kind : options.kinds) {
      if (!kind.available()) {
        Harness.log(kind.label() + " threads skipped: need Java 21+");
        continue;
      }
      Map<String, Boolean> out = new LinkedHashMap<>();
      for (int n : options.ns(kind)) {
        for (Scenario scenario : options.scenarios) {
          List<Contender> active = new ArrayList<>();
          for (Contender c : contenders) {
            if (c.supports(kind) && !out.containsKey(c.name() + scenario)) {
              active.add(c);
            }
          }
          for (Result r : measureCell(kind, scenario, n, active)) {
            results.add(r);
            Stats s = r.stats();
            if (s == null || s.median() > DISQUALIFY_NANOS) {
              out.put(r.contender() + scenario, true);
            }
          }
        }
      }
    }
  }

  private List<Result> measureCell(
      ThreadKind kind, Scenario scenario, int n, List<Contender> active) {
    Rounds.Outcome<Contender> outcome =
        this.<Contender>rounds()
            .measure(
                active,
                c -> new long[] {runOnce(c, scenario, n, kind)},
                Objects.hash(n, scenario.name(), kind.name()));
    List<Result> cell = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "%-8s %s N=%-9d", kind.label(), scenario, n));
    for (Contender c : active) {
      String failure = outcome.failures().get(c);
      List<long[]> list = outcome.samples().get(c);
      if (failure != null || list == null || list.isEmpty()) {
        String note = failure == null ? "no run" : failure;
        cell.add(new Result(kind, scenario, n, c.name(), null, note, List.of()));
        line.append(" | ").append(c.name()).append(": ").append(note);
        continue;
      }
      long[] values = new long[list.size()];
      List<Long> samples = new ArrayList<>(values.length);
      for (int i = 0; i < values.length; i++) {
        values[i] = list.get(i)[0];
        samples.add(values[i]);
      }
      Stats stats = Stats.of(values);
      cell.add(new Result(kind, scenario, n, c.name(), stats, "", List.copyOf(samples)));
      line.append(" | ").append(c.name()).append(' ').append(Report.time(stats.median()));
    }
    Harness.log(line.toString());
    return cell;
  }

  /** The rounds of every cell, with this run's warm-up, budget and bounds. */
  private <T> Rounds<T> rounds() {
    return new Rounds<>(options.warmupNanos, options.budgetNanos, options.minRounds, MAX_ROUNDS);
  }

  /**
   * Scenario C at each of its N, for every thread kind, if among --scenarios; with Go's two shapes
   * in the same rounds if {@code go} is given.
   */
  private void measureGraph(@Nullable ChildContender go) {
    if (!options.graph) {
      return;
    }
    for (ThreadKind kind : options.kinds) {
      if (!kind.available()) {
        continue;
      }
      for (int n : ScenarioC.ns(options.smoke, kind, options.minN, options.maxN)) {
        List<ScenarioC.Result> cell =
            ScenarioC.measureCell(this.<ScenarioC.Shape>rounds(), kind, n, go);
        graph.addAll(cell);
        if (cell.stream().anyMatch(r -> !r.shape().go && r.start() == null)) {
          break; // a shape failed: larger N would too
        }
      }
    }
  }

  /** The restart latency, for every thread kind, if among --scenarios. */
  private void measureRestarts() {
    if (!options.restart) {
      return;
    }
    Rounds<RestartLatency.Way> rounds =
        new Rounds<>(options.warmupNanos, 0, RestartLatency.ROUNDS, RestartLatency.ROUNDS);
    for (ThreadKind kind : options.kinds) {
      if (kind.available()) {
        restarts.addAll(RestartLatency.measure(rounds, kind, options.restarts));
      }
    }
  }

  private static long runOnce(Contender c, Scenario scenario, int n, ThreadKind kind)
      throws Exception {
    return c.measure(scenario, n, kind, n >= 1_000);
  }

  // ---------------------------------------------------------------------------------------------
  // Memory, each figure in a fresh JVM

  private void runMemoryProbes(List<Contender> contenders) {
    int platformN = options.smoke ? 100 : 2_000;
    int virtualN = options.smoke ? 1_000 : 100_000;
    int[] peakNs = options.smoke ? new int[] {1_000} : new int[] {100_000, 1_000_000};
    double floor = probe("floor").getOrDefault("peakRss", -1.0);
    memory.add(new MemoryResult("peak RSS, idle JVM", "-", ThreadKind.PLATFORM, 0, floor));
    for (ThreadKind kind : options.kinds) {
      if (!kind.available()) {
        continue;
      }
      int n = kind == ThreadKind.PLATFORM ? platformN : virtualN;
      for (Contender c : contenders) {
        Map<String, Double> p =
            probe("retained", Contenders.shortName(c), kind.label(), Integer.toString(n));
        memory.add(
            new MemoryResult(
                "heap per idle actor", c.name(), kind, n, p.getOrDefault("heapPerActor", -1.0)));
        memory.add(
            new MemoryResult(
                "RSS per idle actor", c.name(), kind, n, p.getOrDefault("rssPerActor", -1.0)));
      }
    }
    if (ThreadKind.VIRTUAL.available() && options.kinds.contains(ThreadKind.VIRTUAL)) {
      for (int n : peakNs) {
        for (Contender c : contenders) {
          Map<String, Double> p =
              probe("peak", Contenders.shortName(c), "virtual", Integer.toString(n));
          memory.add(
              new MemoryResult(
                  "peak RSS, scenario B",
                  c.name(),
                  ThreadKind.VIRTUAL,
                  n,
                  p.getOrDefault("peakRss", -1.0)));
        }
      }
    }
  }

  /** Runs {@link MemoryProbe} in a fresh JVM with -Xmx4g and parses its PROBE line. */
  private Map<String, Double> probe(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (ManagementFactory.getRuntimeMXBean().getInputArguments().contains("--enable-preview")) {
      command.add("--enable-preview");
    }
    command.add("-Xmx4g");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MemoryProbe.class.getName());
    command.addAll(List.of(args));
    Map<String, Double> values = new LinkedHashMap<>();
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> output = new ArrayList<>();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          output.add(line);
          if (line.startsWith("PROBE ")) {
            for (String pair : Splitter.on(' ').omitEmptyStrings().split(line.substring(6))) {
              int eq = pair.indexOf('=');
              values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
            }
          }
        }
      }
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0 || values.isEmpty()) {
        Harness.log("probe " + String.join(" ", args) + " failed: " + String.join(" / ", output));
      } else {
        Harness.log("probe " + String.join(" ", args) + ": " + values);
      }
    } catch (IOException e) {
      Harness.log("probe " + String.join(" ", args) + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return values;
  }

  // ---------------------------------------------------------------------------------------------

  private Map<String, String> machine(long tookNanos) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("date", Instant.now().toString());
    m.putAll(Proc.host());
    m.put("kernel.pid_max", Proc.firstLine("/proc/sys/kernel/pid_max"));
    m.put("vm.max_map_count", Proc.firstLine("/proc/sys/vm/max_map_count"));
    m.put(
        "JVM",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.vendor")
            + ")");
    m.put("JVM flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    m.put("max heap", Report.bytes(Runtime.getRuntime().maxMemory()));
    m.put("GC", gcNames());
    m.put("load average before / after", loadBefore + " / " + Proc.firstLine("/proc/loadavg"));
    m.put("harness options", options.toString());
    m.put("harness time", String.format(Locale.ROOT, "%.0f s", tookNanos / 1e9));
    return m;
  }

  private static String gcNames() {
    List<String> names = new ArrayList<>();
    ManagementFactory.getGarbageCollectorMXBeans().forEach(b -> names.add(b.getName()));
    return String.join(", ", names);
  }

  private static String names(List<Contender> contenders) {
    List<String> names = new ArrayList<>();
    contenders.forEach(c -> names.add(c.name()));
    return String.join(", ", names);
  }

  /** Command-line options: {@code --out}, {@code --kinds} and {@code --smoke}, and these. */
  static final class Options extends Harness.Options {
    boolean memory = true;
    long budgetNanos = TimeUnit.SECONDS.toNanos(15);
    long warmupNanos = TimeUnit.SECONDS.toNanos(1);
    int minRounds = 5;
    int maxN = Integer.MAX_VALUE;
    int minN = 1;
    List<String> contenders = new ArrayList<>();
    List<Scenario> scenarios = new ArrayList<>(List.of(Scenario.values()));
    boolean graph = true;
    boolean restart = true;
    int restarts = RestartLatency.DEFAULT_RESTARTS;
    @Nullable Path oldEngine;
    String oldEngineLabel = "";
    @Nullable Path goSource;
    boolean noGo;

    @Override
    void smoke() {
      budgetNanos = TimeUnit.MILLISECONDS.toNanos(200);
      warmupNanos = TimeUnit.MILLISECONDS.toNanos(100);
      restarts = RestartLatency.SMOKE_RESTARTS;
    }

    /** Whether scenario A or B is measured: the side-by-side contenders run. */
    boolean sideBySide() {
      return !scenarios.isEmpty();
    }

    private void scenarios(List<String> names) {
      scenarios.clear();
      graph = false;
      restart = false;
      for (String name : names) {
        switch (name.toUpperCase(Locale.ROOT)) {
          case "A" -> scenarios.add(Scenario.A);
          case "B" -> scenarios.add(Scenario.B);
          case "C" -> graph = true;
          case "RESTART" -> restart = true;
          default ->
              throw new IllegalArgumentException(
                  "--scenarios: unknown scenario '" + name + "'; known: A, B, C, restart");
        }
      }
    }

    @Override
    boolean option(String name, Harness.Args args) {
      switch (name) {
        case "--budget" ->
            budgetNanos = (long) (args.doubleValue(name) * TimeUnit.SECONDS.toNanos(1));
        case "--max-n" -> maxN = args.intValue(name);
        case "--min-n" -> minN = args.intValue(name);
        case "--contenders" -> contenders.addAll(args.listValue(name));
        case "--no-memory" -> memory = false;
        case "--scenarios" -> scenarios(args.listValue(name));
        case "--restarts" -> restarts = Math.max(1, args.intValue(name));
        case "--old-engine" -> oldEngine = Path.of(args.value(name));
        case "--old-engine-label" -> oldEngineLabel = args.value(name);
        case "--go" -> goSource = Path.of(args.value(name));
        case "--no-go" -> noGo = true;
        default -> {
          return false;
        }
      }
      return true;
    }

    private String scenarioNames() {
      List<String> names = new ArrayList<>();
      scenarios.forEach(sc -> names.add(sc.name()));
      if (graph) {
        names.add("C");
      }
      if (restart) {
        names.add("restart");
      }
      return String.join(",", names);
    }

    int[] ns(ThreadKind kind) {
      int[] all = smoke ? SMOKE_NS : kind == ThreadKind.PLATFORM ? PLATFORM_NS : VIRTUAL_NS;
      return java.util.Arrays.stream(all).filter(n -> n >= minN && n <= maxN).toArray();
    }

    @Override
    public String toString() {
      return (smoke ? "--smoke " : "")
          + "--budget "
          + budgetNanos / 1e9
          + " --kinds "
          + kinds
          + (maxN == Integer.MAX_VALUE ? "" : " --max-n " + maxN)
          + (minN == 1 ? "" : " --min-n " + minN)
          + (contenders.isEmpty() ? "" : " --contenders " + String.join(",", contenders))
          + (memory ? "" : " --no-memory")
          + (scenarios.size() == Scenario.values().length && graph && restart
              ? ""
              : " --scenarios " + scenarioNames())
          + (restart ? " --restarts " + restarts : "")
          + (oldEngine == null ? "" : " --old-engine " + oldEngine)
          + (goSource == null ? "" : " --go " + goSource)
          + (noGo ? " --no-go" : "");
    }
  }
}
