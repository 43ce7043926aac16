package dev.rungroup.bench;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * run-group's {@link Group}: with platform threads its defaults ({@code new Group()}: daemon
 * threads named after the actors), with virtual threads {@code
 * Group.builder().threadFactory(Thread.ofVirtual().factory())}. Actors are added without names
 * (generated names), outside the measured time.
 */
final class GroupContender implements Contender {
  static final String NAME = "Group";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Run prepare(Scenario scenario, int n, ThreadKind kind, @Nullable CountDownLatch started) {
    Group group =
        kind == ThreadKind.PLATFORM
            ? new Group()
            : Group.builder().threadFactory(kind.factory()).build();
    for (Interruptible actor : Blocker.actors(scenario, n, started)) {
      group.add(actor);
    }
    return new Run() {
      @Override
      public void run() {
        Exit exit = group.run();
        if (exit.error() != (scenario == Scenario.A ? Blocker.FAILURE : null)) {
          throw new AssertionError("unexpected exit: " + exit.error(), exit.error());
        }
      }

      @Override
      public void stop() {
        group.stop();
      }
    };
  }
}
