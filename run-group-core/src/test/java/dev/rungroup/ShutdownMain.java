package dev.rungroup;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A process for {@link JvmShutdownProcessTest}: a worker and the JVM-shutdown actor. Prints "ready"
 * once the worker runs, the worker's interrupt and the group's end, so the test can see that a
 * SIGTERM stopped the group gracefully before the JVM halted.
 */
public final class ShutdownMain {

  private ShutdownMain() {}

  public static void main(String[] args) {
    Group group =
        Group.builder()
            .stopTimeout(Duration.ofSeconds(10))
            .listener(
                new GroupListener() {
                  @Override
                  public void groupStopped(Exit exit) {
                    System.out.println(
                        "group stopped: first="
                            + exit.firstActor().orElse("-")
                            + " error="
                            + exit.error());
                  }
                })
            .build();
    CountDownLatch stop = new CountDownLatch(1);
    group.add("shutdown", Actors.jvmShutdown(group));
    group.add(
        "worker",
        () -> {
          System.out.println("ready");
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
