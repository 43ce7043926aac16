package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Actors#jvmShutdown(Group)} in a real process receiving SIGTERM. */
@Tag("process")
class JvmShutdownProcessTest {

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void sigtermStopsTheGroupGracefullyBeforeTheJvmHalts() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), ShutdownMain.class.getName())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String first = out.readLine();
      assertThat(first).isEqualTo("ready");
      // SIGTERM; Process.destroy() would also close the streams we still read
      Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
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
}
