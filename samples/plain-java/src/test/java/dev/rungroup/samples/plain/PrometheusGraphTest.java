package dev.rungroup.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Exit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PrometheusGraphTest {

  /** The components' interrupts at the stop, in the order the graph gives. */
  static final List<String> STOP_ORDER =
      List.of(
          "interrupt scrape",
          "interrupt web",
          "interrupt config",
          "interrupt rules",
          "interrupt consumer",
          "interrupt storage");

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void startsInTheGraphsOrderRestartsTheConsumerTwiceAndStopsTheStorageLast() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    Exit exit = PrometheusGraph.run(out, PrometheusGraph.RUN_FOR);

    List<String> lines =
        bytes.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    assertRun(lines, "timer");
    assertThat(exit.error()).isNull();
    assertThat(exit.firstActor()).hasValue("timer");
    assertThat(exit.allStopped()).isTrue();
    assertThat(exit.actors())
        .allSatisfy(actor -> assertThat(actor.error()).as(actor.name()).isNull())
        .filteredOn(actor -> actor.name().equals("consumer"))
        .singleElement()
        .satisfies(consumer -> assertThat(consumer.restarts()).isEqualTo(PrometheusGraph.BLIPS));
  }

  /**
   * Asserts what a run of the graph printed, ended by {@code firstActor}: the start order follows
   * {@code after}, the group became ready once every actor was, the consumer was restarted twice,
   * and the stop put the web server and the scrape manager before the storage.
   */
  static void assertRun(List<String> lines, String firstActor) {
    // A dependency prints its line before it becomes ready; its dependents start after that.
    int storageOpen = index(lines, "storage: opened");
    int configLoaded = index(lines, "config: loaded 2 settings");
    assertThat(index(lines, "actorReady storage")).isGreaterThan(storageOpen);
    for (String dependent : List.of("scrape", "web", "rules", "consumer")) {
      int started = index(lines, "actorStarted " + dependent);
      assertThat(started).as(dependent + " starts after the storage").isGreaterThan(storageOpen);
      assertThat(started)
          .as(dependent + " starts after the storage's actorReady")
          .isGreaterThan(index(lines, "actorReady storage"));
    }
    for (String dependent : List.of("scrape", "web")) {
      int started = index(lines, "actorStarted " + dependent);
      assertThat(started).as(dependent + " starts after the config").isGreaterThan(configLoaded);
      assertThat(started)
          .as(dependent + " starts after the config returned")
          .isGreaterThan(index(lines, "actorReturned config"))
          .isGreaterThan(index(lines, "actorReady config"));
    }

    // The consumer's broker blips twice: two failed incarnations, two restarts, then it runs.
    assertThat(lines)
        .filteredOn(line -> line.startsWith("actorReturned consumer java.net.ConnectException"))
        .hasSize(PrometheusGraph.BLIPS);
    assertThat(lines)
        .filteredOn(line -> line.startsWith("actorRestarting consumer"))
        .containsExactly(
            "actorRestarting consumer #1 in 100 ms", "actorRestarting consumer #2 in 200 ms");
    assertThat(lines)
        .filteredOn("actorStarted consumer"::equals)
        .hasSize(PrometheusGraph.BLIPS + 1);
    assertThat(lines)
        .containsSubsequence(
            "actorRestarting consumer #2 in 200 ms", "consumer: subscribed", "actorReady consumer");
    assertThat(lines).containsOnlyOnce("actorReady consumer", "  consumer: restarts=2");

    // The group is ready once, after every actor became ready.
    assertThat(lines).containsOnlyOnce("groupReady");
    int groupReady = index(lines, "groupReady");
    for (String actor :
        List.of("timer", "signal", "storage", "config", "scrape", "web", "rules", "consumer")) {
      assertThat(groupReady)
          .as("after " + actor)
          .isGreaterThan(lastIndex(lines, "actorReady " + actor));
    }

    // The stop: the graph's order, and the storage interrupted only once its dependents returned.
    int stopping = index(lines, "groupStopping " + firstActor);
    assertThat(stopping).isGreaterThan(groupReady);
    assertThat(lines.subList(stopping, lines.size()))
        .filteredOn(line -> line.startsWith("interrupt "))
        .containsExactlyElementsOf(STOP_ORDER);
    int storageInterrupted = index(lines, "interrupt storage");
    for (String dependent : List.of("scrape", "web", "rules", "consumer")) {
      assertThat(lastIndex(lines, "actorReturned " + dependent))
          .as(dependent + " returned before the storage was interrupted")
          .isGreaterThan(stopping)
          .isLessThan(storageInterrupted);
    }
    assertThat(lastIndex(lines, "actorReturned storage")).isGreaterThan(storageInterrupted);
    assertThat(lines).contains("Exit[firstActor=" + firstActor + ", error=null, actors=8]");
  }

  private static int index(List<String> lines, String line) {
    assertThat(lines).contains(line);
    return lines.indexOf(line);
  }

  private static int lastIndex(List<String> lines, String line) {
    assertThat(lines).contains(line);
    return lines.lastIndexOf(line);
  }
}
