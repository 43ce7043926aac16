package dev.rungroup.spring.autoconfigure;

import static dev.rungroup.spring.autoconfigure.TestActors.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.RunGroupCustomizer;
import dev.rungroup.spring.autoconfigure.TestActors.BlockingActor;
import dev.rungroup.spring.autoconfigure.TestActors.Capture;
import dev.rungroup.spring.autoconfigure.TestActors.FailingActor;
import dev.rungroup.spring.autoconfigure.TestActors.Journal;
import dev.rungroup.spring.autoconfigure.TestActors.ReturningActor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.assertj.core.api.AbstractThrowableAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.ExitCodeExceptionMapper;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunGroupAutoConfigurationTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class))
          .withPropertyValues("spring.threads.virtual.enabled=" + TestActors.virtualThreads());

  // --- conditions and beans -------------------------------------------------------------------

  @Test
  void contextWithoutActorsRunsNothingAndStaysOpen() {
    contextRunner.run(
        context -> {
          ActorGroup group = context.getBean(ActorGroup.class);
          assertThat(group.actorNames()).isEmpty();
          assertThat(group.state()).isEqualTo(Group.State.NEW);
          assertThat(group.exit()).isEmpty();
          assertThat(context.getBean(SmartLifecycle.class).isRunning()).isTrue();
          assertThat(context.getSourceApplicationContext().isActive()).isTrue();
        });
  }

  @Test
  void enabledFalseLeavesTheActorsAlone() {
    contextRunner
        .withPropertyValues("run-group.enabled=false")
        .withBean("worker", BlockingActor.class)
        .withUserConfiguration(ActorClassConfiguration.class)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(ActorGroup.class);
              assertThat(context).doesNotHaveBean(RunGroupProperties.class);
              assertThat(context.getBean(AnnotatedBlockingActor.class).runs).hasValue(0);
            });
  }

  @Test
  void userDefinedActorGroupBeanBacksTheAutoConfigurationOff() {
    contextRunner
        .withBean("myGroup", ActorGroup.class, MyActorGroup::new)
        .run(context -> assertThat(context).hasSingleBean(ActorGroup.class).hasBean("myGroup"));
  }

  // --- the three kinds of actors --------------------------------------------------------------

  @Test
  void interruptibleClassAnnotatedActorRunsOnAThreadNamedAfterItAndIsInterruptedOnClose() {
    contextRunner
        .withUserConfiguration(ActorClassConfiguration.class)
        .run(
            context -> {
              AnnotatedBlockingActor actor = context.getBean(AnnotatedBlockingActor.class);
              TestActors.await(actor.started);
              ActorGroup group = context.getBean(ActorGroup.class);
              assertThat(group.actorNames()).containsExactly("annotatedBlockingActor");
              assertThat(group.state()).isEqualTo(Group.State.RUNNING);
              Thread thread = actor.runner();
              assertThat(thread.getName()).isEqualTo("annotatedBlockingActor");
              assertThat(TestActors.isVirtual(thread)).isEqualTo(TestActors.virtualThreads());
              context.close();
              assertThat(actor.interrupted.getCount()).isZero();
              Exit exit = group.exit().orElseThrow();
              assertThat(exit.firstActor()).isEmpty();
              assertThat(exit.error()).isNull();
              assertThat(exit.allStopped()).isTrue();
            });
  }

  @Test
  void beanMethodAnnotatedActorRunsItsInterruptibleUnderTheGivenName() {
    contextRunner
        .withUserConfiguration(BeanMethodConfiguration.class)
        .run(
            context -> {
              BlockingActor actor = context.getBean(BlockingActor.class);
              TestActors.await(actor.started);
              assertThat(context.getBean(ActorGroup.class).actorNames())
                  .as("a @Bean method of a CGLIB-enhanced configuration is not a method actor")
                  .containsExactly("server");
            });
  }

  @Test
  void methodActorRunsPublicAndPrivateMethodsAndItsInterruptIsAThreadInterrupt() {
    contextRunner
        .withUserConfiguration(MethodActorConfiguration.class)
        .run(
            context -> {
              MethodActors bean = context.getBean(MethodActors.class);
              TestActors.await(bean.bothStarted);
              ActorGroup group = context.getBean(ActorGroup.class);
              assertThat(group.actorNames())
                  .containsExactly("methodActors.hidden", "methodActors.visible");
              context.close();
              Exit exit = group.exit().orElseThrow();
              assertThat(exit.error()).isNull();
              assertThat(exit.actors())
                  .allSatisfy(
                      outcome -> {
                        assertThat(outcome.error())
                            .as("InterruptedException while stopping is a normal return")
                            .isNull();
                        assertThat(outcome.stopped()).isTrue();
                      });
            });
  }

  @Test
  void methodActorOfAProxiedBeanIsCalledThroughTheProxySoAspectsApply() {
    Journal journal = new Journal();
    contextRunner
        .withBean(
            "advised",
            Advised.class,
            () -> {
              ProxyFactory factory = new ProxyFactory(new Advised());
              factory.setProxyTargetClass(true);
              factory.addAdvice(
                  (MethodInterceptor)
                      invocation -> {
                        journal.add("around " + invocation.getMethod().getName());
                        return invocation.proceed();
                      });
              return (Advised) factory.getProxy();
            })
        .run(
            context -> {
              assertThat(context.getBean(ActorGroup.class).actorNames())
                  .containsExactly("advised.work");
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> journal.events().contains("around work"));
            });
  }

  @Test
  void methodActorThrowingInterruptedExceptionBeforeTheStopFails() {
    Capture capture = new Capture();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withUserConfiguration(InterruptedMethodActorConfiguration.class)
        .run(
            context -> {
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("selfInterrupting.work");
              assertThat(exit.error()).isInstanceOf(InterruptedException.class);
              awaitClosed(context);
            });
  }

  // --- the end of the group -------------------------------------------------------------------

  @Test
  void actorReturningNormallyStopsTheGroupAndClosesTheContextWithoutExitingTheJvm() {
    Capture capture = new Capture();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withBean("quick", ReturningActor.class)
        .withBean("worker", BlockingActor.class)
        .withUserConfiguration(ActorsByBeanMethodConfiguration.class)
        .run(
            context -> {
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("quickActor");
              assertThat(exit.error()).isNull();
              awaitClosed(context);
              ActorGroup group = capture.group();
              assertThat(group.state()).isEqualTo(Group.State.STOPPED);
              assertThat(group.exit()).isPresent();
            });
  }

  @Test
  void actorFailingStopsTheGroupWithItsExceptionAndClosesTheContext() {
    Capture capture = new Capture();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withUserConfiguration(FailingConfiguration.class)
        .run(
            context -> {
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("failing");
              assertThat(exit.error())
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage(FailingActor.MESSAGE);
              assertThat(exit.actors())
                  .allSatisfy(o -> assertThat(o.interruptCompleted()).isTrue());
              awaitClosed(context);
            });
  }

  @Test
  void stopThroughTheActorGroupBeanStopsTheActorsButLeavesTheContextOpen() {
    contextRunner
        .withUserConfiguration(ActorClassConfiguration.class)
        .run(
            context -> {
              AnnotatedBlockingActor actor = context.getBean(AnnotatedBlockingActor.class);
              TestActors.await(actor.started);
              ActorGroup group = context.getBean(ActorGroup.class);
              IllegalStateException cause = new IllegalStateException("maintenance");
              group.stop(cause);
              Exit exit = awaitExit(group);
              assertThat(exit.error()).isSameAs(cause);
              assertThat(exit.firstActor()).isEmpty();
              assertThat(context.getSourceApplicationContext().isActive()).isTrue();
            });
  }

  @Test
  void stopThenStartRunsAFreshGroup() {
    contextRunner
        .withUserConfiguration(RestartableConfiguration.class)
        .run(
            context -> {
              Restartable bean = context.getBean(Restartable.class);
              await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> bean.runs.get() == 1);
              ActorGroup group = context.getBean(ActorGroup.class);
              context.stop();
              Exit first = group.exit().orElseThrow();
              assertThat(first.error()).isNull();
              context.start();
              await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> bean.runs.get() == 2);
              assertThat(group.state()).isEqualTo(Group.State.RUNNING);
              assertThat(group.exit()).isEmpty();
              context.close();
              assertThat(group.exit()).isPresent().get().isNotSameAs(first);
            });
  }

  @Test
  void actorIgnoringItsInterruptIsLeftBehindAfterTheStopTimeoutAndGrace() {
    contextRunner
        .withPropertyValues("run-group.stop-timeout=200ms")
        .withUserConfiguration(StubbornConfiguration.class)
        .run(
            context -> {
              Stubborn stubborn = context.getBean(Stubborn.class);
              TestActors.await(stubborn.started);
              ActorGroup group = context.getBean(ActorGroup.class);
              long began = System.nanoTime();
              context.close();
              long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
              assertThat(tookMillis).isLessThan(200 + 1000 + 3000);
              Exit exit = group.exit().orElseThrow();
              assertThat(exit.actors())
                  .singleElement()
                  .satisfies(o -> assertThat(o.stopped()).isFalse());
              stubborn.release.countDown();
            });
  }

  // --- no deadlock ----------------------------------------------------------------------------

  /** Covers closing the context from an actor's own thread, which the group waits for. */
  @Test
  void closingTheContextFromAnActorThreadDoesNotWaitForThatActor() {
    Capture capture = new Capture();
    SelfClosing actor = new SelfClosing();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withBean(SelfClosing.class, () -> actor)
        .withUserConfiguration(SelfClosingConfiguration.class)
        .run(
            context -> {
              TestActors.await(actor.closed);
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).as("stopped by the close, from outside").isEmpty();
              assertThat(context.getSourceApplicationContext().isActive()).isFalse();
            });
  }

  /** Covers an actor returning while a later lifecycle phase still holds the refresh. */
  @Test
  void groupEndingWhileTheContextIsStillRefreshingClosesItOnceTheRefreshIsDone() {
    Capture capture = new Capture();
    SlowStarter slow = new SlowStarter(capture);
    contextRunner
        .withPropertyValues("run-group.phase=0")
        .withBean(Capture.class, () -> capture)
        .withBean(SlowStarter.class, () -> slow)
        .withUserConfiguration(SlowRefreshConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(slow.sawGroupStopped).isTrue();
              awaitClosed(context);
            });
  }

  /** Covers an actor returning because the context closes, racing the lifecycle stop. */
  @Test
  void actorReturningWhileTheContextClosesDoesNotDeadlock() {
    contextRunner
        .withUserConfiguration(ReturnsOnCloseConfiguration.class)
        .run(
            context -> {
              ReturnsOnClose actor = context.getBean(ReturnsOnClose.class);
              TestActors.await(actor.started);
              ActorGroup group = context.getBean(ActorGroup.class);
              long began = System.nanoTime();
              context.close();
              assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)).isLessThan(10);
              assertThat(awaitExit(group).actors())
                  .allSatisfy(o -> assertThat(o.stopped()).isTrue());
            });
  }

  // --- names, order and misuse ----------------------------------------------------------------

  @Test
  void actorsAreOrderedByOrderThenRegistrationAndMethodActorsByOrderThenName() {
    contextRunner
        .withUserConfiguration(OrderingConfiguration.class)
        .run(
            context -> {
              ActorGroup group = context.getBean(ActorGroup.class);
              assertThat(group.actorNames())
                  .containsExactly(
                      "first",
                      "second",
                      "methods.b",
                      "methods.a",
                      "methods.c",
                      "unordered1",
                      "unordered2");
              Journal journal = context.getBean(Journal.class);
              TestActors.await(context.getBean("unordered2", BlockingActor.class).started);
              context.close();
              assertThat(journal.events())
                  .containsExactly(
                      "interrupt first",
                      "interrupt second",
                      "interrupt unordered1",
                      "interrupt unordered2");
            });
  }

  @Test
  void everyBeanOfOneActorClassIsAnActorWithItsOwnMethodActors() {
    contextRunner
        .withUserConfiguration(SiblingsConfiguration.class)
        .run(
            context -> {
              assertThat(context.getBean(ActorGroup.class).actorNames())
                  .containsExactly("sibling1", "sibling1.work", "sibling2", "sibling2.work");
              Sibling sibling1 = context.getBean("sibling1", Sibling.class);
              Sibling sibling2 = context.getBean("sibling2", Sibling.class);
              TestActors.await(sibling1.started);
              TestActors.await(sibling2.started);
              TestActors.await(sibling1.working);
              TestActors.await(sibling2.working);
            });
  }

  @Test
  void actorOnABeanThatIsNotInterruptibleFailsTheStartNamingBeanAndFix() {
    contextRunner
        .withUserConfiguration(NotInterruptibleConfiguration.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor on bean 'notAnActor'")
                    .hasMessageContaining(AnnotatedNotAnActor.class.getName())
                    .hasMessageContaining("does not implement dev.rungroup.Interruptible")
                    .hasMessageContaining("Fix: implement Interruptible"));
  }

  @Test
  void actorOnABeanMethodReturningSomethingElseFailsTheStartNamingTheMethod() {
    contextRunner
        .withUserConfiguration(BeanMethodNotInterruptibleConfiguration.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor on bean 'text'")
                    .hasMessageContaining("@Bean method")
                    .hasMessageContaining("BeanMethodNotInterruptibleConfiguration.text()")
                    .hasMessageContaining("return an Interruptible"));
  }

  @Test
  void actorMethodWithParametersFailsTheStartNamingTheMethod() {
    contextRunner
        .withUserConfiguration(MethodWithParametersConfiguration.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("method " + WithParameters.class.getName() + ".work(...)")
                    .hasMessageContaining("of bean 'withParameters'")
                    .hasMessageContaining("takes 1")
                    .hasMessageContaining("Fix: remove the parameters"));
  }

  @Test
  void staticActorMethodFailsTheStartNamingTheMethod() {
    contextRunner
        .withUserConfiguration(StaticMethodConfiguration.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor on static method")
                    .hasMessageContaining(WithStaticMethod.class.getName() + ".work()")
                    .hasMessageContaining("Fix: make the method non-static"));
  }

  @Test
  void privateActorMethodOfAProxiedBeanFailsTheStartNamingTheMethod() {
    contextRunner
        .withBean(
            "proxied",
            PrivateActorMethod.class,
            () -> {
              ProxyFactory factory = new ProxyFactory(new PrivateActorMethod());
              factory.setProxyTargetClass(true);
              return (PrivateActorMethod) factory.getProxy();
            })
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor on method")
                    .hasMessageContaining(PrivateActorMethod.class.getName() + ".work()")
                    .hasMessageContaining("of bean 'proxied'")
                    .hasMessageContaining("is a proxy")
                    .hasMessageContaining(
                        "Fix: make the method public, protected or package-private"));
  }

  @Test
  void actorOnANonSingletonBeanFailsTheStartNamingTheScope() {
    contextRunner
        .withBean(
            "perUse",
            AnnotatedBlockingActor.class,
            AnnotatedBlockingActor::new,
            definition -> definition.setScope("prototype"))
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("@Actor on bean 'perUse'")
                    .hasMessageContaining("scope 'prototype'")
                    .hasMessageContaining("must be a singleton"));
  }

  @Test
  void twoActorsWithTheSameNameFailTheStartNamingBoth() {
    contextRunner
        .withUserConfiguration(DuplicateNameConfiguration.class)
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("Two actors are named 'twin'")
                    .hasMessageContaining("bean 'one'")
                    .hasMessageContaining("method 'other.work()'")
                    .hasMessageContaining("@Actor(name = \"...\")"));
  }

  // --- properties -----------------------------------------------------------------------------

  @Test
  void defaultsAreDerivedFromSpringsShutdownPhaseTimeout() {
    contextRunner.run(
        context -> {
          RunGroupLifecycle lifecycle = context.getBean(RunGroupLifecycle.class);
          assertThat(lifecycle.getPhase()).isEqualTo(RunGroupProperties.DEFAULT_PHASE);
          assertThat(lifecycle.settings().stopTimeout()).isEqualTo(Duration.ofSeconds(29));
          assertThat(lifecycle.settings().stopGrace()).isEqualTo(Duration.ofSeconds(1));
          assertThat(lifecycle.settings().exitProcess()).isTrue();
        });
  }

  @Test
  void stopTimeoutFollowsACustomShutdownPhaseTimeout() {
    contextRunner
        .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=10s")
        .run(
            context ->
                assertThat(context.getBean(RunGroupLifecycle.class).settings().stopTimeout())
                    .isEqualTo(Duration.ofSeconds(9)));
  }

  @Test
  void shortShutdownPhaseTimeoutIsSharedBetweenStopTimeoutAndGrace() {
    contextRunner
        .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=1s")
        .run(
            context -> {
              RunGroupLifecycle lifecycle = context.getBean(RunGroupLifecycle.class);
              assertThat(lifecycle.settings().stopTimeout()).isEqualTo(Duration.ofMillis(500));
              assertThat(lifecycle.settings().stopGrace()).isEqualTo(Duration.ofMillis(500));
            });
  }

  @Test
  void halfOfADurationIsWhatDividedByTwoGives() {
    for (Duration d :
        List.of(
            Duration.ofNanos(1),
            Duration.ofMillis(1001),
            Duration.ofSeconds(3, 999_999_999),
            Duration.ofSeconds(30),
            Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))) {
      assertThat(RunGroupAutoConfiguration.half(d)).as("%s", d).isEqualTo(d.dividedBy(2));
    }
  }

  @Test
  void explicitPropertiesAreApplied() {
    contextRunner
        .withPropertyValues(
            "run-group.stop-timeout=5s", "run-group.phase=42", "run-group.exit-process=false")
        .run(
            context -> {
              RunGroupLifecycle lifecycle = context.getBean(RunGroupLifecycle.class);
              assertThat(lifecycle.settings().stopTimeout()).isEqualTo(Duration.ofSeconds(5));
              assertThat(lifecycle.settings().stopGrace()).isEqualTo(Duration.ofSeconds(1));
              assertThat(lifecycle.getPhase()).isEqualTo(42);
              assertThat(lifecycle.settings().exitProcess()).isFalse();
            });
  }

  @Test
  void stopGraceIsAppliedAndTheDefaultStopTimeoutLeavesRoomForIt() {
    contextRunner
        .withPropertyValues("run-group.stop-grace=3s")
        .run(
            context -> {
              RunGroupSettings settings = context.getBean(RunGroupLifecycle.class).settings();
              assertThat(settings.stopGrace()).isEqualTo(Duration.ofSeconds(3));
              assertThat(settings.stopTimeout()).isEqualTo(Duration.ofSeconds(27));
            });
    contextRunner
        .withPropertyValues("run-group.stop-grace=0s", "run-group.stop-timeout=5s")
        .run(
            context -> {
              RunGroupSettings settings = context.getBean(RunGroupLifecycle.class).settings();
              assertThat(settings.stopGrace()).isZero();
              assertThat(settings.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
            });
  }

  @Test
  void negativeStopGraceFailsTheStartNamingTheProperty() {
    contextRunner
        .withPropertyValues("run-group.stop-grace=-1s")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining(
                        "run-group.stop-grace must be zero or positive, was PT-1S"));
  }

  @Test
  void negativeStopTimeoutFailsTheStartNamingTheProperty() {
    contextRunner
        .withPropertyValues("run-group.stop-timeout=-1s")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("run-group.stop-timeout must be positive, was PT-1S"));
  }

  @Test
  void zeroStopTimeoutFailsTheStartNamingTheProperty() {
    contextRunner
        .withPropertyValues("run-group.stop-timeout=0s")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining("run-group.stop-timeout must be positive"));
  }

  @Test
  void nonPositiveShutdownPhaseTimeoutFailsTheStartNamingBothProperties() {
    contextRunner
        .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=0s")
        .run(
            context ->
                assertThatStartupFailure(context)
                    .hasMessageContaining(
                        "spring.lifecycle.timeout-per-shutdown-phase must be positive")
                    .hasMessageContaining("run-group.stop-timeout"));
  }

  // --- threads --------------------------------------------------------------------------------

  @Test
  void virtualThreadsEnabledRunsActorsOnVirtualThreadsOnJava21AndLater() {
    assumeThat(Runtime.version().feature())
        .as("virtual threads need Java 21+")
        .isGreaterThanOrEqualTo(21);
    contextRunner
        .withPropertyValues("spring.threads.virtual.enabled=true")
        .withUserConfiguration(ActorClassConfiguration.class)
        .run(
            context -> {
              AnnotatedBlockingActor actor = context.getBean(AnnotatedBlockingActor.class);
              TestActors.await(actor.started);
              Thread thread = actor.runner();
              assertThat(TestActors.isVirtual(thread)).isTrue();
              assertThat(thread.getName()).isEqualTo("annotatedBlockingActor");
            });
  }

  @Test
  void platformThreadsByDefault() {
    contextRunner
        .withPropertyValues("spring.threads.virtual.enabled=false")
        .withUserConfiguration(ActorClassConfiguration.class)
        .run(
            context -> {
              AnnotatedBlockingActor actor = context.getBean(AnnotatedBlockingActor.class);
              TestActors.await(actor.started);
              Thread thread = actor.runner();
              assertThat(TestActors.isVirtual(thread)).isFalse();
            });
  }

  // --- extension points -----------------------------------------------------------------------

  @Test
  void groupListenerBeansReceiveTheEventsAndCustomizersAdjustTheBuilder() {
    Journal journal = new Journal();
    contextRunner
        .withBean(Journal.class, () -> journal)
        .withUserConfiguration(ExtensionConfiguration.class)
        .run(
            context -> {
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> journal.events().contains("stopped"));
              List<String> events = journal.events();
              assertThat(events)
                  .startsWith("customized", "started quick on custom-thread")
                  .endsWith("stopped")
                  .contains("returned quick", "stopping quick")
                  .hasSize(5);
            });
  }

  // --- exit codes -----------------------------------------------------------------------------

  @Test
  void exitCodeIsZeroForANormalReturnOneForAFailureAndTheGeneratorsCodeIfItHasOne() {
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      context.refresh();
      assertThat(RunGroupApplicationExit.exitCode(context, null)).isZero();
      assertThat(RunGroupApplicationExit.exitCode(context, new IllegalStateException())).isOne();
      assertThat(RunGroupApplicationExit.exitCode(context, new ExitWith42())).isEqualTo(42);
      assertThat(RunGroupApplicationExit.exitCode(context, new RuntimeException(new ExitWith42())))
          .isEqualTo(42);
    }
  }

  @Test
  void anExceptionsOwnExitCodeComesBeforeExitCodeExceptionMapperBeans() {
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      context.registerBean(
          ExitCodeExceptionMapper.class, () -> error -> error instanceof ExitWith42 ? 0 : 7);
      context.registerBean("second", ExitCodeExceptionMapper.class, () -> error -> 9);
      context.refresh();
      assertThat(RunGroupApplicationExit.exitCode(context, new ExitWith42())).isEqualTo(42);
      assertThat(RunGroupApplicationExit.exitCode(context, new IllegalStateException())).isIn(7, 9);
    }
  }

  @Test
  void exitCodeExceptionMapperBeansMapFailuresWithoutACodeOfTheirOwn() {
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      context.registerBean(
          ExitCodeExceptionMapper.class,
          () -> error -> error instanceof IllegalStateException ? 7 : 0);
      context.refresh();
      assertThat(RunGroupApplicationExit.exitCode(context, new IllegalStateException()))
          .isEqualTo(7);
      assertThat(RunGroupApplicationExit.exitCode(context, new IllegalArgumentException())).isOne();
    }
  }

  @Test
  void contextOfAnApplicationContextRunnerIsNotMarkedAsLaunched() {
    contextRunner.run(
        context ->
            assertThat(SpringApplicationLaunch.isLaunched(context.getSourceApplicationContext()))
                .isFalse());
  }

  // --- helpers --------------------------------------------------------------------------------

  /** The most specific cause of the context's startup failure. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertThatStartupFailure(
      AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable failure = context.getStartupFailure();
    if (failure == null) {
      throw new AssertionError("the context started");
    }
    return assertThat(NestedExceptionUtils.getMostSpecificCause(failure));
  }

  private static Exit awaitExit(ActorGroup group) {
    return await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(group::exit, exit -> exit.isPresent())
        .orElseThrow();
  }

  private static void awaitClosed(AssertableApplicationContext context) {
    ConfigurableApplicationContext source = context.getSourceApplicationContext();
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !source.isActive());
  }

  static final class MyActorGroup implements ActorGroup {
    @Override
    public List<String> actorNames() {
      return List.of();
    }

    @Override
    public Group.State state() {
      return Group.State.NEW;
    }

    @Override
    public Optional<Exit> exit() {
      return Optional.empty();
    }

    @Override
    public Optional<Exit> awaitExit(Duration timeout) {
      return Optional.empty();
    }

    @Override
    public boolean awaitReady(Duration timeout) {
      return false;
    }

    @Override
    public void stop(@Nullable Throwable cause) {}
  }

  static final class ExitWith42 extends RuntimeException implements ExitCodeGenerator {
    private static final long serialVersionUID = 1L;

    @Override
    public int getExitCode() {
      return 42;
    }
  }

  // --- fixtures -------------------------------------------------------------------------------

  @Actor
  static class AnnotatedBlockingActor extends BlockingActor {}

  @Configuration(proxyBeanMethods = false)
  static class ActorClassConfiguration {
    @Bean
    AnnotatedBlockingActor annotatedBlockingActor() {
      return new AnnotatedBlockingActor();
    }
  }

  @Configuration
  static class BeanMethodConfiguration {
    @Bean
    @Actor(name = "server")
    BlockingActor blockingActor() {
      return new BlockingActor();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ActorsByBeanMethodConfiguration {
    @Bean
    @Actor
    Interruptible quickActor(ReturningActor quick) {
      return quick;
    }

    @Bean
    @Actor
    Interruptible workerActor(BlockingActor worker) {
      return worker;
    }
  }

  static class MethodActors {
    final CountDownLatch bothStarted = new CountDownLatch(2);

    @Actor
    public void visible() throws InterruptedException {
      bothStarted.countDown();
      new CountDownLatch(1).await();
    }

    @Actor
    @SuppressWarnings("UnusedMethod") // run as an actor
    private void hidden() throws InterruptedException {
      bothStarted.countDown();
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class MethodActorConfiguration {
    @Bean
    MethodActors methodActors() {
      return new MethodActors();
    }
  }

  static class SelfInterrupting {
    @Actor
    void work() throws InterruptedException {
      throw new InterruptedException("not asked to stop");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class InterruptedMethodActorConfiguration {
    @Bean
    SelfInterrupting selfInterrupting() {
      return new SelfInterrupting();
    }

    @Bean
    @Actor
    BlockingActor blocking() {
      return new BlockingActor();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class FailingConfiguration {
    @Bean
    @Actor
    FailingActor failing() {
      return new FailingActor();
    }

    @Bean
    @Actor
    BlockingActor blocking() {
      return new BlockingActor();
    }
  }

  static class Restartable {
    final AtomicInteger runs = new AtomicInteger();

    @Actor
    void work() throws InterruptedException {
      runs.incrementAndGet();
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class RestartableConfiguration {
    @Bean
    Restartable restartable() {
      return new Restartable();
    }
  }

  static class Stubborn {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Actor
    void work() {
      started.countDown();
      while (true) {
        try {
          if (release.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          // ignores its interrupt on purpose
        }
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class StubbornConfiguration {
    @Bean
    Stubborn stubborn() {
      return new Stubborn();
    }
  }

  static class SelfClosing implements ApplicationContextAware {
    final CountDownLatch closed = new CountDownLatch(1);
    private volatile @Nullable ApplicationContext context;

    @Override
    public void setApplicationContext(ApplicationContext context) {
      this.context = context;
    }

    @Actor
    void work() {
      if (context instanceof ConfigurableApplicationContext configurable) {
        configurable.close();
      }
      closed.countDown();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SelfClosingConfiguration {
    @Bean
    @Actor
    BlockingActor blocking() {
      return new BlockingActor();
    }
  }

  /** A later lifecycle phase that holds the refresh until the group has stopped. */
  static class SlowStarter implements SmartLifecycle {
    private final Capture capture;
    volatile boolean sawGroupStopped;
    private volatile boolean running;

    SlowStarter(Capture capture) {
      this.capture = capture;
    }

    @Override
    public void start() {
      try {
        capture.awaitExit(); // a timed wait: Spring's close() would interrupt an untimed one
        sawGroupStopped = true;
      } catch (Exception e) {
        sawGroupStopped = false;
      }
      running = true;
    }

    @Override
    public void stop() {
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return 1;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SlowRefreshConfiguration {
    @Bean
    @Actor
    ReturningActor quick() {
      return new ReturningActor();
    }
  }

  static class ReturnsOnClose implements ApplicationListener<ContextClosedEvent> {
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);

    @Actor
    void work() throws InterruptedException {
      started.countDown();
      closing.await();
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
      closing.countDown();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ReturnsOnCloseConfiguration {
    @Bean
    ReturnsOnClose returnsOnClose() {
      return new ReturnsOnClose();
    }

    @Bean
    @Actor
    BlockingActor blocking() {
      return new BlockingActor();
    }
  }

  /** An actor class with a method actor too; two beans of it. */
  @Actor
  static class Sibling extends BlockingActor {
    final CountDownLatch working = new CountDownLatch(1);

    @Actor
    void work() throws InterruptedException {
      working.countDown();
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SiblingsConfiguration {
    @Bean
    Sibling sibling1() {
      return new Sibling();
    }

    @Bean
    Sibling sibling2() {
      return new Sibling();
    }
  }

  static class OrderedMethods {
    @Actor
    @Order(2)
    void c() throws InterruptedException {
      new CountDownLatch(1).await();
    }

    @Actor
    @Order(1)
    void b() throws InterruptedException {
      new CountDownLatch(1).await();
    }

    @Actor
    @Order(2)
    void a() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  static class OrderedActor extends BlockingActor implements Ordered {
    private final int order;

    OrderedActor(Journal journal, String label, int order) {
      super(journal, label);
      this.order = order;
    }

    @Override
    public int getOrder() {
      return order;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OrderingConfiguration {
    @Bean
    Journal journal() {
      return new Journal();
    }

    @Bean
    @Actor
    BlockingActor unordered1(Journal journal) {
      return new BlockingActor(journal, "unordered1");
    }

    @Bean
    @Order(20)
    OrderedMethods methods() {
      return new OrderedMethods();
    }

    @Bean
    @Actor
    OrderedActor second(Journal journal) {
      return new OrderedActor(journal, "second", 10);
    }

    @Bean
    @Actor
    BlockingActor unordered2(Journal journal) {
      return new BlockingActor(journal, "unordered2");
    }

    @Bean
    @Actor
    @Order(-5)
    BlockingActor first(Journal journal) {
      return new BlockingActor(journal, "first");
    }
  }

  static class NotAnActor {}

  @Configuration(proxyBeanMethods = false)
  static class NotInterruptibleConfiguration {
    @Bean
    AnnotatedNotAnActor notAnActor() {
      return new AnnotatedNotAnActor();
    }
  }

  @Actor
  static class AnnotatedNotAnActor extends NotAnActor {}

  @Configuration(proxyBeanMethods = false)
  static class BeanMethodNotInterruptibleConfiguration {
    @Bean
    @Actor
    StringBuilder text() {
      return new StringBuilder();
    }
  }

  static class WithParameters {
    @Actor
    void work(String what) {}
  }

  @Configuration(proxyBeanMethods = false)
  static class MethodWithParametersConfiguration {
    @Bean
    WithParameters withParameters() {
      return new WithParameters();
    }
  }

  static class WithStaticMethod {
    @Actor
    static void work() {}
  }

  @Configuration(proxyBeanMethods = false)
  static class StaticMethodConfiguration {
    @Bean
    WithStaticMethod withStaticMethod() {
      return new WithStaticMethod();
    }
  }

  static class Advised {
    @Actor
    public void work() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  static class PrivateActorMethod {
    @Actor
    @SuppressWarnings("UnusedMethod") // refused as an actor: a proxy cannot reach it
    private void work() {}
  }

  static class Twin {
    @Actor(name = "twin")
    void work() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class DuplicateNameConfiguration {
    @Bean
    @Actor(name = "twin")
    BlockingActor one() {
      return new BlockingActor();
    }

    @Bean
    Twin other() {
      return new Twin();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ExtensionConfiguration {
    @Bean
    @Actor
    ReturningActor quick() {
      return new ReturningActor();
    }

    @Bean
    GroupListener recordingListener(Journal journal) {
      return new GroupListener() {
        @Override
        public void actorStarted(String actor, Thread thread) {
          journal.add("started " + actor + " on " + thread.getName());
        }

        @Override
        public void actorReturned(String actor, @Nullable Throwable error) {
          journal.add("returned " + actor);
        }

        @Override
        public void groupStopping(@Nullable String firstActor, @Nullable Throwable cause) {
          journal.add("stopping " + firstActor);
        }

        @Override
        public void groupStopped(Exit exit) {
          journal.add("stopped");
        }
      };
    }

    @Bean
    RunGroupCustomizer threadNaming(Journal journal) {
      return builder -> {
        journal.add("customized");
        builder.threadFactory(runnable -> new Thread(runnable, "custom-thread"));
      };
    }
  }
}
