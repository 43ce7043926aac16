package dev.rungroup.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Memory of idle actors, measured in a fresh JVM per measurement (started by {@link Compare}).
 *
 * <ul>
 *   <li>{@code retained CONTENDER KIND N}: heap retained after a full GC, and RSS added, per idle
 *       actor: N actors are started (scenario B) and blocked; the figures are the difference to
 *       before they were built, divided by N. They include the benchmark's own actor object and
 *       latch (about 70 bytes), the same for every contender.
 *   <li>{@code peak CONTENDER KIND N}: runs scenario B with N actors and reports the process's peak
 *       RSS ({@code VmHWM} of {@code /proc/self/status}) after the run.
 *   <li>{@code floor}: the peak RSS of this JVM doing nothing.
 * </ul>
 *
 * <p>Prints one line {@code PROBE key=value ...} for the parent to parse.
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  /**
   * Runs one probe.
   *
   * @param args {@code retained|peak CONTENDER KIND N}, or {@code floor}
   * @throws Exception if the probe fails
   */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    if (mode.equals("floor")) {
      usedHeapAfterGc();
      System.out.println("PROBE peakRss=" + Proc.statusBytes("VmHWM"));
      return;
    }
    Contender contender = Contenders.byName(args[1]);
    ThreadKind kind = ThreadKind.parse(args[2]);
    int n = Integer.parseInt(args[3]);
    switch (mode) {
      case "retained" -> {
        long heapBefore = usedHeapAfterGc();
        long rssBefore = Proc.statusBytes("VmRSS");
        Measure.StartedRun run = Measure.startB(contender, n, kind);
        long heapAfter = usedHeapAfterGc();
        long rssAfter = Proc.statusBytes("VmRSS");
        run.stopAndAwait();
        System.out.printf(
            Locale.ROOT,
            "PROBE heapPerActor=%.1f rssPerActor=%.1f%n",
            (heapAfter - heapBefore) / (double) n,
            (rssAfter - rssBefore) / (double) n);
      }
      case "peak" -> {
        long began = System.nanoTime();
        Measure.StartedRun run = Measure.startB(contender, n, kind);
        run.stopAndAwait();
        long took = System.nanoTime() - began;
        System.out.println("PROBE peakRss=" + Proc.statusBytes("VmHWM") + " nanos=" + took);
      }
      default -> throw new IllegalArgumentException("unknown probe mode " + mode);
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      // Not synchronisation: lets reference processing and the collector's concurrent phases
      // settle between collections, so the heap reading after the loop is stable.
      Thread.sleep(50);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
