package dev.rungroup.bench.starter;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;

/**
 * One of the benchmark's ordinary beans (not an actor): an event listener method, the kind of bean
 * Spring's {@code @EventListener} detection looks at.
 */
public class PlainListener {

  private final AtomicInteger refreshes = new AtomicInteger();

  /** A bean; made by Spring from the registered definitions. */
  public PlainListener() {}

  /**
   * Counts the refreshes of the context.
   *
   * @param event the refresh
   */
  @EventListener
  public void onRefresh(ContextRefreshedEvent event) {
    refreshes.incrementAndGet();
  }

  /**
   * How many refreshes it saw.
   *
   * @return their count
   */
  public int refreshes() {
    return refreshes.get();
  }
}
