package dev.rungroup.bench;

import dev.rungroup.bench.StarterStartup.Cell;
import dev.rungroup.bench.StarterStartup.Clock;
import dev.rungroup.bench.StarterStartup.Variant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns the samples of {@link StarterStartup} into {@code starter.md} and {@code starter.csv}: per
 * thread kind a table of every clock and N, with and without the starter, the ratio of the medians,
 * the paired ratio, the paired difference with its confidence interval and the per-actor cost;
 * where the time went (with {@code --steps}); the targets; the failed samples.
 */
final class StarterReport {
  /** Step keys shown even when their difference is small. */
  private static final List<String> KEY_STEPS =
      List.of("starterBeans", "smart-initialize.runGroupLifecycle", "step.spring.context.refresh");

  /** Differences of step medians below this are left out of the steps table. */
  private static final long STEP_THRESHOLD_NANOS = 500_000;

  private final List<Variant> variants;
  private final Map<Variant, Cell> cells;
  private final int[] ns;
  private final Map<String, String> machine;
  private final String application;

  /**
   * @param variants the variants in the harness's order
   * @param cells the samples of every variant
   * @param ns the numbers of actors, in table order
   * @param machine the rows of the machine table, in order
   * @param application what the application is, for the report's introduction
   */
  StarterReport(
      List<Variant> variants,
      Map<Variant, Cell> cells,
      int[] ns,
      Map<String, String> machine,
      String application) {
    this.variants = List.copyOf(variants);
    this.cells = cells;
    this.ns = ns.clone();
    this.machine = machine;
    this.application = application;
  }

  private @Nullable Stats stats(ThreadKind kind, int n, boolean starter, Clock clock) {
    Cell cell = cells.get(new Variant(kind, n, starter));
    return cell == null ? null : cell.stats(clock);
  }

  /**
   * The ratio with/without of the samples taken back to back in the same round, over the rounds:
   * {min, median, max}, or null without pairs. Less exposed to the machine's load changing during
   * the run than the ratio of the medians.
   */
  private double @Nullable [] pairedRatio(ThreadKind kind, int n, Clock clock) {
    Cell with = cells.get(new Variant(kind, n, true));
    Cell without = cells.get(new Variant(kind, n, false));
    if (with == null || without == null) {
      return null;
    }
    List<Double> ratios = new ArrayList<>();
    for (int round : with.rounds) {
      long w = with.at(round, clock);
      long wo = without.at(round, clock);
      if (w >= 0 && wo > 0) {
        ratios.add(w / (double) wo);
      }
    }
    if (ratios.isEmpty()) {
      return null;
    }
    double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int m = sorted.length;
    double median = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
    return new double[] {sorted[0], median, sorted[m - 1]};
  }

  /**
   * The difference with − without of the samples taken back to back in the same round, over the
   * rounds: {low, median, high}, low and high bounding a 95% confidence interval of the median
   * (order statistics: ranks n/2 ∓ 0.98√n; with fewer than 6 pairs, the min and max), or null
   * without pairs.
   */
  private long @Nullable [] pairedAdded(ThreadKind kind, int n, Clock clock) {
    Cell with = cells.get(new Variant(kind, n, true));
    Cell without = cells.get(new Variant(kind, n, false));
    if (with == null || without == null) {
      return null;
    }
    List<Long> differences = new ArrayList<>();
    for (int round : with.rounds) {
      long w = with.at(round, clock);
      long wo = without.at(round, clock);
      if (w >= 0 && wo >= 0) {
        differences.add(w - wo);
      }
    }
    return medianInterval(differences);
  }

  /** {low, median, high} of {@code values} as {@link #pairedAdded}, or null if empty. */
  static long @Nullable [] medianInterval(List<Long> values) {
    if (values.isEmpty()) {
      return null;
    }
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    int m = sorted.length;
    long median = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
    if (m < 6) {
      return new long[] {sorted[0], median, sorted[m - 1]};
    }
    double half = 0.98 * Math.sqrt(m);
    int low = Math.max(0, (int) Math.floor(m / 2.0 - half));
    int high = Math.min(m - 1, (int) Math.ceil(m / 2.0 + half) - 1);
    return new long[] {sorted[low], median, sorted[high]};
  }

  private static String addedCell(long @Nullable [] a) {
    return a == null ? "–" : signed(a[1]) + " (" + signed(a[0]) + " to " + signed(a[2]) + ")";
  }

