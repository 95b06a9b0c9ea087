package io.metastream.core.hypergrad;

import io.metastream.core.Numerics;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.exact.TabularMdp;
import io.metastream.core.meta.ExactMetaObjective;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hypergradients against central finite differences of the exact meta-objective
 * F(φ) = mean_τ J_τ(Alg(π_φ, λ, τ)) with exact Q, on three random φ per family.
 */
class HypergradientFiniteDifferenceTest {

    private static final double FD_STEP = 1e-5;

    private static List<TabularMdp> mdps(String family) {
        return FrozenLakeFamily.byName(family).testTasks().stream().map(FrozenLakeMap::toMdp).toList();
    }

    @ParameterizedTest(name = "{0} {1} lambda={2}")
    @CsvSource({
            "frozenlake-high,ALG1,5.0", "frozenlake-low,ALG1,4.0",
            "frozenlake-high,ALG2,5.0", "frozenlake-low,ALG2,4.0",
            "frozenlake-high,ALG1,0.5", "frozenlake-low,ALG2,0.5",
            "frozenlake-high,ALG3,0.5", "frozenlake-low,ALG3,0.5"})
    void implicitHypergradientMatchesFiniteDifferencesOfExactMetaObjective(String family, TabularAlgorithm alg, double lambda) {
        ExactMetaObjective f = new ExactMetaObjective(mdps(family), alg, lambda, Double.NaN);
        for (long seed = 1; seed <= 3; seed++) {
            double[] phi = Numerics.gaussian(64, 1.0, seed * 7919 + family.hashCode());
            double[] fd = f.finiteDifference(phi, FD_STEP);
            double[] implicit = f.gradient(phi, new TabularImplicitHypergradient(), true);
            double[] partial = f.gradient(phi, new TabularImplicitHypergradient(), false);
            double[] identity = f.gradient(phi, new IdentityHypergradient<>(), false);
            System.out.printf("%s %s lambda=%.2f seed=%d: implicit cos=%.6f rel=%.2e | data-fixed implicit cos=%.4f rel=%.3f"
                            + " | identity cos=%.4f rel=%.3f%n", family, alg, lambda, seed,
                    Numerics.cosine(implicit, fd), Numerics.relativeError(implicit, fd),
                    Numerics.cosine(partial, fd), Numerics.relativeError(partial, fd),
                    Numerics.cosine(identity, fd), Numerics.relativeError(identity, fd));
            assertThat(Numerics.cosine(implicit, fd)).isGreaterThanOrEqualTo(0.99);
            assertThat(Numerics.relativeError(implicit, fd)).isLessThanOrEqualTo(0.05);
        }
    }

    @ParameterizedTest(name = "{0} {1} delta={2}")
    @CsvSource({
            "frozenlake-high,ALG1,0.05", "frozenlake-low,ALG1,0.05",
            "frozenlake-high,ALG2,0.05", "frozenlake-low,ALG2,0.05",
            "frozenlake-high,ALG3,0.5"})
    void kktHypergradientMatchesFiniteDifferencesWithActiveConstraint(String family, TabularAlgorithm alg, double delta) {
        ExactMetaObjective f = new ExactMetaObjective(mdps(family), alg, 1.0, delta);
        for (long seed = 1; seed <= 3; seed++) {
            double[] phi = Numerics.gaussian(64, 1.0, seed * 104729 + family.hashCode());
            double[] fd = f.finiteDifference(phi, FD_STEP);
            double[] kkt = f.gradient(phi, new TabularKktHypergradient(), true);
            double[] identity = f.gradient(phi, new IdentityHypergradient<>(), false);
            System.out.printf("%s %s delta=%.2f seed=%d: KKT cos=%.6f rel=%.2e | identity cos=%.4f%n", family, alg, delta,
                    seed, Numerics.cosine(kkt, fd), Numerics.relativeError(kkt, fd), Numerics.cosine(identity, fd));
            assertThat(Numerics.cosine(kkt, fd)).isGreaterThanOrEqualTo(0.99);
            assertThat(Numerics.relativeError(kkt, fd)).isLessThanOrEqualTo(0.05);
        }
    }
}
