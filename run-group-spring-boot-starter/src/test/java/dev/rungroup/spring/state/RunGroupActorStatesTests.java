package dev.rungroup.spring.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.TestThreads;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.endpoint.ActorsEndpoint;
import dev.rungroup.spring.endpoint.ActorsEndpoint.ActorDescriptor;
import dev.rungroup.spring.health.RunGroupHealthIndicator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health contributor and the endpoint over real groups, without a Spring context: every state
 * of a run, including the ends that close a real application (an actor failed or returned), which
 * an HTTP test cannot hold still.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RunGroupActorStatesTests {

  private static final long WAIT_SECONDS = 20;

  private final FixedActorGroup actorGroup = new FixedActorGroup(List.of("server", "worker"));
  private final RunGroupActorStates states = new RunGroupActorStates(actorGroup);
  private final RunGroupHealthIndicator health = new RunGroupHealthIndicator(states);
  private final ActorsEndpoint endpoint = new ActorsEndpoint(states);

  @Test
  void beforeTheFirstRunHealthIsUnknownAndEveryActorIsNew() {
    Health result = health.health();
    assertThat(result.getStatus()).isEqualTo(Status.UNKNOWN);
    assertThat(result.getDetails()).containsEntry("state", "NEW");
    assertThat(actorDetails(result, "server")).containsEntry("state", "new");
    assertThat(endpoint.actors().actors())
        .extracting(ActorDescriptor::name, ActorDescriptor::state, ActorDescriptor::thread)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("server", "new", null),
            org.assertj.core.groups.Tuple.tuple("worker", "new", null));
  }

  @Test
  void contextWithoutActorsReportsUnknown() {
    RunGroupActorStates none = new RunGroupActorStates(new FixedActorGroup(List.of()));
    assertThat(new RunGroupHealthIndicator(none).health().getStatus()).isEqualTo(Status.UNKNOWN);
    assertThat(new ActorsEndpoint(none).actors().actors()).isEmpty();
  }

  @Test
  void whileEveryActorRunsHealthIsUpAndTheEndpointShowsThreadsAndTimes() throws Exception {
    Gate server = new Gate();
    Gate worker = new Gate();
    Group group = group(Duration.ofSeconds(10));
    group.add("server", server::execute, server::interrupt);
    group.add("worker", worker::execute, worker::interrupt);
    CompletableFuture<Exit> run = CompletableFuture.supplyAsync(group::run);
    server.awaitStarted();
    worker.awaitStarted();

    Health result = health.health();
    assertThat(result.getStatus()).isEqualTo(Status.UP);
    assertThat(result.getDetails()).containsEntry("state", "RUNNING").doesNotContainKey("cause");
    assertThat(actorDetails(result, "worker")).containsExactly(Map.entry("state", "running"));
    ActorDescriptor descriptor = endpoint.actor("server");
    assertThat(descriptor).isNotNull();
    assertThat(descriptor.state()).isEqualTo("running");
    assertThat(descriptor.thread()).isEqualTo("server");
    assertThat(descriptor.threadKind()).isEqualTo("platform");
    assertThat(descriptor.startTime()).isNotNull();
    assertThat(Duration.parse(descriptor.runningTime()).isNegative()).isFalse();
    assertThat(descriptor.outcome()).isNull();
    assertThat(endpoint.actor("nobody")).isNull();

    group.stop();
    run.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void anActorFailingFirstMakesHealthDownWithItsExceptionInTheDetails() throws Exception {
    Gate worker = new Gate();
    Group group = group(Duration.ofSeconds(10));
    group.add(
        "server",
        () -> {
          worker.awaitStarted(); // else the worker may be "not-started"
          throw new IllegalStateException("port 8080 in use");
        },
        cause -> {});
    group.add("worker", worker::execute, worker::interrupt);
    group.run();

    Health result = health.health();
    assertThat(result.getStatus()).isEqualTo(Status.DOWN);
    assertThat(result.getDetails())
        .containsEntry("state", "STOPPED")
        .containsEntry("firstActor", "server")
        .containsEntry(
            "cause",
            Map.of("type", "java.lang.IllegalStateException", "message", "port 8080 in use"));
    assertThat(actorDetails(result, "server"))
        .containsEntry("state", "failed")
        .containsEntry(
            "error",
            Map.of("type", "java.lang.IllegalStateException", "message", "port 8080 in use"));
    assertThat(actorDetails(result, "worker")).containsExactly(Map.entry("state", "returned"));

    ActorDescriptor server = endpoint.actor("server");
    assertThat(server).isNotNull();
    assertThat(server.outcome()).isEqualTo("failed");
    assertThat(server.firstToReturn()).isTrue();
    assertThat(server.error()).containsEntry("message", "port 8080 in use");
    ActorDescriptor returned = endpoint.actor("worker");
    assertThat(returned).isNotNull();
    assertThat(returned.outcome()).isEqualTo("normal");
    assertThat(returned.firstToReturn()).isNull();
  }

  @Test
  void aNormalReturnOrAStopFromOutsideLeavesHealthOutOfServiceNotDown() throws Exception {
    Group returning = group(Duration.ofSeconds(10));
    returning.add("server", () -> {}, cause -> {});
    Gate worker = new Gate();
    returning.add("worker", worker::execute, worker::interrupt);
    returning.run();
    assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

    Group stopped = group(Duration.ofSeconds(10));
    Gate server = new Gate();
    Gate other = new Gate();
    stopped.add("server", server::execute, server::interrupt);
    stopped.add("worker", other::execute, other::interrupt);
    CompletableFuture<Exit> run = CompletableFuture.supplyAsync(stopped::run);
    server.awaitStarted();
    stopped.stop(new IllegalStateException("maintenance"));
    run.get(WAIT_SECONDS, TimeUnit.SECONDS);

    Health result = health.health();
    assertThat(result.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(result.getDetails()).doesNotContainKey("firstActor").containsKey("cause");
  }

  @Test
  void whileTheGroupStopsHealthIsOutOfServiceAndRunningActorsAreStopping() throws Exception {
    Gate server = new Gate();
    CountDownLatch inInterrupt = new CountDownLatch(1);
    CountDownLatch leaveInterrupt = new CountDownLatch(1);
    Group group = group(Duration.ofSeconds(10));
    group.add(
        "server",
        server::execute,
        cause -> {
          inInterrupt.countDown();
          // holds the group in STOPPING
          TestThreads.awaitUninterruptibly(leaveInterrupt, WAIT_SECONDS);
          server.interrupt(cause);
        });
    group.add("worker", server::awaitStarted, cause -> {});
    try {
      CompletableFuture<Exit> run = CompletableFuture.supplyAsync(group::run);
      assertThat(inInterrupt.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      Health stopping = health.health();
      assertThat(stopping.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat(stopping.getDetails())
          .containsEntry("state", "STOPPING")
          .containsEntry("firstActor", "worker");
      assertThat(actorDetails(stopping, "server")).containsEntry("state", "stopping");
      assertThat(actorDetails(stopping, "worker")).containsEntry("state", "returned");
      leaveInterrupt.countDown();
      run.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      leaveInterrupt.countDown();
    }
  }

  @Test
  void anActorOutlivingTheStopTimeoutIsReportedNotStoppedInTime() throws Exception {
    CountDownLatch serverStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Group group = group(Duration.ofMillis(50));
    group.add(
        "server",
        () -> {
          serverStarted.countDown();
          // ignores interrupts: outlives the stop timeout
          TestThreads.awaitUninterruptibly(release, WAIT_SECONDS);
        },
        cause -> {});
    group.add(
        "worker", () -> TestThreads.awaitUninterruptibly(serverStarted, WAIT_SECONDS), cause -> {});
    try {
      Exit exit = group.run();
      assertThat(exit.allStopped()).isFalse();
      assertThat(actorDetails(health.health(), "server"))
          .containsEntry("state", "not-stopped-in-time");
      ActorDescriptor server = endpoint.actor("server");
      assertThat(server).isNotNull();
      assertThat(server.state()).isEqualTo("not-stopped-in-time");
      assertThat(server.outcome()).isNull();
    } finally {
      release.countDown();
    }
  }

  @Test
  void aNewRunStartsAFreshRecord() throws Exception {
    Gate first = new Gate();
    Group failed = group(Duration.ofSeconds(10));
    failed.add(
        "server",
        () -> {
          throw new IllegalStateException("first run");
        },
        cause -> {});
    failed.add("worker", first::execute, first::interrupt);
    failed.run();
    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

    Gate server = new Gate();
    Gate worker = new Gate();
    Group again = group(Duration.ofSeconds(10)); // as the starter does on stop() then start()
    again.add("server", server::execute, server::interrupt);
    again.add("worker", worker::execute, worker::interrupt);
    CompletableFuture<Exit> run = CompletableFuture.supplyAsync(again::run);
    server.awaitStarted();
    worker.awaitStarted();
    Health result = health.health();
    assertThat(result.getStatus()).isEqualTo(Status.UP);
    assertThat(result.getDetails()).doesNotContainKeys("firstActor", "cause");
    again.stop();
    run.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void threadKindNamesPlatformAndVirtualThreads() throws Exception {
    assertThat(RunGroupActorStates.threadKind(Thread.currentThread())).isEqualTo("platform");
    Optional<Thread> virtual = virtualThread();
    if (virtual.isPresent()) {
      assertThat(RunGroupActorStates.threadKind(virtual.get())).isEqualTo("virtual");
    }
  }

  // ---------------------------------------------------------------------------------------------

  private Group group(Duration stopTimeout) {
    Group.Builder builder =
        Group.builder().stopTimeout(stopTimeout).stopGrace(Duration.ofMillis(50));
    states.customize(builder);
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> actorDetails(Health health, String actor) {
    Map<String, Object> actors = (Map<String, Object>) health.getDetails().get("actors");
    return (Map<String, Object>) actors.get(actor);
  }

  /** A virtual thread on Java 21+ (not started), else empty. */
  private static Optional<Thread> virtualThread() throws ReflectiveOperationException {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> type = Class.forName("java.lang.Thread$Builder");
      return Optional.of(
          (Thread)
              type.getMethod("unstarted", Runnable.class).invoke(builder, (Runnable) () -> {}));
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    }
  }

  /** An actor that runs until interrupted. */
  private static final class Gate {
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stop = new CountDownLatch(1);

    void execute() throws InterruptedException {
      started.countDown();
      if (!stop.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never interrupted");
      }
    }

    void interrupt(@Nullable Throwable cause) {
      stop.countDown();
    }

    void awaitStarted() throws InterruptedException {
      assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * An {@link ActorGroup} that only knows its actors' names; its runs (driven by the tests) count
   * as ended as soon as their groups have stopped.
   */
  private record FixedActorGroup(List<String> actorNames) implements ActorGroup {
    @Override
    public Group.State state() {
      return Group.State.STOPPED;
    }

    @Override
    public Optional<Exit> exit() {
      return Optional.empty();
    }

    @Override
    public void stop(@Nullable Throwable cause) {}
  }
}
