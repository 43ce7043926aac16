package dev.rungroup.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Figures of other systems that this module does not measure, read from the data file {@value
 * #RESOURCE} on the classpath ({@code src/main/resources}), whose comment says where they come
 * from. Immutable.
 */
final class ReferenceFigures {
  static final String RESOURCE = "reference-figures.csv";
  static final String TIME = "time";
  static final String PEAK_RSS = "peak RSS";

  /** One figure: a row of the data file. */
  record Figure(
      String system,
      String scenario,
      int n,
      String figure,
      double value,
      String unit,
      String source,
      String date,
      String machine) {

    /** The value in nanoseconds (time figures) or bytes (memory figures). */
    double base() {
      return switch (unit) {
        case "ns" -> value;
        case "µs", "us" -> value * 1e3;
        case "ms" -> value * 1e6;
        case "s" -> value * 1e9;
        case "B" -> value;
        case "kB" -> value * 1e3;
        case "MB" -> value * 1e6;
        case "GB" -> value * 1e9;
        default -> throw new IllegalStateException(RESOURCE + ": unknown unit '" + unit + "'");
      };
    }
  }

  private final List<Figure> figures;

  private ReferenceFigures(List<Figure> figures) {
    this.figures = List.copyOf(figures);
  }

  /**
   * Reads {@value #RESOURCE}.
   *
   * @throws IllegalStateException naming the line if the file is missing or a row is malformed
   */
  static ReferenceFigures load() {
    try (InputStream in = ReferenceFigures.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      return parse(reader.lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Parses the lines of the data file: comments, the header, the rows. */
  static ReferenceFigures parse(List<String> lines) {
    List<Figure> figures = new ArrayList<>();
    boolean header = true;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (header) {
        header = false; // the column names
        continue;
      }
      List<String> f = fields(line);
      if (f.size() != 9) {
        throw new IllegalStateException(
            RESOURCE + " line " + (i + 1) + ": expected 9 fields, found " + f.size() + ": " + line);
      }
      try {
        figures.add(
            new Figure(
                f.get(0),
                f.get(1),
                Integer.parseInt(f.get(2)),
                f.get(3),
                Double.parseDouble(f.get(4)),
                f.get(5),
                f.get(6),
                f.get(7),
                f.get(8)));
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            RESOURCE + " line " + (i + 1) + ": n or value is not a number: " + line, e);
      }
    }
    return new ReferenceFigures(figures);
  }

  /** One CSV line's fields; a field in double quotes may hold commas. */
  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(field.toString().strip());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString().strip());
    return fields;
  }

  List<Figure> all() {
    return figures;
  }

  /** The systems, in the file's order. */
  List<String> systems() {
    Set<String> systems = new LinkedHashSet<>();
    figures.forEach(f -> systems.add(f.system()));
    return new ArrayList<>(systems);
  }

  /** The figures of one system and kind ({@link #TIME}, {@link #PEAK_RSS}), in the file's order. */
  List<Figure> of(String system, String figure) {
    return figures.stream()
        .filter(f -> f.system().equals(system) && f.figure().equals(figure))
        .toList();
  }

  /** The time figure of one system, scenario and N, or null. */
  @Nullable Figure time(String system, Scenario scenario, int n) {
    for (Figure f : of(system, TIME)) {
      if (f.scenario().equals(scenario.name()) && f.n() == n) {
        return f;
      }
    }
    return null;
  }
}
