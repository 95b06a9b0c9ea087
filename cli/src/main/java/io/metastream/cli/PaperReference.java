package io.metastream.cli;

import java.util.Map;

/** The authors' Frozen Lake numbers (EXPERIMENTS.md), printed beside ours. */
final class PaperReference {

    private PaperReference() {
    }

    /** Mean accumulated reward after 0..4 adaptation steps, keyed "family/series". */
    static final Map<String, double[]> CURVES = Map.of(
            "frozenlake-high/bomrl-alg1", new double[]{0.418, 1.552, 1.617, 1.629, 1.634},
            "frozenlake-high/bomrl-alg2", new double[]{0.338, 1.460, 1.595, 1.629, 1.636},
            "frozenlake-high/random-init", new double[]{-0.242, -0.113, 0.024, 0.126, 0.200},
            "frozenlake-high/policy-gradient", new double[]{0.419, 1.317, 1.577, 1.598, 1.603},
            "frozenlake-low/bomrl-alg1", new double[]{1.492, 1.558, 1.594, 1.607, 1.613},
            "frozenlake-low/bomrl-alg2", new double[]{1.498, 1.539, 1.570, 1.592, 1.598},
            "frozenlake-low/random-init", new double[]{-0.124, -0.035, 0.061, 0.123, 0.165},
            "frozenlake-low/policy-gradient", new double[]{1.484, 1.502, 1.510, 1.517, 1.528});

    /** Optimality gap of one-time adaptation and the drawn bound, keyed "family/algN". */
    static final Map<String, double[]> GAP_BOUND = Map.of(
            "frozenlake-high/alg1", new double[]{0.086, 0.223},
            "frozenlake-high/alg2", new double[]{0.178, 0.557},
            "frozenlake-low/alg1", new double[]{0.066, 0.110},
            "frozenlake-low/alg2", new double[]{0.076, 0.159});
}
