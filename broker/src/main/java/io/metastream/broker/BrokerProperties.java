package io.metastream.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Kafka server properties of the embedded single-node KRaft broker, in one place: the
 * listener layout (fixed by the builder), single-node defaults (replication factor 1 everywhere
 * so transactions and consumer groups work), and the user's extra properties on top.
 */
final class BrokerProperties {

    static final int NODE_ID = 1;
    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    /**
     * Keys the builder derives from its own options; overriding them through extra properties
     * would break "single node, 127.0.0.1 only, this log directory", so they are rejected.
     */
    static final Set<String> RESERVED_KEYS = Set.of(
        "process.roles", "node.id", "broker.id",
        "log.dir", "log.dirs", "metadata.log.dir",
        "listeners", "advertised.listeners", "listener.security.protocol.map",
        "inter.broker.listener.name", "controller.listener.names",
        "controller.quorum.voters", "controller.quorum.bootstrap.servers");

    /** One listener: a name, the security protocol behind it, and its port on 127.0.0.1. */
    record Listener(String name, String securityProtocol, int port) {
        String address() {
            return LoopbackPorts.HOST + ":" + port;
        }

        String uri() {
            return name + "://" + address();
        }
    }

    private BrokerProperties() {
    }

    /**
     * @param clientListeners the PLAINTEXT listener first, then any extra (e.g. SASL) listeners
     * @param controller      the KRaft controller listener (the single voter of the quorum)
     * @param extra           user properties applied last; must not contain {@link #RESERVED_KEYS}
     */
    static Map<String, String> of(List<Listener> clientListeners, Listener controller, Path logDir,
                                  int defaultPartitions, Map<String, String> extra) {
        List<Listener> all = Stream.concat(clientListeners.stream(), Stream.of(controller)).toList();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + controller.address());
        p.put("controller.listener.names", controller.name());
        p.put("listeners", all.stream().map(Listener::uri).collect(Collectors.joining(",")));
        p.put("advertised.listeners", clientListeners.stream().map(Listener::uri).collect(Collectors.joining(",")));
        p.put("listener.security.protocol.map",
            all.stream().map(l -> l.name() + ":" + l.securityProtocol()).collect(Collectors.joining(",")));
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("metadata.log.dir", KraftStorage.metadataDir(logDir).toAbsolutePath().toString());
        p.put("log.dirs", KraftStorage.dataDir(logDir).toAbsolutePath().toString());

        p.put("num.partitions", Integer.toString(defaultPartitions));
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // The cleaner (needed for compacted topics) would otherwise allocate 128 MiB of heap up front.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));

        extra.forEach((key, value) -> {
            requireNotReserved(key);
            p.put(key, value);
        });
        return p;
    }

    static void requireNotReserved(String key) {
        if (RESERVED_KEYS.contains(key)) {
            throw new IllegalArgumentException("broker property '" + key + "' is set by EmbeddedKafkaBroker itself "
                + "(single node, 127.0.0.1 only); use the builder's port/controllerPort/listener/logDir options instead");
        }
    }
}
