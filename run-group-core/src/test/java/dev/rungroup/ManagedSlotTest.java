package dev.rungroup;

import static dev.rungroup.TestThreads.awaitUpTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's path for actors with options ({@link ManagedSlot}): restarts and their delay, a stop
 * during the delay, suppliers, an incarnation got while the group stops, one-shot actors,
 * dependencies counted and woken, a restart making an actor unready, threads.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ManagedSlotTest {

  private static ActorOptions onFailure(Duration backoff) {
    return ActorOptions.defaults()
        .restart(RestartPolicy.onFailure().backoff(backoff, backoff).jitter(0));
  }

  /** An incarnation that waits for its interrupt, counting what happens to it. */
  static class Waiting implements Interruptible {
    final CountDownLatch interrupted = new CountDownLatch(1);
    final AtomicInteger executes = new AtomicInteger();
    final AtomicInteger interrupts = new AtomicInteger();
    final AtomicReference<@Nullable Throwable> cause = new AtomicReference<>();

    @Override
    public void execute() throws Exception {
      executes.incrementAndGet();
      TestThreads.await(interrupted, 20);
    }

    @Override
    public void interrupt(@Nullable Throwable c) {
      cause.set(c);
      interrupts.incrementAndGet();
      interrupted.countDown();
    }
  }

  /**
   * Adds a {@code SIGNALLED} actor that publishes its context, counts {@code began} down and waits
   * in {@code w} for its interrupt; the test signals it ready through the context.
   */
  private static void addSignalled(
      Group group,
      String name,
      Waiting w,
      AtomicReference<@Nullable ActorContext> context,
      CountDownLatch began) {
    group.add(
        name,
        Interruptible.of(
            () -> {
              context.set(ActorContext.current());
              began.countDown();
              w.execute();
            },
            w::interrupt),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));
  }

  @Test
  void aRestartWaitsOutItsDelay() {
    AtomicLong failedAt = new AtomicLong();
    AtomicLong restartedAt = new AtomicLong();
    List<Duration> delays = new CopyOnWriteArrayList<>();
    AtomicInteger gets = new AtomicInteger();
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorRestarting(
                      String actor, @Nullable Throwable error, int restart, Duration delay) {
                    delays.add(delay);
                  }
                })
            .build();
    group.add(
        "worker",
        () -> {
          int n = gets.getAndIncrement();
          return Interruptible.of(
              () -> {
                if (n == 0) {
                  failedAt.set(System.nanoTime());
                  throw new IllegalStateException("first");
                }
                restartedAt.set(System.nanoTime());
              },
              c -> {});
        },
        onFailure(Duration.ofMillis(200)));

    Exit exit = group.run();

    assertThat(delays).containsExactly(Duration.ofMillis(200));
    assertThat(TimeUnit.NANOSECONDS.toMillis(restartedAt.get() - failedAt.get()))
        .as("waited out the delay")
        .isGreaterThanOrEqualTo(190);
    assertThat(exit.actors().get(0).restarts()).isEqualTo(1);
    assertThat(exit.firstActor()).as("a normal return under onFailure stops").hasValue("worker");
    assertThat(exit.error()).isNull();
  }

  @Test
  void aStopDuringTheDelayCancelsItAndStartsNothingMore() throws Exception {
    CountDownLatch restarting = new CountDownLatch(1);
    AtomicInteger gets = new AtomicInteger();
    Group group =
        Group.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorRestarting(
                      String actor, @Nullable Throwable error, int restart, Duration delay) {
                    restarting.countDown();
                  }
                })
            .build();
    group.add(
        "worker",
        () -> {
          gets.incrementAndGet();
          return Interruptible.of(
              () -> {
                throw new IllegalStateException("fails");
              },
              c -> {});
        },
        onFailure(Duration.ofSeconds(60)));
    AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    Thread runner = new Thread(() -> exit.set(group.run()));
    runner.start();
    TestThreads.await(restarting, 10);
    long stopped = System.nanoTime();
    group.stop();
    runner.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(runner.isAlive()).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)).isLessThan(5_000);
    assertThat(gets).as("no incarnation after the stop").hasValue(1);
    Exit e = exit.get();
    assertThat(e).isNotNull();
    assertThat(e.actors().get(0).restarts()).isEqualTo(1);
    assertThat(e.actors().get(0).stopped()).isTrue();
  }

  @Test
  void anIncarnationGotWhileTheGroupBeginsToStopNeverRunsAndIsInterruptedOnce() {
    IllegalStateException cause = new IllegalStateException("stop");
    List<Waiting> got = new CopyOnWriteArrayList<>();
    Group group = new Group();
    group.add(
        "worker",
        () -> {
          if (got.isEmpty()) {
            Waiting first =
                new Waiting() {
                  @Override
                  public void execute() {
                    executes.incrementAndGet();
                    throw new IllegalStateException("the first fails");
                  }
                };
            got.add(first);
            return first;
          }
          group.stop(cause); // the group begins to stop while this incarnation is got
          Waiting second = new Waiting();
          got.add(second);
          return second;
        },
        onFailure(Duration.ZERO));

    Exit exit = group.run();

    assertThat(got).hasSize(2);
    Waiting second = got.get(1);
    assertThat(second.executes).as("never executes").hasValue(0);
    assertThat(second.interrupts).as("interrupted exactly once").hasValue(1);
    assertThat(second.cause.get()).as("with the group's cause").isSameAs(cause);
    assertThat(exit.error()).isSameAs(cause);
    assertThat(exit.actors().get(0).restarts()).isEqualTo(1);
    assertThat(exit.actors().get(0).interruptCompleted()).isTrue();
  }

  @Test
  void aSupplierThatThrowsOrReturnsNullFailsThatIncarnation() {
    IllegalStateException thrown = new IllegalStateException("cannot make one");
    Group group = new Group();
    group.add(
        "throws",
        () -> {
          throw thrown;
        },
        ActorOptions.defaults());
    Exit exit = group.run();
    assertThat(exit.error()).isSameAs(thrown);
    assertThat(exit.actors().get(0).error()).isSameAs(thrown);
    assertThat(exit.actors().get(0).started()).as("no execute ran").isFalse();
    assertThat(exit.actors().get(0).interruptCompleted()).as("nothing to interrupt").isFalse();

    Group nulls = new Group();
    nulls.add("nothing", () -> null, ActorOptions.defaults());
    Exit e = nulls.run();
    assertThat(e.error())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("'nothing'")
        .hasMessageContaining("returned null");
  }

  @Test
  void aOneShotActorsNormalReturnReleasesItsDependentsAndTheGroupGoesOn() throws Exception {
    AtomicInteger gets = new AtomicInteger();
    Waiting app = new Waiting();
    CountDownLatch appStarted = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "migrate",
        () -> {
          gets.incrementAndGet();
          return Interruptible.of(() -> {}, c -> {});
        },
        ActorOptions.defaults().oneShot());
    group.add(
        "app",
        Interruptible.of(
            () -> {
              appStarted.countDown();
              app.execute();
            },
            app::interrupt),
        ActorOptions.defaults().after("migrate"));
    AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    Thread runner = new Thread(() -> exit.set(group.run()));
    runner.start();
    TestThreads.await(appStarted, 10);
    assertThat(group.awaitReady(Duration.ofSeconds(10))).isTrue();
    assertThat(group.state()).as("the group goes on").isEqualTo(Group.State.RUNNING);
    group.stop();
    runner.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(gets).as("one incarnation, not restarted").hasValue(1);
    Exit e = exit.get();
    assertThat(e).isNotNull();
    assertThat(e.actors().get(0).error()).isNull();
    assertThat(e.actors().get(0).stopped()).isTrue();
    assertThat(e.firstActor()).as("stopped from outside").isEmpty();
    assertThat(app.interrupts).hasValue(1);
  }

  @Test
  void aDependentStartsOnlyOnceEveryDependencyIsReady() throws Exception {
    Map<String, AtomicReference<@Nullable ActorContext>> contexts = new HashMap<>();
    CountDownLatch bothBegan = new CountDownLatch(2);
    CountDownLatch cStarted = new CountDownLatch(1);
    AtomicBoolean bSignalled = new AtomicBoolean();
    AtomicBoolean startedEarly = new AtomicBoolean();
    Group group = new Group();
    for (String name : List.of("a", "b")) {
      AtomicReference<@Nullable ActorContext> context = new AtomicReference<>();
      contexts.put(name, context);
      Waiting w = new Waiting();
      group.add(
          name,
          Interruptible.of(
              () -> {
                context.set(ActorContext.current());
                bothBegan.countDown();
                w.execute();
              },
              w::interrupt),
          ActorOptions.defaults().readiness(Readiness.SIGNALLED));
    }
    Waiting c = new Waiting();
    group.add(
        "c",
        Interruptible.of(
            () -> {
              startedEarly.set(!bSignalled.get());
              cStarted.countDown();
              c.execute();
            },
            c::interrupt),
        ActorOptions.defaults().after("a", "b"));
    AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    Thread runner = new Thread(() -> exit.set(group.run()));
    runner.start();
    TestThreads.await(bothBegan, 10);
    contexts.get("a").get().ready();
    assertThat(awaitUpTo(cStarted, 1)).as("c waits for b too").isFalse();
    bSignalled.set(true);
    contexts.get("b").get().ready();
    assertThat(awaitUpTo(cStarted, 10)).as("c starts once b is ready").isTrue();
    assertThat(group.awaitReady(Duration.ofSeconds(10))).isTrue();
    group.stop();
    runner.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(startedEarly).isFalse();
    assertThat(exit.get()).isNotNull();
    assertThat(exit.get().allStopped()).isTrue();
  }

  @Test
  void aRestartedActorIsNotReadyUntilItsNextIncarnationIsAndItsWaitingDependentsWaitAgain()
      throws Exception {
    List<AtomicReference<@Nullable ActorContext>> dbContexts = new CopyOnWriteArrayList<>();
    List<CountDownLatch> dbBegan = List.of(new CountDownLatch(1), new CountDownLatch(1));
    CountDownLatch failFirst = new CountDownLatch(1);
    AtomicReference<@Nullable ActorContext> gateContext = new AtomicReference<>();
    CountDownLatch gateBegan = new CountDownLatch(1);
    CountDownLatch webStarted = new CountDownLatch(1);
    AtomicBoolean secondSignalled = new AtomicBoolean();
    AtomicBoolean webEarly = new AtomicBoolean();
    Group group = new Group();
    group.add(
        "db",
        () -> {
          int n = dbContexts.size();
          AtomicReference<@Nullable ActorContext> context = new AtomicReference<>();
          dbContexts.add(context);
          Waiting w = new Waiting();
          return Interruptible.of(
              () -> {
                context.set(ActorContext.current());
                dbBegan.get(Math.min(n, 1)).countDown();
                if (n == 0) {
                  TestThreads.await(failFirst, 10);
                  throw new IllegalStateException("db's first incarnation fails");
                }
                w.execute();
              },
              w::interrupt);
        },
        ActorOptions.defaults()
            .readiness(Readiness.SIGNALLED)
            .restart(onFailure(Duration.ZERO).restart()));
    Waiting gate = new Waiting();
    addSignalled(group, "gate", gate, gateContext, gateBegan);
    Waiting web = new Waiting();
    group.add(
        "web",
        Interruptible.of(
            () -> {
              webEarly.set(!secondSignalled.get());
              webStarted.countDown();
              web.execute();
            },
            web::interrupt),
        ActorOptions.defaults().after("db", "gate"));
    AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    Thread runner = new Thread(() -> exit.set(group.run()));
    runner.start();
    TestThreads.await(dbBegan.get(0), 10);
    TestThreads.await(gateBegan, 10);
    dbContexts.get(0).get().ready(); // web now waits for gate only
    failFirst.countDown(); // db restarts: unready, web waits for it again
    TestThreads.await(dbBegan.get(1), 10);
    gateContext.get().ready();
    assertThat(awaitUpTo(webStarted, 1)).as("web waits for db's next incarnation").isFalse();
    assertThat(group.isReady()).as("db is not ready again yet").isFalse();
    secondSignalled.set(true);
    dbContexts.get(1).get().ready();
    assertThat(awaitUpTo(webStarted, 10)).isTrue();
    assertThat(group.awaitReady(Duration.ofSeconds(10))).isTrue();
    group.stop();
    runner.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(webEarly).isFalse();
    assertThat(exit.get()).isNotNull();
    assertThat(exit.get().actors().get(0).restarts()).isEqualTo(1);
  }

  @Test
  void aDependentsThreadIsStartedOnlyOnceItsDependenciesAreReadyAndKeepsAnInterruptFlagSetBefore()
      throws Exception {
    List<Thread> made = new CopyOnWriteArrayList<>();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "");
          t.setDaemon(true);
          made.add(t);
          return t;
        };
    AtomicReference<@Nullable ActorContext> dbContext = new AtomicReference<>();
    CountDownLatch dbBegan = new CountDownLatch(1);
    AtomicBoolean flagSeen = new AtomicBoolean();
    CountDownLatch webStarted = new CountDownLatch(1);
    Group group = Group.builder().threadFactory(factory).build();
    Waiting db = new Waiting();
    addSignalled(group, "db", db, dbContext, dbBegan);
    CountDownLatch webStop = new CountDownLatch(1);
    group.add(
        "web",
        Interruptible.of(
            () -> {
              flagSeen.set(Thread.currentThread().isInterrupted());
              Thread.interrupted();
              webStarted.countDown();
              TestThreads.await(webStop, 20);
            },
            c -> webStop.countDown()),
        ActorOptions.defaults().after("db"));
    AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    Thread runner = new Thread(() -> exit.set(group.run()));
    runner.start();
    TestThreads.await(dbBegan, 10);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> made.size() >= 2); // db, web (and the stopper)
    Thread web = made.get(1);
    assertThat(web.getState())
        .as("web's thread is made by the start loop but not started while db is not ready")
        .isEqualTo(Thread.State.NEW);
    web.interrupt(); // not the group's: the actor must see it
    dbContext.get().ready();
    TestThreads.await(webStarted, 10);
    group.stop();
    runner.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(flagSeen).as("the interrupt flag was kept for the actor").isTrue();
    assertThat(web.getName()).as("an unnamed thread is named after its actor").isEqualTo("web");
    assertThat(exit.get()).isNotNull();
    assertThat(exit.get().actors()).allSatisfy(o -> assertThat(o.stopped()).isTrue());
  }

  @Test
  void aDependentsThreadThatFailsToStartOnceItsDependencyIsReadyFailsTheActorAndStopsTheGroup()
      throws Exception {
    OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread");
    AtomicInteger made = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          if (made.incrementAndGet() == 1) {
            return new Thread(r, "db");
          }
          return new Thread(r, "web") {
            @Override
            public synchronized void start() {
              throw noThread;
            }
          };
        };
    AtomicReference<@Nullable ActorContext> dbContext = new AtomicReference<>();
    CountDownLatch dbBegan = new CountDownLatch(1);
    Group group = Group.builder().threadFactory(factory).build();
    Waiting db = new Waiting();
    addSignalled(group, "db", db, dbContext, dbBegan);
    AtomicBoolean webRan = new AtomicBoolean();
    group.add(
        "web",
        Interruptible.of(() -> webRan.set(true), c -> {}),
        ActorOptions.defaults().after("db"));
    AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    Thread runner = new Thread(() -> exit.set(group.run()));
    runner.start();
    TestThreads.await(dbBegan, 10);
    assertThat(group.state())
        .as("web is not started before db is ready")
        .isEqualTo(Group.State.RUNNING);
    dbContext.get().ready(); // db's thread starts web's, which fails
    runner.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(runner.isAlive()).as("run() returned").isFalse();
    Exit e = exit.get();
    assertThat(e).isNotNull();
    assertThat(e.error()).isSameAs(noThread);
    assertThat(e.firstActor()).contains("web");
    Exit.Outcome webOutcome = e.actors().get(1);
    assertThat(webOutcome.started()).isFalse();
    assertThat(webOutcome.stopped()).isTrue();
    assertThat(webOutcome.error()).isSameAs(noThread);
    assertThat(webRan).isFalse();
    assertThat(db.interrupts.get()).isEqualTo(1);
  }

  @Test
  void noThreadOfASupervisedActorEndsWithAnUncaughtException() throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    List<Thread> made = new CopyOnWriteArrayList<>();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "");
          t.setDaemon(true);
          t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
          made.add(t);
          return t;
        };
    AtomicInteger gets = new AtomicInteger();
    Group group = Group.builder().threadFactory(factory).build();
    group.add(
        "supervised",
        () -> {
          int n = gets.getAndIncrement();
          return Interruptible.of(
              () -> {
                if (n == 0) {
                  throw new IllegalStateException("restart me");
                }
              },
              c -> {});
        },
        onFailure(Duration.ZERO));

    Exit exit = group.run();

    for (Thread t : made) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertThat(uncaught).isEmpty();
    assertThat(exit.actors().get(0).restarts()).isEqualTo(1);
    assertThat(made).extracting(Thread::getName).containsExactly("supervised");
  }
}
