package io.metastream.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Runs the {@link AdapterTopology} with exactly-once processing ({@code exactly_once_v2}) as
 * application {@code <experimentId>-adapter}. Several instances with the same experiment share
 * the work by partition. {@link #close()} stops the stream threads and waits for them.
 */
public final class AdapterApp implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;

    private AdapterApp(KafkaStreams streams) {
        this.streams = streams;
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
     * @param stateDir  where RocksDB stores live
     * @param overrides further Kafka Streams properties, applied last (e.g. {@code commit.interval.ms});
     *                  {@code application.id} and {@code processing.guarantee} cannot be overridden
     */
    public static AdapterApp create(AdapterConfig config, String bootstrapServers, Path stateDir,
                                    Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Only the global policies source decodes in Streams (trajectories and assignments are decoded,
        // and dead-lettered, by the processors): a corrupt policy is logged and skipped, and the
        // trajectories that name it are dead-lettered as "unknown policy".
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        props.putAll(overrides);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return new AdapterApp(new KafkaStreams(AdapterTopology.build(config), props));
    }

    /** Starts processing; returns at once. */
    public AdapterApp start() {
        streams.start();
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
    }
}
