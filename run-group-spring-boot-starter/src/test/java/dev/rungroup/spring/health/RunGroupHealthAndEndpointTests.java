package dev.rungroup.spring.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.ActorContext;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import dev.rungroup.spring.Actor;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.Restart;
import dev.rungroup.spring.RunGroupCustomizer;
import dev.rungroup.spring.autoconfigure.RunGroupAutoConfiguration;
import dev.rungroup.spring.endpoint.ActorsEndpoint;
import dev.rungroup.spring.endpoint.ActorsEndpoint.ActorDescriptor;
import dev.rungroup.spring.endpoint.ActorsEndpointAutoConfiguration;
import dev.rungroup.spring.state.RunGroupActorStates;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

/**
 * The {@code runGroup} health and the {@code actors} endpoint of actors declared with {@code
 * after}, {@code readiness}, {@code oneShot} and {@code restart}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunGroupHealthAndEndpointTests {

  private static final long WAIT_SECONDS = 20;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  RunGroupAutoConfiguration.class,
                  RunGroupHealthAutoConfiguration.class,
                  ActorsEndpointAutoConfiguration.class))
          .withPropertyValues("management.endpoints.web.exposure.include=actors");

  @Test
  void healthIsUnknownUntilTheGroupIsReadyThenUpAndEachActorSaysWhetherItIsReady() {
    Storage storage = new Storage();
    Consumer consumer = new Consumer();
    contextRunner
        .withBean("migration", Migration.class, Migration::new)
        .withBean("storage", Storage.class, () -> storage)
        .withBean("consumer", Consumer.class, () -> consumer)
        .run(
            context -> {
              assertThat(storage.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              RunGroupHealthIndicator health = context.getBean(RunGroupHealthIndicator.class);
              ActorsEndpoint endpoint = context.getBean(ActorsEndpoint.class);
              awaitState(endpoint, "migration", "done");

              Health opening = health.health();
              assertThat(opening.getStatus()).isEqualTo(Status.UNKNOWN);
              assertThat(actorDetails(opening, "migration"))
                  .containsExactly(Map.entry("state", "done"), Map.entry("ready", true));
              assertThat(actorDetails(opening, "storage"))
                  .containsExactly(Map.entry("state", "running"), Map.entry("ready", false));
              assertThat(actorDetails(opening, "consumer"))
                  .containsExactly(
                      Map.entry("state", "waiting"),
                      Map.entry("ready", false),
                      Map.entry("waitingFor", List.of("storage")));
              ActorDescriptor waiting = endpoint.actor("consumer");
              assertThat(waiting).isNotNull();
              assertThat(waiting.state()).isEqualTo("waiting");
              assertThat(waiting.ready()).isFalse();
              assertThat(waiting.after()).containsExactly("migration", "storage");
              assertThat(waiting.waitingFor()).containsExactly("storage");
              assertThat(waiting.thread()).isNull();
              ActorDescriptor done = endpoint.actor("migration");
              assertThat(done).isNotNull();
              assertThat(done.outcome()).isEqualTo("normal");
              assertThat(done.timeToReady()).isNotNull();

              storage.open.countDown();
              assertThat(context.getBean(ActorGroup.class).awaitReady(patience())).isTrue();
              assertThat(consumer.started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              Health ready = health.health();
              assertThat(ready.getStatus()).isEqualTo(Status.UP);
              assertThat(actorDetails(ready, "consumer"))
                  .containsExactly(Map.entry("state", "running"), Map.entry("ready", true));
              assertThat(endpoint.actors().actors())
                  .extracting(ActorDescriptor::name, ActorDescriptor::state, ActorDescriptor::ready)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple("migration", "done", true),
                      org.assertj.core.groups.Tuple.tuple("storage", "running", true),
                      org.assertj.core.groups.Tuple.tuple("consumer", "running", true));
              ActorDescriptor storageNow = endpoint.actor("storage");
              assertThat(storageNow).isNotNull();
              Duration timeToReady = Duration.parse(storageNow.timeToReady());
              assertThat(timeToReady).isGreaterThanOrEqualTo(Duration.parse(done.timeToReady()));
            });
  }

  @Test
  void anActorRestartingWithinItsBudgetKeepsHealthUpAndShowsItsRestarts() {
    Flaky flaky = new Flaky();
    Seen seen = new Seen();
    contextRunner
        .withBean("flaky", Flaky.class, () -> flaky)
        .withBean("seen", Seen.class, () -> seen)
        .run(
            context -> {
              ActorGroup group = context.getBean(ActorGroup.class);
              assertThat(group.awaitReady(patience())).isTrue();
              RunGroupHealthIndicator health = context.getBean(RunGroupHealthIndicator.class);
              ActorsEndpoint endpoint = context.getBean(ActorsEndpoint.class);
              seen.health = health;
              seen.endpoint = endpoint;
              flaky.fail.countDown();

              Health restarting = seen.atRestart.get(WAIT_SECONDS, TimeUnit.SECONDS);
              assertThat(restarting.getStatus()).isEqualTo(Status.UP);
              assertThat(actorDetails(restarting, "flaky"))
                  .containsEntry("state", "restarting")
                  .containsEntry("ready", false)
                  .containsEntry("restarts", 1)
                  .containsEntry(
                      "error",
                      Map.of(
                          "type",
                          "java.lang.IllegalStateException",
                          "message",
                          "connection reset"));
              ActorDescriptor described =
                  seen.describedAtRestart.get(WAIT_SECONDS, TimeUnit.SECONDS);
              assertThat(described.state()).isEqualTo("restarting");
              assertThat(described.restarts()).isOne();
              assertThat(described.outcome()).isNull();

              assertThat(flaky.secondRun.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
              Health again = health.health();
              assertThat(again.getStatus()).isEqualTo(Status.UP);
              assertThat(actorDetails(again, "flaky"))
                  .containsExactly(
                      Map.entry("state", "running"),
                      Map.entry("ready", true),
                      Map.entry("restarts", 1));
              ActorDescriptor running = endpoint.actor("flaky");
              assertThat(running).isNotNull();
              assertThat(running.restarts()).isOne();
              assertThat(running.error()).isNull();
            });
  }

  // ---------------------------------------------------------------------------------------------

  private static Duration patience() {
    return Duration.ofSeconds(WAIT_SECONDS);
  }

  private static void awaitState(ActorsEndpoint endpoint, String actor, String state) {
    org.awaitility.Awaitility.await()
        .atMost(patience())
        .until(
            () -> {
              ActorDescriptor descriptor = endpoint.actor(actor);
              return descriptor != null && descriptor.state().equals(state);
            });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> actorDetails(Health health, String actor) {
    Map<String, Object> actors = (Map<String, Object>) health.getDetails().get("actors");
    return (Map<String, Object>) actors.get(actor);
  }

  /** A one-shot actor that returns at once. */
  @Actor(oneShot = true)
  static final class Migration implements Interruptible {
    @Override
    public void execute() {}

    @Override
    public void interrupt(@Nullable Throwable cause) {}
  }

  /** Signals ready once the test opens it, then runs until interrupted. */
  @Actor(readiness = Readiness.SIGNALLED)
  static final class Storage implements Interruptible {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void execute() throws Exception {
      ActorContext context = ActorContext.current();
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

  /** Starts after the migration and the storage, then runs until interrupted. */
  @Actor(after = {"migration", "storage"})
  static final class Consumer implements Interruptible {
    final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public void execute() throws Exception {
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

  /**
   * Looks at the health and the endpoint when an actor restarts: a customizer after the states'
   * own, so its listener comes after theirs and sees what they recorded, while the actor is in its
   * backoff (the event comes before it).
   */
  @Order(RunGroupActorStates.ORDER + 1)
  static final class Seen implements RunGroupCustomizer {
    final CompletableFuture<Health> atRestart = new CompletableFuture<>();
    final CompletableFuture<ActorDescriptor> describedAtRestart = new CompletableFuture<>();
    volatile @Nullable RunGroupHealthIndicator health;
    volatile @Nullable ActorsEndpoint endpoint;

    @Override
    public void customize(dev.rungroup.Group.Builder builder) {
      builder.listener(
          new GroupListener() {
            @Override
            public void actorRestarting(
                String actor, @Nullable Throwable error, int restart, Duration delay) {
              RunGroupHealthIndicator indicator = health;
              ActorsEndpoint actors = endpoint;
              if (indicator != null && actors != null) {
                atRestart.complete(indicator.health());
                ActorDescriptor described = actors.actor(actor);
                if (described != null) {
                  describedAtRestart.complete(described);
                }
              }
            }
          });
    }
  }
}
