package dev.rungroup.bench;

import com.google.common.base.Splitter;
import dev.rungroup.bench.starter.StartupApp;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The starter start-up benchmark: context start-up and shutdown of a Spring Boot application
 * ({@link StartupApp}) with 0, 100 and 10,000 {@code @Actor} beans, with run-group's starter on the
 * classpath and without it (the very same application and beans; the beans then just exist and
 * nobody runs them). The application is minimal ({@code --app minimal}, the default: {@code
 * spring-boot-starter} only, no web server) or a web application with Actuator ({@code --app web}:
 * {@code spring-boot-starter-webmvc} and {@code spring-boot-starter-actuator}, Tomcat on a free
 * port), optionally with {@code --beans M} ordinary beans besides the actors.
 *
 * <p>Every sample is a fresh JVM (class loading dominates start-up), started from this JVM's own
 * {@code java} with the same flags (none by default), one at a time. The variants (thread kind × N
 * × with/without the starter) are interleaved: each round runs every variant once; the two variants
 * of a pair (same kind and N, with and without the starter) run back to back, in an order
 * alternated per round, and the pairs in an order rotated by one per round; a warm-up round (not
 * counted) fills the page cache first. Besides the ratio of the medians, the report gives the
 * paired ratio: the median over rounds of with/without within one pair. Virtual threads are Spring
 * Boot's {@code spring.threads.virtual.enabled=true}, which the starter follows (Java 21 and later;
 * the kind is left out on older JVMs).
 *
 * <p>Clocks per sample:
 *
 * <ul>
 *   <li>{@code ready}: in the child, from entering {@code main} until {@code SpringApplication.run}
 *       has returned and, with the starter, every actor has entered {@code execute};
 *   <li>{@code process}: in this JVM, from just before starting the child process until the child's
 *       {@code READY} line is read: what a user perceives, JVM start-up included;
 *   <li>{@code cpu}: in the child, the CPU time of the whole process (all threads, user and system:
 *       JIT compilers and GC included) from its start until ready, from {@code /proc/self/stat}
 *       (Linux, 10 ms resolution): less sensitive than the wall clocks to other load on the
 *       machine;
 *   <li>{@code main cpu}: in the child, the CPU time of its main thread (which runs {@code
 *       SpringApplication.run}) until ready, from {@code /proc/thread-self/schedstat} (Linux,
 *       nanoseconds): the in-process clock least exposed to other load, as it counts neither the
 *       JIT compilers nor the time the thread waited for a CPU;
 *   <li>{@code run}: in the child, from entering {@code main} until {@code SpringApplication.run}
 *       returned (the starter starts its group on a thread of its own, so this can come before the
 *       actors run);
 *   <li>{@code close}: in the child, {@code context.close()}; with the starter it interrupts every
 *       actor and waits for it, and the child checks afterwards that every actor returned.
 * </ul>
 *
 * <p>The JVM's exit after the close is in no clock. Options: {@code --out DIR} (default {@code
 * benchmarks/results}); {@code --runs R} (measured rounds, default 15); {@code --warmup W} (default
 * 1); {@code --ns 0,100,10000}; {@code --kinds platform,virtual}; {@code --jvm-arg ARG}
 * (repeatable, for every child); {@code --timeout SECONDS} (per child, default 300; a child past it
 * is killed); {@code --app minimal|web}; {@code --beans M} (ordinary beans, default 0); {@code
 * --steps} (each child records Spring's start-up steps, see {@code StartupSteps}: where the time
 * went, in {@code starter.md} and {@code starter-steps.csv}; the recording costs time itself, so
 * the clocks of such a run are not comparable with a run without it); {@code --starter-jar JAR}
 * (measure this jar as the starter, e.g. one built from an earlier revision, in place of the
 * build's); {@code --smoke} (N = 0 and 100, one round, no warm-up: what CI runs). The shared ones
 * are read by {@link Harness.Options}. Writes {@code starter.md} and {@code starter.csv} ({@link
 * StarterReport}) and prints the Markdown.
 */
public final class StarterStartup {
  static final int[] NS = {0, 100, 10_000};
  static final int[] SMOKE_NS = {0, 100};

  /** After this many failed samples a variant is not run again. */
  private static final int MAX_FAILURES = 2;

  /** One application to start: thread kind, number of actors, starter on the classpath or not. */
  record Variant(ThreadKind kind, int n, boolean starter) {
    String label() {
      return kind.label() + " N=" + n + (starter ? " with" : " without") + " starter";
    }
  }

  /** The clocks of one sample, in nanoseconds. */
  enum Clock {
    READY("start-up: main → ready"),
    PROCESS("start-up: process start → ready"),
    CPU("start-up: process CPU time until ready"),
    MAIN_CPU("start-up: main thread CPU time until ready"),
    RUN("SpringApplication.run"),
    CLOSE("shutdown: context.close()");

    final String title;

    Clock(String title) {
      this.title = title;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The applications: the minimal one, and the web one with Actuator. */
  enum App {
    /** Non-web, {@code spring-boot-starter} only: {@code target/starter-app/spring.classpath}. */
    MINIMAL("spring.classpath"),
    /** Servlet web server and Actuator: {@code target/starter-app/web.classpath}. */
    WEB("web.classpath");

    final String classpathFile;

    App(String classpathFile) {
      this.classpathFile = classpathFile;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One sample: its clocks, and with {@code --steps} the child's {@code STEPS} summary. */
  record Sample(Map<Clock, Long> clocks, Map<String, Long> steps) {}

  /** The samples and failures of one variant. */
  static final class Cell {
    final Map<Clock, long[]> clocks = new EnumMap<>(Clock.class);
    final List<Integer> rounds = new ArrayList<>();
    final List<Map<String, Long>> steps = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    long beans;
    int runs;

    void add(int round, Sample sample) {
      for (Clock clock : Clock.values()) {
        long[] values = Arrays.copyOf(clocks.getOrDefault(clock, new long[0]), runs + 1);
        values[runs] = sample.clocks().getOrDefault(clock, 0L);
        clocks.put(clock, values);
      }
      rounds.add(round);
      steps.add(sample.steps());
      runs++;
    }

    /** The value of the step summary's {@code key} in {@code round}, or -1. */
    long stepAt(int round, String key) {
      int i = rounds.indexOf(round);
      return i < 0 ? -1 : steps.get(i).getOrDefault(key, 0L);
    }

    /** The value of {@code clock} in {@code round}, or -1 if this variant has no sample there. */
    long at(int round, Clock clock) {
      int i = rounds.indexOf(round);
      long[] values = clocks.get(clock);
      return i < 0 || values == null ? -1 : values[i];
    }

    @Nullable Stats stats(Clock clock) {
      long[] values = clocks.get(clock);
      return values == null || values.length == 0 ? null : Stats.of(values);
    }
  }

  private final Options options;
  private final List<Variant> variants = new ArrayList<>();
  private final Map<Variant, Cell> cells = new LinkedHashMap<>();
  private final String loadBefore = Proc.firstLine("/proc/loadavg");
  private double minLoad = Double.MAX_VALUE;
  private double maxLoad;
  private final List<String> classpathWith;
  private final List<String> classpathWithout;
  private String childJava = "?";

  private StarterStartup(Options options) throws IOException {
    this.options = options;
    List<String> classpath = appClasspath(options.app);
    if (options.starterJar != null) {
      classpath = withStarter(classpath, options.starterJar);
    }
    this.classpathWith = classpath;
    this.classpathWithout = withoutStarter(classpathWith);
    for (ThreadKind kind : options.kinds) {
      if (!kind.available()) {
        Harness.log("skipping " + kind.label() + " threads: this JVM has none");
        continue;
      }
      for (int n : options.ns) {
        for (boolean starter : new boolean[] {false, true}) {
          Variant v = new Variant(kind, n, starter);
          variants.add(v);
          cells.put(v, new Cell());
        }
      }
    }
  }

  /**
   * Runs the benchmark.
   *
   * @param args see the class documentation
   * @throws Exception if the classpath files cannot be read or the results not written
   */
  public static void main(String[] args) throws Exception {
    Options options = new Options();
    options.parse(args);
    StarterStartup harness = new StarterStartup(options);
    String markdown = harness.runAll();
    Harness.printReport(markdown, options.out);
  }

  /** Runs every round, writes the files and returns the Markdown report. */
  String runAll() throws IOException, InterruptedException {
    long began = System.nanoTime();
    int rounds = options.warmup + options.runs;
    for (int round = 0; round < rounds; round++) {
      boolean warmup = round < options.warmup;
      // pairs (with and without the starter, same kind and N) run back to back, the pair order
      // rotated by one per round and the order within a pair alternated
      int pairs = variants.size() / 2;
      for (int i = 0; i < 2 * pairs; i++) {
        int pair = (i / 2 + round) % pairs;
        Variant v = variants.get(2 * pair + ((i + round) % 2));
        Cell cell = cell(v);
        if (cell.failures.size() >= MAX_FAILURES) {
          continue;
        }
        String what =
            (warmup ? "warm-up" : "round " + (round - options.warmup + 1) + "/" + options.runs)
                + " "
                + v.label();
        try {
          Sample sample = runOnce(v);
          if (!warmup) {
            cell.add(round, sample);
          }
          Map<Clock, Long> clocks = sample.clocks();
          Harness.log(
              what
                  + ": ready "
                  + Report.time(clocks.getOrDefault(Clock.READY, 0L))
                  + ", process "
                  + Report.time(clocks.getOrDefault(Clock.PROCESS, 0L))
                  + ", cpu "
                  + Report.time(clocks.getOrDefault(Clock.CPU, 0L))
                  + ", main cpu "
                  + Report.time(clocks.getOrDefault(Clock.MAIN_CPU, 0L))
                  + ", close "
                  + Report.time(clocks.getOrDefault(Clock.CLOSE, 0L)));
        } catch (SampleFailure e) {
          cell.failures.add(String.valueOf(e.getMessage()));
          Harness.log(what + " FAILED: " + e.getMessage());
        }
      }
    }
    long took = System.nanoTime() - began;
    StarterReport report =
        new StarterReport(variants, cells, options.ns, machine(took), application());
    String markdown = report.markdown();
    Files.createDirectories(options.out);
    Files.writeString(options.out.resolve("starter.md"), markdown, StandardCharsets.UTF_8);
    Files.writeString(options.out.resolve("starter.csv"), report.csv(), StandardCharsets.UTF_8);
    if (options.steps) {
      Files.writeString(
          options.out.resolve("starter-steps.csv"), report.stepsCsv(), StandardCharsets.UTF_8);
    }
    return markdown;
  }

  /** What the report says the application is. */
  private String application() {
    String beans =
        options.beans == 0
            ? ""
            : String.format(
                Locale.ROOT,
                ", %,d ordinary singleton beans (`PlainRepository`, `PlainService` with an"
                    + " `@Autowired` setter and a `@PostConstruct` method, `PlainListener` with an"
                    + " `@EventListener` method, in turn)",
                options.beans);
    String app =
        options.app == App.WEB
            ? "a servlet web application (`spring-boot-starter-webmvc`, Tomcat on a free port)"
                + " with Actuator (`spring-boot-starter-actuator`, its defaults)"
            : "a non-web Spring Boot app (`spring-boot-starter` only)";
    return app
        + beans
        + ", and N singleton beans of one `@Actor` class implementing `Interruptible` (`execute`"
        + " waits on a latch that `interrupt` opens)"
        + (options.starterJar == null ? "" : "; the starter from `" + options.starterJar + "`");
  }

  /** The rows of the report's machine table. */
  private Map<String, String> machine(long tookNanos) {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("child JVM", childJava + " at " + System.getProperty("java.home"));
    machine.put(
        "child JVM flags",
        options.jvmArgs.isEmpty() ? "none (JVM defaults)" : String.join(" ", options.jvmArgs));
    machine.putAll(Proc.host());
    machine.put(
        "load average before / after", loadBefore + " / " + Proc.firstLine("/proc/loadavg"));
    if (maxLoad > 0) {
      machine.put(
          "1-minute load average at the samples' starts",
          String.format(Locale.ROOT, "%.2f–%.2f", minLoad, maxLoad));
    }
    machine.put("options", options.toString());
    machine.put("harness time", String.format(Locale.ROOT, "%.0f s", tookNanos / 1e9));
    return machine;
  }

  private Cell cell(Variant v) {
    Cell cell = cells.get(v);
    if (cell == null) {
      throw new IllegalArgumentException("no variant " + v);
    }
    return cell;
  }

  // ---------------------------------------------------------------------------------------------
  // One child JVM

  /** A sample that failed: the child failed a check, exited with an error or hung. */
  static final class SampleFailure extends Exception {
    private static final long serialVersionUID = 1L;

    SampleFailure(String message) {
      super(message);
    }
  }

  /** Starts one application in a fresh JVM and returns its clocks. */
  private Sample runOnce(Variant v) throws IOException, InterruptedException, SampleFailure {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.jvmArgs);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, v.starter() ? classpathWith : classpathWithout));
    command.add(StartupApp.class.getName());
    command.add("--bench.actors=" + v.n());
    command.add("--bench.starter=" + v.starter());
    command.add("--bench.beans=" + options.beans);
    if (options.steps) {
      command.add("--bench.steps=true");
    }
    if (options.app == App.WEB) {
      command.add("--server.port=0");
    }
    if (v.kind() == ThreadKind.VIRTUAL) {
      command.add("--spring.threads.virtual.enabled=true");
    }
    noteLoad();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    long began = System.nanoTime();
    Process process = builder.start();
    ChildOutput output = new ChildOutput(process.getInputStream());
    Thread reader = new Thread(output, "starter-child-output");
    reader.setDaemon(true);
    reader.start();
    if (!process.waitFor(options.timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      reader.join(TimeUnit.SECONDS.toMillis(5));
      throw new SampleFailure(
          "no exit within " + options.timeoutSeconds + " s, killed; last output: " + output.tail());
    }
    reader.join(TimeUnit.SECONDS.toMillis(30));
    String result = output.result();
    long readyAt = output.readyAt();
    if (process.exitValue() != 0 || result == null || readyAt == 0) {
      throw new SampleFailure(
          "exit code " + process.exitValue() + "; last output: " + output.tail());
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : Splitter.on(' ').split(result.substring("RESULT ".length()))) {
      int eq = pair.indexOf('=');
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    childJava = values.getOrDefault("java", "?");
    boolean web = Boolean.parseBoolean(values.get("web"));
    if (web != (options.app == App.WEB)) {
      throw new SampleFailure(
          "expected " + (options.app == App.WEB ? "a" : "no") + " web server: " + result);
    }
    cell(v).beans = number(values, "beans");
    int expectedRunning = v.starter() ? v.n() : 0;
    int expectedVirtual = v.kind() == ThreadKind.VIRTUAL ? expectedRunning : 0;
    if (number(values, "started") != expectedRunning
        || number(values, "returned") != expectedRunning
        || number(values, "virtual") != expectedVirtual) {
      throw new SampleFailure(
          "expected "
              + expectedRunning
              + " actors started and returned, "
              + expectedVirtual
              + " of them on virtual threads: "
              + result);
    }
    Map<Clock, Long> clocks = new EnumMap<>(Clock.class);
    clocks.put(Clock.READY, number(values, "ready"));
    clocks.put(Clock.PROCESS, readyAt - began);
    clocks.put(Clock.RUN, number(values, "run"));
    clocks.put(Clock.CPU, number(values, "cpu"));
    clocks.put(Clock.MAIN_CPU, number(values, "mainCpu"));
    clocks.put(Clock.CLOSE, number(values, "close"));
    Map<String, Long> steps = new LinkedHashMap<>();
    String stepsLine = output.steps();
    if (options.steps) {
      if (stepsLine == null) {
        throw new SampleFailure("no STEPS line; last output: " + output.tail());
      }
      for (String pair : Splitter.on(' ').split(stepsLine.substring("STEPS ".length()))) {
        int eq = pair.indexOf('=');
        steps.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
      }
    }
    return new Sample(clocks, steps);
  }

  /** Notes the 1-minute load average, for the report. */
  private void noteLoad() {
    String loadavg = Proc.firstLine("/proc/loadavg");
    try {
      double load = Double.parseDouble(loadavg.substring(0, loadavg.indexOf(' ')));
      minLoad = Math.min(minLoad, load);
      maxLoad = Math.max(maxLoad, load);
    } catch (RuntimeException e) {
      // no /proc/loadavg: not reported
    }
  }

  private static long number(Map<String, String> values, String key) throws SampleFailure {
    String value = values.get(key);
    if (value == null) {
      throw new SampleFailure("no " + key + " in the result line " + values);
    }
    return Long.parseLong(value);
  }

  /** Reads a child's output: notes when {@code READY} arrives, keeps the result and a tail. */
  private static final class ChildOutput implements Runnable {
    private static final int TAIL_LINES = 20;

    private final InputStream in;
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile long readyAt;
    private volatile @Nullable String result;
    private volatile @Nullable String steps;

    ChildOutput(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.equals("READY")) {
            readyAt = System.nanoTime();
          } else if (line.startsWith("RESULT ")) {
            result = line;
          } else if (line.startsWith("STEPS ")) {
            steps = line;
            continue; // long: not kept in the tail
          }
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
              tail.removeFirst();
            }
          }
        }
      } catch (IOException e) {
        // the child was killed: its output ends here
      }
    }

    long readyAt() {
      return readyAt;
    }

    @Nullable String result() {
      return result;
    }

    @Nullable String steps() {
      return steps;
    }

    String tail() {
      synchronized (tail) {
        return String.join(" / ", tail);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The child's classpath

  /**
   * The application's classpath with the starter: this module's classes, then the core and Spring
   * Boot with the starter (and for the web application the web server and Actuator), as the build
   * wrote them to {@code target/starter-app/*.classpath}.
   */
  private static List<String> appClasspath(App app) throws IOException {
    Path target = targetDirectory();
    Path classes = target.resolve("classes");
    Path dir = target.resolve("starter-app");
    List<String> entries = new ArrayList<>();
    entries.add(classes.toString());
    for (String file : new String[] {"core.classpath", app.classpathFile}) {
      Path path = dir.resolve(file);
      if (!Files.isRegularFile(path)) {
        throw new IOException(
            path + " is missing: build the module first (./mvnw -pl benchmarks -am package)");
      }
      Splitter.on(File.pathSeparatorChar)
          .omitEmptyStrings()
          .split(Files.readString(path, StandardCharsets.UTF_8).trim())
          .forEach(entries::add);
    }
    return List.copyOf(entries);
  }

  /** The same classpath with {@code jar} in place of the starter's entry. */
  private static List<String> withStarter(List<String> classpath, Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException("--starter-jar " + jar + ": no such file");
    }
    List<String> with = new ArrayList<>();
    for (String entry : classpath) {
      with.add(entry.contains("run-group-spring-boot-starter") ? jar.toString() : entry);
    }
    return List.copyOf(with);
  }

  /** The same classpath without the starter's entry (its jar or its classes directory). */
  private static List<String> withoutStarter(List<String> classpath) throws IOException {
    List<String> without = new ArrayList<>();
    for (String entry : classpath) {
      if (!entry.contains("run-group-spring-boot-starter")) {
        without.add(entry);
      }
    }
    if (without.size() != classpath.size() - 1) {
      throw new IOException("expected one starter entry in the classpath " + classpath);
    }
    return List.copyOf(without);
  }

  /** {@code benchmarks/target}: the parent of this class's jar or classes directory. */
  private static Path targetDirectory() throws IOException {
    CodeSource source = StarterStartup.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IOException("cannot tell where " + StarterStartup.class + " was loaded from");
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      Path parent = location.getParent();
      if (parent == null) {
        throw new IOException("no parent directory of " + location);
      }
      return parent;
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }

  /** Command-line options: {@code --out}, {@code --kinds} and {@code --smoke}, and these. */
  static final class Options extends Harness.Options {
    int runs = 15;
    int warmup = 1;
    int[] ns = NS;
    long timeoutSeconds = 300;
    List<String> jvmArgs = new ArrayList<>();
    App app = App.MINIMAL;
    int beans;
    boolean steps;
    @Nullable Path starterJar;

    @Override
    void smoke() {
      ns = SMOKE_NS;
      runs = 1;
      warmup = 0;
      timeoutSeconds = 120;
    }

    @Override
    boolean option(String name, Harness.Args args) {
      switch (name) {
        case "--runs" -> runs = args.intValue(name);
        case "--warmup" -> warmup = args.intValue(name);
        case "--timeout" -> timeoutSeconds = args.intValue(name);
        case "--jvm-arg" -> jvmArgs.add(args.value(name));
        case "--ns" -> ns = args.intsValue(name);
        case "--app" -> app = parseApp(args.value(name));
        case "--beans" -> beans = args.intValue(name);
        case "--steps" -> steps = true;
        case "--starter-jar" -> starterJar = Path.of(args.value(name));
        default -> {
          return false;
        }
      }
      return true;
    }

    private static App parseApp(String value) {
      for (App a : App.values()) {
        if (a.label().equals(value)) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          "--app: unknown application '" + value + "'; known: minimal, web");
    }

    @Override
    public String toString() {
      return (smoke ? "--smoke " : "")
          + "--app "
          + app.label()
          + (beans == 0 ? "" : " --beans " + beans)
          + (steps ? " --steps" : "")
          + (starterJar == null ? "" : " --starter-jar " + starterJar)
          + " "
          + "--runs "
          + runs
          + " --warmup "
          + warmup
          + " --ns "
          + String.join(",", Arrays.stream(ns).mapToObj(Integer::toString).toList())
          + " --kinds "
          + String.join(",", kinds.stream().map(ThreadKind::label).toList())
          + " --timeout "
          + timeoutSeconds
          + (jvmArgs.isEmpty() ? "" : " --jvm-arg " + String.join(" --jvm-arg ", jvmArgs));
    }
  }
}
