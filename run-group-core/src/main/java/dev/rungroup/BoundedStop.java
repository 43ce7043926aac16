package dev.rungroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The stop of a group with a stop timeout, or of a graph: the interrupts run on a stopper thread.
 * With a stop timeout, so that the thread in {@link Group#run()} can keep its deadline; once the
 * timeout has run out, the interrupts not called yet are called at once, each on a daemon thread of
 * the group's own, every actor thread still running the actor gets {@link Thread#interrupt()}, and
 * all of them get the grace. In a graph without a stop timeout there is no deadline: the stopper
 * thread comes from the group's factory like the actors' (a virtual one for virtual actors), so
 * that the hand-off at each layer of the ordered stop, from the last dependent to return to the
 * stopper, stays in the scheduler of the actors' threads; {@code run()} waits for the stopper and
 * then for the actors, without bound, as a flat group's stop does.
 *
 * <p>Made, with its thread, while run() starts the actors, so that no thread factory is called once
 * the timeout counts. Thread-safety: {@link #stop} is called once, by the thread in run(); the
 * stopper thread and the late ones take the interrupts through an atomic index, so each interrupt
 * is called exactly once; {@link #cause} is written before the stopper thread is started, which
 * makes it visible there.
 */
final class BoundedStop implements Runnable {

  static final String THREAD_NAME = "run-group-stopper";

  /** The longest duration counted in nanoseconds (about 292 years): practically forever. */
  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

  /** How often a wait for the stopper's task looks whether its thread died without running it. */
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(Group.RECHECK_MILLIS);

  private final Group group;
  private final Slot[] actors;

  /** The next interrupt to call; past the end once every interrupt has been taken. */
  private final AtomicInteger next = new AtomicInteger();

  /** Written before {@link #owner} is started. */
  private @Nullable Throwable cause;

  /** When the stop timeout runs out ({@link System#nanoTime()}); written before {@link #owner}. */
  private long deadline;

  /** Whether there is a stop timeout (else {@link #deadline} is practically never); as deadline. */
  private boolean bounded;

  /** Opened once the stopper thread's task has returned; its release orders what it did. */
  private final CountDownLatch done = new CountDownLatch(1);

  /** The stopper thread: from the factory, else the group's own; {@code null} if none. */
  private volatile @Nullable Thread owner;

  private BoundedStop(Group group, Slot[] actors) {
    this.group = group;
    this.actors = actors;
  }

  /**
   * The stop and its thread, made (not started): the thread comes from the group's factory, else it
   * is one of the group's own, or there is none if no thread can be made at all.
   */
  static BoundedStop prepare(Group group, Slot[] actors) {
    BoundedStop stop = new BoundedStop(group, actors);
    try {
      stop.owner = group.newThread(stop, THREAD_NAME);
    } catch (Throwable e) { // the factory failed: a thread of the group's own
      stop.owner = Threads.own(stop, THREAD_NAME);
    }
    return stop;
  }

  /**
   * Calls the interrupts not called yet, in the stop order, on the thread made for it: a thread
   * handed to it by a factory that had started it already does nothing.
   */
  @Override
  public void run() {
    if (owner == Thread.currentThread()) {
      try {
        callInterrupts();
      } finally {
        done.countDown();
      }
    }
  }

  /**
   * Waits until the stopper's task has returned, until {@code deadline}: not for its thread to die
   * (a factory's thread may do more after the task), unless it died without running it; returns
   * whether this thread was interrupted.
   */
  private boolean awaitStopper(Thread stopper, long deadline) {
    boolean interrupted = false;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || done.getCount() == 0 || !stopper.isAlive()) { // died without running it
        return interrupted;
      }
      try {
        if (done.await(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS)) {
          return interrupted;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  private void callInterrupts() {
    Throwable c = cause;
    for (int i = next.getAndIncrement(); i < actors.length; i = next.getAndIncrement()) {
      group.awaitDependents(actors[i], bounded, deadline); // its dependents first, until then
      actors[i].callInterrupt(c);
    }
  }

  /**
   * Interrupts every actor with {@code cause} and waits for them until {@code began} (a {@link
   * System#nanoTime()}) plus {@code timeout}, then, if any is left, forces the rest and waits the
   * grace; without a timeout ({@code null}), waits until they all ended. Returns whether the
   * calling thread was interrupted meanwhile.
   */
  boolean stop(@Nullable Throwable cause, long began, @Nullable Duration timeout, Duration grace) {
    boolean interrupted = false;
    // may wrap: only compared as deadline - now
    long deadline = began + (timeout == null ? Long.MAX_VALUE : saturatedNanos(timeout));
    this.cause = cause;
    this.deadline = deadline;
    this.bounded = timeout != null;
    Thread stopper = owner;
    if (stopper != null && !Threads.start(stopper)) {
      stopper = null;
    }
    if (stopper == null) { // no thread at all: interrupt on this one, unguarded
      callInterrupts();
    } else {
      interrupted |= awaitStopper(stopper, deadline);
    }
    if (timeout == null) {
      // A stopper thread that died without running the task (or all of it) left interrupts
      // untaken: they are called here, in order; none is called twice (the index).
      callInterrupts();
      return group.awaitEnded(actors, false, 0) || interrupted;
    }
    interrupted |= group.awaitEnded(actors, true, deadline);
    if ((stopper != null && done.getCount() > 0) || !group.allEnded(actors)) {
      interrupted |= force(cause, stopper, saturatedNanos(grace));
    }
    return interrupted;
  }

  /** When the stop timeout runs out ({@link System#nanoTime()}), once {@link #stop} began. */
  long deadline() {
    return deadline;
  }

  /**
   * Out of time: calls the interrupts not called yet, each on a thread of the group's own (a
   * factory is user code and might block), pokes every thread still in execute, and gives them the
   * grace.
   */
  private boolean force(@Nullable Throwable cause, @Nullable Thread stopper, long grace) {
    boolean interrupted = false;
    int from = next.getAndSet(actors.length);
    List<Thread> rescuers = new ArrayList<>();
    for (int i = from; i < actors.length; i++) {
      Slot slot = actors[i];
      Thread rescuer = Threads.own(() -> slot.callInterrupt(cause), THREAD_NAME + "-" + slot.name);
      if (rescuer != null && Threads.start(rescuer)) {
        rescuers.add(rescuer);
      } else { // no thread to spare
        slot.callInterrupt(cause);
      }
    }
    for (Slot slot : actors) {
      Thread thread = slot.thread;
      if (thread != null && slot.running()) {
        thread.interrupt();
      }
    }
    long graceEnd = System.nanoTime() + grace;
    interrupted |= group.awaitEnded(actors, true, graceEnd);
    if (stopper != null) { // the interrupts called late get the grace too
      interrupted |= awaitStopper(stopper, graceEnd);
    }
    for (Thread rescuer : rescuers) {
      interrupted |= Threads.joinUntil(rescuer, graceEnd);
    }
    return interrupted;
  }

  /** {@code timeout + grace} in nanoseconds, saturated at {@link Long#MAX_VALUE}. */
  static long boundNanos(Duration timeout, Duration grace) {
    return saturatedAdd(saturatedNanos(timeout), saturatedNanos(grace));
  }

  /** {@code d} in nanoseconds, or {@link Long#MAX_VALUE} if it is longer; {@code d >= 0}. */
  static long saturatedNanos(Duration d) {
    return d.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : d.toNanos();
  }

  /** {@code a + b} for {@code a, b >= 0}, or {@link Long#MAX_VALUE} if that overflows. */
  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < a ? Long.MAX_VALUE : sum;
  }
}
