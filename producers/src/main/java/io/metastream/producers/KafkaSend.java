package io.metastream.producers;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import reactor.core.publisher.Mono;

/**
 * Bridges {@link Producer#send(ProducerRecord, org.apache.kafka.clients.producer.Callback)} to a
 * {@link Mono}: the record is handed to the producer when the Mono is subscribed, and the Mono
 * completes with the broker's acknowledgement (with {@code acks=all}: written to all in-sync
 * replicas) or fails with the send's exception. Each subscription sends again.
 */
final class KafkaSend {

  private KafkaSend() {
  }

  static <K, V> Mono<RecordMetadata> send(Producer<K, V> producer, ProducerRecord<K, V> record) {
    return Mono.create(sink -> {
      try {
        producer.send(record, (metadata, error) -> {
          if (error != null) {
            sink.error(error);
          } else {
            sink.success(metadata);
          }
        });
      } catch (RuntimeException e) {   // serialization, buffer exhausted after max.block.ms, closed producer
        sink.error(e);
      }
    });
  }
}
