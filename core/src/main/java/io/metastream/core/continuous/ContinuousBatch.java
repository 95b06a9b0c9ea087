package io.metastream.core.continuous;

/**
 * One task's PRE data as the lower level sees it (BOMRL.md §Hypergradient step 1): n rows of
 * already-normalised observations {@code obs} (row-major n × obsDim), the sampled actions
 * {@code actions} (row-major n × actDim) and the advantages {@code advantages} (n entries, Â_i,
 * already centred over the batch).
 *
 * <p>The arrays are copied on construction; the accessors return the internal arrays without
 * copying (they are read in the lower level's hot loops) and callers must not modify them.
 */
public record ContinuousBatch(int n, int obsDim, int actDim, double[] obs, double[] actions, double[] advantages) {

    public ContinuousBatch {
        if (n <= 0 || obsDim <= 0 || actDim <= 0) {
            throw new IllegalArgumentException("n, obsDim and actDim must be positive, got n = " + n + ", obsDim = " + obsDim
                    + ", actDim = " + actDim);
        }
        checkLength("obs", obs, (long) n * obsDim, "n × obsDim = " + n + " × " + obsDim);
        checkLength("actions", actions, (long) n * actDim, "n × actDim = " + n + " × " + actDim);
        checkLength("advantages", advantages, n, "n = " + n);
        obs = obs.clone();
        actions = actions.clone();
        advantages = advantages.clone();
    }

    private static void checkLength(String name, double[] a, long expected, String shape) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length != expected) {
            throw new IllegalArgumentException(name + " must have " + expected + " entries (" + shape + "), got " + a.length);
        }
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + a[i]);
            }
        }
    }

    /** Throws unless the batch's dimensions are the policy's. */
    public void checkCompatible(GaussianMlpPolicy policy) {
        if (obsDim != policy.obsDim() || actDim != policy.actDim()) {
            throw new IllegalArgumentException("batch has obsDim " + obsDim + " and actDim " + actDim
                    + " but the policy expects " + policy.obsDim() + " and " + policy.actDim());
        }
    }
}
