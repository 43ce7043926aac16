package dev.rungroup.bench;

import dev.rungroup.Interruptible;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * The idle actor every contender runs: counts down {@code started} (scenario B), then blocks on its
 * own latch until {@link #interrupt} opens it, as a Go actor waits on a channel that its interrupt
 * closes. {@code StructuredTaskScope} cancels with {@link Thread#interrupt()} instead, which makes
 * the {@code await} throw.
 */
final class Blocker implements Interruptible {
  /** What the failing actor of scenario A throws; made once, so that no run pays a stack trace. */
  // Deliberate: the runs check the exit by identity, and no run may pay a stack trace.
  @SuppressWarnings("StaticAssignmentOfThrowable")
  static final Exception FAILURE = new Exception("actor failed at once (scenario A)");

  private final CountDownLatch latch = new CountDownLatch(1);
  private final @Nullable CountDownLatch started;

  Blocker(@Nullable CountDownLatch started) {
    this.started = started;
  }

  @Override
  public void execute() throws InterruptedException {
    CountDownLatch s = started;
    if (s != null) {
      s.countDown();
    }
    latch.await();
  }

  @Override
  public void interrupt(@Nullable Throwable cause) {
    latch.countDown();
  }

  /** The failing actor of scenario A. */
  static Interruptible failing() {
    return Interruptible.of(
        () -> {
          throw FAILURE;
        },
        cause -> {});
  }

  /** The actors of one run: N-1 blockers and the failing one last (A), or N blockers (B). */
  static Interruptible[] actors(Scenario scenario, int n, @Nullable CountDownLatch started) {
    Interruptible[] actors = new Interruptible[n];
    int blocking = scenario == Scenario.A ? n - 1 : n;
    for (int i = 0; i < blocking; i++) {
      actors[i] = new Blocker(started);
    }
    if (scenario == Scenario.A) {
      actors[n - 1] = failing();
    }
    return actors;
  }
}
