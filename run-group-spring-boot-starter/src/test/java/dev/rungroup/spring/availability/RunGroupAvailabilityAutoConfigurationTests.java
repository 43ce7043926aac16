package dev.rungroup.spring.availability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.ActorContext;
import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import dev.rungroup.RestartPolicy;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.Restart;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Readiness and liveness follow the group of the root context: readiness accepts traffic at the
 * later of the application being ready and the group being ready, and refuses it as soon as the
 * group stops; liveness breaks only when a failure stops the group.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunGroupAvailabilityAutoConfigurationTests {

  private static final long WAIT_SECONDS = 20;

  private final Journal journal = new Journal();

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ApplicationAvailabilityAutoConfiguration.class,
                  RunGroupAutoConfiguration.class,
                  RunGroupAvailabilityAutoConfiguration.class))
          .withBean("availabilityJournal", AvailabilityJournal.class, () -> journal.listener());

  @Test
  void theListenerIsThereInARootContextWithTheGroupAndNeitherWithoutNorInAChildContext() {
    contextRunner.run(
        parent -> {
          assertThat(parent).hasSingleBean(RunGroupAvailabilityListener.class);
          contextRunner
              .withParent(parent)
              .run(
                  child ->
                      assertThat(child.getBeanNamesForType(RunGroupAvailabilityListener.class))
                          .as("only the root context's group drives availability")
                          .isEmpty());
        });
    contextRunner
        .withPropertyValues("run-group.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RunGroupAvailabilityListener.class));
  }

  @Test
  void readinessRefusesSpringsAcceptingTrafficUntilTheGroupIsReadyThenAccepts() {
    Storage storage = new Storage();
    contextRunner
        .withBean("storage", Storage.class, () -> storage)
        .run(
            context -> {
              storage.awaitStarted();
              springSaysReady(context);
              assertThat(readiness(context)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);

              storage.open.release();
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> readiness(context) == ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(journal.events())
                  .containsExactly(
                      "readiness ACCEPTING_TRAFFIC",
                      "readiness REFUSING_TRAFFIC",
                      "readiness ACCEPTING_TRAFFIC");
            });
  }

  @Test
  void aGroupReadyBeforeTheApplicationLeavesSpringsAcceptingTrafficStanding() {
    contextRunner
        .withBean("worker", Worker.class, Worker::new)
        .run(
            context -> {
              awaitGroupReady(context);
              springSaysReady(context);
              assertThat(readiness(context)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(journal.events()).containsExactly("readiness ACCEPTING_TRAFFIC");
            });
  }

  @Test
  void withoutActorsSpringsReadinessIsLeftAlone() {
    contextRunner.run(
        context -> {
          springSaysReady(context);
          assertThat(readiness(context)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
          assertThat(journal.events()).containsExactly("readiness ACCEPTING_TRAFFIC");
        });
  }

  /** The readiness event comes before the first interrupt, and the interrupt already sees it. */
  @Test
  void readinessRefusesTrafficBeforeAnyActorIsInterrupted() {
    Recorder first = new Recorder("first");
    Recorder second = new Recorder("second");
    contextRunner
        .withBean("first", Recorder.class, () -> first)
        .withBean("second", Recorder.class, () -> second)
        .run(
            context -> {
              first.availability = context.getBean(ApplicationAvailability.class);
              second.availability = first.availability;
              ActorGroup group = context.getBean(ActorGroup.class);
              awaitGroupReady(context);
              springSaysReady(context);
              assertThat(readiness(context)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

              group.stop(null);
              assertThat(group.awaitExit(patience())).isPresent();

              assertThat(journal.events())
                  .containsExactly(
                      "readiness ACCEPTING_TRAFFIC",
                      "readiness REFUSING_TRAFFIC",
                      "interrupt first, readiness REFUSING_TRAFFIC",
                      "interrupt second, readiness REFUSING_TRAFFIC");
            });
  }

  @Test
  void aStopAndStartOfTheContextRefusesTrafficAgainUntilTheNewRunIsReady() {
    Storage storage = new Storage();
    contextRunner
        .withBean("storage", Storage.class, () -> storage)
        .run(
            context -> {
              ConfigurableApplicationContext source = source(context);
              storage.awaitStarted();
              storage.open.release();
              awaitGroupReady(context);
              springSaysReady(context);
              assertThat(readiness(context)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

              source.stop();
              assertThat(readiness(context)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
              source.start();
              storage.awaitStarted();
              assertThat(storage.runs.get()).isEqualTo(2);
              assertThat(readiness(context)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
              // Whoever says otherwise before the new run is ready is answered at once.
              AvailabilityChangeEvent.publish(source, ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(readiness(context)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);

              storage.open.release();
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> readiness(context) == ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(journal.events())
                  .containsExactly(
                      "readiness ACCEPTING_TRAFFIC",
                      "readiness REFUSING_TRAFFIC",
                      "readiness ACCEPTING_TRAFFIC",
                      "readiness REFUSING_TRAFFIC",
                      "readiness ACCEPTING_TRAFFIC");
            });
  }

  @Test
  void livenessBreaksWhenAFailureStopsTheGroup() {
    Worker worker = new Worker();
    FailOnRequest failing = new FailOnRequest();
    contextRunner
        .withBean("worker", Worker.class, () -> worker)
        .withBean("failing", FailOnRequest.class, () -> failing)
        .run(
            context -> {
              ActorGroup group = context.getBean(ActorGroup.class);
              awaitGroupReady(context);
              failing.fail.countDown();
              Exit exit = group.awaitExit(patience()).orElseThrow();
              assertThat(exit.firstActor()).contains("failing");
              assertThat(journal.events()).contains("liveness BROKEN");
            });
  }

  @Test
  void aFailureWhileTheGroupStopsLeavesLivenessAlone() {
    Recorder first = new Recorder("first");
    Recorder second = new Recorder("second");
    second.failOnInterrupt = true;
    contextRunner
        .withBean("first", Recorder.class, () -> first)
        .withBean("second", Recorder.class, () -> second)
        .run(
            context -> {
              ActorGroup group = context.getBean(ActorGroup.class);
              awaitGroupReady(context);
              group.stop(null); // from outside: the context stays
              Exit exit = group.awaitExit(patience()).orElseThrow();
              assertThat(exit.actors().get(1).error()).isInstanceOf(IllegalStateException.class);
              assertThat(journal.events()).doesNotContain("liveness BROKEN");
            });
  }

  @Test
  void aRestartWithinBudgetNeitherBreaksLivenessNorRefusesTraffic() {
    Flaky flaky = new Flaky();
    contextRunner
        .withBean("flaky", Flaky.class, () -> flaky)
        .run(
            context -> {
              ActorGroup group = context.getBean(ActorGroup.class);
              awaitGroupReady(context);
              springSaysReady(context);
              flaky.fail.countDown();
              assertThat(flaky.secondRun.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              assertThat(group.state()).isEqualTo(Group.State.RUNNING);
              assertThat(readiness(context)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(journal.events())
                  .containsExactly("readiness ACCEPTING_TRAFFIC")
                  .doesNotContain("liveness BROKEN");
            });
  }

  @Test
  void aOneShotActorsNormalReturnNeitherBreaksLivenessNorRefusesTraffic() {
    Migration migration = new Migration();
    contextRunner
        .withBean("migration", Migration.class, () -> migration)
        .withBean("worker", Worker.class, Worker::new)
        .run(
            context -> {
              springSaysReady(context);
              assertThat(readiness(context)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
              migration.finish.countDown();
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> readiness(context) == ReadinessState.ACCEPTING_TRAFFIC);
              assertThat(context.getBean(ActorGroup.class).state()).isEqualTo(Group.State.RUNNING);
              assertThat(journal.events())
                  .containsExactly(
                      "readiness ACCEPTING_TRAFFIC",
                      "readiness REFUSING_TRAFFIC",
                      "readiness ACCEPTING_TRAFFIC");
            });
  }

  /** A spent restart budget is a failure that stops the group: it breaks liveness. */
  @Test
  void anEscalatedRestartBreaksLiveness() {
    contextRunner
        .withBean("worker", Worker.class, Worker::new)
        .run(
            context -> {
              RunGroupAvailabilityListener listener =
                  context.getBean(RunGroupAvailabilityListener.class);
              AtomicInteger attempts = new AtomicInteger();
              Group.Builder builder = Group.builder().stopTimeout(patience());
              listener.customize(builder);
              Group group = builder.build();
              group.add(
                  "flaky",
                  () ->
                      Interruptible.of(
                          () -> {
                            throw new IllegalStateException(
                                "attempt " + attempts.incrementAndGet());
                          },
                          cause -> {}),
                  ActorOptions.defaults()
                      .restart(
                          RestartPolicy.onFailure()
                              .maxRestarts(1)
                              .backoff(Duration.ZERO, Duration.ZERO)));
              Exit exit = group.run();
              assertThat(exit.actors().get(0).restarts()).isOne();
              assertThat(journal.events())
                  .endsWith("readiness REFUSING_TRAFFIC", "liveness BROKEN");
              assertThat(context.getBean(ApplicationAvailability.class).getLivenessState())
                  .isEqualTo(LivenessState.BROKEN);
            });
  }

  @Test
  void aChildContextsGroupLeavesTheParentsAvailabilityAlone() {
    Storage storage = new Storage(); // never ready
    FailOnRequest failing = new FailOnRequest();
    contextRunner.run(
        parent -> {
          contextRunner
              .withParent(parent)
              .withBean("storage", Storage.class, () -> storage)
              .withBean("failing", FailOnRequest.class, () -> failing)
              .run(
                  child -> {
                    storage.awaitStarted();
                    ActorGroup childGroup = child.getBean(ActorGroup.class);
                    AvailabilityChangeEvent.publish(source(parent), LivenessState.CORRECT);
                    springSaysReady(parent);
                    assertThat(readiness(parent)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

                    failing.fail.countDown();
                    assertThat(childGroup.awaitExit(patience())).isPresent();
                    assertThat(readiness(parent)).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
                    assertThat(parent.getBean(ApplicationAvailability.class).getLivenessState())
                        .isEqualTo(LivenessState.CORRECT);
                    assertThat(journal.events())
                        .containsExactly("liveness CORRECT", "readiness ACCEPTING_TRAFFIC");
                  });
        });
  }

  // ---------------------------------------------------------------------------------------------

  private static Duration patience() {
    return Duration.ofSeconds(WAIT_SECONDS);
  }

  /** Waits until the group is ready and the listener has heard so. */
  private static void awaitGroupReady(AssertableApplicationContext context)
      throws InterruptedException {
    assertThat(context.getBean(ActorGroup.class).awaitReady(patience())).isTrue();
    RunGroupAvailabilityListener listener = context.getBean(RunGroupAvailabilityListener.class);
    await().atMost(patience()).until(listener::groupReady);
  }

  private static ConfigurableApplicationContext source(AssertableApplicationContext context) {
    return context.getSourceApplicationContext(ConfigurableApplicationContext.class);
  }

  /** What {@code SpringApplication.run} does once the context is refreshed. */
  private static void springSaysReady(AssertableApplicationContext context) {
    ConfigurableApplicationContext source = source(context);
    source.publishEvent(
        new ApplicationReadyEvent(new SpringApplication(), new String[0], source, Duration.ZERO));
    AvailabilityChangeEvent.publish(source, ReadinessState.ACCEPTING_TRAFFIC);
  }

  private static ReadinessState readiness(AssertableApplicationContext context) {
    return context.getBean(ApplicationAvailability.class).getReadinessState();
  }

  /** Records availability events and interrupts, in order. */
  static final class Journal {
    private final List<String> events = new ArrayList<>();

    synchronized void add(String event) {
      events.add(event);
    }

    synchronized List<String> events() {
      return List.copyOf(events);
    }

    AvailabilityJournal listener() {
      return new AvailabilityJournal(this);
    }
  }

  /** The journal's listener of the context's availability events. */
  static final class AvailabilityJournal
      implements ApplicationListener<AvailabilityChangeEvent<?>> {
    private final Journal journal;

    AvailabilityJournal(Journal journal) {
      this.journal = journal;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
      journal.add(
          (event.getState() instanceof ReadinessState ? "readiness " : "liveness ")
              + event.getState());
    }
  }

  /**
   * Signals ready once the test releases {@link #open} (one permit per run), then runs until
   * interrupted; runs again after a stop and start of the context.
   */
  @Actor(readiness = Readiness.SIGNALLED)
  static final class Storage implements Interruptible {
    final Semaphore open = new Semaphore(0);
    final AtomicInteger runs = new AtomicInteger();
    private final Semaphore started = new Semaphore(0);
    private final Semaphore stops = new Semaphore(0);

    @Override
    public void execute() throws Exception {
      runs.incrementAndGet();
      started.release();
      ActorContext context = ActorContext.current();
      if (!acquireUnlessStopped(open)) {
        return;
      }
      context.ready();
      if (!stops.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never interrupted");
      }
    }

    /** Waits for a permit of {@code gate}; {@code false} if interrupted first. */
    private boolean acquireUnlessStopped(Semaphore gate) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (System.nanoTime() < deadline) {
        if (gate.tryAcquire(10, TimeUnit.MILLISECONDS)) {
          return true;
        }
        if (stops.tryAcquire()) {
          return false;
        }
      }
      throw new IllegalStateException("neither opened nor interrupted");
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stops.release();
    }

    void awaitStarted() throws InterruptedException {
      assertThat(started.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Runs until interrupted. */
  @Actor
  static final class Worker implements Interruptible {
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void execute() throws Exception {
      if (!stop.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never interrupted");
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop.countDown();
    }
  }

  /** Fails once the test says so. */
  @Actor
  static final class FailOnRequest implements Interruptible {
    final CountDownLatch fail = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void execute() throws Exception {
      while (!fail.await(10, TimeUnit.MILLISECONDS)) {
        if (stop.getCount() == 0) {
          return;
        }
      }
      throw new IllegalStateException("failing on request");
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      stop.countDown();
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
        throw new IllegalStateException("first incarnation fails");
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

  /** A one-shot actor that returns normally once the test says so. */
  @Actor(oneShot = true)
  static final class Migration implements Interruptible {
    final CountDownLatch finish = new CountDownLatch(1);

    @Override
    public void execute() throws Exception {
      if (!finish.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never told to finish");
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      finish.countDown();
    }
  }

  /** Runs until interrupted; its interrupt records the readiness state it sees. */
  @Actor
  final class Recorder implements Interruptible {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final String name;
    volatile @Nullable ApplicationAvailability availability;
    volatile boolean failOnInterrupt;

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public void execute() throws Exception {
      if (!stop.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never interrupted");
      }
      if (failOnInterrupt) {
        throw new IllegalStateException(name + " failed while stopping");
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      ApplicationAvailability seen = availability;
      journal.add(
          "interrupt " + name + ", readiness " + (seen == null ? "?" : seen.getReadinessState()));
      stop.countDown();
    }
  }
}
