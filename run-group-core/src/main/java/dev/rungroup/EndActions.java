package dev.rungroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What runs once a group has ended: when {@link Group#run()} is about to return, or when the group
 * is stopped before it ran. For the ready-made actors that hold a resource for the whole run, such
 * as a shutdown hook.
 *
 * <p>Thread-safe: guarded by the group's lock, which is released while the actions run. An action
 * added before the end happens-before it runs; each action runs exactly once.
 */
final class EndActions {

  private final ReentrantLock lock;

  /** Guarded by {@link #lock}; {@code null} once the actions ran. */
  private @Nullable List<Runnable> actions = new ArrayList<>();

  EndActions(ReentrantLock lock) {
    this.lock = lock;
  }

  /**
   * Runs {@code action} once the group has ended; at once if it has ended already. {@code action}
   * is the core's own code: it must be quick and must not throw.
   */
  void add(Runnable action) {
    lock.lock();
    try {
      List<Runnable> pending = actions;
      if (pending != null) {
        pending.add(action);
        return;
      }
    } finally {
      lock.unlock();
    }
    run(action);
  }

  /** The group has ended: runs the actions added so far, and later ones at once. */
  void end() {
    List<Runnable> pending;
    lock.lock();
    try {
      pending = actions;
      actions = null;
    } finally {
      lock.unlock();
    }
    if (pending != null) {
      for (Runnable action : pending) {
        run(action);
      }
    }
  }

  private void run(Runnable action) {
    assert !lock.isHeldByCurrentThread() : Group.NO_USER_CODE_UNDER_LOCK;
    action.run();
  }
}
