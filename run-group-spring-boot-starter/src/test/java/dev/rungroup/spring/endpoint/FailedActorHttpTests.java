package dev.rungroup.spring.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.endpoint.Http.Answer;
import dev.rungroup.spring.endpoint.OperationsHttpTests.Gate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The real HTTP endpoints once an actor failed and stopped the group. Under Spring's TestContext
 * framework the starter leaves the context open (and never exits the JVM), so the web server is
 * still up for the test to look.
 */
@SpringBootTest(
    classes = FailedActorHttpTests.Application.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health,actors,metrics",
      "management.endpoint.health.show-details=always",
      "management.endpoint.health.probes.enabled=true",
      "run-group.exit-process=false"
    })
@DirtiesContext // its group has ended
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailedActorHttpTests {

  private static final long WAIT_SECONDS = OperationsHttpTests.WAIT_SECONDS;

  @LocalServerPort int port;

  @Autowired
  @Qualifier("server")
  Gate server;

  @Autowired
  @Qualifier("worker")
  Gate worker;

  @Autowired ActorGroup group;

  @Autowired ConfigurableApplicationContext context;

  @Test
  void afterAnActorFailedHealthIsDownLivenessBrokenAndTheEndpointsSayWhy() throws Exception {
    Http http = new Http(port);
    assertThat(server.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(worker.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    worker.fail(new IllegalStateException("disk full"));
    assertThat(group.awaitExit(Duration.ofSeconds(WAIT_SECONDS))).isPresent();
    assertThat(context.isActive()).as("the test's context stays open").isTrue();

    Answer health = http.get("/actuator/health");
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.read("$.status", String.class)).isEqualTo("DOWN");
    String runGroup = "$.components.runGroup";
    assertThat(health.read(runGroup + ".status", String.class)).isEqualTo("DOWN");
    assertThat(health.read(runGroup + ".details.state", String.class)).isEqualTo("STOPPED");
    assertThat(health.read(runGroup + ".details.firstActor", String.class)).isEqualTo("worker");
    assertThat(health.read(runGroup + ".details.actors.worker.state", String.class))
        .isEqualTo("failed");
    assertThat(health.read(runGroup + ".details.actors.worker.error.type", String.class))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(health.read(runGroup + ".details.actors.worker.error.message", String.class))
        .isEqualTo("disk full");
    assertThat(health.read(runGroup + ".details.actors.server.state", String.class))
        .isEqualTo("returned");

    Answer liveness = http.get("/actuator/health/liveness");
    assertThat(liveness.status()).isEqualTo(503);
    assertThat(liveness.read("$.status", String.class)).isEqualTo("DOWN");
    Answer readiness = http.get("/actuator/health/readiness");
    assertThat(readiness.read("$.status", String.class)).isEqualTo("OUT_OF_SERVICE");

    Answer failed = http.get("/actuator/actors/worker");
    assertThat(failed.status()).isEqualTo(200);
    assertThat(failed.read("$.state", String.class)).isEqualTo("failed");
    assertThat(failed.read("$.outcome", String.class)).isEqualTo("failed");
    assertThat(failed.read("$.firstToReturn", Boolean.class)).isTrue();
    assertThat(failed.read("$.error.message", String.class)).isEqualTo("disk full");
    Answer returned = http.get("/actuator/actors/server");
    assertThat(returned.read("$.outcome", String.class)).isEqualTo("normal");

    Answer exits =
        http.get("/actuator/metrics/rungroup.actor.exits?tag=actor:worker&tag=outcome:failed");
    assertThat(exits.read("$.measurements[0].value", Double.class)).isEqualTo(1.0);
    Answer running = http.get("/actuator/metrics/rungroup.actors.running");
    assertThat(running.read("$.measurements[0].value", Double.class)).isZero();
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
}
