package io.metastream.cli.plots;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code adaptation.png}: mean accumulated reward over the test tasks vs adaptation step k, one
 * panel per task family (the paper's Figures 1 and 2). Per family: BO-MRL for every within-task
 * algorithm run, and the random-init and policy-gradient baselines of the first algorithm (Alg(1)
 * when present, as in the paper); each with a ± std band over seeds, and the paper's values of the
 * same series as dashed lines.
 */
public final class AdaptationPlot {

    /** Suffix of a band series' name: "BO-MRL Alg(1)" has its band in "BO-MRL Alg(1) ± std". */
    public static final String BAND_SUFFIX = " ± std";
    /** Prefix of a paper reference series' name. */
    public static final String PAPER_PREFIX = "paper: ";

    private static final Color[] BOMRL_COLORS = {SeriesLook.BLUE, SeriesLook.VERMILION, SeriesLook.YELLOW};

    private AdaptationPlot() {
    }

    /** Writes {@link #charts} into {@code png} (800 × 500 per family, stacked); returns {@code png}. */
    public static Path write(List<AdaptationCurve> curves, Map<String, double[]> paper, Path png) throws IOException {
        return Png.write(charts(curves, paper), png);
    }

    /**
     * One chart per family, in order of first appearance.
     *
     * @param paper the authors' curves keyed {@code family/bomrl-algN}, {@code family/random-init},
     *              {@code family/policy-gradient} or a continuous baseline {@code family/maml-trpo}
     *              ({@code maml-vpg}, {@code promp}, {@code e-maml}); missing keys draw no reference line
     */
    public static List<XYChart> charts(List<AdaptationCurve> curves, Map<String, double[]> paper) {
        Png.headless();
        Map<String, List<AdaptationCurve>> byFamily = new LinkedHashMap<>();
        for (AdaptationCurve c : curves) {
            byFamily.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(c);
        }
        List<XYChart> charts = new ArrayList<>();
        byFamily.forEach((family, list) -> charts.add(chart(family, list, paper)));
        return charts;
    }

    private static XYChart chart(String family, List<AdaptationCurve> curves, Map<String, double[]> paper) {
        int seeds = curves.stream().mapToInt(AdaptationCurve::seeds).max().orElse(1);
        XYChart chart = new XYChart(Png.WIDTH, Png.HEIGHT);
        chart.setTitle(seeds == 1 ? family + ": one seed"
                : String.format(Locale.ROOT, "%s: mean ± std over %d seeds", family, seeds));
        chart.setXAxisTitle("adaptation steps k");
        chart.setYAxisTitle("mean accumulated reward over test tasks");
        Png.style(chart.getStyler());
        // eight entries do not fit in one row below the plot
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> x == Math.rint(x) ? Long.toString(Math.round(x)) : "");

        List<Shown> shown = selection(curves, paper);
        for (Shown s : shown) {
            if (hasSpread(s.curve)) {
                SeriesLook.band(chart.addSeries(s.name + BAND_SUFFIX, bandX(s.curve.mean().length), bandY(s.curve)), s.color);
            }
        }
        for (Shown s : shown) {
            SeriesLook.ours(chart.addSeries(s.name, steps(s.curve.mean().length), s.curve.mean()), s.color);
        }
        for (Shown s : shown) {
            if (s.reference != null) {
                XYSeries r = chart.addSeries(PAPER_PREFIX + s.name, steps(s.reference.length), s.reference);
                SeriesLook.paper(r, s.color);
            }
        }
        return chart;
    }

    private record Shown(String name, AdaptationCurve curve, double[] reference, Color color) {
    }

    private static List<Shown> selection(List<AdaptationCurve> curves, Map<String, double[]> paper) {
        List<AdaptationCurve> sorted = new ArrayList<>(curves);
        sorted.sort(Comparator.comparing(AdaptationCurve::alg));
        List<Shown> shown = new ArrayList<>();
        int b = 0;
        for (AdaptationCurve c : sorted) {
            if (c.method().equals("bomrl")) {
                shown.add(new Shown("BO-MRL " + SeriesLook.alg(c.alg()), c, paper.get(c.family() + "/bomrl-" + c.alg()),
                        BOMRL_COLORS[b++ % BOMRL_COLORS.length]));
            }
        }
        // the continuous meta-RL baselines (their alg is the file's, used only by random init)
        baseline(sorted, "maml-vpg", "MAML-VPG", SeriesLook.GREY, paper, shown);
        baseline(sorted, "maml-trpo", "MAML-TRPO", SeriesLook.PURPLE, paper, shown);
        baseline(sorted, "promp", "ProMP", SeriesLook.SKY, paper, shown);
        baseline(sorted, "e-maml", "E-MAML", SeriesLook.BLACK, paper, shown);
        baseline(sorted, "random-init", "random init (%s)", SeriesLook.GREEN, paper, shown);
        baseline(sorted, "policy-gradient", "policy gradient (%s)", SeriesLook.ORANGE, paper, shown);
        return shown;
    }

    private static void baseline(List<AdaptationCurve> sorted, String method, String label, Color color,
                                 Map<String, double[]> paper, List<Shown> shown) {
        sorted.stream().filter(c -> c.method().equals(method)).findFirst().ifPresent(c -> shown.add(new Shown(
                String.format(label, SeriesLook.alg(c.alg())), c, paper.get(c.family() + "/" + method), color)));
    }

    private static boolean hasSpread(AdaptationCurve c) {
        for (double s : c.std()) {
            if (s > 0) {
                return true;
            }
        }
        return false;
    }

    static double[] steps(int n) {
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = k;
        }
        return x;
    }

    /** 0..K then K..0: the polygon's upper edge left to right, then its lower edge right to left. */
    static double[] bandX(int n) {
        double[] x = new double[2 * n];
        for (int k = 0; k < n; k++) {
            x[k] = k;
            x[2 * n - 1 - k] = k;
        }
        return x;
    }

    /** mean + std at 0..K, then mean − std at K..0 (matching {@link #bandX}). */
    static double[] bandY(AdaptationCurve c) {
        double[] mean = c.mean();
        double[] std = c.std();
        int n = mean.length;
        double[] y = new double[2 * n];
        for (int k = 0; k < n; k++) {
            y[k] = mean[k] + std[k];
            y[2 * n - 1 - k] = mean[k] - std[k];
        }
        return y;
    }
}
