package dev.rungroup.samples.service;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the service, prefix {@code service}.
 *
 * @param httpPort port of the service's own HTTP server (0 picks a free one)
 * @param startupDelay how long the state machine takes to become ready
 * @param cronInterval pause between two runs of the cron jobs
 * @param failAfter the fault switch as a property: the state machine fails this long after it
 *     became ready; none by default
 * @param portsFile a file to write the chosen ports to once the application is ready ({@code
 *     http.port} and {@code server.port}, in properties format); none by default
 */
@ConfigurationProperties("service")
public record ServiceProperties(
    @DefaultValue("8081") int httpPort,
    @DefaultValue("2s") Duration startupDelay,
    @DefaultValue("5s") Duration cronInterval,
    @Nullable Duration failAfter,
    @Nullable Path portsFile) {}
