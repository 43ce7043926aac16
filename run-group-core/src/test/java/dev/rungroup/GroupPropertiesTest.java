package dev.rungroup;

import dev.rungroup.prop.PropertyRunner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Property-based tests of {@link Group} over random groups and schedules (see {@link
 * dev.rungroup.prop.GroupCase} and {@link dev.rungroup.prop.CaseRunner} for what is generated and
 * checked): half of the cases add actors with options (random {@code after} edges to earlier
 * actors, readiness, one-shot actors, restart policies, startup timeouts, failing suppliers), whose
 * properties GraphChecks adds; the report ends with how often each of those was seen. A failure
 * prints the seed and the shrunk case; {@code -Dprop.seed=SEED} reruns one case, {@code
 * -Dprop.cases=N} sets how many random groups run (default 600).
 */
@ExtendWith(ThreadHygieneExtension.class)
class GroupPropertiesTest {

  static final long DEFAULT_CASES = 600;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void randomGroupsKeepEveryProperty() {
    PropertyRunner runner = new PropertyRunner();
    String seed = System.getProperty("prop.seed");
    if (seed != null && !seed.isBlank()) {
      runner.checkOne(
          runner.caseOf(Long.parseLong(seed.trim())), Integer.getInteger("prop.repeat", 200));
      return;
    }
    long master = Long.getLong("prop.masterSeed", System.nanoTime());
    long cases = Long.getLong("prop.cases", DEFAULT_CASES);
    System.out.println(
        "GroupPropertiesTest: " + cases + " random groups, -Dprop.masterSeed=" + master);
    long start = System.nanoTime();
    runner.check(master, cases, 0, groups -> {});
    System.out.println(
        "GroupPropertiesTest: "
            + runner.groupsRun()
            + " groups ("
            + runner.skipped()
            + " skipped: no thread to spare) in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
            + " ms; seen: "
            + PropertyRunner.seen());
  }
}
