package dev.rungroup.samples.plain;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The example of the article on oklog/run, in Java: three actors; the first two wait until they are
 * interrupted; the third says it is sleeping once a second, three times, then returns, which stops
 * the group. The program exits with 0.
 *
 * <p>The Go original prints "Go routine 1 is closed" and "... 2 is closed" in a racy order: its
 * interrupts only close channels and each goroutine prints whenever it is scheduled. Here the order
 * is deterministic because the group calls the interrupts in add order, one after another, and each
 * interrupt below waits until its actor has printed and returned before it returns: an <em>ordered
 * shutdown</em>, the pattern to use whenever one actor must be gone before the next one is told to
 * stop.
 */
public final class SeedExample {

  private SeedExample() {}

  /**
   * Runs the example and exits with 0 if the group stopped without error, else 1.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Exit exit = run(System.out, Duration.ofSeconds(1));
    System.exit(exit.error() == null ? 0 : 1);
  }

  /**
   * Runs the three actors, printing to {@code out}.
   *
   * @param out where the actors print
   * @param tick how long the third actor sleeps between lines
   * @return how the group ended
   */
  public static Exit run(PrintStream out, Duration tick) {
    Group group = new Group();
    group.add("routine-1", waitsUntilInterrupted("Go routine 1 is closed", out));
    group.add("routine-2", waitsUntilInterrupted("Go routine 2 is closed", out));
    group.add("routine-3", sleepsThreeTimes(out, tick));
    return group.run();
  }

  /** An actor that waits until interrupted, then prints {@code closing}. */
  private static Interruptible waitsUntilInterrupted(String closing, PrintStream out) {
    CountDownLatch cancel = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    return new Interruptible() {
      @Override
      public void execute() throws InterruptedException {
        try {
          cancel.await();
          out.println(closing);
        } finally {
          closed.countDown();
        }
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        cancel.countDown();
        // Ordered shutdown: return only once this actor has printed and returned, so the next
        // actor's interrupt (called after this one returns) always comes second.
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /** An actor that prints three times, a tick apart, then returns; the group stops with it. */
  private static Interruptible sleepsThreeTimes(PrintStream out, Duration tick) {
    CountDownLatch cancel = new CountDownLatch(1);
    return new Interruptible() {
      @Override
      public void execute() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
          if (cancel.await(tick.toNanos(), TimeUnit.NANOSECONDS)) {
            return; // stopped from elsewhere
          }
          out.println("Go routine 3 is sleeping...");
        }
        out.println("Go routine 3 is closed");
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        cancel.countDown();
      }
    };
  }
}
