package dev.rungroup.spring.autoconfigure;

import static dev.rungroup.spring.autoconfigure.TestActors.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.ActorContext;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.autoconfigure.TestActors.BlockingActor;
import dev.rungroup.spring.autoconfigure.TestActors.Journal;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * The group's lifecycle among the others: its phase below the web server's, a pause that leaves it
 * running, and the waits of {@link ActorGroup}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LifecycleOnThePlatformTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RunGroupAutoConfiguration.class));

  @Test
  void theDefaultPhaseIsBelowTheWebServersStartAndGracefulShutdown() {
    contextRunner.run(
        context -> {
          int phase = context.getBean(RunGroupLifecycle.class).getPhase();
          assertThat(phase).isEqualTo(RunGroupProperties.DEFAULT_PHASE);
          assertThat(phase)
              .isEqualTo(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1024);
          assertThat(phase)
              .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
              .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
        });
  }

  /**
   * Stand-ins for the web server's lifecycles, in their phases: the group has started when the
   * server starts, and on close the server's graceful shutdown is over before any actor is
   * interrupted.
   */
  @Test
  void theActorsRunBeforeTheWebServerStartsAndAreInterruptedOnlyOnceItHasDrained() {
    Journal journal = new Journal();
    BlockingActor worker = new BlockingActor(journal, "worker");
    contextRunner
        .withBean("worker", AnnotatedBlocking.class, () -> new AnnotatedBlocking(worker))
        .withBean(
            "webServerStartStop",
            PhaseRecorder.class,
            () ->
                new PhaseRecorder(
                    "web server", WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE, journal))
        .withBean(
            "webServerGracefulShutdown",
            PhaseRecorder.class,
            () ->
                new PhaseRecorder(
                    "graceful shutdown",
                    WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE,
                    journal))
        .run(
            context -> {
              TestActors.await(worker.started);
              context.close();
              assertThat(journal.events())
                  .containsExactly(
                      "start web server, group running",
                      "start graceful shutdown, group running",
                      "stop graceful shutdown, group running",
                      "stop web server, group running",
                      "interrupt worker");
            });
  }

  @Test
  void aPausedContextKeepsItsActorsRunningAndItsRestartRunsNoFreshGroup() {
    BlockingActor worker = new BlockingActor();
    contextRunner
        .withBean("worker", AnnotatedBlocking.class, () -> new AnnotatedBlocking(worker))
        .run(
            context -> {
              TestActors.await(worker.started);
              ConfigurableApplicationContext source =
                  context.getSourceApplicationContext(ConfigurableApplicationContext.class);
              RunGroupLifecycle lifecycle = context.getBean(RunGroupLifecycle.class);
              assertThat(lifecycle.isPauseable()).isFalse();

              source.pause();
              assertThat(lifecycle.isRunning()).isTrue();
              assertThat(lifecycle.state()).isEqualTo(Group.State.RUNNING);
              assertThat(worker.interrupted.getCount()).isOne();

              source.restart();
              assertThat(lifecycle.state()).isEqualTo(Group.State.RUNNING);
              assertThat(worker.interrupted.getCount()).isOne();
              assertThat(worker.runs.get()).isOne();
            });
  }

  @Test
  void awaitExitGivesTheExitOnceTheRunEndedAndNothingBefore() {
    BlockingActor worker = new BlockingActor();
    contextRunner
        .withBean("worker", AnnotatedBlocking.class, () -> new AnnotatedBlocking(worker))
        .run(
            context -> {
              ActorGroup group = context.getBean(ActorGroup.class);
              assertThat(group.awaitReady(patience())).isTrue();
              assertThat(group.awaitExit(Duration.ofMillis(50))).isEmpty();
              assertThat(group.awaitExit(Duration.ZERO)).isEmpty();

              IllegalStateException cause = new IllegalStateException("maintenance");
              group.stop(cause);
              Exit exit = group.awaitExit(patience()).orElseThrow();
              assertThat(exit.error()).isSameAs(cause);
              assertThat(group.awaitExit(Duration.ZERO)).containsSame(exit);
              assertThat(group.awaitReady(Duration.ZERO))
                  .as("it had become ready before it stopped")
                  .isTrue();
            });
  }

  @Test
  void awaitReadyIsFalseOnTimeoutAndWhenTheGroupStopsWithoutHavingBeenReady() {
    contextRunner
        .withBean("never", NeverReady.class, NeverReady::new)
        .run(
            context -> {
              ActorGroup group = context.getBean(ActorGroup.class);
              NeverReady never = context.getBean(NeverReady.class);
              TestActors.await(never.started);
              assertThat(group.awaitReady(Duration.ofMillis(50))).isFalse();
              group.stop(null);
              assertThat(group.awaitReady(patience())).isFalse();
              assertThat(group.awaitExit(patience())).isPresent();
            });
  }

  @Test
  void withoutActorsBothWaitsAnswerAtOnce() {
    contextRunner.run(
        context -> {
          ActorGroup group = context.getBean(ActorGroup.class);
          assertThat(group.awaitExit(Duration.ofDays(1))).isEmpty();
          assertThat(group.awaitReady(Duration.ofDays(1))).isFalse();
        });
  }

  private static Duration patience() {
    return Duration.ofSeconds(WAIT_SECONDS);
  }

  /** A {@link BlockingActor} declared with {@code @Actor}. */
  @Actor
  static final class AnnotatedBlocking implements Interruptible {
    private final BlockingActor actor;

    AnnotatedBlocking(BlockingActor actor) {
      this.actor = actor;
    }

    @Override
    public void execute() throws Exception {
      actor.execute();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      actor.interrupt(cause);
    }
  }

  /** Signals nothing: never ready. Runs until interrupted. */
  @Actor(readiness = Readiness.SIGNALLED)
  static final class NeverReady implements Interruptible {
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void execute() throws Exception {
      assertThat(ActorContext.current().name()).isEqualTo("never");
      started.countDown();
      if (!stop.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never interrupted");
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop.countDown();
    }
  }

  /**
   * A lifecycle in a given phase that records its start and stop, and whether the group's lifecycle
   * runs then.
   */
  static final class PhaseRecorder implements SmartLifecycle, BeanFactoryAware {
    private final String name;
    private final int phase;
    private final Journal journal;
    private volatile @Nullable BeanFactory beanFactory;
    private volatile boolean running;

    PhaseRecorder(String name, int phase, Journal journal) {
      this.name = name;
      this.phase = phase;
      this.journal = journal;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
      this.beanFactory = beanFactory;
    }

    private String group() {
      BeanFactory factory = beanFactory;
      if (factory == null) {
        return "?";
      }
      return factory.getBean(RunGroupLifecycle.class).isRunning() ? "running" : "not running";
    }

    @Override
    public void start() {
      running = true;
      journal.add("start " + name + ", group " + group());
    }

    @Override
    public void stop() {
      journal.add("stop " + name + ", group " + group());
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return phase;
    }
  }
}
