package dev.rungroup.bench;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The contenders this JVM can run, in table order. */
final class Contenders {
  static final String STS_CLASS = "dev.rungroup.bench.StructuredTaskScopeContender";

  private static final @Nullable Contender STS;
  private static final String STS_MISSING_REASON;

  static {
    Contender sts = null;
    String reason = "";
    try {
      sts =
          Class.forName(STS_CLASS)
              .asSubclass(Contender.class)
              .getDeclaredConstructor()
              .newInstance();
    } catch (ClassNotFoundException e) {
      reason = "not compiled: build the module with JDK 25 (profile structured-task-scope)";
    } catch (UnsupportedClassVersionError e) {
      reason = "needs Java 25 with --enable-preview (" + e.getMessage() + ")";
    } catch (ReflectiveOperationException | LinkageError e) {
      reason = "cannot load: " + e;
    }
    STS = sts;
    STS_MISSING_REASON = reason;
  }

  private Contenders() {}

  /** Group, baseline, floor, Guava and, when it can be loaded, StructuredTaskScope. */
  static List<Contender> all() {
    List<Contender> all = new ArrayList<>();
    all.add(new GroupContender());
    all.add(new Baseline());
    all.add(new Floor());
    all.add(new GuavaContender());
    Contender sts = STS;
    if (sts != null) {
      all.add(sts);
    }
    return all;
  }

  /** Why StructuredTaskScope is not in {@link #all()}, or empty. */
  static String structuredTaskScopeMissingReason() {
    return STS_MISSING_REASON;
  }

  static Contender byName(String name) {
    for (Contender c : all()) {
      if (c.name().equalsIgnoreCase(name) || shortName(c).equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown contender '" + name + "'; known: group, baseline, floor, guava, sts");
  }

  /** A one-word name for command lines and file names. */
  static String shortName(Contender c) {
    return switch (c.name()) {
      case GroupContender.NAME -> "group";
      case Baseline.NAME -> "baseline";
      case Floor.NAME -> "floor";
      case GuavaContender.NAME -> "guava";
      case GoChild.NAME -> "go";
      case Report.StructuredTaskScopeContenderName.NAME -> "sts";
      default -> c.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
