package dev.rungroup.bench;

import dev.rungroup.bench.Compare.Result;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The charts: cost per actor against N, log-log, one line per contender and thread kind. */
final class Charts {
  private Charts() {}

  /** One colour per contender, the same for both thread kinds (told apart by line and marker). */
  private static Color color(String series) {
    if (series.startsWith(ChildContender.OLD_ENGINE)) {
      return new Color(0xFF, 0x98, 0x96);
    }
    if (series.startsWith(ChildContender.NEW_ENGINE)) {
      return new Color(0x94, 0x67, 0xBD);
    }
    if (series.startsWith(GroupContender.NAME)) {
      return new Color(0xD6, 0x27, 0x28);
    }
    if (series.startsWith(Baseline.NAME)) {
      return Color.BLACK;
    }
    if (series.startsWith(Floor.NAME)) {
      return new Color(0x7F, 0x7F, 0x7F);
    }
    if (series.startsWith(GoChild.NAME)) {
      return new Color(0x17, 0xBE, 0xCF);
    }
    if (series.startsWith(GuavaContender.NAME)) {
      return new Color(0x1F, 0x77, 0xB4);
    }
    return new Color(0x2C, 0xA0, 0x2C);
  }

  /**
   * Writes {@code scenario-a.png} and {@code scenario-b.png} to {@code dir} (each if that scenario
   * has results): every contender of the run, the Go program among them.
   */
  static void write(List<Result> results, Path dir) throws IOException {
    for (Scenario scenario : Scenario.values()) {
      if (results.stream().noneMatch(r -> r.scenario() == scenario && r.stats() != null)) {
        continue; // not measured in this run
      }
      XYChart chart =
          new XYChartBuilder()
              .width(1250)
              .height(650)
              .title(
                  scenario == Scenario.A
                      ? "Scenario A: one actor fails, N-1 are interrupted (time of run())"
                      : "Scenario B: stop() with N blocked actors (stop to run() returning)")
              .xAxisTitle("actors (N)")
              .yAxisTitle("µs per actor (median time / N)")
              .build();
      chart.getStyler().setXAxisLogarithmic(true);
      chart.getStyler().setYAxisLogarithmic(true);
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
      chart.getStyler().setMarkerSize(7);
      chart.getStyler().setChartBackgroundColor(Color.WHITE);
      Map<String, List<double[]>> series = new LinkedHashMap<>();
      for (Result r : results) {
        Stats s = r.stats();
        if (r.scenario() != scenario || s == null) {
          continue;
        }
        series
            .computeIfAbsent(r.contender() + ", " + r.kind().label(), k -> new ArrayList<>())
            .add(new double[] {r.n(), s.median() / 1e3 / r.n()});
      }
      for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
        List<double[]> points = e.getValue();
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
          x[i] = points.get(i)[0];
          y[i] = points.get(i)[1];
        }
        XYSeries s = chart.addSeries(e.getKey(), x, y);
        boolean platform = e.getKey().endsWith("platform");
        s.setLineStyle(platform ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        s.setMarker(platform ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
        Color color = color(e.getKey());
        s.setLineColor(color);
        s.setMarkerColor(color);
      }
      String file =
          dir.resolve("scenario-" + scenario.name().toLowerCase(java.util.Locale.ROOT)).toString();
      BitmapEncoder.saveBitmap(chart, file, BitmapFormat.PNG);
    }
  }
}
