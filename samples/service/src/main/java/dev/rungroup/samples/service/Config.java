package dev.rungroup.samples.service;

import dev.rungroup.ActorContext;
import dev.rungroup.Readiness;
import dev.rungroup.spring.Actor;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The configuration (Prometheus's config file) and the {@code config} actor that loads it from
 * {@code service.config-file}, signals ready, then reloads it on request ({@code POST /-/reload},
 * as Prometheus does) until the group stops.
 *
 * <p>The actor is declared {@code after = "storage"} and {@link Readiness#SIGNALLED SIGNALLED}: the
 * {@code web}, {@code scrape} and {@code rules} actors, after it, begin only once it has loaded the
 * file, so {@link #settings()} never finds it unloaded there. A file that cannot be loaded at the
 * start fails the actor, and with it the group; a reload that fails keeps the settings loaded
 * before, and says so.
 *
 * <p>Thread-safety: the settings are one volatile immutable record, replaced whole by a load; a
 * reader sees the settings of one load, never a mix.
 */
@Component
final class Config {

  private static final Log logger = LogFactory.getLog(Config.class);

  /**
   * The loaded configuration.
   *
   * @param scrapeInterval pause between two scraped items
   * @param targets what the scrape actor scrapes, in turn
   * @param rulesInterval pause between two evaluations of the rules
   * @param rules the rules' names
   */
  record Settings(
      Duration scrapeInterval, List<String> targets, Duration rulesInterval, List<String> rules) {}

  private final ResourceLoader resources;
  private final String location;
  private final BlockingQueue<String> reloads = new LinkedBlockingQueue<>();
  private volatile @Nullable Settings settings;

  Config(ServiceProperties properties, ResourceLoader resources) {
    this.resources = resources;
    this.location = properties.configFile();
  }

  /**
   * The actor: loads the configuration, signals ready, then handles reload requests until the
   * group's interrupt ({@link Thread#interrupt()} of this thread).
   *
   * @param context the actor's context, to signal that the configuration is loaded
   * @throws IOException if the configuration cannot be loaded at the start
   * @throws InterruptedException when the group stops (a normal return for a method actor)
   */
  @Actor(name = "config", after = "storage", readiness = Readiness.SIGNALLED)
  void run(ActorContext context) throws IOException, InterruptedException {
    load("start");
    context.ready(); // the actors after "config" may begin
    try {
      while (true) {
        String reason = reloads.take();
        try {
          load(reason);
        } catch (IOException | RuntimeException e) {
          logger.error("config: reload (" + reason + ") failed, keeping the loaded settings", e);
        }
      }
    } finally {
      logger.info("config: stopped");
    }
  }

  /**
   * Asks the actor to load the file again.
   *
   * @param reason what asked for it, for the log
   */
  void reload(String reason) {
    reloads.add(reason);
  }

  /**
   * The settings of the latest load.
   *
   * @return the settings
   * @throws IllegalStateException if the configuration is not loaded yet
   */
  Settings settings() {
    Settings loaded = settings;
    if (loaded == null) {
      throw new IllegalStateException("config is not loaded");
    }
    return loaded;
  }

  private void load(String reason) throws IOException {
    Resource resource = resources.getResource(location);
    Properties file = new Properties();
    try (InputStream in = resource.getInputStream()) {
      file.load(in);
    }
    Settings loaded =
        new Settings(
            duration(file, "scrape.interval"),
            list(file, "scrape.targets"),
            duration(file, "rules.interval"),
            list(file, "rules"));
    settings = loaded;
    logger.info(
        "config: loaded "
            + location
            + " ("
            + reason
            + "): "
            + loaded.targets().size()
            + " targets every "
            + loaded.scrapeInterval().toMillis()
            + " ms, "
            + loaded.rules().size()
            + " rules every "
            + loaded.rulesInterval().toMillis()
            + " ms");
  }

  private String required(Properties file, String key) {
    String value = file.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("config: " + location + " has no " + key);
    }
    return value.trim();
  }

  private Duration duration(Properties file, String key) {
    return DurationStyle.detectAndParse(required(file, key));
  }

  private List<String> list(Properties file, String key) {
    return Arrays.stream(required(file, key).split(","))
        .map(String::trim)
        .filter(value -> !value.isEmpty())
        .toList();
  }
}
