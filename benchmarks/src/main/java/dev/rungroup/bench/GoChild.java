package dev.rungroup.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The Go contender: the program in {@code benchmarks/go} (scenarios A, B and C over Go's {@code
 * github.com/oklog/run}), built here with the Go toolchain from Debian's packages, {@code
 * golang-go} and {@code golang-github-oklog-run-dev}, in GOPATH mode ({@code
 * GOPATH=/usr/share/gocode}, {@code GO111MODULE=off}, {@code GOPROXY=off}: nothing is downloaded),
 * and run as a {@link ChildContender} in the virtual-thread cells only (goroutines are the only
 * kind of thread in Go). When the toolchain or the package is missing, or the build fails, {@link
 * #build} says why and the harness goes on without it.
 */
final class GoChild {
  /** The contender's name in tables, charts and the CSV. */
  static final String NAME = "Go oklog/run";

  /** Where Debian's Go packages put their sources. */
  static final Path GOPATH = Path.of("/usr/share/gocode");

  /** The package the program imports, under {@link #GOPATH}. */
  static final String OKLOG_RUN = "github.com/oklog/run";

  /** The Debian package of {@link #OKLOG_RUN}. */
  static final String OKLOG_RUN_PACKAGE = "golang-github-oklog-run-dev";

  /** What to do when the toolchain or the package is missing. */
  static final String INSTALL =
      "benchmarks/run installs it: apt-get install golang-go " + OKLOG_RUN_PACKAGE;

  private static final long BUILD_TIMEOUT_SECONDS = 300;

  /**
   * What {@link #build} made of it.
   *
   * @param contender the Go program as a contender, or null if it could not be built
   * @param note what the report says: which Go and oklog/run were built, or why not
   */
  record Outcome(@Nullable ChildContender contender, String note) {}

  private GoChild() {}

  /**
   * The default place of the Go source: {@code benchmarks/go} from the repository's root (where
   * {@code benchmarks/run} runs the harness), or {@code go} from the module's (where Maven runs the
   * tests); null if neither holds a {@code main.go}.
   */
  static @Nullable Path defaultSource() {
    for (Path p : List.of(Path.of("benchmarks", "go"), Path.of("go"))) {
      if (Files.isRegularFile(p.resolve("main.go"))) {
        return p;
      }
    }
    return null;
  }

  /**
   * Builds the program in {@code source} into a temporary directory (deleted when this JVM exits)
   * and returns it as a contender; it is not started yet.
   */
  static Outcome build(Path source) throws InterruptedException {
    if (!Files.isRegularFile(source.resolve("main.go"))) {
      return new Outcome(null, "no Go program at " + source + " (main.go)");
    }
    String missing = missing();
    Path go = findGo();
    if (!missing.isEmpty() || go == null) {
      return new Outcome(null, missing);
    }
    String oklogVersion = debianVersion(OKLOG_RUN_PACKAGE);
    try {
      Path dir = Files.createTempDirectory("rungroup-go-bench");
      dir.toFile().deleteOnExit();
      Path binary = dir.resolve("rungroup-go-bench");
      List<String> command =
          List.of(
              go.toString(),
              "build",
              "-o",
              binary.toString(),
              "-ldflags",
              "-X main.oklogRunVersion=" + oklogVersion,
              ".");
      ProcessBuilder pb =
          new ProcessBuilder(command).directory(source.toFile()).redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("GOPATH", GOPATH.toString());
      env.put("GO111MODULE", "off");
      env.put("GOFLAGS", "");
      env.put("GOPROXY", "off");
      env.put("GOTOOLCHAIN", "local");
      if (!env.containsKey("GOCACHE") && !env.containsKey("HOME")) {
        env.put("GOCACHE", dir.resolve("cache").toString());
      }
      Path log = dir.resolve("build.log");
      log.toFile().deleteOnExit();
      Process p = pb.redirectOutput(log.toFile()).start();
      if (!p.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Outcome(null, "go build did not finish within " + BUILD_TIMEOUT_SECONDS + " s");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8).strip().replace('\n', ' ');
      if (p.exitValue() != 0 || !Files.isExecutable(binary)) {
        return new Outcome(null, "go build failed (exit code " + p.exitValue() + "): " + output);
      }
      binary.toFile().deleteOnExit();
      String goVersion = firstLine(List.of(go.toString(), "version"));
      ChildContender contender =
          new ChildContender(
              NAME,
              List.of(binary.toString()),
              ready -> {
                if (!ready.containsKey("go")) {
                  throw new IOException("the Go child's READY line names no Go version");
                }
              },
              2 * Measure.PATIENCE_SECONDS + 60,
              EnumSet.of(ThreadKind.VIRTUAL));
      return new Outcome(
          contender,
          OKLOG_RUN
              + " "
              + oklogVersion
              + " (Debian's "
              + OKLOG_RUN_PACKAGE
              + "), "
              + goVersion
              + "; built from `"
              + source
              + "` with GOPATH="
              + GOPATH
              + " GO111MODULE=off; goroutines, so in the virtual-thread cells only; Go's"
              + " defaults (GOGC, GOMAXPROCS) unless the environment sets them");
    } catch (IOException e) {
      return new Outcome(null, "cannot build the Go program: " + e);
    }
  }

  /**
   * What of the Go toolchain and of {@link #OKLOG_RUN} this machine lacks, or empty if it has both.
   */
  static String missing() {
    if (findGo() == null) {
      return "no Go toolchain: `go` is not on the PATH (" + INSTALL + ")";
    }
    if (!Files.isRegularFile(GOPATH.resolve("src").resolve(OKLOG_RUN).resolve("group.go"))) {
      return OKLOG_RUN + " is not under " + GOPATH + "/src (" + INSTALL + ")";
    }
    return "";
  }

  /** {@code go} on the PATH, or null. */
  private static @Nullable Path findGo() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path go = Path.of(dir, "go");
      if (Files.isExecutable(go) && !Files.isDirectory(go)) {
        return go;
      }
    }
    return null;
  }

  /** The installed version of a Debian package ({@code dpkg-query}), or "unknown". */
  private static String debianVersion(String pkg) throws InterruptedException {
    String v = firstLine(List.of("dpkg-query", "-W", "-f=${Version}", pkg));
    return v.isEmpty() || v.contains(" ") ? "unknown" : v;
  }

  /** The first line a command prints, or empty if it cannot be run or fails. */
  private static String firstLine(List<String> command) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (var reader = p.inputReader(StandardCharsets.UTF_8)) {
        reader.lines().forEach(lines::add);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return "";
      }
    } catch (IOException e) {
      return "";
    }
    return lines.isEmpty() ? "" : lines.get(0).strip();
  }
}
