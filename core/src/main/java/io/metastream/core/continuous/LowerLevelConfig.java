package io.metastream.core.continuous;

/**
 * The continuous lower level's settings (BOMRL.md §Within-task, EXPERIMENTS.md §MuJoCo):
 *
 * @param algorithm    which proximity D (Alg(1), Alg(2), Alg(3))
 * @param lambda       λ &gt; 0, the weight of D relative to the surrogate (the loss divides the surrogate by λ)
 * @param steps        number of Adam steps on L_low from θ = φ (≥ 0)
 * @param learningRate Adam's step size (&gt; 0)
 * @param maxKl        early-stop threshold on mean_s KL(π_φ ‖ π_θ) (&gt; 0; {@code +∞} disables the stop)
 */
public record LowerLevelConfig(ContinuousAlgorithm algorithm, double lambda, int steps, double learningRate, double maxKl) {

    public LowerLevelConfig {
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm must not be null");
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
        }
        if (!(maxKl > 0)) {
            throw new IllegalArgumentException("maxKl must be positive (or +Infinity to disable the early stop), got " + maxKl);
        }
    }

    /** The paper's settings: λ = 0.5, 50 Adam steps, learning rate 1e-3, early stop at mean KL 3. */
    public static LowerLevelConfig paper(ContinuousAlgorithm algorithm) {
        return new LowerLevelConfig(algorithm, 0.5, 50, 1e-3, 3.0);
    }

    public LowerLevelConfig withLambda(double newLambda) {
        return new LowerLevelConfig(algorithm, newLambda, steps, learningRate, maxKl);
    }

    public LowerLevelConfig withSteps(int newSteps, double newLearningRate) {
        return new LowerLevelConfig(algorithm, lambda, newSteps, newLearningRate, maxKl);
    }

    public LowerLevelConfig withMaxKl(double newMaxKl) {
        return new LowerLevelConfig(algorithm, lambda, steps, learningRate, newMaxKl);
    }
}
