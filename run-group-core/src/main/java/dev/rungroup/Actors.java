package dev.rungroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Ready-made actors for the usual ends of a service: a JVM shutdown, a future completing, a
 * timer, an executor, a server. Each returned actor is for one run of one group.
 *
 * <p>All factories throw {@link NullPointerException} naming the argument if given {@code null}.
 */
public final class Actors {

  private Actors() {}

  /**
   * An actor that returns when the JVM begins to shut down (SIGTERM, SIGINT, {@link
   * System#exit(int)}, the last non-daemon thread ending): the Java form of oklog/run's {@code
   * SignalHandler}. It returns normally, so the group's {@link Exit#error()} is {@code null} and
   * {@link Exit#firstActor()} names this actor.
   *
   * <p>The shutdown hook is registered when this method is called, so a signal arriving before
   * the group runs is not missed: the actor then returns as soon as it starts. When the hook runs
   * while the group runs, it waits until {@code group}'s {@link Group#run()} is about to return
   * (after {@link GroupListener#groupStopped(Exit)}), so that the other actors stop gracefully
   * before the JVM halts; the wait is bounded by the group's stop timeout plus grace (plus a tenth
   * of a second), and unbounded if the group has no stop timeout. The actor's interrupt removes
   * the hook when the group stops for another reason.
   *
   * <p>Code after {@code run()} races the JVM's halt when this actor stopped the group: report the
   * outcome from {@link GroupListener#groupStopped(Exit)} instead, and never call {@link
   * System#exit(int)} there (the JVM is already shutting down and {@code exit} would block).
   *
   * @param group the group this actor is added to
   * @return the actor
   */
  public static Interruptible jvmShutdown(Group group) {
    Objects.requireNonNull(group, "group");
    return new JvmShutdown(group);
  }

  /**
   * An actor that waits for {@code stage} to complete, the form of oklog/run's {@code
   * ContextHandler}: it returns normally when the stage completes normally, throws the stage's
   * exception when it completes exceptionally, and returns normally when interrupted. Its
   * interrupt does not cancel the stage, which may be shared.
   *
   * @param stage the stage to wait for
   * @return the actor
   */
  public static Interruptible completion(CompletionStage<?> stage) {
    Objects.requireNonNull(stage, "stage");
    CompletableFuture<@Nullable Object> outcome = new CompletableFuture<>();
    Object interrupted = new Object();
    return new Interruptible() {
      @Override
      public void execute() throws Exception {
        stage.whenComplete(
            (value, error) -> {
              if (error != null) {
                outcome.completeExceptionally(error);
              } else {
                outcome.complete(value);
              }
            });
        try {
          outcome.join();
        } catch (CompletionException e) {
          throw rethrowable(e.getCause() == null ? e : e.getCause());
        } catch (CancellationException e) {
          throw e;
        }
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        outcome.complete(interrupted);
      }

      @Override
      public String toString() {
        return "Actors.completion(" + stage + ")";
      }
    };
  }

  /**
   * An actor that waits for {@code future}: it returns normally when the future completes
   * normally and throws the future's exception when it fails. Its interrupt cancels the future
   * ({@code cancel(true)}), after which the actor returns normally.
   *
   * @param future the future, owned by the group
   * @return the actor
   */
  public static Interruptible future(Future<?> future) {
    Objects.requireNonNull(future, "future");
    return new Interruptible() {
      private volatile boolean interrupted;

      @Override
      public void execute() throws Exception {
        try {
          future.get();
        } catch (ExecutionException e) {
          throw rethrowable(e.getCause() == null ? e : e.getCause());
        } catch (CancellationException e) {
          if (!interrupted) {
            throw e;
          }
        }
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        interrupted = true;
        future.cancel(true);
      }

      @Override
      public String toString() {
        return "Actors.future(" + future + ")";
      }
    };
  }

