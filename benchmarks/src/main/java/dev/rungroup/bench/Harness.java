package dev.rungroup.bench;

import com.google.common.base.Splitter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the harnesses ({@link Compare} and {@link StarterStartup}) share: the options both take
 * ({@code --out DIR}, {@code --kinds platform,virtual}, {@code --smoke}), the reading of the
 * others, the progress log on stderr and the end of {@code main}.
 */
final class Harness {
  private Harness() {}

  /** One line of progress on stderr, with the time. */
  static void log(String line) {
    System.err.println("[" + Instant.now() + "] " + line);
  }

  /** Prints the report and where its files are: the last thing a harness's {@code main} does. */
  static void printReport(String markdown, Path out) {
    System.out.println();
    System.out.println(markdown);
    System.out.println("Written to " + out.toAbsolutePath());
  }

  /**
   * The options of one harness: the shared ones here, the harness's own in a subclass. Not
   * thread-safe; parsed once on the main thread before the harness starts.
   */
  abstract static class Options {
    Path out = Path.of("benchmarks", "results");
    boolean smoke;
    List<ThreadKind> kinds = new ArrayList<>(List.of(ThreadKind.PLATFORM, ThreadKind.VIRTUAL));

    /**
     * Reads {@code args} in order: the shared options here, every other one through {@link
     * #option}.
     *
     * @throws IllegalArgumentException naming an unknown option, a missing value or one that is not
     *     a number or a thread kind
     */
    final void parse(String[] args) {
      Args a = new Args(args);
      while (a.hasNext()) {
        String name = a.next();
        switch (name) {
          case "--out" -> out = Path.of(a.value(name));
          case "--kinds" -> {
            kinds.clear();
            for (String k : Splitter.on(',').trimResults().split(a.value(name))) {
              kinds.add(parseKind(name, k));
            }
          }
          case "--smoke" -> {
            smoke = true;
            smoke();
          }
          default -> {
            if (!option(name, a)) {
              throw new IllegalArgumentException("unknown option " + name);
            }
          }
        }
      }
    }

    /** Applies what {@code --smoke} means to this harness, at its place among the options. */
    abstract void smoke();

    /**
     * Reads one option of this harness, its value (if any) from {@code args}.
     *
     * @return false if {@code name} is no option of this harness
     */
    abstract boolean option(String name, Args args);

    private static ThreadKind parseKind(String option, String kind) {
      try {
        return ThreadKind.parse(kind);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            option + ": unknown thread kind '" + kind + "'; known: platform, virtual", e);
      }
    }
  }

  /** The command line, read from left to right. */
  static final class Args {
    private final String[] args;
    private int next;

    Args(String[] args) {
      this.args = args.clone();
    }

    boolean hasNext() {
      return next < args.length;
    }

    String next() {
      return args[next++];
    }

    /** The value that follows {@code option}. */
    String value(String option) {
      if (!hasNext()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return next();
    }

    int intValue(String option) {
      return parsed(option, Integer::parseInt, "a whole number");
    }

    double doubleValue(String option) {
      return parsed(option, Double::parseDouble, "a number");
    }

    private <T> T parsed(String option, Function<String, T> parse, String what) {
      String v = value(option);
      try {
        return parse.apply(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + ": not " + what + ": '" + v + "'", e);
      }
    }

    /** A comma-separated list of whole numbers. */
    int[] intsValue(String option) {
      String v = value(option);
      try {
        return Splitter.on(',')
            .trimResults()
            .splitToStream(v)
            .mapToInt(Integer::parseInt)
            .toArray();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            option + ": not a comma-separated list of whole numbers: '" + v + "'", e);
      }
    }

    /** A comma-separated list of words. */
    List<String> listValue(String option) {
      return Splitter.on(',').trimResults().omitEmptyStrings().splitToList(value(option));
    }
  }
}
