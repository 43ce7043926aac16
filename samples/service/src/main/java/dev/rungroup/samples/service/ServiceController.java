package dev.rungroup.samples.service;

import java.time.Duration;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The service's HTTP API, on Spring's web server (beside {@code /actuator}):
 *
 * <ul>
 *   <li>{@code GET /api/items}: how many items the storage holds;
 *   <li>{@code GET /api/slow?millis=N}: the same after N milliseconds of work, a slow request;
 *   <li>{@code POST /-/reload}: the {@code config} actor loads its file again;
 *   <li>{@code POST /fault/upstream?failures=N}: the next N polls of the upstream source fail (a
 *       few are restarted; more than the budget stop the service, exit code 1);
 *   <li>{@code POST /fault/storage}: the storage actor fails, the whole group stops, exit code
 *       {@value StorageFault#EXIT_CODE}.
 * </ul>
 *
 * <p>{@code /api} answers 503 unless the {@code web} actor runs. Thread-safety: stateless; it calls
 * the actors' thread-safe beans.
 */
@RestController
final class ServiceController {

  private static final Log logger = LogFactory.getLog(ServiceController.class);

  /** The longest a slow request may ask for. */
  private static final Duration SLOWEST = Duration.ofMinutes(1);

  private final Web web;
  private final Storage storage;
  private final Config config;
  private final UpstreamSource upstream;

  ServiceController(Web web, Storage storage, Config config, UpstreamSource upstream) {
    this.web = web;
    this.storage = storage;
    this.config = config;
    this.upstream = upstream;
  }

  /**
   * How many items the storage holds.
   *
   * @return {@code {"items": n}}
   */
  @GetMapping("/api/items")
  public Map<String, Object> items() {
    requireServing();
    return Map.of("items", storage.count());
  }

  /**
   * How many items the storage holds, answered after some work: a request that a graceful shutdown
   * lets finish, against running actors.
   *
   * @param millis how long the work takes, at most a minute
   * @return {@code {"items": n, "tookMillis": millis}}
   * @throws InterruptedException if the request's thread is interrupted
   */
  @GetMapping("/api/slow")
  public Map<String, Object> slow(@RequestParam(defaultValue = "2000") long millis)
      throws InterruptedException {
    if (millis < 0 || millis > SLOWEST.toMillis()) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "millis must be from 0 to " + SLOWEST.toMillis());
    }
    requireServing();
    logger.info("api: slow request started (" + millis + " ms)");
    Thread.sleep(millis); // the request's work
    requireServing();
    long items = storage.count(); // throws if the storage closed meanwhile
    logger.info("api: slow request answered (" + items + " items)");
    return Map.of("items", items, "tookMillis", millis);
  }

  /**
   * Asks the {@code config} actor to load its file again.
   *
   * @return {@code {"reload": "requested"}}
   */
  @PostMapping("/-/reload")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Map<String, Object> reload() {
    config.reload("POST /-/reload");
    return Map.of("reload", "requested");
  }

  /**
   * Makes the next polls of the upstream source fail.
   *
   * @param failures how many
   * @return {@code {"failures": n}}
   */
  @PostMapping("/fault/upstream")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Map<String, Object> failUpstream(@RequestParam int failures) {
    if (failures < 0) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "failures must not be negative");
    }
    logger.warn("fault: the next " + failures + " polls of the upstream source fail");
    upstream.failNext(failures);
    return Map.of("failures", failures);
  }

  /**
   * Makes the storage actor fail, which stops the whole group.
   *
   * @return {@code {"fault": "storage"}}
   */
  @PostMapping("/fault/storage")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Map<String, Object> failStorage() {
    logger.warn("fault: making the storage fail");
    storage.fault("POST /fault/storage");
    return Map.of("fault", "storage");
  }

  private void requireServing() {
    if (!web.serving()) {
      throw new ResponseStatusException(
          HttpStatus.SERVICE_UNAVAILABLE, "the web actor is not running");
    }
  }
}
