package io.metastream.streams;

import io.metastream.schemas.DeadLetter;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Sends the record being processed to the dead-letter sink, keyed by its original key bytes, with
 * its raw bytes, topic, partition, offset and the reason (ARCHITECTURE.md: bad input never stops
 * the pipeline and is never silently dropped).
 */
final class DeadLetters {

    private DeadLetters() {
    }

    static void send(ProcessorContext<Object, Object> context, Record<byte[], byte[]> record, String reason) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        DeadLetter letter = DeadLetter.newBuilder()
                .setOriginalTopic(meta.map(RecordMetadata::topic).orElse("unknown"))
                .setPartition(meta.map(RecordMetadata::partition).orElse(-1))
                .setOffset(meta.map(RecordMetadata::offset).orElse(-1L))
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setReason(reason)
                .setTimestampMillis(context.currentSystemTimeMs())
                .build();
        context.forward(new Record<>(record.key(), letter, record.timestamp()), AdapterTopology.DEAD_LETTERS_SINK);
    }
}
