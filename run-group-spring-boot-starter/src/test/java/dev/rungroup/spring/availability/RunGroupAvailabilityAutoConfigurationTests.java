package dev.rungroup.spring.availability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Readiness and liveness follow the group. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunGroupAvailabilityAutoConfigurationTests {

  private static final long WAIT_SECONDS = 20;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ApplicationAvailabilityAutoConfiguration.class,
                  RunGroupAutoConfiguration.class,
                  RunGroupAvailabilityAutoConfiguration.class));

  @Test
  void presentWithTheGroupAbsentWithout() {
    contextRunner.run(
        context -> assertThat(context).hasSingleBean(RunGroupAvailabilityListener.class));
    contextRunner
        .withPropertyValues("run-group.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RunGroupAvailabilityListener.class));
  }

  /** The readiness event comes before the first interrupt, and the interrupt already sees it. */
  @Test
  void readinessRefusesTrafficBeforeAnyActorIsInterrupted() {
    contextRunner
        .withUserConfiguration(Actors.class)
        .run(
            context -> {
              Journal journal = context.getBean(Journal.class);
              awaitLatch(context.getBean("first", Recorder.class).started);
              AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
              AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
                  .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

              context.getBean(ActorGroup.class).stop(null);
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> context.getBean(ActorGroup.class).exit().isPresent());

              assertThat(journal.events())
                  .containsExactly(
                      "liveness CORRECT",
                      "readiness ACCEPTING_TRAFFIC",
                      "readiness REFUSING_TRAFFIC",
                      "interrupt first, readiness REFUSING_TRAFFIC",
                      "interrupt second, readiness REFUSING_TRAFFIC");
              assertThat(context.getBean(ApplicationAvailability.class).getLivenessState())
                  .isEqualTo(LivenessState.CORRECT);
            });
  }

  @Test
  void anActorFailingBreaksLiveness() {
    contextRunner
        .withUserConfiguration(Actors.class)
        .run(
            context -> {
              Recorder second = context.getBean("second", Recorder.class);
              awaitLatch(second.started);
              second.failOnInterrupt = true;
              AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
              context.getBean(ActorGroup.class).stop(null); // from outside: the context stays
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> context.getBean(ActorGroup.class).exit().isPresent());
              assertThat(context.getBean(ApplicationAvailability.class).getLivenessState())
                  .isEqualTo(LivenessState.BROKEN);
              assertThat(context.getBean(Journal.class).events()).contains("liveness BROKEN");
            });
  }

  private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Configuration(proxyBeanMethods = false)
  static class Actors {

    @Bean
    Journal journal() {
      return new Journal();
    }

    @Bean
    ApplicationListener<AvailabilityChangeEvent<?>> availabilityJournal(Journal journal) {
      return event ->
          journal.add(
              (event.getState() instanceof ReadinessState ? "readiness " : "liveness ")
                  + event.getState());
    }

    @Bean
    @Actor
    Recorder first(Journal journal, ApplicationAvailability availability) {
      return new Recorder("first", journal, availability);
    }

    @Bean
    @Actor
    Recorder second(Journal journal, ApplicationAvailability availability) {
      return new Recorder("second", journal, availability);
    }
  }

  static final class Journal {
    private final List<String> events = new ArrayList<>();

    synchronized void add(String event) {
      events.add(event);
    }

    synchronized List<String> events() {
      return List.copyOf(events);
    }
  }

  /** Runs until interrupted; its interrupt records the readiness state it sees. */
  static final class Recorder implements Interruptible {
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    private final String name;
    private final Journal journal;
    private final ApplicationAvailability availability;
    volatile boolean failOnInterrupt;

    Recorder(String name, Journal journal, ApplicationAvailability availability) {
      this.name = name;
      this.journal = journal;
      this.availability = availability;
    }

    @Override
    public void execute() throws Exception {
      started.countDown();
      if (!stop.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never interrupted");
      }
      if (failOnInterrupt) {
        throw new IllegalStateException(name + " failed while stopping");
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      journal.add("interrupt " + name + ", readiness " + availability.getReadinessState());
      stop.countDown();
    }
  }
}
