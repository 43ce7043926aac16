package dev.rungroup.spring.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.ActorContext;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.endpoint.Http.Answer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The readiness probe of a real web application whose storage actor takes its time to open: {@code
 * OUT_OF_SERVICE} while it opens, although Spring said it accepts traffic once the application was
 * ready, then {@code UP}.
 */
@SpringBootTest(
    classes = ReadinessHttpTests.Application.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health,actors",
      "management.endpoint.health.show-details=always",
      "management.endpoint.health.probes.enabled=true"
    })
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadinessHttpTests {

  private static final long WAIT_SECONDS = OperationsHttpTests.WAIT_SECONDS;

  @LocalServerPort int port;

  @Autowired Storage storage;

  @Test
  void readinessIsOutOfServiceUntilTheGroupIsReadyThenUp() throws Exception {
    Http http = new Http(port);
    assertThat(storage.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    try {
      Answer opening = http.get("/actuator/health/readiness");
      assertThat(opening.status()).isEqualTo(503);
      assertThat(opening.read("$.status", String.class)).isEqualTo("OUT_OF_SERVICE");
      Answer health = http.get("/actuator/health");
      assertThat(health.read("$.components.runGroup.status", String.class)).isEqualTo("UNKNOWN");
      Answer consumer = http.get("/actuator/actors/consumer");
      assertThat(consumer.read("$.state", String.class)).isEqualTo("waiting");
      assertThat(consumer.read("$.ready", Boolean.class)).isFalse();
      assertThat(consumer.list("$.waitingFor")).containsExactly("storage");
      assertThat(http.get("/actuator/health/liveness").read("$.status", String.class))
          .isEqualTo("UP");
    } finally {
      storage.open.countDown();
    }
    await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(() -> http.get("/actuator/health/readiness").status() == 200);
    Answer ready = http.get("/actuator/health/readiness");
    assertThat(ready.read("$.status", String.class)).isEqualTo("UP");
    Answer health = http.get("/actuator/health");
    assertThat(health.read("$.components.runGroup.status", String.class)).isEqualTo("UP");
    assertThat(http.get("/actuator/actors/consumer").read("$.ready", Boolean.class)).isTrue();
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {

    @Bean
    Storage storage() {
      return new Storage();
    }

    @Bean
    Consumer consumer() {
      return new Consumer();
    }
  }

  /** Signals ready once the test opens it, then runs until interrupted. */
  @Actor(readiness = Readiness.SIGNALLED)
  static final class Storage implements Interruptible {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void execute() throws Exception {
      ActorContext context = ActorContext.current();
      started.countDown();
      while (!open.await(10, TimeUnit.MILLISECONDS)) {
        if (stop.getCount() == 0) {
          return;
        }
      }
      context.ready();
      stop.await();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop.countDown();
    }
  }

  /** Starts once the storage is ready, then runs until interrupted. */
  @Actor(after = "storage")
  static final class Consumer implements Interruptible {
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void execute() throws Exception {
      stop.await();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop.countDown();
    }
  }
}
