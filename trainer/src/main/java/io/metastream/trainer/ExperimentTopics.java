package io.metastream.trainer;

import io.metastream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Creates an experiment's topics with the settings of ARCHITECTURE.md: {@code policies} compacted,
 * every other topic kept forever (the log is the experiment), replication factor as given, and
 * returns once all of them are visible to clients.
 */
public final class ExperimentTopics {

    private ExperimentTopics() {
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
