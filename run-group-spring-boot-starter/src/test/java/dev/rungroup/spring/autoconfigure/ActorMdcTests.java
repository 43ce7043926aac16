package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.Exit;
import dev.rungroup.GroupListener;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.Restart;
import dev.rungroup.spring.RunGroupCustomizer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** The actor's name in the logging MDC, key {@code actor}, on the actor's own thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActorMdcTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withPropertyValues("spring.threads.virtual.enabled=" + TestActors.virtualThreads());

  @Test
  void anActorsExecuteAndEveryListenerOnItsThreadSeeItsNameInTheMdc() {
    MdcRecorder recorder = new MdcRecorder();
    contextRunner
        .withBean("worker", Worker.class, Worker::new)
        .withBean(MdcRecorder.class, () -> recorder)
        .run(
            context -> {
              Worker worker = context.getBean(Worker.class);
              TestActors.await(worker.started);
              assertThat(worker.seen).isEqualTo("worker.work");
              assertThat(worker.thread).isNotNull();
              assertThat(TestActors.isVirtual(worker.thread))
                  .isEqualTo(TestActors.virtualThreads());
              assertThat(recorder.events).contains("started worker.work: worker.work");
              ActorGroup group = context.getBean(ActorGroup.class);
              worker.finish.countDown(); // its return then closes the context
              assertThat(group.awaitExit(Duration.ofSeconds(20))).isPresent();
              assertThat(recorder.events).contains("returned worker.work: worker.work");
            });
  }

  @Test
  void everyIncarnationOfARestartedActorSeesItsNameAndTheRestartsListenersToo() {
    MdcRecorder recorder = new MdcRecorder();
    contextRunner
        .withPropertyValues(
            "run-group.restart.backoff-initial=0s",
            "run-group.restart.backoff-max=0s",
            "run-group.restart.jitter=0")
        .withBean("flaky", Flaky.class, Flaky::new)
        .withBean(MdcRecorder.class, () -> recorder)
        .run(
            context -> {
              Flaky flaky = context.getBean(Flaky.class);
              TestActors.await(flaky.third);
              assertThat(flaky.seen).containsExactly("flaky.run", "flaky.run", "flaky.run");
              assertThat(recorder.events)
                  .contains("restarting flaky.run: flaky.run")
                  .filteredOn(event -> event.startsWith("started"))
                  .hasSize(3)
                  .allMatch(event -> event.equals("started flaky.run: flaky.run"));
            });
  }

  @Test
  void theNameIsGoneFromTheMdcWhenTheActorsThreadEnds() {
    Map<Thread, String> leftOnThread = new ConcurrentHashMap<>();
    RunGroupCustomizer threadsThatReportTheirMdc =
        builder ->
            builder.threadFactory(
                task -> {
                  Thread thread =
                      new Thread(
                          () -> {
                            try {
                              task.run();
                            } finally {
                              String left = MDC.get(ActorMdc.KEY);
                              leftOnThread.put(
                                  Thread.currentThread(), left == null ? "none" : left);
                            }
                          });
                  thread.setDaemon(true);
                  return thread;
                });
    contextRunner
        .withBean("worker", Worker.class, Worker::new)
        .withBean(RunGroupCustomizer.class, () -> threadsThatReportTheirMdc)
        .run(
            context -> {
              Worker worker = context.getBean(Worker.class);
              TestActors.await(worker.started);
              assertThat(worker.seen).isEqualTo("worker.work");
              Thread actorThread = Objects.requireNonNull(worker.thread);
              worker.finish.countDown();
              await()
                  .atMost(Duration.ofSeconds(TestActors.WAIT_SECONDS))
                  .until(() -> leftOnThread.containsKey(actorThread));
              assertThat(leftOnThread).containsEntry(actorThread, "none");
            });
  }

  @Test
  void runGroupActorMdcFalseLeavesTheMdcAlone() {
    contextRunner
        .withPropertyValues("run-group.actor-mdc=false")
        .withBean("worker", Worker.class, Worker::new)
        .run(
            context -> {
              Worker worker = context.getBean(Worker.class);
              TestActors.await(worker.started);
              assertThat(worker.seen).isEqualTo("none");
              worker.finish.countDown();
            });
  }

  /** Spring Boot's structured logging (ECS here) shows the MDC key as a field of each line. */
  @Nested
  @ExtendWith(OutputCaptureExtension.class)
  class StructuredLogging {

    private final Set<String> systemProperties =
        Set.copyOf(System.getProperties().stringPropertyNames());

    @AfterEach
    void restoreTheDefaultLogFormat() {
      // The logging system is the JVM's, configured through system properties that Spring Boot
      // sets and leaves: drop those, then give the other tests their plain lines back.
      for (String name : System.getProperties().stringPropertyNames()) {
        if (!systemProperties.contains(name)) {
          System.clearProperty(name);
        }
      }
      new SpringApplicationBuilder(Empty.class)
          .web(WebApplicationType.NONE)
          .properties("run-group.enabled=false")
          .run()
          .close();
    }

    @Test
    void aLineLoggedByAnActorCarriesTheActorField(CapturedOutput output) throws Exception {
      try (ConfigurableApplicationContext context =
          new SpringApplicationBuilder(LoggingApp.class)
              .web(WebApplicationType.NONE)
              .properties(
                  "logging.structured.format.console=ecs",
                  "run-group.exit-process=false",
                  "spring.threads.virtual.enabled=" + TestActors.virtualThreads())
              .run()) {
        ActorGroup group = context.getBean(ActorGroup.class);
        context.getBean(Greeter.class).finish.countDown(); // its return then closes the context
        Exit exit = group.awaitExit(Duration.ofSeconds(20)).orElseThrow();
        assertThat(exit.error()).isNull();
      }
      List<String> lines =
          output.getOut().lines().filter(line -> line.contains("hello from the actor")).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).startsWith("{").contains("\"actor\":\"logging.greet\"");
      assertThat(output.getOut().lines().filter(line -> line.contains("main-line")))
          .singleElement()
          .asString()
          .doesNotContain("\"actor\"");
    }
  }

  /** A method actor that records the MDC key it saw and runs until released. */
  static class Worker {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch finish = new CountDownLatch(1);
    volatile @Nullable String seen;
    volatile @Nullable Thread thread;

    @Actor
    void work() throws InterruptedException {
      String key = MDC.get(ActorMdc.KEY);
      seen = key == null ? "none" : key;
      thread = Thread.currentThread();
      started.countDown();
      finish.await();
    }
  }

  /** Fails twice, then runs until interrupted; records the MDC key of each incarnation. */
  static class Flaky {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final CountDownLatch third = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();

    @Actor(restart = Restart.ON_FAILURE)
    void run() throws InterruptedException {
      String key = MDC.get(ActorMdc.KEY);
      seen.add(key == null ? "none" : key);
      if (runs.incrementAndGet() < 3) {
        throw new IllegalStateException("incarnation " + runs.get());
      }
      third.countDown();
      new CountDownLatch(1).await();
    }
  }

  /** Records what the MDC held in each event called on an actor's thread. */
  static final class MdcRecorder implements GroupListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    private void record(String event, String actor) {
      String key = MDC.get(ActorMdc.KEY);
      events.add(event + " " + actor + ": " + (key == null ? "none" : key));
    }

    @Override
    public void actorStarted(String actor, Thread thread) {
      record("started", actor);
    }

    @Override
    public void actorReturned(String actor, @Nullable Throwable error) {
      record("returned", actor);
    }

    @Override
    public void actorRestarting(
        String actor, @Nullable Throwable error, int restart, Duration delay) {
      record("restarting", actor);
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class LoggingApp {
    @Bean
    Greeter logging() {
      LogFactory.getLog(ActorMdcTests.class).info("main-line");
      return new Greeter();
    }
  }

  /** A method actor that logs one line and returns once released. */
  static class Greeter {
    private static final Log log = LogFactory.getLog(Greeter.class);
    final CountDownLatch finish = new CountDownLatch(1);

    @Actor
    void greet() throws InterruptedException {
      log.info("hello from the actor");
      finish.await();
    }
  }

  @SpringBootConfiguration
  static class Empty {}
}
