package dev.rungroup.bench.starter;

import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's actor bean: {@code execute} counts itself started and waits on a latch that
 * {@code interrupt} opens, then counts itself returned. Without the starter on the classpath the
 * {@code @Actor} annotation is absent at run time and the beans are plain singletons that nobody
 * runs. The counters are per JVM (one application per JVM).
 */
@Actor
public final class LatchActor implements Interruptible {

  private static final AtomicInteger started = new AtomicInteger();
  private static final AtomicInteger returned = new AtomicInteger();
  private static final AtomicInteger onVirtualThreads = new AtomicInteger();
  private static volatile CountDownLatch allStarted = new CountDownLatch(0);

  private final CountDownLatch interrupted = new CountDownLatch(1);

  /** A bean; made by Spring from the registered definitions. */
  public LatchActor() {}

  /**
   * Sets how many actors {@link #awaitAllStarted} waits for; called before the context starts.
   *
   * @param n the number of actors expected to enter {@code execute}
   */
  static void expect(int n) {
    allStarted = new CountDownLatch(n);
  }

  /** Waits until as many actors as {@link #expect expected} have entered {@code execute}. */
  static boolean awaitAllStarted(long timeout, TimeUnit unit) throws InterruptedException {
    return allStarted.await(timeout, unit);
  }

  /** How many actors have entered {@code execute}. */
  static int started() {
    return started.get();
  }

  /** How many actors have returned from {@code execute}. */
  static int returned() {
    return returned.get();
  }

  /** How many actors ran on a virtual thread. */
  static int onVirtualThreads() {
    return onVirtualThreads.get();
  }

  @Override
  public void execute() throws InterruptedException {
    // Thread.isVirtual() is Java 21; this module compiles for 17.
    if (Thread.currentThread().getClass().getName().equals("java.lang.VirtualThread")) {
      onVirtualThreads.incrementAndGet();
    }
    started.incrementAndGet();
    allStarted.countDown();
    try {
      interrupted.await();
    } finally {
      returned.incrementAndGet();
    }
  }

  @Override
  public void interrupt(@Nullable Throwable cause) {
    interrupted.countDown();
  }
}
