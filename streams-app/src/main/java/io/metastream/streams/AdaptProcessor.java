package io.metastream.streams;

import java.time.Duration;
import java.util.ArrayList;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.state.KeyValueIterator;

import io.metastream.core.estimate.TabularEstimates;
import io.metastream.core.meta.TabularBoMrl;
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
 * Within-task adaptation of a complete PRE batch (ARCHITECTURE.md data flow, step 3):
 * θ = Alg(π_φ, λ_train, τ) via core's {@link TabularBoMrl} on the episodes in index order, with
 * φ the batch's behaviour policy. Publishes θ as an ADAPTED policy and the task's one POST
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
    private ProcessorContext<String, SpecificRecord> context;
    private EpisodeStore episodes;
    private KeyValueStore<String, RolloutAssignment> assignments;
    private KeyValueStore<String, PolicyParams> policies;
    private KeyValueStore<String, PolicyParams> adaptations;
    private KeyValueStore<String, String> pending;

    AdaptProcessor(AdapterConfig config) {
        this.config = config;
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
        PolicyParams prior = policies.get(first.getPolicyId());
        if (prior == null) {
            if (pending.putIfAbsent(batch.storeKey(), first.getPolicyId()) == null) {
                LOG.info("PRE batch {} is complete; waiting for its policy '{}' to reach the policies store", batch,
                        first.getPolicyId());
            }
            return;
        }
        pending.delete(batch.storeKey());
        double[] phi = TabularPolicies.logits(prior);
        TabularBoMrl bomrl = new TabularBoMrl(config.experiment(), TabularPolicies.states(prior),
                TabularPolicies.actions(prior), FrozenLakeMap.GAMMA);
        TabularEstimates estimates = bomrl.estimate(EpisodeStore.tabular(pre), phi);
        double[] theta = bomrl.adapt(phi, estimates, config.experiment().lambdaTrain());

        PolicyParams adapted = TabularPolicies.adapted(prior, batch.taskId(), batch.round(), theta);
        adaptations.put(batch.priorKey(), prior);
        adaptations.put(batch.adaptedKey(), adapted);
        context.forward(new Record<>(adapted.getPolicyId(), adapted, timestamp), AdapterTopology.POLICIES_SINK);
        RolloutAssignment post = postAssignment(assignment, adapted);
        context.forward(new Record<>(batch.taskId(), post, timestamp), AdapterTopology.ASSIGNMENTS_SINK);
    }

    private RolloutAssignment postAssignment(RolloutAssignment pre, PolicyParams adapted) {
        return RolloutAssignment.newBuilder(pre)
                .setAssignmentId(pre.getTaskId() + "/r" + pre.getRound() + "/" + Phase.POST)
                .setPhase(Phase.POST)
                .setEvalStep(0)
                .setPolicyId(adapted.getPolicyId())
                .setPolicyVersion(adapted.getVersion())
                .setEpisodeStart(0)
                .setEpisodeCount(config.episodesPerBatch())
                .setSeed(TabularBoMrl.postSeed(pre.getSeed()))
                .build();
    }
}
