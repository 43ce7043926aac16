package dev.rungroup.bench;

import dev.rungroup.ActorContext;
import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Scenario C, the graph: N actors in layers of {@value #LAYER}, each {@code after} the {@value
 * #LAYER} actors of the layer before, {@link Readiness#SIGNALLED} and calling {@link
 * ActorContext#ready()} as soon as its {@code execute} begins, then blocking until interrupted;
 * against the same N in a flat group (actors added without options, ready once their {@code
 * execute} begins). Two clocks per run: <b>start</b>, from the call of {@code run()} to {@link
 * GroupListener#groupReady()} (in the flat group: every actor has begun its {@code execute}), and
 * <b>stop</b>, from {@code stop()} to {@code run()} returning (in the graph: layer by layer, each
 * dependency interrupted only after its dependents returned).
 *
 * <p>Both shapes run this build's engine in the harness's JVM, on the same kind of thread, in the
 * same rounds; the engine before the graph has none, so there is no old engine here. Runs with N of
 * 1,000 or more get a full GC after the set-up, before the start clock, and another before the stop
 * clock, as scenario B does.
 */
final class ScenarioC {
  /** Actors per layer, and dependencies per actor from the second layer on. */
  static final int LAYER = 10;

  static final int[] NS = {100, 10_000, 100_000};
  static final int[] SMOKE_NS = {10, 100};

  /** The target: the graph at most this many times the flat group per actor, at N ≥ 10,000. */
  static final double TARGET = 2.0;

  static final int TARGET_FROM_N = 10_000;

  /** The groups compared: run-group's two, and Go's two when the Go program is measured. */
  enum Shape {
    /** Layers of {@value #LAYER}, each after the layer before, signalled readiness. */
    GRAPH("Group, graph", "graph", false),
    /** The same N actors added without options. */
    FLAT("Group, flat", "flat", false),
    /**
     * Go's oklog/run with the layers wired by hand with channels, as Prometheus wires its actors
     * (see {@code benchmarks/go/main.go}), in the Go program's process.
     */
    GO_GRAPH(GoChild.NAME + ", graph by hand", "go-graph", true),
    /** Go's oklog/run with the same N actors, not wired. */
    GO_FLAT(GoChild.NAME + ", flat", "go-flat", true);

    final String label;

    /** The name in the CSV. */
    final String key;

    /** Whether the Go program runs this shape. */
    final boolean go;

    Shape(String label, String key, boolean go) {
      this.label = label;
      this.key = key;
      this.go = go;
    }

    boolean graph() {
      return this == GRAPH || this == GO_GRAPH;
    }

    /** The flat group of the same side. */
    Shape flat() {
      return go ? GO_FLAT : FLAT;
    }

    /** Go's shape of the same kind. */
    Shape inGo() {
      return graph() ? GO_GRAPH : GO_FLAT;
    }
  }

  /** run-group's two shapes. */
  static final List<Shape> GROUP_SHAPES = List.of(Shape.GRAPH, Shape.FLAT);

  /** Go's two shapes. */
  static final List<Shape> GO_SHAPES = List.of(Shape.GO_GRAPH, Shape.GO_FLAT);

  /** The two clocks of one run, in order. */
  enum Clock {
    START,
    STOP
  }

  /**
   * One measured cell of one shape.
   *
   * @param samples the measured runs in round order, each {@code {start, stop}} in nanoseconds
   */
  record Result(
      ThreadKind kind,
      int n,
      Shape shape,
      @Nullable Stats start,
      @Nullable Stats stop,
      String note,
      List<long[]> samples) {

    @Nullable Stats stats(Clock clock) {
      return clock == Clock.START ? start : stop;
    }
  }

  private ScenarioC() {}

  /** The N of this scenario for {@code kind} within {@code [minN, maxN]}. */
  static int[] ns(boolean smoke, ThreadKind kind, int minN, int maxN) {
    int[] all = smoke ? SMOKE_NS : NS;
    int kindMax =
        kind == ThreadKind.PLATFORM
            ? Compare.PLATFORM_NS[Compare.PLATFORM_NS.length - 1]
            : Integer.MAX_VALUE;
    return Arrays.stream(all).filter(n -> n >= minN && n <= maxN && n <= kindMax).toArray();
  }

  /**
   * Measures both shapes at {@code n} in {@code rounds}, and Go's two in the same rounds if {@code
   * go} is given and runs {@code kind}; logs one line.
   */
  static List<Result> measureCell(
      Rounds<Shape> rounds, ThreadKind kind, int n, @Nullable ChildContender go) {
    List<Shape> shapes = new ArrayList<>(GROUP_SHAPES);
    if (go != null && go.supports(kind)) {
      shapes.addAll(GO_SHAPES);
    }
    Rounds.Outcome<Shape> outcome =
        rounds.measure(
            shapes,
            s ->
                s.go
                    ? Objects.requireNonNull(go).measureC(s.graph(), n, kind, n >= 1_000)
                    : once(s, n, kind, n >= 1_000),
            Objects.hash(n, "C", kind.name()));
    List<Result> cell = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "%-8s C N=%-9d", kind.label(), n));
    for (Shape shape : shapes) {
      String failure = outcome.failures().get(shape);
      List<long[]> list = outcome.samples().get(shape);
      if (failure != null || list == null || list.isEmpty()) {
        String note = failure == null ? "no run" : failure;
        cell.add(new Result(kind, n, shape, null, null, note, List.of()));
        line.append(" | ").append(shape.label).append(": ").append(note);
        continue;
      }
      Stats start = Stats.of(list.stream().mapToLong(s -> s[0]).toArray());
      Stats stop = Stats.of(list.stream().mapToLong(s -> s[1]).toArray());
      cell.add(new Result(kind, n, shape, start, stop, "", List.copyOf(list)));
      line.append(" | ").append(shape.label).append(" start ").append(Report.time(start.median()));
      line.append(", stop ").append(Report.time(stop.median()));
    }
    Harness.log(line.toString());
    return cell;
  }

  /**
   * One run: builds the group outside the clocks, then returns {@code {start, stop}} in
   * nanoseconds.
   *
   * @param collectFirst whether to run a full GC before each clock starts
   */
  static long[] once(Shape shape, int n, ThreadKind kind, boolean collectFirst) throws Exception {
    if (shape.go) {
      throw new IllegalArgumentException(shape.label + " runs in the Go program");
    }
    ReadyClock ready = new ReadyClock();
    Group group = Group.builder().threadFactory(kind.factory()).listener(ready).build();
    if (shape == Shape.GRAPH) {
      addGraph(group, n);
    } else {
      for (int i = 0; i < n; i++) {
        group.add(name(i), new Blocker(null));
      }
    }
    TimedRun run = new TimedRun(group);
    if (collectFirst) {
      System.gc();
    }
    Measure.StartedRun started = new Measure.StartedRun(run);
    started.runner.start();
    if (!ready.latch.await(Measure.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
      group.stop();
      started.runner.join(TimeUnit.SECONDS.toMillis(Measure.PATIENCE_SECONDS));
      throw new IllegalStateException(shape.label + ": the group was not ready in time");
    }
    long start = ready.readyAt - run.began;
    if (collectFirst) {
      System.gc();
    }
    long stopBegan = System.nanoTime();
    long stop = started.stopAndAwait() - stopBegan;
    check(shape, n, Objects.requireNonNull(run.exit, "run() returned no exit"));
    return new long[] {start, stop};
  }

  /** Layers of {@value #LAYER}: the first without dependencies, each next after the one before. */
  static void addGraph(Group group, int n) {
    ActorOptions signalled = ActorOptions.defaults().readiness(Readiness.SIGNALLED);
    ActorOptions options = signalled;
    for (int first = 0; first < n; first += LAYER) {
      String[] layer = new String[Math.min(LAYER, n - first)];
      for (int i = 0; i < layer.length; i++) {
        layer[i] = name(first + i);
        group.add(layer[i], new Signalling(), options);
      }
      options = signalled.after(layer);
    }
  }

  private static String name(int i) {
    return "a" + i;
  }

  /** Every actor ran and stopped, and the stop came from outside, without cause. */
  private static void check(Shape shape, int n, Exit exit) {
    if (exit.error() != null || exit.firstActor().isPresent() || exit.actors().size() != n) {
      throw new AssertionError(shape.label + ": unexpected exit " + exit, exit.error());
    }
    for (Exit.Outcome o : exit.actors()) {
      if (!o.started() || !o.stopped() || o.error() != null || !o.interruptCompleted()) {
        throw new AssertionError(shape.label + ": unexpected outcome " + o, o.error());
      }
    }
  }

  /** Records when the group became ready. */
  private static final class ReadyClock implements GroupListener {
    final CountDownLatch latch = new CountDownLatch(1);
    volatile long readyAt;

    @Override
    public void groupReady() {
      readyAt = System.nanoTime();
      latch.countDown();
    }
  }

  /** The group's run, which notes when {@code run()} was called and what it returned. */
  private static final class TimedRun implements Contender.Run {
    private final Group group;
    volatile long began;
    volatile @Nullable Exit exit;

    TimedRun(Group group) {
      this.group = group;
    }

    @Override
    public void run() {
      began = System.nanoTime();
      exit = group.run();
    }

    @Override
    public void stop() {
      group.stop();
    }
  }

  /** The graph's actor: signals that it is ready as it begins, then blocks until interrupted. */
  private static final class Signalling implements Interruptible {
    private final CountDownLatch latch = new CountDownLatch(1);

    @Override
    public void execute() throws InterruptedException {
      ActorContext.current().ready();
      latch.await();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      latch.countDown();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Report

  /** The graph's median over the flat group's, for one clock, or NaN. */
  static double ratio(List<Result> results, ThreadKind kind, int n, Clock clock) {
    return ratio(results, kind, n, clock, Shape.GRAPH, Shape.FLAT);
  }

  /** One shape's median over another's, for one clock, or NaN. */
  static double ratio(
      List<Result> results, ThreadKind kind, int n, Clock clock, Shape shape, Shape other) {
    Stats num = stats(results, kind, n, shape, clock);
    Stats den = stats(results, kind, n, other, clock);
    if (num == null || den == null || den.median() == 0) {
      return Double.NaN;
    }
    return num.median() / (double) den.median();
  }

  /** The median over the rounds of the graph's run over the flat group's in the same round. */
  static double paired(List<Result> results, ThreadKind kind, int n, Clock clock) {
    return paired(results, kind, n, clock, Shape.GRAPH, Shape.FLAT);
  }

  /** The median over the rounds of one shape's run over another's in the same round. */
  static double paired(
      List<Result> results, ThreadKind kind, int n, Clock clock, Shape shape, Shape other) {
    Result graph = find(results, kind, n, shape);
    Result flat = find(results, kind, n, other);
    if (graph == null || flat == null) {
      return Double.NaN;
    }
    int rounds = Math.min(graph.samples().size(), flat.samples().size());
    if (rounds == 0) {
      return Double.NaN;
    }
    double[] ratios = new double[rounds];
    int i = clock == Clock.START ? 0 : 1;
    for (int r = 0; r < rounds; r++) {
      ratios[r] = graph.samples().get(r)[i] / (double) Math.max(1, flat.samples().get(r)[i]);
    }
    Arrays.sort(ratios);
    return rounds % 2 == 1 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
  }

  /** The Markdown section: one table per thread kind. */
  static void markdown(StringBuilder md, List<Result> results) {
    if (results.isEmpty()) {
      return;
    }
    md.append("## Scenario C: the graph (layers of ")
        .append(LAYER)
        .append(", each after the layer before, signalled ready at once) against a flat group\n\n")
        .append("Start: from `run()` to `groupReady` (flat: every actor has begun `execute`);")
        .append(" stop: from `stop()` to `run()` returning. Both in this JVM, this build's engine.")
        .append(" Same N on both sides, so the ratio of the medians is the ratio per actor;")
        .append(" paired: the median over the rounds of graph / flat in the same round.\n\n");
    for (ThreadKind kind : kinds(results)) {
      md.append("### ").append(kind.label()).append(" threads\n\n");
      md.append("| N | start: graph | start: flat | **graph / flat** | stop: graph | stop: flat")
          .append(" | **graph / flat** | per actor (graph, flat): start | stop |\n")
          .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (int n : ns(results, kind)) {
        md.append("| ").append(String.format(Locale.ROOT, "%,d", n)).append(" |");
        for (Clock clock : Clock.values()) {
          for (Shape shape : GROUP_SHAPES) {
            md.append(' ').append(cell(results, kind, n, shape, clock)).append(" |");
          }
          md.append(" **").append(ratioText(ratio(results, kind, n, clock))).append("** (paired ");
          md.append(ratioText(paired(results, kind, n, clock))).append(") |");
        }
        for (Clock clock : Clock.values()) {
          md.append(' ');
          for (Shape shape : GROUP_SHAPES) {
            Stats s = stats(results, kind, n, shape, clock);
            md.append(
                s == null ? "—" : String.format(Locale.ROOT, "%.2f µs", s.median() / 1e3 / n));
            md.append(shape == Shape.GRAPH ? ", " : " |");
          }
        }
        md.append('\n');
      }
      md.append('\n');
      goTable(md, results, kind);
    }
  }

  /** Go's two shapes beside run-group's, if measured for {@code kind}. */
  private static void goTable(StringBuilder md, List<Result> results, ThreadKind kind) {
    if (results.stream().noneMatch(r -> r.kind() == kind && r.shape().go)) {
      return;
    }
    md.append("#### ")
        .append(GoChild.NAME)
        .append(", the same rounds (in the Go program's process; the graph wired by hand)\n\n")
        .append("| N | start: Go graph | start: Go flat | Go graph / flat | stop: Go graph |")
        .append(" stop: Go flat | Go graph / flat | **Group / Go**: start graph, flat |")
        .append(" **Group / Go**: stop graph, flat |\n")
        .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int n : ns(results, kind)) {
      md.append("| ").append(String.format(Locale.ROOT, "%,d", n)).append(" |");
      for (Clock clock : Clock.values()) {
        for (Shape shape : GO_SHAPES) {
          md.append(' ').append(cell(results, kind, n, shape, clock)).append(" |");
        }
        md.append(' ')
            .append(ratioText(ratio(results, kind, n, clock, Shape.GO_GRAPH, Shape.GO_FLAT)))
            .append(" |");
      }
      for (Clock clock : Clock.values()) {
        md.append(" **")
            .append(ratioText(ratio(results, kind, n, clock, Shape.GRAPH, Shape.GO_GRAPH)))
            .append("**, ")
            .append(ratioText(ratio(results, kind, n, clock, Shape.FLAT, Shape.GO_FLAT)))
            .append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  /** The targets' lines: graph ≤ 2× flat per actor at N ≥ 10,000, for each clock. */
  static void targets(StringBuilder md, List<Result> results) {
    for (ThreadKind kind : kinds(results)) {
      for (Clock clock : Clock.values()) {
        List<String> missed = new ArrayList<>();
        int checked = 0;
        for (int n : ns(results, kind)) {
          double r = ratio(results, kind, n, clock);
          if (n < TARGET_FROM_N || Double.isNaN(r)) {
            continue;
          }
          checked++;
          if (r > TARGET) {
            missed.add(String.format(Locale.ROOT, "N=%,d (%.2f×)", n, r));
          }
        }
        if (checked == 0) {
          continue;
        }
        md.append("- ")
            .append(kind.label())
            .append(", C ")
            .append(clock.name().toLowerCase(Locale.ROOT));
        md.append(", graph ≤ 2× the flat group per actor at N ≥ 10,000: ");
        md.append(missed.isEmpty() ? "**met**" : "**missed** at " + String.join(", ", missed));
        md.append('\n');
      }
    }
  }

  /** One row per shape and cell: both clocks, the ratios on the graph's rows. */
  static String csv(List<Result> results) {
    StringBuilder csv = new StringBuilder();
    csv.append("threads,n,shape,runs,start_min_ms,start_median_ms,start_max_ms,")
        .append("stop_min_ms,stop_median_ms,stop_max_ms,start_median_ns_per_actor,")
        .append("stop_median_ns_per_actor,start_graph_over_flat,start_graph_over_flat_paired,")
        .append("stop_graph_over_flat,stop_graph_over_flat_paired,start_group_over_go,")
        .append("stop_group_over_go,note\n");
    for (Result r : results) {
      csv.append(r.kind().label()).append(',').append(r.n()).append(',').append(r.shape().key);
      Stats start = r.start();
      Stats stop = r.stop();
      if (start == null || stop == null) {
        csv.append(",,,,,,,,,");
      } else {
        csv.append(',').append(start.runs());
        for (Stats s : List.of(start, stop)) {
          csv.append(
              String.format(
                  Locale.ROOT, ",%.4f,%.4f,%.4f", s.min() / 1e6, s.median() / 1e6, s.max() / 1e6));
        }
        csv.append(
            String.format(
                Locale.ROOT,
                ",%.1f,%.1f",
                start.median() / (double) r.n(),
                stop.median() / (double) r.n()));
      }
      Shape shape = r.shape();
      for (Clock clock : Clock.values()) {
        if (shape.graph()) {
          csv.append(',')
              .append(number(ratio(results, r.kind(), r.n(), clock, shape, shape.flat())));
          csv.append(',')
              .append(number(paired(results, r.kind(), r.n(), clock, shape, shape.flat())));
        } else {
          csv.append(",,");
        }
      }
      for (Clock clock : Clock.values()) {
        csv.append(',');
        if (!shape.go) {
          csv.append(number(ratio(results, r.kind(), r.n(), clock, shape, shape.inGo())));
        }
      }
      csv.append(",\"").append(r.note().replace('"', '\'')).append("\"\n");
    }
    return csv.toString();
  }

  private static String number(double r) {
    return Double.isNaN(r) ? "" : String.format(Locale.ROOT, "%.3f", r);
  }

  private static String ratioText(double r) {
    return Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%.2f×", r);
  }

  /** A table cell: the spread of one shape's clock, a dash if not measured, or why it failed. */
  private static String cell(
      List<Result> results, ThreadKind kind, int n, Shape shape, Clock clock) {
    Result r = find(results, kind, n, shape);
    if (r == null) {
      return "—";
    }
    Stats s = r.stats(clock);
    return s != null ? Report.spread(s) : "failed: " + r.note().replace('|', '/');
  }

  private static @Nullable Result find(List<Result> results, ThreadKind kind, int n, Shape shape) {
    for (Result r : results) {
      if (r.kind() == kind && r.n() == n && r.shape() == shape) {
        return r;
      }
    }
    return null;
  }

  private static @Nullable Stats stats(
      List<Result> results, ThreadKind kind, int n, Shape shape, Clock clock) {
    Result r = find(results, kind, n, shape);
    return r == null ? null : r.stats(clock);
  }

  private static List<ThreadKind> kinds(List<Result> results) {
    return results.stream().map(Result::kind).distinct().sorted().toList();
  }

  private static List<Integer> ns(List<Result> results, ThreadKind kind) {
    return results.stream()
        .filter(r -> r.kind() == kind)
        .map(Result::n)
        .distinct()
        .sorted()
        .toList();
  }
}
