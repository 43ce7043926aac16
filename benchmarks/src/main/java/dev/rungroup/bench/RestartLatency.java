package dev.rungroup.bench;

import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import dev.rungroup.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Restart latency: the time from an incarnation's failure (just before its {@code execute} throws)
 * to the next incarnation's {@code execute} beginning, on one actor, with no backoff: the group's
 * {@link RestartPolicy} ({@code onFailure().backoff(ZERO, ZERO).jitter(0)}, a budget no run
 * reaches) against two hand-written catch-and-loops: the bare one (a plain actor whose {@code
 * execute} makes a fresh attempt, runs it, catches its failure and goes again: the floor, with no
 * budget and no stop check) and the one that does what the policy does (the same budget, the last
 * failures' {@link System#nanoTime} stamps in a ring, given up past it, and a volatile stop flag
 * its interrupt sets, checked before each attempt). All make each attempt with {@code new}, fail
 * with the same preallocated exception (no stack trace in the clock) and run on the same kind of
 * thread, in one group of one actor each, interleaved in the same rounds; a run's last attempt
 * returns normally, which ends the run.
 *
 * <p>Every run gives one latency per restart; the figures are the median and the 99th percentile of
 * all restarts measured (after the warm-up), by default {@value #DEFAULT_RESTARTS} per contender in
 * {@value #ROUNDS} rounds.
 */
final class RestartLatency {
  static final int DEFAULT_RESTARTS = 10_000;
  static final int SMOKE_RESTARTS = 200;
  static final int ROUNDS = 20;

  /** The target: the group's restart at most this many times the catch-and-loop's. */
  static final double TARGET = 2.0;

  /** Large enough that no run escalates. */
  private static final int MAX_RESTARTS = 1_000_000;

  /**
   * Short, so that the budget's window holds a few restarts, as a real budget does (the default
   * counts 5): one long enough to hold all restarts of a run makes its ring grow by doubling as the
   * run goes on, a copy at the 4th, 8th, ..., 256th restart, which is then what the p99 shows.
   */
  private static final long WINDOW_NANOS = 1_000;

  static final RestartPolicy POLICY =
      RestartPolicy.onFailure()
          .backoff(Duration.ZERO, Duration.ZERO)
          .jitter(0)
          .maxRestarts(MAX_RESTARTS)
          .within(Duration.ofNanos(WINDOW_NANOS));

  /** The two ways to restart. */
  enum Way {
    /** A supplier-form actor with {@link #POLICY}. */
    GROUP("Group, restart policy", "restart-policy"),
    /** A plain actor whose execute loops: no budget, no stop check. */
    LOOP("catch-and-loop", "catch-and-loop"),
    /** A plain actor whose execute loops within the policy's budget and stops when interrupted. */
    BUDGETED("catch-and-loop with the budget", "catch-and-loop-budgeted");

    final String label;

    /** The name in the CSV. */
    final String key;

    Way(String label, String key) {
      this.label = label;
      this.key = key;
    }
  }

  /**
   * The restarts measured of one way on one kind of thread.
   *
   * @param stats min, median and max of every restart's latency; {@code runs} is the number of
   *     restarts
   * @param p99 the 99th percentile (nearest rank), or -1 without runs
   */
  record Result(ThreadKind kind, Way way, @Nullable Stats stats, long p99, String note) {}

  private RestartLatency() {}

  /** Measures both ways with {@code restarts} restarts each, in {@code rounds}; logs one line. */
  static List<Result> measure(Rounds<Way> rounds, ThreadKind kind, int restarts) {
    int perRun = Math.max(1, (restarts + ROUNDS - 1) / ROUNDS);
    List<Way> ways = List.of(Way.values());
    Rounds.Outcome<Way> outcome =
        rounds.measure(
            ways, w -> once(w, perRun, kind), Objects.hash(perRun, "restart", kind.name()));
    List<Result> results = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "%-8s restart x%-7d", kind.label(), perRun * ROUNDS));
    for (Way way : ways) {
      String failure = outcome.failures().get(way);
      List<long[]> runs = outcome.samples().get(way);
      if (failure != null || runs == null || runs.isEmpty()) {
        String note = failure == null ? "no run" : failure;
        results.add(new Result(kind, way, null, -1, note));
        line.append(" | ").append(way.label).append(": ").append(note);
        continue;
      }
      long[] all = runs.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      Stats stats = Stats.of(all);
      Result r = new Result(kind, way, stats, percentile(all, 0.99), "");
      results.add(r);
      line.append(" | ").append(way.label).append(' ').append(nanos(stats.median()));
      line.append(", p99 ").append(nanos(r.p99()));
    }
    Harness.log(line.toString());
    return results;
  }

  /** One run of {@code restarts} restarts; returns their latencies in nanoseconds. */
  static long[] once(Way way, int restarts, ThreadKind kind) {
    Attempts attempts = new Attempts(restarts);
    Group group = Group.builder().threadFactory(kind.factory()).build();
    if (way == Way.GROUP) {
      group.add("worker", () -> new Attempt(attempts), ActorOptions.defaults().restart(POLICY));
    } else if (way == Way.BUDGETED) {
      group.add("worker", new BudgetedLoop(attempts));
    } else {
      group.add(
          "worker",
          Interruptible.of(
              () -> {
                while (true) {
                  Attempt attempt = new Attempt(attempts);
                  try {
                    attempt.execute();
                    return;
                  } catch (Failure e) {
                    // go again
                  }
                }
              },
              cause -> {}));
    }
    Exit exit = group.run();
    int restarted = way == Way.GROUP ? exit.actors().get(0).restarts() : attempts.failures;
    if (exit.error() != null
        || !exit.firstActor().equals(java.util.Optional.of("worker"))
        || restarted != restarts
        || attempts.failures != restarts) {
      throw new AssertionError(
          way.label + ": unexpected exit " + exit + " after " + attempts.failures + " failures",
          exit.error());
    }
    return attempts.latencies;
  }

  /**
   * The catch-and-loop a careful user writes instead of a restart policy: the same budget ({@link
   * #MAX_RESTARTS} failures within {@link #WINDOW_NANOS}, counted from {@link System#nanoTime}
   * stamps in a ring), a zero backoff, and a stop flag its interrupt sets. Its ring is made before
   * the clock starts and large enough for the failures a window holds.
   */
  private static final class BudgetedLoop implements Interruptible {
    private final Attempts attempts;
    private final long[] stamps = new long[1024];
    private int head;
    private int count;
    private volatile boolean stop;

    BudgetedLoop(Attempts attempts) {
      this.attempts = attempts;
    }

    @Override
    public void execute() throws Failure {
      while (!stop) {
        Attempt attempt = new Attempt(attempts);
        try {
          attempt.execute();
          return;
        } catch (Failure e) {
          long now = System.nanoTime();
          while (count > 0 && now - stamps[head] > WINDOW_NANOS) {
            head = (head + 1) & (stamps.length - 1);
            count--;
          }
          if (count == MAX_RESTARTS || count == stamps.length) {
            throw e; // past the budget (the ring's size is never reached within the window)
          }
          stamps[(head + count) & (stamps.length - 1)] = now;
          count++;
        }
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop = true;
    }
  }

  /** What every attempt fails with: made once, without stack trace or suppressed exceptions. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("StaticAssignmentOfThrowable") // deliberate: no run pays a stack trace
    static final Failure INSTANCE = new Failure();

    private Failure() {
      super("attempt failed (restart latency)", null, false, false);
    }
  }

  /**
   * The state of one run's attempts. Used by one thread at a time: the actor's (a restarted actor's
   * incarnations all run on its thread); the run's {@code join} publishes it to the harness.
   */
  private static final class Attempts {
    final long[] latencies;
    int failures;
    long failedAt;

    Attempts(int restarts) {
      latencies = new long[restarts];
    }
  }

  /**
   * One attempt: notes the latency since the last failure, then fails, or returns after the last.
   */
  private static final class Attempt implements Interruptible {
    private final Attempts attempts;

    Attempt(Attempts attempts) {
      this.attempts = attempts;
    }

    @Override
    public void execute() throws Failure {
      long began = System.nanoTime();
      Attempts a = attempts;
      if (a.failures > 0) {
        a.latencies[a.failures - 1] = began - a.failedAt;
      }
      if (a.failures == a.latencies.length) {
        return; // the last: a normal return ends the run
      }
      a.failures++;
      a.failedAt = System.nanoTime();
      throw Failure.INSTANCE;
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {}
  }

  // ---------------------------------------------------------------------------------------------
  // Report

  /** Nearest-rank percentile of sorted values, or -1 if there are none. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** The group's figure over a loop's: the median ({@code p99} false) or the p99. */
  static double ratio(List<Result> results, ThreadKind kind, boolean p99, Way against) {
    Result group = find(results, kind, Way.GROUP);
    Result loop = find(results, kind, against);
    if (group == null || loop == null) {
      return Double.NaN;
    }
    Stats g = group.stats();
    Stats l = loop.stats();
    if (g == null || l == null) {
      return Double.NaN;
    }
    double num = p99 ? group.p99() : g.median();
    double den = p99 ? loop.p99() : l.median();
    return den <= 0 ? Double.NaN : num / den;
  }

  static void markdown(StringBuilder md, List<Result> results) {
    if (results.isEmpty()) {
      return;
    }
    md.append("## Restart latency: from an incarnation's failure to the next one's `execute`,")
        .append(" backoff zero\n\n")
        .append("`Group, restart policy`: `add(name, supplier, ActorOptions.defaults().restart(")
        .append("RestartPolicy.onFailure().backoff(ZERO, ZERO).jitter(0).maxRestarts(")
        .append(String.format(Locale.ROOT, "%,d", MAX_RESTARTS))
        .append(").within(")
        .append(WINDOW_NANOS / 1_000)
        .append(" µs)))`; `catch-and-loop`: a plain actor whose `execute` loops: a fresh attempt,")
        .append(" run it, catch its failure, go again (no budget, no stop check: the floor);")
        .append(" `catch-and-loop with the budget`: the same loop with the policy's budget (the")
        .append(" failures' `nanoTime` stamps in a ring, given up past it) and a stop flag its")
        .append(" interrupt sets. Same attempt, same preallocated exception, same thread kind; all")
        .append(" restarts measured after the warm-up, in ")
        .append(ROUNDS)
        .append(" interleaved rounds.\n\n")
        .append("| threads | way | restarts | median | p99 | **median: Group / this** |")
        .append(" **p99: Group / this** |\n")
        .append("|---|---|---:|---:|---:|---:|---:|\n");
    for (ThreadKind kind : kinds(results)) {
      for (Way way : Way.values()) {
        Result r = find(results, kind, way);
        if (r == null) {
          continue;
        }
        Stats s = r.stats();
        md.append("| ").append(kind.label()).append(" | ").append(way.label).append(" | ");
        if (s == null) {
          String text = "failed: " + r.note().replace('|', '/');
          md.append("— | ").append(text).append(" | ").append(text).append(" | | |\n");
          continue;
        }
        md.append(String.format(Locale.ROOT, "%,d", s.runs())).append(" | ");
        md.append(nanos(s.median())).append(" | ").append(nanos(r.p99())).append(" |");
        if (way == Way.GROUP) {
          md.append(" | |\n");
        } else {
          md.append(" **").append(ratioText(ratio(results, kind, false, way))).append("** |");
          md.append(" **").append(ratioText(ratio(results, kind, true, way))).append("** |\n");
        }
      }
    }
    md.append('\n');
  }

  /** The targets' lines: the group ≤ 2× each catch-and-loop, median and p99. */
  static void targets(StringBuilder md, List<Result> results) {
    for (ThreadKind kind : kinds(results)) {
      for (Way against : List.of(Way.BUDGETED, Way.LOOP)) {
        for (boolean p99 : new boolean[] {false, true}) {
          double r = ratio(results, kind, p99, against);
          if (Double.isNaN(r)) {
            continue;
          }
          md.append("- ").append(kind.label()).append(", restart latency (");
          md.append(p99 ? "p99" : "median").append(") ≤ 2× the ").append(against.label);
          md.append(": ");
          md.append(
              r <= TARGET ? "**met** (" + ratioText(r) + ")" : "**missed** (" + ratioText(r) + ")");
          md.append('\n');
        }
      }
    }
  }

  static String csv(List<Result> results) {
    StringBuilder csv =
        new StringBuilder(
            "threads,way,restarts,min_ns,median_ns,p99_ns,max_ns,median_group_over_this,"
                + "p99_group_over_this,note\n");
    for (Result r : results) {
      csv.append(r.kind().label()).append(',').append(r.way().key).append(',');
      Stats s = r.stats();
      if (s == null) {
        csv.append(",,,,,");
      } else {
        csv.append(s.runs()).append(',').append(s.min()).append(',').append(s.median());
        csv.append(',').append(r.p99()).append(',').append(s.max());
      }
      if (r.way() != Way.GROUP) {
        csv.append(',').append(number(ratio(results, r.kind(), false, r.way())));
        csv.append(',').append(number(ratio(results, r.kind(), true, r.way())));
      } else {
        csv.append(",,");
      }
      csv.append(",\"").append(r.note().replace('"', '\'')).append("\"\n");
    }
    return csv.toString();
  }

  /**
   * Nanoseconds as such below 10 µs (a restart takes tens to hundreds), else as {@link
   * Report#time}.
   */
  static String nanos(long nanos) {
    return nanos < 10_000 ? String.format(Locale.ROOT, "%,d ns", nanos) : Report.time(nanos);
  }

  private static String number(double r) {
    return Double.isNaN(r) ? "" : String.format(Locale.ROOT, "%.3f", r);
  }

  private static String ratioText(double r) {
    return Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%.2f×", r);
  }

  private static @Nullable Result find(List<Result> results, ThreadKind kind, Way way) {
    for (Result r : results) {
      if (r.kind() == kind && r.way() == way) {
        return r;
      }
    }
    return null;
  }

  private static List<ThreadKind> kinds(List<Result> results) {
    return results.stream().map(Result::kind).distinct().sorted().toList();
  }
}
