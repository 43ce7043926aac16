package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ActorContext}: on an actor's own thread only (not before, not after, not on another), for
 * plain and managed actors; its name, restarts, stopping and text.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ActorContextTest {

  @Test
  void offAnActorsThreadThereIsNone() {
    assertThatThrownBy(ActorContext::current)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'" + Thread.currentThread().getName() + "'")
        .hasMessageContaining("not the thread of an actor");
  }

  @Test
  void aPlainActorsContextIsOneObjectThatStopsOnlyWithTheGroup() throws Exception {
    List<Object> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean stoppingWhileRunning = new AtomicBoolean(true);
    AtomicBoolean stoppingAfterInterrupt = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    CountDownLatch read = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "plain",
        () -> {
          ActorContext context = ActorContext.current();
          seen.add(context);
          seen.add(ActorContext.current());
          seen.add(context.name());
          seen.add(context.restarts());
          seen.add(context.toString());
          context.ready(); // no effect: a plain actor is ready as it begins
          stoppingWhileRunning.set(context.isStopping());
          read.countDown();
          TestThreads.await(done, 20);
          stoppingAfterInterrupt.set(context.isStopping());
        },
        c -> done.countDown());
    group.add("stopper", () -> TestThreads.await(read, 10), c -> {});

    Exit exit = group.run();

    assertThat(seen.get(0)).as("the same object, looked up once").isSameAs(seen.get(1));
    assertThat(seen.subList(2, 5)).containsExactly("plain", 0, "ActorContext[plain, restarts=0]");
    assertThat(stoppingWhileRunning).as("not stopping while the group runs").isFalse();
    assertThat(stoppingAfterInterrupt).isTrue();
    assertThat(exit.allStopped()).isTrue();
  }

  @Test
  void anUnsupervisedIncarnationInterruptedByItsStartupTimeoutIsStoppingWithItsGroup() {
    AtomicBoolean before = new AtomicBoolean(true);
    AtomicBoolean after = new AtomicBoolean();
    AtomicReference<Group.@Nullable State> stateAfter = new AtomicReference<>();
    AtomicInteger restarts = new AtomicInteger(-1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Group group = new Group();
    group.add(
        "late",
        Interruptible.of(
            () -> {
              ActorContext context = ActorContext.current();
              before.set(context.isStopping());
              restarts.set(context.restarts());
              TestThreads.await(interrupted, 20);
              after.set(context.isStopping());
              stateAfter.set(group.state());
            },
            c -> interrupted.countDown()),
        ActorOptions.defaults()
            .readiness(Readiness.SIGNALLED)
            .startupTimeout(Duration.ofMillis(30)));

    Exit exit = group.run();

    assertThat(before).isFalse();
    assertThat(after).as("its incarnation was interrupted").isTrue();
    assertThat(stateAfter.get())
        .as("without a restart policy the timeout stops the group")
        .isEqualTo(Group.State.STOPPING);
    assertThat(restarts).hasValue(0);
    assertThat(exit.error()).isInstanceOf(StartupTimeoutException.class);
  }

  @Test
  void aSupervisedActorsContextCountsItsRestarts() {
    List<Integer> restarts = new CopyOnWriteArrayList<>();
    List<String> texts = new CopyOnWriteArrayList<>();
    AtomicInteger gets = new AtomicInteger();
    Group group = new Group();
    group.add(
        "worker",
        () -> {
          int n = gets.getAndIncrement();
          return Interruptible.of(
              () -> {
                ActorContext context = ActorContext.current();
                restarts.add(context.restarts());
                texts.add(context.toString());
                if (n < 2) {
                  throw new IllegalStateException("again");
                }
              },
              c -> {});
        },
        ActorOptions.defaults()
            .restart(RestartPolicy.onFailure().backoff(Duration.ZERO, Duration.ZERO).jitter(0)));

    Exit exit = group.run();

    assertThat(restarts).containsExactly(0, 1, 2);
    assertThat(texts).last().isEqualTo("ActorContext[worker, restarts=2]");
    assertThat(exit.actors().get(0).restarts()).isEqualTo(2);
  }

  @Test
  void onceTheActorAndItsGroupEndedItsThreadHasNoContext() throws Exception {
    CountDownLatch groupEnded = new CountDownLatch(1);
    AtomicReference<@Nullable Throwable> afterwards = new AtomicReference<>();
    CountDownLatch checked = new CountDownLatch(1);
    ThreadFactory factory =
        r -> {
          Thread t =
              new Thread(
                  () -> {
                    r.run();
                    if (!TestThreads.isActorTask(r)) {
                      return; // the stopper's thread
                    }
                    // the same thread, once the actor's part ended and run() returned
                    try {
                      TestThreads.awaitUninterruptibly(groupEnded, 20);
                      ActorContext.current();
                    } catch (Throwable e) {
                      afterwards.set(e);
                    } finally {
                      checked.countDown();
                    }
                  },
                  "");
          t.setDaemon(true);
          return t;
        };
    // run() waits for the actor's thread only until the stop timeout: the wrapper goes on after
    Group group =
        Group.builder()
            .threadFactory(factory)
            .stopTimeout(Duration.ofMillis(50))
            .stopGrace(Duration.ZERO)
            .build();
    group.add(
        "managed",
        Interruptible.of(() -> ActorContext.current().name(), c -> {}),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));

    Exit exit = group.run();
    groupEnded.countDown();
    TestThreads.await(checked, 20);

    assertThat(exit.allStopped()).as("the actor's part ended").isTrue();
    assertThat(afterwards.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not the thread of an actor of a running group");
  }
}
