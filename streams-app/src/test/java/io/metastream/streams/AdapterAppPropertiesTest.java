package io.metastream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The producer settings Kafka Streams actually derives from the adapter's properties: the transaction timeout
 * is the adapter's 60 s (not Streams' exactly-once default of 10 s) unless the client config sets one, and
 * exactly-once v2 and the application id cannot be overridden.
 */
class AdapterAppPropertiesTest {

    private static Map<String, Object> producer(Map<String, String> overrides) {
        return new StreamsConfig(AdapterApp.properties("exp-adapter", "127.0.0.1:9092", Path.of("/tmp/state"), 2, overrides))
                .getProducerConfigs("client");
    }

    @Test
    void transactionsMayOutlastSeveralAdaptationsOnABusyMachine() {
        assertThat(producer(Map.of()).get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))
                .isEqualTo(AdapterApp.DEFAULT_TRANSACTION_TIMEOUT_MS).isEqualTo(60_000);
    }

    @Test
    void theClientConfigDecidesWhenItSetsATimeout() {
        assertThat(producer(Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "5000")).get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))
                .hasToString("5000");
    }

    @Test
    void exactlyOnceAndTheApplicationIdAreFixed() {
        StreamsConfig c = new StreamsConfig(AdapterApp.properties("exp-adapter", "127.0.0.1:9092", Path.of("/tmp/state"), 2,
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                        StreamsConfig.APPLICATION_ID_CONFIG, "other")));
        assertThat(c.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(c.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("exp-adapter");
    }
}
