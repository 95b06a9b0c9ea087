package io.metastream.cli.plots;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Off-screen PNG output and the look shared by every plot of a run directory. */
final class Png {

    /** Width and height of one panel in pixels. */
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    private Png() {
    }

    /**
     * Charts are rendered into a BufferedImage only, never a window, so AWT must not look for a
     * display (CI and servers have none). Called before the first chart is built; a value the user
     * set on the command line is kept.
     */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** White background, no border, readable fonts; legend below the plot. */
    static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartTitleBoxBackgroundColor(Color.WHITE);
        s.setChartTitleBoxBorderColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendSeriesLineLength(28);
        s.setChartPadding(12);
    }

    /** Writes the panels stacked vertically (one column) into {@code file}; returns {@code file}. */
    static <T extends Chart<?, ?>> Path write(List<T> panels, Path file) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no panels to write to " + file);
        }
        // rendered in memory first: a chart that fails to render leaves no empty file behind
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(panels, panels.size(), 1, png, BitmapEncoder.BitmapFormat.PNG);
        Files.write(file, png.toByteArray());
        return file;
    }
}
