package dev.rungroup.samples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ClosesInOrderTest {

  /**
   * With a 1 ms tick, the third routine can end the group before the first one's thread reached
   * {@code execute}; the first routine's interrupt then comes first. Its closing line must still be
   * printed, and before the second routine's.
   */
  @Test
  void anInterruptBeforeExecuteBeganStillPrintsTheClosingLineBeforeTheNextActorsLine()
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    CountDownLatch firstMayBegin = new CountDownLatch(1);
    AtomicInteger threads = new AtomicInteger();
    Group group =
        Group.builder()
            .threadFactory(
                runnable -> {
                  boolean first = threads.getAndIncrement() == 0; // actors start in add order
                  return new Thread(
                      () -> {
                        if (first) {
                          awaitBounded(firstMayBegin); // held back until its interrupt came
                        }
                        runnable.run();
                      });
                })
            .build();
    ClosesInOrder first = new ClosesInOrder("Go routine 1 is closed", out);
    group.add("routine-1", new ReleasedByItsInterrupt(first, firstMayBegin));
    group.add("routine-2", new ClosesInOrder("Go routine 2 is closed", out));
    group.add("routine-3", () -> out.println("Go routine 3 returns"), cause -> {});

    Exit exit = group.run();

    assertThat(exit.firstActor()).contains("routine-3");
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "Go routine 3 returns", "Go routine 1 is closed", "Go routine 2 is closed");
  }

  /**
   * Passes the interrupt on, and lets the held-back thread begin once the interrupt has either
   * returned or is waiting for {@code execute} (a thread blocked in it): either way, after it came.
   */
  private static final class ReleasedByItsInterrupt implements Interruptible {
    private final Interruptible actor;
    private final CountDownLatch mayBegin;

    ReleasedByItsInterrupt(Interruptible actor, CountDownLatch mayBegin) {
      this.actor = actor;
      this.mayBegin = mayBegin;
    }

    @Override
    public void execute() throws Exception {
      actor.execute();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      Thread interrupting = Thread.currentThread();
      AtomicBoolean returned = new AtomicBoolean();
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      Thread releaser =
          new Thread(
              () -> {
                try {
                  await()
                      .atMost(Duration.ofSeconds(10))
                      .until(
                          () -> returned.get() || interrupting.getState() == Thread.State.WAITING);
                } catch (RuntimeException e) {
                  failure.set(e);
                } finally {
                  mayBegin.countDown();
                }
              });
      releaser.start();
      try {
        actor.interrupt(cause);
      } finally {
        returned.set(true);
      }
    }
  }

  private static void awaitBounded(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
