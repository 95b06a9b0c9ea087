package io.metastream.streams;

import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.AvroSerde;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.PolicyParams;
import org.apache.kafka.common.errors.SerializationException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The adapter's checks of a record on the policies topic, in two levels.
 *
 * <p>{@link #decode} — is the record a policy at all: decodable, not a tombstone (policies are never
 * deleted: the log is the experiment), keyed by its own policy id, version &ge; 0, every number
 * finite. A record that fails is not mirrored into the global store ({@link PolicyStoreUpdater}).
 *
 * <p>{@link #architectureProblem} — is it a policy of this experiment's architecture: tabular
 * {@code tabular-softmax [states, actions]} of the family with {@code states·actions} logits;
 * continuous {@code gaussian-mlp} of the experiment's MLP ({@link ContinuousPolicies#problem}) with
 * non-negative observation M2. Such a record is still mirrored, so that an episode naming it is
 * dead-lettered with the precise mismatch.
 *
 * <p>The {@link PolicyAuditor} dead-letters every record that fails either level: it is the one
 * dead-letter owner of the policies topic. Whatever a worker's policy cache skips fails one of the
 * two levels.
 */
final class PolicyCheck {

    /** A decoded policy, or the reason the record is not one. */
    record Decoded(PolicyParams policy, String problem) {
    }

    private final AvroSerde<PolicyParams> serde = MetastreamSerdes.policyParams();
    private final AdapterConfig config;
    private final int states;

    PolicyCheck(AdapterConfig config) {
        this.config = config;
        this.states = config.isContinuous() ? 0 : config.tabularStates();
    }

    Decoded decode(byte[] key, byte[] value) {
        PolicyParams p;
        try {
            p = serde.deserialize(value);
        } catch (SerializationException e) {
            return new Decoded(null, "undecodable policy: " + e.getMessage());
        }
        if (p == null) {
            return new Decoded(null, "tombstone: policies are never deleted (the log is the experiment)");
        }
        String k = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (!p.getPolicyId().equals(k)) {
            return new Decoded(null, "key '" + TaskIdentity.printable(k) + "' does not match policyId '"
                    + TaskIdentity.printable(p.getPolicyId()) + "'");
        }
        if (p.getVersion() < 0) {
            return new Decoded(null, "policy '" + k + "' has negative version " + p.getVersion());
        }
        String nonFinite = nonFinite("params", p.getParams());
        if (nonFinite == null) {
            nonFinite = nonFinite("observationMean", p.getObservationMean());
        }
        if (nonFinite == null) {
            nonFinite = nonFinite("observationM2", p.getObservationM2());
        }
        return nonFinite == null ? new Decoded(p, null) : new Decoded(null, "policy '" + k + "' has " + nonFinite);
    }

    /** Why a decoded policy is not of this experiment's architecture, or empty. */
    Optional<String> architectureProblem(PolicyParams p) {
        if (config.isContinuous()) {
            String problem = ContinuousPolicies.problem(p, config.continuous());
            if (problem == null && p.getObservationM2().stream().anyMatch(v -> v < 0)) {
                problem = "policy '" + p.getPolicyId() + "' has a negative observationM2";
            }
            return Optional.ofNullable(problem);
        }
        if (!TabularPolicies.POLICY_TYPE.equals(p.getPolicyType())) {
            return Optional.of("policy '" + p.getPolicyId() + "' has policyType '" + p.getPolicyType() + "', expected '"
                    + TabularPolicies.POLICY_TYPE + "' in a tabular experiment");
        }
        List<Integer> expected = List.of(states, FrozenLakeMap.N_ACTIONS);
        if (!expected.equals(p.getShape())) {
            return Optional.of("policy '" + p.getPolicyId() + "' has shape " + p.getShape() + ", expected " + expected);
        }
        if (p.getParams().size() != states * FrozenLakeMap.N_ACTIONS) {
            return Optional.of("policy '" + p.getPolicyId() + "' has " + p.getParams().size() + " params for shape "
                    + expected + ", expected " + states * FrozenLakeMap.N_ACTIONS);
        }
        return Optional.empty();
    }

    private static String nonFinite(String field, List<Double> values) {
        for (int i = 0; i < values.size(); i++) {
            if (!Double.isFinite(values.get(i))) {
                return "non-finite " + field + "[" + i + "] = " + values.get(i);
            }
        }
        return null;
    }
}
