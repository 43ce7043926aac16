package dev.rungroup;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The startup timeouts of a group's actors: one daemon thread of the group's own (made only when an
 * actor has a startup timeout, before any actor starts), which waits until the earliest deadline
 * and fails the incarnation that is not ready by then: it takes that incarnation's interrupt and
 * calls it with a {@link StartupTimeoutException}, on this thread. It ends once the group stops.
 *
 * <p>Thread-safety: the queue is guarded by the group's lock; the wait is on the group's condition,
 * which a new earliest deadline and every change of state signal. Stale entries (an incarnation
 * that became ready, returned or was interrupted) are dropped when they come up.
 */
final class StartupTimer implements Runnable {

  static final String THREAD_NAME = "run-group-startup-timer";

  /** Deadlines further than this (about 146 years) are never reached: they are not armed. */
  private static final long FOREVER = Long.MAX_VALUE / 2;

  private final Group group;
  private final PriorityQueue<ManagedSlot.Incarnation> queue =
      new PriorityQueue<>((a, b) -> Long.compare(a.deadline - b.deadline, 0));

  StartupTimer(Group group) {
    this.group = group;
  }

  /** Under the lock: {@code inc} must be ready within {@code timeout} from now. */
  void armLocked(ManagedSlot.Incarnation inc, Duration timeout) {
    long nanos = BoundedStop.saturatedNanos(timeout);
    if (nanos >= FOREVER) {
      return;
    }
    inc.deadline = System.nanoTime() + nanos;
    queue.add(inc);
    if (queue.peek() == inc) {
      group.stateChanged.signalAll();
    }
  }

  @Override
  public void run() {
    ReentrantLock lock = group.lock;
    lock.lock();
    try {
      while (group.state() == Group.State.RUNNING) {
        ManagedSlot.Incarnation head = queue.peek();
        long left = head == null ? Long.MAX_VALUE : head.deadline - System.nanoTime();
        if (left > 0) {
          if (head == null) {
            group.stateChanged.await();
          } else {
            group.stateChanged.awaitNanos(left);
          }
          continue;
        }
        queue.poll();
        ManagedSlot slot = head.slot();
        StartupTimeoutException error = slot.expireLocked(head);
        if (error != null) {
          lock.unlock();
          try {
            slot.timedOut(head, error); // user code: the incarnation's interrupt
          } finally {
            lock.lock();
          }
        }
      }
    } catch (InterruptedException e) {
      // no one else interrupts this thread; end
    } finally {
      lock.unlock();
    }
  }
}
