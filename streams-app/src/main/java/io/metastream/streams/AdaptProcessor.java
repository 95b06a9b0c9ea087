package io.metastream.streams;

import java.time.Duration;
import java.util.ArrayList;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.state.KeyValueIterator;

import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.meta.TabularBoMrl;
import io.metastream.core.meta.TabularMetaTest;
import io.metastream.schemas.MetricsRecord;
import java.util.Map;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Trajectory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Within-task adaptation of a complete PRE or EVAL batch (ARCHITECTURE.md data flow, step 3, and
 * the meta-test). Continuous experiments: θ* by {@link ContinuousSteps} and a POST assignment of
 * {@code postRollouts} episodes (no EVAL: the trainer runs that meta-test). Tabular: for PRE
 * θ = Alg(π_φ, λ_train, τ) via core's {@link TabularBoMrl} on the episodes in index order, with
 * φ the batch's behaviour policy; publishes θ as an ADAPTED policy and the task's one POST
 * assignment (seed {@link TabularBoMrl#postSeed} of the PRE seed), and keeps φ and θ for the
 * meta-gradient step. A batch whose PRE assignment has not been seen yet waits for it
 * ({@link AssignmentRecorder} hands it back). A batch whose behaviour policy has not reached the
 * global policies store yet (it may lag the worker that played it) waits in the
 * {@code adapter-pending} store, retried by a wall-clock punctuator every {@link #RETRY}.
 */
final class AdaptProcessor implements Processor<String, BatchKey, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptProcessor.class);
    static final Duration RETRY = Duration.ofMillis(100);

    private final AdapterConfig config;
    private final ContinuousSteps continuous;
    private final TaskTimings timings;
    private final PreEstimates preEstimates;
    private ProcessorContext<String, SpecificRecord> context;
    private EpisodeStore episodes;
    private KeyValueStore<String, RolloutAssignment> assignments;
    private KeyValueStore<String, PolicyParams> policies;
    private KeyValueStore<String, PolicyParams> adaptations;
    private KeyValueStore<String, String> pending;

    AdaptProcessor(AdapterConfig config, TaskTimings timings, PreEstimates preEstimates) {
        this.config = config;
        this.timings = timings;
        this.preEstimates = preEstimates;
        this.continuous = new ContinuousSteps(config);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.episodes = new EpisodeStore(context.getStateStore(AdapterTopology.EPISODES_STORE));
        this.assignments = context.getStateStore(AdapterTopology.PRE_ASSIGNMENTS_STORE);
        this.policies = context.getStateStore(AdapterTopology.POLICIES_STORE);
        this.adaptations = context.getStateStore(AdapterTopology.ADAPTATIONS_STORE);
        this.pending = context.getStateStore(AdapterTopology.PENDING_STORE);
        context.schedule(RETRY, PunctuationType.WALL_CLOCK_TIME, this::retryPending);
    }

    private void retryPending(long now) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = pending.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        for (String key : keys) {
            adapt(BatchKey.parse(key), now);
        }
    }

    @Override
    public void process(Record<String, BatchKey> record) {
        adapt(record.value(), record.timestamp());
    }

    private void adapt(BatchKey batch, long timestamp) {
        if (adaptations.get(batch.adaptedKey()) != null) {
            pending.delete(batch.storeKey());
            return;
        }
        List<Trajectory> pre = episodes.batch(batch);
        if (pre.isEmpty()) {
            return; // a redelivered PRE assignment of a task already finished and cleaned up
        }
        Trajectory first = pre.get(0);
        RolloutAssignment assignment = assignments.get(first.getAssignmentId());
        if (assignment == null) {
            LOG.info("PRE batch {} is complete; waiting for its assignment '{}'", batch, first.getAssignmentId());
            return;
        }
        PolicyParams prior = behaviour(batch, first.getPolicyId());
        if (prior == null) {
            if (pending.putIfAbsent(batch.storeKey(), first.getPolicyId()) == null) {
                LOG.info("{} batch {} is complete; waiting for its policy '{}' to reach the policies store",
                        batch.phase(), batch, first.getPolicyId());
            }
            return;
        }
        pending.delete(batch.storeKey());
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        if (config.isContinuous()) {
            adaptContinuous(batch, assignment, prior, pre, timestamp, startMillis, startNanos);
            return;
        }
        double[] phi = TabularPolicies.logits(prior);
        TabularBoMrl bomrl = new TabularBoMrl(config.tabular(), TabularPolicies.states(prior),
                TabularPolicies.actions(prior), FrozenLakeMap.GAMMA);
        TabularEstimates estimates = bomrl.estimate(EpisodeStore.tabular(pre), phi);
        boolean eval = batch.phase() == Phase.EVAL;
        double lambda = eval ? config.tabular().lambdaTest() : config.tabular().lambdaTrain();
        double[] theta = bomrl.adapt(phi, estimates, lambda);

        PolicyParams adapted = TabularPolicies.adapted(prior, batch.taskId(), batch.round(), theta);
        adaptations.put(batch.adaptedKey(), adapted);
        context.forward(new Record<>(adapted.getPolicyId(), adapted, timestamp), AdapterTopology.POLICIES_SINK);
        if (eval) {
            finishEvalStep(batch, assignment, adapted, theta, timestamp);
            return;
        }
        adaptations.put(batch.priorKey(), prior);
        preEstimates.put(batch, prior.getPolicyId(), estimates);
        timings.adapted(batch, timestamp, startMillis, startNanos);
        RolloutAssignment post = postAssignment(assignment, adapted);
        context.forward(new Record<>(batch.taskId(), post, timestamp), AdapterTopology.ASSIGNMENTS_SINK);
    }

    /**
     * Continuous PRE batch: θ* by {@link ContinuousSteps#adapt}, published with the POST assignment of
     * {@code postRollouts} episodes. A prior or episodes that do not fit the experiment (possible only
     * when the policy reached the store after its episodes were validated) are logged and the task is
     * abandoned: the trainer's round then times out naming it.
     */
    private void adaptContinuous(BatchKey batch, RolloutAssignment assignment, PolicyParams prior, List<Trajectory> pre,
                                 long timestamp, long startMillis, long startNanos) {
        PolicyParams adapted;
        try {
            adapted = continuous.adapt(prior, pre, batch);
        } catch (IllegalArgumentException e) {
            LOG.error("PRE batch {} cannot be adapted, task abandoned: {}", batch, e.getMessage());
            return;
        }
        adaptations.put(batch.adaptedKey(), adapted);
        adaptations.put(batch.priorKey(), prior);
        timings.adapted(batch, timestamp, startMillis, startNanos);
        context.forward(new Record<>(adapted.getPolicyId(), adapted, timestamp), AdapterTopology.POLICIES_SINK);
        context.forward(new Record<>(batch.taskId(), postAssignment(assignment, adapted), timestamp),
                AdapterTopology.ASSIGNMENTS_SINK);
    }

    /** The behaviour policy: published on the policies topic, or (EVAL step k) this adapter's own θ of step k−1. */
    private PolicyParams behaviour(BatchKey batch, String policyId) {
        PolicyParams published = policies.get(policyId);
        if (published != null || batch.phase() != Phase.EVAL) {
            return published;
        }
        PolicyParams own = adaptations.get(new BatchKey(batch.taskId(), batch.round() - 1, Phase.EVAL).adaptedKey());
        return own != null && own.getPolicyId().equals(policyId) ? own : null;
    }

    /**
     * Meta-test step k of a test task (round = k): report the exact accumulated reward of θ_k to
     * the metrics topic, issue step k+1 with θ_k (seed {@link TabularBoMrl#nextEvalSeed}) until
     * {@code testSteps}, and drop the step's episodes and step k−1's θ.
     */
    private void finishEvalStep(BatchKey batch, RolloutAssignment assignment, PolicyParams adapted, double[] theta,
                                long timestamp) {
        int k = batch.round();
        double exact = TabularMetaTest.exactReturn(FrozenLakeMap.parse(assignment.getTaskSpec()), theta);
        MetricsRecord m = MetricsRecord.newBuilder().setExperimentId(config.experimentId()).setRound(k).setKind("eval")
                .setValues(Map.of("return", exact, "step", (double) k))
                .setTags(Map.of("taskId", batch.taskId(), "taskSpec", assignment.getTaskSpec())).build();
        context.forward(new Record<>(config.experimentId(), m, timestamp), AdapterTopology.METRICS_SINK);
        if (k < config.tabular().testSteps()) {
            RolloutAssignment next = RolloutAssignment.newBuilder(assignment)
                    .setAssignmentId(batch.taskId() + "/k" + (k + 1) + "/" + Phase.EVAL)
                    .setRound(k + 1).setEvalStep(k + 1)
                    .setPolicyId(adapted.getPolicyId()).setPolicyVersion(adapted.getVersion())
                    .setEpisodeStart(0).setEpisodeCount(config.batchSize(Phase.EVAL))
                    .setSeed(TabularBoMrl.nextEvalSeed(assignment.getSeed())).build();
            context.forward(new Record<>(batch.taskId(), next, timestamp), AdapterTopology.ASSIGNMENTS_SINK);
        }
        episodes.delete(batch);
        assignments.delete(assignment.getAssignmentId());
        adaptations.delete(new BatchKey(batch.taskId(), k - 1, Phase.EVAL).adaptedKey());
        if (k >= config.tabular().testSteps()) {
            adaptations.delete(batch.adaptedKey());
        }
    }

    private RolloutAssignment postAssignment(RolloutAssignment pre, PolicyParams adapted) {
        return RolloutAssignment.newBuilder(pre)
                .setAssignmentId(pre.getTaskId() + "/r" + pre.getRound() + "/" + Phase.POST)
                .setPhase(Phase.POST)
                .setEvalStep(0)
                .setPolicyId(adapted.getPolicyId())
                .setPolicyVersion(adapted.getVersion())
                .setEpisodeStart(0)
                .setEpisodeCount(config.batchSize(Phase.POST))
                .setSeed(TabularBoMrl.postSeed(pre.getSeed()))
                .build();
    }
}
