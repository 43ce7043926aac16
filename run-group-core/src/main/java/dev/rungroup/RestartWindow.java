package dev.rungroup;

/**
 * The restarts of one supervised actor that still count against its budget: those younger than the
 * policy's {@code within}, as {@link System#nanoTime()} stamps in a ring that grows only up to
 * {@code maxRestarts} (so an actor restarted for years holds at most that many) and, if longer than
 * {@link #KEPT}, is given back when they have all aged out. Guarded by the group's lock, like the
 * slot that owns it.
 */
final class RestartWindow {

  private static final long[] EMPTY = new long[0];

  /**
   * The ring's length kept when every restart has aged out; a longer one (a burst) is given back
   * then. Not smaller: a window that fills with a few restarts and drains again, over and over,
   * would otherwise allocate its ring anew each time.
   */
  static final int KEPT = 64;

  private long[] stamps = EMPTY;
  private int head;
  private int size;

  /**
   * Counts a restart at {@code now} if the budget allows it.
   *
   * @return the number of this restart in the window (1 for the first), or 0 if it would make more
   *     than {@code maxRestarts}: the failure escalates
   */
  int admit(long now, RestartPolicy policy) {
    long within = policy.withinNanos();
    long[] ring = stamps;
    while (size > 0 && now - ring[head] >= within) {
      if (++head == ring.length) {
        head = 0;
      }
      size--;
    }
    if (size >= policy.maxRestarts()) {
      return 0;
    }
    if (size == ring.length) {
      ring = grow(policy.maxRestarts());
    } else if (size == 0 && ring.length > KEPT) {
      stamps = EMPTY; // all aged out: give the memory back
      head = 0;
      ring = grow(policy.maxRestarts());
    }
    int tail = head + size;
    ring[tail >= ring.length ? tail - ring.length : tail] = now;
    size++;
    return size;
  }

  /** How many restarts count now; for tests. */
  int size() {
    return size;
  }

  /** A ring twice as long (at least 4, at most {@code max}), the stamps in order from 0. */
  private long[] grow(int max) {
    long[] ring = stamps;
    int capacity = (int) Math.min(max, Math.max(4L, ring.length * 2L));
    long[] grown = new long[capacity];
    int first = Math.min(size, ring.length - head);
    System.arraycopy(ring, head, grown, 0, first);
    System.arraycopy(ring, 0, grown, first, size - first);
    stamps = grown;
    head = 0;
    return grown;
  }
}
