package dev.rungroup.bench;

import dev.rungroup.bench.Compare.MemoryResult;
import dev.rungroup.bench.Compare.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Turns the results into Markdown and CSV: tables, ratios and targets. */
final class Report {
  private final List<Result> results;
  private final List<MemoryResult> memory;
  private final Map<String, String> machine;
  private final String stsMissing;
  private final String oldEngine;
  private final String go;
  private final List<ScenarioC.Result> graph;
  private final List<RestartLatency.Result> restarts;
  private final List<String> contenders = new ArrayList<>();

  /**
   * @param stsMissing why StructuredTaskScope was not measured, or empty
   * @param oldEngine what the old engine is (revision, jar), or why it was not measured
   * @param go what the Go program is (Go, oklog/run, how built), or why it was not measured
   * @param graph the results of scenario C, if measured
   * @param restarts the restart latencies, if measured
   */
  Report(
      List<Result> results,
      List<MemoryResult> memory,
      Map<String, String> machine,
      String stsMissing,
      String oldEngine,
      String go,
      List<ScenarioC.Result> graph,
      List<RestartLatency.Result> restarts) {
    this.results = results;
    this.graph = graph;
    this.restarts = restarts;
    this.memory = memory;
    this.machine = machine;
    this.stsMissing = stsMissing;
    this.oldEngine = oldEngine;
    this.go = go;
    Set<String> names = new LinkedHashSet<>();
    results.forEach(r -> names.add(r.contender()));
    contenders.addAll(names);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# run-group: side-by-side results\n\n");
    md.append("Made by `dev.rungroup.bench.Compare` on ")
        .append(machine.get("date"))
        .append(": ")
        .append(machine.get("nproc (availableProcessors)"))
        .append(" CPUs, ")
        .append(machine.get("memory (MemTotal)"))
        .append(", ")
        .append(machine.get("JVM"))
        .append(", flags `")
        .append(machine.get("JVM flags"))
        .append("` (all of it in [machine.md](machine.md)). Cells: median (min–max) of the runs;")
        .append(" ratios: median of Group over median of the other, below 1 means Group is faster.")
        .append(" Platform threads stop at N = 10,000: `kernel.pid_max` (")
        .append(machine.get("kernel.pid_max"))
        .append(") caps a process near 32,000 threads.\n\n");
    if (!stsMissing.isEmpty()) {
      md.append("StructuredTaskScope was not measured: ").append(stsMissing).append(".\n\n");
    }
    md.append(
            contenders.contains(ChildContender.OLD_ENGINE)
                ? "`" + ChildContender.OLD_ENGINE + "`, in a child JVM of its own: "
                : "The old engine was not measured: ")
        .append(oldEngine)
        .append(".\n\n");
    md.append(
            contenders.contains(GoChild.NAME) || graph.stream().anyMatch(r -> r.shape().go)
                ? "`" + GoChild.NAME + "`, in a process of its own (`benchmarks/go`): "
                : GoChild.NAME + " was not measured: ")
        .append(go)
        .append(".\n\n");
    if (contenders.contains(Floor.NAME)) {
      md.append("`")
          .append(Baseline.NAME)
          .append("` joins its N threads; `")
          .append(Floor.NAME)
          .append("` waits for N returned `execute`s instead (a `CountDownLatch`), as Go's `Run`")
          .append(" waits for N results on a channel and `Group` counts its ended actors, and")
          .append(" keeps only the first result.\n\n");
    }
    for (Scenario scenario : Scenario.values()) {
      if (results.stream().noneMatch(r -> r.scenario() == scenario)) {
        continue;
      }
      md.append(
          scenario == Scenario.A
              ? "## Scenario A: N-1 actors block, the last added fails at once; time of run()\n\n"
              : "## Scenario B: all N block, stop() once all started; time from stop() to run()"
                  + " returning\n\n");
      for (ThreadKind kind : kinds()) {
        table(md, scenario, kind);
      }
    }
    if (!results.isEmpty()) {
      perActor(md);
    }
    ScenarioC.markdown(md, graph);
    RestartLatency.markdown(md, restarts);
    targets(md);
    memory(md);
    return md.toString();
  }

