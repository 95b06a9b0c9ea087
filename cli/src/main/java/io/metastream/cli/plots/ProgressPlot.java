package io.metastream.cli.plots;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code progress.png}: the mean return (discounted for Frozen Lake, undiscounted H-step for continuous runs) of the PRE collections (the meta-prior) and of
 * the POST collections (after one adaptation) per meta-iteration, from a run's {@code progress.csv}
 * ({@code round,...,pre_return,post_return,...}; round is 0-based, plotted as meta-iteration round + 1).
 */
public final class ProgressPlot {

    public static final String PRE = "pre-adaptation (meta-prior)";
    public static final String POST = "post-adaptation (one step)";

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
        for (XYSeries s : List.of(chart.addSeries(PRE, iteration, pre), chart.addSeries(POST, iteration, post))) {
            SeriesLook.ours(s, s.getName().equals(PRE) ? SeriesLook.BLUE : SeriesLook.VERMILION);
            if (t.size() > 40) {
                s.setMarker(SeriesMarkers.NONE); // 150 markers would hide the lines
            }
        }
        return chart;
    }
}
