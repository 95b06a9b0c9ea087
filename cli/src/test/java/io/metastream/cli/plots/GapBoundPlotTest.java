package io.metastream.cli.plots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GapBoundPlotTest {

    private static final String HEADER = "family,alg,seed,task,optimum,exact_q_gap,bound,sampled_one_step_gap\n";
    private static final Map<String, double[]> PAPER = Map.of("frozenlake-high/alg1", new double[]{0.086, 0.223});

    /** Two seeds × two tasks of high/alg1, one row of low/alg1. */
    private static Path fixture(Path dir) throws IOException {
        return Files.writeString(dir.resolve("gap-bound.csv"), HEADER + """
                frozenlake-high,alg1,0,SFFF/FFFF/FFFH/FHFG,1.2,0.10,1.50,0.20
                frozenlake-high,alg1,0,SFFF/FFFF/FFHH/FFFG,1.2,0.02,1.70,0.04
                frozenlake-high,alg1,1,SFFF/FFFF/FFFH/FHFG,1.2,0.08,1.60,0.16
                frozenlake-high,alg1,1,SFFF/FFFF/FFHH/FFFG,1.2,0.04,1.80,0.08
                frozenlake-low,alg1,0,SFFF/FHFF/FFFF/FFFG,1.4,0.03,0.30,0.05
                """);
    }

    @Test
    void averagesOverTasksAndSeedsPerFamilyAndAlg(@TempDir Path dir) throws IOException {
        List<GapBoundPlot.Group> groups = GapBoundPlot.readCsv(fixture(dir));
        assertThat(groups).hasSize(2);
        GapBoundPlot.Group high = groups.get(0);
        assertThat(high.family()).isEqualTo("frozenlake-high");
        assertThat(high.rows()).isEqualTo(4);
        assertThat(high.exactQGap()).isCloseTo(0.06, within(1e-12));
        assertThat(high.bound()).isCloseTo(1.65, within(1e-12));
        assertThat(high.sampledGap()).isCloseTo(0.12, within(1e-12));
        assertThat(groups.get(1).rows()).isEqualTo(1);
    }

    @Test
    void oursBesideThePapersOnALogAxisStartingADecadeBelowTheSmallestValue(@TempDir Path dir) throws IOException {
        CategoryChart chart = GapBoundPlot.chart(GapBoundPlot.readCsv(fixture(dir)), PAPER);
        assertThat(chart.getSeriesMap().keySet()).containsExactly(GapBoundPlot.OURS_GAP, GapBoundPlot.OURS_SAMPLED_GAP,
                GapBoundPlot.PAPER_GAP, GapBoundPlot.OURS_BOUND, GapBoundPlot.PAPER_BOUND);
        assertThat(new ArrayList<Object>(chart.getSeriesMap().get(GapBoundPlot.OURS_GAP).getXData()))
                .containsExactly("frozenlake-high Alg(1)", "frozenlake-low Alg(1)");
        List<Number> oursBound = new ArrayList<>(chart.getSeriesMap().get(GapBoundPlot.OURS_BOUND).getYData());
        assertThat(oursBound.get(0).doubleValue()).isCloseTo(1.65, within(1e-12));
        // paper values where known, none for low/alg1
        List<Number> paperGap = new ArrayList<>(chart.getSeriesMap().get(GapBoundPlot.PAPER_GAP).getYData());
        assertThat(paperGap.get(0).doubleValue()).isEqualTo(0.086);
        assertThat(paperGap.get(1)).isNull();
        // smallest value 0.03 -> axis from 0.001, two decades below, so the smallest bar holds its label
        assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(chart.getStyler().getYAxisMin()).isCloseTo(0.001, within(1e-15));
    }

    @Test
    void writesANonBlank800By500Png(@TempDir Path dir) throws IOException {
        Optional<Path> png = GapBoundPlot.write(GapBoundPlot.readCsv(fixture(dir)), PAPER, dir.resolve("gap-bound.png"));
        BufferedImage img = PngImages.decode(png.orElseThrow(), 800, 500);
        assertThat(PngImages.ink(img, 90, 50, 780, 380)).isGreaterThan(0.20);
        assertThat(PngImages.pixelsOf(img, SeriesLook.BLUE)).isGreaterThan(500);
        assertThat(PngImages.pixelsOf(img, SeriesLook.VERMILION)).isGreaterThan(500);
        assertThat(PngImages.pixelsOf(img, SeriesLook.GREY)).isGreaterThan(100);
    }

    @Test
    void aZeroGapFallsBackToALinearAxis(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("gap-bound.csv"), HEADER
                + "frozenlake-low,alg2,0,SFFF/FFFF/FFFF/FFFG,1.6,0.0,0.2,0.0\n");
        CategoryChart chart = GapBoundPlot.chart(GapBoundPlot.readCsv(csv), PAPER);
        assertThat(chart.getStyler().isYAxisLogarithmic()).isFalse();
        PngImages.decode(GapBoundPlot.write(GapBoundPlot.readCsv(csv), PAPER, dir.resolve("g.png")).orElseThrow(), 800, 500);
    }

    @Test
    void noRowsWritesNoFile(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("gap-bound.csv"), HEADER);
        assertThat(GapBoundPlot.write(GapBoundPlot.readCsv(csv), PAPER, dir.resolve("gap-bound.png"))).isEmpty();
        assertThat(dir.resolve("gap-bound.png")).doesNotExist();
    }
}
