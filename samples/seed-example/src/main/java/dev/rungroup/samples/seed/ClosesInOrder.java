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
 * <p>The interrupt may wait for its own {@code execute} because the group calls {@code execute} of
 * every actor without {@code after}, also when the group began to stop before that actor's thread
 * reached it; {@code execute} then prints its closing line at once. (Were its thread never started,
 * the group's stop timeout would bound the wait.)
 *
 * <p>One instance serves one run of the group (the latches do not reset), which is all this
 * application needs: its process ends with the group.
 */
final class ClosesInOrder implements Interruptible {

  private final String closing;
  private final PrintStream out;
  private final CountDownLatch cancel = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  ClosesInOrder(String closing, PrintStream out) {
    this.closing = closing;
    this.out = out;
  }

  @Override
  public void execute() throws InterruptedException {
    try {
      cancel.await(); // Go: <-cancel
      out.println(closing);
    } finally {
      closed.countDown();
    }
  }

  @Override
  public void interrupt(@Nullable Throwable cause) {
    cancel.countDown(); // Go: close(cancel)
    try {
      closed.await(); // ordered shutdown: return once this actor has printed and returned
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
