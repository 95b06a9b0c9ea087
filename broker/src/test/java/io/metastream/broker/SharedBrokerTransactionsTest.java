package io.metastream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafkaBroker.class)
class SharedBrokerTransactionsTest {

    private static final String READ_COMMITTED = "read_committed";
    private static final String READ_UNCOMMITTED = "read_uncommitted";

    /**
     * One partition, three transactions in order: committed, aborted, committed. Seeing the last
     * committed record proves the consumer has read past the aborted one.
     */
    @Test
    void readCommittedConsumerSeesCommittedRecordsButNotAbortedOnes(EmbeddedKafkaBroker broker) throws Exception {
        String topic = SharedKafkaBroker.uniqueName("tx");
        KafkaTestClients.createTopic(broker, topic, 1);
        List<String> first = KafkaTestClients.values("committed-a", 5);
        List<String> aborted = KafkaTestClients.values("aborted", 5);
        List<String> last = KafkaTestClients.values("committed-b", 5);

        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(broker,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, SharedKafkaBroker.uniqueName("tx-producer")))) {
            producer.initTransactions();
            sendInTransaction(producer, topic, first, true);
            sendInTransaction(producer, topic, aborted, false);
            sendInTransaction(producer, topic, last, true);
        }

        List<String> committed = new ArrayList<>(first);
        committed.addAll(last);
        List<String> readCommitted = KafkaTestClients.consumeUntil(broker, topic, READ_COMMITTED,
            read -> read.contains(last.get(last.size() - 1)));
        List<String> readUncommitted = KafkaTestClients.consumeUntil(broker, topic, READ_UNCOMMITTED,
            read -> read.contains(last.get(last.size() - 1)));

        assertThat(readCommitted).containsExactlyElementsOf(committed);
        assertThat(readUncommitted).as("the aborted records were written, only hidden")
            .containsAll(aborted).containsAll(committed).hasSize(first.size() + aborted.size() + last.size());
    }

    @Test
    void isTheOneSharedBrokerOfTheJvm(EmbeddedKafkaBroker broker) {
        SharedBrokerWitness.assertSingleSharedBroker(broker);
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic,
                                          List<String> values, boolean commit) {
        producer.beginTransaction();
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic, value, value));
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.flush();
            producer.abortTransaction();
        }
    }
}
