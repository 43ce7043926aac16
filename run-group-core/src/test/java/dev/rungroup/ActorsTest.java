package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What each ready-made actor of {@link Actors} does on its own and when interrupted: one nested
 * class per actor.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ActorsTest {

  @Test
  void factoriesRejectNullNamingTheArgument() {
    assertThatThrownBy(() -> Actors.timer(nullValue())).hasMessage("delay");
    assertThatThrownBy(() -> Actors.completion(nullValue())).hasMessage("stage");
    assertThatThrownBy(() -> Actors.future(nullValue())).hasMessage("future");
    assertThatThrownBy(() -> Actors.executor(nullValue())).hasMessage("executor");
    assertThatThrownBy(() -> Actors.server(nullValue())).hasMessage("server");
    assertThatThrownBy(() -> Actors.jvmShutdown(nullValue())).hasMessage("group");
  }

  /** {@link Actors#timer}. */
  @Nested
  class TimerActor {

    @Test
    void timerReturnsNormallyAfterItsDelayAndStopsTheGroup() {
      Group group = TestThreads.group();
      CountDownLatch stop = new CountDownLatch(1);
      group.add("worker", stop::await, cause -> stop.countDown());
      group.add("timer", Actors.timer(Duration.ofMillis(50)));

      Exit exit = group.run();

      assertThat(exit.firstActor()).hasValue("timer");
      assertThat(exit.error()).isNull();
    }

    @Test
    void timerReturnsAtOnceWhenInterrupted() {
      Group group = TestThreads.group();
      group.add("timer", Actors.timer(Duration.ofDays(1)));
      group.add("quick", () -> {}, cause -> {});

      Exit exit = group.run();

      assertThat(exit.firstActor()).hasValue("quick");
      assertThat(exit.actors().get(0).error()).isNull();
    }

    @Test
    void timerRejectsANegativeDelay() {
      assertThatThrownBy(() -> Actors.timer(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("delay");
    }

    @Test
    void timerReturnsAfterItsDelayOrWhenInterrupted() throws Exception {
      assertThatThrownBy(() -> Actors.timer(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      Actors.timer(Duration.ZERO).execute();
      Interruptible long_ = Actors.timer(Duration.ofDays(1));
      long_.interrupt(null);
      long start = System.nanoTime();
      long_.execute();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(long_.toString()).isEqualTo("Actors.timer(PT24H)");

      Group group = new Group();
      group.add("timer", Actors.timer(Duration.ofMillis(10)));
      group.add("waiting", Actors.timer(Duration.ofDays(1)));
      assertThat(group.run().firstActor()).hasValue("timer");
    }
  }

  /** {@link Actors#completion} and the stage waiters it shares. */
  @Nested
  class CompletionActor {

    @Test
    void completionThrowsTheStagesFailureAndStopsTheGroupWithIt() {
      CompletableFuture<String> stage = new CompletableFuture<>();
      Group group = TestThreads.group();
      CountDownLatch stop = new CountDownLatch(1);
      group.add(
          "worker",
          () -> {
            stage.completeExceptionally(new IOException("disk gone"));
            stop.await();
          },
          cause -> stop.countDown());
      group.add("stage", Actors.completion(stage));

      Exit exit = group.run();

      assertThat(exit.firstActor()).hasValue("stage");
      assertThat(exit.error()).isInstanceOf(IOException.class).hasMessage("disk gone");
    }

    @Test
    void completionReturnsWhenInterruptedWithoutCancellingTheStage() {
      CompletableFuture<String> stage = new CompletableFuture<>();
      Group group = TestThreads.group();
      group.add("stage", Actors.completion(stage));
      group.add("quick", () -> {}, cause -> {});

      Exit exit = group.run();

      assertThat(exit.actors().get(0).error()).isNull();
      assertThat(stage).isNotDone();
    }

    @Test
    void completionReturnsFailsOrIsInterrupted() throws Exception {
      Actors.completion(CompletableFuture.completedFuture("x")).execute();

      IllegalStateException boom = new IllegalStateException("boom");
      assertThatThrownBy(() -> Actors.completion(CompletableFuture.failedFuture(boom)).execute())
          .isSameAs(boom);
      AssertionError error = new AssertionError("error");
      assertThatThrownBy(() -> Actors.completion(CompletableFuture.failedFuture(error)).execute())
          .isSameAs(error);
      Odd odd = new Odd();
      assertThatThrownBy(() -> Actors.completion(CompletableFuture.failedFuture(odd)).execute())
          .isInstanceOf(ExecutionException.class)
          .hasCause(odd);
      CompletableFuture<String> cancelled = new CompletableFuture<>();
      cancelled.cancel(false);
      assertThatThrownBy(() -> Actors.completion(cancelled).execute())
          .isInstanceOf(CancellationException.class);

      CompletableFuture<String> never = new CompletableFuture<>();
      Interruptible actor = Actors.completion(never);
      actor.interrupt(null);
      actor.execute(); // returns at once
      assertThat(never).isNotDone(); // the shared stage is not cancelled
      assertThat(actor.toString()).startsWith("Actors.completion(");
    }

    @Test
    void completionActorsSharingAStageAllSeeItsOutcome() throws Exception {
      CompletableFuture<String> shared = new CompletableFuture<>();
      Interruptible first = Actors.completion(shared);
      Interruptible second = Actors.completion(shared);
      Interruptible left = Actors.completion(shared);
      CountDownLatch running = new CountDownLatch(3);
      Thread[] threads = new Thread[3];
      Throwable[] thrown = new Throwable[3];
      Interruptible[] actors = {first, second, left};
      for (int i = 0; i < 3; i++) {
        int n = i;
        threads[i] =
            new Thread(
                () -> {
                  running.countDown();
                  try {
                    actors[n].execute();
                  } catch (Throwable e) {
                    thrown[n] = e;
                  }
                });
        threads[i].start();
      }
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                for (Thread t : threads) {
                  if (t.getState() != Thread.State.WAITING) {
                    return false;
                  }
                }
                return true;
              });
      assertThat(shared.getNumberOfDependents()).as("one callback for the three").isEqualTo(1);
      left.interrupt(null);
      threads[2].join(TimeUnit.SECONDS.toMillis(10));
      assertThat(threads[2].isAlive()).isFalse();
      IllegalStateException boom = new IllegalStateException("boom");
      shared.completeExceptionally(boom);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(t.isAlive()).isFalse();
      }
      assertThat(thrown[0]).isSameAs(boom);
      assertThat(thrown[1]).isSameAs(boom);
      assertThat(thrown[2]).as("interrupted before").isNull();
      // completed: a later actor on it registers anew and returns at once
      assertThatThrownBy(() -> Actors.completion(shared).execute()).isSameAs(boom);
      assertThat(shared.getNumberOfDependents()).isZero();
    }

    @Test
    void completionOnAStageThatRefusesCallbacksFailsWithItsError() {
      IllegalStateException refused = new IllegalStateException("no callbacks");
      CompletableFuture<String> stage =
          new CompletableFuture<>() {
            @Override
            public CompletableFuture<String> whenComplete(
                java.util.function.BiConsumer<? super String, ? super Throwable> action) {
              throw refused;
            }
          };
      assertThatThrownBy(() -> Actors.completion(stage).execute()).isSameAs(refused);
      assertThatThrownBy(() -> Actors.completion(stage).execute())
          .as("and again: nothing left registered")
          .isSameAs(refused);
    }

    @Test
    void completionKeepsEqualButDistinctStagesApart() throws Exception {
      // two stages that claim to be equal must not share a callback
      CompletableFuture<String> a = new EqualStage<>();
      CompletableFuture<String> b = new EqualStage<>();
      assertThat(a).isEqualTo(b);
      Interruptible onA = Actors.completion(a);
      Thread waiting =
          new Thread(
              () -> {
                try {
                  onA.execute();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      waiting.start();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.getNumberOfDependents() == 1);
      b.complete("b");
      Actors.completion(b).execute(); // b is complete: returns at once
      assertThat(waiting.isAlive()).as("still waiting for a").isTrue();
      a.complete("a");
      waiting.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(waiting.isAlive()).isFalse();
    }

    @Test
    void stageKeysCompareStagesByIdentityWhileTheyLive() {
      CompletableFuture<String> stage = new EqualStage<>();
      CompletableFuture<String> equal = new EqualStage<>();
      Actors.StageKey key = new Actors.StageKey(stage, null);
      Actors.StageKey same = new Actors.StageKey(stage, null);
      assertThat(key).isEqualTo(same).hasSameHashCodeAs(same);
      assertThat(key.hashCode()).isEqualTo(System.identityHashCode(stage));
      assertThat(key).isNotEqualTo(new Actors.StageKey(equal, null)).isNotEqualTo("stage");
      same.clear();
      assertThat(key).as("a cleared key equals no other").isNotEqualTo(same);
      assertThat(same).isNotEqualTo(key);
      assertThat(Actors.StageWaiters.waiting(stage)).isZero();
    }
  }

  /** {@link Actors#future}. */
  @Nested
  class FutureActor {

    @Test
    void futureIsCancelledByTheInterruptAndThatIsANormalReturn() {
      FutureTask<String> task = new FutureTask<>(() -> "never run");
      Group group = TestThreads.group();
      group.add("future", Actors.future(task));
      group.add("quick", () -> {}, cause -> {});

      Exit exit = group.run();

      assertThat(task.isCancelled()).isTrue();
      assertThat(exit.actors().get(0).error()).isNull();
    }

    @Test
    void futureThrowsTheTasksFailure() {
      FutureTask<String> task =
          new FutureTask<>(
              () -> {
                throw new IllegalStateException("task failed");
              });
      Group group = TestThreads.group();
      CountDownLatch stop = new CountDownLatch(1);
      group.add(
          "runner",
          () -> {
            task.run();
            stop.await();
          },
          cause -> stop.countDown());
      group.add("future", Actors.future(task));

      Exit exit = group.run();

      assertThat(exit.firstActor()).hasValue("future");
      assertThat(exit.error()).isInstanceOf(IllegalStateException.class).hasMessage("task failed");
    }

    @Test
    void futureReturnsFailsOrIsCancelledByItsInterrupt() throws Exception {
      Actors.future(CompletableFuture.completedFuture(1)).execute();
      IllegalStateException boom = new IllegalStateException("boom");
      assertThatThrownBy(() -> Actors.future(CompletableFuture.failedFuture(boom)).execute())
          .isSameAs(boom);
      CompletableFuture<String> cancelledElsewhere = new CompletableFuture<>();
      cancelledElsewhere.cancel(false);
      assertThatThrownBy(() -> Actors.future(cancelledElsewhere).execute())
          .isInstanceOf(CancellationException.class);

      CompletableFuture<String> owned = new CompletableFuture<>();
      Interruptible actor = Actors.future(owned);
      actor.interrupt(null);
      actor.execute(); // a cancellation by its own interrupt is a normal return
      assertThat(owned).isCancelled();
      assertThat(actor.toString()).startsWith("Actors.future(");
    }
  }

  /** {@link Actors#executor}. */
  @Nested
  class ExecutorActor {

    @Test
    void executorIsShutDownByTheInterruptAndWaitedFor() {
      ExecutorService executor = Executors.newSingleThreadExecutor();
      CountDownLatch taskRunning = new CountDownLatch(1);
      AtomicBoolean taskInterrupted = new AtomicBoolean();
      executor.execute(
          () -> {
            taskRunning.countDown();
            try {
              new CountDownLatch(1).await();
            } catch (InterruptedException e) {
              taskInterrupted.set(true);
            }
          });
      Group group = TestThreads.group();
      group.add("executor", Actors.executor(executor));
      group.add("trigger", () -> taskRunning.await(), cause -> {});

      Exit exit = group.run();

      assertThat(executor.isTerminated()).isTrue();
      assertThat(taskInterrupted).isTrue();
      assertThat(exit.actors().get(0).error()).isNull();
    }

    @Test
    void executorWaitsForTerminationAndItsInterruptShutsItDown() {
      ExecutorService executor = Executors.newSingleThreadExecutor();
      CountDownLatch taskRunning = new CountDownLatch(1);
      executor.execute(
          () -> {
            taskRunning.countDown();
            try {
              new CountDownLatch(1).await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      Interruptible actor = Actors.executor(executor);
      Group group = new Group();
      group.add("executor", actor);
      group.add("first", taskRunning::await, c -> {});

      Exit exit = group.run();

      assertThat(exit.allStopped()).isTrue();
      assertThat(executor.isTerminated()).isTrue();
      assertThat(actor.toString()).startsWith("Actors.executor(");
    }
  }

  /** {@link Actors#server}, with and without a serve loop. */
  @Nested
  class ServerActor {

    @Test
    void serverLoopEndsWhenTheInterruptClosesTheSocketAndThatIsNotAnError() throws Exception {
      ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      CountDownLatch accepted = new CountDownLatch(1);
      Group group = TestThreads.group();
      group.add(
          "server",
          Actors.server(
              socket,
              () -> {
                while (true) {
                  socket.accept().close();
                  accepted.countDown();
                }
              }));
      group.add(
          "client",
          () -> {
            Socket client = new Socket(InetAddress.getLoopbackAddress(), socket.getLocalPort());
            try {
              accepted.await();
            } finally {
              client.close();
            }
          },
          cause -> {});

      Exit exit = group.run();

      assertThat(exit.firstActor()).hasValue("client");
      assertThat(exit.error()).isNull();
      assertThat(socket.isClosed()).isTrue();
      assertThat(exit.actors().get(0).error()).isNull();
    }

    @Test
    void serverClosedByTheInterruptAndACloseFailureIsTheInterruptError() {
      AtomicBoolean closed = new AtomicBoolean();
      AutoCloseable failing =
          () -> {
            closed.set(true);
            throw new IOException("close failed");
          };
      Group group = TestThreads.group();
      group.add("server", Actors.server(failing));
      group.add("quick", () -> {}, cause -> {});

      Exit exit = group.run();

      assertThat(closed).isTrue();
      assertThat(exit.actors().get(0).interruptError())
          .isInstanceOf(UncheckedIOException.class)
          .hasRootCauseMessage("close failed");
    }

    @Test
    void serverWaitsUntilInterruptedAndItsInterruptClosesTheServer() {
      AtomicBoolean closed = new AtomicBoolean();
      Interruptible actor = Actors.server(() -> closed.set(true));
      Group group = new Group();
      group.add("server", actor);
      group.add("first", () -> {}, c -> {});

      Exit exit = group.run();

      assertThat(closed).isTrue();
      assertThat(exit.actors().get(0).error()).isNull();
      assertThat(actor.toString()).startsWith("Actors.server(");
    }

    @Test
    void aServerThatFailsToCloseHasThatAsItsInterruptError() {
      IOException io = new IOException("io");
      IllegalStateException runtime = new IllegalStateException("runtime");
      Exception checked = new Exception("checked");
      assertThatThrownBy(
              () ->
                  Actors.server(
                          () -> {
                            throw io;
                          })
                      .interrupt(null))
          .isInstanceOf(UncheckedIOException.class)
          .hasCause(io);
      assertThatThrownBy(
              () ->
                  Actors.server(
                          () -> {
                            throw runtime;
                          })
                      .interrupt(null))
          .isSameAs(runtime);
      assertThatThrownBy(
              () ->
                  Actors.server(
                          () -> {
                            throw checked;
                          })
                      .interrupt(null))
          .isInstanceOf(IllegalStateException.class)
          .hasCause(checked);
    }

    @Test
    void aServingServerEndsNormallyWhenClosedAndFailsOtherwise() throws Exception {
      CountDownLatch open = new CountDownLatch(1);
      IOException socketClosed = new IOException("socket closed");
      Interruptible serving =
          Actors.server(
              open::countDown,
              () -> {
                open.await();
                throw socketClosed;
              });
      serving.interrupt(null);
      serving.execute(); // the failure after its own close is a normal return
      assertThat(serving.toString()).startsWith("Actors.server(");

      IOException broken = new IOException("broken");
      Interruptible failing =
          Actors.server(
              () -> {},
              () -> {
                throw broken;
              });
      assertThatThrownBy(failing::execute).isSameAs(broken);

      AtomicBoolean served = new AtomicBoolean();
      Actors.server(() -> {}, () -> served.set(true)).execute();
      assertThat(served).isTrue();
    }

    @Test
    void serverAndJvmShutdownBlockInExecuteUntilInterrupted() throws Exception {
      for (Interruptible actor :
          new Interruptible[] {Actors.server(() -> {}), Actors.jvmShutdown(new Group())}) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    actor.execute();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        t.start();
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> t.getState() == Thread.State.WAITING);
        actor.interrupt(null);
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(t.isAlive()).isFalse();
      }
    }
  }

  /** {@link Actors#jvmShutdown}. */
  @Nested
  class JvmShutdownActor {

    @Test
    void jvmShutdownActorRemovesItsHookWhenTheGroupStopsForAnotherReason() {
      Group group = TestThreads.group();
      group.add("shutdown", Actors.jvmShutdown(group));
      group.add("quick", () -> {}, cause -> {});

      Exit exit = group.run();

      assertThat(exit.firstActor()).hasValue("quick");
      assertThat(exit.actors().get(0).error()).isNull();
      assertThat(exit.actors().get(0).interruptError()).isNull();
    }

    @Test
    void jvmShutdownsHookReturnsAtOnceForAGroupNotInItsRun() throws Exception {
      Group stoppedNeverRun = new Group();
      Interruptible[] actors = {
        Actors.jvmShutdown(new Group()), Actors.jvmShutdown(stoppedNeverRun)
      };
      stoppedNeverRun.stop();
      Method onShutdown = actors[0].getClass().getDeclaredMethod("onShutdown");
      onShutdown.setAccessible(true);
      for (Interruptible actor : actors) {
        Thread hookThread =
            new Thread(
                () -> {
                  try {
                    onShutdown.invoke(actor);
                  } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                  }
                });
        hookThread.setDaemon(true);
        hookThread.start();
        hookThread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(hookThread.isAlive()).as("nothing to wait for").isFalse();
        actor.execute(); // the signal came
      }
      assertThat(Runtime.getRuntime().removeShutdownHook(hook(actors[0])))
          .as("its group never ends: still registered")
          .isTrue();
    }

    @Test
    void jvmShutdownReturnsNormallyOnShutdownAndHoldsTheHookUntilRunReturned() throws Exception {
      Group group = Group.builder().stopTimeout(Duration.ofSeconds(5)).build();
      Interruptible shutdown = Actors.jvmShutdown(group);
      CountDownLatch other = new CountDownLatch(1);
      group.add("shutdown", shutdown);
      group.add("other", other::await, c -> other.countDown());
      Exit[] exit = {null};
      Thread runner = new Thread(() -> exit[0] = group.run());
      runner.start();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hook(shutdown) != null);
      Method onShutdown = shutdown.getClass().getDeclaredMethod("onShutdown");
      onShutdown.setAccessible(true);
      Thread hookThread =
          new Thread(
              () -> {
                try {
                  onShutdown.invoke(shutdown); // what the JVM's shutdown would run
                } catch (ReflectiveOperationException e) {
                  throw new IllegalStateException(e);
                }
              });
      hookThread.start();
      hookThread.join(TimeUnit.SECONDS.toMillis(10));
      runner.join(TimeUnit.SECONDS.toMillis(10));

      assertThat(hookThread.isAlive()).isFalse();
      assertThat(runner.isAlive()).isFalse();
      assertThat(exit[0].firstActor()).hasValue("shutdown");
      assertThat(exit[0].error()).isNull();
      assertThat(Runtime.getRuntime().removeShutdownHook(hook(shutdown)))
          .as("the group's end removed the hook")
          .isFalse();
      assertThat(shutdown.toString()).isEqualTo("Actors.jvmShutdown()");
    }

    @Test
    void jvmShutdownWithoutTimeoutWaitsForTheGroupWithoutBound() throws Exception {
      Group group = new Group();
      Interruptible shutdown = Actors.jvmShutdown(group);
      group.add("shutdown", shutdown);
      Thread runner = new Thread(group::run);
      runner.start();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hook(shutdown) != null);
      Method onShutdown = shutdown.getClass().getDeclaredMethod("onShutdown");
      onShutdown.setAccessible(true);
      onShutdown.invoke(shutdown);
      assertThat(group.state()).isEqualTo(Group.State.STOPPED);
      runner.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(runner.isAlive()).isFalse();
    }

    @Test
    void jvmShutdownInterruptedBeforeItRunsReturnsAtOnceAndItsGroupsEndRemovesItsHook()
        throws Exception {
      Group group = new Group();
      Interruptible shutdown = Actors.jvmShutdown(group);
      Thread hook = hook(shutdown);
      assertThat(hook).as("registered when created").isNotNull();
      shutdown.interrupt(null);
      shutdown.execute();
      group.stop();
      assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("already removed").isFalse();
    }

    @Test
    void jvmShutdownOnAGroupThatEndedRegistersNoHookAndItsHookReturnsAtOnceAfterTheRun()
        throws Exception {
      Group group = new Group();
      group.add("quick", () -> {}, c -> {});
      Interruptible early = Actors.jvmShutdown(group);
      group.run();
      Interruptible late = Actors.jvmShutdown(group);
      assertThat(Runtime.getRuntime().removeShutdownHook(hook(late))).isFalse();
      assertThat(Runtime.getRuntime().removeShutdownHook(hook(early))).isFalse();
      Method onShutdown = early.getClass().getDeclaredMethod("onShutdown");
      onShutdown.setAccessible(true);
      onShutdown.invoke(early); // the run is over: returns at once
      early.execute(); // and the signal came
    }

    @Test
    void jvmShutdownRegistersItsHookAndReturnsWhenTheGroupStopsForAnotherReason() throws Exception {
      Group group = new Group();
      Interruptible shutdown = Actors.jvmShutdown(group);
      CountDownLatch checked = new CountDownLatch(1);
      group.add("shutdown", shutdown);
      group.add("other", checked::await, c -> {});
      Exit[] exit = {null};
      Thread runner = new Thread(() -> exit[0] = group.run());
      runner.start();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hook(shutdown) != null);
      Thread hook = hook(shutdown);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Runtime.getRuntime().removeShutdownHook(hook)); // it was registered
      Runtime.getRuntime().addShutdownHook(hook); // put it back for the interrupt to remove
      assertThat(group.state()).isEqualTo(Group.State.RUNNING);
      checked.countDown(); // "other" returns: the group stops for another reason
      runner.join(TimeUnit.SECONDS.toMillis(10));

      assertThat(runner.isAlive()).isFalse();
      assertThat(exit[0].firstActor()).hasValue("other");
      assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isFalse();
    }
  }

  @SuppressWarnings({"TypeParameterUnusedInFormals", "unchecked"})
  private static <T> T nullValue() {
    return (T) null;
  }

  /** A throwable that is neither an Exception nor an Error. */
  static final class Odd extends Throwable {
    private static final long serialVersionUID = 1L;
  }

  /** A future equal to every other one of its kind. */
  static final class EqualStage<T> extends CompletableFuture<T> {
    @Override
    public boolean equals(Object other) {
      return other instanceof EqualStage;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  private static Thread hook(Interruptible shutdown) throws ReflectiveOperationException {
    Field field = shutdown.getClass().getDeclaredField("hook");
    field.setAccessible(true);
    synchronized (shutdown) {
      return (Thread) field.get(shutdown);
    }
  }
}
