package io.metastream.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class KafkaSendTest {

  private final MockProducer<String, String> producer =
      new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());

  @Test
  void sendsOnSubscribeAndCompletesOnlyWhenAcknowledged() {
    Mono<RecordMetadata> ack = KafkaSend.send(producer, new ProducerRecord<>("t", "k", "v")).cache();
    assertThat(producer.history()).isEmpty();

    ack.subscribe();
    assertThat(producer.history()).hasSize(1);
    assertThat(ack.toFuture()).isNotDone();

    assertThat(producer.completeNext()).isTrue();
    assertThat(ack.block(Duration.ofSeconds(5)).topic()).isEqualTo("t");
  }

  @Test
  void failsWithTheSendError() {
    Mono<RecordMetadata> ack = KafkaSend.send(producer, new ProducerRecord<>("t", "k", "v")).cache();
    ack.subscribe(m -> { }, e -> { });

    assertThat(producer.errorNext(new NotEnoughReplicasException("isr too small"))).isTrue();
    assertThatThrownBy(() -> ack.block(Duration.ofSeconds(5))).hasMessageContaining("isr too small");
  }
}
