package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Readiness;
import dev.rungroup.RestartPolicy;
import dev.rungroup.StartupTimeoutException;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.Restart;
import dev.rungroup.spring.autoconfigure.RunGroupProperties.RestartDefaults;
import dev.rungroup.spring.autoconfigure.TestActors.Capture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

/**
 * The properties {@code run-group.startup-timeout}, {@code run-group.restart.*} and {@code
 * run-group.actors[<name>].*}: what they tune, what overrides what, and what fails the start.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActorPropertiesTests {

  private static final String FAST =
      "run-group.restart.backoff-initial=0ms,run-group.restart.backoff-max=0ms";

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withPropertyValues("spring.threads.virtual.enabled=" + TestActors.virtualThreads());

  // --- what they tune -------------------------------------------------------------------------

  @Test
  void theRestartDefaultsAreTheCoresDefaults() {
    RestartDefaults defaults = new RunGroupProperties().getRestart();
    RestartPolicy core = RestartPolicy.onFailure();
    assertThat(defaults.getMaxRestarts()).isEqualTo(core.maxRestarts());
    assertThat(defaults.getWithin()).isEqualTo(core.within());
    assertThat(defaults.getBackoffInitial()).isEqualTo(core.backoffInitial());
    assertThat(defaults.getBackoffMax()).isEqualTo(core.backoffMax());
    assertThat(defaults.getJitter()).isEqualTo(core.jitter());
    assertThat(new RunGroupProperties().getStartupTimeout()).isNull();
  }

  @Test
  void withoutPropertiesASupervisedActorHasTheCoresPolicyAndNoStartupTimeout() {
    contextRunner
        .withBean("flaky", Flaky.class)
        .run(
            context -> {
              ActorOptions options = tuning(context).apply("x", "test", supervised());
              assertThat(options.restart()).isEqualTo(RestartPolicy.onFailure());
              assertThat(options.startupTimeout()).isEmpty();
            });
  }

  @Test
  void anActorsOwnValuesOverrideTheDefaultsWhichOverrideTheCores() {
    contextRunner
        .withBean("flaky", Flaky.class)
        .withPropertyValues(
            "run-group.startup-timeout=5s",
            "run-group.restart.max-restarts=3",
            "run-group.restart.backoff-max=10s",
            "run-group.actors[flaky.pollUpstream].startup-timeout=7s",
            "run-group.actors[flaky.pollUpstream].restart.within=2m",
            "run-group.actors[flaky.pollUpstream].restart.jitter=0")
        .run(
            context -> {
              ActorTuning tuning = tuning(context);
              ActorOptions own = tuning.apply("flaky.pollUpstream", "test", supervised());
              assertThat(own.startupTimeout()).contains(Duration.ofSeconds(7));
              assertThat(own.restart())
                  .isEqualTo(
                      RestartPolicy.onFailure()
                          .maxRestarts(3)
                          .within(Duration.ofMinutes(2))
                          .backoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                          .jitter(0));
              ActorOptions other = tuning.apply("other", "test", supervised());
              assertThat(other.startupTimeout()).contains(Duration.ofSeconds(5));
              assertThat(other.restart())
                  .isEqualTo(
                      RestartPolicy.onFailure()
                          .maxRestarts(3)
                          .backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)));
              ActorOptions always =
                  tuning.apply(
                      "other", "test", ActorOptions.defaults().restart(RestartPolicy.always()));
              assertThat(always.restart().restartsOnNormalReturn()).isTrue();
              assertThat(always.restart().maxRestarts()).isEqualTo(3);
            });
  }

  @Test
  void theRestartDefaultsBudgetEverySupervisedActor() {
    Capture capture = new Capture();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withBean("flaky", AlwaysFailing.class)
        .withPropertyValues(FAST.split(","))
        .withPropertyValues("run-group.restart.max-restarts=2")
        .run(
            context -> {
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("flaky.poll");
              assertThat(exit.error()).hasMessage("down");
              assertThat(exit.actors())
                  .singleElement()
                  .satisfies(o -> assertThat(o.restarts()).isEqualTo(2));
            });
  }

  @Test
  void anActorsOwnBudgetKeyedByItsDottedCamelCaseNameInBracketsOverridesTheDefault() {
    Capture capture = new Capture();
    Flaky flaky = new Flaky();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withBean("flaky", Flaky.class, () -> flaky)
        .withPropertyValues(FAST.split(","))
        .withPropertyValues(
            "run-group.restart.max-restarts=0",
            "run-group.actors[flaky.pollUpstream].restart.max-restarts=1")
        .run(
            context -> {
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("flaky.pollUpstream");
              assertThat(exit.actors())
                  .singleElement()
                  .satisfies(o -> assertThat(o.restarts()).isEqualTo(1));
              assertThat(flaky.calls).hasValue(2);
            });
  }

  @Test
  void theStartupTimeoutDefaultAppliesToEveryActorUnlessItsOwnOverridesIt() {
    Capture capture = new Capture();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withBean("slow", NeverReady.class)
        .withPropertyValues(
            "run-group.startup-timeout=200ms", "run-group.actors[patient].startup-timeout=1h")
        .run(
            context -> {
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("impatient");
              assertThat(exit.error())
                  .isInstanceOf(StartupTimeoutException.class)
                  .hasMessageContaining("impatient");
            });
  }

  @Test
  void aStartupTimeoutMayBeSetForAnActorThatIsNotRestarted() {
    Capture capture = new Capture();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withBean("slow", NeverReady.class)
        .withPropertyValues("run-group.actors[patient].startup-timeout=200ms")
        .run(
            context -> {
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("patient");
              assertThat(exit.error()).isInstanceOf(StartupTimeoutException.class);
            });
  }

  // --- what fails the start -------------------------------------------------------------------

  @Test
  void restartPropertiesOfAnActorThatIsNotRestartedFailTheStartNamingThePropertyAndTheFix() {
    contextRunner
        .withBean("slow", NeverReady.class)
        .withPropertyValues(
            "run-group.actors[patient].restart.max-restarts=3",
            "run-group.actors[patient].restart.within=5m")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining(
                        "run-group.actors[patient].restart.max-restarts,"
                            + " run-group.actors[patient].restart.within are set, but actor"
                            + " 'patient'")
                    .hasMessageContaining("is not restarted: its @Actor has restart = NEVER")
                    .hasMessageContaining(
                        "Fix: give the actor @Actor(restart = Restart.ON_FAILURE)"));
  }

  @Test
  void aKeyUnderActorsThatNamesNoActorFailsTheStartNamingTheKeyAndListingTheActors() {
    contextRunner
        .withBean("slow", NeverReady.class)
        .withPropertyValues("run-group.actors[scraper].startup-timeout=1s")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining(
                        "run-group.actors[scraper] names no actor of this context")
                    .hasMessageContaining("(its actors: ['impatient', 'patient'])")
                    .hasMessageContaining("Fix: key the properties by the name of an actor"));
  }

  @Test
  void aKeyThatDiffersFromAnActorNameOnlyInCaseFailsTheStartNamingThatActor() {
    contextRunner
        .withBean("flaky", Flaky.class)
        .withPropertyValues("run-group.actors[flaky.pollupstream].restart.max-restarts=1")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("run-group.actors[flaky.pollupstream] names no actor")
                    .hasMessageContaining("did you mean 'flaky.pollUpstream'?"));
  }

  @Test
  void aKeyUnderActorsInAContextWithoutActorsFailsTheStart() {
    contextRunner
        .withPropertyValues("run-group.actors[web].startup-timeout=1s")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("run-group.actors[web] names no actor")
                    .hasMessageContaining("(its actors: none)"));
  }

  @Test
  void aMisspeltSettingUnderActorsFailsTheStartNamingThePropertyAndTheSettings() {
    contextRunner
        .withBean("slow", NeverReady.class)
        .withPropertyValues("run-group.actors[patient].startup-timout=1s")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining(
                        "run-group.actors[patient].startup-timout is no setting of an actor")
                    .hasMessageContaining(
                        "startup-timeout, restart.max-restarts, restart.within,"
                            + " restart.backoff-initial, restart.backoff-max, restart.jitter")
                    .hasMessageContaining("Fix: use one of these settings"));
  }

  @Test
  void aDottedActorNameWithoutBracketsFailsTheStartShowingTheBracketForm() {
    contextRunner
        .withBean("flaky", Flaky.class)
        .withPropertyValues("run-group.actors.flaky.pollUpstream.restart.max-restarts=1")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("is no setting of an actor")
                    .hasMessageContaining(
                        "must be in brackets: run-group.actors[flaky.pollUpstream]"
                            + ".restart.max-restarts"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          run-group.restart.max-restarts                    | -1    | run-group.restart.max-restarts must not be negative, was -1.
          run-group.actors[flaky.poll].restart.max-restarts | -2    | run-group.actors[flaky.poll].restart.max-restarts must not be negative, was -2.
          run-group.restart.within                          | 0s    | run-group.restart.within must be positive, was 0s.
          run-group.actors[flaky.poll].restart.within       | -1s   | run-group.actors[flaky.poll].restart.within must be positive, was -1s.
          run-group.restart.jitter                          | 1.5   | run-group.restart.jitter must be from 0 to 1, was 1.5.
          run-group.actors[flaky.poll].restart.jitter       | -0.1  | run-group.actors[flaky.poll].restart.jitter must be from 0 to 1, was -0.1.
          run-group.restart.backoff-initial                 | -1ms  | run-group.restart.backoff-initial must not be negative, was -1ms.
          run-group.restart.backoff-max                     | 500ms | run-group.restart.backoff-max (500ms) is less than run-group.restart.backoff-initial (1s)
          run-group.actors[flaky.poll].restart.backoff-initial | 1m | run-group.restart.backoff-max (30s) is less than run-group.actors[flaky.poll].restart.backoff-initial (1m)
          run-group.startup-timeout                         | 0s    | run-group.startup-timeout must be positive, was 0s.
          run-group.actors[flaky.poll].startup-timeout      | -5s   | run-group.actors[flaky.poll].startup-timeout must be positive, was -5s.
          """)
  void anOutOfRangeValueFailsTheStartNamingTheProperty(
      String property, String value, String message) {
    contextRunner
        .withBean("flaky", AlwaysFailing.class)
        .withPropertyValues(property + "=" + value)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .isInstanceOf(ActorDefinitionException.class)
                    .hasMessageContaining(message)
                    .hasMessageContaining("Fix:"));
  }

  @Test
  void aPropertyFailureIsReportedWithTheProblemAsDescriptionAndTheFixAsAction() {
    contextRunner
        .withPropertyValues("run-group.restart.jitter=2")
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              FailureAnalysis analysis =
                  new ActorDefinitionFailureAnalyzer()
                      .analyze(failure == null ? new Exception() : failure);
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .isEqualTo("run-group.restart.jitter must be from 0 to 1, was 2.0.");
              assertThat(analysis.getAction()).startsWith("set a fraction from 0");
            });
  }

  // --- helpers --------------------------------------------------------------------------------

  private static ActorOptions supervised() {
    return ActorOptions.defaults().restart(RestartPolicy.onFailure());
  }

  private static ActorTuning tuning(AssertableApplicationContext context) {
    return context.getBean(RunGroupLifecycle.class).settings().tuning();
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertThatStartupFailure(
      AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable failure = context.getStartupFailure();
    if (failure == null) {
      throw new AssertionError("the context started");
    }
    return assertThat(NestedExceptionUtils.getMostSpecificCause(failure));
  }

  /** Fails at once, every time. */
  static class AlwaysFailing {
    @Actor(restart = Restart.ON_FAILURE)
    void poll() {
      throw new IllegalStateException("down");
    }
  }

  /** Fails at once, every time; a camel-case method name. */
  static class Flaky {
    final AtomicInteger calls = new AtomicInteger();

    @Actor(restart = Restart.ON_FAILURE)
    void pollUpstream() {
      calls.incrementAndGet();
      throw new IllegalStateException("upstream down");
    }
  }

  /** Two actors that never become ready. */
  static class NeverReady {
    @Actor(name = "patient", readiness = Readiness.SIGNALLED)
    void patient() throws InterruptedException {
      new CountDownLatch(1).await();
    }

    @Actor(name = "impatient", readiness = Readiness.SIGNALLED)
    void impatient() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }
}
