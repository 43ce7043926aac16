package dev.rungroup.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The child-process protocol on its own, with children written in shell (as a contender in another
 * language would be): answers, failures, a child that dies, one that hangs, one that is not the one
 * meant.
 */
class ChildContenderTest {

  private static ChildContender child(String script, long answerTimeoutSeconds) {
    return new ChildContender(
        "shell", List.of("/bin/sh", "-c", script), ready -> {}, answerTimeoutSeconds);
  }

  @Test
  @Timeout(60)
  void aRunIsOneRequestLineAndOneAnswerOtherLinesAreSkipped() throws Exception {
    ChildContender child =
        child(
            "echo 'a JVM warning'; echo 'READY engine=none';"
                + " while read req; do echo \"echo: $req\"; echo 'TOOK 4242'; done",
            30);
    try {
      assertThat(child.measure(Scenario.B, 7, ThreadKind.PLATFORM, true)).isEqualTo(4242);
      assertThat(child.measure(Scenario.A, 7, ThreadKind.PLATFORM, false)).isEqualTo(4242);
    } finally {
      child.close();
    }
  }

  @Test
  @Timeout(60)
  void theRequestNamesScenarioKindNAndTheCollection() throws Exception {
    ChildContender child =
        child(
            "echo READY; while read verb s k n g; do"
                + " [ \"$verb $s $k $g\" = 'RUN B virtual gc' ] && echo \"TOOK $n\""
                + " || echo \"FAILED got $verb $s $k $n $g\"; done",
            30);
    try {
      assertThat(child.measure(Scenario.B, 12_345, ThreadKind.VIRTUAL, true)).isEqualTo(12_345);
      assertThatThrownBy(() -> child.measure(Scenario.A, 3, ThreadKind.PLATFORM, false))
          .hasMessage("shell: got RUN A platform 3 nogc");
    } finally {
      child.close();
    }
  }

  @Test
  @Timeout(60)
  void aChildThatDiedIsStartedAgainBeforeTheNextRun() throws Exception {
    ChildContender child = child("echo READY; read req; echo 'FAILED boom'; read req; exit 3", 30);
    try {
      assertThatThrownBy(() -> child.measure(Scenario.A, 1, ThreadKind.PLATFORM, false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("shell: boom");
      assertThatThrownBy(() -> child.measure(Scenario.A, 1, ThreadKind.PLATFORM, false))
          .isInstanceOf(IOException.class)
          .hasMessage("shell: the child process ended (exit code 3)");
      assertThatThrownBy(() -> child.measure(Scenario.A, 1, ThreadKind.PLATFORM, false))
          .as("a fresh child answers the first request again")
          .hasMessage("shell: boom");
    } finally {
      child.close();
    }
  }

  @Test
  @Timeout(60)
  void aChildThatDoesNotAnswerIsKilled() throws Exception {
    ChildContender child = child("echo READY; read req; exec sleep 600", 2);
    try {
      assertThatThrownBy(() -> child.measure(Scenario.B, 1, ThreadKind.PLATFORM, false))
          .isInstanceOf(IOException.class)
          .hasMessage("shell: no answer within 2 s, child killed");
    } finally {
      child.close();
    }
  }

  @Test
  @Timeout(60)
  void aChildThatIsNotTheOneMeantIsRefused() throws Exception {
    ChildContender child =
        new ChildContender(
            "shell",
            List.of("/bin/sh", "-c", "echo 'READY engine=/elsewhere'; cat >/dev/null"),
            ready -> {
              throw new IOException("loaded from " + ready.get("engine"));
            },
            30);
    try {
      assertThatThrownBy(child::start).hasMessage("loaded from /elsewhere");
    } finally {
      child.close();
    }
  }

  @Test
  void theEngineChildAnswersAMalformedRequestWithFailed() {
    assertThat(EngineChild.answer(new GroupContender(), "RUN A platform"))
        .startsWith("FAILED not a request: 'RUN A platform'");
    assertThat(EngineChild.answer(new GroupContender(), "RUN C platform 1 gc"))
        .startsWith("FAILED java.lang.IllegalArgumentException");
    assertThat(EngineChild.answer(new GroupContender(), "RUN A platform 3 nogc"))
        .matches("TOOK \\d+");
  }
}
