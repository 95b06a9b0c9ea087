package io.metastream.core.estimate;

import java.util.Arrays;

/**
 * An immutable snapshot of the observation normaliser (BOMRL.md §Estimators):
 * z_j = clip((s_j − mean_j) / std_j, −clip, +clip) with std_j = max(√var_j, {@link #STD_FLOOR}) and
 * clip = {@link #CLIP}. The policy sees z; trajectories keep raw s, so any snapshot can be applied
 * later. {@link #identity} leaves observations unchanged (no clipping).
 */
public final class ObservationNormalizer {

    /** |z| is clipped at 5. */
    public static final double CLIP = 5.0;
    /** Lower bound of std, so constant coordinates map to 0 instead of NaN. */
    public static final double STD_FLOOR = 1e-8;

    private final double[] mean;
    private final double[] std;
    private final double clip;

    private ObservationNormalizer(double[] mean, double[] std, double clip) {
        this.mean = mean;
        this.std = std;
        this.clip = clip;
    }

    /** z = s. */
    public static ObservationNormalizer identity(int dim) {
        double[] std = new double[dim];
        Arrays.fill(std, 1.0);
        return new ObservationNormalizer(new double[dim], std, Double.POSITIVE_INFINITY);
    }

    /** The snapshot of accumulated moments; identity when they are empty. */
    public static ObservationNormalizer of(RunningMoments moments) {
        if (moments.count() == 0) {
            return identity(moments.dim());
        }
        double[] var = moments.variance();
        double[] std = new double[var.length];
        for (int j = 0; j < std.length; j++) {
            std[j] = Math.max(Math.sqrt(var[j]), STD_FLOOR);
        }
        return new ObservationNormalizer(moments.mean().clone(), std, CLIP);
    }

    public int dim() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    /** out[outOff + j] = z_j of raw[rawOff + j], j &lt; dim. */
    public void normalize(double[] raw, int rawOff, double[] out, int outOff) {
        for (int j = 0; j < mean.length; j++) {
            double z = (raw[rawOff + j] - mean[j]) / std[j];
            out[outOff + j] = Math.max(-clip, Math.min(clip, z));
        }
    }

    /** The first {@code n} rows of {@code raw} (row-major n × dim) normalised, as a new array. */
    public double[] normalizeRows(double[] raw, int n) {
        double[] out = new double[n * mean.length];
        for (int i = 0; i < n; i++) {
            normalize(raw, i * mean.length, out, i * mean.length);
        }
        return out;
    }
}