  private static String ratioCell(double @Nullable [] r) {
    return r == null ? "–" : String.format(Locale.ROOT, "%.2f× (%.2f–%.2f)", r[1], r[0], r[2]);
  }

  private List<ThreadKind> kinds() {
    List<ThreadKind> kinds = new ArrayList<>();
    for (Variant v : variants) {
      if (!kinds.contains(v.kind())) {
        kinds.add(v.kind());
      }
    }
    return kinds;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# run-group starter: context start-up and shutdown\n\n");
    md.append("Made by `dev.rungroup.bench.StarterStartup` on ")
        .append(Instant.now())
        .append(". Application: `dev.rungroup.bench.starter.StartupApp`, ")
        .append(application)
        .append(beanCount())
        .append(". *with* = run-group's starter on the classpath, the beans run as a group; ")
        .append(
            "*without* = the same app and beans, the starter jar left out of the classpath.\n\n");
    md.append("| | |\n|---|---|\n");
    machine.forEach((k, v) -> md.append("| ").append(k).append(" | `").append(v).append("` |\n"));
    md.append("\nClocks: **main → ready**, in the child, from entering `main` until ")
        .append("`SpringApplication.run` returned and, with the starter, every actor has entered ")
        .append("`execute`; **process start → ready**, in the harness, from starting the child ")
        .append("process until its `READY` line arrives (JVM start-up included); ")
        .append("**process CPU time until ready**, in the child, all threads (JIT and GC ")
        .append("included), 10 ms resolution; ")
        .append("**main thread CPU time until ready**, in the child, the thread that runs ")
        .append("`SpringApplication.run` (JIT, GC and waiting for a CPU left out), nanoseconds; ")
        .append("**context.close()**, in the child (with the starter: every actor interrupted ")
        .append("and returned, checked by a count). Cells: median (min–max) over the runs; ")
        .append("ratio: median with over median without; added: median with − median without; ")
        .append("paired ratio: median over rounds of with/without of the two samples taken back ")
        .append("to back (min–max); paired added: median over rounds of with − without, with a ")
        .append("95% confidence interval of that median.\n");
    for (ThreadKind kind : kinds()) {
      md.append("\n## ")
          .append(kind == ThreadKind.PLATFORM ? "Platform threads" : "Virtual threads")
          .append(
              kind == ThreadKind.PLATFORM
                  ? " (Spring Boot's default)"
                  : " (`spring.threads.virtual.enabled=true`)")
          .append("\n\n");
      md.append(
          "| clock | N | without starter | with starter | with / without | added"
              + " | paired ratio | paired added (95% CI) | runs |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Clock clock : Clock.values()) {
        for (int n : ns) {
          Stats without = stats(kind, n, false, clock);
          Stats with = stats(kind, n, true, clock);
          md.append("| ")
              .append(clock.title)
              .append(" | ")
              .append(String.format(Locale.ROOT, "%,d", n));
          md.append(" | ").append(cell(without)).append(" | ").append(cell(with)).append(" | ");
          if (with != null && without != null) {
            md.append(
                    String.format(Locale.ROOT, "%.2f×", with.median() / (double) without.median()))
                .append(" | ")
                .append(signed(with.median() - without.median()));
          } else {
            md.append("– | –");
          }
          md.append(" | ")
              .append(ratioCell(pairedRatio(kind, n, clock)))
              .append(" | ")
              .append(addedCell(pairedAdded(kind, n, clock)))
              .append(" | ")
              .append(without == null ? 0 : without.runs())
              .append(" / ")
              .append(with == null ? 0 : with.runs())
              .append(" |\n");
        }
      }
      perActor(md, kind);
      steps(md, kind);
    }
    md.append(targets());
    StringBuilder failed = new StringBuilder();
    cells.forEach(
        (v, cell) ->
            cell.failures.forEach(
                m -> failed.append("- ").append(v.label()).append(": ").append(m).append('\n')));
    if (failed.length() > 0) {
      md.append("\n## Failed samples\n\n").append(failed);
    }
    return md.toString();
  }

