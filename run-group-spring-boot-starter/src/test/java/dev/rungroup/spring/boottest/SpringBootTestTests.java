package dev.rungroup.spring.boottest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Group;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
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

/**
 * Actors under {@code @SpringBootTest}: the context is not taken for one started by {@code
 * SpringApplication.run} (so an actor that returns never exits the test JVM), and {@code
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

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Worker worker() {
      return new Worker();
    }
  }
}
