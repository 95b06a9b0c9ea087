package io.metastream.cli.plots;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gap-bound.png}: per family × within-task algorithm, the optimality gap of one-time
 * adaptation (exact-Q and sampled one-step, mean over test tasks and seeds) beside our upper bound
 * and the paper's gap and drawn bound, as grouped bars on a log axis (the bound is up to 100× the gap).
 */
public final class GapBoundPlot {

    /** Series names, in drawing order. */
    public static final String OURS_GAP = "ours: exact-Q gap";
    public static final String OURS_SAMPLED_GAP = "ours: sampled 1-step gap";
    public static final String PAPER_GAP = "paper: gap";
    public static final String OURS_BOUND = "ours: bound";
    public static final String PAPER_BOUND = "paper: bound";

    private GapBoundPlot() {
    }

    /** Mean gaps and bound of one family × algorithm over {@code rows} (test tasks × seeds). */
    public record Group(String family, String alg, double exactQGap, double bound, double sampledGap, int rows) {
    }

    /**
     * Reads the {@code frozenlake} command's {@code gap-bound.csv}
     * ({@code family,alg,seed,task,optimum,exact_q_gap,bound,sampled_one_step_gap}) and averages per
     * family × algorithm, in order of first appearance.
     */
    public static List<Group> readCsv(Path file) throws IOException {
        CsvTable t = CsvTable.read(file);
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (int r = 0; r < t.size(); r++) {
            double[] s = sums.computeIfAbsent(t.text(r, "family") + "|" + t.text(r, "alg"), k -> new double[4]);
            s[0] += t.number(r, "exact_q_gap");
            s[1] += t.number(r, "bound");
            s[2] += t.number(r, "sampled_one_step_gap");
            s[3] += 1;
        }
        List<Group> groups = new ArrayList<>();
        sums.forEach((key, s) -> {
            String[] k = key.split("\\|", -1);
            groups.add(new Group(k[0], k[1], s[0] / s[3], s[1] / s[3], s[2] / s[3], (int) s[3]));
        });
        return groups;
    }

    /** Writes {@link #chart} into {@code png}; empty (no file) when there are no groups (e.g. only Alg(3) was run). */
    public static Optional<Path> write(List<Group> groups, Map<String, double[]> paper, Path png) throws IOException {
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Png.write(List.of(chart(groups, paper)), png));
    }

    /**
     * @param paper the authors' {gap, bound} keyed {@code family/algN}; missing keys leave the bars out
     */
    public static CategoryChart chart(List<Group> groups, Map<String, double[]> paper) {
        Png.headless();
        CategoryChart chart = new CategoryChart(Png.WIDTH, Png.HEIGHT);
        chart.setTitle("Optimality gap of one-time adaptation vs the upper bound");
        chart.setXAxisTitle("task family, within-task algorithm");
        chart.setYAxisTitle("J* − J, mean over test tasks and seeds");
        Png.style(chart.getStyler());
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        chart.getStyler().setLabelsFontColor(Color.DARK_GRAY);
        chart.getStyler().setLabelsRotation(90);
        chart.getStyler().setAvailableSpaceFill(0.85);

        List<String> categories = new ArrayList<>();
        List<Number> oursGap = new ArrayList<>();
        List<Number> oursSampled = new ArrayList<>();
        List<Number> oursBound = new ArrayList<>();
        List<Number> paperGap = new ArrayList<>();
        List<Number> paperBound = new ArrayList<>();
        for (Group g : groups) {
            categories.add(g.family() + " " + SeriesLook.alg(g.alg()));
            oursGap.add(g.exactQGap());
            oursSampled.add(g.sampledGap());
            oursBound.add(g.bound());
            double[] ref = paper.get(g.family() + "/" + g.alg().toLowerCase(Locale.ROOT));
            paperGap.add(ref == null ? null : ref[0]);
            paperBound.add(ref == null ? null : ref[1]);
        }
        logAxisIfPositive(chart, List.of(oursGap, oursSampled, paperGap, oursBound, paperBound));
        add(chart, OURS_GAP, categories, oursGap, SeriesLook.BLUE);
        add(chart, OURS_SAMPLED_GAP, categories, oursSampled, SeriesLook.SKY);
        add(chart, PAPER_GAP, categories, paperGap, SeriesLook.GREY);
        add(chart, OURS_BOUND, categories, oursBound, SeriesLook.VERMILION);
        add(chart, PAPER_BOUND, categories, paperBound, SeriesLook.ORANGE);
        return chart;
    }

    /**
     * A log axis starting two decades below the smallest value, so that every bar is tall enough to
     * hold its value label (XChart anchors bars at 0 otherwise, which a log axis cannot show); a
     * linear one if any value is not positive.
     */
    private static void logAxisIfPositive(CategoryChart chart, List<List<Number>> series) {
        double min = Double.POSITIVE_INFINITY;
        for (List<Number> values : series) {
            for (Number v : values) {
                if (v != null) {
                    min = Math.min(min, v.doubleValue());
                }
            }
        }
        if (min > 0 && Double.isFinite(min)) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min)) - 1));
            chart.setYAxisTitle("J* − J, mean over test tasks and seeds (log scale)");
        }
    }

    private static void add(CategoryChart chart, String name, List<String> categories, List<Number> values, Color c) {
        CategorySeries s = chart.addSeries(name, categories, values);
        s.setFillColor(c);
        s.setLineColor(c);
    }
}
