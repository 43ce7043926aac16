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
import dev.rungroup.spring.autoconfigure.TestActors.ReturningActor;
import dev.rungroup.spring.availability.RunGroupAvailabilityAutoConfiguration;
import dev.rungroup.spring.endpoint.ActorsEndpoint;
import dev.rungroup.spring.endpoint.ActorsEndpointAutoConfiguration;
import dev.rungroup.spring.health.RunGroupHealthAutoConfiguration;
import dev.rungroup.spring.health.RunGroupHealthIndicator;
import dev.rungroup.spring.metrics.RunGroupMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Regression tests for starter bugs found by attacking its documented promises from outside. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StarterRegressionTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ApplicationAvailabilityAutoConfiguration.class,
                  RunGroupAutoConfiguration.class,
                  RunGroupHealthAutoConfiguration.class,
                  ActorsEndpointAutoConfiguration.class,
                  RunGroupAvailabilityAutoConfiguration.class,
                  RunGroupMetricsAutoConfiguration.class))
          .withPropertyValues(
              "spring.threads.virtual.enabled=" + TestActors.virtualThreads(),
              "management.endpoints.web.exposure.include=actors");

  // --- parent and child contexts --------------------------------------------------------------

  /**
   * Covers a bug where a child context's {@code @Actor} beans never ran: the auto-configuration's
   * {@code @ConditionalOnMissingBean} found the parent's group, so the child had none of its own,
   * also when the parent had no actor at all.
   */
  @Test
  void childContextRunsItsOwnActorsAlsoWhenTheParentHasNone() {
    AnnotatedBlocking childWorker = new AnnotatedBlocking();
    contextRunner.run(
        parent ->
            contextRunner
                .withParent(parent)
                .withBean("childWorker", AnnotatedBlocking.class, () -> childWorker)
                .run(
                    child -> {
                      assertThat(child).hasNotFailed();
                      ActorGroup childGroup = child.getBean(ActorGroup.class);
                      assertThat(childGroup).isNotSameAs(parent.getBean(ActorGroup.class));
                      assertThat(childGroup.actorNames()).containsExactly("childWorker");
                      TestActors.await(childWorker.started);
                      assertThat(parent.getBean(ActorGroup.class).actorNames()).isEmpty();
                    }));
  }

  /**
   * Covers a bug where a child context reused its parent's group and operations beans: closing the
   * child must stop only the child's actors, and the parent's health, endpoint, meters and
   * listeners must never see the child's group.
   */
  @Test
  void closingAChildContextStopsOnlyItsOwnActorsAndEachContextReportsItsOwnGroup() {
    AnnotatedBlocking parentWorker = new AnnotatedBlocking();
    AnnotatedBlocking childWorker = new AnnotatedBlocking();
    RecordingListener parentListener = new RecordingListener();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    contextRunner
        .withBean("parentWorker", AnnotatedBlocking.class, () -> parentWorker)
        .withBean("parentListener", RecordingListener.class, () -> parentListener)
        .withBean(MeterRegistry.class, () -> registry)
        .run(
            parent -> {
              TestActors.await(parentWorker.started);
              ActorGroup parentGroup = parent.getBean(ActorGroup.class);
              contextRunner
                  .withParent(parent)
                  .withBean("childWorker", AnnotatedBlocking.class, () -> childWorker)
                  .run(
                      child -> {
                        assertThat(child).hasNotFailed();
                        TestActors.await(childWorker.started);
                        ActorGroup childGroup = child.getBean(ActorGroup.class);
                        assertThat(childGroup.actorNames()).containsExactly("childWorker");
                        assertThat(parentGroup.actorNames()).containsExactly("parentWorker");

                        assertThat(actorsInHealth(child)).containsOnlyKeys("childWorker");
                        assertThat(actorsInHealth(parent)).containsOnlyKeys("parentWorker");
                        assertThat(actorsInEndpoint(child)).containsExactly("childWorker");
                        assertThat(actorsInEndpoint(parent)).containsExactly("parentWorker");
                        assertThat(child.getBeanFactory().containsLocalBean("runGroupMetrics"))
                            .as("the child meters its own group")
                            .isTrue();
                        assertThat(
                                child
                                    .getBeanFactory()
                                    .containsLocalBean("runGroupAvailabilityListener"))
                            .as("only the root context's group drives availability")
                            .isFalse();
                        assertThat(
                                registry
                                    .find("rungroup.actor.exits")
                                    .tag("actor", "childWorker")
                                    .counters())
                            .isNotEmpty();
                        assertThat(parentListener.started)
                            .as("the parent's listener follows the parent's group only")
                            .containsExactly("parentWorker");

                        assertThat(registry.get("rungroup.actors.running").gauge().value())
                            .as("one registry: the gauge counts the actors of both groups")
                            .isEqualTo(2.0);

                        child.close();
                        assertThat(childWorker.interrupted.getCount()).isZero();
                        assertThat(registry.get("rungroup.actors.running").gauge().value())
                            .isEqualTo(1.0);
                        assertThat(childGroup.state()).isEqualTo(Group.State.STOPPED);
                      });
              assertThat(parentWorker.interrupted.getCount())
                  .as("the parent's actor runs on")
                  .isOne();
              assertThat(parentGroup.state()).isEqualTo(Group.State.RUNNING);
              assertThat(parent.getSourceApplicationContext().isActive()).isTrue();
              assertThat(actorsInHealth(parent)).containsOnlyKeys("parentWorker");
            });
  }

  /**
   * A child context with the group switched off has no operations beans for its parent's group.
   * (Before the fix it had none either, only because the parent's beans backed the child's off; now
   * that each context makes its own, their conditions look for the child's own group.)
   */
  @Test
  void childContextWithTheGroupSwitchedOffHasNoOperationsBeansOfItsParentsGroup() {
    contextRunner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            parent ->
                contextRunner
                    .withParent(parent)
                    .withPropertyValues("run-group.enabled=false")
                    .run(
                        child -> {
                          assertThat(child).hasNotFailed();
                          assertThat(child.getBeanFactory().containsLocalBean("runGroupLifecycle"))
                              .isFalse();
                          assertThat(
                                  child.getBeanFactory().getBeanNamesForType(ActorsEndpoint.class))
                              .isEmpty();
                          assertThat(
                                  child
                                      .getBeanFactory()
                                      .getBeanNamesForType(RunGroupHealthIndicator.class))
                              .isEmpty();
                          assertThat(child.getBeanFactory().containsLocalBean("runGroupMetrics"))
                              .isFalse();
                          assertThat(
                                  child
                                      .getBeanFactory()
                                      .containsLocalBean("runGroupAvailabilityListener"))
                              .isFalse();
                        }));
  }

  /**
   * Covers a bug where a child's operations beans could not start when the parent declared an
   * {@code ActorGroup} bean of another name: both groups were candidates for their injection point
   * ({@code NoUniqueBeanDefinitionException}); they take the child's own group.
   */
  @Test
  void childContextUsesItsOwnGroupAlsoWhenTheParentDeclaresAnotherActorGroupBean() {
    AnnotatedBlocking childWorker = new AnnotatedBlocking();
    contextRunner
        .withBean("myGroup", ActorGroup.class, RunGroupAutoConfigurationTests.MyActorGroup::new)
        .run(
            parent ->
                contextRunner
                    .withParent(parent)
                    .withBean("childWorker", AnnotatedBlocking.class, () -> childWorker)
                    .run(
                        child -> {
                          assertThat(child).hasNotFailed();
                          TestActors.await(childWorker.started);
                          assertThat(child.getBean(ActorGroup.class).actorNames())
                              .containsExactly("childWorker");
                          assertThat(actorsInHealth(child)).containsOnlyKeys("childWorker");
                          assertThat(actorsInEndpoint(child)).containsExactly("childWorker");
                        }));
  }

  /** Covers the child's own group ending by itself: it closes the child only. */
  @Test
  void actorOfAChildContextReturningClosesTheChildOnly() {
    AnnotatedBlocking parentWorker = new AnnotatedBlocking();
    contextRunner
        .withBean("parentWorker", AnnotatedBlocking.class, () -> parentWorker)
        .run(
            parent -> {
              TestActors.await(parentWorker.started);
              Capture capture = new Capture();
              contextRunner
                  .withParent(parent)
                  .withBean(Capture.class, () -> capture)
                  .withBean("quick", AnnotatedReturning.class)
                  .run(
                      child -> {
                        Exit exit = capture.awaitExit();
                        assertThat(exit.firstActor()).contains("quick");
                        awaitClosed(child);
                      });
              assertThat(parentWorker.interrupted.getCount()).isOne();
              assertThat(parent.getSourceApplicationContext().isActive()).isTrue();
            });
  }

  // --- the first stop wins ----------------------------------------------------------------------

  /**
   * Covers a bug where a call to {@code ActorGroup.stop(cause)} that came after an actor had
   * returned, while a slow interrupt still ran, kept the context from closing: the {@code Exit}
   * said that the actor stopped the group, yet the application ran on without its actors.
   */
  @Test
  void lateStopAfterAnActorReturnedStillClosesTheContext() {
    Capture capture = new Capture();
    SlowInterrupt slow = new SlowInterrupt();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withBean("slow", SlowInterrupt.class, () -> slow)
        .withBean("quick", AnnotatedReturning.class)
        .run(
            context -> {
              TestActors.await(slow.interrupting);
              ActorGroup group = capture.group();
              group.stop(new IllegalStateException("too late"));
              slow.release.countDown();
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("quick");
              assertThat(exit.error()).isNull();
              awaitClosed(context);
            });
  }

  // --- durations ------------------------------------------------------------------------------

  /**
   * Covers a bug where a stop timeout or grace too long to count in nanoseconds (such as {@code
   * 365000d}) made the lifecycle's wait for the group throw {@code ArithmeticException: long
   * overflow} from {@code stop()} (and {@code destroy()}), so that the close did not wait for the
   * group; the core already counted such a timeout as practically forever.
   */
  @ParameterizedTest
  @ValueSource(strings = {"run-group.stop-timeout=365000d", "run-group.stop-grace=365000d"})
  void aStopTimeoutOrGraceTooLongForNanosecondsDoesNotBreakTheStop(String property) {
    Capture capture = new Capture();
    AnnotatedBlocking worker = new AnnotatedBlocking();
    contextRunner
        .withPropertyValues(property)
        .withBean(Capture.class, () -> capture)
        .withBean("worker", AnnotatedBlocking.class, () -> worker)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TestActors.await(worker.started);
              RunGroupLifecycle lifecycle = context.getBean(RunGroupLifecycle.class);
              lifecycle.stop(); // waits for the group, within its (huge) bound
              assertThat(worker.interrupted.getCount()).isZero();
              assertThat(capture.exit).isCompleted();
              assertThat(capture.group().exit()).isPresent();
            });
  }

  /** The lifecycle's wait saturates instead of overflowing. */
  @Test
  void theLifecyclesWaitIsPracticallyForeverForHugeDurations() {
    assertThat(RunGroupLifecycle.saturatedNanos(Duration.ofDays(365_000), Duration.ofSeconds(1)))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(
            RunGroupLifecycle.saturatedNanos(
                Duration.ofNanos(Long.MAX_VALUE - 1), Duration.ofNanos(2)))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(RunGroupLifecycle.saturatedNanos(Duration.ofSeconds(2), Duration.ofMillis(5)))
        .isEqualTo(2_005_000_000L);
  }

  // --- state and exit ---------------------------------------------------------------------------

  /**
   * Covers a bug where {@code ActorGroup.state()} (and the health's group state) said {@code
   * STOPPED} while {@code exit()} was still empty, for as long as a {@code groupStopped} listener
   * ran.
   */
  @Test
  void stateIsNotStoppedUntilTheExitIsThere() {
    SlowStoppedListener slowListener = new SlowStoppedListener();
    AnnotatedBlocking worker = new AnnotatedBlocking();
    contextRunner
        .withBean("worker", AnnotatedBlocking.class, () -> worker)
        .withBean(RunGroupCustomizer.class, () -> slowListener)
        .run(
            context -> {
              TestActors.await(worker.started);
              ActorGroup group = context.getBean(ActorGroup.class);
              RunGroupHealthIndicator health = context.getBean(RunGroupHealthIndicator.class);
              group.stop(null);
              TestActors.await(slowListener.entered);
              try {
                Group.State state = group.state();
                Optional<Exit> exit = group.exit();
                assertThat(state == Group.State.STOPPED && exit.isEmpty())
                    .as("state %s with exit %s", state, exit)
                    .isFalse();
                assertThat(state).isEqualTo(Group.State.STOPPING);
                assertThat(health.health().getDetails().get("state"))
                    .as("the health's group state")
                    .isEqualTo("STOPPING");
              } finally {
                slowListener.release.countDown();
              }
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> group.state() == Group.State.STOPPED);
              assertThat(group.exit()).isPresent();
              assertThat(health.health().getDetails().get("state")).isEqualTo("STOPPED");
            });
  }

  // --- names the endpoint cannot address --------------------------------------------------------

  /**
   * Covers a bug where an actor whose name the {@code actors} endpoint cannot address (such as
   * {@code a/b}) was listed by {@code GET /actuator/actors} but could not be fetched by name.
   */
  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"a/b", "a\\b", "a%b", "a;b", ".", "..", "a\nb", "a\tb"})
  void actorNameTheEndpointCannotAddressFailsTheStartNamingTheBeanAndTheFix(String name) {
    contextRunner
        .withBean(name, AnnotatedBlocking.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
                  .isInstanceOf(ActorDefinitionException.class)
                  .hasMessageContaining("bean '" + name + "'")
                  .hasMessageContaining("actors endpoint")
                  .hasMessageContaining("Fix: ");
              FailureAnalysis analysis =
                  new ActorDefinitionFailureAnalyzer()
                      .analyze(failure == null ? new Exception() : failure);
              assertThat(analysis).isNotNull();
              assertThat(analysis.getAction()).contains("@Actor(name = ");
            });
  }

  /** Covers the same for a name given with {@code @Actor(name)} on a method actor. */
  @Test
  void actorMethodNamedWithASlashFailsTheStartNamingTheMethod() {
    contextRunner
        .withBean("jobs", SlashNamedMethod.class)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                  .isInstanceOf(ActorDefinitionException.class)
                  .hasMessageContaining("method 'jobs.nightly()'")
                  .hasMessageContaining("'jobs/nightly'")
                  .hasMessageContaining("'/'");
            });
  }

  /** Dots, spaces and other characters the endpoint can address stay allowed. */
  @Test
  void actorNamesWithDotsAndOtherAddressableCharactersAreAccepted() {
    contextRunner
        .withBean("a.b", AnnotatedBlocking.class)
        .withBean("a b?c#d:e", AnnotatedBlocking.class)
        .withBean("worker", MethodWorker.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(ActorGroup.class).actorNames())
                  .containsExactlyInAnyOrder("a.b", "a b?c#d:e", "worker.work");
            });
  }

  // --- interruptible I/O ------------------------------------------------------------------------

  /**
   * Covers a bug where a method actor blocked in an NIO read got {@link ClosedByInterruptException}
   * from the group's own {@code Thread.interrupt()} at every ordinary shutdown, which counted as a
   * failure and broke liveness.
   */
  @Test
  void methodActorBlockedInAPipeReadReturnsNormallyWhenTheGroupInterruptsIt() throws Exception {
    assertTheGroupsInterruptIsANormalReturn(
        PipeReader.class, new PipeReader(), ClosedByInterruptException.class);
  }

  /** Covers the same bug for {@code ServerSocketChannel.accept()}. */
  @Test
  void methodActorBlockedInAnAcceptReturnsNormallyWhenTheGroupInterruptsIt() throws Exception {
    assertTheGroupsInterruptIsANormalReturn(
        Acceptor.class, new Acceptor(), ClosedByInterruptException.class);
  }

  /**
   * Covers the same bug for a {@code java.net.ServerSocket.accept()} on a virtual thread, which an
   * interrupt ends with a {@link SocketException} (platform threads are not interruptible there).
   */
  @Test
  void methodActorBlockedInASocketAcceptOnAVirtualThreadReturnsNormallyWhenInterrupted()
      throws Exception {
    assumeThat(TestActors.virtualThreads()).as("a virtual thread's socket").isTrue();
    assertTheGroupsInterruptIsANormalReturn(
        SocketAcceptor.class, new SocketAcceptor(), SocketException.class);
  }

  /**
   * Runs {@code actor} alone, closes the context while it is blocked, and checks that what its I/O
   * threw ({@code thrown}) made a normal return, not a failure that breaks liveness.
   */
  private <T extends BlockedInIo> void assertTheGroupsInterruptIsANormalReturn(
      Class<T> type, T actor, Class<? extends Throwable> thrown) throws Exception {
    LivenessRecorder liveness = new LivenessRecorder();
    try (actor) {
      contextRunner
          .withBean("io", type, () -> actor)
          .withBean(LivenessRecorder.class, () -> liveness)
          .run(
              context -> {
                TestActors.await(actor.started);
                ActorGroup group = context.getBean(ActorGroup.class);
                context.close();
                assertThat(group.exit().orElseThrow().actors())
                    .singleElement()
                    .satisfies(
                        outcome -> {
                          assertThat(outcome.error()).isNull();
                          assertThat(outcome.stopped()).isTrue();
                        });
                assertThat(actor.thrown).isInstanceOf(thrown);
                assertThat(liveness.states).doesNotContain(LivenessState.BROKEN);
              });
    }
  }

  /**
   * Covers the same bug for an {@link InterruptedIOException}, an exception whose cause is a {@link
   * ClosedByInterruptException}, and the {@link SocketException} that a socket of a virtual thread
   * throws once it is closed by an interrupt (the thread's interrupt flag set).
   */
  @Test
  void methodActorFailingBecauseOfTheGroupsInterruptReturnsNormally() {
    LivenessRecorder liveness = new LivenessRecorder();
    contextRunner
        .withBean("io", InterruptedIoMethods.class)
        .withBean(LivenessRecorder.class, () -> liveness)
        .run(
            context -> {
              InterruptedIoMethods bean = context.getBean(InterruptedIoMethods.class);
              TestActors.await(bean.started);
              ActorGroup group = context.getBean(ActorGroup.class);
              context.close();
              Exit exit = group.exit().orElseThrow();
              assertThat(exit.actors()).hasSize(3);
              assertThat(exit.actors())
                  .allSatisfy(outcome -> assertThat(outcome.error()).as(outcome.name()).isNull());
              assertThat(liveness.states).doesNotContain(LivenessState.BROKEN);
            });
  }

  /** An exception caused by an interrupt before the group stops is a failure, as before. */
  @Test
  void methodActorFailingWithClosedByInterruptExceptionBeforeTheStopFails() {
    Capture capture = new Capture();
    contextRunner
        .withBean(Capture.class, () -> capture)
        .withBean("early", EarlyInterruptedRead.class)
        .run(
            context -> {
              Exit exit = capture.awaitExit();
              assertThat(exit.firstActor()).contains("early.read");
              assertThat(exit.error()).isInstanceOf(ClosedByInterruptException.class);
              awaitClosed(context);
            });
  }

  // --- closing the context from the group's own threads -----------------------------------------

  /**
   * Covers a bug where a method actor that closed the context from its own thread was sent the
   * group's {@code Thread.interrupt()} while that thread went on to run the other beans' destroy
   * methods, which then failed or gave up their waits.
   */
  @Test
  void closingTheContextFromAMethodActorDoesNotInterruptItWhileOtherBeansAreDestroyed() {
    CountDownLatch laterInterrupted = new CountDownLatch(1);
    CompletableFuture<String> destroyed = new CompletableFuture<>();
    SelfClosingMethod selfClosing = new SelfClosingMethod();
    contextRunner
        .withPropertyValues("run-group.stop-timeout=20s")
        .withBean("selfClosing", SelfClosingMethod.class, () -> selfClosing)
        .withBean("later", Later.class, () -> new Later(laterInterrupted))
        .withBean(WaitingDestroy.class, () -> new WaitingDestroy(laterInterrupted, destroyed))
        .run(
            context -> {
              assertThat(destroyed.get(WAIT_SECONDS, TimeUnit.SECONDS))
                  .as("the destroy method on the closing actor's thread")
                  .isEqualTo("released");
              TestActors.await(selfClosing.returned);
              assertThat(selfClosing.interruptedAfterClose).isFalse();
              awaitClosed(context);
            });
  }

  /**
   * Covers a bug where {@code context.close()} called from an actor's {@code interrupt}, on the
   * group's stopper thread, waited for the group, and so for itself, until the stop timeout ran
   * out.
   */
  @Test
  void closingTheContextFromAnInterruptDoesNotWaitForTheStopTimeout() {
    Duration stopTimeout = Duration.ofSeconds(15);
    ClosingInterrupt closing = new ClosingInterrupt();
    contextRunner
        .withPropertyValues("run-group.stop-timeout=" + stopTimeout.toSeconds() + "s")
        .withBean("closing", ClosingInterrupt.class, () -> closing)
        .run(
            context -> {
              TestActors.await(closing.started);
              context.getBean(ActorGroup.class).stop(null);
              Duration took = closing.closeTook.get(WAIT_SECONDS + 10, TimeUnit.SECONDS);
              assertThat(took).isLessThan(stopTimeout.dividedBy(3));
              awaitClosed(context);
              Thread interruptThread = closing.interruptThread;
              assertThat(interruptThread).isNotNull();
              assertThat(interruptThread.getName()).startsWith("run-group-stopper");
            });
  }

  // --- no user code under the lifecycle's lock ---------------------------------------------------

  /**
   * Covers a bug where a {@link RunGroupCustomizer} that waited for another thread's calls on the
   * {@link ActorGroup} deadlocked the refresh: the lifecycle ran customizers while holding its
   * lock, and {@code actorNames()} and {@code stop(cause)} waited for that lock. The stop asked for
   * while the customizer ran still stops the run it prepared.
   */
  @Test
  void customizerWaitingForAnotherThreadsCallsOnTheGroupDoesNotDeadlockTheStart() throws Exception {
    AnnotatedBlocking worker = new AnnotatedBlocking();
    CallingCustomizer customizer = new CallingCustomizer();
    contextRunner
        .withBean("worker", AnnotatedBlocking.class, () -> worker)
        .withBean("callingCustomizer", CallingCustomizer.class, () -> customizer)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(customizer.calls.get(WAIT_SECONDS, TimeUnit.SECONDS))
                  .isEqualTo("[worker] NEW stop");
              assertThat(customizer.callsFinishedInTime).isTrue();
              ActorGroup group = context.getBean(ActorGroup.class);
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> group.exit().isPresent());
              Exit exit = group.exit().orElseThrow();
              assertThat(exit.error()).isSameAs(customizer.cause);
              assertThat(exit.firstActor()).isEmpty();
              assertThat(context.isActive()).isTrue();
            });
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static Map<String, Object> actorsInHealth(ApplicationContext context) {
    RunGroupHealthIndicator indicator =
        context.getBean("runGroupHealthIndicator", RunGroupHealthIndicator.class);
    Health health = indicator.health();
    @SuppressWarnings("unchecked")
    Map<String, Object> actors = (Map<String, Object>) health.getDetails().get("actors");
    return actors;
  }

  private static List<String> actorsInEndpoint(ApplicationContext context) {
    ActorsEndpoint endpoint = context.getBean("actorsEndpoint", ActorsEndpoint.class);
    return endpoint.actors().actors().stream().map(ActorsEndpoint.ActorDescriptor::name).toList();
  }

  private static void awaitClosed(AssertableApplicationContext context) {
    ConfigurableApplicationContext source = context.getSourceApplicationContext();
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !source.isActive());
  }

  // --- fixtures ---------------------------------------------------------------------------------

  /**
   * A customizer that, while it customizes, has another thread call {@code actorNames()}, {@code
   * state()} and {@code stop(cause)} on the group, and waits (bounded) until that thread is done.
   */
  static final class CallingCustomizer implements RunGroupCustomizer, ApplicationContextAware {
    final IllegalStateException cause = new IllegalStateException("stopped by a customizer");

    final CompletableFuture<String> calls = new CompletableFuture<>();
    volatile boolean callsFinishedInTime;
    private volatile @Nullable ApplicationContext context;

    @Override
    public void setApplicationContext(ApplicationContext context) {
      this.context = context;
    }

    @Override
    public void customize(Group.Builder builder) {
      ApplicationContext owner = context;
      assertThat(owner).isNotNull();
      ActorGroup group = owner.getBean(ActorGroup.class);
      Thread caller =
          new Thread(
              () -> {
                try {
                  String names = group.actorNames().toString();
                  String state = group.state().name();
                  group.stop(cause);
                  calls.complete(names + " " + state + " stop");
                } catch (RuntimeException | Error e) {
                  calls.completeExceptionally(e);
                }
              },
              "calling-customizer");
      caller.start();
      try {
        calls.get(5, TimeUnit.SECONDS);
        callsFinishedInTime = true;
      } catch (TimeoutException e) {
        callsFinishedInTime = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Actor
  static class AnnotatedBlocking extends BlockingActor {}

  @Actor
  static class AnnotatedReturning extends ReturningActor {}

  /** Records the actors it saw start. */
  static final class RecordingListener implements GroupListener {
    final List<String> started = new CopyOnWriteArrayList<>();

    @Override
    public void actorStarted(String actor, Thread thread) {
      started.add(actor);
    }
  }

  /** Runs until interrupted; its interrupt waits until released. */
  @Actor
  static final class SlowInterrupt extends BlockingActor {
    final CountDownLatch interrupting = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void interrupt(@Nullable Throwable cause) {
      interrupting.countDown();
      try {
        release.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.interrupt(cause);
    }
  }

  /** A customizer adding, last, a listener whose {@code groupStopped} waits until released. */
  static final class SlowStoppedListener implements RunGroupCustomizer, Ordered {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void customize(Group.Builder builder) {
      builder.listener(
          new GroupListener() {
            @Override
            public void groupStopped(Exit exit) {
              entered.countDown();
              try {
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }

  static class SlashNamedMethod {
    @Actor(name = "jobs/nightly")
    void nightly() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  static class MethodWorker {
    @Actor
    void work() throws InterruptedException {
      new CountDownLatch(1).await();
    }
  }

  /** Records the liveness states published. */
  static final class LivenessRecorder
      implements ApplicationListener<AvailabilityChangeEvent<LivenessState>> {
    final List<LivenessState> states = new CopyOnWriteArrayList<>();

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<LivenessState> event) {
      states.add(event.getState());
    }
  }

  /** An actor method blocked in an I/O call; records what the call threw. */
  abstract static class BlockedInIo implements AutoCloseable {
    final CountDownLatch started = new CountDownLatch(1);
    volatile @Nullable Throwable thrown;

    /** The blocking call of the actor method. */
    interface IoCall {
      void run() throws IOException;
    }

    @Override
    public abstract void close() throws IOException;

    final void block(IoCall call) throws IOException {
      started.countDown();
      try {
        call.run();
      } catch (IOException e) {
        thrown = e;
        throw e;
      }
    }
  }

  /** Blocks in a read of a pipe nobody writes to. */
  static final class PipeReader extends BlockedInIo {
    private final Pipe pipe;

    PipeReader() throws IOException {
      pipe = Pipe.open();
    }

    @Actor
    void read() throws IOException {
      block(() -> pipe.source().read(ByteBuffer.allocate(1)));
    }

    @Override
    public void close() throws IOException {
      pipe.sink().close();
      pipe.source().close();
    }
  }

  /** Blocks in an accept nobody connects to. */
  static final class Acceptor extends BlockedInIo {
    private final ServerSocketChannel server;

    Acceptor() throws IOException {
      server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Actor
    void accept() throws IOException {
      block(server::accept);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** Blocks in a {@link ServerSocket#accept()} nobody connects to. */
  static final class SocketAcceptor extends BlockedInIo {
    private final ServerSocket server;

    SocketAcceptor() throws IOException {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @Actor
    void accept() throws IOException {
      block(() -> server.accept().close());
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** Three method actors that fail, once interrupted, with what interruptible I/O throws. */
  static class InterruptedIoMethods {
    final CountDownLatch started = new CountDownLatch(3);

    @Actor
    void interruptedIo() throws IOException {
      awaitInterrupt();
      throw new InterruptedIOException("read interrupted");
    }

    @Actor
    void wrapped() {
      awaitInterrupt();
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new ClosedByInterruptException());
    }

    @Actor
    void socket() throws IOException {
      awaitInterrupt();
      Thread.currentThread().interrupt(); // as a virtual thread's socket leaves it
      throw new SocketException("Closed by interrupt");
    }

    private void awaitInterrupt() {
      started.countDown();
      try {
        new CountDownLatch(1).await(WAIT_SECONDS * 3, TimeUnit.SECONDS);
        throw new IllegalStateException("never interrupted");
      } catch (InterruptedException e) {
        // the group's interrupt: fail as interruptible I/O would
      }
    }
  }

  /** Interrupts itself, then reads: an interrupt that is not the group's. */
  static class EarlyInterruptedRead {
    @Actor
    void read() throws IOException {
      Pipe pipe = Pipe.open();
      try {
        Thread.currentThread().interrupt();
        pipe.source().read(ByteBuffer.allocate(1));
      } finally {
        Thread.interrupted();
        pipe.sink().close();
        pipe.source().close();
      }
    }
  }

  /** A method actor that closes its context from its own thread, then returns. */
  @Order(1)
  static class SelfClosingMethod implements ApplicationContextAware {
    final CountDownLatch returned = new CountDownLatch(1);
    volatile boolean interruptedAfterClose;
    private volatile @Nullable ApplicationContext context;

    @Override
    public void setApplicationContext(ApplicationContext context) {
      this.context = context;
    }

    @Actor
    void work() {
      try {
        if (context instanceof ConfigurableApplicationContext configurable) {
          configurable.close();
        }
        interruptedAfterClose = Thread.interrupted();
      } finally {
        returned.countDown();
      }
    }
  }

  /** An actor interrupted after the self-closing one: its interrupt releases a latch. */
  @Actor
  @Order(2)
  static class Later implements Interruptible {
    private final CountDownLatch interrupted;
    private final CountDownLatch stop = new CountDownLatch(1);

    Later(CountDownLatch interrupted) {
      this.interrupted = interrupted;
    }

    @Override
    public void execute() throws InterruptedException {
      stop.await();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      interrupted.countDown();
      stop.countDown();
    }
  }

  /** A bean whose destroy method waits until the later actor's interrupt was called. */
  static class WaitingDestroy implements DisposableBean {
    private final CountDownLatch laterInterrupted;
    private final CompletableFuture<String> destroyed;

    WaitingDestroy(CountDownLatch laterInterrupted, CompletableFuture<String> destroyed) {
      this.laterInterrupted = laterInterrupted;
      this.destroyed = destroyed;
    }

    @Override
    public void destroy() {
      try {
        destroyed.complete(
            laterInterrupted.await(WAIT_SECONDS, TimeUnit.SECONDS) ? "released" : "timed out");
      } catch (InterruptedException e) {
        destroyed.complete("interrupted");
        Thread.currentThread().interrupt();
      }
    }
  }

  /** An actor whose interrupt closes the context and measures how long that took. */
  @Actor
  static class ClosingInterrupt extends BlockingActor implements ApplicationContextAware {
    final CompletableFuture<Duration> closeTook = new CompletableFuture<>();
    volatile @Nullable Thread interruptThread;
    private volatile @Nullable ApplicationContext context;

    @Override
    public void setApplicationContext(ApplicationContext context) {
      this.context = context;
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      super.interrupt(cause);
      interruptThread = Thread.currentThread();
      long began = System.nanoTime();
      if (context instanceof ConfigurableApplicationContext configurable) {
        configurable.close();
      }
      closeTook.complete(Duration.ofNanos(System.nanoTime() - began));
    }
  }
}
