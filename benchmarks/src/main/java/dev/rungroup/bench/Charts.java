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
    if (series.startsWith(GroupContender.NAME)) {
      return new Color(0xD6, 0x27, 0x28);
    }
    if (series.startsWith(Baseline.NAME)) {
      return Color.BLACK;
    }
    if (series.startsWith(GuavaContender.NAME)) {
      return new Color(0x1F, 0x77, 0xB4);
    }
    return new Color(0x2C, 0xA0, 0x2C);
  }

  static void write(List<Result> results, Path dir) throws IOException {
    for (Scenario scenario : Scenario.values()) {
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
      if (scenario == Scenario.A) {
        double[] x = {100, 10_000, 100_000};
        double[] y = new double[3];
        for (int i = 0; i < 3; i++) {
          y[i] = Report.GO_A_MILLIS.getOrDefault((int) x[i], Double.NaN) * 1e3 / x[i];
        }
        XYSeries go = chart.addSeries("Go oklog/run (ANCHORS.md)", x, y);
        go.setLineStyle(SeriesLines.DOT_DOT);
        go.setMarker(SeriesMarkers.DIAMOND);
        go.setLineColor(Color.GRAY);
        go.setMarkerColor(Color.GRAY);
      } else {
        XYSeries go =
            chart.addSeries(
                "Go oklog/run (ANCHORS.md)",
                new double[] {100_000},
                new double[] {Report.GO_B_100K_MILLIS * 1e3 / 100_000});
        go.setMarker(SeriesMarkers.DIAMOND);
        go.setLineColor(Color.GRAY);
        go.setMarkerColor(Color.GRAY);
      }
      String file =
          dir.resolve("scenario-" + scenario.name().toLowerCase(java.util.Locale.ROOT)).toString();
      BitmapEncoder.saveBitmap(chart, file, BitmapFormat.PNG);
    }
  }
}
