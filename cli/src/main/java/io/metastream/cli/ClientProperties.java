package io.metastream.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client settings for every client of a role — security ({@code security.protocol},
 * {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location}, ...) and
 * tuning ({@code session.timeout.ms}, ...) — read from a Java properties file, the format of
 * Kafka's own {@code --command-config}. They are kept out of the experiment config on purpose:
 * the experiment config is recorded in the experiment's manifest, secrets must not be.
 */
final class ClientProperties {

    /** Keys each role sets itself; a file setting them is a user mistake. */
    private static final Set<String> RESERVED = Set.of("bootstrap.servers", "key.serializer", "value.serializer",
            "key.deserializer", "value.deserializer", "application.id", "processing.guarantee", "group.id",
            "transactional.id", "isolation.level", "enable.auto.commit");

    private ClientProperties() {
    }

    /** The properties of {@code file}; empty when {@code file} is null. */
    static Map<String, String> load(Path file) {
        if (file == null) {
            return Map.of();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("--client-config " + file + ": cannot read (" + e.getMessage() + ")");
        }
        Map<String, String> out = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("--client-config " + file + ": key '" + key
                        + "' is set by metastream itself and cannot be overridden");
            }
            out.put(key, p.getProperty(key).trim());
        }
        return Map.copyOf(out);
    }
}
