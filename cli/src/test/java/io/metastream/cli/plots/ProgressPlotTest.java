package io.metastream.cli.plots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgressPlotTest {

    /** RunSession's progress.csv for {@code rounds} rounds. */
    private static Path fixture(Path dir, int rounds) throws IOException {
        StringBuilder sb = new StringBuilder("round,version,pre_return,post_return,staleness,elapsed_s,trajectories_per_s\n");
        for (int r = 0; r < rounds; r++) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,0,%.3f,8000.0%n", r, r + 1, -0.3 + 0.01 * r,
                    -0.05 + 0.012 * r, 0.5 * (r + 1)));
        }
        return Files.writeString(dir.resolve("progress.csv"), sb.toString());
    }

    @Test
    void preAndPostReturnPerMetaIteration(@TempDir Path dir) throws IOException {
        XYChart chart = ProgressPlot.chart(fixture(dir, 5), "demo-x, frozenlake-high, alg1");
        assertThat(chart.getTitle()).contains("demo-x, frozenlake-high, alg1");
        assertThat(chart.getXAxisTitle()).isEqualTo("meta-iteration");
        assertThat(chart.getYAxisTitle()).isEqualTo(ProgressPlot.DISCOUNTED);
        assertThat(ProgressPlot.chart(fixture(dir, 5), "pointnav", "mean undiscounted 20-step return").getYAxisTitle())
                .isEqualTo("mean undiscounted 20-step return");
        assertThat(chart.getSeriesMap().get(ProgressPlot.PRE).getXData()).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(chart.getSeriesMap().get(ProgressPlot.PRE).getYData()[4]).isEqualTo(-0.26);
        assertThat(chart.getSeriesMap().get(ProgressPlot.POST).getYData()[0]).isEqualTo(-0.05);
        assertThat(chart.getSeriesMap().get(ProgressPlot.POST).getMarker()).isNotEqualTo(SeriesMarkers.NONE);
    }

    @Test
    void writesANonBlank800By500Png(@TempDir Path dir) throws IOException {
        Path png = ProgressPlot.write(fixture(dir, 150), "demo", dir.resolve("progress.png"));
        BufferedImage img = PngImages.decode(png, 800, 500);
        assertThat(PngImages.ink(img, 100, 50, 780, 400)).isGreaterThan(0.05);
        assertThat(PngImages.pixelsOf(img, SeriesLook.BLUE)).isGreaterThan(300);
        assertThat(PngImages.pixelsOf(img, SeriesLook.VERMILION)).isGreaterThan(300);
        // 150 rounds: lines only
        assertThat(ProgressPlot.chart(dir.resolve("progress.csv"), "demo").getSeriesMap().get(ProgressPlot.PRE).getMarker())
                .isEqualTo(SeriesMarkers.NONE);
    }

    @Test
    void fiveHundredRoundsGetATrailingMovingMeanOverThePaleRawLines(@TempDir Path dir) throws IOException {
        XYChart chart = ProgressPlot.chart(fixture(dir, 500), "halfcheetah-vel-alg1", "mean undiscounted 200-step return");
        int w = ProgressPlot.window(500);
        assertThat(w).isEqualTo(20);
        assertThat(chart.getSeriesMap()).containsOnlyKeys(ProgressPlot.PRE, ProgressPlot.POST, ProgressPlot.TICK_SPACER,
                ProgressPlot.movingMeanName(ProgressPlot.PRE, w), ProgressPlot.movingMeanName(ProgressPlot.POST, w));
        assertThat(chart.getSeriesMap().get(ProgressPlot.TICK_SPACER).isShowInLegend()).isFalse();
        assertThat(chart.getSeriesMap().get(ProgressPlot.PRE).isShowInLegend()).isFalse();
        double[] raw = chart.getSeriesMap().get(ProgressPlot.POST).getYData();
        double[] mean = chart.getSeriesMap().get(ProgressPlot.movingMeanName(ProgressPlot.POST, w)).getYData();
        double last20 = 0;
        for (int i = 480; i < 500; i++) {
            last20 += raw[i];
        }
        assertThat(mean[499]).isCloseTo(last20 / 20, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(mean[0]).isEqualTo(raw[0]);
        assertThat(mean[2]).isCloseTo((raw[0] + raw[1] + raw[2]) / 3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(chart.getSeriesMap().get(ProgressPlot.PRE).getLineColor().getAlpha()).isLessThan(255);
        // 60 rounds or fewer: no moving mean (the tick spacer from 41 on)
        assertThat(ProgressPlot.chart(fixture(dir, 60), "demo").getSeriesMap()).containsOnlyKeys(ProgressPlot.PRE,
                ProgressPlot.POST, ProgressPlot.TICK_SPACER);
        assertThat(ProgressPlot.chart(fixture(dir, 40), "demo").getSeriesMap()).containsOnlyKeys(ProgressPlot.PRE,
                ProgressPlot.POST);
    }

    @Test
    void aProgressFileWithoutRoundsIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        Path csv = fixture(dir, 0);
        assertThatThrownBy(() -> ProgressPlot.chart(csv, "demo")).isInstanceOf(IOException.class)
                .hasMessageContaining("progress.csv").hasMessageContaining("no rounds");
    }
}
