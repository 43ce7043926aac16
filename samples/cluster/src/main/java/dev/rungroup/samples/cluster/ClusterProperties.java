package dev.rungroup.samples.cluster;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a replica, prefix {@code cluster}.
 *
 * @param replica this replica's name, written into each heartbeat row
 * @param heartbeatInterval pause between two heartbeat rows of the billing actor
 * @param tickInterval pause between two ticks of the ticker
 * @param portsFile a file to write Spring's web server port to once the application is ready
 *     ({@code server.port=...}, in properties format); none by default
 */
@ConfigurationProperties("cluster")
public record ClusterProperties(
    @DefaultValue("replica") String replica,
    @DefaultValue("100ms") Duration heartbeatInterval,
    @DefaultValue("100ms") Duration tickInterval,
    @Nullable Path portsFile) {}
