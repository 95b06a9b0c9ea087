package io.metastream.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Aggregates reproduction outcomes over seeds into the CSVs and the console table. */
final class FrozenLakeReport {

    private final List<FrozenLakeReproduction.Outcome> outcomes;

    FrozenLakeReport(List<FrozenLakeReproduction.Outcome> outcomes) {
        this.outcomes = List.copyOf(outcomes);
    }

    /** Curves keyed by "family|alg|method" → per-seed curves. */
    private Map<String, List<double[]>> curves() {
        Map<String, List<double[]>> m = new LinkedHashMap<>();
        for (FrozenLakeReproduction.Outcome o : outcomes) {
            String base = o.config().family() + "|" + alg(o) + "|";
            m.computeIfAbsent(base + "bomrl", k -> new ArrayList<>()).add(o.bomrl());
            m.computeIfAbsent(base + "random-init", k -> new ArrayList<>()).add(o.randomInit());
            m.computeIfAbsent(base + "policy-gradient", k -> new ArrayList<>()).add(o.policyGradient());
        }
        return m;
    }

    private static String alg(FrozenLakeReproduction.Outcome o) {
        return o.config().alg().name().toLowerCase(Locale.ROOT);
    }

    void writeCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("method,family,alg,step,mean,std,seeds\n");
        for (Map.Entry<String, List<double[]>> e : curves().entrySet()) {
            String[] k = e.getKey().split("\\|");
            double[][] stats = meanStd(e.getValue());
            for (int step = 0; step < stats[0].length; step++) {
                sb.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.6f,%.6f,%d%n", k[2], k[0], k[1], step, stats[0][step],
                        stats[1][step], e.getValue().size()));
            }
        }
        Files.writeString(file, sb.toString());
    }

    void writeGapCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("family,alg,seed,task,optimum,exact_q_gap,bound,sampled_one_step_gap\n");
        for (FrozenLakeReproduction.Outcome o : outcomes) {
            for (FrozenLakeReproduction.GapRow g : o.gaps()) {
                sb.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%.6f,%.6f,%.6f,%.6f%n", o.config().family(), alg(o),
                        o.config().seed(), g.task(), g.optimum(), g.exactQGap(), g.bound(), g.sampledGap()));
            }
        }
        Files.writeString(file, sb.toString());
    }

    void writeBenchmark(Path file, double totalSeconds, int threads) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "total wall time %.2f s for %d runs on %d threads (%d cores)%n", totalSeconds,
                outcomes.size(), threads, Runtime.getRuntime().availableProcessors()));
        for (FrozenLakeReproduction.Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "meta-training %s %s seed %d: %d iterations x %d tasks x 2 x %d episodes"
                            + " in %.2f s (one thread)%n", o.config().family(), alg(o), o.config().seed(),
                    o.config().iterations(), o.config().tasksPerIteration(), o.config().episodes(), o.trainingSeconds()));
        }
        Files.writeString(file, sb.toString());
    }

    void print(PrintStream out) {
        out.println();
        out.println("Meta-test: mean accumulated reward over test tasks after k adaptation steps (mean ± std over seeds)");
        out.printf("%-16s %-5s %-16s %-50s %s%n", "family", "alg", "method", "ours (k = 0..4)", "paper");
        for (Map.Entry<String, List<double[]>> e : curves().entrySet()) {
            String[] k = e.getKey().split("\\|");
            double[][] st = meanStd(e.getValue());
            StringBuilder ours = new StringBuilder();
            for (int i = 0; i < st[0].length; i++) {
                ours.append(String.format(Locale.ROOT, "%s%.3f±%.3f", i == 0 ? "" : " ", st[0][i], st[1][i]));
            }
            String refKey = k[0] + "/" + (k[2].equals("bomrl") ? "bomrl-" + k[1] : k[2]);
            double[] ref = PaperReference.CURVES.get(refKey);
            String refText = ref == null || (!k[2].equals("bomrl") && !k[1].equals("alg1"))
                    ? (ref == null ? "-" : FrozenLakeReproduction.format(ref) + " (paper used Alg(1))")
                    : FrozenLakeReproduction.format(ref);
            out.printf("%-16s %-5s %-16s %-50s %s%n", k[0], k[1], k[2], ours, refText);
        }
        out.println();
        out.println("Optimality gap of one-time adaptation (mean over tasks and seeds) vs the upper bound");
        out.printf("%-16s %-5s %-14s %-10s %-18s %s%n", "family", "alg", "exact-Q gap", "bound", "sampled 1-step gap",
                "paper gap <= bound");
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (FrozenLakeReproduction.Outcome o : outcomes) {
            for (FrozenLakeReproduction.GapRow g : o.gaps()) {
                double[] s = sums.computeIfAbsent(o.config().family() + "/" + alg(o), x -> new double[4]);
                s[0] += g.exactQGap();
                s[1] += g.bound();
                s[2] += g.sampledGap();
                s[3] += 1;
            }
        }
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            double[] ref = PaperReference.GAP_BOUND.get(e.getKey());
            String[] k = e.getKey().split("/");
            out.printf(Locale.ROOT, "%-16s %-5s %-14.4f %-10.4f %-18.4f %s%n", k[0], k[1], s[0] / s[3], s[1] / s[3],
                    s[2] / s[3], ref == null ? "-" : String.format(Locale.ROOT, "%.3f <= %.3f", ref[0], ref[1]));
        }
    }

    /** [mean[], std[]] over rows (population std over seeds; 0 for one seed). */
    static double[][] meanStd(List<double[]> rows) {
        int n = rows.get(0).length;
        double[] mean = new double[n];
        double[] std = new double[n];
        for (double[] r : rows) {
            for (int i = 0; i < n; i++) {
                mean[i] += r[i] / rows.size();
            }
        }
        for (double[] r : rows) {
            for (int i = 0; i < n; i++) {
                std[i] += (r[i] - mean[i]) * (r[i] - mean[i]) / rows.size();
            }
        }
        for (int i = 0; i < n; i++) {
            std[i] = Math.sqrt(std[i]);
        }
        return new double[][]{mean, std};
    }
}
