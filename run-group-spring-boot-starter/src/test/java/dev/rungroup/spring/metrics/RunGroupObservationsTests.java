package dev.rungroup.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.Restart;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each incarnation of an actor as an observation of the context's ObservationRegistry. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunGroupObservationsTests {

  private static final long WAIT_SECONDS = 20;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  RunGroupAutoConfiguration.class, RunGroupMetricsAutoConfiguration.class));

  @Test
  void eachIncarnationIsAnObservationStartedAndStoppedWithTheActorAndItsOutcome() {
    Recorder recorder = new Recorder();
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(recorder);
    contextRunner
        .withBean(ObservationRegistry.class, () -> registry)
        .withBean("flaky", Flaky.class, Flaky::new)
        .withPropertyValues(
            "run-group.restart.backoff-initial=0s",
            "run-group.restart.backoff-max=0s",
            "run-group.restart.jitter=0")
        .run(
            context -> {
              Flaky flaky = context.getBean(Flaky.class);
              assertThat(flaky.third.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              // two incarnations stopped, the third one started and still open
              assertThat(recorder.started).hasSize(3);
              assertThat(recorder.stopped).hasSize(2);
              assertThat(recorder.stopped)
                  .allSatisfy(
                      stopped -> {
                        assertThat(stopped.getName()).isEqualTo(RunGroupObservations.NAME);
                        assertThat(keys(stopped)).isEqualTo("actor=flaky.run,outcome=failed");
                        assertThat(stopped.getError())
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageStartingWith("incarnation ");
                      });
              // started, but never opened as the current scope of the actor's thread
              assertThat(flaky.currentObservations).containsOnly("none");
              assertThat(recorder.scopesOpened).isZero();

              ActorGroup group = context.getBean(ActorGroup.class);
              group.stop(null);
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> group.exit().isPresent());
              assertThat(recorder.stopped).hasSize(3);
              assertThat(keys(recorder.stopped.get(2))).isEqualTo("actor=flaky.run,outcome=normal");
              assertThat(recorder.stopped.get(2).getError()).isNull();
            });
  }

  @Test
  void anObservationPredicateThatRefusesTheNameTurnsTheObservationsOff() {
    Recorder recorder = new Recorder();
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationPredicate((name, context) -> !name.equals("rungroup.actor"))
        .observationHandler(recorder);
    contextRunner
        .withBean(ObservationRegistry.class, () -> registry)
        .withBean("flaky", Flaky.class, Flaky::new)
        .withPropertyValues(
            "run-group.restart.backoff-initial=0s",
            "run-group.restart.backoff-max=0s",
            "run-group.restart.jitter=0")
        .run(
            context -> {
              assertThat(context.getBean(Flaky.class).third.await(WAIT_SECONDS, TimeUnit.SECONDS))
                  .isTrue();
              assertThat(recorder.started).isEmpty();
            });
  }

  @Test
  void withoutAnObservationOrMeterRegistryThereAreNoObservations() {
    contextRunner.run(context -> assertThat(context).doesNotHaveBean(RunGroupObservations.class));
  }

  private static String keys(Observation.Context context) {
    return context.getLowCardinalityKeyValues().stream()
        .map(keyValue -> keyValue.getKey() + "=" + keyValue.getValue())
        .sorted()
        .collect(Collectors.joining(","));
  }

  /** Records the observations' lifecycle. */
  static final class Recorder implements ObservationHandler<Observation.Context> {
    final List<Observation.Context> started = new CopyOnWriteArrayList<>();
    final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    volatile int scopesOpened;

    @Override
    public void onStart(Observation.Context context) {
      started.add(context);
    }

    @Override
    public void onStop(Observation.Context context) {
      stopped.add(context);
    }

    @Override
    @SuppressWarnings("NonAtomicVolatileUpdate") // only to see that it stays zero
    public void onScopeOpened(Observation.Context context) {
      scopesOpened++;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  /** Fails twice, then runs until interrupted; records the current observation it sees. */
  static class Flaky {
    final List<String> currentObservations = new CopyOnWriteArrayList<>();
    final CountDownLatch third = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();
    private @Nullable ObservationRegistry registry;

    @org.springframework.beans.factory.annotation.Autowired
    void setRegistry(ObservationRegistry registry) {
      this.registry = registry;
    }

    @Actor(restart = Restart.ON_FAILURE)
    void run() throws InterruptedException {
      ObservationRegistry observations = registry;
      Observation current = observations == null ? null : observations.getCurrentObservation();
      currentObservations.add(current == null ? "none" : current.toString());
      if (runs.incrementAndGet() < 3) {
        throw new IllegalStateException("incarnation " + runs.get());
      }
      third.countDown();
      new CountDownLatch(1).await();
    }
  }
}
