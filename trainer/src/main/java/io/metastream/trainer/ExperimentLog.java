package io.metastream.trainer;

import io.metastream.schemas.ControlRecord;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.ExperimentManifest;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Topics;
import io.metastream.schemas.TrainerDecision;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What an experiment's log says about its meta-training, read from its topics: the manifest and
 * the trainer's decisions ({@code control}), the meta-prior versions ({@code policies}) and the PRE
 * assignments the trainer issued ({@code assignments}). A restarted trainer resumes from it and
 * {@code replay} compares against it. Records that cannot be decoded, or belong to another
 * experiment, are not part of the view (their topics' consumers dead-letter them).
 */
public final class ExperimentLog {

    private final String experimentId;
    private ExperimentManifest manifest;
    private final SortedMap<Integer, TrainerDecision> decisions = new TreeMap<>();
    private final SortedMap<Long, PolicyParams> priors = new TreeMap<>();
    private final java.util.List<RolloutAssignment> preAssignments = new java.util.ArrayList<>();

    private ExperimentLog(String experimentId) {
        this.experimentId = experimentId;
    }

    /** Reads {@code experimentId}'s control, policies and assignments topics as they stand now. */
    public static ExperimentLog read(String bootstrapServers, Map<String, ?> clientProperties, String experimentId) {
        ExperimentLog log = new ExperimentLog(experimentId);
        for (ControlRecord c : decode(bootstrapServers, clientProperties, Topics.CONTROL.of(experimentId),
                MetastreamSerdes.control().deserializer()::deserialize)) {
            if (!experimentId.equals(c.getExperimentId())) {
                continue;
            }
            if (c.getPayload() instanceof ExperimentManifest m && log.manifest == null) {
                log.manifest = m;
            } else if (c.getPayload() instanceof TrainerDecision d) {
                log.decisions.put(d.getRound(), d);   // a round recomputed after a restart: the later record wins
            }
        }
        String priorPrefix = experimentId + "/prior/v";
        for (PolicyParams p : decode(bootstrapServers, clientProperties, Topics.POLICIES.of(experimentId),
                MetastreamSerdes.policyParams().deserializer()::deserialize)) {
            if (p.getKind() == PolicyKind.META_PRIOR && p.getPolicyId().equals(priorPrefix + p.getVersion())
                    && p.getParams().stream().allMatch(x -> Double.isFinite(x))) {
                log.priors.put(p.getVersion(), p);   // the last well-formed record of a version, as compaction keeps it
            }
        }
        for (RolloutAssignment a : decode(bootstrapServers, clientProperties, Topics.ASSIGNMENTS.of(experimentId),
                MetastreamSerdes.assignment().deserializer()::deserialize)) {
            if (a.getPhase() == Phase.PRE && experimentId.equals(a.getExperimentId())) {
                log.preAssignments.add(a);
            }
        }
        return log;
    }

    private static <T> List<T> decode(String bootstrap, Map<String, ?> props, String topic,
                                      java.util.function.BiFunction<String, byte[], T> deserializer) {
        Function<ConsumerRecord<String, byte[]>, T> f = r -> {
            if (r.value() == null) {
                return null;
            }
            try {
                return deserializer.apply(topic, r.value());
            } catch (SerializationException e) {
                return null;
            }
        };
        return TopicReader.readAll(bootstrap, props, topic).stream().map(f).filter(java.util.Objects::nonNull).toList();
    }

    public String experimentId() {
        return experimentId;
    }

    /** The manifest the experiment started with, or null if it never started. */
    public ExperimentManifest manifest() {
        return manifest;
    }

    /** The trainer's decisions by round (one per completed meta-update). */
    public SortedMap<Integer, TrainerDecision> decisions() {
        return Collections.unmodifiableSortedMap(decisions);
    }

    /** The meta-prior versions by version number (the last record of each with finite parameters). */
    public SortedMap<Long, PolicyParams> priors() {
        return Collections.unmodifiableSortedMap(priors);
    }

    /**
     * Every decodable PRE assignment of this experiment in the log, in log order. Not all need be
     * the trainer's: anyone can write to {@code assignments}; the trainer recognises its own by
     * content ({@link StreamingTrainer}).
     */
    public java.util.List<RolloutAssignment> preAssignments() {
        return Collections.unmodifiableList(preAssignments);
    }

    /** The parameters of meta-prior {@code version}, or null if the log has no such version. */
    public double[] priorParams(long version) {
        PolicyParams p = priors.get(version);
        return p == null ? null : DoubleList.toArray(p.getParams());
    }
}
