package dev.rungroup.samples.service;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * A flaky upstream source (a remote endpoint the service reads), with a switch: {@link
 * #failNext(int)} ({@code POST /fault/upstream?failures=N}) makes its next polls fail.
 *
 * <p>Thread-safety: atomic counters; any thread may call either method.
 */
@Component
final class UpstreamSource {

  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicLong samples = new AtomicLong();

  /**
   * Makes the next polls fail.
   *
   * @param count how many, from now (it replaces what was left of an earlier count)
   */
  void failNext(int count) {
    failures.set(count);
  }

  /**
   * Polls the source.
   *
   * @return the next sample
   * @throws IOException if the switch made this poll fail
   */
  String poll() throws IOException {
    int left = failures.getAndUpdate(count -> count > 0 ? count - 1 : 0);
    if (left > 0) {
      throw new IOException(
          "upstream unavailable (injected failure, " + (left - 1) + " more to come)");
    }
    return "sample " + samples.incrementAndGet();
  }
}
