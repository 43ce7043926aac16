package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Actors#jvmShutdown(Group)} in a real process receiving SIGTERM. */
@Tag("process")
class JvmShutdownProcessTest {

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void sigtermStopsTheGroupGracefullyBeforeTheJvmHalts() throws Exception {
    Process process = start(ShutdownMain.class.getName());
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = output(process)) {
      String first = out.readLine();
      assertThat(first).isEqualTo("ready");
      sigterm(process);
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    } finally {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    assertThat(lines)
        .containsExactly(
            "worker interrupted", "worker returned", "group stopped: first=shutdown error=null");
    assertThat(process.exitValue()).isEqualTo(143);
  }

  /**
   * Covers a bug where a SIGTERM during a slow stop halted the JVM in the middle of it when {@code
   * Actors.jvmShutdown} was added first, as the README's example does: its interrupt, the first
   * called, removed the hook, so the JVM halted before the later interrupts were called and before
   * {@code groupStopped} ran.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bounded", "unbounded"})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void sigtermDuringASlowStopWaitsForTheWholeStop(String mode) throws Exception {
    Process process = start(SlowStopMain.class.getName(), mode);
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = output(process)) {
      assertThat(out.readLine()).isEqualTo("slow interrupt began");
      sigterm(process);
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    } finally {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    assertThat(lines)
        .containsExactly(
            "slow interrupt done",
            "worker interrupted",
            "worker returned",
            "group stopped: first=quit");
    assertThat(process.exitValue()).isEqualTo(143);
  }

  private static Process start(String main, String... args) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), main));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static BufferedReader output(Process process) {
    return new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  private static void sigterm(Process process) throws Exception {
    // SIGTERM; Process.destroy() would also close the streams we still read
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }
}