  /**
   * An actor that returns normally once {@code delay} has passed, or at once when interrupted: a
   * deadline for the whole group.
   *
   * @param delay zero or positive
   * @return the actor
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static Interruptible timer(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    CountDownLatch interrupted = new CountDownLatch(1);
    return new Interruptible() {
      @Override
      public void execute() throws InterruptedException {
        boolean unused = interrupted.await(delay.toNanos(), TimeUnit.NANOSECONDS);
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        interrupted.countDown();
      }

      @Override
      public String toString() {
        return "Actors.timer(" + delay + ")";
      }
    };
  }

  /**
   * An actor that waits until {@code executor} has terminated; its interrupt calls {@link
   * ExecutorService#shutdownNow()}. If a task ignores its thread's interruption, the executor
   * does not terminate: give the group a stop timeout.
   *
   * @param executor the executor, owned by the group
   * @return the actor
   */
  public static Interruptible executor(ExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return new Interruptible() {
      @Override
      public void execute() throws InterruptedException {
        while (!executor.awaitTermination(1, TimeUnit.DAYS)) {
          // keep waiting: an executor may run for days
        }
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        executor.shutdownNow();
      }

      @Override
      public String toString() {
        return "Actors.executor(" + executor + ")";
      }
    };
  }

  /**
   * An actor for a server that serves on threads of its own: it waits until interrupted, and its
   * interrupt closes the server. A failure to close is the actor's interrupt error.
   *
   * @param server the server, owned by the group
   * @return the actor
   */
  public static Interruptible server(AutoCloseable server) {
    Objects.requireNonNull(server, "server");
    CountDownLatch interrupted = new CountDownLatch(1);
    return new Interruptible() {
      @Override
      public void execute() throws InterruptedException {
        interrupted.await();
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        interrupted.countDown();
        close(server);
      }

      @Override
      public String toString() {
        return "Actors.server(" + server + ")";
      }
    };
  }

  /**
   * An actor for a server whose serving loop runs on the actor's thread, such as an accept loop
   * on a {@link java.net.ServerSocket}: {@code execute} runs {@code serve}, and the interrupt
   * closes {@code server}, which must make {@code serve} return or throw. What {@code serve}
   * throws after the interrupt closed the server (typically a {@link java.net.SocketException})
   * counts as a normal return; before it, as the actor's error.
   *
   * @param server closed by the interrupt, owned by the group
   * @param serve the serving loop
   * @return the actor
   */
  public static Interruptible server(AutoCloseable server, Interruptible.Execute serve) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(serve, "serve");
    return new Interruptible() {
      private volatile boolean closing;

      @Override
      public void execute() throws Exception {
        try {
          serve.execute();
        } catch (Exception e) {
          if (!closing) {
            throw e;
          }
        }
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        closing = true;
        close(server);
      }

      @Override
      public String toString() {
        return "Actors.server(" + server + ", " + serve + ")";
      }
    };
  }

  private static void close(AutoCloseable resource) {
    try {
      resource.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("closing " + resource + " failed", e);
    } catch (Exception e) {
      throw new IllegalStateException("closing " + resource + " failed", e);
    }
  }

  private static Exception rethrowable(Throwable failure) {
    if (failure instanceof Exception exception) {
      return exception;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new ExecutionException(failure);
  }

  /** See {@link #jvmShutdown(Group)}. */
  private static final class JvmShutdown implements Interruptible {
    private static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Group group;
    private final CountDownLatch signal = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "run-group-shutdown-hook");

    JvmShutdown(Group group) {
      this.group = group;
      try {
        Runtime.getRuntime().addShutdownHook(hook);
      } catch (IllegalStateException e) {
        signal.countDown(); // the JVM is shutting down already
      }
    }

    @Override
    public void execute() throws InterruptedException {
      signal.await();
    }

    private void onShutdown() {
      signal.countDown();
      Group.State state = group.state();
      if (state == Group.State.NEW || state == Group.State.STOPPED) {
        return; // nothing runs that could stop gracefully
      }
      Duration bound = group.stopBound();
      long waitNanos =
          bound == null ? Long.MAX_VALUE : saturatedAdd(bound.toNanos(), MARGIN_NANOS);
      try {
        boolean unused = group.awaitTermination(waitNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static long saturatedAdd(long a, long b) {
      long sum = a + b;
      return sum < a ? Long.MAX_VALUE : sum;
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      signal.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs, or ran, and waits for the group
      }
    }

    @Override
    public String toString() {
      return "Actors.jvmShutdown()";
    }
  }
}
