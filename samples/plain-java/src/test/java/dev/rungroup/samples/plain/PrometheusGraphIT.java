package dev.rungroup.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the packaged graph sample as a real process, with the command the README gives. */
class PrometheusGraphIT {

  /** The exit status of a JVM ended by SIGTERM: 128 + 15. */
  private static final int SIGTERM_STATUS = 143;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void endsByItsTimerWithTheGraphsOrderAndExitsZero() throws Exception {
    Run run = Run.start();
    try {
      assertThat(run.process.waitFor(45, TimeUnit.SECONDS)).as("ends by itself").isTrue();
      run.reader.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(run.process.exitValue()).isZero();
      PrometheusGraphTest.assertRun(run.lines(), "timer");
    } finally {
      run.process.destroyForcibly();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void sigtermStopsTheGraphInOrderBeforeTheJvmExits() throws Exception {
    Run run = Run.start("600");
    try {
      assertThat(run.ready.await(45, TimeUnit.SECONDS)).as("the group becomes ready").isTrue();
      // SIGTERM; not Process.destroy(), which also closes our end of the process's output.
      assertThat(run.process.toHandle().destroy()).isTrue();
      assertThat(run.process.waitFor(45, TimeUnit.SECONDS)).as("ends at SIGTERM").isTrue();
      run.reader.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(run.process.exitValue()).isEqualTo(SIGTERM_STATUS);
      PrometheusGraphTest.assertRun(run.lines(), "signal");
    } finally {
      run.process.destroyForcibly();
    }
  }

  /** The sample's process, its output read line by line on a thread of its own. */
  private static final class Run {
    final Process process;
    final Thread reader;
    final CountDownLatch ready = new CountDownLatch(1);
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private volatile @Nullable IOException failure;

    private Run(Process process) {
      this.process = process;
      this.reader = new Thread(this::read, "sample-output");
      reader.setDaemon(true);
    }

    static Run start(String... args) throws IOException {
      Path jar = Paths.get(System.getProperty("sample.jar", "target/plain-java-sample.jar"));
      assertThat(jar).exists();
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(java, "-cp", jar.toString()));
      command.add(PrometheusGraph.class.getName());
      command.addAll(List.of(args));
      Run run = new Run(new ProcessBuilder(command).redirectErrorStream(true).start());
      run.reader.start();
      return run;
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
          if (line.equals("groupReady")) {
            ready.countDown();
          }
        }
      } catch (IOException e) {
        failure = e;
      }
    }

    List<String> lines() {
      assertThat(reader.isAlive()).as("the output was read to its end").isFalse();
      assertThat(failure).as("reading the output").isNull();
      synchronized (lines) {
        return new ArrayList<>(lines);
      }
    }
  }
}
