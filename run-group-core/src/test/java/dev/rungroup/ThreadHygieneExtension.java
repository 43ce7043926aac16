package dev.rungroup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Thread hygiene for the core's tests: fails a test if a thread created by a {@link Group} during
 * it is still alive afterwards, except actors that an {@link Exit} handed to {@link
 * #allowNotStopped(Exit)} reported as not stopped (and its stopper threads while one of its
 * interrupts is reported as not completed). Every leftover, allowed or not, is then ended: given
 * {@link Thread#interrupt()} and a short bounded join.
 *
 * <p>A group's thread is recognised by its stack (a frame of the engine: an actor's {@code
 * Slot.run} or {@code ManagedSlot.run}, the {@code StartupTimer}, the {@code BoundedStop}, or
 * {@code Group} itself) or by the stopper's name {@code run-group-stopper*}; a thread that is just
 * ending gets {@link #DYING_MILLIS} to do so. Registered for every test of the core through {@code
 * junit.jupiter.extensions.autodetection.enabled} (set in the core's surefire configuration); other
 * modules get it from the core's test-jar and opt in with
 * {@code @ExtendWith(ThreadHygieneExtension.class)}. Virtual threads cannot be enumerated and are
 * not seen: the property tests check those themselves.
 */
public final class ThreadHygieneExtension implements BeforeEachCallback, AfterEachCallback {

  /** How long a thread that is ending may take before it counts as a leftover. */
  static final long DYING_MILLIS = 1_000;

  /** How long an ended leftover may take to die after {@link Thread#interrupt()}. */
  static final long END_MILLIS = 1_000;

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ThreadHygieneExtension.class);
  private static final Queue<Exit> ALLOWED = new ConcurrentLinkedQueue<>();

  /**
   * Lets the actors {@code exit} reports as not stopped outlive the current test (they are still
   * ended after it).
   *
   * @param exit what the test's {@code run()} returned
   */
  public static void allowNotStopped(Exit exit) {
    ALLOWED.add(exit);
  }

  /** The test the extension last prepared for; lets a test check that it is registered. */
  private static volatile String lastTest = "";

  /**
   * The display name of the test this extension last ran before.
   *
   * @return that test's display name; empty if it has not run yet
   */
  static String lastTest() {
    return lastTest;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    lastTest = context.getDisplayName();
    ALLOWED.clear();
    context.getStore(NAMESPACE).put("before", Set.copyOf(liveThreads()));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    Set<Thread> before = (Set<Thread>) context.getStore(NAMESPACE).get("before", Set.class);
    if (before == null) {
      return;
    }
    List<Thread> leftovers = leftovers(before);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DYING_MILLIS);
    for (Thread t : leftovers) {
      joinUntil(t, deadline);
    }
    List<String> leaks = new ArrayList<>();
    List<Thread> toEnd = new ArrayList<>();
    for (Thread t : leftovers) {
      if (!t.isAlive()) {
        continue;
      }
      toEnd.add(t);
      if (!allowed(t)) {
        leaks.add(describe(t));
      }
    }
    ALLOWED.clear();
    for (Thread t : toEnd) {
      t.interrupt();
    }
    long endBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(END_MILLIS);
    for (Thread t : toEnd) {
      joinUntil(t, endBy);
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "thread hygiene: "
              + leaks.size()
              + " thread(s) of a group still"
              + " alive after the test, not reported as not stopped (they were interrupted):\n"
              + String.join("\n", leaks));
    }
  }

  static List<Thread> leftovers(Set<Thread> before) {
    List<Thread> out = new ArrayList<>();
    Thread current = Thread.currentThread();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      Thread t = e.getKey();
      if (t != current && !before.contains(t) && t.isAlive() && isGroupThread(t, e.getValue())) {
        out.add(t);
      }
    }
    return out;
  }

  static boolean isGroupThread(Thread t, StackTraceElement[] stack) {
    if (t.getName().startsWith("run-group-stopper")) {
      return true;
    }
    for (StackTraceElement frame : stack) {
      String cls = frame.getClassName();
      if (cls.equals("dev.rungroup.Slot")
          || cls.equals("dev.rungroup.ManagedSlot")
          || cls.equals("dev.rungroup.StartupTimer")
          || cls.startsWith("dev.rungroup.BoundedStop")) {
        return true;
      }
      if (cls.equals("dev.rungroup.Group") || cls.startsWith("dev.rungroup.Group$")) {
        return !cls.startsWith("dev.rungroup.Group$Builder");
      }
    }
    return false;
  }

  private static boolean allowed(Thread t) {
    String name = t.getName();
    for (Exit exit : ALLOWED) {
      for (Exit.Outcome o : exit.actors()) {
        if (!o.stopped() && name.equals(o.name())) {
          return true;
        }
        if (!o.interruptCompleted() && name.startsWith("run-group-stopper")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String describe(Thread t) {
    StringBuilder b =
        new StringBuilder("  '").append(t.getName()).append("' ").append(t.getState());
    for (StackTraceElement frame : t.getStackTrace()) {
      b.append("\n      at ").append(frame);
    }
    return b.toString();
  }

  private static Set<Thread> liveThreads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  private static void joinUntil(Thread t, long deadline) {
    while (t.isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
