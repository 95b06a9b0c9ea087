package io.metastream.trainer;

import io.metastream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Creates an experiment's topics with the settings of ARCHITECTURE.md: {@code policies} compacted,
 * every other topic kept forever (the log is the experiment), replication factor as given, and
 * returns once all of them are visible to clients. {@link #checkPolicyFits} checks a policy record
 * against the policies topic's size limit.
 */
public final class ExperimentTopics {

    /**
     * Bytes a record adds to its value on the wire besides its key, at most: the v2 record batch header
     * (61) and the largest per-record overhead (21: length, attributes, timestamp and offset deltas,
     * key and value lengths, header count).
     */
    static final int RECORD_OVERHEAD = 61 + 21;
    /**
     * Longest policy key beyond the experiment id: an adapted policy's
     * {@code <exp>/prior/v<19 digits>/adapted/<task id, 64>/r<10 digits>}.
     */
    static final int POLICY_KEY_BEYOND_EXPERIMENT = 112;
    /** Kafka's default producer {@code max.request.size}. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    /**
     * Partition replicas per broker that metastream will not go past when it creates an experiment's topics.
     * Kafka sets no such limit, but every partition holds open files and two memory-mapped indexes: past a few
     * tens of thousands (Linux' default {@code vm.max_map_count} is 65530) a broker fails to map an index, takes
     * its log directory offline and, with one log directory, every experiment on it becomes unreadable.
     * Override with {@code -Dmetastream.max-broker-partitions=N} (e.g. in {@code JAVA_TOOL_OPTIONS}).
     */
    public static final int MAX_BROKER_PARTITIONS = Integer.getInteger("metastream.max-broker-partitions", 10_000);
    /** Kafka Streams topics the adapter adds per experiment: the changelogs of its five state stores. */
    static final int ADAPTER_INTERNAL_TOPICS = 5;

    private ExperimentTopics() {
    }

    /**
     * Fails unless a policy record whose value is {@code policyBytes} serialized bytes (a meta-prior,
     * and an adapted policy of the same size) fits the {@code policies} topic of {@code experimentId}:
     * value, key and record overhead at most the topic's effective {@code max.message.bytes} (its own
     * setting or the broker's default, read with {@code Admin.describeConfigs}) and at most the
     * producer's {@code max.request.size} ({@code clientProperties}, else Kafka's default 1048576).
     * Call it before the first policy is published, so that a policy too large for the log stops the
     * experiment at start rather than failing on the first send.
     *
     * @throws IllegalStateException naming the topic, the size, the limit and what to change, when the
     *     policy does not fit, or when the topic's configuration cannot be read
     */
    public static void checkPolicyFits(String bootstrapServers, String experimentId, int policyBytes,
                                       Map<String, Object> clientProperties) {
        String topic = Topics.POLICIES.of(experimentId);
        Map<String, Object> props = new java.util.HashMap<>(clientProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        int maxMessageBytes;
        try (Admin admin = Admin.create(props)) {
            ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            maxMessageBytes = Integer.parseInt(entry.value());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the configuration of topic " + topic + ": "
                    + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the configuration of topic " + topic, e);
        }
        Object request = clientProperties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        int maxRequestSize = request == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(request.toString().strip());
        int keyBytes = experimentId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + POLICY_KEY_BEYOND_EXPERIMENT;
        policyFitProblem(topic, policyBytes, keyBytes, maxMessageBytes, maxRequestSize).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }

    /** Why a policy record of {@code policyBytes} with a key of at most {@code keyBytes} does not fit, or empty. */
    static java.util.Optional<String> policyFitProblem(String topic, int policyBytes, int keyBytes, int maxMessageBytes,
                                                       int maxRequestSize) {
        long needed = (long) policyBytes + keyBytes + RECORD_OVERHEAD;
        int limit = Math.min(maxMessageBytes, maxRequestSize);
        if (needed <= limit) {
            return java.util.Optional.empty();
        }
        List<String> fixes = new ArrayList<>();
        if (maxMessageBytes < needed) {
            fixes.add("raise the topic's max.message.bytes to at least " + needed + " (kafka-configs.sh --alter "
                    + "--entity-type topics --entity-name " + topic + " --add-config max.message.bytes=" + needed + ")");
        }
        if (maxRequestSize < needed) {
            fixes.add("raise max.request.size in the trainer's and the adapter's client properties to at least " + needed);
        }
        String fix = String.join(" and ", fixes);
        return java.util.Optional.of("a policy record of " + policyBytes + " bytes (" + needed + " with its key and "
                + "record overhead) does not fit topic " + topic + ": the limit is " + limit + " bytes (topic "
                + "max.message.bytes " + maxMessageBytes + ", producer max.request.size " + maxRequestSize + "); " + fix
                + ", or use a smaller policy");
    }

    /** The topic configuration of one kind. */
    public static Map<String, String> settings(Topics topic) {
        return topic == Topics.POLICIES
                ? Map.of("cleanup.policy", "compact")
                : Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1");
    }

    /** Creates every topic of {@code experimentId} that does not exist yet; returns the names created. */
    public static List<String> create(String bootstrapServers, String experimentId, int partitions, short replication,
                                      Map<String, Object> clientProperties) {
        Map<String, Object> props = new java.util.HashMap<>(clientProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            checkBrokerPartitions(admin, experimentId, partitions, replication, MAX_BROKER_PARTITIONS);
            for (Topics t : Topics.values()) {
                NewTopic nt = new NewTopic(t.of(experimentId), partitions, replication).configs(settings(t));
                try {
                    admin.createTopics(List.of(nt)).all().get();
                    created.add(nt.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + nt.name() + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
            awaitVisible(admin, experimentId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
        return created;
    }

    /**
     * Refuses, before anything is created, an experiment whose topics would put more than {@code limit} partition
     * replicas on a broker of the cluster: the partitions already there (every topic, internal ones included) plus
     * those of the experiment's missing topics and, for a new experiment, the adapter's Streams changelogs, spread
     * evenly over the brokers.
     */
    public static void checkBrokerPartitions(Admin admin, String experimentId, int partitions, short replication, int limit)
            throws InterruptedException {
        try {
            java.util.Set<String> names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get();
            int missing = 0;
            for (Topics t : Topics.values()) {
                missing += names.contains(t.of(experimentId)) ? 0 : 1;
            }
            if (missing == 0) {
                return;
            }
            long existing = 0;
            for (org.apache.kafka.clients.admin.TopicDescription d : admin.describeTopics(names).allTopicNames().get().values()) {
                for (org.apache.kafka.common.TopicPartitionInfo p : d.partitions()) {
                    existing += p.replicas().size();
                }
            }
            boolean fresh = !names.contains(Topics.TRAJECTORIES.of(experimentId));
            long planned = (long) (missing + (fresh ? ADAPTER_INTERNAL_TOPICS : 0)) * partitions * replication;
            int brokers = Math.max(1, admin.describeCluster().nodes().get().size());
            long perBroker = (existing + planned + brokers - 1) / brokers;
            if (perBroker > limit) {
                throw new IllegalArgumentException("creating the topics of " + experimentId + " (" + planned + " partition"
                        + " replicas with the adapter's changelogs) would put about " + perBroker + " on each of the " + brokers
                        + " broker(s), which hold " + existing + " now; metastream's limit is " + limit + " per broker (a broker"
                        + " with tens of thousands runs out of file descriptors or memory maps and takes its log directory"
                        + " offline): use fewer partitions, delete finished experiments' topics, or raise the limit with"
                        + " -Dmetastream.max-broker-partitions=N");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not count the cluster's partitions before creating the topics of "
                    + experimentId + ": " + e.getCause().getMessage(), e);
        }
    }

    /**
     * Waits (at most 30 s) until every topic is visible in the brokers' metadata: a topic created
     * through the controller reaches the brokers asynchronously (KRaft), and clients started in
     * between would see "unknown topic".
     */
    private static void awaitVisible(Admin admin, String experimentId) throws InterruptedException {
        List<String> names = java.util.Arrays.stream(Topics.values()).map(t -> t.of(experimentId)).toList();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics of " + experimentId + " not visible: " + e.getCause().getMessage(), e);
                }
                Thread.sleep(50);
            }
        }
    }
}
