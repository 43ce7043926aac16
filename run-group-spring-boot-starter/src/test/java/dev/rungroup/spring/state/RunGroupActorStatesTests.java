package dev.rungroup.spring.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rungroup.ActorContext;
import dev.rungroup.ActorOptions;
import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.Readiness;
import dev.rungroup.RestartPolicy;
import dev.rungroup.TestThreads;
import dev.rungroup.spring.ActorGroup;
import dev.rungroup.spring.endpoint.ActorsEndpoint;
import dev.rungroup.spring.endpoint.ActorsEndpoint.ActorDescriptor;
import dev.rungroup.spring.health.RunGroupHealthIndicator;
import java.time.Duration;
import java.util.HashMap;
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
    assertThat(actorDetails(result, "worker"))
        .containsExactly(Map.entry("state", "running"), Map.entry("ready", true));
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
    assertThat(actorDetails(result, "worker"))
        .containsExactly(Map.entry("state", "returned"), Map.entry("ready", false));

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

  // --- actors with options ----------------------------------------------------------------------

  @Test
  void aWaitingActorNamesTheActorsItWaitsForAndHealthIsUnknownUntilTheGroupIsReady()
      throws Exception {
    CountDownLatch open = new CountDownLatch(1);
    Gate storage = new Gate();
    Gate consumer = new Gate();
    Group group =
        groupWithOptions(
            List.of("storage", "consumer"),
            Map.of(
                "storage", ActorOptions.defaults().readiness(Readiness.SIGNALLED),
                "consumer", ActorOptions.defaults().after("storage")));
    group.add(
        "storage",
        Interruptible.of(
            () -> {
              ActorContext context = ActorContext.current();
              TestThreads.await(open, WAIT_SECONDS);
              context.ready();
              storage.execute();
            },
            storage::interrupt),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));
    group.add(
        "consumer",
        Interruptible.of(consumer::execute, consumer::interrupt),
        ActorOptions.defaults().after("storage"));
    CompletableFuture<Exit> run = CompletableFuture.supplyAsync(group::run);
    try {
      await(() -> optionsStates().snapshot().state() == Group.State.RUNNING);
      Health waiting = optionsHealth().health();
      assertThat(waiting.getStatus()).isEqualTo(Status.UNKNOWN);
      assertThat(actorDetails(waiting, "consumer"))
          .containsExactly(
              Map.entry("state", "waiting"),
              Map.entry("ready", false),
              Map.entry("waitingFor", List.of("storage")));
      ActorDescriptor described = optionsEndpoint().actor("consumer");
      assertThat(described).isNotNull();
      assertThat(described.after()).containsExactly("storage");
      assertThat(described.waitingFor()).containsExactly("storage");
      assertThat(described.ready()).isFalse();

      open.countDown();
      consumer.awaitStarted();
      Health ready = optionsHealth().health();
      assertThat(ready.getStatus()).isEqualTo(Status.UP);
      assertThat(actorDetails(ready, "storage")).containsEntry("ready", true);
      assertThat(actorDetails(ready, "consumer"))
          .containsEntry("state", "running")
          .containsEntry("ready", true)
          .doesNotContainKey("waitingFor");
      ActorDescriptor storageNow = optionsEndpoint().actor("storage");
      assertThat(storageNow).isNotNull();
      assertThat(Duration.parse(storageNow.timeToReady()).isNegative()).isFalse();
    } finally {
      open.countDown();
      group.stop();
      run.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void aOneShotActorThatReturnedIsDoneReadyAndKeepsHealthUp() throws Exception {
    Gate worker = new Gate();
    Group group =
        groupWithOptions(
            List.of("migration", "worker"),
            Map.of(
                "migration", ActorOptions.defaults().oneShot(),
                "worker", ActorOptions.defaults().after("migration")));
    group.add(
        "migration", Interruptible.of(() -> {}, cause -> {}), ActorOptions.defaults().oneShot());
    group.add(
        "worker",
        Interruptible.of(worker::execute, worker::interrupt),
        ActorOptions.defaults().after("migration"));
    CompletableFuture<Exit> run = CompletableFuture.supplyAsync(group::run);
    try {
      worker.awaitStarted();
      Health health = optionsHealth().health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(actorDetails(health, "migration"))
          .containsExactly(Map.entry("state", "done"), Map.entry("ready", true));
      ActorDescriptor migration = optionsEndpoint().actor("migration");
      assertThat(migration).isNotNull();
      assertThat(migration.outcome()).isEqualTo("normal");
      assertThat(migration.firstToReturn()).isNull();
    } finally {
      group.stop();
      run.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void anActorInItsRestartBackoffIsRestartingNotReadyWithItsRestartsAndHealthStaysUp()
      throws Exception {
    Gate worker = new Gate();
    CountDownLatch fail = new CountDownLatch(1);
    CountDownLatch restarting = new CountDownLatch(1);
    ActorOptions supervised =
        ActorOptions.defaults()
            .restart(
                RestartPolicy.onFailure()
                    .backoff(Duration.ofMinutes(10), Duration.ofMinutes(10))
                    .jitter(0));
    Group group =
        groupWithOptions(
            List.of("flaky", "worker"),
            Map.of("flaky", supervised),
            new GroupListener() {
              @Override
              public void actorRestarting(
                  String actor, @Nullable Throwable error, int restart, Duration delay) {
                restarting.countDown();
              }
            });
    group.add(
        "flaky",
        () ->
            Interruptible.of(
                () -> {
                  TestThreads.await(fail, WAIT_SECONDS);
                  throw new IllegalStateException("connection reset");
                },
                cause -> {}),
        supervised);
    group.add("worker", worker::execute, worker::interrupt);
    CompletableFuture<Exit> run = CompletableFuture.supplyAsync(group::run);
    try {
      worker.awaitStarted();
      await(() -> optionsStates().snapshot().ready());
      fail.countDown();
      assertThat(restarting.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

      Health health = optionsHealth().health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(actorDetails(health, "flaky"))
          .containsEntry("state", "restarting")
          .containsEntry("ready", false)
          .containsEntry("restarts", 1)
          .containsEntry(
              "error",
              Map.of("type", "java.lang.IllegalStateException", "message", "connection reset"));
      ActorDescriptor flaky = optionsEndpoint().actor("flaky");
      assertThat(flaky).isNotNull();
      assertThat(flaky.state()).isEqualTo("restarting");
      assertThat(flaky.restarts()).isOne();
      assertThat(flaky.outcome()).isNull();

      group.stop(); // cancels the backoff
      run.get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(actorDetails(optionsHealth().health(), "flaky"))
          .containsEntry("state", "failed")
          .containsEntry("restarts", 1);
      assertThat(optionsHealth().health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    } finally {
      fail.countDown();
      group.stop();
    }
  }

  @Test
  void aFailureThatSpentItsRestartBudgetMakesHealthDown() throws Exception {
    ActorOptions supervised =
        ActorOptions.defaults()
            .restart(
                RestartPolicy.onFailure().maxRestarts(2).backoff(Duration.ZERO, Duration.ZERO));
    Gate worker = new Gate();
    Group group = groupWithOptions(List.of("flaky", "worker"), Map.of("flaky", supervised));
    group.add(
        "flaky",
        () ->
            Interruptible.of(
                () -> {
                  worker.awaitStarted();
                  throw new IllegalStateException("crash loop");
                },
                cause -> {}),
        supervised);
    group.add("worker", worker::execute, worker::interrupt);
    Exit exit = group.run();
    assertThat(exit.firstActor()).contains("flaky");

    Health health = optionsHealth().health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("firstActor", "flaky");
    assertThat(actorDetails(health, "flaky"))
        .containsEntry("state", "failed")
        .containsEntry("ready", false)
        .containsEntry("restarts", 2);
  }

  /**
   * Regression: a leader actor that failed just as its leadership was lost (the database went down
   * under both) stayed "restarting" for good, not "standby": its restart event, which the engine
   * sends after the return and the failed incarnation's interrupt, came after the loss had put it
   * on standby, and the restart it announced was then called off by the stop.
   */
  @Test
  void aLeaderActorsRestartAnnouncedAfterItsLeadershipWasLostLeavesItOnStandby() {
    assertThat(leaderStatesAfter(true)).isEqualTo(RunGroupActorStates.ActorState.STANDBY);
  }

  /** The same restart event while the leadership is held: the actor is restarting. */
  @Test
  void aLeaderActorsRestartWhileItsLeadershipIsHeldIsRestarting() {
    assertThat(leaderStatesAfter(false)).isEqualTo(RunGroupActorStates.ActorState.RESTARTING);
  }

  /**
   * The state of leader actor {@code billing} (restarted on failure) after it started, failed and
   * announced its restart; {@code lostBeforeTheRestartEvent} loses the leadership in between.
   */
  private static RunGroupActorStates.ActorState leaderStatesAfter(
      boolean lostBeforeTheRestartEvent) {
    Map<String, ActorOptions> options =
        Map.of("billing", ActorOptions.defaults().restart(RestartPolicy.onFailure()));
    RunGroupActorStates leaderStates =
        new RunGroupActorStates(
            new FixedActorGroup(List.of("ticker", "billing")),
            name -> options.getOrDefault(name, ActorOptions.defaults()),
            name -> "billing".equals(name) ? "billing" : null);
    leaderStates.customize(Group.builder()); // the application's run: its record
    GroupListener leaderActors = leaderStates.leaderActorEvents();
    IllegalStateException failure = new IllegalStateException("the database is down");

    leaderStates.leadershipGained("billing");
    leaderActors.actorStarted("billing", Thread.currentThread());
    leaderActors.actorReturned("billing", failure);
    if (lostBeforeTheRestartEvent) {
      leaderStates.leadershipLost("billing", true);
    }
    leaderActors.actorRestarting("billing", failure, 1, Duration.ofMillis(100));

    return leaderStates.snapshot().actors().stream()
        .filter(actor -> actor.name().equals("billing"))
        .findFirst()
        .orElseThrow()
        .state();
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

  private @Nullable RunGroupActorStates optionsStates;
  private @Nullable RunGroupHealthIndicator optionsHealth;
  private @Nullable ActorsEndpoint optionsEndpoint;

  /**
   * A group of the actors {@code names}, in order, some with options, and the states, health and
   * endpoint that follow it ({@link #optionsStates} and the others).
   */
  private Group groupWithOptions(
      List<String> names, Map<String, ActorOptions> options, GroupListener... listeners) {
    Map<String, ActorOptions> byName = new HashMap<>(options);
    RunGroupActorStates states =
        new RunGroupActorStates(
            new FixedActorGroup(names), name -> byName.getOrDefault(name, ActorOptions.defaults()));
    optionsStates = states;
    optionsHealth = new RunGroupHealthIndicator(states);
    optionsEndpoint = new ActorsEndpoint(states);
    Group.Builder builder =
        Group.builder().stopTimeout(Duration.ofSeconds(10)).stopGrace(Duration.ofMillis(50));
    states.customize(builder);
    for (GroupListener listener : listeners) {
      builder.listener(listener); // after the states' listener: it sees what they recorded
    }
    return builder.build();
  }

  private RunGroupActorStates optionsStates() {
    return java.util.Objects.requireNonNull(optionsStates, "no group with options yet");
  }

  private RunGroupHealthIndicator optionsHealth() {
    return java.util.Objects.requireNonNull(optionsHealth, "no group with options yet");
  }

  private ActorsEndpoint optionsEndpoint() {
    return java.util.Objects.requireNonNull(optionsEndpoint, "no group with options yet");
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(condition::getAsBoolean);
  }

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
}
