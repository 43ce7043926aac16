package dev.rungroup.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Exit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

class SeedExampleTest {

  /** With a short tick, many runs show that the closing order never races. */
  @RepeatedTest(50)
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void closingOrderIsAlwaysOneThenTwo() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    Exit exit = SeedExample.run(out, Duration.ofMillis(1));

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "Go routine 3 is sleeping...",
            "Go routine 3 is sleeping...",
            "Go routine 3 is sleeping...",
            "Go routine 3 is closed",
            "Go routine 1 is closed",
            "Go routine 2 is closed");
    assertThat(exit.error()).isNull();
    assertThat(exit.firstActor()).hasValue("routine-3");
  }
}
