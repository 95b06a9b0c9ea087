package io.metastream.core.meta;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A restored optimiser continues bit for bit where the recorded one stopped (trainer resume). */
class MetaOptimizerStateTest {

    @Test
    void aRestoredOptimizerContinuesExactly() {
        for (String name : new String[]{"adam", "sgd"}) {
            SplittableRandom rng = new SplittableRandom(7);
            MetaOptimizer original = MetaOptimizer.of(name, 0.03);
            double[] phi = rng.doubles(12, -1, 1).toArray();
            for (int i = 0; i < 3; i++) {
                phi = original.step(phi, rng.doubles(12, -1, 1).toArray());
            }
            MetaOptimizer restored = MetaOptimizer.of(name, 0.03);
            restored.restore(original.state());
            assertThat(restored.state()).as(name).containsExactly(original.state());
            double[] a = phi;
            double[] b = phi;
            for (int i = 0; i < 4; i++) {
                double[] g = rng.doubles(12, -1, 1).toArray();
                a = original.step(a, g);
                b = restored.step(b, g);
            }
            assertThat(b).as(name).containsExactly(a);
        }
    }

    @Test
    void aFreshAdamRoundTripsAndForeignStatesAreRejected() {
        Adam adam = new Adam(0.03, 0.9, 0.999, 1e-8);
        assertThat(adam.state()).containsExactly(0.0);
        adam.restore(new double[]{0});
        assertThat(adam.step(new double[]{1, 2}, new double[]{1, -1})).containsExactly(new Adam(0.03, 0.9, 0.999, 1e-8)
                .step(new double[]{1, 2}, new double[]{1, -1}));
        assertThatThrownBy(() -> adam.restore(new double[]{1.5, 0, 0})).hasMessageContaining("not an Adam state");
        assertThatThrownBy(() -> new Sgd(0.1).restore(new double[]{1})).hasMessageContaining("SGD has no state");
    }
}
