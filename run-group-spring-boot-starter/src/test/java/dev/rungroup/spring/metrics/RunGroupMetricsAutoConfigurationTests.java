package dev.rungroup.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.ActorContext;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.Restart;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** When the meters are there, and what they count. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunGroupMetricsAutoConfigurationTests {

  private static final long WAIT_SECONDS = 20;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  RunGroupAutoConfiguration.class, RunGroupMetricsAutoConfiguration.class));

  @Test
  void withoutAMeterRegistryThereAreNoMeters() {
    contextRunner.run(context -> assertThat(context).doesNotHaveBean(RunGroupMetrics.class));
  }

  @Test
  void withoutMicrometerOnTheClassPathThereAreNoMeters() {
    contextRunner
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(ActorGroup.class);
              assertThat(context).doesNotHaveBean(RunGroupMetrics.class);
            });
  }

  @Test
  void withoutTheGroupThereAreNoMeters() {
    contextRunner
        .withBean(SimpleMeterRegistry.class)
        .withPropertyValues("run-group.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RunGroupMetrics.class));
  }

  @Test
  void withoutActorsTheGroupRegistersNoMeters() {
    contextRunner
        .withBean(SimpleMeterRegistry.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(RunGroupMetrics.class);
              assertThat(context.getBean(ActorGroup.class).actorNames()).isEmpty();
              assertThat(
                      context.getBean(MeterRegistry.class).getMeters().stream()
                          .map(meter -> meter.getId().getName())
                          .filter(name -> name.startsWith("rungroup."))
                          .toList())
                  .isEmpty();
            });
  }

  @Test
  void metersFollowTheActorsFromStartToStop() {
    contextRunner
        .withBean(SimpleMeterRegistry.class)
        .withUserConfiguration(Actors.class)
        .run(
            context -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      context
                          .getBean("server", Gate.class)
                          .started
                          .await(WAIT_SECONDS, TimeUnit.SECONDS))
                  .isTrue();
              assertThat(
                      context
                          .getBean("worker", Gate.class)
                          .started
                          .await(WAIT_SECONDS, TimeUnit.SECONDS))
                  .isTrue();
              assertThat(registry.get(RunGroupMetrics.RUNNING).gauge().value()).isEqualTo(2);
              // registered at zero from the start, for every actor and outcome
              assertThat(exits(registry, "server", "normal")).isZero();
              assertThat(exits(registry, "worker", "failed")).isZero();
              // each incarnation running is an observation: its long task timer counts it
              assertThat(
                      registry
                          .get(RunGroupObservations.NAME + ".active")
                          .tag("actor", "worker")
                          .longTaskTimer()
                          .activeTasks())
                  .isOne();

              context.getBean("worker", Gate.class).failOnInterrupt = true;
              ActorGroup group = context.getBean(ActorGroup.class);
              group.stop(null);
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> group.exit().isPresent());

              assertThat(registry.get(RunGroupMetrics.RUNNING).gauge().value()).isZero();
              assertThat(exits(registry, "server", "normal")).isEqualTo(1);
              assertThat(exits(registry, "server", "failed")).isZero();
              assertThat(exits(registry, "worker", "failed")).isEqualTo(1);
              // the observation's timer, not a second meter of the same: one per incarnation
              assertThat(
                      registry
                          .get(RunGroupObservations.NAME)
                          .tags("actor", "server", "outcome", "normal")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      registry
                          .get(RunGroupObservations.NAME)
                          .tags("actor", "worker", "outcome", "failed")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(registry.find("rungroup.actor.run").meters()).isEmpty();
              assertThat(registry.get(RunGroupMetrics.STOP).timer().count()).isEqualTo(1);
            });
  }

  @Test
  void restartsAreCountedPerActorFromZero() {
    Flaky flaky = new Flaky();
    contextRunner
        .withBean(SimpleMeterRegistry.class)
        .withBean("flaky", Flaky.class, () -> flaky)
        .run(
            context -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(context.getBean(ActorGroup.class).awaitReady(patience())).isTrue();
              assertThat(restarts(registry, "flaky")).isZero();
              flaky.fail.countDown();
              assertThat(flaky.secondRun.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              assertThat(restarts(registry, "flaky")).isOne();
              assertThat(exits(registry, "flaky", "failed")).isOne();
            });
  }

  @Test
  void timeToReadyIsAGaugePerActorFromTheBeginningOfTheRunUnsetUntilItIsReady() {
    Storage storage = new Storage();
    contextRunner
        .withBean(SimpleMeterRegistry.class)
        .withBean("storage", Storage.class, () -> storage)
        .run(
            context -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(storage.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              assertThat(readyTime(registry, "storage")).isNaN();

              long opened = System.nanoTime();
              storage.open.countDown();
              assertThat(context.getBean(ActorGroup.class).awaitReady(patience())).isTrue();
              double seconds = readyTime(registry, "storage");
              assertThat(seconds).isPositive();
              // The run began before the actor started, and it became ready after the test opened
              // it; the run began after the bean was created, and it is ready by now.
              assertThat(seconds).isGreaterThanOrEqualTo((opened - storage.startNanos) / 1e9);
              assertThat(seconds)
                  .isLessThanOrEqualTo((System.nanoTime() - storage.runStartedBefore) / 1e9);
            });
  }

  private static Duration patience() {
    return Duration.ofSeconds(WAIT_SECONDS);
  }

  private static double restarts(MeterRegistry registry, String actor) {
    return registry.get(RunGroupMetrics.RESTARTS).tag("actor", actor).counter().count();
  }

  private static double readyTime(MeterRegistry registry, String actor) {
    return registry
        .get(RunGroupMetrics.READY)
        .tag("actor", actor)
        .timeGauge()
        .value(TimeUnit.SECONDS);
  }

  private static double exits(MeterRegistry registry, String actor, String outcome) {
    return registry
        .get(RunGroupMetrics.EXITS)
        .tag("actor", actor)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  @Configuration(proxyBeanMethods = false)
  static class Actors {

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

  /** Restarted on failure: its first incarnation fails when the test says so, the next runs. */
  @Actor(restart = Restart.ON_FAILURE)
  static final class Flaky implements Interruptible {
    final CountDownLatch fail = new CountDownLatch(1);
    final CountDownLatch secondRun = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void execute() throws Exception {
      if (runs.incrementAndGet() == 1) {
        if (!fail.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never told to fail");
        }
        throw new IllegalStateException("connection reset");
      }
      secondRun.countDown();
      if (!stop.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never interrupted");
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      if (runs.get() > 1) {
        stop.countDown();
      }
    }
  }

  /** Signals ready once the test opens it, then runs until interrupted. */
  @Actor(readiness = Readiness.SIGNALLED)
  static final class Storage implements Interruptible {
    /** Taken when the bean is created, before the context starts the group. */
    final long runStartedBefore = System.nanoTime();

    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    volatile long startNanos;

    @Override
    public void execute() throws Exception {
      ActorContext context = ActorContext.current();
      startNanos = System.nanoTime();
      started.countDown();
      while (!open.await(10, TimeUnit.MILLISECONDS)) {
        if (stop.getCount() == 0) {
          return;
        }
      }
      context.ready();
      if (!stop.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never interrupted");
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop.countDown();
    }
  }

  /** Runs until interrupted, then returns or, if asked to, fails. */
  static final class Gate implements Interruptible {
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);
    volatile boolean failOnInterrupt;

    @Override
    public void execute() throws Exception {
      started.countDown();
      if (!stop.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never interrupted");
      }
      if (failOnInterrupt) {
        throw new IllegalStateException("failed while stopping");
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop.countDown();
    }
  }
}
