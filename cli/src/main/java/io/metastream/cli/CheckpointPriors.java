package io.metastream.cli;

import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.schemas.PolicyParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The meta-prior table of {@code checkpoint inspect}: per version its round, policy type, parameter
 * count and Euclidean norm, and for a {@code gaussian-mlp} the state-independent log σ (mean, min,
 * max over action dimensions) and the observation normaliser's count — how exploration and the
 * parameters moved over meta-training, without a cluster or a rerun.
 */
final class CheckpointPriors {

    static final String CSV_HEADER = "version,round,policy_type,parameters,theta_norm,log_std_mean,log_std_min,log_std_max,"
            + "observations\n";

    /** One version; the log σ values are NaN and observations −1 when the policy type has none. */
    record Row(long version, int round, String policyType, int parameters, double thetaNorm, double logStdMean,
               double logStdMin, double logStdMax, long observations) {

        boolean hasLogStd() {
            return !Double.isNaN(logStdMean);
        }
    }

    private CheckpointPriors() {
    }

    static List<Row> rows(List<PolicyParams> priors) {
        List<Row> rows = new ArrayList<>(priors.size());
        for (PolicyParams p : priors) {
            List<Double> theta = p.getParams();
            double sq = 0;
            for (double x : theta) {
                sq += x * x;
            }
            double mean = Double.NaN;
            double min = Double.NaN;
            double max = Double.NaN;
            long observations = -1;
            int offset = logStdOffset(p);
            if (offset >= 0) {
                int n = theta.size() - offset;
                double sum = 0;
                min = Double.POSITIVE_INFINITY;
                max = Double.NEGATIVE_INFINITY;
                for (int i = offset; i < theta.size(); i++) {
                    double ls = theta.get(i);
                    sum += ls;
                    min = Math.min(min, ls);
                    max = Math.max(max, ls);
                }
                mean = sum / n;
                observations = p.getObservationCount();
            }
            rows.add(new Row(p.getVersion(), p.getRound(), p.getPolicyType(), theta.size(), Math.sqrt(sq), mean, min, max,
                    observations));
        }
        return rows;
    }

    /** Where log σ starts in a well-formed gaussian-mlp's params ([obsDim, hidden..., actDim]), else −1. */
    private static int logStdOffset(PolicyParams p) {
        List<Integer> shape = p.getShape();
        if (!"gaussian-mlp".equals(p.getPolicyType()) || shape.size() < 2 || shape.stream().anyMatch(d -> d < 1)) {
            return -1;
        }
        int[] hidden = shape.subList(1, shape.size() - 1).stream().mapToInt(Integer::intValue).toArray();
        GaussianMlpPolicy policy = new GaussianMlpPolicy(shape.get(0), hidden, shape.get(shape.size() - 1));
        return policy.parameterCount() == p.getParams().size() ? policy.logStdOffset() : -1;
    }

    /** The table printed to stdout, one line per version. */
    static String table(List<Row> rows) {
        boolean gaussian = rows.stream().anyMatch(Row::hasLogStd);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%8s %7s  %-16s %9s %10s", "version", "round",
                "policy", "params", "|theta|"));
        if (gaussian) {
            b.append(String.format(Locale.ROOT, " %12s %9s %9s %13s", "log-std mean", "min", "max", "observations"));
        }
        b.append('\n');
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%8d %7d  %-16s %9d %10.4f", r.version(), r.round(), r.policyType(),
                    r.parameters(), r.thetaNorm()));
            if (r.hasLogStd()) {
                b.append(String.format(Locale.ROOT, " %12.4f %9.4f %9.4f %13d", r.logStdMean(), r.logStdMin(), r.logStdMax(),
                        r.observations()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The same rows as CSV ({@link #CSV_HEADER}); columns a policy type has not are empty. */
    static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder(CSV_HEADER);
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%d,%d,%s,%d,%.9g", r.version(), r.round(), r.policyType(), r.parameters(),
                    r.thetaNorm()));
            if (r.hasLogStd()) {
                b.append(String.format(Locale.ROOT, ",%.9g,%.9g,%.9g,%d%n", r.logStdMean(), r.logStdMin(), r.logStdMax(),
                        r.observations()));
            } else {
                b.append(",,,,\n");
            }
        }
        return b.toString();
    }
}
