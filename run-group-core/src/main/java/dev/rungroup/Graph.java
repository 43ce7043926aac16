package dev.rungroup;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
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

  /** Whether any actor starts after another: then the stop waits for dependents. */
  boolean hasEdges() {
    return edges;
  }

  /**
   * The order of the interrupts: repeatedly the earliest-added actor among those not yet placed
   * whose dependents are all placed (the reverse of a topological order, ties in add order); add
   * order when no actor starts after another. Linear in the actors and edges but for the heap of
   * placeable positions: an actor with options knows its position, so only actors without options
   * that others start after are looked up in a map (run() calls this before it starts any actor).
   */
  Slot[] stopOrder(Slot[] actors) {
    if (!edges) {
      return actors;
    }
    int n = actors.length;
    IdentityHashMap<Slot, Integer> plainIndex = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      Slot slot = actors[i];
      Slot.Dependents d = slot.dependents;
      if (d != null) {
        d.seal(); // before any actor starts: run() publishes it
      }
      if (!(slot instanceof ManagedSlot) && d != null) {
        plainIndex.put(slot, i);
      }
    }
    // An actor's dependents name it once each (its dependencies are distinct), so they count it.
    int[] unplacedDependents = new int[n];
    IntHeap placeable = new IntHeap(n);
    for (int i = 0; i < n; i++) {
      ManagedSlot[] dependents = actors[i].dependents();
      unplacedDependents[i] = dependents == null ? 0 : dependents.length;
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
          int i = indexOf(d, plainIndex);
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

  private static int indexOf(Slot slot, IdentityHashMap<Slot, Integer> plainIndex) {
    return slot instanceof ManagedSlot m
        ? m.index
        : Objects.requireNonNull(plainIndex.get(slot), "a dependency outside the group");
  }

  /** A binary min-heap of distinct positions, at most {@code capacity} at a time. */
  private static final class IntHeap {
    private final int[] heap;
    private int size;

    IntHeap(int capacity) {
      heap = new int[capacity];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void add(int value) {
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] <= value) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = value;
    }

    int poll() {
      int top = heap[0];
      int last = heap[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && heap[child + 1] < heap[child]) {
          child++;
        }
        if (last <= heap[child]) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      if (size > 0) {
        heap[i] = last;
      }
      return top;
    }
  }

  /**
   * Under the lock, the group stopping: the actors still waiting for their dependencies whose
   * threads the caller is to start (see {@link ManagedSlot#stopReleaseLocked}); the parked ones are
   * unparked.
   */
  ManagedSlot @Nullable [] stopReleaseLocked() {
    ManagedSlot[] release = null;
    int k = 0;
    for (ManagedSlot slot : managed) {
      if (slot.stopReleaseLocked()) {
        if (release == null) {
          release = new ManagedSlot[managed.size()];
        }
        release[k++] = slot;
      }
    }
    return release;
  }
}
