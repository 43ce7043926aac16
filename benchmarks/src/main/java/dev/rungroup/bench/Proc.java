package dev.rungroup.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads this process's memory figures and the machine's from {@code /proc} (Linux). */
final class Proc {
  private Proc() {}

  /** A {@code kB} field of {@code /proc/self/status} in bytes ({@code VmHWM}, {@code VmRSS}). */
  static long statusBytes(String field) {
    return kbField(Path.of("/proc/self/status"), field);
  }

  /** A {@code kB} field of {@code /proc/meminfo} in bytes ({@code MemTotal}), or -1. */
  static long meminfoBytes(String field) {
    return kbField(Path.of("/proc/meminfo"), field);
  }

  private static long kbField(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith(field + ":")) {
          String value = line.substring(field.length() + 1).trim();
          int space = value.indexOf(' ');
          return Long.parseLong(space < 0 ? value : value.substring(0, space)) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The first line of a file, trimmed, or "?" if it cannot be read. */
  static String firstLine(String file) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      return lines.isEmpty() ? "?" : lines.get(0).trim();
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** The CPU model name from {@code /proc/cpuinfo}, or "?". */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      return "?";
    }
    return "?";
  }

  /** The host in the reports' machine tables: CPU, processors, memory and kernel, in order. */
  static Map<String, String> host() {
    Map<String, String> host = new LinkedHashMap<>();
    host.put("cpu", cpuModel());
    host.put(
        "nproc (availableProcessors)",
        Integer.toString(Runtime.getRuntime().availableProcessors()));
    host.put("memory (MemTotal)", Report.bytes(meminfoBytes("MemTotal")));
    host.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return host;
  }
}
