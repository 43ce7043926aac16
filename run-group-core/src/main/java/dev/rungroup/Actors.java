package dev.rungroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Ready-made actors for the usual ends of a service: a JVM shutdown, a future completing, a timer,
 * an executor, a server. Each returned actor is for one run of one group.
 *
 * <p>All factories throw {@link NullPointerException} naming the argument if given {@code null}.
 *
 * @since 0.1
 */
public final class Actors {

  private Actors() {}

  /**
   * An actor that returns when the JVM begins to shut down (SIGTERM, SIGINT, {@link
   * System#exit(int)}, the last non-daemon thread ending): the Java form of oklog/run's {@code
   * SignalHandler}. It returns normally, so the group's {@link Exit#error()} is {@code null} and
   * {@link Exit#firstActor()} names this actor.
   *
   * <p>The shutdown hook is registered when this method is called, so a signal arriving before the
   * group runs is not missed: the actor then returns as soon as it starts. When the hook runs while
   * {@code group}'s {@link Group#run()} is in progress, also while the group is already stopping
   * for another reason, it waits until {@code run()} is about to return (after {@link
   * GroupListener#groupStopped(Exit)}), so that every interrupt is called and the other actors stop
   * gracefully before the JVM halts, whatever the order this actor was added in; the wait is
   * bounded by the group's stop timeout plus grace (plus a tenth of a second), and unbounded if the
   * group has no stop timeout. The hook is removed when the group has ended: when {@code run()} is
   * about to return, or when the group is stopped before it ran (it then calls no interrupt), also
   * if this actor could not be added to it. A group that is never run nor stopped keeps the hook.
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
   * exception when it completes exceptionally, and returns normally when interrupted. Its interrupt
   * does not cancel the stage, which may be shared: however many groups wait for one stage, and
   * however many of them ended, the stage holds at most one callback of this class until it
   * completes (a stage allows no callback to be removed, so the actors waiting for it share one).
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
        StageWaiters waiters = StageWaiters.await(stage, outcome);
        try {
          outcome.join();
        } catch (CompletionException e) {
          throw rethrowable(e.getCause() == null ? e : e.getCause());
        } catch (CancellationException e) {
          throw e;
        } finally {
          waiters.leave(outcome);
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
   * An actor that waits for {@code future}: it returns normally when the future completes normally
   * and throws the future's exception when it fails. Its interrupt cancels the future ({@code
   * cancel(true)}), after which the actor returns normally.
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
   * deadline for the whole group. A delay too long to count in nanoseconds (about 292 years, such
   * as {@code ChronoUnit.FOREVER.getDuration()}) waits until interrupted.
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
        long nanos = BoundedStop.saturatedNanos(delay);
        if (nanos == Long.MAX_VALUE) {
          interrupted.await(); // about 292 years or more: until interrupted
        } else {
          boolean unused = interrupted.await(nanos, TimeUnit.NANOSECONDS);
        }
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
   * ExecutorService#shutdownNow()}. If a task ignores its thread's interruption, the executor does
   * not terminate: give the group a stop timeout.
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
   * An actor for a server whose serving loop runs on the actor's thread, such as an accept loop on
   * a {@link java.net.ServerSocket}: {@code execute} runs {@code serve}, and the interrupt closes
   * {@code server}, which must make {@code serve} return or throw. What {@code serve} throws after
   * the interrupt closed the server (typically a {@link java.net.SocketException}) counts as a
   * normal return; before it, as the actor's error.
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

  /**
   * The actors of {@link #completion} waiting for one stage, behind the one callback they register
   * on it between them. Keyed by the stage's identity, weakly: an entry goes with its stage, and it
   * is removed when the stage completes.
   *
   * <p>Thread-safe: everything is guarded by {@link #BY_STAGE}, under which no user code runs (the
   * stage's own methods are called outside it; its {@code equals} and {@code hashCode} are never
   * called). Completing the stage happens-before the waiting actors return.
   */
  static final class StageWaiters implements BiConsumer<@Nullable Object, @Nullable Throwable> {
    private static final Map<StageKey, StageWaiters> BY_STAGE = new HashMap<>();
    private static final ReferenceQueue<CompletionStage<?>> CLEARED = new ReferenceQueue<>();

