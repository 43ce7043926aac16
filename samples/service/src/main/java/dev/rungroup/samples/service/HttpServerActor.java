package dev.rungroup.samples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rungroup.Interruptible;
import dev.rungroup.spring.Actor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The service's own HTTP server ({@code http.Serve(listener)} in the article), the JDK's {@link
 * HttpServer}, not Spring's web server. It binds its port when the bean is made (so the port is
 * known, and taken, before the actors start), serves from {@code execute} until interrupted, and
 * its interrupt closes it through {@link HttpServer#stop(int)}, as Go closes the listener.
 *
 * <ul>
 *   <li>{@code GET /state}: the state machine's state, such as {@code READY};
 *   <li>{@code POST /fault}: the fault switch; answers {@code 202}, then makes the state machine
 *       fail, so the whole group stops and the process exits with {@link ServiceFault#EXIT_CODE}.
 * </ul>
 *
 * <p>Interrupted first ({@code @Order(1)}): a stopping service takes no new requests.
 *
 * <p>One run per instance: a stopped {@code HttpServer} cannot start again, so this service runs
 * its group once per process (it never calls {@code context.stop()} then {@code start()}).
 */
@Component
@Order(1)
@Actor(name = "http-server")
final class HttpServerActor implements Interruptible, AutoCloseable {

  private static final Log logger = LogFactory.getLog(HttpServerActor.class);

  private final HttpServer server;
  private final StateMachine stateMachine;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Object lock = new Object();
  private boolean stopped; // guarded by lock

  HttpServerActor(ServiceProperties properties, StateMachine stateMachine) throws IOException {
    this.stateMachine = stateMachine;
    this.server = HttpServer.create(new InetSocketAddress(properties.httpPort()), 0);
    server.createContext("/", this::handle);
  }

  /**
   * The port the server is bound to.
   *
   * @return the port, also when {@code service.http-port} was 0
   */
  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void execute() throws InterruptedException {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      server.start();
    }
    logger.info("http-server: listening on port " + port());
    closed.await();
  }

  @Override
  public void interrupt(@Nullable Throwable cause) {
    close();
  }

  /** Stops the server, once; also called by Spring when the bean is destroyed. */
  @Override
  public void close() {
    synchronized (lock) {
      if (!stopped) {
        stopped = true;
        // Closes the listener and the open connections, then returns; on a server that never
        // started (the group stopped first), it releases the bound port.
        server.stop(0);
        logger.info("http-server: stopped");
      }
    }
    closed.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      switch (path) {
        case "/state" -> {
          if (allowed(exchange, "GET")) {
            respond(exchange, 200, stateMachine.state() + "\n");
          }
        }
        case "/fault" -> {
          if (allowed(exchange, "POST")) {
            logger.warn("http-server: POST /fault: making the state machine fail");
            // Answer first: the fault stops the group, and with it this server.
            respond(exchange, 202, "fault: the state machine fails, the group stops\n");
            stateMachine.fault("POST /fault");
          }
        }
        case "/" -> respond(exchange, 200, "run-group service sample: GET /state, POST /fault\n");
        default -> respond(exchange, 404, "not found: " + method + " " + path + "\n");
      }
    } finally {
      exchange.close();
    }
  }

  private static boolean allowed(HttpExchange exchange, String method) throws IOException {
    if (exchange.getRequestMethod().equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", method);
    respond(exchange, 405, "method not allowed, use " + method + "\n");
    return false;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
