package io.metastream.core.meta;

import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.estimate.UntriedActions;

/**
 * Everything that defines a tabular BO-MRL experiment (EXPERIMENTS.md, Frozen Lake). Validated at
 * construction; an invalid value names its key.
 *
 * @param family               task family name, e.g. {@code frozenlake-high}
 * @param alg                  within-task algorithm
 * @param lambdaTrain          λ of the lower level during meta-training
 * @param lambdaTest           λ of the meta-test adaptation
 * @param iterations           meta-training iterations
 * @param tasksPerIteration    tasks per meta-batch (drawn without replacement)
 * @param episodes             episodes per data collection (PRE, POST and each meta-test step)
 * @param sarsaStep            expected-SARSA step size
 * @param sarsaSweeps          passes of expected SARSA over each batch (1 = the authors' single pass)
 * @param untriedActions       what Q̂ holds for pairs the batch never tried ({@code zero} = the authors')
 * @param metaLearningRate     meta-optimiser step size
 * @param optimizer            {@code adam} or {@code sgd}
 * @param phiInit              initial value of every meta-prior logit
 * @param hypergradient        per-task hypergradient estimator
 * @param testSteps            adaptation steps of the meta-test (0..testSteps are reported)
 * @param pgStepSize           step size of the repeated-policy-gradient baseline
 * @param seed                 the experiment seed every random draw derives from
 */
public record TabularExperimentConfig(String family, TabularAlgorithm alg, double lambdaTrain, double lambdaTest,
                                      int iterations, int tasksPerIteration, int episodes, double sarsaStep, int sarsaSweeps,
                                      UntriedActions untriedActions,
                                      double metaLearningRate, String optimizer, double phiInit,
                                      HypergradientKind hypergradient, int testSteps, double pgStepSize, long seed)
        implements MetaExperiment {

    public TabularExperimentConfig {
        positive("lambda-train", lambdaTrain);
        positive("lambda-test", lambdaTest);
        positive("iterations", iterations);
        positive("tasks-per-iteration", tasksPerIteration);
        positive("episodes", episodes);
        positive("sarsa-step", sarsaStep);
        positive("sarsa-sweeps", sarsaSweeps);
        if (untriedActions == null) {
            throw new IllegalArgumentException("untried-actions must be set");
        }
        positive("meta-learning-rate", metaLearningRate);
        positive("pg-step-size", pgStepSize);
        if (testSteps < 0) {
            throw new IllegalArgumentException("test-steps must be >= 0, got " + testSteps);
        }
        if (!Double.isFinite(phiInit)) {
            throw new IllegalArgumentException("phi-init must be finite, got " + phiInit);
        }
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("optimizer must be adam or sgd, got '" + optimizer + "'");
        }
    }

    /** The paper's Frozen Lake setting for a family ({@code frozenlake-high|low}) and algorithm. */
    public static TabularExperimentConfig paper(String family, TabularAlgorithm alg, long seed) {
        boolean high = switch (family) {
            case "frozenlake-high" -> true;
            case "frozenlake-low" -> false;
            default -> throw new IllegalArgumentException("family must be frozenlake-high or frozenlake-low, got '"
                    + family + "'");
        };
        double lambdaTest = switch (alg) {
            case ALG1 -> high ? 0.1 : 0.05;
            case ALG2 -> high ? 0.2 : 0.1;
            case ALG3 -> high ? 0.2 : 0.1;
        };
        return new TabularExperimentConfig(family, alg, high ? 5.0 : 4.0, lambdaTest, 150, 5, 500, 0.3, 1, UntriedActions.ZERO, 0.03, "adam",
                0.1, HypergradientKind.IDENTITY, 4, 50.0, seed);
    }

    public TabularExperimentConfig withSeed(long newSeed) {
        return new TabularExperimentConfig(family, alg, lambdaTrain, lambdaTest, iterations, tasksPerIteration, episodes,
                sarsaStep, sarsaSweeps, untriedActions, metaLearningRate, optimizer, phiInit, hypergradient, testSteps, pgStepSize, newSeed);
    }

    public TabularExperimentConfig withIterations(int n) {
        return new TabularExperimentConfig(family, alg, lambdaTrain, lambdaTest, n, tasksPerIteration, episodes,
                sarsaStep, sarsaSweeps, untriedActions, metaLearningRate, optimizer, phiInit, hypergradient, testSteps, pgStepSize, seed);
    }

    public TabularExperimentConfig withHypergradient(HypergradientKind kind) {
        return new TabularExperimentConfig(family, alg, lambdaTrain, lambdaTest, iterations, tasksPerIteration, episodes,
                sarsaStep, sarsaSweeps, untriedActions, metaLearningRate, optimizer, phiInit, kind, testSteps, pgStepSize, seed);
    }

    public TabularExperimentConfig withSarsaSweeps(int sweeps) {
        return new TabularExperimentConfig(family, alg, lambdaTrain, lambdaTest, iterations, tasksPerIteration, episodes,
                sarsaStep, sweeps, untriedActions, metaLearningRate, optimizer, phiInit, hypergradient, testSteps, pgStepSize, seed);
    }

    public TabularExperimentConfig withUntriedActions(UntriedActions untried) {
        return new TabularExperimentConfig(family, alg, lambdaTrain, lambdaTest, iterations, tasksPerIteration, episodes,
                sarsaStep, sarsaSweeps, untried, metaLearningRate, optimizer, phiInit, hypergradient, testSteps, pgStepSize,
                seed);
    }

    private static void positive(String key, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
    }
}
