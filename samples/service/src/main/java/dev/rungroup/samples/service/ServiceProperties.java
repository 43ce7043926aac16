package dev.rungroup.samples.service;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the service, prefix {@code service}. What the actors do once running (the scrape
 * targets, the rules, how often each runs) is the configuration file's, loaded by the {@code
 * config} actor; these are the settings the process starts with.
 *
 * @param dataDir the storage's directory, made by the {@code migrations} actor
 * @param configFile the configuration file the {@code config} actor loads, as a Spring resource
 *     location ({@code classpath:...} or {@code file:...})
 * @param storage the storage's settings
 * @param scrape the scrape actor's settings
 * @param upstream the upstream poller's settings
 * @param portsFile a file to write Spring's web server port to once the application is ready
 *     ({@code server.port=...}, in properties format); none by default
 */
@ConfigurationProperties("service")
public record ServiceProperties(
    @DefaultValue("run-group-service-data") Path dataDir,
    @DefaultValue("classpath:scrape-config.properties") String configFile,
    @DefaultValue StorageSettings storage,
    @DefaultValue ScrapeSettings scrape,
    @DefaultValue UpstreamSettings upstream,
    @Nullable Path portsFile) {

  /**
   * The storage's settings, {@code service.storage.*}.
   *
   * @param openTime how long the storage takes to open (it stands in for replaying a write-ahead
   *     log); the actors after it wait that long
   */
  public record StorageSettings(@DefaultValue("2s") Duration openTime) {}

  /**
   * The scrape actor's settings, {@code service.scrape.*}.
   *
   * @param hold how long each scraped item is in flight before it is written to the storage: the
   *     work a stop must let finish
   */
  public record ScrapeSettings(@DefaultValue("200ms") Duration hold) {}

  /**
   * The upstream poller's settings, {@code service.upstream.*}.
   *
   * @param interval pause between two polls of the upstream source
   */
  public record UpstreamSettings(@DefaultValue("1s") Duration interval) {}
}
