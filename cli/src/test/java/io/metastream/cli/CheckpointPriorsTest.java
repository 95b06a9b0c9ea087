package io.metastream.cli;

import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CheckpointPriorsTest {

    /** A gaussian-mlp of shape [3, 4, 2]: 3·4 + 4 + 4·2 + 2 = 26 MLP parameters, then log σ (2). */
    private static PolicyParams gaussian(long version, List<Double> params, long observations) {
        return PolicyParams.newBuilder().setPolicyId("x/prior/v" + version).setVersion(version).setKind(PolicyKind.META_PRIOR)
                .setPolicyType("gaussian-mlp").setShape(List.of(3, 4, 2)).setParams(params).setRound((int) version - 1)
                .setObservationCount(observations)
                .setObservationMean(observations == 0 ? List.of() : List.of(0.0, 0.0, 0.0))
                .setObservationM2(observations == 0 ? List.of() : List.of(1.0, 1.0, 1.0)).build();
    }

    @Test
    void gaussianRowsReadLogStdFromTheEndOfTheParameters() {
        List<Double> theta = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            theta.add(i % 2 == 0 ? 0.5 : -0.5);   // |w|² = 26 · 0.25
        }
        theta.add(-0.25);
        theta.add(-1.75);
        List<CheckpointPriors.Row> rows = CheckpointPriors.rows(List.of(gaussian(7, theta, 4000)));
        CheckpointPriors.Row r = rows.get(0);
        assertThat(r.version()).isEqualTo(7);
        assertThat(r.round()).isEqualTo(6);
        assertThat(r.parameters()).isEqualTo(28);
        assertThat(r.thetaNorm()).isCloseTo(Math.sqrt(26 * 0.25 + 0.25 * 0.25 + 1.75 * 1.75), within(1e-12));
        assertThat(r.logStdMean()).isCloseTo(-1.0, within(1e-12));
        assertThat(r.logStdMin()).isEqualTo(-1.75);
        assertThat(r.logStdMax()).isEqualTo(-0.25);
        assertThat(r.observations()).isEqualTo(4000);

        assertThat(CheckpointPriors.table(rows)).contains("log-std mean").contains("-1.0000").contains("-1.7500").contains("4000");
        assertThat(CheckpointPriors.csv(rows)).isEqualTo(CheckpointPriors.CSV_HEADER
                + "7,6,gaussian-mlp,28," + String.format(java.util.Locale.ROOT, "%.9g", r.thetaNorm())
                + ",-1.00000000,-1.75000000,-0.250000000,4000\n");
    }

    @Test
    void otherPolicyTypesAndMalformedGaussiansHaveNoLogStdColumns() {
        PolicyParams tabular = PolicyParams.newBuilder().setPolicyId("t/prior/v0").setVersion(0).setKind(PolicyKind.META_PRIOR)
                .setPolicyType("tabular-softmax").setShape(List.of(2, 2)).setParams(List.of(3.0, 0.0, 0.0, 4.0)).setRound(-1).build();
        PolicyParams shortGaussian = gaussian(1, List.of(1.0, 2.0), 0);   // 2 params for a shape that needs 28
        List<CheckpointPriors.Row> rows = CheckpointPriors.rows(List.of(tabular, shortGaussian));
        assertThat(rows).allSatisfy(r -> assertThat(r.hasLogStd()).isFalse());
        assertThat(rows.get(0).thetaNorm()).isEqualTo(5.0);
        assertThat(CheckpointPriors.table(rows)).doesNotContain("log-std");
        assertThat(CheckpointPriors.csv(rows)).endsWith("0,-1,tabular-softmax,4,5.00000000,,,,\n"
                + "1,0,gaussian-mlp,2,2.23606798,,,,\n");
    }
}
