package dev.rungroup.bench;

import com.google.common.base.Splitter;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A contender that runs in a process of its own: another build of the engine (whose classes have
 * the same names as this JVM's), or another language's ({@link GoChild}). The harness measures it
 * in the same cells and the same random order as the in-process contenders; the process is started
 * once, outside every clock, and measures each run itself, as {@link Measure} does in this JVM.
 *
 * <p>The protocol, one line of UTF-8 text each way per step:
 *
 * <ol>
 *   <li>the child, once ready: {@code READY key=value ...} (for instance which build it runs);
 *   <li>the harness, per run: {@code RUN <A|B> <platform|virtual> <N> <gc|nogc>} ({@code gc}: a
 *       full collection after the set-up, just before the clock starts, where the runtime has one);
 *   <li>the child, when the run is over and its threads have ended: {@code TOOK <nanoseconds>}, or
 *       {@code FAILED <text>};
 *   <li>for {@linkplain ScenarioC scenario C}, where a child has it: {@code RUN C <kind> <N>
 *       <gc|nogc> <graph|flat>}, answered by {@code TOOK <start nanoseconds> <stop nanoseconds>} or
 *       {@code FAILED <text>};
 *   <li>the harness closes the child's stdin at the end: the child exits.
 * </ol>
 *
 * <p>Other lines on the child's stdout are logged; its stderr goes to the harness's. A child that
 * sends no answer in time (for an engine, twice {@link Measure#PATIENCE_SECONDS} and a minute) is
 * killed and the run fails; a child that died is started again before the next run.
 *
 * <p>Not thread-safe: the harness's main thread alone uses it. A daemon thread per child reads its
 * stdout into a blocking queue, which hands each line over with a happens-before edge.
 */
final class ChildContender implements Contender {
  /** The name of the run-group engine built from an earlier revision, in a child JVM. */
  static final String OLD_ENGINE = "Group (old engine)";

  /**
   * The name of this build's engine in a child JVM, measured as the old one is: a child JVM runs
   * the same code somewhat faster than the harness's JVM, which has run the other contenders too
   * (their code and garbage in its JIT profiles and heap), so new against old is child against
   * child.
   */
  static final String NEW_ENGINE = "Group (new engine)";

  /** Checks the child's {@code READY} line. */
  interface ReadyCheck {
    /** Throws if the child is not the one meant (for instance, loaded the wrong engine). */
    void check(Map<String, String> ready) throws IOException;
  }

  private static final long READY_TIMEOUT_SECONDS = 120;

  /** Marks the end of the child's output in {@link #fromChild}. */
  private static final String EOF = "\u0000EOF";

  private final String name;
  private final List<String> command;
  private final ReadyCheck readyCheck;
  private final long answerTimeoutSeconds;
  private final Set<ThreadKind> kinds;
  private @Nullable Process process;
  private @Nullable Writer toChild;

  /** The current child's stdout lines; a new queue per child, so that none sees another's. */
  private BlockingQueue<String> fromChild = new LinkedBlockingQueue<>();

  /** A child that runs every thread kind this JVM has. */
  ChildContender(
      String name, List<String> command, ReadyCheck readyCheck, long answerTimeoutSeconds) {
    this(name, command, readyCheck, answerTimeoutSeconds, EnumSet.allOf(ThreadKind.class));
  }

  /**
   * @param kinds the thread kinds whose cells the child is measured in
   */
  ChildContender(
      String name,
      List<String> command,
      ReadyCheck readyCheck,
      long answerTimeoutSeconds,
      Set<ThreadKind> kinds) {
    this.name = name;
    this.command = List.copyOf(command);
    this.readyCheck = readyCheck;
    this.answerTimeoutSeconds = answerTimeoutSeconds;
    this.kinds = Set.copyOf(kinds);
  }

  /**
   * The run-group engine of {@code engine} (a jar or a classes directory of the core, for instance
   * built from another revision) in a child JVM: this JVM's {@code java} and heap, GC and preview
   * flags, the classpath {@code engine} first, then this module's classes (so that {@code
   * dev.rungroup.*} comes from {@code engine}), main class {@link EngineChild}. The child's {@code
   * READY} line must say that it loaded {@code Group} from {@code engine}.
   *
   * @param name the contender's name, {@link #OLD_ENGINE} or {@link #NEW_ENGINE}
   * @throws IllegalArgumentException if {@code engine} does not exist
   */
  static ChildContender engine(String name, Path engine) {
    if (!Files.exists(engine)) {
      throw new IllegalArgumentException(
          name + ": no such jar or directory: " + engine + " (--old-engine)");
    }
    Path absolute = engine.toAbsolutePath().normalize();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // the heap, GC and preview flags of this JVM; not agents or debugger flags
      if (arg.startsWith("-Xm") || arg.startsWith("-XX:") || arg.equals("--enable-preview")) {
        command.add(arg);
      }
    }
    command.add("-cp");
    command.add(absolute + File.pathSeparator + location(ChildContender.class));
    command.add(EngineChild.class.getName());
    ReadyCheck loadedFromEngine =
        ready -> {
          String loaded = ready.getOrDefault("engine", "?");
          if (!Files.exists(Path.of(loaded)) || !Files.isSameFile(Path.of(loaded), absolute)) {
            throw new IOException(
                "the child loaded dev.rungroup.Group from " + loaded + ", not from " + absolute);
          }
        };
    return new ChildContender(name, command, loadedFromEngine, 2 * Measure.PATIENCE_SECONDS + 60);
  }

  /** Where this JVM's {@code dev.rungroup.Group} comes from: this build's core. */
  static Path thisEngine() {
    return location(dev.rungroup.Group.class);
  }

  @Override
  public String name() {
    return name;
  }

  /** Whether the child is measured in the cells of {@code kind} (and this JVM has them). */
  @Override
  public boolean supports(ThreadKind kind) {
    return kinds.contains(kind) && kind.available();
  }

  /** Not available: this contender's runs happen in another process, see {@link #measure}. */
  @Override
  public Run prepare(Scenario scenario, int n, ThreadKind kind, @Nullable CountDownLatch started) {
    throw new UnsupportedOperationException(name + " runs in a child process: use measure()");
  }

  @Override
  public long measure(Scenario scenario, int n, ThreadKind kind, boolean collectFirst)
      throws Exception {
    return request(scenario + " " + kind.label() + " " + n + " " + gc(collectFirst), 1)[0];
  }

  /**
   * One run of {@linkplain ScenarioC scenario C} in the child: {@code {start, stop}} in
   * nanoseconds.
   *
   * @param graph the graph rather than the flat group
   */
  long[] measureC(boolean graph, int n, ThreadKind kind, boolean collectFirst) throws Exception {
    return request(
        "C " + kind.label() + " " + n + " " + gc(collectFirst) + (graph ? " graph" : " flat"), 2);
  }

  private static String gc(boolean collectFirst) {
    return collectFirst ? "gc" : "nogc";
  }

  /** Sends {@code RUN <request>} and returns the {@code clocks} numbers of the answer. */
  private long[] request(String request, int clocks) throws Exception {
    Writer out = start();
    out.write("RUN " + request + "\n");
    out.flush();
    String answer = answer("TOOK ", "FAILED ");
    if (answer.startsWith("FAILED ")) {
      throw new IllegalStateException(name + ": " + answer.substring("FAILED ".length()));
    }
    List<String> numbers =
        Splitter.on(' ').omitEmptyStrings().splitToList(answer.substring("TOOK ".length()));
    if (numbers.size() != clocks) {
      throw new IllegalStateException(
          name + ": expected " + clocks + " number(s) after TOOK, got '" + answer + "'");
    }
    long[] values = new long[clocks];
    for (int i = 0; i < clocks; i++) {
      values[i] = Long.parseLong(numbers.get(i));
    }
    return values;
  }

  /**
   * Starts the child unless it is running and waits for its {@code READY} line; returns the pipe to
   * it.
   *
   * @throws IOException if the child cannot be started, says nothing in time or is not the one
   *     meant
   */
  Writer start() throws IOException, InterruptedException {
    Process p = process;
    Writer w = toChild;
    if (p != null && p.isAlive() && w != null) {
      return w;
    }
    close();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    fromChild = lines;
    p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    process = p;
    w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
    toChild = w;
    Process started = p;
    Thread reader =
        new Thread(
            () -> readLines(started, lines), "child-" + name.toLowerCase(Locale.ROOT) + "-stdout");
    reader.setDaemon(true);
    reader.start();
    String line = answer("READY", null);
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair :
        Splitter.on(' ').omitEmptyStrings().split(line.substring("READY".length()))) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    try {
      readyCheck.check(values);
    } catch (IOException e) {
      close();
      throw e;
    }
    Harness.log(name + ": child process ready: " + line.substring("READY".length()).trim());
    return w;
  }

  private static void readLines(Process p, BlockingQueue<String> lines) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the child was killed: its output ends here
    }
    lines.add(EOF);
  }

  /** The next line that starts with {@code first} or {@code second}; logs the others. */
  private String answer(String first, @Nullable String second)
      throws IOException, InterruptedException {
    long timeout = first.equals("READY") ? READY_TIMEOUT_SECONDS : answerTimeoutSeconds;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
    while (true) {
      String line = fromChild.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        Process p = process;
        if (p != null) {
          p.destroyForcibly();
        }
        close();
        throw new IOException(name + ": no answer within " + timeout + " s, child killed");
      }
      if (line.equals(EOF)) {
        Process p = process;
        String exit =
            p == null || !p.waitFor(10, TimeUnit.SECONDS) ? "?" : Integer.toString(p.exitValue());
        close();
        throw new IOException(name + ": the child process ended (exit code " + exit + ")");
      }
      if (line.startsWith(first) || (second != null && line.startsWith(second))) {
        return line;
      }
      Harness.log(name + " child: " + line);
    }
  }

  /** Closes the child's stdin and waits a little for it to exit; kills it if it does not. */
  void close() throws InterruptedException {
    Process p = process;
    Writer w = toChild;
    process = null;
    toChild = null;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        // the child is gone already
      }
    }
    if (p != null && !p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** The jar or directory {@code type} was loaded from. */
  private static Path location(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalStateException("cannot tell where " + type + " came from");
    }
    try {
      return Path.of(source.getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