  private void perActor(StringBuilder md, ThreadKind kind) {
    int big = Arrays.stream(ns).max().orElse(0);
    if (big < 1_000) {
      return; // per actor figures only where the actors outweigh the noise
    }
    StringBuilder rows = new StringBuilder();
    for (Clock clock : new Clock[] {Clock.READY, Clock.PROCESS, Clock.CPU, Clock.CLOSE}) {
      Stats with0 = stats(kind, 0, true, clock);
      Stats withBig = stats(kind, big, true, clock);
      Stats withoutBig = stats(kind, big, false, clock);
      if (withBig == null) {
        continue;
      }
      rows.append("| ").append(clock.title).append(" | ");
      rows.append(with0 == null ? "–" : perActor(withBig.median() - with0.median(), big));
      rows.append(" | ");
      rows.append(withoutBig == null ? "–" : perActor(withBig.median() - withoutBig.median(), big));
      rows.append(" |\n");
    }
    if (rows.length() > 0) {
      String n = String.format(Locale.ROOT, "%,d", big);
      md.append("\nPer actor at N = ").append(n).append(":\n\n");
      md.append("| clock | (with(")
          .append(n)
          .append(") − with(0)) / ")
          .append(n)
          .append(" | (with(")
          .append(n)
          .append(") − without(")
          .append(n)
          .append(")) / ")
          .append(n)
          .append(" |\n|---|---:|---:|\n");
      md.append(rows);
    }
  }

  private String targets() {
    StringBuilder md = new StringBuilder();
    md.append("\n## Targets\n\n");
    md.append(
        "In-process: **≤ 15 ms added at 0 actors** (paired added, main → ready and main thread CPU"
            + " time). Whole process: **≤ 5% added at 100 actors** (paired ratio, process start →"
            + " ready and process CPU time). Paired figures: median over the rounds (95% CI).\n\n");
    md.append("| threads | target | clock | measured | result |\n|---|---|---|---:|---|\n");
    boolean any = false;
    for (ThreadKind kind : kinds()) {
      for (Clock clock : new Clock[] {Clock.READY, Clock.MAIN_CPU}) {
        long[] added = pairedAdded(kind, 0, clock);
        if (added == null) {
          continue;
        }
        any = true;
        md.append("| ")
            .append(kind.label())
            .append(" | ≤ 15 ms at N = 0 | ")
            .append(clock.title)
            .append(" | ")
            .append(addedCell(added))
            .append(" | ")
            .append(added[1] <= 15_000_000 ? "met" : "**not met**")
            .append(" |\n");
      }
      for (Clock clock : new Clock[] {Clock.PROCESS, Clock.CPU}) {
        double[] ratio = pairedRatio(kind, 100, clock);
        if (ratio == null) {
          continue;
        }
        any = true;
        md.append("| ")
            .append(kind.label())
            .append(" | ≤ 5% at N = 100 | ")
            .append(clock.title)
            .append(" | ")
            .append(String.format(Locale.ROOT, "%+.1f%%", (ratio[1] - 1) * 100).replace('-', '−'))
            .append(" (")
            .append(addedCell(pairedAdded(kind, 100, clock)))
            .append(") | ")
            .append(ratio[1] <= 1.05 ? "met" : "**not met**")
            .append(" |\n");
      }
    }
    return any ? md.toString() : "";
  }

  /** The bean definitions of the contexts, as the children counted them. */
  private String beanCount() {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (Cell cell : cells.values()) {
      if (cell.runs > 0) {
        min = Math.min(min, cell.beans);
        max = Math.max(max, cell.beans);
      }
    }
    if (max == 0) {
      return "";
    }
    return min == max
        ? String.format(Locale.ROOT, " (%,d bean definitions in the context)", max)
        : String.format(
            Locale.ROOT,
            " (%,d to %,d bean definitions in the contexts, by N and starter)",
            min,
            max);
  }

