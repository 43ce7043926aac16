package dev.rungroup;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A process for {@link JvmShutdownProcessTest}: {@link Actors#jvmShutdown(Group)} added first, an
 * actor that stops the group at once, a slow interrupt that waits until the JVM has begun to shut
 * down (and then works a little longer), and a worker whose interrupt comes after it. Prints each
 * step, so the test can see that a SIGTERM during a slow stop lets the stop finish before the JVM
 * halts. With the argument {@code unbounded} the group has no stop timeout.
 */
public final class SlowStopMain {

  private SlowStopMain() {}

  public static void main(String[] args) throws InterruptedException {
    Group.Builder builder = Group.builder();
    if (!(args.length > 0 && args[0].equals("unbounded"))) {
      builder.stopTimeout(Duration.ofSeconds(20));
    }
    Group group =
        builder
            .listener(
                new GroupListener() {
                  @Override
                  public void groupStopped(Exit exit) {
                    System.out.println("group stopped: first=" + exit.firstActor().orElse("-"));
                  }
                })
            .build();
    CountDownLatch shutdownBegan = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(shutdownBegan::countDown));
    group.add("shutdown", Actors.jvmShutdown(group)); // first, as the README's example does
    group.add("quit", () -> {}, cause -> {});
    CountDownLatch slowStop = new CountDownLatch(1);
    group.add(
        "slow",
        slowStop::await,
        cause -> {
          System.out.println("slow interrupt began");
          try {
            if (shutdownBegan.await(30, TimeUnit.SECONDS)) {
              Thread.sleep(500); // the slow part of the stop, after the signal
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          System.out.println("slow interrupt done");
          slowStop.countDown();
        });
    CountDownLatch stop = new CountDownLatch(1);
    group.add(
        "worker",
        () -> {
          stop.await();
          System.out.println("worker returned");
        },
        cause -> {
          System.out.println("worker interrupted");
          stop.countDown();
        });
    group.run();
  }
}
