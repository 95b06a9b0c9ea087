package io.metastream.trainer;

import io.metastream.core.continuous.ContinuousAlgorithm;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.schemas.ContinuousTaskTerms;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.TaskMetaGradient;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The largest continuous records — a meta-prior and a task's meta-gradient (θ*, x, ∇φ and up to
 * {@code fisherStates} PRE states) — fit Kafka's default limits (broker {@code message.max.bytes}
 * 1048588, producer {@code max.request.size} 1048576) with room for the record overhead, for the
 * point-navigation preset and for the paper's 128-128 MLP on the largest task (Ant: 27 → 8) with
 * 2000 Fisher states; so no topic or producer overrides are needed.
 */
class RecordSizeTest {

    /** Kafka's default producer max.request.size, minus room for the batch header, key and headers. */
    static final int LIMIT = 1_048_576 - 4_096;

    @Test
    void continuousRecordsFitTheDefaultMessageSize() {
        ContinuousExperimentConfig ant = ContinuousExperimentConfig.paper("ant-dir", ContinuousAlgorithm.ALG1, 0);
        ContinuousExperimentConfig point = ContinuousExperimentConfig.pointNav(ContinuousAlgorithm.ALG1, 0);
        int antPrior = priorBytes(ant, 27, 8);
        int antGradient = gradientBytes(ant, 27, 8);
        int pointGradient = gradientBytes(point, 2, 2);
        System.out.printf("record sizes: ant 128-128 prior %d B, meta-gradient %d B; pointnav meta-gradient %d B%n",
                antPrior, antGradient, pointGradient);
        assertThat(antPrior).isLessThan(LIMIT);
        assertThat(antGradient).isLessThan(LIMIT);
        assertThat(pointGradient).isLessThan(LIMIT);
        // 8 bytes per double: three parameter vectors of 21,136 and 2000 × 27 states dominate
        assertThat(antGradient).isGreaterThan(8 * (3 * 21_136 + 2000 * 27));
    }

    private static int priorBytes(ContinuousExperimentConfig c, int obsDim, int actDim) {
        int d = new GaussianMlpPolicy(obsDim, c.hidden(), actDim).parameterCount();
        PolicyParams p = PolicyParams.newBuilder().setPolicyId("experiment/prior/v499").setVersion(499)
                .setKind(PolicyKind.META_PRIOR).setPolicyType("gaussian-mlp").setShape(List.of(obsDim, 128, 128, actDim))
                .setParams(values(d)).setParentId("experiment/prior/v498").setRound(498).setObservationCount(1L << 40)
                .setObservationMean(values(obsDim)).setObservationM2(values(obsDim)).build();
        return MetastreamSerdes.policyParams().serializer().serialize("t", p).length;
    }

    private static int gradientBytes(ContinuousExperimentConfig c, int obsDim, int actDim) {
        int d = new GaussianMlpPolicy(obsDim, c.hidden(), actDim).parameterCount();
        int states = Math.min(c.fisherStates(), c.preRollouts() * c.horizon());
        ContinuousTaskTerms terms = ContinuousTaskTerms.newBuilder().setAdaptedParams(values(d)).setCgSolution(values(d))
                .setStateDim(obsDim).setStates(values(states * obsDim)).setObservationCount(8000)
                .setObservationMean(values(obsDim)).setObservationM2(values(obsDim)).build();
        TaskMetaGradient g = TaskMetaGradient.newBuilder().setExperimentId("experiment").setRound(498)
                .setTaskId("r0498-s09").setPolicyVersion(498).setAdaptedPolicyId("experiment/prior/v498/adapted/r0498-s09/r498")
                .setGradient(values(d)).setCgResidual(1e-3).setKlAdaptedPrior(0.1).setPreReturn(-100).setPostReturn(-50)
                .setContinuous(terms).build();
        return MetastreamSerdes.metaGradient().serializer().serialize("t", g).length;
    }

    private static List<Double> values(int n) {
        return Collections.nCopies(n, Math.PI);
    }
}
