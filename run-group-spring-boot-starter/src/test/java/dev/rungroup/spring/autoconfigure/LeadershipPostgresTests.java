package dev.rungroup.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rungroup.Exit;
import dev.rungroup.Group;
import dev.rungroup.Interruptible;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The elector of a leadership against a real PostgreSQL, through Spring Integration's {@link
 * JdbcLockRegistry} on its own {@code INT_LOCK} table: each "replica" is a registry with its own
 * client id, running the leadership in an application group of its own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeadershipPostgresTests {

  @RegisterExtension static final PostgresFixture postgres = new PostgresFixture();

  /** Time-to-live 2 s, renewal every 200 ms, margin 500 ms: fenced after 1.5 s unconfirmed. */
  private static final LeadershipSettings SHORT =
      new LeadershipSettings(
          Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(500), "tests");

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<Replica> replicas = new ArrayList<>();

  @AfterEach
  void stopReplicas() throws Exception {
    for (Replica replica : replicas) {
      replica.stop();
    }
    postgres.startServerIfStopped();
    new JdbcTemplate(postgres.dataSource()).update("DELETE FROM INT_LOCK");
  }

  @Test
  void exactlyOneReplicaRunsTheLeaderActorsAndTheOthersStandBy() {
    Replica a = replica("a", postgres.registry(SHORT.timeToLive()), SHORT);
    Replica b = replica("b", postgres.registry(SHORT.timeToLive()), SHORT);
    Replica c = replica("c", postgres.registry(SHORT.timeToLive()), SHORT);

    await().atMost(WAIT).until(() -> running(a, b, c) == 1);
    // Several time-to-lives: the leader keeps renewing, the others keep standing by.
    await()
        .during(Duration.ofMillis(3 * SHORT.timeToLive().toMillis()))
        .atMost(WAIT)
        .until(() -> running(a, b, c) == 1);
    long leaders =
        List.of(a, b, c).stream()
            .filter(r -> r.leadership.status() == Leadership.Status.LEADING)
            .count();
    assertThat(leaders).isEqualTo(1);
    assertThat(List.of(a, b, c))
        .filteredOn(r -> r.leadership.status() == Leadership.Status.STANDBY)
        .hasSize(2);
  }

  @Test
  void onShutdownTheActorsStopBeforeTheLockIsReleasedAndAnotherReplicaTakesOverAtOnce()
      throws Exception {
    LeadershipSettings longTtl =
        new LeadershipSettings(
            Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(2), "tests");
    Replica a = replica("a", postgres.registry(longTtl.timeToLive()), longTtl);
    await().atMost(WAIT).until(() -> a.running.get() == 1);
    Replica b = replica("b", postgres.registry(longTtl.timeToLive()), longTtl);

    long stopped = System.nanoTime();
    a.stop();
    // The lock row was still there when a's actor returned: stop first, then release.
    assertThat(a.rowsWhenReturned).containsOnly(1);
    await().atMost(WAIT).until(() -> b.running.get() == 1);
    Duration handoff = Duration.ofNanos(System.nanoTime() - stopped);
    System.out.println("Leadership handoff after a stop (stop to the standby's actor): " + handoff);
    // Far below the 30 s time-to-live: the lock was released, not left to expire.
    assertThat(handoff).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aDeletedLockRowLosesTheLeadershipStopsTheActorsAndTheReplicaContendsAgain() {
    Replica a = replica("a", postgres.registry(SHORT.timeToLive()), SHORT);
    await().atMost(WAIT).until(() -> a.running.get() == 1);

    new JdbcTemplate(postgres.dataSource()).update("DELETE FROM INT_LOCK");

    await().atMost(WAIT).until(() -> a.incarnations.get() >= 2 && a.running.get() == 1);
    assertThat(a.returns.get()).isGreaterThanOrEqualTo(1);
    assertThat(a.group.state()).isEqualTo(Group.State.RUNNING);
  }

  @Test
  void aLockTakenByAnotherClientAfterExpiryStopsTheActorsAndTheReplicaStandsBy() {
    Replica a = replica("a", postgres.registry(SHORT.timeToLive()), SHORT);
    await().atMost(WAIT).until(() -> a.running.get() == 1);

    new JdbcTemplate(postgres.dataSource())
        .update(
            "UPDATE INT_LOCK SET CLIENT_ID = '00000000-0000-0000-0000-000000000000',"
                + " EXPIRED_AFTER = now() + interval '1 hour'");

    await().atMost(WAIT).until(() -> a.returns.get() == 1 && a.running.get() == 0);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> a.leadership.status() == Leadership.Status.STANDBY && a.running.get() == 0);
    assertThat(a.group.state()).isEqualTo(Group.State.RUNNING);
  }

  @Test
  void theDatabaseStoppedStopsTheLeaderActorsWithinTheTimeToLiveAndOneLeadsAgainWhenItIsBack()
      throws Exception {
    Replica a = replica("a", postgres.registry(SHORT.timeToLive()), SHORT);
    Replica b = replica("b", postgres.registry(SHORT.timeToLive()), SHORT);
    await().atMost(WAIT).until(() -> running(a, b) == 1);
    Replica leader = a.running.get() == 1 ? a : b;

    long stopped = System.nanoTime();
    postgres.stopImmediately();
    await().atMost(WAIT).until(() -> leader.running.get() == 0);
    Duration fenced = Duration.ofNanos(System.nanoTime() - stopped);
    System.out.println("Leader actors stopped after the database stopped: " + fenced);
    assertThat(fenced).isLessThan(SHORT.timeToLive());
    assertThat(a.group.state()).isEqualTo(Group.State.RUNNING);
    assertThat(b.group.state()).isEqualTo(Group.State.RUNNING);

    postgres.startServer();
    await().atMost(WAIT).until(() -> running(a, b) == 1);
  }

  /**
   * A renewal that hangs (a database that no longer answers, a pool waiting for a connection): the
   * watchdog, on the monotonic clock, interrupts the leader actors once the time-to-live less the
   * margin passed without a confirmed renewal, while the elector is still blocked.
   */
  @Test
  void aRenewalThatHangsIsFencedByTheWatchdogWithinTheTimeToLiveLessTheMargin() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HangingRenewal registry = new HangingRenewal(postgres.registry(SHORT.timeToLive()), release);
    Replica a = replica("a", registry, SHORT);
    await().atMost(WAIT).until(() -> a.running.get() == 1);

    long hung = System.nanoTime();
    registry.hang = true;
    await().atMost(WAIT).until(() -> a.running.get() == 0);
    // Timed to the interrupt, the watchdog's act: the actor's return after it (a query on a fresh
    // connection) and Awaitility's polling are not the fence's.
    Duration fenced = Duration.ofNanos(a.firstInterruptNanos.get() - hung);
    System.out.println("Fenced by the watchdog after the renewal hung: " + fenced);
    assertThat(fenced).isLessThan(SHORT.timeToLive());
    assertThat(registry.hanging.get()).isEqualTo(1); // the elector was still in the renewal
    assertThat(a.interruptCauses)
        .anySatisfy(cause -> assertThat(cause).hasMessageContaining("fenced"));

    registry.hang = false;
    release.countDown();
    // the elector comes back, stands down (fenced) and contends again: it leads again
    await().atMost(WAIT).until(() -> a.incarnations.get() == 2 && a.running.get() == 1);
  }

  // ---------------------------------------------------------------------------------------------

  private static int running(Replica... all) {
    int sum = 0;
    for (Replica replica : all) {
      sum += replica.running.get();
    }
    return sum;
  }

  private Replica replica(
      String name,
      org.springframework.integration.support.locks.LockRegistry<?> registry,
      LeadershipSettings settings) {
    Replica replica = new Replica(name, registry, settings);
    replicas.add(replica);
    replica.start();
    return replica;
  }

  /** One replica: an application group holding the leadership, whose one leader actor blocks. */
  private static final class Replica {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger incarnations = new AtomicInteger();
    final AtomicInteger returns = new AtomicInteger();
    final List<Integer> rowsWhenReturned = new CopyOnWriteArrayList<>();
    final List<Throwable> interruptCauses = new CopyOnWriteArrayList<>();
    final AtomicLong firstInterruptNanos = new AtomicLong();
    final Group group = new Group();
    final Leadership leadership;
    final AtomicReference<@Nullable Exit> exit = new AtomicReference<>();
    final Thread thread;

    Replica(
        String name,
        org.springframework.integration.support.locks.LockRegistry<?> registry,
        LeadershipSettings settings) {
      leadership =
          new Leadership(
              "billing", registry, settings, this::incarnation, Leadership.Observer.NONE);
      group.add(Leadership.actorName("billing"), leadership);
      thread = new Thread(() -> exit.set(group.run()), "replica-" + name);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      group.stop();
      thread.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(thread.isAlive()).as("replica stopped").isFalse();
    }

    private Group incarnation() {
      Group actors = Group.builder().stopTimeout(Duration.ofSeconds(10)).build();
      actors.add("billing.run", new Probe());
      return actors;
    }

    /** Blocks until interrupted; counts, and looks at the lock row as it returns. */
    private final class Probe implements Interruptible {
      private final CountDownLatch interrupted = new CountDownLatch(1);

      @Override
      public void execute() throws InterruptedException {
        incarnations.incrementAndGet();
        running.incrementAndGet();
        try {
          interrupted.await();
        } finally {
          try {
            Integer rows =
                new JdbcTemplate(postgres.dataSource())
                    .queryForObject("SELECT count(*) FROM INT_LOCK", Integer.class);
            rowsWhenReturned.add(rows == null ? 0 : rows);
          } catch (RuntimeException e) {
            rowsWhenReturned.add(-1); // the database is down
          }
          running.decrementAndGet();
          returns.incrementAndGet();
        }
      }

      @Override
      public void interrupt(@Nullable Throwable cause) {
        if (cause != null) {
          firstInterruptNanos.compareAndSet(0, System.nanoTime());
          interruptCauses.add(cause);
        }
        interrupted.countDown();
      }
    }
  }

  /** A JDBC registry whose renewal blocks, while {@code hang} is set, until released. */
  private static final class HangingRenewal implements RenewableLockRegistry<Lock> {
    private final JdbcLockRegistry delegate;
    private final CountDownLatch release;
    final AtomicInteger hanging = new AtomicInteger();
    volatile boolean hang;

    HangingRenewal(JdbcLockRegistry delegate, CountDownLatch release) {
      this.delegate = delegate;
      this.release = release;
    }

    @Override
    public Lock obtain(Object lockKey) {
      return delegate.obtain(lockKey);
    }

    @Override
    public void renewLock(Object lockKey) {
      renewLock(lockKey, JdbcLockRegistry.DEFAULT_TTL);
    }

    @Override
    public void renewLock(Object lockKey, Duration ttl) {
      if (hang) {
        hanging.incrementAndGet();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          hanging.decrementAndGet();
        }
        throw new IllegalStateException("the renewal hung");
      }
      delegate.renewLock(lockKey, ttl);
    }
  }
}
