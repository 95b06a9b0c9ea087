package io.metastream.cli;

import io.metastream.schemas.ContinuousTaskTerms;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.TaskMetaGradient;
import io.metastream.schemas.Topics;
import io.metastream.schemas.Trajectory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Poison records for the input topics of a small Frozen Lake experiment (4 iterations of 3 tasks,
 * 40 episodes, 4 test steps on the 10 test maps): for each topic a cycle of kinds, each record with
 * exactly one defect and the phrase its dead letter's reason must contain. Random content comes from
 * a seeded {@link SplittableRandom}, so the same seed gives the same records.
 */
final class PoisonRecords {

    /** One poison record: where it goes, its kind, and a phrase of the expected reason. */
    record Poison(Topics topic, int partition, String key, byte[] value, String kind, String expectedReason) {
    }

    private record Kind(String name, String expectedReason, Supplier<Object[]> keyAndValue) {
    }

    private static final String MAP = "high:SFFF/FFFF/FFFF/FFFG";
    private static final List<String> MALFORMED_IDS = List.of("r0000-s0", "r00-s00", "bad/id", "has space",
            "x".repeat(65), "tâche", "r0000-s00\u001F", "r0001-s01x", "");

    private final String id;
    private final int partitions;
    private final SplittableRandom rng;
    private final java.util.Map<Topics, List<Kind>> kinds = new java.util.EnumMap<>(Topics.class);
    private final java.util.Map<Topics, Integer> made = new java.util.EnumMap<>(Topics.class);
    private int serial;

    PoisonRecords(String experimentId, int partitions, long seed) {
        this.id = experimentId;
        this.partitions = partitions;
        this.rng = new SplittableRandom(seed);
        kinds.put(Topics.TRAJECTORIES, trajectoryKinds());
        kinds.put(Topics.ASSIGNMENTS, assignmentKinds());
        kinds.put(Topics.POLICIES, policyKinds());
        kinds.put(Topics.META_GRADIENTS, metaGradientKinds());
    }

    /** The input topics poisoned, in the order {@link #next} cycles through them. */
    static List<Topics> topics() {
        return List.of(Topics.TRAJECTORIES, Topics.ASSIGNMENTS, Topics.POLICIES, Topics.META_GRADIENTS);
    }

