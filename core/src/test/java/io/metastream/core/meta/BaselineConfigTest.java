package io.metastream.core.meta;

import io.metastream.core.continuous.ContinuousAlgorithm;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The baseline settings of {@link ContinuousExperimentConfig} and {@link MetaMethod}'s labels. */
class BaselineConfigTest {

    private static ContinuousExperimentConfig with(MetaMethod method, double innerStepSize, double metaLearningRate,
                                                   int prompSteps, double prompClip, double prompKlWeight) {
        ContinuousExperimentConfig p = ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, 0);
        return new ContinuousExperimentConfig(p.family(), p.algorithm(), p.hidden(), p.initLogStd(), p.outputScale(),
                p.lambda(), p.innerSteps(), p.innerLearningRate(), p.innerMaxKl(), p.preRollouts(), p.postRollouts(),
                p.tasksPerIteration(), p.gamma(), p.horizon(), p.continuation(), p.cgIterations(), p.cgDamping(),
                p.metaMaxKl(), p.iterations(), p.testSteps(), p.evalEpisodes(), p.fisherStates(),
                p.normalizeObservations(), method, innerStepSize, metaLearningRate, prompSteps, prompClip, prompKlWeight,
                p.seed(), false);
    }

    @Test
    void presetsRunBoMrlWithThePapersBaselineSettings() {
        for (ContinuousExperimentConfig c : new ContinuousExperimentConfig[] {
                ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG2, 3),
                ContinuousExperimentConfig.paper("halfcheetah-dir", ContinuousAlgorithm.ALG1, 3)}) {
            assertThat(c.method()).isEqualTo(MetaMethod.BOMRL);
            assertThat(c.innerStepSize()).isEqualTo(0.1);
            assertThat(c.metaLearningRate()).isEqualTo(1e-3);
            assertThat(c.prompSteps()).isEqualTo(5);
            assertThat(c.prompClip()).isEqualTo(0.3);
            assertThat(c.prompKlWeight()).isEqualTo(5e-4);
        }
    }

    @Test
    void everyNewKeyIsRejectedWithItsName() {
        Map<String, Function<Double, ContinuousExperimentConfig>> bad = Map.of(
                "inner-step-size", v -> with(MetaMethod.MAML_TRPO, v, 1e-3, 5, 0.3, 5e-4),
                "meta-learning-rate", v -> with(MetaMethod.MAML_TRPO, 0.1, v, 5, 0.3, 5e-4),
                "promp-clip", v -> with(MetaMethod.MAML_TRPO, 0.1, 1e-3, 5, v, 5e-4),
                "promp-kl-weight", v -> with(MetaMethod.MAML_TRPO, 0.1, 1e-3, 5, 0.3, v));
        bad.forEach((key, build) -> {
            for (double v : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThatThrownBy(() -> build.apply(v)).as(key + " = " + v).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith(key + " must be");
            }
        });
        assertThatThrownBy(() -> with(MetaMethod.PROMP, 0, 1e-3, 5, 0.3, 5e-4)).hasMessageStartingWith("inner-step-size");
        assertThatThrownBy(() -> with(MetaMethod.PROMP, 0.1, 0, 5, 0.3, 5e-4)).hasMessageStartingWith("meta-learning-rate");
        assertThatThrownBy(() -> with(MetaMethod.PROMP, 0.1, 1e-3, 0, 0.3, 5e-4)).hasMessageStartingWith("promp-steps");
        assertThatThrownBy(() -> with(MetaMethod.PROMP, 0.1, 1e-3, 5, 1.0, 5e-4)).hasMessageStartingWith("promp-clip");
        assertThatThrownBy(() -> with(MetaMethod.PROMP, 0.1, 1e-3, 5, 0, 5e-4)).hasMessageStartingWith("promp-clip");
        assertThatThrownBy(() -> with(null, 0.1, 1e-3, 5, 0.3, 5e-4)).hasMessageStartingWith("method must be set")
                .hasMessageContaining("maml-trpo");
        assertThat(with(MetaMethod.PROMP, 0.1, 1e-3, 5, 0.3, 0).prompKlWeight()).isZero();
    }

    @Test
    void newComponentsTakePartInEqualityAndTheWithCopies() {
        ContinuousExperimentConfig base = with(MetaMethod.PROMP, 0.05, 2e-3, 3, 0.2, 1e-3);
        assertThat(base).isEqualTo(with(MetaMethod.PROMP, 0.05, 2e-3, 3, 0.2, 1e-3));
        assertThat(base).isNotEqualTo(with(MetaMethod.E_MAML, 0.05, 2e-3, 3, 0.2, 1e-3));
        assertThat(base).isNotEqualTo(with(MetaMethod.PROMP, 0.05, 2e-3, 3, 0.2, 2e-3));
        assertThat(base.toString()).contains("method=promp", "innerStepSize=0.05", "metaLearningRate=0.002",
                "prompSteps=3", "prompClip=0.2", "prompKlWeight=0.001");
        for (ContinuousExperimentConfig copy : new ContinuousExperimentConfig[] {base.withSeed(4), base.withIterations(2),
                base.withTestSteps(1), base.withFisherStates(7)}) {
            assertThat(copy.method()).isEqualTo(MetaMethod.PROMP);
            assertThat(copy.prompSteps()).isEqualTo(3);
            assertThat(copy.prompKlWeight()).isEqualTo(1e-3);
        }
        assertThat(base.withMethod(MetaMethod.MAML_VPG).method()).isEqualTo(MetaMethod.MAML_VPG);
        assertThat(base.withStepSizes(0.3, 0.01).innerStepSize()).isEqualTo(0.3);
        assertThat(base.withStepSizes(0.3, 0.01).metaLearningRate()).isEqualTo(0.01);
    }

    @Test
    void methodLabelsParseAndAnUnknownOneListsTheAllowedValues() {
        for (MetaMethod m : MetaMethod.values()) {
            assertThat(MetaMethod.parse(m.label())).isEqualTo(m);
            assertThat(MetaMethod.parse(" " + m.name() + " ")).isEqualTo(m);
        }
        assertThat(MetaMethod.parse("promp")).isEqualTo(MetaMethod.PROMP);
        assertThat(MetaMethod.parse("E-MAML")).isEqualTo(MetaMethod.E_MAML);
        assertThatThrownBy(() -> MetaMethod.parse("reptile"))
                .hasMessage("unknown meta-learning method 'reptile' (expected one of bomrl, maml-vpg, maml-trpo, promp, e-maml)");
    }
}
