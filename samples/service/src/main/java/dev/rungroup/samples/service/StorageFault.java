package dev.rungroup.samples.service;

import org.springframework.boot.ExitCodeGenerator;

/**
 * The failure the storage's fault switch causes. As an {@link ExitCodeGenerator} it gives the exit
 * code of the process once the group has stopped: {@value #EXIT_CODE}.
 */
final class StorageFault extends RuntimeException implements ExitCodeGenerator {

  /** The exit code of the process after a storage fault. */
  static final int EXIT_CODE = 3;

  private static final long serialVersionUID = 1L;

  StorageFault(String message) {
    super(message);
  }

  @Override
  public int getExitCode() {
    return EXIT_CODE;
  }
}
