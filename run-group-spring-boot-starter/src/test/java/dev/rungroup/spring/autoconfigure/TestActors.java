package dev.rungroup.spring.autoconfigure;

import dev.rungroup.Exit;
import dev.rungroup.GroupListener;
import dev.rungroup.Interruptible;
import dev.rungroup.TestThreads;
import dev.rungroup.spring.ActorGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;

/** Small named actors and helpers shared by the tests. */
final class TestActors {

  /** Generous bound for anything a test waits for. */
  static final long WAIT_SECONDS = 20;

  private TestActors() {}

  /** Whether the tests run with virtual threads (the Java 25 leg sets this). */
  static boolean virtualThreads() {
    return "virtual".equals(System.getProperty("rungroup.test.threads"));
  }

  static boolean isVirtual(Thread thread) {
    return TestThreads.isVirtual(thread);
  }

  static void await(CountDownLatch latch) throws InterruptedException {
    TestThreads.await(latch, WAIT_SECONDS);
  }

  /** Records events of several actors in one list, in the order they happen. */
  static final class Journal {
    private final List<String> events = new ArrayList<>();

    synchronized void add(String event) {
      events.add(event);
    }

    synchronized List<String> events() {
      return List.copyOf(events);
    }
  }

  /** Runs until interrupted; records where it ran and whether it was interrupted. */
  static class BlockingActor implements Interruptible {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    private final @Nullable Journal journal;
    private final String label;
    volatile @Nullable Thread thread;
    final java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();

    BlockingActor() {
      this(null, "");
    }

    BlockingActor(@Nullable Journal journal, String label) {
      this.journal = journal;
      this.label = label;
    }

    /** The thread that ran {@code execute}; fails if it did not run yet. */
    Thread runner() {
      Thread ran = thread;
      if (ran == null) {
        throw new IllegalStateException("the actor did not run");
      }
      return ran;
    }

    @Override
    public void execute() throws InterruptedException {
      thread = Thread.currentThread();
      runs.incrementAndGet();
      started.countDown();
      interrupted.await();
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {
      if (journal != null) {
        journal.add("interrupt " + label);
      }
      interrupted.countDown();
    }
  }

  /** Returns at once, normally. */
  static class ReturningActor implements Interruptible {
    @Override
    public void execute() {}

    @Override
    public void interrupt(@Nullable Throwable cause) {}
  }

  /** Throws at once. */
  static class FailingActor implements Interruptible {
    static final String MESSAGE = "boom";

    @Override
    public void execute() {
      throw new IllegalStateException(MESSAGE);
    }

    @Override
    public void interrupt(@Nullable Throwable cause) {}
  }

  /**
   * A test-owned listener bean that keeps the {@link ActorGroup} and the first run's {@link Exit}
   * reachable after the group closed the context (a closed context hands out no beans).
   */
  static final class Capture
      implements GroupListener, BeanFactoryAware, SmartInitializingSingleton {
    private volatile @Nullable BeanFactory beanFactory;
    private volatile @Nullable ActorGroup group;
    final CompletableFuture<Exit> exit = new CompletableFuture<>();

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
      this.beanFactory = beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
      BeanFactory factory = beanFactory;
      if (factory != null) {
        group = factory.getBean(ActorGroup.class);
      }
    }

    @Override
    public void groupStopped(Exit exit) {
      this.exit.complete(exit);
    }

    ActorGroup group() {
      ActorGroup captured = group;
      if (captured == null) {
        throw new IllegalStateException("no ActorGroup captured");
      }
      return captured;
    }

    Exit awaitExit() throws Exception {
      return exit.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
