package io.metastream.cli;

import java.util.Map;

/** The authors' numbers (EXPERIMENTS.md), printed beside ours: Frozen Lake and MuJoCo locomotion. */
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

    /**
     * MuJoCo locomotion: mean accumulated reward (undiscounted 200-step sum) after 0..3 adaptation
     * steps, keyed "family/series" with series bomrl-alg1, bomrl-alg2, maml-trpo, promp, e-maml (ProMP
     * and E-MAML read off plots by the authors; none for Ant-Vel). The table does not say whether the
     * evaluation was deterministic or stochastic.
     */
    static final Map<String, double[]> LOCOMOTION = Map.ofEntries(
            Map.entry("halfcheetah-vel/bomrl-alg1", new double[]{-105.8, -59.6, -41.2, -33.6}),
            Map.entry("halfcheetah-vel/bomrl-alg2", new double[]{-109.5, -61.6, -51.0, -49.6}),
            Map.entry("halfcheetah-vel/maml-trpo", new double[]{-129.5, -78.6, -66.6, -60.8}),
            Map.entry("halfcheetah-vel/promp", new double[]{-160.3, -90.5, -80.3, -75.1}),
            Map.entry("halfcheetah-vel/e-maml", new double[]{-163.3, -95.5, -98.3, -90.1}),
            Map.entry("halfcheetah-dir/bomrl-alg1", new double[]{-20.9, 544.6, 584.1, 614.4}),
            Map.entry("halfcheetah-dir/bomrl-alg2", new double[]{-39.5, 623.0, 717.9, 787.5}),
            Map.entry("halfcheetah-dir/maml-trpo", new double[]{-50.7, 293.2, 313.5, 315.7}),
            Map.entry("halfcheetah-dir/promp", new double[]{5, 390, 391, 391}),
            Map.entry("halfcheetah-dir/e-maml", new double[]{10, 310, 309, 311}),
            Map.entry("ant-vel/bomrl-alg1", new double[]{64.6, 108.8, 116.5, 119.6}),
            Map.entry("ant-vel/bomrl-alg2", new double[]{73.4, 106.5, 117.8, 119.4}),
            Map.entry("ant-vel/maml-trpo", new double[]{30.6, 96.7, 100.1, 101.4}),
            Map.entry("ant-dir/bomrl-alg1", new double[]{251.3, 632.3, 662.5, 700.2}),
            Map.entry("ant-dir/bomrl-alg2", new double[]{249.2, 552.7, 591.9, 616.0}),
            Map.entry("ant-dir/maml-trpo", new double[]{8.7, 499.1, 500.7, 499.1}),
            Map.entry("ant-dir/promp", new double[]{275, 470, 470, 470}),
            Map.entry("ant-dir/e-maml", new double[]{275, 400, 400, 400}));

    /** The locomotion series in table order, with their printed labels. */
    static final java.util.List<Map.Entry<String, String>> LOCOMOTION_SERIES = java.util.List.of(
            Map.entry("bomrl-alg1", "BO-MRL Alg(1)"), Map.entry("bomrl-alg2", "BO-MRL Alg(2)"),
            Map.entry("maml-trpo", "MAML-TRPO"), Map.entry("promp", "ProMP"), Map.entry("e-maml", "E-MAML"));
}
