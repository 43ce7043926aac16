package dev.rungroup.spring.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.spring.Actor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A request in flight when the application closes, with {@code server.shutdown=graceful}: the web
 * server drains it first, against running actors, and only then are the actors interrupted (the
 * group's default phase is below the web server's). The application is started by {@code
 * SpringApplication}, as in production, and closed from outside.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulShutdownHttpTests {

  private static final long WAIT_SECONDS = OperationsHttpTests.WAIT_SECONDS;

  @Test
  void aRequestInFlightAtCloseCompletesAgainstRunningActorsThatStopOnlyAfterTheDrain()
      throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(Application.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "server.shutdown=graceful",
                "run-group.exit-process=false",
                "spring.main.banner-mode=off")
            .run();
    Slow slow = context.getBean(Slow.class);
    try {
      Worker worker = context.getBean(Worker.class);
      Journal journal = context.getBean(Journal.class);
      assertThat(worker.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      HttpClient client = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<String>> response =
          client.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow"))
                  .timeout(Duration.ofSeconds(WAIT_SECONDS))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(slow.inRequest.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

      Thread closer = new Thread(context::close, "closer");
      closer.start();
      AboveTheWebServer marker = context.getBean(AboveTheWebServer.class);
      assertThat(marker.stopped.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      // The close has stopped every lifecycle above the web server's graceful shutdown, which now
      // waits for the request: the actors, below it, still run.
      assertThat(worker.interrupted.getCount()).as("interrupted before the drain").isOne();

      slow.finish.countDown();
      HttpResponse<String> answer = response.get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("the worker runs");
      closer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertThat(closer.isAlive()).isFalse();
      assertThat(worker.interrupted.getCount()).isZero();
      assertThat(journal.events()).containsSubsequence("request answered", "worker interrupted");
    } finally {
      slow.finish.countDown();
      context.close();
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {

    @Bean
    Journal journal() {
      return new Journal();
    }

    @Bean
    Worker worker(Journal journal) {
      return new Worker(journal);
    }

    @Bean
    Slow slow(Worker worker, Journal journal) {
      return new Slow(worker, journal);
    }

    @Bean
    AboveTheWebServer aboveTheWebServer() {
      return new AboveTheWebServer();
    }
  }

  /** Records events of several threads in order. */
  static final class Journal {
    private final List<String> events = new ArrayList<>();

    synchronized void add(String event) {
      events.add(event);
    }

    synchronized List<String> events() {
      return List.copyOf(events);
    }
  }

  /** A method actor that runs until interrupted. */
  static final class Worker {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    private final Journal journal;

    Worker(Journal journal) {
      this.journal = journal;
    }

    @Actor
    void work() {
      started.countDown();
      try {
        new CountDownLatch(1).await(WAIT_SECONDS * 3, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        journal.add("worker interrupted");
        interrupted.countDown();
        return;
      }
      throw new IllegalStateException("never interrupted");
    }
  }

  /** Answers once the test lets it, saying whether the worker still runs. */
  @RestController
  static final class Slow {
    final CountDownLatch inRequest = new CountDownLatch(1);
    final CountDownLatch finish = new CountDownLatch(1);
    private final Worker worker;
    private final Journal journal;

    Slow(Worker worker, Journal journal) {
      this.worker = worker;
      this.journal = journal;
    }

    @GetMapping("/slow")
    String slow() throws InterruptedException {
      inRequest.countDown();
      if (!finish.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        return "never released";
      }
      String answer =
          worker.interrupted.getCount() == 0 ? "the worker was interrupted" : "the worker runs";
      journal.add("request answered");
      return answer;
    }
  }

  /** A lifecycle just above the web server's graceful shutdown: stopped right before it. */
  static final class AboveTheWebServer implements SmartLifecycle {
    final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      stopped.countDown();
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
    }
  }
}
