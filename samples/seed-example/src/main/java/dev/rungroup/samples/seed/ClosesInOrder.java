package dev.rungroup.samples.seed;

import dev.rungroup.Interruptible;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * An actor that waits until it is interrupted, then prints its closing line and returns. Its {@link
 * #interrupt} returns only once that line is printed, so that the actor interrupted next (the group
 * calls the interrupts one after another, in actor order) always prints after it: the
 * ordered-shutdown pattern, for whenever one actor must be gone before the next is told to stop.
 *
 * <p>An interrupt that comes before {@code execute} began (the group stopped while it was still
 * starting its actors) does not wait: {@code execute}, if it is called at all, then returns at once
 * without printing.
 *
 * <p>One instance serves one run of the group (the latches do not reset), which is all this
 * application needs: its process ends with the group.
 */
final class ClosesInOrder implements Interruptible {

  private final String closing;
  private final PrintStream out;
  private final CountDownLatch cancel = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Object lock = new Object();
  private boolean started; // guarded by lock
  private boolean interrupted; // guarded by lock

  ClosesInOrder(String closing, PrintStream out) {
    this.closing = closing;
    this.out = out;
  }

  @Override
  public void execute() throws InterruptedException {
    synchronized (lock) {
      if (interrupted) {
        return; // stopped before it ran
      }
      started = true;
    }
    try {
      cancel.await(); // Go: <-cancel
      out.println(closing);
    } finally {
      closed.countDown();
    }
  }

  @Override
  public void interrupt(@Nullable Throwable cause) {
    boolean wait;
    synchronized (lock) {
      interrupted = true;
      wait = started;
    }
    cancel.countDown(); // Go: close(cancel)
    if (!wait) {
      return;
    }
    try {
      closed.await(); // ordered shutdown: return once this actor has printed and returned
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
