package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.Group;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * What a leadership reports to the starter (health, endpoint, meters) when its watchdog fences it:
 * at once, and never before the gain it ends. The lock registry here stands for one whose calls
 * hang (a database that stopped answering); the real database's behaviour is {@link
 * LeadershipPostgresTests}'s.
 */
@Timeout(30)
@ExtendWith(OutputCaptureExtension.class)
class LeadershipReportingTests {

  // Fenced 400 ms after the last confirmed renewal.
  private static final LeadershipSettings SETTINGS =
      new LeadershipSettings(
          Duration.ofMillis(600), Duration.ofMillis(100), Duration.ofMillis(200), null);

  @Test
  void aFencedLeadershipIsReportedLostAtOnceNotWhenTheHungRenewalReturns() throws Exception {
    CountDownLatch renewalHangs = new CountDownLatch(1);
    CountDownLatch renewalReleased = new CountDownLatch(1);
    Registry registry =
        new Registry(
            () -> {
              renewalHangs.countDown();
              awaitBounded(renewalReleased);
            });
    Events events = new Events();
    CountDownLatch actorInterrupted = new CountDownLatch(1);
    Leadership leadership =
        new Leadership("billing", registry, SETTINGS, () -> oneActor(actorInterrupted), events);
    Thread thread = start(leadership);
    try {
      assertThat(renewalHangs.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(actorInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(events.list).containsExactly("gained", "lost standby"));
      assertThat(renewalReleased.getCount()).as("the renewal still hangs").isEqualTo(1);
    } finally {
      renewalReleased.countDown();
      leadership.interrupt(null);
      thread.join(10_000);
    }
    assertThat(thread.isAlive()).isFalse();
    assertThat(events.list).as("the loss reported once").containsExactly("gained", "lost standby");
  }

  @Test
  void aGainFencedAtOnceIsReportedGainedThenLostInThatOrder() throws Exception {
    // The lock is taken only after the time-to-live less the margin has passed since the attempt
    // began, so the watchdog fences the leadership as soon as it is gained, while the starter is
    // still being told of the gain.
    long fenceAfter = SETTINGS.fenceAfter().toNanos();
    Registry registry = new Registry(() -> {});
    registry.beforeLocking =
        () -> {
          long until = System.nanoTime() + fenceAfter + TimeUnit.MILLISECONDS.toNanos(50);
          for (long left; (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left); // the time itself is what this test needs to pass
          }
        };
    CountDownLatch lostReported = new CountDownLatch(1);
    Events events =
        new Events() {
          @Override
          public void gained(String leader) {
            try {
              // A loss reported while the gain is being reported would come in here.
              lostReported.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.gained(leader);
          }

          @Override
          public void lost(String leader, boolean standby) {
            super.lost(leader, standby);
            lostReported.countDown();
          }
        };
    Leadership leadership =
        new Leadership(
            "billing", registry, SETTINGS, () -> oneActor(new CountDownLatch(1)), events);
    Thread thread = start(leadership);
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(events.list).startsWith("gained", "lost standby").hasSize(2));
    } finally {
      leadership.interrupt(null);
      thread.join(10_000);
    }
    assertThat(thread.isAlive()).isFalse();
    assertThat(events.list).startsWith("gained", "lost standby");
  }

  @Test
  void aLeadershipLostWhileItsActorsStopSlowlyIsNotAlsoFenced(CapturedOutput output)
      throws Exception {
    Registry registry =
        new Registry(
            () -> {
              throw new IllegalStateException("the database is gone");
            });
    AtomicLong gainedAt = new AtomicLong();
    Events events =
        new Events() {
          @Override
          public void gained(String leader) {
            gainedAt.compareAndSet(0, System.nanoTime());
            super.gained(leader);
          }
        };
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch mayReturn = new CountDownLatch(1);
    Leadership leadership =
        new Leadership(
            "billing",
            registry,
            SETTINGS,
            () -> {
              Group group = Group.builder().build();
              group.add(
                  "billing",
                  () -> {
                    awaitBounded(interrupted);
                    awaitBounded(mayReturn); // stops slowly: past the time-to-live less the margin
                  },
                  cause -> interrupted.countDown());
              return group;
            },
            events);
    Thread thread = start(leadership);
    try {
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      long fenceDue = gainedAt.get() + SETTINGS.fenceAfter().toNanos();
      long until = fenceDue + TimeUnit.MILLISECONDS.toNanos(300);
      for (long left; (left = until - System.nanoTime()) > 0; ) {
        LockSupport.parkNanos(left); // the time itself is what this test needs to pass
      }
    } finally {
      mayReturn.countDown();
      leadership.interrupt(null);
      thread.join(10_000);
    }
    assertThat(thread.isAlive()).isFalse();
    assertThat(output.getAll())
        .contains("Leadership 'billing' lost (the renewal failed")
        .doesNotContain("fenced");
    assertThat(events.list).startsWith("gained", "lost standby");
  }

  private static Thread start(Leadership leadership) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                leadership.execute();
              } catch (Exception e) {
                failure.set(e);
              }
            },
            "leadership-under-test");
    thread.start();
    return thread;
  }

  private static Group oneActor(CountDownLatch interrupted) {
    Group group = Group.builder().build();
    CountDownLatch stop = new CountDownLatch(1);
    group.add(
        "billing",
        () -> stop.await(),
        cause -> {
          interrupted.countDown();
          stop.countDown();
        });
    return group;
  }

  private static void awaitBounded(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the starter was told, in order. */
  static class Events implements Leadership.Observer {
    final List<String> list = new CopyOnWriteArrayList<>();

    @Override
    public void gained(String leader) {
      list.add("gained");
    }

    @Override
    public void lost(String leader, boolean standby) {
      list.add(standby ? "lost standby" : "lost end");
    }
  }

  /** One lock, always free; renewals run {@code onRenew}. */
  static final class Registry implements RenewableLockRegistry<ReentrantLock> {
    private final Runnable onRenew;
    volatile Runnable beforeLocking = () -> {};

    Registry(Runnable onRenew) {
      this.onRenew = onRenew;
    }

    @Override
    public ReentrantLock obtain(Object key) {
      return new ReentrantLock() {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean tryLock() {
          beforeLocking.run();
          return super.tryLock();
        }
      };
    }

    @Override
    public void renewLock(Object key) {
      onRenew.run();
    }

    @Override
    public void renewLock(Object key, Duration ttl) {
      onRenew.run();
    }
  }
}