    private final StageKey key;
    // Guarded by BY_STAGE.
    private final Set<CompletableFuture<@Nullable Object>> waiting =
        Collections.newSetFromMap(new IdentityHashMap<>());

    private StageWaiters(StageKey key) {
      this.key = key;
    }

    /** Has {@code outcome} completed when {@code stage} does; call {@link #leave} after. */
    static StageWaiters await(
        CompletionStage<?> stage, CompletableFuture<@Nullable Object> outcome) {
      StageWaiters waiters;
      boolean first = false;
      synchronized (BY_STAGE) {
        for (Reference<?> cleared = CLEARED.poll(); cleared != null; cleared = CLEARED.poll()) {
          BY_STAGE.remove((StageKey) cleared);
        }
        StageKey probe = new StageKey(stage, null);
        waiters = BY_STAGE.get(probe);
        if (waiters == null) {
          waiters = new StageWaiters(new StageKey(stage, CLEARED));
          BY_STAGE.put(waiters.key, waiters);
          first = true;
        }
        waiters.waiting.add(outcome);
      }
      if (first) {
        try {
          stage.whenComplete(waiters);
        } catch (Throwable e) { // a stage that refuses callbacks: every waiter fails with it
          waiters.accept(null, e);
        }
      }
      return waiters;
    }

    /** How many actors of {@link #completion} wait for {@code stage}. */
    static int waiting(CompletionStage<?> stage) {
      synchronized (BY_STAGE) {
        StageWaiters waiters = BY_STAGE.get(new StageKey(stage, null));
        return waiters == null ? 0 : waiters.waiting.size();
      }
    }

    /** {@code outcome}'s actor no longer waits. */
    @SuppressWarnings("CollectionUndefinedEquality") // an identity set
    void leave(CompletableFuture<@Nullable Object> outcome) {
      synchronized (BY_STAGE) {
        waiting.remove(outcome);
      }
    }

    @Override
    public void accept(@Nullable Object value, @Nullable Throwable error) {
      List<CompletableFuture<@Nullable Object>> done;
      synchronized (BY_STAGE) {
        if (BY_STAGE.get(key) == this) {
          BY_STAGE.remove(key); // later waiters register anew; a completed stage calls at once
        }
        done = new ArrayList<>(waiting); // each leaves when its execute returns
      }
      for (CompletableFuture<@Nullable Object> outcome : done) {
        if (error != null) {
          outcome.completeExceptionally(error);
        } else {
          outcome.complete(value);
        }
      }
    }
  }

  /** A stage, weakly, compared by identity. */
  static final class StageKey extends WeakReference<CompletionStage<?>> {
    private final int hash;

    StageKey(CompletionStage<?> stage, @Nullable ReferenceQueue<CompletionStage<?>> queue) {
      super(stage, queue);
      this.hash = System.identityHashCode(stage);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      if (!(other instanceof StageKey that) || that.hash != hash) {
        return false;
      }
      Object stage = get();
      return stage != null && stage == that.get(); // a cleared key equals no other key
    }
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
        return;
      }
      // Not the interrupt: it comes first when this actor was added first, and the hook must
      // hold the JVM for the rest of the stop. Also a group stopped before it ran ends here.
      group.whenEnded(this::removeHook);
    }

    @Override
    public void execute() throws InterruptedException {
      signal.await();
    }

    private void onShutdown() {
      signal.countDown();
      if (!group.inRun()) {
        return; // never ran, or over: nothing runs that could stop gracefully
      }
      long waitNanos = BoundedStop.saturatedAdd(group.stopBoundNanos(), MARGIN_NANOS);
      try {
        boolean unused = group.awaitTermination(waitNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void removeHook() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs, or ran, and waits for the group
      }
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      signal.countDown(); // the hook stays until the group has ended
    }

    @Override
    public String toString() {
      return "Actors.jvmShutdown()";
    }
  }
}
