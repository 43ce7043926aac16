package dev.rungroup.bench;

/** What the actors of one measured run do. */
enum Scenario {
  /**
   * N-1 actors block until interrupted, the last one added fails at once; measured: the run from
   * call to return.
   */
  A,
  /**
   * All N actors block; once all have started (a latch counted down in execute) the run is stopped
   * from outside; measured: from the stop to the run returning.
   */
  B
}
