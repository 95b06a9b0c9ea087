package io.metastream.cli.plots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AdaptationPlotTest {

    /** The frozenlake command's format: 2 families × 2 algs × 3 methods × k = 0..4, std > 0, 3 seeds. */
    static Path frozenLakeFixture(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder("method,family,alg,step,mean,std,seeds\n");
        String[] methods = {"bomrl", "random-init", "policy-gradient"};
        for (String family : List.of("frozenlake-high", "frozenlake-low")) {
            for (String alg : List.of("alg1", "alg2")) {
                for (int m = 0; m < methods.length; m++) {
                    for (int k = 0; k <= 4; k++) {
                        double mean = 0.2 * m - 0.2 + 0.35 * k + (alg.equals("alg2") ? 0.05 : 0);
                        double std = 0.01 + 0.02 * k + 0.01 * m;
                        sb.append(String.format(java.util.Locale.ROOT, "%s,%s,%s,%d,%.6f,%.6f,3%n", methods[m], family,
                                alg, k, mean, std));
                    }
                }
            }
        }
        return Files.writeString(dir.resolve("meta-test.csv"), sb.toString());
    }

    static final Map<String, double[]> PAPER = Map.of(
            "frozenlake-high/bomrl-alg1", new double[]{0.418, 1.552, 1.617, 1.629, 1.634},
            "frozenlake-high/random-init", new double[]{-0.242, -0.113, 0.024, 0.126, 0.200});

    @Test
    void writesOneNonBlank800By500PanelPerFamily(@TempDir Path dir) throws IOException {
        List<AdaptationCurve> curves = AdaptationCurve.readCsv(frozenLakeFixture(dir), null, null);
        Path png = AdaptationPlot.write(curves, PAPER, dir.resolve("adaptation.png"));

        BufferedImage img = PngImages.decode(png, 800, 1000);
        assertThat(System.getProperty("java.awt.headless")).isEqualTo("true");
        // plot area of each panel (inside the axes, left of the legend): measured 0.27; grid and border alone ≈ 0.04
        assertThat(PngImages.ink(img, 100, 60, 500, 400)).isGreaterThan(0.15);
        assertThat(PngImages.ink(img, 100, 560, 500, 900)).isGreaterThan(0.15);
        assertThat(PngImages.distinctColours(img)).isGreaterThan(50);
        for (java.awt.Color c : List.of(SeriesLook.BLUE, SeriesLook.VERMILION, SeriesLook.GREEN, SeriesLook.ORANGE)) {
            assertThat(PngImages.pixelsOf(img, c)).as("pixels of %s", c).isGreaterThan(200);
        }
    }

    @Test
    void bandsEncloseTheMeanByExactlyOneStd(@TempDir Path dir) throws IOException {
        List<AdaptationCurve> curves = AdaptationCurve.readCsv(frozenLakeFixture(dir), null, null);
        List<XYChart> charts = AdaptationPlot.charts(curves, PAPER);
        assertThat(charts).hasSize(2);
        XYChart high = charts.get(0);
        assertThat(high.getTitle()).contains("frozenlake-high").contains("3 seeds");
        assertThat(high.getXAxisTitle()).isEqualTo("adaptation steps k");
        assertThat(high.getYAxisTitle()).isNotBlank();
        // BO-MRL per alg, the baselines of Alg(1): 4 curves, 4 bands
        List<String> curvesShown = List.of("BO-MRL Alg(1)", "BO-MRL Alg(2)", "random init (Alg(1))",
                "policy gradient (Alg(1))");
        for (String name : curvesShown) {
            XYSeries mean = high.getSeriesMap().get(name);
            XYSeries band = high.getSeriesMap().get(name + AdaptationPlot.BAND_SUFFIX);
            assertThat(mean).as(name).isNotNull();
            assertThat(band).as(name + " band").isNotNull();
            assertThat(band.getXYSeriesRenderStyle()).isEqualTo(XYSeries.XYSeriesRenderStyle.PolygonArea);
            double[] x = band.getXData();
            double[] y = band.getYData();
            double[] m = mean.getYData();
            int n = m.length;
            assertThat(n).isEqualTo(5);
            assertThat(y).hasSize(2 * n);
            for (int k = 0; k < n; k++) {
                double upper = y[k];
                double lower = y[2 * n - 1 - k];
                assertThat(x[k]).isEqualTo(k);
                assertThat(x[2 * n - 1 - k]).isEqualTo(k);
                assertThat(lower).isLessThan(m[k]);
                assertThat(m[k]).isLessThan(upper);
                assertThat(upper - m[k]).isCloseTo(m[k] - lower, within(1e-12));
            }
        }
        // the Alg(2) baselines are not drawn: Alg(1)'s are, as in the paper
        assertThat(high.getSeriesMap()).hasSize(4 + 4 + 2);
        XYSeries bomrl1 = high.getSeriesMap().get("BO-MRL Alg(1)");
        XYSeries band1 = high.getSeriesMap().get("BO-MRL Alg(1)" + AdaptationPlot.BAND_SUFFIX);
        // fixture: bomrl alg1 std at k = 2 is 0.01 + 0.04 = 0.05
        assertThat(band1.getYData()[2] - bomrl1.getYData()[2]).isCloseTo(0.05, within(1e-9));
    }

    /** Continuous compare: BO-MRL, the four meta-RL baselines and random init each get a line; the authors' where known. */
    @Test
    void continuousBaselinesAreDrawnWithTheAuthorsCurves() {
        double[] zero = new double[4];
        String f = "halfcheetah-vel, deterministic";
        List<AdaptationCurve> curves = List.of(
                new AdaptationCurve(f, "alg1", "bomrl", new double[]{-300, -250, -230, -220}, zero, 1),
                new AdaptationCurve(f, "alg1", "maml-vpg", new double[]{-310, -290, -280, -270}, zero, 1),
                new AdaptationCurve(f, "alg1", "maml-trpo", new double[]{-305, -260, -240, -230}, zero, 1),
                new AdaptationCurve(f, "alg1", "promp", new double[]{-306, -280, -270, -260}, zero, 1),
                new AdaptationCurve(f, "alg1", "e-maml", new double[]{-307, -285, -275, -265}, zero, 1),
                new AdaptationCurve(f, "alg1", "random-init", new double[]{-320, -300, -290, -280}, zero, 1));
        double[] mamlTrpo = {-129.5, -78.6, -66.6, -60.8};
        XYChart chart = AdaptationPlot.charts(curves, Map.of(f + "/maml-trpo", mamlTrpo)).get(0);
        assertThat(chart.getSeriesMap().keySet()).containsExactlyInAnyOrder("BO-MRL Alg(1)", "MAML-VPG", "MAML-TRPO",
                "ProMP", "E-MAML", "random init (Alg(1))", AdaptationPlot.PAPER_PREFIX + "MAML-TRPO");
        assertThat(chart.getSeriesMap().get("ProMP").getYData()).containsExactly(-306.0, -280.0, -270.0, -260.0);
        assertThat(chart.getSeriesMap().get(AdaptationPlot.PAPER_PREFIX + "MAML-TRPO").getYData()).containsExactly(mamlTrpo);
    }

    @Test
    void paperValuesAreDashedLinesOnlyWhereKnown(@TempDir Path dir) throws IOException {
        List<XYChart> charts = AdaptationPlot.charts(AdaptationCurve.readCsv(frozenLakeFixture(dir), null, null), PAPER);
        XYSeries ref = charts.get(0).getSeriesMap().get(AdaptationPlot.PAPER_PREFIX + "BO-MRL Alg(1)");
        assertThat(ref.getYData()).containsExactly(PAPER.get("frozenlake-high/bomrl-alg1"));
        assertThat(ref.getLineStyle().getDashArray()).isNotNull();
        assertThat(charts.get(0).getSeriesMap().get("BO-MRL Alg(1)").getLineStyle().getDashArray()).isNull();
        assertThat(charts.get(0).getSeriesMap()).doesNotContainKey(AdaptationPlot.PAPER_PREFIX + "BO-MRL Alg(2)");
        assertThat(charts.get(1).getSeriesMap().keySet()).noneMatch(k -> k.startsWith(AdaptationPlot.PAPER_PREFIX));
    }

    @Test
    void singleRunCsvTakesFamilyAndAlgFromTheCallerAndDrawsNoBand(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("meta-test.csv"), """
                method,step,mean
                bomrl,0,-0.17
                bomrl,1,0.64
                bomrl,2,1.16
                random-init,0,-0.24
                random-init,1,0.49
                random-init,2,1.05
                """);
        List<AdaptationCurve> curves = AdaptationCurve.readCsv(csv, "frozenlake-high", "alg1");
        assertThat(curves).hasSize(2);
        assertThat(curves.get(0).family()).isEqualTo("frozenlake-high");
        assertThat(curves.get(0).alg()).isEqualTo("alg1");
        assertThat(curves.get(0).mean()).containsExactly(-0.17, 0.64, 1.16);
        assertThat(curves.get(0).std()).containsExactly(0.0, 0.0, 0.0);
        assertThat(curves.get(0).seeds()).isEqualTo(1);

        XYChart chart = AdaptationPlot.charts(curves, PAPER).get(0);
        assertThat(chart.getTitle()).contains("one seed");
        assertThat(chart.getSeriesMap().keySet()).noneMatch(k -> k.endsWith(AdaptationPlot.BAND_SUFFIX));
        BufferedImage img = PngImages.decode(AdaptationPlot.write(curves, PAPER, dir.resolve("a.png")), 800, 500);
        assertThat(PngImages.pixelsOf(img, SeriesLook.BLUE)).isGreaterThan(200);
    }

    @Test
    void stepsOutOfOrderAreRejectedNamingTheFileAndCurve(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("meta-test.csv"), "method,step,mean\nbomrl,0,0.1\nbomrl,2,0.3\n");
        assertThatThrownBy(() -> AdaptationCurve.readCsv(csv, "frozenlake-low", "alg2"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("meta-test.csv")
                .hasMessageContaining("frozenlake-low/alg2/bomrl has step 2 where step 1 was expected");
    }
}
