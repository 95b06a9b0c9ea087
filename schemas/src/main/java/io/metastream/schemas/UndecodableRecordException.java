package io.metastream.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that {@link AvroSerde} cannot turn into a record: bad single-object header, an unknown
 * or foreign schema fingerprint, a truncated or corrupt body, or trailing bytes.
 *
 * <p>The message is the reason, written for a human reading the dead-letter topic, and starts
 * with one of: {@code "truncated: "}, {@code "not Avro single-object encoding: bad header"},
 * {@code "unknown schema fingerprint 0x"}, {@code "schema fingerprint 0x... is X, not Y"},
 * {@code "corrupt body: "}, or {@code "N trailing bytes"}. Unchecked; a Kafka
 * {@link SerializationException}, so consumers and Streams exception handlers see it as a
 * deserialization failure.
 */
public final class UndecodableRecordException extends SerializationException {
  private static final long serialVersionUID = 1L;

  /** @param reason what was wrong with the bytes */
  public UndecodableRecordException(String reason) {
    super(reason);
  }

  /**
   * @param reason what was wrong with the bytes
   * @param cause the Avro or I/O failure that revealed it
   */
  public UndecodableRecordException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
