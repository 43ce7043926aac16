package dev.rungroup.bench.starter;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One of the benchmark's ordinary beans (not an actor): an in-memory store, as an application has
 * many of, created by Spring from a registered definition.
 */
public class PlainRepository {

  private final Map<String, String> values = new ConcurrentHashMap<>();

  /** A bean; made by Spring from the registered definitions. */
  public PlainRepository() {}

  /**
   * Stores a value.
   *
   * @param key its key
   * @param value the value
   */
  public void put(String key, String value) {
    values.put(key, value);
  }

  /**
   * The value stored under a key.
   *
   * @param key the key
   * @return its value, if any
   */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * How many values are stored.
   *
   * @return their count
   */
  public int size() {
    return values.size();
  }
}
