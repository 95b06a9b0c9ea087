package io.metastream.core.estimate;

/**
 * Per-coordinate count, mean and M2 = Σ (x − mean)² of a stream of observation vectors, the state
 * of the running observation normaliser (BOMRL.md §Estimators). Immutable: {@link #merge} returns a
 * new value, combining two disjoint samples exactly as a single pass would (Chan, Golub &amp; LeVeque):
 *
 * <pre>
 *   n = n_a + n_b,  δ = mean_b − mean_a,  mean = mean_a + δ·n_b/n,  M2 = M2_a + M2_b + δ²·n_a·n_b/n
 * </pre>
 *
 * Floating point makes the result depend on the merge order, so callers merge in a fixed order
 * (slot order of a meta-batch). Arrays are owned by the value: do not modify them.
 */
public record RunningMoments(long count, double[] mean, double[] m2) {

    public RunningMoments {
        if (count < 0 || mean.length != m2.length || mean.length == 0) {
            throw new IllegalArgumentException("moments need count >= 0 and equal, non-empty mean/M2 lengths, got count "
                    + count + ", " + mean.length + ", " + m2.length);
        }
    }

    /** No observations yet, in dimension {@code dim}. */
    public static RunningMoments empty(int dim) {
        return new RunningMoments(0, new double[dim], new double[dim]);
    }

    /** One pass (Welford) over rows {@code 0 .. n-1} of {@code rows} (row-major n × dim). */
    public static RunningMoments of(double[] rows, int n, int dim) {
        if (rows.length < n * dim) {
            throw new IllegalArgumentException("expected " + n + " rows of dim " + dim + ", got " + rows.length + " entries");
        }
        double[] mean = new double[dim];
        double[] m2 = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                double x = rows[i * dim + j];
                double delta = x - mean[j];
                mean[j] += delta / (i + 1);
                m2[j] += delta * (x - mean[j]);
            }
        }
        return new RunningMoments(n, mean, m2);
    }

    /** The observations s_0 … s_{T−1} (those an action was taken in) of each trajectory, in list order. */
    public static RunningMoments ofTrajectories(Iterable<ContinuousTrajectory> trajectories, int dim) {
        RunningMoments m = empty(dim);
        for (ContinuousTrajectory tr : trajectories) {
            m = m.merge(of(tr.observations(), tr.length(), dim));
        }
        return m;
    }

    public int dim() {
        return mean.length;
    }

    /** This sample followed by {@code other}. */
    public RunningMoments merge(RunningMoments other) {
        if (other.dim() != dim()) {
            throw new IllegalArgumentException("cannot merge moments of dim " + dim() + " and " + other.dim());
        }
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        long n = count + other.count;
        double wb = (double) other.count / n;
        double cross = (double) count * other.count / n;
        double[] mu = new double[dim()];
        double[] s = new double[dim()];
        for (int j = 0; j < mu.length; j++) {
            double delta = other.mean[j] - mean[j];
            mu[j] = mean[j] + delta * wb;
            s[j] = m2[j] + other.m2[j] + delta * delta * cross;
        }
        return new RunningMoments(n, mu, s);
    }

    /** Population variance M2/n per coordinate (0 when empty). */
    public double[] variance() {
        double[] v = new double[dim()];
        for (int j = 0; j < v.length; j++) {
            v[j] = count == 0 ? 0 : m2[j] / count;
        }
        return v;
    }
}
