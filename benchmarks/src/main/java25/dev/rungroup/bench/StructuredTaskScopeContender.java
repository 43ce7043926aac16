package dev.rungroup.bench;

import dev.rungroup.Interruptible;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * JDK 25's {@link StructuredTaskScope} (a preview API: compiled with {@code --release 25
 * --enable-preview}, loaded by the harness only on such a JVM), with a joiner that cancels the
 * scope on the first completion, whatever its outcome. Cancelling interrupts the threads of the
 * other subtasks, which makes their {@code await} throw: the actors' own interrupt is not used.
 * Stopped from outside by interrupting the owner thread blocked in {@code join()}; {@code close()}
 * then cancels and waits for every thread.
 */
final class StructuredTaskScopeContender implements Contender {
  static final String NAME = "StructuredTaskScope";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Run prepare(Scenario scenario, int n, ThreadKind kind, @Nullable CountDownLatch started) {
    Interruptible[] actors = Blocker.actors(scenario, n, started);
    @SuppressWarnings({"unchecked", "rawtypes"})
    Callable<@Nullable Void>[] tasks = new Callable[n];
    for (int i = 0; i < n; i++) {
      Interruptible actor = actors[i];
      tasks[i] =
          () -> {
            actor.execute();
            return null;
          };
    }
    ThreadFactory factory = kind.factory();
    AtomicReference<@Nullable Thread> owner = new AtomicReference<>();
    return new Run() {
      @Override
      public void run() {
        owner.set(Thread.currentThread());
        FirstCompletion joiner = new FirstCompletion();
        try (var scope =
            StructuredTaskScope.<@Nullable Void, @Nullable Void>open(
                joiner, cfg -> cfg.withThreadFactory(factory))) {
          for (Callable<@Nullable Void> task : tasks) {
            scope.fork(task);
          }
          try {
            scope.join();
          } catch (InterruptedException e) {
            // stopped from outside (scenario B): close() cancels and waits
          }
        }
        Thread.interrupted();
        Subtask<?> first = joiner.first.get();
        Throwable cause =
            first != null && first.state() == Subtask.State.FAILED ? first.exception() : null;
        if (scenario == Scenario.A && cause != Blocker.FAILURE) {
          throw new AssertionError("unexpected first subtask: " + first, cause);
        }
      }

      @Override
      public void stop() {
        Thread t = owner.get();
        if (t != null) {
          t.interrupt();
        }
      }
    };
  }

  /** Cancels the scope on the first subtask to complete, successfully or not. */
  private static final class FirstCompletion
      implements StructuredTaskScope.Joiner<@Nullable Void, @Nullable Void> {
    final AtomicReference<@Nullable Subtask<?>> first = new AtomicReference<>();

    @Override
    public boolean onComplete(Subtask<? extends @Nullable Void> subtask) {
      first.compareAndSet(null, subtask);
      return true;
    }

    @Override
    public @Nullable Void result() {
      return null;
    }
  }
}
