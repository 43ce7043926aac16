package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression tests for the order of the readiness events: a listener must see an actor's {@code
 * actorReady} before anything that its readiness lets happen (its dependents starting, the group
 * becoming ready).
 *
 * <p>Each test holds a listener call for up to {@link #HOLD_MS} waiting for an event that must not
 * come before the call returns: with the bug it comes, and the recorded order is wrong; without it
 * the wait runs out and the run goes on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadinessEventsRegressionTest {

  /** How long a listener call waits for an event that must not come during it. */
  private static final long HOLD_MS = 1_000;

  /**
   * Covers a bug where an actor added with options was made ready for its dependents before its
   * {@code actorReady} was called: a listener could see an actor that starts after it begin ({@code
   * actorStarted}) before that actor's {@code actorReady}.
   */
  @Test
  void aDependentStartsOnlyAfterItsDependencysActorReady() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch dependentStarted = new CountDownLatch(1);
    Group group =
        TestThreads.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorStarted(String actor, Thread thread) {
                    if (actor.equals("web")) {
                      dependentStarted.countDown();
                    }
                    events.add("started " + actor);
                  }

                  @Override
                  public void actorReady(String actor) {
                    if (actor.equals("storage")) {
                      await(dependentStarted);
                    }
                    events.add("ready " + actor);
                  }
                })
            .build();
    CountDownLatch storageStop = new CountDownLatch(1);
    group.add(
        "storage",
        Interruptible.of(
            () -> {
              ActorContext.current().ready();
              storageStop.await();
            },
            cause -> storageStop.countDown()),
        ActorOptions.defaults().readiness(Readiness.SIGNALLED));
    group.add(
        "web", Interruptible.of(() -> {}, cause -> {}), ActorOptions.defaults().after("storage"));

    Exit exit = group.run();

    assertThat(exit.error()).isNull();
    assertThat(exit.firstActor()).hasValue("web");
    assertThat(events).containsSubsequence("ready storage", "started web");
  }

  /**
   * Covers a bug where an actor added with options counted as ready for the group before its {@code
   * actorReady} was called: a listener could see {@code groupReady} while the {@code actorReady} of
   * one of the actors was still to come.
   */
  @Test
  void groupReadyComesAfterTheActorReadyOfEveryActor() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch firstAnnouncing = new CountDownLatch(1);
    CountDownLatch groupReady = new CountDownLatch(1);
    Group group =
        TestThreads.builder()
            .listener(
                new GroupListener() {
                  @Override
                  public void actorReady(String actor) {
                    if (actor.equals("first")) {
                      firstAnnouncing.countDown();
                      await(groupReady);
                    }
                    events.add("ready " + actor);
                  }

                  @Override
                  public void groupReady() {
                    events.add("groupReady");
                    groupReady.countDown();
                  }
                })
            .build();
    ActorOptions signalled = ActorOptions.defaults().readiness(Readiness.SIGNALLED);
    group.add("first", signalsThenWaits(null), signalled);
    group.add("second", signalsThenWaits(firstAnnouncing), signalled);
    group.add("until-ready", groupReady::await, cause -> groupReady.countDown());

    Exit exit = group.run();

    assertThat(exit.error()).isNull();
    assertThat(exit.firstActor()).hasValue("until-ready");
    assertThat(events).containsSubsequence("ready first", "groupReady");
    assertThat(events).containsSubsequence("ready second", "groupReady");
  }

  /**
   * Covers a bug where a one-shot actor that returned normally was made ready for its dependents
   * before its {@code actorReturned} and {@code actorReady} were called: a listener could see an
   * actor that starts after it begin before either event.
   */
  @Test
  void aOneShotActorsDependentStartsOnlyAfterItsActorReturnedAndActorReady() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch configReturned = new CountDownLatch(1);
    CountDownLatch dependentStarted = new CountDownLatch(1);
    ThreadFactory threads = TestThreads.virtual() ? TestThreads.virtualFactory() : Thread::new;
    Group group =
        Group.builder()
            // The dependent's thread comes to its dependency only once the one-shot returned, so
            // it does not park waiting for a wake-up that comes after the events.
            .threadFactory(
                task ->
                    threads.newThread(
                        () -> {
                          if (task instanceof ManagedSlot slot && slot.name.equals("scrape")) {
                            await(configReturned);
                          }
                          task.run();
                        }))
            .listener(
                new GroupListener() {
                  @Override
                  public void actorStarted(String actor, Thread thread) {
                    if (actor.equals("scrape")) {
                      dependentStarted.countDown();
                    }
                    events.add("started " + actor);
                  }

                  @Override
                  public void actorReturned(String actor, @Nullable Throwable error) {
                    if (actor.equals("config")) {
                      configReturned.countDown();
                      await(dependentStarted);
                    }
                    events.add("returned " + actor);
                  }

                  @Override
                  public void actorReady(String actor) {
                    events.add("ready " + actor);
                  }
                })
            .build();
    group.add("config", Interruptible.of(() -> {}, cause -> {}), ActorOptions.defaults().oneShot());
    group.add(
        "scrape", Interruptible.of(() -> {}, cause -> {}), ActorOptions.defaults().after("config"));

    Exit exit = group.run();

    assertThat(exit.error()).isNull();
    assertThat(exit.firstActor()).hasValue("scrape");
    assertThat(events).containsSubsequence("returned config", "ready config", "started scrape");
  }

  /** An actor that waits for {@code before} if given, signals that it is ready, then waits. */
  private static Interruptible signalsThenWaits(@Nullable CountDownLatch before) {
    CountDownLatch stop = new CountDownLatch(1);
    return Interruptible.of(
        () -> {
          if (before != null) {
            before.await();
          }
          ActorContext.current().ready();
          stop.await();
        },
        cause -> stop.countDown());
  }

  /** Waits up to {@link #HOLD_MS} for {@code latch}: the event it stands for must not come. */
  private static void await(CountDownLatch latch) {
    try {
      boolean unused = latch.await(HOLD_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
