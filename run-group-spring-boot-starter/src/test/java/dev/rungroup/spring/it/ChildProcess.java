package dev.rungroup.spring.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM running a test application ({@link ProcessTestApplication}, {@link FaultTestApplication})
 * on the test class path, its output collected line by line. {@link #close()} kills it if it is
 * still alive.
 */
final class ChildProcess implements AutoCloseable {

  private final Process process;
  private final Thread reader;
  private final List<String> lines = new ArrayList<>(); // guarded by itself

  private ChildProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "child-output");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  static ChildProcess start(String mode, String... springArgs) throws IOException {
    return start(ProcessTestApplication.class, false, mode, springArgs);
  }

  /**
   * Starts {@code main} of {@code application} with {@code mode} and Spring arguments; without a
   * web server unless {@code web}.
   */
  static ChildProcess start(Class<?> application, boolean web, String mode, String... springArgs)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:auto");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(application.getName());
    command.add(mode);
    command.add("--spring.main.banner-mode=off");
    // The test class path holds a web server (for the actuator tests): a port only when asked.
    command.add("--spring.main.web-application-type=" + (web ? "servlet" : "none"));
    command.add(
        "--spring.threads.virtual.enabled="
            + "virtual".equals(System.getProperty("rungroup.test.threads")));
    command.addAll(List.of(springArgs));
    return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until a line containing {@code text} was printed. */
  void awaitLine(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (lines.stream().noneMatch(line -> line.contains(text))) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
          throw new AssertionError(
              "no line with '" + text + "' within " + timeout + "\n" + output());
        }
        TimeUnit.NANOSECONDS.timedWait(lines, left);
      }
    }
  }

  /** Waits for the process to end and returns its exit code; fails with its output if it hangs. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the process did not end within " + timeout + "\n" + output());
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  /**
   * Sends SIGTERM. Through the {@link ProcessHandle}: {@link Process#destroy()} would also close
   * the output stream that is still being read.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /**
   * Sends a signal by name ({@code TERM}, {@code INT}) with {@code kill}, and waits (bounded) for
   * {@code kill} to have delivered it.
   */
  void signal(String name) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS)) {
      kill.destroyForcibly();
      throw new AssertionError("kill -" + name + " did not end within 10 s");
    }
    if (kill.exitValue() != 0) {
      throw new AssertionError(
          "kill -"
              + name
              + " failed with "
              + kill.exitValue()
              + ": "
              + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              + "\n"
              + output());
    }
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  String output() {
    return "--- output of the child process ---\n"
        + String.join("\n", lines())
        + "\n--- end of output ---";
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
