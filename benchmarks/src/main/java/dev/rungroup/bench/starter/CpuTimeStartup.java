package dev.rungroup.bench.starter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * An {@link ApplicationStartup} that records each of Spring's start-up steps with the CPU time its
 * thread spent in it ({@link ThreadMXBean#getCurrentThreadCpuTime()}, nanoseconds), not the wall
 * clock: a step's figure then leaves out the time the thread waited for a CPU while other work ran
 * on the machine. A step's parent is the step its thread was in when it started (Spring starts and
 * ends its steps on one thread).
 */
final class CpuTimeStartup implements ApplicationStartup {

  /** One ended step. */
  record Recorded(
      long id, @Nullable Long parentId, String name, Map<String, String> tags, long cpuNanos) {}

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final AtomicLong ids = new AtomicLong();
  private final ThreadLocal<Deque<Step>> open = ThreadLocal.withInitial(ArrayDeque::new);
  private final ConcurrentLinkedQueue<Recorded> recorded = new ConcurrentLinkedQueue<>();

  CpuTimeStartup() {
    threads.getCurrentThreadCpuTime(); // the first call initialises the clock, outside any step
  }

  @Override
  public StartupStep start(String name) {
    Deque<Step> stack = open.get();
    Step parent = stack.peek();
    Step step = new Step(ids.incrementAndGet(), parent == null ? null : parent.id, name);
    stack.push(step);
    step.began = threads.getCurrentThreadCpuTime();
    return step;
  }

  /** The steps ended so far, in the order they ended. */
  List<Recorded> steps() {
    return List.copyOf(recorded);
  }

  private final class Step implements StartupStep {
    final long id;
    final @Nullable Long parentId;
    final String name;
    final List<Tag> tags = new ArrayList<>();
    long began;
    boolean ended;

    Step(long id, @Nullable Long parentId, String name) {
      this.id = id;
      this.parentId = parentId;
      this.name = name;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public long getId() {
      return id;
    }

    @Override
    public @Nullable Long getParentId() {
      return parentId;
    }

    @Override
    public StartupStep tag(String key, String value) {
      tags.add(new SimpleTag(key, value));
      return this;
    }

    @Override
    public StartupStep tag(String key, Supplier<String> value) {
      return tag(key, value.get());
    }

    @Override
    public Tags getTags() {
      return tags::iterator;
    }

    @Override
    public void end() {
      if (ended) {
        return;
      }
      ended = true;
      long cpu = threads.getCurrentThreadCpuTime() - began;
      Deque<Step> stack = open.get();
      stack.remove(this);
      Map<String, String> byKey = new LinkedHashMap<>();
      for (Tag tag : tags) {
        byKey.put(tag.getKey(), tag.getValue());
      }
      recorded.add(new Recorded(id, parentId, name, byKey, cpu));
    }
  }

  private record SimpleTag(String key, String value) implements StartupStep.Tag {
    @Override
    public String getKey() {
      return key;
    }

    @Override
    public String getValue() {
      return value;
    }
  }
}
