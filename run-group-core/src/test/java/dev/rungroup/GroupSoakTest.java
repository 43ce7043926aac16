package dev.rungroup;

import dev.rungroup.prop.PropertyRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The properties of {@link GroupPropertiesTest} for a given time: {@code -Dsoak=30m} (a {@link
 * Duration} such as {@code PT2H}, or a number with {@code s}, {@code m} or {@code h}; default 30
 * minutes). Tagged {@code soak}, so normal builds leave it out; run it with {@code ./mvnw -pl
 * run-group-core verify -Psoak -Dsoak=30m}.
 */
@Tag("soak")
@ExtendWith(ThreadHygieneExtension.class)
class GroupSoakTest {

  @Test
  void randomGroupsKeepEveryPropertyForALongTime() {
    Duration duration = parse(System.getProperty("soak", "30m"));
    long master = Long.getLong("prop.masterSeed", System.nanoTime());
    System.out.println(
        "soak: " + duration + ", -Dprop.masterSeed=" + master + ", started " + Instant.now());
    PropertyRunner runner = new PropertyRunner();
    long start = System.nanoTime();
    long[] nextReport = {start + TimeUnit.MINUTES.toNanos(1)};
    try {
      runner.check(
          master,
          0,
          start + duration.toNanos(),
          groups -> {
            long now = System.nanoTime();
            if (now >= nextReport[0]) {
              nextReport[0] = now + TimeUnit.MINUTES.toNanos(1);
              System.out.println(
                  "soak: "
                      + groups
                      + " groups after "
                      + TimeUnit.NANOSECONDS.toSeconds(now - start)
                      + " s, no failure so far");
            }
          });
    } finally {
      System.out.println(
          "soak: ran "
              + runner.groupsRun()
              + " groups ("
              + runner.skipped()
              + " skipped: no thread to spare) in "
              + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)
              + " s, ended "
              + Instant.now()
              + "; seen: "
              + PropertyRunner.seen());
    }
  }

  static Duration parse(String text) {
    String s = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (s.startsWith("p")) {
      return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
    }
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("soak duration like 30m, 2h or PT30M: " + text);
    };
  }
}
