package io.metastream.schemas;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class UndecodableBytesTest {
  private final AvroSerde<Trajectory> serde = MetastreamSerdes.trajectory();

  private static byte[] withFingerprint(byte[] bytes, long fingerprint) {
    byte[] copy = bytes.clone();
    for (int i = 0; i < 8; i++) {
      copy[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return copy;
  }

  @Test
  void unknownFingerprintIsReportedInHex() {
    byte[] bytes = withFingerprint(serde.serialize(Samples.trajectory()), 0x0123456789ABCDEFL);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessageStartingWith("unknown schema fingerprint 0x0123456789abcdef");
  }

  @Test
  void fingerprintOfAnotherRecordIsNamed() {
    byte[] policy = MetastreamSerdes.policyParams().serialize(Samples.policyParams());
    assertThatThrownBy(() -> serde.deserialize(policy))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessage(String.format("schema fingerprint 0x%016x is io.metastream.schemas.PolicyParams,"
                + " not io.metastream.schemas.Trajectory",
            SchemaNormalization.parsingFingerprint64(PolicyParams.getClassSchema())));
  }

  @Test
  void garbageIsNotSingleObjectEncoding() {
    byte[] garbage = "{\"taskId\":\"task-3\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> serde.deserialize(garbage))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessage("not Avro single-object encoding: bad header 0x7B 0x22, expected 0xC3 0x01");
    assertThatThrownBy(() -> serde.deserialize(new byte[] {0x00}))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessage("not Avro single-object encoding: bad header 0x00, expected 0xC3 0x01");
  }

  @Test
  void truncatedBodyIsReportedAsTruncated() {
    byte[] full = serde.serialize(Samples.trajectory());
    for (int cut : new int[] {1, 8, full.length / 2, full.length - 11}) {
      byte[] truncated = Arrays.copyOf(full, full.length - cut);
      assertThatThrownBy(() -> serde.deserialize(truncated))
          .as("cut %d of %d bytes", cut, full.length)
          .isInstanceOf(UndecodableRecordException.class)
          .hasMessageStartingWith("truncated: " + truncated.length + " bytes end inside a Trajectory");
    }
  }

  @Test
  void truncatedHeaderIsReportedAsTruncated() {
    byte[] header = Arrays.copyOf(serde.serialize(Samples.trajectory()), 6);
    assertThatThrownBy(() -> serde.deserialize(header))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessage("truncated: 6 bytes, shorter than the 10-byte single-object header");
    assertThatThrownBy(() -> serde.deserialize(new byte[0]))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessageStartingWith("truncated: 0 bytes");
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] full = serde.serialize(Samples.trajectory());
    byte[] padded = Arrays.copyOf(full, full.length + 3);
    assertThatThrownBy(() -> serde.deserialize(padded))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessageStartingWith("3 trailing bytes after a Trajectory record");
  }

  @Test
  void outOfRangeEnumIsReportedAsCorruptBody() {
    byte[] bytes = MetastreamSerdes.policyParams().serialize(Samples.metaPrior());
    // body: policyId "prior-v4" (1 + 8 bytes), version 4 (1 byte), then the kind index
    int kindIndex = 10 + 9 + 1;
    byte[] corrupt = bytes.clone();
    corrupt[kindIndex] = 0x7E; // zig-zag 63: no such PolicyKind symbol
    assertThatThrownBy(() -> MetastreamSerdes.policyParams().deserialize(corrupt))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessageStartingWith("corrupt body: PolicyParams record");
  }
}
