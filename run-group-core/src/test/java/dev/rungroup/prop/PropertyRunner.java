package dev.rungroup.prop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs random {@link GroupCase}s and, on a failure, shrinks the case to a small one that still
 * fails with the same kind of violation (fewer actors, edges, listeners and options; simpler
 * behaviour and policies) and reports it with its seed. Settings (system properties): {@code
 * prop.seed} runs only the case of that seed ({@code prop.repeat} times, default 200); {@code
 * prop.cases} the number of random cases (default 600); {@code prop.masterSeed} fixes the sequence
 * of cases.
 */
public final class PropertyRunner {

  /** How often a candidate of the shrinker is tried: concurrency failures are not certain. */
  private static final int SHRINK_TRIES = 30;

  /** The shrinker stops after this long and reports the smallest failing case so far. */
  private static final Duration SHRINK_BUDGET = Duration.ofSeconds(90);

  private final boolean virtualAvailable = CaseRunner.virtualAvailable();
  private final boolean preferVirtual =
      "virtual".equals(System.getProperty("rungroup.test.threads"));
  private long groupsRun;
  private long skipped;

  /** Cases skipped because the machine refused threads. */
  public long skipped() {
    return skipped;
  }

  /** Number of groups run so far (shrinking included). */
  public long groupsRun() {
    return groupsRun;
  }

  /** What the checks of the graph and supervision saw so far (counts over all cases). */
  public static String seen() {
    return GraphChecks.seen();
  }

  /** The case of one seed, as this JVM would generate it. */
  public GroupCase caseOf(long seed) {
    return GroupCase.generate(seed, virtualAvailable, preferVirtual);
  }

  /** Runs {@code cases} random cases, or until {@code until} (System.nanoTime) if positive. */
  public void check(long masterSeed, long cases, long untilNanos, Progress progress) {
    SplittableRandom seeds = new SplittableRandom(masterSeed);
    for (long i = 0; untilNanos > 0 ? System.nanoTime() < untilNanos : i < cases; i++) {
      long seed = seeds.nextLong();
      checkOne(caseOf(seed), 1);
      progress.ran(groupsRun);
    }
  }

  /** Runs one case {@code repeat} times; on a failure shrinks it and throws. */
  public void checkOne(GroupCase c, int repeat) {
    for (int i = 0; i < repeat; i++) {
      List<String> violations;
      try {
        violations = CaseRunner.run(c);
      } catch (CaseRunner.EnvironmentFailure e) {
        skipped++;
        System.err.println("skipped the case of seed " + c.seed() + ": " + e.getMessage());
        continue;
      }
      groupsRun++;
      if (!violations.isEmpty()) {
        throw failure(c, violations);
      }
    }
  }

  private AssertionError failure(GroupCase original, List<String> violations) {
    long end = System.nanoTime() + SHRINK_BUDGET.toNanos();
    GroupCase smallest = original;
    List<String> smallestViolations = violations;
    int steps = 0;
    boolean progress = true;
    while (progress && System.nanoTime() < end) {
      progress = false;
      for (GroupCase candidate : smallest.shrinks()) {
        if (candidate.weight() >= smallest.weight() || System.nanoTime() > end) {
          continue;
        }
        List<String> found = failsWithin(candidate, end);
        if (!found.isEmpty() && sameKind(violations, found)) {
          smallest = candidate;
          smallestViolations = found;
          steps++;
          progress = true;
          break;
        }
      }
    }
    String message =
        "property violated by the case of seed "
            + original.seed()
            + " (reproduce with -Dprop.seed="
            + original.seed()
            + ")\n  violations: "
            + String.join("\n    ", violations)
            + "\n  original: "
            + original
            + "\n  shrunk in "
            + steps
            + " steps to: "
            + smallest
            + "\n  shrunk case violations: "
            + String.join("\n    ", smallestViolations);
    System.err.println(message);
    return new AssertionError(message);
  }

  /**
   * Whether a shrunk candidate still shows one of the original violations, not just any: the
   * messages compared without their numbers and bracketed details (names, outcomes).
   */
  static boolean sameKind(List<String> original, List<String> found) {
    List<String> kinds = original.stream().map(PropertyRunner::kind).toList();
    return found.stream().map(PropertyRunner::kind).anyMatch(kinds::contains);
  }

  static String kind(String violation) {
    String k = violation.replaceAll("\\[[^\\]]*\\]", "").replaceAll("[0-9]+", "#");
    return k.length() > 80 ? k.substring(0, 80) : k;
  }

  private List<String> failsWithin(GroupCase c, long end) {
    for (int i = 0; i < SHRINK_TRIES && System.nanoTime() < end; i++) {
      List<String> v;
      try {
        v = CaseRunner.run(c);
      } catch (CaseRunner.EnvironmentFailure e) {
        skipped++;
        continue;
      }
      groupsRun++;
      if (!v.isEmpty()) {
        return new ArrayList<>(v);
      }
    }
    return List.of();
  }

  /** Reports how many groups have run. */
  @FunctionalInterface
  public interface Progress {
    /** Called after each case. */
    void ran(long groups);
  }
}
