package dev.rungroup.bench;

import dev.rungroup.Group;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The child side of {@link ChildContender}'s protocol for a build of run-group's engine: runs the
 * very scenario code of the in-process {@link GroupContender} ({@link Measure}, {@link Blocker})
 * against whatever {@code dev.rungroup.Group} comes first on this JVM's classpath, one run per
 * {@code RUN} line, and answers each with {@code TOOK <nanoseconds>} or {@code FAILED <text>}. Its
 * {@code READY} line names where {@code Group} was loaded from ({@code engine=...}). Exits when its
 * stdin ends.
 */
public final class EngineChild {
  private EngineChild() {}

  /**
   * Serves runs until stdin ends.
   *
   * @param args none
   * @throws Exception if stdin cannot be read
   */
  public static void main(String[] args) throws Exception {
    Contender engine = new GroupContender();
    System.out.println(
        "READY engine=" + engineLocation() + " java=" + System.getProperty("java.runtime.version"));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      System.out.println(answer(engine, line));
    }
  }

  /** The answer to one request line. */
  static String answer(Contender engine, String line) {
    // no Guava here: the child's classpath is the engine and this module's classes only
    String[] words = line.trim().split(" ", -1);
    if (words.length != 5 || !words[0].equals("RUN")) {
      return "FAILED not a request: '" + line + "'; expected RUN <A|B> <kind> <N> <gc|nogc>";
    }
    try {
      Scenario scenario = Scenario.valueOf(words[1]);
      ThreadKind kind = ThreadKind.parse(words[2]);
      int n = Integer.parseInt(words[3]);
      boolean collectFirst = words[4].equals("gc");
      if (!kind.available()) {
        return "FAILED no " + kind.label() + " threads in this JVM";
      }
      return "TOOK " + Measure.once(engine, scenario, n, kind, collectFirst);
    } catch (Throwable e) { // OutOfMemoryError included: say so, the harness goes on without us
      return ("FAILED " + e).replace('\n', ' ');
    }
  }

  private static String engineLocation() {
    CodeSource source = Group.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return "?";
    }
    try {
      return Path.of(source.getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      return source.getLocation().toString();
    }
  }
}