  /**
   * Where the time went, from the children's {@code STEPS} (Spring's start-up steps): per N, each
   * step whose median differs by 0.5 ms or more with and without the starter, and the starter's own
   * beans.
   */
  private void steps(StringBuilder md, ThreadKind kind) {
    for (int n : ns) {
      Cell with = cells.get(new Variant(kind, n, true));
      Cell without = cells.get(new Variant(kind, n, false));
      if (with == null || without == null || with.steps.isEmpty() || with.steps.get(0).isEmpty()) {
        continue;
      }
      Set<String> keys = new TreeSet<>();
      with.steps.forEach(m -> keys.addAll(m.keySet()));
      without.steps.forEach(m -> keys.addAll(m.keySet()));
      StringBuilder rows = new StringBuilder();
      for (String key : keys) {
        if (key.equals("starterBeanCount")) {
          continue;
        }
        long w = stepMedian(with, key);
        long wo = stepMedian(without, key);
        boolean starterOwn = key.startsWith("bean.") || key.equals("starterBeans");
        if (!starterOwn && !KEY_STEPS.contains(key) && Math.abs(w - wo) < STEP_THRESHOLD_NANOS) {
          continue;
        }
        List<Long> differences = new ArrayList<>();
        for (int round : with.rounds) {
          long a = with.stepAt(round, key);
          long b = without.stepAt(round, key);
          if (a >= 0 && b >= 0) {
            differences.add(a - b);
          }
        }
        rows.append("| `")
            .append(key)
            .append("` | ")
            .append(Report.time(wo))
            .append(" | ")
            .append(Report.time(w))
            .append(" | ")
            .append(addedCell(medianInterval(differences)))
            .append(" |\n");
      }
      md.append("\nWhere the time went at N = ")
          .append(String.format(Locale.ROOT, "%,d", n))
          .append(" (Spring's start-up steps, CPU time of the thread in each, medians; `step.*`:")
          .append(" steps by name, each counted once; `bean.*`: the starter's beans, with what")
          .append(" each creates;")
          .append(" `starterBeans`: all of them; `smart-initialize.*`: after all singletons exist,")
          .append(" run-group's actor scan is `runGroupLifecycle`'s):\n\n")
          .append("| step | without | with | paired added (95% CI) |\n|---|---:|---:|---:|\n")
          .append(rows);
    }
  }

  private static long stepMedian(Cell cell, String key) {
    long[] values = cell.steps.stream().mapToLong(m -> m.getOrDefault(key, 0L)).toArray();
    return values.length == 0 ? 0 : Stats.of(values).median();
  }

  /** The steps of every sample: kind, n, starter, round, key, nanoseconds. */
  String stepsCsv() {
    StringBuilder csv = new StringBuilder("kind,n,starter,round,key,ns\n");
    for (Variant v : variants) {
      Cell cell = cells.get(v);
      if (cell == null) {
        continue;
      }
      for (int i = 0; i < cell.runs; i++) {
        int round = cell.rounds.get(i);
        cell.steps
            .get(i)
            .forEach(
                (key, value) ->
                    csv.append(v.kind().label())
                        .append(',')
                        .append(v.n())
                        .append(',')
                        .append(v.starter() ? "with" : "without")
                        .append(',')
                        .append(round)
                        .append(',')
                        .append(key)
                        .append(',')
                        .append(value)
                        .append('\n'));
      }
    }
    return csv.toString();
  }

  private static String cell(@Nullable Stats s) {
    if (s == null) {
      return "–";
    }
    return Report.spread(s);
  }

  private static String signed(long nanos) {
    return (nanos < 0 ? "−" : "+") + Report.time(Math.abs(nanos));
  }

  private static String perActor(long nanos, int n) {
    return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3 / n);
  }

  String csv() {
    StringBuilder csv =
        new StringBuilder(
            "kind,n,starter,clock,runs,min_ns,median_ns,max_ns,failures,"
                + "paired_ratio_min,paired_ratio_median,paired_ratio_max,"
                + "paired_added_low_ns,paired_added_median_ns,paired_added_high_ns\n");
    for (Variant v : variants) {
      for (Clock clock : Clock.values()) {
        Stats s = stats(v.kind(), v.n(), v.starter(), clock);
        csv.append(v.kind().label())
            .append(',')
            .append(v.n())
            .append(',')
            .append(v.starter() ? "with" : "without")
            .append(',')
            .append(clock.label())
            .append(',');
        if (s == null) {
          csv.append("0,,,");
        } else {
          csv.append(s.runs())
              .append(',')
              .append(s.min())
              .append(',')
              .append(s.median())
              .append(',')
              .append(s.max());
        }
        Cell cell = cells.get(v);
        csv.append(',').append(cell == null ? 0 : cell.failures.size());
        double[] paired = v.starter() ? pairedRatio(v.kind(), v.n(), clock) : null;
        if (paired == null) {
          csv.append(",,,");
        } else {
          csv.append(
              String.format(Locale.ROOT, ",%.4f,%.4f,%.4f", paired[0], paired[1], paired[2]));
        }
        long[] added = v.starter() ? pairedAdded(v.kind(), v.n(), clock) : null;
        if (added == null) {
          csv.append(",,,\n");
        } else {
          csv.append(',').append(added[0]).append(',').append(added[1]).append(',');
          csv.append(added[2]).append('\n');
        }
      }
    }
    return csv.toString();
  }
}
