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
import org.jspecify.annotations.Nullable;

/**
 * Turns the samples of {@link StarterStartup} into {@code starter.md} and {@code starter.csv}: per
 * thread kind a table of every clock and N, with and without the starter, the ratio of the medians,
 * the paired ratio and the per-actor cost; the 100-actor target; the failed samples.
 */
final class StarterReport {
  private final List<Variant> variants;
  private final Map<Variant, Cell> cells;
  private final int[] ns;
  private final Map<String, String> machine;

  /**
   * @param variants the variants in the harness's order
   * @param cells the samples of every variant
   * @param ns the numbers of actors, in table order
   * @param machine the rows of the machine table, in order
   */
  StarterReport(
      List<Variant> variants, Map<Variant, Cell> cells, int[] ns, Map<String, String> machine) {
    this.variants = List.copyOf(variants);
    this.cells = cells;
    this.ns = ns.clone();
    this.machine = machine;
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
        .append(". Application: `dev.rungroup.bench.starter.StartupApp`, a non-web Spring Boot ")
        .append("app (`spring-boot-starter` only) with N singleton beans of one `@Actor` class ")
        .append(
            "implementing `Interruptible` (`execute` waits on a latch that `interrupt` opens). ")
        .append("*with* = run-group's starter on the classpath, the beans run as a group; ")
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
        .append("**context.close()**, in the child (with the starter: every actor interrupted ")
        .append("and returned, checked by a count). Cells: median (min–max) over the runs; ")
        .append("ratio: median with over median without; added: median with − median without.\n");
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
              + " | paired ratio | runs |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
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
              .append(without == null ? 0 : without.runs())
              .append(" / ")
              .append(with == null ? 0 : with.runs())
              .append(" |\n");
        }
      }
      perActor(md, kind);
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
    md.append("\n## Target: ≤ 10% added to context start-up with 100 actors\n\n");
    md.append(
        "| threads | main → ready | paired ratio | process start → ready | process CPU time"
            + " | result (main → ready) |\n");
    md.append("|---|---:|---:|---:|---:|---|\n");
    boolean any = false;
    for (ThreadKind kind : kinds()) {
      Stats with = stats(kind, 100, true, Clock.READY);
      Stats without = stats(kind, 100, false, Clock.READY);
      if (with == null || without == null) {
        continue;
      }
      any = true;
      double ratio = with.median() / (double) without.median();
      md.append("| ").append(kind.label()).append(" | ").append(added(with, without));
      md.append(" | ").append(ratioCell(pairedRatio(kind, 100, Clock.READY)));
      for (Clock clock : new Clock[] {Clock.PROCESS, Clock.CPU}) {
        Stats w = stats(kind, 100, true, clock);
        Stats wo = stats(kind, 100, false, clock);
        md.append(" | ").append(w == null || wo == null ? "–" : added(w, wo));
      }
      md.append(" | ").append(ratio <= 1.10 ? "met" : "**not met**").append(" |\n");
    }
    return any ? md.toString() : "";
  }

  /** The medians' difference in percent and in time: "+4.2% (+50.1 ms)". */
  private static String added(Stats with, Stats without) {
    return String.format(
        Locale.ROOT,
        "%+.1f%% (%s)",
        (with.median() / (double) without.median() - 1) * 100,
        signed(with.median() - without.median()));
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
                + "paired_ratio_min,paired_ratio_median,paired_ratio_max\n");
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
          csv.append(",,,\n");
        } else {
          csv.append(
              String.format(Locale.ROOT, ",%.4f,%.4f,%.4f%n", paired[0], paired[1], paired[2]));
        }
      }
    }
    return csv.toString();
  }
}
