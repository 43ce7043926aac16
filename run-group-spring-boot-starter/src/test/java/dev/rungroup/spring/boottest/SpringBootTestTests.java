package dev.rungroup.spring.boottest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Actors under {@code @SpringBootTest}: the context is not taken for one started by {@code
 * SpringApplication.run} (so an actor that returns never exits the test JVM), the group's end
 * leaves the context open with the outcome on {@link ActorGroup}, and {@code
 * run-group.enabled=false} keeps the actors out of tests that are not about them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpringBootTestTests {

  /** Name of the marker singleton that allows the JVM exit (see SpringApplicationLaunch). */
  private static final String LAUNCH_MARKER =
      "dev.rungroup.spring.autoconfigure.springApplicationLaunch";

  @Nested
  @SpringBootTest(classes = App.class)
  class WithActors {

    @Autowired private ConfigurableApplicationContext context;

    @Autowired private ActorGroup group;

    @Autowired private Worker worker;

    @Test
    void actorsRunButTheContextIsNotMarkedAsLaunchedSoTheJvmNeverExits() throws Exception {
      assertThat(worker.started.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(group.actorNames()).containsExactly("worker.work");
      assertThat(group.state()).isEqualTo(Group.State.RUNNING);
      assertThat(context.getBeanFactory().containsSingleton(LAUNCH_MARKER)).isFalse();
    }
  }

  @Nested
  @SpringBootTest(classes = ReturningApp.class)
  @DirtiesContext // its group has ended
  class WhenAnActorReturns {

    @Autowired private ConfigurableApplicationContext context;

    @Autowired private ActorGroup group;

    @Autowired private Importer importer;

    @Test
    void theGroupsEndStopsEveryActorKeepsTheExitAndLeavesTheContextOpen() throws Exception {
      assertThat(group.awaitReady(Duration.ofSeconds(30))).isTrue();
      importer.finish.countDown();

      Exit exit = group.awaitExit(Duration.ofSeconds(30)).orElseThrow();
      assertThat(exit.firstActor()).contains("importer.run");
      assertThat(exit.error()).isNull();
      assertThat(exit.actors())
          .extracting(Exit.Outcome::name)
          .containsExactly("importer.run", "worker.work");
      assertThat(exit.actors())
          .allSatisfy(
              outcome -> {
                assertThat(outcome.started()).as(outcome.name()).isTrue();
                assertThat(outcome.stopped()).as(outcome.name()).isTrue();
                assertThat(outcome.error()).as(outcome.name()).isNull();
              });
      assertThat(group.state()).isEqualTo(Group.State.STOPPED);
      assertThat(group.exit()).containsSame(exit);
      assertThat(context.isActive()).as("the test's context stays open").isTrue();
      assertThat(context.getBean(ActorGroup.class)).isSameAs(group);
    }
  }

  @Nested
  @SpringBootTest(classes = App.class, properties = "run-group.enabled=false")
  class WithRunGroupDisabled {

    @Autowired private ConfigurableApplicationContext context;

    @Autowired private Worker worker;

    @Test
    void actorsDoNotRun() {
      assertThat(context.getBeanNamesForType(ActorGroup.class)).isEmpty();
      assertThat(worker.started.getCount()).isOne();
    }
  }

  /** Runs until interrupted. */
  static class Worker {
    final CountDownLatch started = new CountDownLatch(1);

    @Actor
    void work() throws InterruptedException {
      started.countDown();
      new CountDownLatch(1).await();
    }
  }

  /** Returns normally once the test says so. */
  static class Importer {
    final CountDownLatch finish = new CountDownLatch(1);

    @Actor
    void run() throws InterruptedException {
      if (!finish.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never told to finish");
      }
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Worker worker() {
      return new Worker();
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class ReturningApp {
    @Bean
    Importer importer() {
      return new Importer();
    }

    @Bean
    Worker worker() {
      return new Worker();
    }
  }
}
