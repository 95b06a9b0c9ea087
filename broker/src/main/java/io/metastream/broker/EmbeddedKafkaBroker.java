package io.metastream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker running in this JVM: KRaft combined mode
 * ({@code process.roles=broker,controller}, {@code node.id=1}), listening on 127.0.0.1 only.
 *
 * <p>Lifecycle: {@link #start()} formats the log directory on first use (like
 * {@code kafka-storage.sh format}), starts {@code kafka.server.KafkaRaftServer} and returns once
 * an admin client's {@code describeCluster} answers. {@link #stop()} shuts the broker down cleanly
 * and keeps its log directory; {@code start()} after {@code stop()} comes back on the same ports
 * with the same log directory, so topics, records and committed offsets survive. {@link #close()}
 * stops and, if the log directory is a temp directory this broker created, deletes it. A closed
 * broker cannot be started again.
 *
 * <p>Single-node defaults: every internal topic (offsets, transaction state, share state) has
 * replication factor 1 and min ISR 1, so consumer groups and exactly-once transactions work;
 * new topics get {@link Builder#defaultPartitions(int)} partitions (3 by default); automatic
 * topic creation is off; the initial group rebalance delay is 0.
 *
 * <p>Kafka never ends the JVM: on a fatal fault it would call {@code Exit.halt}; the first
 * {@code start()} replaces Kafka's JVM-wide exit and halt procedures with ones that throw, so the
 * fault surfaces as an exception (see {@code JvmExitGuard}).
 *
 * <p>Thread-safe: lifecycle methods are synchronized. Kafka's server logs go through SLF4J; see
 * the module README for how to keep them quiet.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path logDir;
    private final boolean ownsLogDir;
    private final List<BrokerProperties.Listener> clientListeners;
    private final BrokerProperties.Listener controllerListener;
    private final Map<String, String> properties;
    private final Duration startupTimeout;

    private KafkaRaftServer server;
    private long fatalRequestsAtStart;
    private long lastStartupMillis = -1;
    private int startCount;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder builder, Path logDir, boolean ownsLogDir,
                                List<BrokerProperties.Listener> clientListeners,
                                BrokerProperties.Listener controllerListener) {
        this.logDir = logDir;
        this.ownsLogDir = ownsLogDir;
        this.clientListeners = List.copyOf(clientListeners);
        this.controllerListener = controllerListener;
        this.startupTimeout = builder.startupTimeout;
        this.properties = Collections.unmodifiableMap(BrokerProperties.of(this.clientListeners, controllerListener, logDir,
            builder.defaultPartitions, builder.extraProperties));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker and blocks until it answers {@code describeCluster} on
     * {@link #bootstrapServers()}, at most the builder's startup timeout.
     *
     * @return this broker, for chaining
     * @throws BrokerStartException  if a port is taken, the log directory cannot be formatted or is
     *                               locked by another broker, Kafka rejects the configuration, or the
     *                               broker does not answer in time; the broker is then stopped again
     * @throws IllegalStateException if the broker is already running or was closed
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (closed) {
            throw new IllegalStateException("embedded Kafka broker at " + bootstrapServers() + " was closed; build a new one");
        }
        if (server != null) {
            throw new IllegalStateException("embedded Kafka broker is already running at " + bootstrapServers());
        }
        long startNanos = System.nanoTime();
        requirePortsFree();
        KraftStorage.requireNotLocked(logDir);
        JvmExitGuard.install();
        KraftStorage.formatIfNeeded(logDir, BrokerProperties.NODE_ID, BrokerProperties.CONTROLLER_LISTENER);
        KafkaRaftServer candidate = null;
        try {
            candidate = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
            candidate.startup();
            awaitDescribeCluster(startNanos);
        } catch (RuntimeException | Error e) {
            shutDownAfterFailure(candidate, e);
            throw new BrokerStartException("embedded Kafka broker failed to start on " + bootstrapServers()
                + " with log dir " + logDir + ": " + e, e);
        }
        server = candidate;
        fatalRequestsAtStart = JvmExitGuard.requests();
        startCount++;
        lastStartupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        LOG.info("Kafka {} KRaft broker (node {}) started on {} with log dir {} in {} ms (start #{})",
            AppInfoParser.getVersion(), BrokerProperties.NODE_ID, bootstrapServers(), logDir, lastStartupMillis, startCount);
        return this;
    }

    /**
     * Shuts the broker down cleanly and waits until it has stopped. The log directory and the
     * ports are kept for a later {@link #start()}. Does nothing if the broker is not running.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer running = server;
        server = null;
        long stopNanos = System.nanoTime();
        running.shutdown();
        running.awaitShutdown();
        LOG.info("Kafka KRaft broker on {} stopped in {} ms", bootstrapServers(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNanos));
    }

    /** Stops the broker and deletes the log directory if it is a temp directory this broker created. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (ownsLogDir) {
                KraftStorage.deleteRecursively(logDir);
            }
        }
    }

    /**
     * Why this running broker can no longer serve, when Kafka hit a fatal fault since it started (for example every
     * log directory failed: a full disk, a file grown past the size limit): Kafka then asks for a JVM halt, which the
     * embedded broker refuses ({@link JvmExitGuard}), so the broker stays up without serving. Empty otherwise. Exit
     * and halt requests are JVM-wide: with several brokers in one JVM each one reports any of them.
     */
    public synchronized java.util.Optional<String> failure() {
        if (server == null || JvmExitGuard.requests() == fatalRequestsAtStart) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the embedded Kafka broker hit a fatal fault and stopped serving (" + JvmExitGuard.lastRequest()
            + "; Kafka's ERROR line before names the cause, e.g. all log directories failed when " + logDir + " is on a full"
            + " disk)");
    }

    /** {@code "127.0.0.1:port"} of the PLAINTEXT listener; stable across stop and start. */
    public String bootstrapServers() {
        return clientListeners.get(0).address();
    }

    /** {@code "127.0.0.1:port"} of the named listener (e.g. one added with {@link Builder#listener}). */
    public String bootstrapServers(String listenerName) {
        return clientListeners.stream()
            .filter(l -> l.name().equals(listenerName.toUpperCase(Locale.ROOT)))
            .findFirst()
            .map(BrokerProperties.Listener::address)
            .orElseThrow(() -> new IllegalArgumentException("no listener named '" + listenerName + "'; listeners are "
                + clientListeners.stream().map(BrokerProperties.Listener::name).toList()));
    }

    /** Port of the PLAINTEXT listener. */
    public int port() {
        return clientListeners.get(0).port();
    }

    /** Port of the KRaft controller listener (internal to the broker, also on 127.0.0.1). */
    public int controllerPort() {
        return controllerListener.port();
    }

    /** The directory holding the KRaft metadata log ({@code metadata/}) and the topic data ({@code data/}). */
    public Path logDir() {
        return logDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Wall-clock milliseconds of the last successful {@link #start()}, or -1 if it never started. */
    public synchronized long lastStartupMillis() {
        return lastStartupMillis;
    }

    /** How many times {@link #start()} succeeded on this instance. */
    public synchronized int startCount() {
        return startCount;
    }

    /** The full server configuration passed to Kafka (defaults, listeners, extra properties); read-only. */
    public Map<String, String> brokerProperties() {
        return properties;
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", logDir=" + logDir + "]";
    }

    private void requirePortsFree() {
        List<BrokerProperties.Listener> all = new ArrayList<>(clientListeners);
        all.add(controllerListener);
        for (BrokerProperties.Listener listener : all) {
            if (!LoopbackPorts.isFree(listener.port())) {
                throw new BrokerStartException("cannot start embedded Kafka broker: port " + listener.port()
                    + " on " + LoopbackPorts.HOST + " (listener " + listener.name() + ") is already in use;"
                    + " choose another port, or 0 for a free one");
            }
        }
    }

    private void awaitDescribeCluster(long startNanos) {
        long remainingMs = startupTimeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        int timeoutMs = (int) Math.max(1_000, Math.min(Integer.MAX_VALUE, remainingMs));
        Map<String, Object> config = Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000));
        try (Admin admin = Admin.create(config)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw new IllegalStateException("describeCluster on " + bootstrapServers() + " returned no nodes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker to answer", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("broker did not answer describeCluster within " + timeoutMs + " ms", e);
        }
    }

    private static void shutDownAfterFailure(KafkaRaftServer candidate, Throwable failure) {
        if (candidate == null) {
            return;
        }
        try {
            candidate.shutdown();
            candidate.awaitShutdown();
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Options of an {@link EmbeddedKafkaBroker}. Ports and the temp log directory are chosen by
     * {@link #build()}, so {@link EmbeddedKafkaBroker#bootstrapServers()} is known before start.
     */
    public static final class Builder {
        private Path logDir;
        private int port;
        private int controllerPort;
        private int defaultPartitions = 3;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private final Map<String, String> extraProperties = new LinkedHashMap<>();
        private final Map<String, BrokerProperties.Listener> extraListeners = new LinkedHashMap<>();

        private Builder() {
        }

        /** Log directory to use (created, and formatted on first start, if needed); kept on {@code close()}. Default: a fresh temp directory deleted on {@code close()}. */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
            return this;
        }

        /** Port of the PLAINTEXT listener on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = requirePort(port, "port");
            return this;
        }

        /** Port of the KRaft controller listener on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = requirePort(controllerPort, "controllerPort");
            return this;
        }

        /** Partitions of topics created without an explicit count ({@code num.partitions}); default 3. */
        public Builder defaultPartitions(int defaultPartitions) {
            if (defaultPartitions < 1) {
                throw new IllegalArgumentException("defaultPartitions must be >= 1, was " + defaultPartitions);
            }
            this.defaultPartitions = defaultPartitions;
            return this;
        }

        /** Upper bound on {@link EmbeddedKafkaBroker#start()}; default 60 s. */
        public Builder startupTimeout(Duration startupTimeout) {
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * Adds one Kafka server property, applied after the defaults (so it can override them,
         * e.g. {@code sasl.enabled.mechanisms} or {@code num.partitions}). Keys that define the
         * node, its listeners or its log directory are rejected: use the builder options.
         */
        public Builder brokerProperty(String key, String value) {
            BrokerProperties.requireNotReserved(Objects.requireNonNull(key, "key"));
            extraProperties.put(key, Objects.requireNonNull(value, () -> "value of " + key));
            return this;
        }

        /** Adds every entry as with {@link #brokerProperty(String, String)}. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /**
         * Adds a client listener besides PLAINTEXT, on 127.0.0.1 (e.g. {@code listener("SASL",
         * "SASL_PLAINTEXT", 0)}); its mechanism and JAAS settings go in {@link #brokerProperty}
         * ({@code listener.name.sasl.*}). Port 0 picks a free one.
         */
        public Builder listener(String name, String securityProtocol, int port) {
            String upper = Objects.requireNonNull(name, "name").toUpperCase(Locale.ROOT);
            if (!upper.matches("[A-Z][A-Z0-9_]*")
                || upper.equals(BrokerProperties.CLIENT_LISTENER) || upper.equals(BrokerProperties.CONTROLLER_LISTENER)) {
                throw new IllegalArgumentException("listener name must match [A-Z][A-Z0-9_]* and not be "
                    + BrokerProperties.CLIENT_LISTENER + " or " + BrokerProperties.CONTROLLER_LISTENER + ", was '" + name + "'");
            }
            SecurityProtocol protocol = SecurityProtocol.forName(securityProtocol);
            extraListeners.put(upper, new BrokerProperties.Listener(upper, protocol.name, requirePort(port, "port of " + upper)));
            return this;
        }

        /** Resolves ports (free ones where 0 was given) and the log directory; does not start anything. */
        public EmbeddedKafkaBroker build() {
            List<BrokerProperties.Listener> requested = new ArrayList<>();
            requested.add(new BrokerProperties.Listener(BrokerProperties.CLIENT_LISTENER, "PLAINTEXT", port));
            requested.addAll(extraListeners.values());
            requested.add(new BrokerProperties.Listener(BrokerProperties.CONTROLLER_LISTENER, "PLAINTEXT", controllerPort));

            int[] free = LoopbackPorts.pickFree((int) requested.stream().filter(l -> l.port() == 0).count());
            List<BrokerProperties.Listener> resolved = new ArrayList<>();
            int next = 0;
            for (BrokerProperties.Listener l : requested) {
                resolved.add(l.port() != 0 ? l : new BrokerProperties.Listener(l.name(), l.securityProtocol(), free[next++]));
            }
            long distinctPorts = resolved.stream().mapToInt(BrokerProperties.Listener::port).distinct().count();
            if (distinctPorts != resolved.size()) {
                throw new IllegalArgumentException("listeners must use distinct ports, got " + resolved);
            }
            BrokerProperties.Listener controller = resolved.remove(resolved.size() - 1);

            boolean ownsLogDir = logDir == null;
            Path dir = ownsLogDir ? createTempLogDir() : logDir;
            return new EmbeddedKafkaBroker(this, dir, ownsLogDir, resolved, controller);
        }

        private static int requirePort(int port, String what) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(what + " must be in [0, 65535] (0 = pick a free port), was " + port);
            }
            return port;
        }

        private static Path createTempLogDir() {
            try {
                return Files.createTempDirectory("metastream-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a temp log directory for the embedded broker", e);
            }
        }
    }
}
