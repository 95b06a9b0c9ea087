package io.metastream.core.estimate;

import io.metastream.core.Numerics;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.task.FrozenLake;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TabularEstimatesTest {

    private static final double[] UNIFORM_2X2 = {0.5, 0.5, 0.5, 0.5};

    /** Two states, two actions: 0 -a0-> 1 (reward 0), 1 -a0-> 1 (reward 1). Action 1 is never tried. */
    private static List<TabularTrajectory> chain() {
        return List.of(new TabularTrajectory(0, new int[] {0, 1, 1}, new int[] {0, 0}, new double[] {0, 1}));
    }

    private static TabularEstimates estimate(List<TabularTrajectory> batch, int sweeps, UntriedActions untried) {
        return TabularEstimates.fromSamples(batch, UNIFORM_2X2, 2, 2, 0.5, 0.5, sweeps, untried);
    }

    @Test
    void zeroKeepsUntriedPairsAtTheirInitialValueByHand() {
        // Sweep 1: Q[0,0] += 0.5 (0 + 0.5·0 − 0) = 0; Q[1,0] += 0.5 (1 + 0.5·0 − 0) = 0.5.
        // Sweep 2: the backup at state 1 is 0.5·0.5 + 0.5·0 = 0.25, so Q[0,0] = 0.0625, Q[1,0] = 0.8125.
        assertThat(estimate(chain(), 1, UntriedActions.ZERO).q()).containsExactly(0, 0, 0.5, 0);
        TabularEstimates two = estimate(chain(), 2, UntriedActions.ZERO);
        assertThat(two.q()).containsExactly(0.0625, 0, 0.8125, 0);
        assertThat(two.advantage()[3]).isEqualTo(-0.40625);   // the untried action looks worse only for want of data
    }

    @Test
    void stateValueGivesUntriedPairsTheTriedMeanInEveryBackupByHand() {
        // Sweep 1 as with zero, then Q[s,1] := Q[s,0]: (0, 0, 0.5, 0.5).
        assertThat(estimate(chain(), 1, UntriedActions.STATE_VALUE).q()).containsExactly(0, 0, 0.5, 0.5);
        // Sweep 2: the backup at state 1 is now 0.5, so Q[0,0] = 0.5·0.25 = 0.125 and
        // Q[1,0] = 0.5 + 0.5 (1 + 0.25 − 0.5) = 0.875; the untried pairs follow.
        TabularEstimates two = estimate(chain(), 2, UntriedActions.STATE_VALUE);
        assertThat(two.q()).containsExactly(0.125, 0.125, 0.875, 0.875);
        assertThat(two.advantage()).containsExactly(0, 0, 0, 0);
        assertThat(two.nu()).containsExactly(estimate(chain(), 2, UntriedActions.ZERO).nu());
    }

    @Test
    void conventionsAgreeBitForBitWhenEveryPairWasTried() {
        List<TabularTrajectory> all = List.of(
                new TabularTrajectory(0, new int[] {0, 1, 1}, new int[] {0, 0}, new double[] {0, 1}),
                new TabularTrajectory(1, new int[] {0, 0, 1, 0}, new int[] {1, 0, 1}, new double[] {-1, 0, 2}));
        for (int sweeps : new int[] {1, 3}) {
            TabularEstimates zero = estimate(all, sweeps, UntriedActions.ZERO);
            TabularEstimates stateValue = estimate(all, sweeps, UntriedActions.STATE_VALUE);
            assertThat(stateValue.q()).containsExactly(zero.q());
            assertThat(stateValue.advantage()).containsExactly(zero.advantage());
        }
    }

    /**
     * The sweeps run over the batch flattened once into arrays; the definition walks the trajectories. Same
     * updates in the same order: the same bits, on Frozen Lake batches of a peaked and a flat policy.
     */
    @Test
    void flattenedSweepsGiveTheBitsOfTheTrajectoryWalk() {
        FrozenLakeMap map = FrozenLakeFamily.highVariance().testTasks().get(1);
        double gamma = map.toMdp().gamma();
        for (double scale : new double[] {0.1, 2.0}) {
            double[] theta = Numerics.gaussian(64, scale, 3);
            double[] pi = TabularSoftmaxPolicy.probabilities(theta, 16, 4);
            List<TabularTrajectory> batch = TabularRollouts.collect(new FrozenLake(map),
                    new TabularSoftmaxPolicy(16, 4, theta), 5, 0, 200);
            TabularEstimates est = TabularEstimates.fromSamples(batch, pi, 16, 4, gamma, TabularEstimates.SARSA_STEP,
                    20, UntriedActions.ZERO);
            double[] q = new double[64];
            double[] visits = new double[16];
            for (int sweep = 0; sweep < 20; sweep++) {
                for (TabularTrajectory tr : batch) {
                    double w = 1;
                    for (int t = 0; t < tr.length(); t++) {
                        int s = tr.states()[t];
                        int s2 = tr.states()[t + 1];
                        double expNext = 0;
                        for (int b = 0; b < 4; b++) {
                            expNext += pi[s2 * 4 + b] * q[s2 * 4 + b];
                        }
                        int i = s * 4 + tr.actions()[t];
                        q[i] += TabularEstimates.SARSA_STEP * (tr.rewards()[t] + gamma * expNext - q[i]);
                        if (sweep == 0) {
                            visits[s] += w;
                        }
                        w *= gamma;
                    }
                }
            }
            double total = 0;
            for (double v : visits) {
                total += v;
            }
            for (int s = 0; s < 16; s++) {
                visits[s] /= total;
            }
            assertThat(est.q()).containsExactly(q);
            assertThat(est.nu()).containsExactly(visits);
        }
    }

    @Test
    void onFrozenLakeBatchesUntriedPairsHaveZeroAdvantageAndTriedPairsAreBackedUpOverTriedActions() {
        FrozenLakeMap map = FrozenLakeFamily.highVariance().testTasks().get(2);   // holes beside the goal
        double[] theta = Numerics.gaussian(64, 2.0, 7);   // peaked, so a 60-episode batch leaves many pairs untried
        double[] pi = TabularSoftmaxPolicy.probabilities(theta, 16, 4);
        List<TabularTrajectory> batch = TabularRollouts.collect(new FrozenLake(map), new TabularSoftmaxPolicy(16, 4, theta), 11, 0, 60);
        boolean[] tried = new boolean[64];
        for (TabularTrajectory tr : batch) {
            for (int t = 0; t < tr.length(); t++) {
                tried[tr.states()[t] * 4 + tr.actions()[t]] = true;
            }
        }
        TabularEstimates est = TabularEstimates.fromSamples(batch, pi, 16, 4, map.toMdp().gamma(), TabularEstimates.SARSA_STEP,
                20, UntriedActions.STATE_VALUE);
        TabularEstimates zero = TabularEstimates.fromSamples(batch, pi, 16, 4, map.toMdp().gamma(), TabularEstimates.SARSA_STEP,
                20, UntriedActions.ZERO);
        int untriedInVisitedStates = 0;
        int zeroFavoursUntried = 0;
        for (int s = 0; s < 16; s++) {
            boolean visited = tried[4 * s] || tried[4 * s + 1] || tried[4 * s + 2] || tried[4 * s + 3];
            double piWeighted = 0;
            for (int a = 0; a < 4; a++) {
                piWeighted += pi[4 * s + a] * est.advantage()[4 * s + a];
                if (visited && !tried[4 * s + a]) {
                    untriedInVisitedStates++;
                    assertThat(est.advantage()[4 * s + a]).isCloseTo(0, within(1e-12));
                    zeroFavoursUntried += zero.advantage()[4 * s + a] > 0 ? 1 : 0;
                }
            }
            assertThat(piWeighted).isCloseTo(0, within(1e-12));
        }
        assertThat(untriedInVisitedStates).as("the batch must leave pairs untried for this test to mean anything")
                .isGreaterThanOrEqualTo(5);
        assertThat(zeroFavoursUntried).as("with Q̂ = 0, untried actions beside holes get a positive advantage")
                .isPositive();
    }

    @Test
    void unknownLabelListsTheChoices() {
        assertThat(UntriedActions.parse("state-value")).isEqualTo(UntriedActions.STATE_VALUE);
        assertThatThrownBy(() -> UntriedActions.parse("mean"))
                .hasMessage("untried-actions must be one of zero, state-value, got 'mean'");
    }
}