  private void table(StringBuilder md, Scenario scenario, ThreadKind kind) {
    md.append("### ").append(kind.label()).append(" threads\n\n| N |");
    for (String c : contenders) {
      md.append(' ').append(c).append(" |");
    }
    for (String c : contenders) {
      if (!c.equals(GroupContender.NAME)) {
        md.append(" Group / ").append(shortLabel(c)).append(" |");
      }
    }
    boolean engines = engines();
    if (engines) {
      md.append(" **new / old** |");
    }
    md.append("\n|---:|");
    md.append("---:|".repeat(contenders.size() * 2 - 1 + (engines ? 1 : 0))).append('\n');
    for (int n : ns(kind)) {
      md.append("| ").append(String.format(Locale.ROOT, "%,d", n)).append(" |");
      for (String c : contenders) {
        Result r = find(kind, scenario, n, c);
        md.append(' ').append(cell(r)).append(" |");
      }
      for (String c : contenders) {
        if (!c.equals(GroupContender.NAME)) {
          md.append(' ').append(ratioText(ratio(kind, scenario, n, c))).append(" |");
        }
      }
      if (engines) {
        md.append(" **").append(ratioText(newOverOld(kind, scenario, n))).append("** (paired ");
        md.append(ratioText(pairedNewOverOld(kind, scenario, n))).append(") |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private void perActor(StringBuilder md) {
    md.append("## Cost per actor (median / N)\n\n| scenario | threads | N |");
    for (String c : contenders) {
      md.append(' ').append(c).append(" |");
    }
    md.append("\n|---|---|---:|").append("---:|".repeat(contenders.size())).append('\n');
    for (Scenario scenario : Scenario.values()) {
      for (ThreadKind kind : kinds()) {
        for (int n : ns(kind)) {
          if (n < 1_000) {
            continue;
          }
          md.append("| ").append(scenario).append(" | ").append(kind.label()).append(" | ");
          md.append(String.format(Locale.ROOT, "%,d", n)).append(" |");
          for (String c : contenders) {
            Stats s = stats(kind, scenario, n, c);
            md.append(' ')
                .append(
                    s == null ? "—" : String.format(Locale.ROOT, "%.2f µs", s.median() / 1e3 / n))
                .append(" |");
          }
          md.append('\n');
        }
      }
    }
    md.append('\n');
  }

  private void targets(StringBuilder md) {
    md.append("## Targets\n\n");
    for (ThreadKind kind : kinds()) {
      for (Scenario scenario : Scenario.values()) {
        target(md, kind, scenario, Baseline.NAME, 10, 1.2, "≤ 1.2× the baseline at N ≥ 10");
        target(md, kind, scenario, GuavaContender.NAME, 1, 1.0, "faster than Guava at every N");
        if (engines()) {
          target(
              md,
              kind,
              scenario,
              ChildContender.NEW_ENGINE,
              ChildContender.OLD_ENGINE,
              10_000,
              1.05,
              "new engine ≤ 1.05× the old engine at N ≥ 10,000 (both in child JVMs; ratio of"
                  + " the medians)");
          pairedTarget(md, kind, scenario);
        }
        if (kind == ThreadKind.VIRTUAL && contenders.contains(GoChild.NAME)) {
          target(
              md,
              kind,
              scenario,
              GoChild.NAME,
              100_000,
              1.0,
              "no slower than Go's oklog/run at N ≥ 100,000 (stretch; same run)");
        }
        if (contenders.contains(StructuredTaskScopeContenderName.NAME)) {
          target(
              md,
              kind,
              scenario,
              StructuredTaskScopeContenderName.NAME,
              1_000,
              1.0,
              "faster than StructuredTaskScope at N ≥ 1,000");
        }
      }
    }
    for (Scenario scenario : Scenario.values()) {
      boolean attempted =
          results.stream()
              .anyMatch(
                  r ->
                      r.kind() == ThreadKind.VIRTUAL
                          && r.scenario() == scenario
                          && r.n() == 1_000_000
                          && r.contender().equals(GroupContender.NAME));
      if (!attempted) {
        continue; // not in this run's range of N
      }
      Stats million = stats(ThreadKind.VIRTUAL, scenario, 1_000_000, GroupContender.NAME);
      md.append("- 1,000,000 virtual-thread actors, scenario ").append(scenario).append(": ");
      md.append(
          million == null ? "**not completed**" : "completed, median " + time(million.median()));
      md.append('\n');
    }
    ScenarioC.targets(md, graph);
    RestartLatency.targets(md, restarts);
    md.append('\n');
  }

  private void target(
      StringBuilder md,
      ThreadKind kind,
      Scenario scenario,
      String other,
      int fromN,
      double bound,
      String what) {
    target(md, kind, scenario, GroupContender.NAME, other, fromN, bound, what);
  }

  /** One line of the targets: whether {@code numerator} / {@code other} ≤ {@code bound}. */
  private void target(
      StringBuilder md,
      ThreadKind kind,
      Scenario scenario,
      String numerator,
      String other,
      int fromN,
      double bound,
      String what) {
    List<String> missed = new ArrayList<>();
    int checked = 0;
    for (int n : ns(kind)) {
      if (n < fromN) {
        continue;
      }
      double r = ratio(kind, scenario, n, numerator, other);
      if (Double.isNaN(r)) {
        continue;
      }
      checked++;
      if (r > bound) {
        missed.add(String.format(Locale.ROOT, "N=%,d (%.2f×)", n, r));
      }
    }
    if (checked == 0) {
      return;
    }
    md.append("- ").append(kind.label()).append(", ").append(scenario).append(", ").append(what);
    md.append(": ");
    md.append(missed.isEmpty() ? "**met**" : "**missed** at " + String.join(", ", missed));
    md.append('\n');
  }

  private void memory(StringBuilder md) {
    if (memory.isEmpty()) {
      return;
    }
    md.append("## Memory (each figure from a fresh JVM with -Xmx4g)\n\n");
    md.append("| figure | contender | threads | N | value |\n|---|---|---|---:|---:|\n");
    for (MemoryResult m : memory) {
      String value =
          m.value() < 0
              ? "failed"
              : m.what().startsWith("peak")
                  ? bytes((long) m.value())
                  : String.format(Locale.ROOT, "%,.0f B", m.value());
      md.append("| ").append(m.what()).append(" | ").append(m.contender()).append(" | ");
      md.append(m.n() == 0 ? "-" : m.kind().label()).append(" | ");
      md.append(m.n() == 0 ? "-" : String.format(Locale.ROOT, "%,d", m.n()));
      md.append(" | ").append(value).append(" |\n");
    }
    md.append(
        "\nHeap and RSS per idle actor include the benchmark's own actor and latch (about 70"
            + " bytes, the same for every contender); platform threads' stacks are outside the"
            + " heap, so for them RSS is the telling figure.\n\n");
  }

  String csv() {
    StringBuilder csv = new StringBuilder();
    csv.append("threads,scenario,n,contender,runs,min_ms,median_ms,max_ms,median_ns_per_actor,")
        .append("group_over_this,note,new_over_old,new_over_old_paired\n");
    for (Result r : results) {
      Stats s = r.stats();
      double ratio = ratio(r.kind(), r.scenario(), r.n(), r.contender());
      csv.append(r.kind().label()).append(',').append(r.scenario()).append(',').append(r.n());
      csv.append(',').append(r.contender()).append(',');
      if (s == null) {
        csv.append(",,,,,,");
      } else {
        csv.append(s.runs()).append(',');
        csv.append(
            String.format(
                Locale.ROOT,
                "%.4f,%.4f,%.4f,%.1f,%s,",
                s.min() / 1e6,
                s.median() / 1e6,
                s.max() / 1e6,
                s.median() / (double) r.n(),
                Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.3f", ratio)));
      }
      csv.append('"').append(r.note().replace('"', '\'')).append('"');
      double newOld = newOverOld(r.kind(), r.scenario(), r.n());
      double paired = pairedNewOverOld(r.kind(), r.scenario(), r.n());
      if (r.contender().equals(ChildContender.OLD_ENGINE) && !Double.isNaN(newOld)) {
        csv.append(String.format(Locale.ROOT, ",%.3f,%.3f", newOld, paired));
      } else {
        csv.append(",,");
      }
      csv.append('\n');
    }
    for (MemoryResult m : memory) {
      csv.append(m.kind().label()).append(",memory,").append(m.n()).append(',');
      csv.append(m.contender()).append(",,,,,,,\"").append(m.what()).append(": ");
      csv.append(String.format(Locale.ROOT, "%.0f", m.value())).append(" bytes\",,\n");
    }
    return csv.toString();
  }

  String machineMarkdown() {
    StringBuilder md = new StringBuilder("# Machine of the last run\n\n| | |\n|---|---|\n");
    machine.forEach((k, v) -> md.append("| ").append(k).append(" | `").append(v).append("` |\n"));
    return md.toString();
  }

  // ---------------------------------------------------------------------------------------------

  private List<ThreadKind> kinds() {
    Set<ThreadKind> kinds = new TreeSet<>();
    results.forEach(r -> kinds.add(r.kind()));
    return new ArrayList<>(kinds);
  }

  private List<Integer> ns(ThreadKind kind) {
    Set<Integer> ns = new TreeSet<>();
    results.stream().filter(r -> r.kind() == kind).forEach(r -> ns.add(r.n()));
    return new ArrayList<>(ns);
  }

  private @Nullable Result find(ThreadKind kind, Scenario scenario, int n, String contender) {
    for (Result r : results) {
      if (r.kind() == kind
          && r.scenario() == scenario
          && r.n() == n
          && r.contender().equals(contender)) {
        return r;
      }
    }
    return null;
  }

  private @Nullable Stats stats(ThreadKind kind, Scenario scenario, int n, String contender) {
    Result r = find(kind, scenario, n, contender);
    return r == null ? null : r.stats();
  }

  /** Group's median over the other's, or NaN. */
  private double ratio(ThreadKind kind, Scenario scenario, int n, String other) {
    return ratio(kind, scenario, n, GroupContender.NAME, other);
  }

  /** The new engine's median over the old one's, both in child JVMs, or NaN. */
  private double newOverOld(ThreadKind kind, Scenario scenario, int n) {
    return ratio(kind, scenario, n, ChildContender.NEW_ENGINE, ChildContender.OLD_ENGINE);
  }

  /**
   * The median over the rounds of the new engine's run over the old one's in the same round, or
   * NaN: less exposed than the ratio of the medians to load on the machine that changes during the
   * cell, as the two runs of a round are close in time.
   */
  private double pairedNewOverOld(ThreadKind kind, Scenario scenario, int n) {
    Result newer = find(kind, scenario, n, ChildContender.NEW_ENGINE);
    Result older = find(kind, scenario, n, ChildContender.OLD_ENGINE);
    if (newer == null || older == null) {
      return Double.NaN;
    }
    int rounds = Math.min(newer.samples().size(), older.samples().size());
    if (rounds == 0) {
      return Double.NaN;
    }
    double[] ratios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ratios[r] = newer.samples().get(r) / (double) Math.max(1, older.samples().get(r));
    }
    Arrays.sort(ratios);
    return rounds % 2 == 1 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
  }

  /** The targets' line for the paired new / old ratio. */
  private void pairedTarget(StringBuilder md, ThreadKind kind, Scenario scenario) {
    List<String> missed = new ArrayList<>();
    int checked = 0;
    for (int n : ns(kind)) {
      double r = pairedNewOverOld(kind, scenario, n);
      if (n < 10_000 || Double.isNaN(r)) {
        continue;
      }
      checked++;
      if (r > 1.05) {
        missed.add(String.format(Locale.ROOT, "N=%,d (%.2f×)", n, r));
      }
    }
    if (checked > 0) {
      md.append("- ").append(kind.label()).append(", ").append(scenario);
      md.append(", new engine ≤ 1.05× the old engine at N ≥ 10,000 (paired: median over rounds): ");
      md.append(missed.isEmpty() ? "**met**" : "**missed** at " + String.join(", ", missed));
      md.append('\n');
    }
  }

  /** One contender's median over the other's, or NaN. */
  private double ratio(ThreadKind kind, Scenario scenario, int n, String numerator, String other) {
    Stats num = stats(kind, scenario, n, numerator);
    Stats o = stats(kind, scenario, n, other);
    if (num == null || o == null || o.median() == 0) {
      return Double.NaN;
    }
    return num.median() / (double) o.median();
  }

  /** Whether both engines in child JVMs were measured. */
  private boolean engines() {
    return contenders.contains(ChildContender.OLD_ENGINE)
        && contenders.contains(ChildContender.NEW_ENGINE);
  }

  private static String cell(@Nullable Result r) {
    if (r == null) {
      return "—";
    }
    Stats s = r.stats();
    if (s == null) {
      return "failed: " + r.note().replace('|', '/');
    }
    return spread(s);
  }

  /** "median (min–max)". */
  static String spread(Stats s) {
    return time(s.median()) + " (" + time(s.min()) + "–" + time(s.max()) + ")";
  }

  private static String ratioText(double r) {
    return Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%.2f×", r);
  }

  private static String shortLabel(String contender) {
    return contender.equals(GuavaContender.NAME)
        ? "Guava"
        : contender.equals(GoChild.NAME)
            ? "Go"
            : contender.equals(StructuredTaskScopeContenderName.NAME)
                ? "STS"
                : contender.startsWith(GroupContender.NAME + " (")
                    ? contender.substring(GroupContender.NAME.length() + 2, contender.length() - 1)
                    : contender;
  }

  /** Nanoseconds as µs, ms or s with three significant digits. */
  static String time(long nanos) {
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
  }

  static String bytes(long bytes) {
    return bytes < 0 ? "?" : String.format(Locale.ROOT, "%,.0f MB", bytes / 1e6);
  }

  /** The StructuredTaskScope contender's name, known without loading its (preview) class. */
  static final class StructuredTaskScopeContenderName {
    static final String NAME = "StructuredTaskScope";

    private StructuredTaskScopeContenderName() {}
  }
}
