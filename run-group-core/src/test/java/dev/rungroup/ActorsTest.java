package dev.rungroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ActorsTest {

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
  void completionThrowsTheStagesFailureAndStopsTheGroupWithIt() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    Group group = TestThreads.group();
    CountDownLatch stop = new CountDownLatch(1);
    group.add("worker", () -> {
      stage.completeExceptionally(new IOException("disk gone"));
      stop.await();
    }, cause -> stop.countDown());
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
    group.add("runner", () -> {
      task.run();
      stop.await();
    }, cause -> stop.countDown());
    group.add("future", Actors.future(task));

    Exit exit = group.run();

    assertThat(exit.firstActor()).hasValue("future");
    assertThat(exit.error()).isInstanceOf(IllegalStateException.class).hasMessage("task failed");
  }

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
  void factoriesRejectNullNamingTheArgument() {
    assertThatThrownBy(() -> Actors.timer(nullValue())).hasMessage("delay");
    assertThatThrownBy(() -> Actors.completion(nullValue())).hasMessage("stage");
    assertThatThrownBy(() -> Actors.future(nullValue())).hasMessage("future");
    assertThatThrownBy(() -> Actors.executor(nullValue())).hasMessage("executor");
    assertThatThrownBy(() -> Actors.server(nullValue())).hasMessage("server");
    assertThatThrownBy(() -> Actors.jvmShutdown(nullValue())).hasMessage("group");
  }

  @SuppressWarnings({"TypeParameterUnusedInFormals", "unchecked"})
  private static <T> T nullValue() {
    return (T) null;
  }
}
