package dev.rungroup.samples.cluster;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /ticker}: this replica's name, process id, tick count and latest tick. */
@RestController
class TickerController {

  private final Ticker ticker;
  private final String replica;

  TickerController(Ticker ticker, ClusterProperties properties) {
    this.ticker = ticker;
    this.replica = properties.replica();
  }

  /**
   * The ticker's state.
   *
   * @param replica this replica's name
   * @param pid this process's id
   * @param ticks the ticks so far
   * @param lastTick the latest tick, or {@code null} before the first
   */
  record TickerState(String replica, long pid, long ticks, @Nullable Instant lastTick) {}

  @GetMapping("/ticker")
  TickerState ticker() {
    return new TickerState(
        replica, ProcessHandle.current().pid(), ticker.ticks(), ticker.lastTick());
  }
}
