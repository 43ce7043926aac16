package dev.rungroup;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * What a group knows about its actors added with options: which they are, whether any starts after
 * another, whether any has a startup timeout; and the stop order that follows from the {@code
 * after} edges. Made by the first {@code add} with options, so a group without options has none.
 *
 * <p>Thread-safety: written under the group's lock while actors are added, read once {@code run()}
 * began (which publishes it), the waiters under the lock.
 */
final class Graph {

  private final List<ManagedSlot> managed = new ArrayList<>();
  private boolean edges;
  private boolean timeouts;

  void add(ManagedSlot slot) {
    managed.add(slot);
    edges |= slot.dependencies.length > 0;
    timeouts |= slot.options.timeoutOrNull() != null;
  }

  boolean hasTimeouts() {
    return timeouts;
  }

  /**
   * The order of the interrupts: repeatedly the earliest-added actor among those not yet placed
   * whose dependents are all placed (the reverse of a topological order, ties in add order); add
   * order when no actor starts after another.
   */
  Slot[] stopOrder(Slot[] actors) {
    if (!edges) {
      return actors;
    }
    int n = actors.length;
    IdentityHashMap<Slot, Integer> index = new IdentityHashMap<>(n);
    for (int i = 0; i < n; i++) {
      index.put(actors[i], i);
    }
    int[] unplacedDependents = new int[n];
    for (Slot slot : actors) {
      if (slot instanceof ManagedSlot m) {
        for (Slot d : m.dependencies) {
          unplacedDependents[Objects.requireNonNull(index.get(d))]++;
        }
      }
    }
    PriorityQueue<Integer> placeable = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (unplacedDependents[i] == 0) {
        placeable.add(i);
      }
    }
    Slot[] order = new Slot[n];
    int placed = 0;
    while (!placeable.isEmpty()) {
      Slot next = actors[placeable.poll()];
      order[placed++] = next;
      if (next instanceof ManagedSlot m) {
        for (Slot d : m.dependencies) {
          int i = Objects.requireNonNull(index.get(d));
          if (--unplacedDependents[i] == 0) {
            placeable.add(i);
          }
        }
      }
    }
    if (placed != n) { // cannot happen: after only names earlier actors
      throw new AssertionError("the actors' graph has a cycle");
    }
    return order;
  }

  /** Under the lock: the threads waiting for their dependencies, to unpark at the stop. */
  Thread @Nullable [] waitersLocked() {
    Thread[] waiters = null;
    int k = 0;
    for (ManagedSlot slot : managed) {
      Thread t = slot.waiterLocked();
      if (t != null) {
        if (waiters == null) {
          waiters = new Thread[managed.size()];
        }
        waiters[k++] = t;
      }
    }
    return waiters;
  }
}
