package io.metastream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientPropertiesTest {

    @Test
    void readsAPropertiesFileAndRejectsKeysMetastreamSetsItself(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("client.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism = SCRAM-SHA-256
                ssl.truststore.location=/etc/kafka/truststore.p12
                """);
        assertThat(ClientProperties.load(ok)).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256").hasSize(3);
        assertThat(ClientProperties.load(null)).isEmpty();

        Path bad = Files.writeString(dir.resolve("bad.properties"), "bootstrap.servers=elsewhere:9092\n");
        assertThatThrownBy(() -> ClientProperties.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bootstrap.servers'");
        assertThatThrownBy(() -> ClientProperties.load(dir.resolve("missing.properties")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.properties");
    }
}
