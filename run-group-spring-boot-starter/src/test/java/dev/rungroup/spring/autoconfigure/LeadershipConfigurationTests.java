package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.autoconfigure.TestActors.BlockingActor;
import dev.rungroup.spring.health.RunGroupHealthIndicator;
import dev.rungroup.spring.state.RunGroupActorStates;
import dev.rungroup.spring.state.RunGroupActorStates.ActorSnapshot;
import dev.rungroup.spring.state.RunGroupActorStates.ActorState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * {@code @Actor(leader = ...)} in a context: the conditions on Spring Integration and its {@code
 * LockRegistry}, the {@code run-group.leadership.*} properties, the error messages, and the states
 * a replica shows, elected on a real PostgreSQL.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeadershipConfigurationTests {

  @RegisterExtension static final PostgresFixture postgres = new PostgresFixture();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withPropertyValues("run-group.stop-timeout=10s");

  @Test
  void anApplicationWithoutSpringIntegrationAndWithoutLeaderActorsSeesNoChange() {
    runner
        .withClassLoader(new FilteredClassLoader(LockRegistry.class))
        .withUserConfiguration(Worker.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              BlockingActor worker = context.getBean("worker", BlockingActor.class);
              assertThat(worker.started.await(20, TimeUnit.SECONDS)).isTrue();
              assertThat(context.getBean(ActorGroup.class).actorNames()).containsExactly("worker");
            });
  }

  @Test
  void aLeaderActorWithoutSpringIntegrationFailsTheStartNamingTheActorAndTheDependency() {
    runner
        .withClassLoader(new FilteredClassLoader(LockRegistry.class))
        .withUserConfiguration(LeaderActor.class)
        .run(
            context ->
                assertFailure(
                    context,
                    "@Actor(leader = \"billing\") on bean 'billing' (actor 'billing')",
                    "Spring Integration is not on the class path",
                    "org.springframework.integration:spring-integration-jdbc"));
  }

  @Test
  void aLeaderActorWithoutALockRegistryBeanFailsTheStartNamingTheActorAndTheFix() {
    runner
        .withUserConfiguration(LeaderActor.class)
        .run(
            context ->
                assertFailure(
                    context,
                    "actor 'billing'",
                    "and the context has none",
                    "declare one LockRegistry bean shared by the replicas, as a JdbcLockRegistry"));
  }

  @Test
  void aLeaderActorWithTwoLockRegistriesFailsTheStartNamingBoth() {
    runner
        .withUserConfiguration(LeaderActor.class)
        .withBean("first", LockRegistry.class, () -> postgres.registry(Duration.ofSeconds(10)))
        .withBean("second", LockRegistry.class, () -> postgres.registry(Duration.ofSeconds(10)))
        .run(
            context ->
                assertFailure(
                    context, "actor 'billing'", "the context has 2: [first, second]", "keep one"));
  }

  @Test
  void aLeaderActorWithAnInJvmDefaultLockRegistryFailsTheStart() {
    runner
        .withUserConfiguration(LeaderActor.class)
        .withBean("locks", DefaultLockRegistry.class, DefaultLockRegistry::new)
        .run(
            context ->
                assertFailure(
                    context,
                    "actor 'billing'",
                    "'locks' (" + DefaultLockRegistry.class.getName() + ")",
                    "every replica would lead"));
  }

  @Test
  void anActorOfEveryReplicaStartingAfterALeaderActorFailsTheStartNamingBoth() {
    runner
        .withUserConfiguration(LeaderActor.class, AfterTheLeader.class)
        .withBean("locks", LockRegistry.class, () -> postgres.registry(Duration.ofSeconds(10)))
        .run(
            context ->
                assertFailure(
                    context,
                    "(actor 'report') starts after 'billing'",
                    "a leader actor of leadership 'billing'",
                    "give 'report' @Actor(leader = \"billing\")"));
  }

  @Test
  void aBlankLeaderNameFailsTheStart() {
    runner
        .withUserConfiguration(BlankLeader.class)
        .run(context -> assertFailure(context, "@Actor(leader = \" \")", "no usable leadership"));
  }

  @Test
  void theLeadershipPropertiesDefaultToTenSecondsHalfASecondAndTwoSeconds() {
    runner.run(
        context -> {
          LeadershipSettings settings =
              context.getBean(RunGroupLifecycle.class).settings().leadership();
          assertThat(settings.timeToLive()).isEqualTo(Duration.ofSeconds(10));
          assertThat(settings.renewInterval()).isEqualTo(Duration.ofMillis(500));
          assertThat(settings.margin()).isEqualTo(Duration.ofSeconds(2));
          assertThat(settings.lockKey("billing")).isEqualTo("billing");
        });
  }

  @Test
  void theLockKeysAreNamespacedBySpringApplicationNameAndThePropertiesBind() {
    runner
        .withPropertyValues(
            "spring.application.name=shop",
            "run-group.leadership.time-to-live=4s",
            "run-group.leadership.renew-interval=250ms",
            "run-group.leadership.margin=1s")
        .run(
            context -> {
              LeadershipSettings settings =
                  context.getBean(RunGroupLifecycle.class).settings().leadership();
              assertThat(settings.timeToLive()).isEqualTo(Duration.ofSeconds(4));
              assertThat(settings.renewInterval()).isEqualTo(Duration.ofMillis(250));
              assertThat(settings.margin()).isEqualTo(Duration.ofSeconds(1));
              assertThat(settings.lockKey("billing")).isEqualTo("shop.billing");
            });
  }

  @Test
  void aTimeToLiveThatIsNotPositiveFailsTheStartNamingTheProperty() {
    runner
        .withPropertyValues("run-group.leadership.time-to-live=0s")
        .run(
            context ->
                assertFailure(
                    context, "run-group.leadership.time-to-live must be positive, was 0s"));
  }

  @Test
  void aMarginNotBelowTheTimeToLiveFailsTheStartNamingTheProperty() {
    runner
        .withPropertyValues(
            "run-group.leadership.time-to-live=2s", "run-group.leadership.margin=2s")
        .run(
            context ->
                assertFailure(
                    context,
                    "run-group.leadership.margin must be zero or more and less than"
                        + " run-group.leadership.time-to-live (2s), was 2s"));
  }

  @Test
  void aRenewIntervalNotBelowTheTimeToLiveLessTheMarginFailsTheStart() {
    runner
        .withPropertyValues(
            "run-group.leadership.time-to-live=3s",
            "run-group.leadership.margin=1s",
            "run-group.leadership.renew-interval=2s")
        .run(
            context ->
                assertFailure(
                    context,
                    "run-group.leadership.renew-interval (2s) must be less than"
                        + " run-group.leadership.time-to-live less run-group.leadership.margin"
                        + " (2s)"));
  }

  @Test
  void oneReplicaRunsTheLeaderActorTheOtherShowsItStandbyAndBothAreUp() {
    ApplicationContextRunner replica =
        runner
            .withUserConfiguration(LeaderActor.class)
            .withUserConfiguration(Worker.class)
            .withBean("locks", LockRegistry.class, () -> postgres.registry(Duration.ofSeconds(4)))
            .withPropertyValues(
                "spring.application.name=context-tests",
                "run-group.leadership.time-to-live=4s",
                "run-group.leadership.renew-interval=200ms",
                "run-group.leadership.margin=1s");
    replica.run(
        first -> {
          assertThat(first).hasNotFailed();
          BlockingActor billing = first.getBean("billing", BlockingActor.class);
          assertThat(billing.started.await(30, TimeUnit.SECONDS)).isTrue();
          RunGroupActorStates firstStates = first.getBean(RunGroupActorStates.class);
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> firstStates.snapshot().actor("billing").state() == ActorState.RUNNING);
          ActorSnapshot leading = firstStates.snapshot().actor("billing");
          assertThat(leading.leader()).isEqualTo("billing");
          assertThat(leading.leading()).isTrue();
          assertThat(firstStates.leads("billing")).isTrue();
          assertThat(firstStates.leadershipChanges("billing")).isEqualTo(1);
          replica.run(
              second -> {
                assertThat(second).hasNotFailed();
                RunGroupActorStates states = second.getBean(RunGroupActorStates.class);
                assertThat(second.getBean(ActorGroup.class).awaitReady(Duration.ofSeconds(30)))
                    .isTrue();
                // Standing by for a while: never running, always ready.
                await()
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(30))
                    .until(
                        () -> {
                          ActorSnapshot standby = states.snapshot().actor("billing");
                          return standby.state() == ActorState.STANDBY
                              && standby.ready()
                              && !standby.leading();
                        });
                assertThat(second.getBean("billing", BlockingActor.class).runs.get()).isZero();
                assertThat(new RunGroupHealthIndicator(states).health().getStatus())
                    .isEqualTo(Status.UP);
                @SuppressWarnings("unchecked")
                Map<String, Object> actors =
                    (Map<String, Object>)
                        new RunGroupHealthIndicator(states).health().getDetails().get("actors");
                assertThat(actors.get("billing"))
                    .isEqualTo(
                        Map.of(
                            "state", "standby", "ready", true, "leader", "billing", "leading",
                            false));
              });
          assertThat(new RunGroupHealthIndicator(firstStates).health().getStatus())
              .isEqualTo(Status.UP);
        });
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertFailure(AssertableApplicationContext context, String... parts) {
    assertThat(context).hasFailed();
    Throwable failure = context.getStartupFailure();
    Throwable cause = failure;
    while (cause != null && !(cause instanceof ActorDefinitionException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("an ActorDefinitionException in %s", failure).isNotNull();
    assertThat(cause.getMessage()).contains(parts);
  }

  @Configuration(proxyBeanMethods = false)
  static class LeaderActor {
    @Bean
    @Actor(leader = "billing")
    BlockingActor billing() {
      return new BlockingActor();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Worker {
    @Bean
    @Actor
    BlockingActor worker() {
      return new BlockingActor();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class AfterTheLeader {
    @Bean
    @Actor(after = "billing")
    BlockingActor report() {
      return new BlockingActor();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class BlankLeader {
    @Bean
    @Actor(leader = " ")
    BlockingActor blank() {
      return new BlockingActor();
    }
  }
}
