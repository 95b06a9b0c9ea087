package io.metastream.cli.plots;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code progress.png}: the mean return (discounted for Frozen Lake, undiscounted H-step for continuous runs) of the PRE collections (the meta-prior) and of
 * the POST collections (after one adaptation) per meta-iteration, from a run's {@code progress.csv}
 * ({@code round,...,pre_return,post_return,...}; round is 0-based, plotted as meta-iteration round + 1).
 * Beyond {@value #SMOOTH_ABOVE} rounds (MuJoCo runs have 500, each from 10 tasks only) the per-round lines
 * are drawn thin and pale and a trailing moving mean over w = max(5, rounds / 25) meta-iterations is drawn
 * over them, so the trend is readable.
 */
public final class ProgressPlot {

    public static final String PRE = "pre-adaptation (meta-prior)";
    public static final String POST = "post-adaptation (one step)";

    /**
     * An invisible one-point series at a half-integer iteration. XChart puts a tick under every point of
     * equally spaced x data and ignores the spacing hint (knowm/XChart#731), which crammed the labels of
     * 150 or 500 iterations together; one point off the grid makes it choose round tick steps.
     */
    static final String TICK_SPACER = "(tick spacing)";

    /** More rounds than this get the moving mean. */
    static final int SMOOTH_ABOVE = 60;

    private ProgressPlot() {
    }

    /** The y-axis title of a tabular run (discounted returns, γ = 0.8). */
    public static final String DISCOUNTED = "mean discounted return of the round's collections";

    /** Writes {@link #chart} into {@code png}; returns {@code png}. */
    public static Path write(Path progressCsv, String subtitle, Path png) throws IOException {
        return write(progressCsv, subtitle, DISCOUNTED, png);
    }

    /** The same with the y-axis title given (continuous runs report undiscounted H-step returns). */
    public static Path write(Path progressCsv, String subtitle, String yTitle, Path png) throws IOException {
        return Png.write(List.of(chart(progressCsv, subtitle, yTitle)), png);
    }

    /** @param subtitle what ran, e.g. "demo-20250101-120000, frozenlake-high, Alg(1)" */
    public static XYChart chart(Path progressCsv, String subtitle) throws IOException {
        return chart(progressCsv, subtitle, DISCOUNTED);
    }

    /** {@link #chart(Path, String)} with the y-axis title given. */
    public static XYChart chart(Path progressCsv, String subtitle, String yTitle) throws IOException {
        Png.headless();
        CsvTable t = CsvTable.read(progressCsv);
        if (t.size() == 0) {
            throw new IOException(progressCsv + ": no rounds");
        }
        double[] iteration = new double[t.size()];
        double[] pre = new double[t.size()];
        double[] post = new double[t.size()];
        for (int r = 0; r < t.size(); r++) {
            iteration[r] = t.number(r, "round") + 1;
            pre[r] = t.number(r, "pre_return");
            post[r] = t.number(r, "post_return");
        }
        XYChart chart = new XYChart(Png.WIDTH, Png.HEIGHT);
        chart.setTitle("Meta-training progress: " + subtitle);
        chart.setXAxisTitle("meta-iteration");
        chart.setYAxisTitle(yTitle);
        Png.style(chart.getStyler());
        chart.getStyler().setXAxisMin(0.0); // ticks at multiples of a round step from 0, not from 1
        boolean smooth = t.size() > SMOOTH_ABOVE;
        for (XYSeries s : List.of(chart.addSeries(PRE, iteration, pre), chart.addSeries(POST, iteration, post))) {
            Color c = s.getName().equals(PRE) ? SeriesLook.BLUE : SeriesLook.VERMILION;
            SeriesLook.ours(s, c);
            if (t.size() > 40) {
                s.setMarker(SeriesMarkers.NONE); // 150 markers would hide the lines
            }
            if (smooth) {
                s.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 70));
                s.setLineStyle(new BasicStroke(1f));
                s.setShowInLegend(false);
            }
        }
        if (t.size() > 40) {
            XYSeries spacer = chart.addSeries(TICK_SPACER, new double[]{0.5}, new double[]{pre[0]});
            spacer.setShowInLegend(false);
            spacer.setMarker(SeriesMarkers.NONE);
            spacer.setLineColor(new Color(0, 0, 0, 0));
        }
        if (smooth) {
            int w = window(t.size());
            for (String name : List.of(PRE, POST)) {
                XYSeries s = chart.addSeries(movingMeanName(name, w), iteration, movingMean(name.equals(PRE) ? pre : post, w));
                SeriesLook.ours(s, name.equals(PRE) ? SeriesLook.BLUE : SeriesLook.VERMILION);
                s.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /** The moving-mean window for {@code rounds} rounds: max(5, rounds / 25). */
    static int window(int rounds) {
        return Math.max(5, rounds / 25);
    }

    /** The legend name of a series' moving mean. */
    static String movingMeanName(String series, int window) {
        return series + ", mean of the last " + window;
    }

    /** out[i] = mean of y[max(0, i − w + 1) .. i], summed in order. */
    static double[] movingMean(double[] y, int w) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            int from = Math.max(0, i - w + 1);
            double sum = 0;
            for (int k = from; k <= i; k++) {
                sum += y[k];
            }
            out[i] = sum / (i - from + 1);
        }
        return out;
    }
}
