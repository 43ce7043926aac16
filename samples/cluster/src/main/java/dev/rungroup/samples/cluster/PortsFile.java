package dev.rungroup.samples.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Once the application is ready (its web server listening), logs the web server's port and, with
 * {@code cluster.ports-file}, writes it to that file ({@code server.port=...}), so that a script or
 * a test can use {@code --server.port=0}.
 */
@Component
class PortsFile implements ApplicationListener<ApplicationReadyEvent> {

  private static final Log logger = LogFactory.getLog(PortsFile.class);

  private final ClusterProperties properties;

  PortsFile(ClusterProperties properties) {
    this.properties = properties;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    String serverPort =
        event.getApplicationContext().getEnvironment().getProperty("local.server.port", "none");
    logger.info(
        "cluster: replica " + properties.replica() + ": ticker and actuator on port " + serverPort);
    Path file = properties.portsFile();
    if (file == null) {
      return;
    }
    String content = "server.port=" + serverPort + "\n";
    try {
      Path absolute = file.toAbsolutePath();
      Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      Files.move(
          temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cluster.ports-file " + file, e);
    }
  }
}
