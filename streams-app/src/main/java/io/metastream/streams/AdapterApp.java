package io.metastream.streams;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Runs the {@link AdapterTopology} with exactly-once processing ({@code exactly_once_v2}) as
 * application {@code <experimentId>-adapter}, and beside it the stateless {@link PolicyAudit} as
 * application {@code <experimentId>-adapter-policy-audit} (also exactly once), which dead-letters bad
 * records of the policies topic. Several instances with the same experiment share the work by
 * partition. {@link #close()} stops the stream threads of both and waits for them.
 *
 * <p>Every source reads raw bytes and decodes in its processor, so no record can fail in Streams'
 * deserialization: each bad record becomes a dead letter with its reason instead.
 */
public final class AdapterApp implements AutoCloseable {

    /** The longest {@link #close()} waits for each of the two applications. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreams policyAudit;

    private AdapterApp(KafkaStreams streams, KafkaStreams policyAudit) {
        this.streams = streams;
        this.policyAudit = policyAudit;
    }

    /** An adapter with its state in a fresh temporary directory. */
    public static AdapterApp create(AdapterConfig config, String bootstrapServers) {
        try {
            return create(config, bootstrapServers, Files.createTempDirectory(config.applicationId() + "-state"), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for " + config.applicationId(), e);
        }
    }

    /**
     * @param stateDir  where state stores live (each application in its own subdirectory)
     * @param overrides further Kafka Streams properties, applied last to both applications (e.g.
     *                  {@code commit.interval.ms}); {@code application.id} and {@code processing.guarantee}
     *                  cannot be overridden
     */
    public static AdapterApp create(AdapterConfig config, String bootstrapServers, Path stateDir,
                                    Map<String, String> overrides) {
        // the adapter's tasks (one per input partition) adapt and differentiate in parallel: one stream thread per
        // core; each task's numbers do not depend on the thread that computes them
        KafkaStreams adapter = streams(AdapterTopology.build(config), config.applicationId(), bootstrapServers,
                stateDir, Runtime.getRuntime().availableProcessors(), overrides);
        KafkaStreams audit = streams(PolicyAudit.build(config), config.policyAuditApplicationId(), bootstrapServers,
                stateDir, 1, overrides);
        return new AdapterApp(adapter, audit);
    }

    /**
     * The transaction timeout of the adapter's producers unless the client config sets
     * {@code transaction.timeout.ms}: 60 s instead of Kafka Streams' exactly-once default of 10 s. One
     * transaction spans every record a stream thread processes between two commits, and a thread that owns
     * several tasks may adapt and differentiate for several of them in a row (about 2.6 s each for a
     * HalfCheetah task on an idle core, several times that on a loaded machine). Past the timeout the broker
     * aborts the transaction and fences the thread, which then redoes the work: with two HalfCheetah runs
     * sharing a 2-core machine both adapter threads were fenced and that round took 181 s instead of ~70 s.
     * The price: after an adapter instance dies
     * mid-transaction, read_committed consumers may wait up to this long before its open transaction is
     * aborted (set a lower {@code transaction.timeout.ms} in {@code --client-config} for faster failover).
     */
    static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

    /**
     * {@code commit.interval.ms} unless the client config sets it: 10 ms instead of Kafka Streams' exactly-once
     * default of 100. Under exactly-once a commit ends the stream thread's transaction, and nothing the adapter
     * writes (an adapted policy with its POST assignment, a meta-gradient) is visible before it: every hop
     * through the adapter waited up to 100 ms for it. Measured with {@code metastream bench} on point navigation
     * (bench/README.md): the wait for a meta-gradient record fell from 0.14 s to 0.02 s per round and POST
     * collection from 0.16 s to 0.05 s. Commits happen only when the thread has processed something.
     */
    static final int DEFAULT_COMMIT_INTERVAL_MS = 10;

    private static KafkaStreams streams(Topology topology, String applicationId, String bootstrapServers, Path stateDir,
                                        int threads, Map<String, String> overrides) {
        return new KafkaStreams(topology, properties(applicationId, bootstrapServers, stateDir, threads, overrides));
    }

    /** The Streams properties of one of the adapter's applications: our defaults, then the overrides, then the fixed keys. */
    static Properties properties(String applicationId, String bootstrapServers, Path stateDir, int threads,
                                 Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
        props.putAll(overrides);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return props;
    }

    private volatile String failure;

    /**
     * Starts processing; returns at once. An exception that kills a stream thread of either application shuts
     * that application down (Kafka Streams' {@code SHUTDOWN_CLIENT}) and is kept as {@link #failure()}.
     */
    public AdapterApp start() {
        streams.setUncaughtExceptionHandler(e -> died("adapter", e));
        policyAudit.setUncaughtExceptionHandler(e -> died("policy audit", e));
        streams.start();
        policyAudit.start();
        return this;
    }

    private org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse died(String what,
                                                                                                              Throwable e) {
        Throwable cause = e.getCause() != null && e instanceof org.apache.kafka.streams.errors.StreamsException ? e.getCause() : e;
        if (failure == null) {
            failure = ("the " + what + "'s stream thread died: " + cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    .replaceAll("\\s*\\R\\s*", " ");
        }
        return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /**
     * Why the adapter can no longer work, when it cannot: a stream thread died (the exception), or an application is
     * in Kafka Streams' ERROR state. Empty while it runs or after a plain {@link #close()}.
     */
    public java.util.Optional<String> failure() {
        if (failure != null) {
            return java.util.Optional.of(failure);
        }
        if (streams.state() == KafkaStreams.State.ERROR || policyAudit.state() == KafkaStreams.State.ERROR) {
            return java.util.Optional.of("the adapter's Kafka Streams application is in the ERROR state");
        }
        return java.util.Optional.empty();
    }

    /** The adapter's Kafka Streams instances (the adapter topology and the policy audit), for metrics binding. */
    public java.util.List<KafkaStreams> kafkaStreams() {
        return java.util.List.of(streams, policyAudit);
    }

    /**
     * Interactive queries of this instance's stores. A store that is not queryable right now (the
     * instance is rebalancing or restoring) raises Kafka's {@code InvalidStateStoreException}.
     */
    public AdapterQueries queries() {
        return new AdapterQueries(name -> streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(name,
                org.apache.kafka.streams.state.QueryableStoreTypes.<String, Object>keyValueStore())));
    }

    /** The state of the adapter topology. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The state of the policy audit. */
    public KafkaStreams.State policyAuditState() {
        return policyAudit.state();
    }

    /** Closes the policy audit, then the adapter, each within {@link #CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        close(CLOSE_TIMEOUT);
    }

    /**
     * Closes the policy audit, then the adapter, each within {@code eachApp}; later calls return at once. A short
     * timeout is for a broker that no longer answers, against which each stream thread's last commit would block for
     * the clients' 60-second timeouts; exactly-once makes an unfinished close safe (the open transaction is aborted
     * and the next start restores the stores from their changelogs).
     */
    public void close(Duration eachApp) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            policyAudit.close(eachApp);
        } finally {
            streams.close(eachApp);
        }
    }

    private volatile boolean closed;
}
