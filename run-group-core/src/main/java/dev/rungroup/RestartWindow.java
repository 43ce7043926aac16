package dev.rungroup;

/**
 * The restarts of one supervised actor that still count against its budget: those younger than the
 * policy's {@code within}, as {@link System#nanoTime()} stamps in a ring that grows only up to
 * {@code maxRestarts} (so an actor restarted for years holds at most that many) and shrinks back
 * when they age out. Guarded by the group's lock, like the slot that owns it.
 */
final class RestartWindow {

  private static final long[] EMPTY = new long[0];

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
    long within = BoundedStop.saturatedNanos(policy.within());
    while (size > 0 && now - stamps[head] >= within) {
      head = (head + 1) % stamps.length;
      size--;
    }
    if (size >= policy.maxRestarts()) {
      return 0;
    }
    if (size == stamps.length) {
      grow(policy.maxRestarts());
    } else if (size == 0 && stamps.length > 8) {
      stamps = EMPTY; // all aged out: give the memory back
      head = 0;
      grow(policy.maxRestarts());
    }
    stamps[(head + size) % stamps.length] = now;
    size++;
    return size;
  }

  /** How many restarts count now; for tests. */
  int size() {
    return size;
  }

  private void grow(int max) {
    int capacity = (int) Math.min(max, Math.max(4L, stamps.length * 2L));
    long[] grown = new long[capacity];
    for (int i = 0; i < size; i++) {
      grown[i] = stamps[(head + i) % stamps.length];
    }
    stamps = grown;
    head = 0;
  }
}
