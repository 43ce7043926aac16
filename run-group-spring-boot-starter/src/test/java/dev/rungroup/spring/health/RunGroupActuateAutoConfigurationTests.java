package dev.rungroup.spring.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import dev.rungroup.spring.endpoint.ActorsEndpoint;
import dev.rungroup.spring.endpoint.ActorsEndpointAutoConfiguration;
import dev.rungroup.spring.state.RunGroupActorStates;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the health contributor and the {@code actors} endpoint are there, and when not. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunGroupActuateAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  RunGroupAutoConfiguration.class,
                  RunGroupHealthAutoConfiguration.class,
                  ActorsEndpointAutoConfiguration.class));

  @Test
  void healthContributorIsNamedRunGroupAndOnByDefault() {
    contextRunner.run(
        context -> {
          assertThat(context).hasSingleBean(RunGroupHealthIndicator.class);
          assertThat(context).hasBean("runGroupHealthIndicator");
          assertThat(context).hasSingleBean(RunGroupActorStates.class);
          // no actor: nothing runs, nothing to report
          assertThat(context.getBean(RunGroupHealthIndicator.class).health().getStatus())
              .isEqualTo(Status.UNKNOWN);
        });
  }

  @Test
  void healthContributorIsSwitchedOffAsSpringsOwnIndicators() {
    contextRunner
        .withPropertyValues("management.health.run-group.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RunGroupHealthIndicator.class));
    contextRunner
        .withPropertyValues("management.health.defaults.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RunGroupHealthIndicator.class));
  }

  @Test
  void healthContributorNeedsSpringBootHealth() {
    contextRunner
        .withClassLoader(new FilteredClassLoader(Health.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(RunGroupHealthIndicator.class);
            });
  }

  @Test
  void endpointIsAbsentUntilExposed() {
    contextRunner.run(context -> assertThat(context).doesNotHaveBean(ActorsEndpoint.class));
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=actors")
        .run(
            context -> {
              assertThat(context).hasSingleBean(ActorsEndpoint.class);
              assertThat(context)
                  .hasSingleBean(RunGroupActorStates.class); // shared with the health
            });
  }

  @Test
  void endpointCanBeSwitchedOffThroughItsAccess() {
    contextRunner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=actors",
            "management.endpoint.actors.access=NONE")
        .run(context -> assertThat(context).doesNotHaveBean(ActorsEndpoint.class));
  }

  @Test
  void withoutActuatorNorMicrometerNeitherEndpointNorHealthContributorIsCreated() {
    contextRunner
        .withClassLoader(
            new FilteredClassLoader(
                Endpoint.class, Health.class, io.micrometer.core.instrument.MeterRegistry.class))
        .withPropertyValues("management.endpoints.web.exposure.include=actors")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(ActorGroup.class);
              assertThat(context).doesNotHaveBean(ActorsEndpoint.class);
              assertThat(context).doesNotHaveBean(RunGroupActorStates.class);
            });
  }

  @Test
  void withoutTheGroupNothingIsCreated() {
    contextRunner
        .withPropertyValues(
            "run-group.enabled=false", "management.endpoints.web.exposure.include=actors")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RunGroupHealthIndicator.class);
              assertThat(context).doesNotHaveBean(ActorsEndpoint.class);
            });
  }

  @Test
  void userBeansBackTheAutoConfigurationOff() {
    RunGroupActorStates mine = new RunGroupActorStates(new NoActors());
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=actors")
        .withBean(
            "runGroupHealthIndicator",
            RunGroupHealthIndicator.class,
            () -> new RunGroupHealthIndicator(mine))
        .withBean("myActorsEndpoint", ActorsEndpoint.class, () -> new ActorsEndpoint(mine))
        .run(
            context -> {
              assertThat(context).hasSingleBean(RunGroupHealthIndicator.class);
              assertThat(context).hasSingleBean(ActorsEndpoint.class).hasBean("myActorsEndpoint");
            });
  }

  /** An {@link ActorGroup} without actors. */
  private static final class NoActors implements ActorGroup {
    @Override
    public java.util.List<String> actorNames() {
      return java.util.List.of();
    }

    @Override
    public dev.rungroup.Group.State state() {
      return dev.rungroup.Group.State.NEW;
    }

    @Override
    public java.util.Optional<dev.rungroup.Exit> exit() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<dev.rungroup.Exit> awaitExit(java.time.Duration timeout) {
      return java.util.Optional.empty();
    }

    @Override
    public boolean awaitReady(java.time.Duration timeout) {
      return false;
    }

    @Override
    public void stop(@org.jspecify.annotations.Nullable Throwable cause) {}
  }
}
