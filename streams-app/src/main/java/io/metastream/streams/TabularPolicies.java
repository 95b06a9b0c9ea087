package io.metastream.streams;

import io.metastream.schemas.DoubleList;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;

import java.util.List;

/**
 * Between the wire's {@link PolicyParams} (shape [states, actions], row-major logits) and the
 * {@code double[]} logits core's tabular math takes.
 */
final class TabularPolicies {

    /** The {@code policyType} of a tabular softmax policy. */
    static final String POLICY_TYPE = "tabular-softmax";

    private TabularPolicies() {
    }

    static double[] logits(PolicyParams p) {
        return DoubleList.toArray(p.getParams());
    }

    static int states(PolicyParams p) {
        return p.getShape().get(0);
    }

    static int actions(PolicyParams p) {
        return p.getShape().get(1);
    }

    /** Id of the policy adapted from {@code priorId} on a task in a round: {@code <priorId>/adapted/<taskId>/r<round>}. */
    static String adaptedId(String priorId, String taskId, int round) {
        return priorId + "/adapted/" + taskId + "/r" + round;
    }

    /** θ adapted from {@code prior} on {@code taskId}: kind ADAPTED, the prior's version, parent = the prior. */
    static PolicyParams adapted(PolicyParams prior, String taskId, int round, double[] theta) {
        return PolicyParams.newBuilder()
                .setPolicyId(adaptedId(prior.getPolicyId(), taskId, round))
                .setVersion(prior.getVersion())
                .setKind(PolicyKind.ADAPTED)
                .setPolicyType(POLICY_TYPE)
                .setShape(List.of(states(prior), actions(prior)))
                .setParams(DoubleList.copyOf(theta))
                .setParentId(prior.getPolicyId())
                .setRound(round)
                .setTaskId(taskId)
                .build();
    }
}
