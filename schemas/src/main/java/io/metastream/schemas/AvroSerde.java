package io.metastream.schemas;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated record type, in Avro single-object encoding.
 *
 * <p>Wire format (Avro specification, "Single-object encoding"): bytes 0-1 are {@code 0xC3 0x01};
 * bytes 2-9 are the CRC-64-AVRO fingerprint of the writer schema's parsing canonical form,
 * little-endian; the rest is the Avro binary encoding of the record. No registry: the writer
 * schema is found by fingerprint in a {@link SchemaCatalog}.
 *
 * <p>Writes with the current schema of {@code T}. Reads bytes written with the current schema or
 * any released version of the same record in the catalog, resolving them to the current schema
 * (fields the writer lacked take their defaults). {@code null} maps to {@code null} both ways, so
 * tombstones pass through. Anything else that cannot be read throws
 * {@link UndecodableRecordException} whose message is the reason for the dead-letter topic.
 *
 * <p>Thread-safe; {@code configure} and {@code close} do nothing. Obtain instances from
 * {@link MetastreamSerdes}.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
  /** Length of the single-object header: 2 marker bytes and the 8-byte fingerprint. */
  public static final int HEADER_LENGTH = 10;

  private final Schema schema;
  private final SchemaCatalog catalog;
  private final SchemaStore store;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final long fingerprint;
  private final byte[] header;
  private final BodyCodec<T> codec;

  /**
   * A hand-written codec of the current schema's body ({@link TrajectoryCodec}): the same bytes as Avro's
   * encoder, read without Avro's per-element boxing. It may decline either way (null), and Avro then does the work
   * and reports the errors.
   */
  interface BodyCodec<T> {
    /** The whole single-object message ({@code header}, then the body), or null to leave it to Avro. */
    byte[] encode(T record, byte[] header);

    /** The record whose body fills {@code bytes} from {@code from} to the end, or null to leave it to Avro. */
    T decode(byte[] bytes, int from);
  }

  private AvroSerde(SpecificData model, Schema schema, SchemaCatalog catalog, BodyCodec<T> codec) {
    this.schema = schema;
    this.catalog = catalog;
    this.store = catalog.storeFor(schema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, store);
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();
    this.codec = codec;
  }

  /** A serde for generated class {@code type}, reading every version of it in {@code catalog}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaCatalog catalog) {
    return of(type, catalog, null);
  }

  /** As {@link #of(Class, SchemaCatalog)}, with {@code codec} (may be null) for the current schema's bodies. */
  static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaCatalog catalog, BodyCodec<T> codec) {
    SpecificData model = SpecificData.getForClass(type);
    return new AvroSerde<>(model, model.getSchema(type), catalog, codec);
  }

  /** The current (reader and writer) schema. */
  public Schema schema() {
    return schema;
  }

  /**
   * Encodes {@code record} with the current schema; {@code null} gives {@code null}.
   *
   * @throws SerializationException if the record cannot be written, e.g. a required field is null
   */
  public byte[] serialize(T record) {
    if (record == null) {
      return null;
    }
    if (codec != null) {
      byte[] fast = codec.encode(record, header);
      if (fast != null) {
        return fast;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(record, out);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot serialize " + schema.getFullName() + ": " + e, e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes single-object bytes into the current schema; {@code null} gives {@code null}.
   *
   * @throws UndecodableRecordException if the bytes are not a complete single-object encoding
   *     of a known version of this record
   */
  public T deserialize(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    long fingerprint = checkHeader(bytes);
    if (codec != null && fingerprint == this.fingerprint) {
      T fast = codec.decode(bytes, HEADER_LENGTH);
      if (fast != null) {
        return fast;
      }
    }
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    T record;
    try {
      record = decoder.decode(in, null);
    } catch (IOException | RuntimeException e) {
      throw bodyFailure(fingerprint, bytes.length, e);
    }
    if (in.available() > 0) {
      throw new UndecodableRecordException(String.format(
          "%d trailing bytes after a %s record written with schema 0x%016x",
          in.available(), schema.getName(), fingerprint));
    }
    return record;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, data) -> serialize(data);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, data) -> deserialize(data);
  }

  /** Validates marker bytes and fingerprint; returns the writer schema's fingerprint. */
  private long checkHeader(byte[] bytes) {
    int marker = Math.min(2, bytes.length);
    if ((marker > 0 && bytes[0] != (byte) 0xC3) || (marker > 1 && bytes[1] != (byte) 0x01)) {
      StringBuilder found = new StringBuilder();
      for (int i = 0; i < marker; i++) {
        found.append(String.format(" 0x%02X", bytes[i]));
      }
      throw new UndecodableRecordException(
          "not Avro single-object encoding: bad header" + found + ", expected 0xC3 0x01");
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new UndecodableRecordException(String.format(
          "truncated: %d bytes, shorter than the %d-byte single-object header",
          bytes.length, HEADER_LENGTH));
    }
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (store.findByFingerprint(fingerprint) == null) {
      throw new UndecodableRecordException(catalog.lookup(fingerprint)
          .map(other -> String.format("schema fingerprint 0x%016x is %s, not %s",
              fingerprint, other.getFullName(), schema.getFullName()))
          .orElse(String.format("unknown schema fingerprint 0x%016x (reading %s)",
              fingerprint, schema.getFullName())));
    }
    return fingerprint;
  }

  private UndecodableRecordException bodyFailure(long fingerprint, int length, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return new UndecodableRecordException(String.format(
            "truncated: %d bytes end inside a %s record written with schema 0x%016x",
            length, schema.getName(), fingerprint), e);
      }
    }
    return new UndecodableRecordException(String.format(
        "corrupt body: %s record written with schema 0x%016x: %s",
        schema.getName(), fingerprint, e), e);
  }
}
