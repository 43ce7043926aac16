package dev.rungroup.spring.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.endpoint.Http.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The real HTTP endpoints of an application whose group runs. */
@SpringBootTest(
    classes = OperationsHttpTests.Application.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health,actors,metrics",
      "management.endpoint.health.show-details=always",
      "management.endpoint.health.probes.enabled=true"
    })
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperationsHttpTests {

  static final long WAIT_SECONDS = 20;

  @LocalServerPort int port;

  @Autowired
  @Qualifier("server")
  Gate server;

  @Autowired
  @Qualifier("worker")
  Gate worker;

  private Http http;

  @DynamicPropertySource
  static void threads(DynamicPropertyRegistry registry) {
    registry.add("spring.threads.virtual.enabled", OperationsHttpTests::virtualThreads);
  }

  static boolean virtualThreads() {
    return "virtual".equals(System.getProperty("rungroup.test.threads"));
  }

  @BeforeEach
  void actorsRun() throws InterruptedException {
    http = new Http(port);
    assertThat(server.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void healthIsUpWithEveryActorRunning() throws Exception {
    Answer health = http.get("/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.read("$.status", String.class)).isEqualTo("UP");
    assertThat(health.read("$.components.runGroup.status", String.class)).isEqualTo("UP");
    assertThat(health.read("$.components.runGroup.details.state", String.class))
        .isEqualTo("RUNNING");
    assertThat(health.map("$.components.runGroup.details.actors"))
        .containsOnlyKeys("server", "worker");
    assertThat(health.read("$.components.runGroup.details.actors.worker.state", String.class))
        .isEqualTo("running");
  }

  @Test
  void actorsEndpointListsTheActorsInOrder() throws Exception {
    Answer answer = http.get("/actuator/actors");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.list("$.actors[*].name")).containsExactly("server", "worker");
    assertThat(answer.list("$.actors[*].state")).containsOnly("running");
    assertThat(answer.list("$.actors[*].threadKind"))
        .containsOnly(virtualThreads() ? "virtual" : "platform");
    assertThat(answer.read("$.actors[0].thread", String.class)).isEqualTo("server");
    assertThat(Instant.parse(answer.read("$.actors[0].startTime", String.class)))
        .isBeforeOrEqualTo(Instant.now());
    assertThat(Duration.parse(answer.read("$.actors[0].runningTime", String.class)).isNegative())
        .isFalse();
    assertThat(answer.map("$.actors[0]")).doesNotContainKeys("outcome", "error");
  }

  @Test
  void actorsEndpointGivesOneActorByNameAnd404ForAnUnknownName() throws Exception {
    Answer worker = http.get("/actuator/actors/worker");
    assertThat(worker.status()).isEqualTo(200);
    assertThat(worker.read("$.name", String.class)).isEqualTo("worker");
    assertThat(worker.read("$.state", String.class)).isEqualTo("running");
    assertThat(worker.read("$.thread", String.class)).isEqualTo("worker");
    assertThat(http.get("/actuator/actors/nobody").status()).isEqualTo(404);
  }

  @Test
  void actorsEndpointHasNoWriteOperation() throws Exception {
    assertThat(http.post("/actuator/actors").status()).isEqualTo(405);
    assertThat(http.post("/actuator/actors/worker").status()).isEqualTo(405);
    assertThat(http.get("/actuator/actors/worker").read("$.state", String.class))
        .isEqualTo("running");
  }

  @Test
  void metricsCountTheRunningActors() throws Exception {
    Answer running = http.get("/actuator/metrics/rungroup.actors.running");
    assertThat(running.status()).isEqualTo(200);
    assertThat(running.read("$.measurements[0].value", Double.class)).isEqualTo(2.0);
    Answer exits = http.get("/actuator/metrics/rungroup.actor.exits?tag=actor:server");
    assertThat(exits.status()).isEqualTo(200);
    assertThat(exits.read("$.measurements[0].value", Double.class)).isZero();
    assertThat(exits.list("$.availableTags[?(@.tag == 'outcome')].values[*]"))
        .containsExactlyInAnyOrder("normal", "failed");
    // each running incarnation is an observation of Spring Boot's registry: its long task timer
    assertThat(http.get("/actuator/metrics/rungroup.actor.active?tag=actor:worker").status())
        .isEqualTo(200);
    assertThat(http.get("/actuator/metrics/rungroup.stop").status()).isEqualTo(200);
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {

    @Bean
    @Actor
    Gate server() {
      return new Gate();
    }

    @Bean
    @Actor
    Gate worker() {
      return new Gate();
    }
  }

  /** Runs until interrupted; fails when asked to. */
  static final class Gate implements Interruptible {
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile @Nullable RuntimeException failure;

    @Override
    public void execute() throws Exception {
      started.countDown();
      stop.await(); // an interrupt or fail() ends it; the context close interrupts it at the end
      RuntimeException toThrow = failure;
      if (toThrow != null) {
        throw toThrow;
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop.countDown();
    }

    void fail(RuntimeException exception) {
      failure = exception;
      stop.countDown();
    }
  }
}