    /** {@code n} further poison records, spread evenly over the topics, their kinds and their partitions. */
    List<Poison> next(int n) {
        List<Poison> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Topics topic = topics().get(serial++ % topics().size());
            int k = made.merge(topic, 1, Integer::sum) - 1;
            List<Kind> cycle = kinds.get(topic);
            Kind kind = cycle.get(k % cycle.size());
            Object[] kv = kind.keyAndValue().get();
            out.add(new Poison(topic, (k / cycle.size() + k) % partitions, (String) kv[0], (byte[]) kv[1],
                    kind.name(), kind.expectedReason()));
        }
        return out;
    }

    // ---------------------------------------------------------------- kinds common to every topic

    private List<Kind> common(String what, String schemaName, Supplier<String> key, Supplier<byte[]> valid,
                              Supplier<byte[]> foreign) {
        List<Kind> out = new ArrayList<>();
        out.add(new Kind("random bytes", "undecodable " + what, () -> new Object[]{key.get(), randomBytes(1 + rng.nextInt(200))}));
        out.add(new Kind("unknown schema fingerprint", "unknown schema fingerprint", () -> {
            byte[] b = randomBytes(10 + rng.nextInt(100));
            b[0] = (byte) 0xC3;
            b[1] = 0x01;
            return new Object[]{key.get(), b};
        }));
        out.add(new Kind("record of another schema", ", not io.metastream.schemas." + schemaName,
                () -> new Object[]{key.get(), foreign.get()}));
        out.add(new Kind("truncated record", "truncated", () -> {
            byte[] b = valid.get();
            return new Object[]{key.get(), Arrays.copyOf(b, 10 + rng.nextInt(b.length - 10))};
        }));
        out.add(new Kind("null value", "tombstone", () -> new Object[]{key.get(), null}));
        return out;
    }

    // ---------------------------------------------------------------- trajectories (adapter)

    private List<Kind> trajectoryKinds() {
        List<Kind> k = common("trajectory", "Trajectory", () -> "r0001-s01", () -> bytes(trajectory().build()),
                () -> bytes(policy(id + "/prior/v9").build()));
        k.add(trajectoryKind("NaN reward", "non-finite reward", b -> b.setRewards(with(b.getRewards(), Double.NaN))));
        k.add(trajectoryKind("+Inf reward", "non-finite reward",
                b -> b.setRewards(with(b.getRewards(), Double.POSITIVE_INFINITY))));
        k.add(trajectoryKind("-Inf log-prob", "non-finite behaviour log-prob",
                b -> b.setBehaviourLogProbs(with(b.getBehaviourLogProbs(), Double.NEGATIVE_INFINITY))));
        k.add(trajectoryKind("NaN observation", "is not an integer",
                b -> b.setObservations(with(b.getObservations(), Double.NaN))));
        k.add(trajectoryKind("NaN return", "non-finite undiscountedReturn", b -> b.setUndiscountedReturn(Double.NaN)));
        k.add(trajectoryKind("observations of length T", "lengths: ",
                b -> b.setObservations(b.getObservations().subList(1, b.getObservations().size()))));
        k.add(trajectoryKind("rewards of length T+1", "lengths: ",
                b -> b.setRewards(concat(b.getRewards(), 0.0))));
        k.add(trajectoryKind("obsDim 2", "obsDim 2 and actDim 1", b -> b.setObsDim(2)));
        k.add(trajectoryKind("empty episode", "empty episode", b -> b.setObservations(List.of(0.0)).setActions(List.of())
                .setRewards(List.of()).setBehaviourLogProbs(List.of()).setUndiscountedReturn(0)));
        k.add(trajectoryKind("state off the grid", "is not an integer in [0, 16)",
                b -> b.setObservations(with(b.getObservations(), 16.0))));
        k.add(trajectoryKind("action out of range", "is not an integer in [0, 4)",
                b -> b.setActions(with(b.getActions(), 4.0))));
        k.add(trajectoryKind("episode index beyond the batch", "outside the batch", b -> b.setEpisodeIndex(40)));
        k.add(trajectoryKind("POST episode of an unknown policy", "unknown policy",
                b -> b.setPhase(Phase.POST).setAssignmentId("r0001-s01/r1/POST").setPolicyId(id + "/prior/v1/adapted/nobody")));
        k.add(trajectoryKind("task of a round beyond the run", "can never be assigned",
                b -> b.setTaskId("r9999-s00").setRound(9999).setAssignmentId("r9999-s00/r9999/PRE")));
        k.add(trajectoryKind("task of a slot beyond the round", "can never be assigned",
                b -> b.setTaskId("r0000-s07").setRound(0).setAssignmentId("r0000-s07/r0/PRE")));
        k.add(trajectoryKind("meta-test task beyond the test maps", "can never be assigned",
                b -> b.setTaskId("eval-v4-t10").setRound(1).setEvalStep(1).setPhase(Phase.EVAL)
                        .setAssignmentId("eval-v4-t10/k1/EVAL")));
        k.add(trajectoryKind("another experiment", "is not this adapter's experiment",
                b -> b.setExperimentId("someone-else")));
        k.add(trajectoryKind("malformed task id", "malformed task id", b -> {
            String taskId = MALFORMED_IDS.get(rng.nextInt(MALFORMED_IDS.size()));
            return b.setTaskId(taskId).setAssignmentId(taskId + "/r1/PRE");
        }));
        k.add(new Kind("key other than the task id", "does not match taskId",
                () -> new Object[]{"r0001-s02", bytes(trajectory().build())}));
        return k;
    }

    private Kind trajectoryKind(String name, String reason, java.util.function.UnaryOperator<Trajectory.Builder> defect) {
        return new Kind(name, reason, () -> {
            Trajectory t = defect.apply(trajectory()).build();
            return new Object[]{t.getTaskId(), bytes(t)};
        });
    }

    /** A well-formed PRE episode of task r0001-s01 (T = 3..12 steps on the 4×4 grid). */
    private Trajectory.Builder trajectory() {
        int steps = 3 + rng.nextInt(10);
        List<Double> states = new ArrayList<>();
        List<Double> actions = new ArrayList<>();
        for (int t = 0; t <= steps; t++) {
            states.add((double) rng.nextInt(16));
            if (t < steps) {
                actions.add((double) rng.nextInt(4));
            }
        }
        return Trajectory.newBuilder().setExperimentId(id).setAssignmentId("r0001-s01/r1/PRE").setTaskId("r0001-s01")
                .setRound(1).setPhase(Phase.PRE).setEvalStep(0).setEpisodeIndex(rng.nextInt(40)).setWorkerId("intruder")
                .setPolicyId(id + "/prior/v1").setPolicyVersion(1).setObsDim(1).setActDim(1).setObservations(states)
                .setActions(actions).setRewards(Collections.nCopies(steps, 0.0))
                .setBehaviourLogProbs(Collections.nCopies(steps, -1.386)).setUndiscountedReturn(0.0);
    }

    // ---------------------------------------------------------------- assignments (adapter owns; workers skip)

    private List<Kind> assignmentKinds() {
        List<Kind> k = common("assignment", "RolloutAssignment", () -> "r0001-s02", () -> bytes(assignment().build()),
                () -> bytes(trajectory().build()));
        k.add(assignmentKind("another experiment", "is not this adapter's experiment", b -> b.setExperimentId("someone-else")));
        k.add(assignmentKind("task of a round beyond the run", "can never be assigned",
                b -> b.setTaskId("r9999-s00").setRound(9999).setAssignmentId("r9999-s00/r9999/PRE")));
        k.add(assignmentKind("task of a slot beyond the round", "can never be assigned",
                b -> b.setTaskId("r0001-s05").setAssignmentId("r0001-s05/r1/PRE")));
        k.add(assignmentKind("POST of a round beyond the run", "can never be assigned",
                b -> b.setTaskId("r0007-s00").setRound(7).setPhase(Phase.POST).setAssignmentId("r0007-s00/r7/POST")));
        k.add(assignmentKind("malformed task id", "malformed task id", b -> {
            String taskId = MALFORMED_IDS.get(rng.nextInt(MALFORMED_IDS.size()));
            return b.setTaskId(taskId).setAssignmentId(taskId + "/r1/PRE");
        }));
        k.add(assignmentKind("meta-test of a version beyond the run", "can never be assigned",
                b -> eval(b, "eval-v99-t00", 1)));
        k.add(assignmentKind("meta-test task beyond the test maps", "can never be assigned",
                b -> eval(b, "eval-v4-t10", 1)));
        k.add(assignmentKind("meta-test step beyond test-steps", "outside [1, 4]", b -> eval(b, "eval-v4-t00", 9)));
        k.add(assignmentKind("negative episode start", "episode range", b -> b.setEpisodeStart(-1)));
        k.add(assignmentKind("episodes beyond the batch", "episode range", b -> b.setEpisodeStart(30).setEpisodeCount(20)));
        k.add(assignmentKind("task spec that does not parse", "does not parse", b -> b.setTaskSpec("medium:SFFF/FFFF")));
        k.add(assignmentKind("map of another size", "has 64 states",
                b -> b.setTaskSpec("high:SFFFFFFF/FFFFFFFF/FFFFFFFF/FFFFFFFF/FFFFFFFF/FFFFFFFF/FFFFFFFF/FFFFFFFG")));
        k.add(new Kind("key other than the task id", "does not match taskId",
                () -> new Object[]{"r0001-s00", bytes(assignment().build())}));
        return k;
    }

    private static RolloutAssignment.Builder eval(RolloutAssignment.Builder b, String taskId, int step) {
        return b.setTaskId(taskId).setAssignmentId(taskId + "/k" + step + "/EVAL").setPhase(Phase.EVAL).setRound(step)
                .setEvalStep(step).setPolicyId(b.getPolicyId().replace("/v1", "/v4")).setPolicyVersion(4);
    }

    private Kind assignmentKind(String name, String reason, java.util.function.UnaryOperator<RolloutAssignment.Builder> defect) {
        return new Kind(name, reason, () -> {
            RolloutAssignment a = defect.apply(assignment()).build();
            return new Object[]{a.getTaskId(), bytes(a)};
        });
    }

    /** A well-formed PRE assignment of task r0001-s02 (all 40 episodes of its batch). */
    private RolloutAssignment.Builder assignment() {
        return RolloutAssignment.newBuilder().setExperimentId(id).setAssignmentId("r0001-s02/r1/PRE").setRound(1)
                .setTaskId("r0001-s02").setTaskSpec(MAP).setPhase(Phase.PRE).setEvalStep(0).setPolicyId(id + "/prior/v1")
                .setPolicyVersion(1).setEpisodeStart(0).setEpisodeCount(40).setSeed(rng.nextLong());
    }

    // ---------------------------------------------------------------- policies (adapter's policy audit owns; store and workers skip)

    private List<Kind> policyKinds() {
        List<Kind> k = common("policy", "PolicyParams", this::poisonPolicyId, () -> bytes(policy(id + "/x").build()),
                () -> bytes(assignment().build()));
        k.add(policyKind("NaN logit", "non-finite params", b -> b.setParams(with(b.getParams(), Double.NaN))));
        k.add(policyKind("+Inf logit", "non-finite params", b -> b.setParams(with(b.getParams(), Double.POSITIVE_INFINITY))));
        k.add(policyKind("-Inf observation mean", "non-finite observationMean",
                b -> b.setObservationCount(3).setObservationMean(List.of(Double.NEGATIVE_INFINITY)).setObservationM2(List.of(1.0))));
        k.add(policyKind("shape [4, 16]", "has shape [4, 16]", b -> b.setShape(List.of(4, 16))));
        k.add(policyKind("63 logits for [16, 4]", "has 63 params", b -> b.setParams(b.getParams().subList(0, 63))));
        k.add(policyKind("policy type of the continuous side", "policyType 'gaussian-mlp'", b -> b.setPolicyType("gaussian-mlp")));
        k.add(policyKind("negative version", "negative version", b -> b.setVersion(-3)));
        k.add(new Kind("key other than the policy id", "does not match policyId",
                () -> new Object[]{poisonPolicyId(), bytes(policy(poisonPolicyId()).build())}));
        return k;
    }

    private String poisonPolicyId() {
        return id + "/poison/p" + rng.nextInt(1_000_000_000);
    }

    private Kind policyKind(String name, String reason, java.util.function.UnaryOperator<PolicyParams.Builder> defect) {
        return new Kind(name, reason, () -> {
            PolicyParams p = defect.apply(policy(poisonPolicyId())).build();
            return new Object[]{p.getPolicyId(), bytes(p)};
        });
    }

    /** A well-formed tabular meta-prior [16, 4] under an id no assignment names. */
    private PolicyParams.Builder policy(String policyId) {
        List<Double> logits = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            logits.add(rng.nextDouble(-1, 1));
        }
        return PolicyParams.newBuilder().setPolicyId(policyId).setVersion(1).setKind(PolicyKind.META_PRIOR)
                .setPolicyType("tabular-softmax").setShape(List.of(16, 4)).setParams(logits).setRound(0);
    }

    // ---------------------------------------------------------------- meta-gradients (trainer)

    private List<Kind> metaGradientKinds() {
        List<Kind> k = common("meta-gradient", "TaskMetaGradient", () -> "r0002-s01", () -> bytes(gradient().build()),
                () -> bytes(policy(id + "/prior/v3").build()));
        k.add(gradientKind("NaN entry", "non-finite gradient", b -> b.setGradient(with(b.getGradient(), Double.NaN))));
        k.add(gradientKind("+Inf entry", "non-finite gradient",
                b -> b.setGradient(with(b.getGradient(), Double.POSITIVE_INFINITY))));
        k.add(gradientKind("-Inf entry", "non-finite gradient",
                b -> b.setGradient(with(b.getGradient(), Double.NEGATIVE_INFINITY))));
        k.add(gradientKind("NaN pre-return", "non-finite diagnostics", b -> b.setPreReturn(Double.NaN)));
        k.add(gradientKind("63 entries for 64 logits", "gradient of length 63",
                b -> b.setGradient(b.getGradient().subList(0, 63))));
        k.add(gradientKind("task of a round beyond the run", "can never be assigned",
                b -> b.setTaskId("r9999-s00").setRound(9999)));
        k.add(gradientKind("task of a slot beyond the round", "is not one of round 2's tasks", b -> b.setTaskId("r0002-s05")));
        k.add(gradientKind("malformed task id", "is not one of round 2's tasks",
                b -> b.setTaskId(MALFORMED_IDS.get(rng.nextInt(MALFORMED_IDS.size())))));
        k.add(gradientKind("another experiment", "is not this trainer's experiment", b -> b.setExperimentId("someone-else")));
        k.add(gradientKind("continuous terms in a tabular experiment", "continuous terms in a tabular experiment",
                b -> b.setContinuous(ContinuousTaskTerms.newBuilder().setAdaptedParams(b.getGradient())
                        .setCgSolution(b.getGradient()).setStateDim(1).setStates(List.of(0.0)).setObservationCount(1)
                        .setObservationMean(List.of(0.0)).setObservationM2(List.of(0.0)).build())));
        k.add(gradientKind("negative version", "negative policyVersion", b -> b.setPolicyVersion(-1)));
        k.add(new Kind("key other than the task id", "does not match taskId",
                () -> new Object[]{"r0002-s00", bytes(gradient().build())}));
        return k;
    }

    private Kind gradientKind(String name, String reason, java.util.function.UnaryOperator<TaskMetaGradient.Builder> defect) {
        return new Kind(name, reason, () -> {
            TaskMetaGradient g = defect.apply(gradient()).build();
            return new Object[]{g.getTaskId(), bytes(g)};
        });
    }

    /** A well-formed tabular meta-gradient of task r0002-s01 at version 2 (64 entries). */
    private TaskMetaGradient.Builder gradient() {
        List<Double> g = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            g.add(rng.nextDouble(-0.01, 0.01));
        }
        return TaskMetaGradient.newBuilder().setExperimentId(id).setRound(2).setTaskId("r0002-s01").setPolicyVersion(2)
                .setAdaptedPolicyId(id + "/prior/v2/adapted/r0002-s01/r2").setGradient(g).setCgResidual(0)
                .setKlAdaptedPrior(0.1).setPreReturn(0.4).setPostReturn(0.6);
    }

    // ---------------------------------------------------------------- helpers

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    /** {@code values} with one entry, chosen at random, replaced by {@code v}. */
    private List<Double> with(List<Double> values, double v) {
        List<Double> out = new ArrayList<>(values);
        out.set(rng.nextInt(out.size()), v);
        return out;
    }

    private static List<Double> concat(List<Double> values, double v) {
        List<Double> out = new ArrayList<>(values);
        out.add(v);
        return out;
    }

    private static byte[] bytes(Trajectory t) {
        return MetastreamSerdes.trajectory().serialize(t);
    }

    private static byte[] bytes(RolloutAssignment a) {
        return MetastreamSerdes.assignment().serialize(a);
    }

    private static byte[] bytes(PolicyParams p) {
        return MetastreamSerdes.policyParams().serialize(p);
    }

    private static byte[] bytes(TaskMetaGradient g) {
        return MetastreamSerdes.metaGradient().serialize(g);
    }
}
