package io.metastream.cli.plots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One meta-test curve: the mean accumulated reward over the test tasks after k = 0..K adaptation
 * steps, mean and (population) standard deviation over {@code seeds} seeds.
 *
 * @param family a task family name, e.g. {@code frozenlake-high}
 * @param alg    the within-task algorithm the meta-prior was trained with, e.g. {@code alg1}
 * @param method {@code bomrl}, {@code random-init} or {@code policy-gradient}
 * @param mean   mean[k], length K + 1
 * @param std    std[k] over seeds, same length (zeros for one seed)
 * @param seeds  number of seeds averaged
 */
public record AdaptationCurve(String family, String alg, String method, double[] mean, double[] std, int seeds) {

    public AdaptationCurve {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException(family + "/" + alg + "/" + method + ": mean has " + mean.length
                    + " steps and std " + std.length + ", expected the same positive number");
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * Reads a run directory's {@code meta-test.csv}: the {@code frozenlake} command's columns
     * {@code method,family,alg,step,mean,std,seeds}, or a single run's {@code method,step,mean},
     * where the family and algorithm come from the caller and std is 0 over one seed. Rows of one
     * curve are keyed by (family, alg, method) and ordered by step.
     */
    public static List<AdaptationCurve> readCsv(Path file, String defaultFamily, String defaultAlg) throws IOException {
        CsvTable t = CsvTable.read(file);
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        Map<String, Integer> seeds = new LinkedHashMap<>();
        for (int r = 0; r < t.size(); r++) {
            String key = t.text(r, "family", defaultFamily) + "|" + t.text(r, "alg", defaultAlg) + "|" + t.text(r, "method");
            int step = (int) t.number(r, "step");
            List<double[]> steps = rows.computeIfAbsent(key, k -> new ArrayList<>());
            if (step != steps.size()) {
                throw new IOException(file + ": " + key.replace('|', '/') + " has step " + step + " where step "
                        + steps.size() + " was expected (steps 0..K in order)");
            }
            steps.add(new double[]{t.number(r, "mean"), t.number(r, "std", 0.0)});
            seeds.put(key, (int) t.number(r, "seeds", 1));
        }
        List<AdaptationCurve> curves = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> e : rows.entrySet()) {
            String[] k = e.getKey().split("\\|", -1);
            double[] mean = e.getValue().stream().mapToDouble(v -> v[0]).toArray();
            double[] std = e.getValue().stream().mapToDouble(v -> v[1]).toArray();
            curves.add(new AdaptationCurve(k[0], k[1], k[2], mean, std, seeds.get(e.getKey())));
        }
        return curves;
    }
}
