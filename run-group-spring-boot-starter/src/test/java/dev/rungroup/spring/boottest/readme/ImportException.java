package dev.rungroup.spring.boottest.readme;

/** A row the {@link Importer} cannot import. */
final class ImportException extends Exception {
  private static final long serialVersionUID = 1L;

  ImportException(String message) {
    super(message);
  }
}
