package dev.rungroup.samples.service;

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
 * Once the application is ready, logs the two ports and, with {@code service.ports-file}, writes
 * them to that file ({@code http.port}: the service's own server; {@code server.port}: Spring's,
 * with {@code /actuator}), so that a script or a test can use {@code 0} for both.
 */
@Component
class PortsFile implements ApplicationListener<ApplicationReadyEvent> {

  private static final Log logger = LogFactory.getLog(PortsFile.class);

  private final ServiceProperties properties;
  private final HttpServerActor httpServer;

  PortsFile(ServiceProperties properties, HttpServerActor httpServer) {
    this.properties = properties;
    this.httpServer = httpServer;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    String serverPort =
        event.getApplicationContext().getEnvironment().getProperty("local.server.port", "none");
    int httpPort = httpServer.port();
    logger.info("service ready: HTTP server on port " + httpPort + ", actuator on " + serverPort);
    Path file = properties.portsFile();
    if (file == null) {
      return;
    }
    String content = "http.port=" + httpPort + "\nserver.port=" + serverPort + "\n";
    try {
      Path absolute = file.toAbsolutePath();
      Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      Files.move(
          temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write service.ports-file " + file, e);
    }
  }
}
