package dev.rungroup.spring.boottest.readme;

import dev.rungroup.spring.Actor;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The actor {@code importer}: imports the rows of {@code importer.rows} (numbers), then waits until
 * the group stops; a row that is no number fails it with an {@link ImportException}.
 */
@Component
class Importer {

  private final List<String> rows;

  Importer(@Value("${importer.rows:}") List<String> rows) {
    this.rows = rows;
  }

  @Actor(name = "importer")
  void importRows() throws ImportException, InterruptedException {
    for (String row : rows) {
      try {
        Long.parseLong(row.trim());
      } catch (NumberFormatException e) {
        throw new ImportException("not a number: " + row);
      }
    }
    new CountDownLatch(1).await(); // imported: wait for the group's interrupt
  }
}
