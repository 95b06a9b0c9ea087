package io.metastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SingleObjectEncodingTest {

  @Test
  void bytesStartWithMarkerThenLittleEndianFingerprintOfCurrentSchema() {
    byte[] bytes = MetastreamSerdes.trajectory().serialize(Samples.trajectory());
    long fingerprint = SchemaNormalization.parsingFingerprint64(Trajectory.getClassSchema());
    byte[] expected = new byte[10];
    expected[0] = (byte) 0xC3;
    expected[1] = (byte) 0x01;
    for (int i = 0; i < 8; i++) {
      expected[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    assertThat(Arrays.copyOf(bytes, 10)).containsExactly(expected);
  }

  @Test
  void bodyAfterHeaderIsPlainAvroBinary() {
    byte[] bytes = MetastreamSerdes.assignment().serialize(Samples.assignment());
    // experimentId "frozenlake-high": zig-zag varint of length 15 is 30, then the UTF-8 bytes
    assertThat(bytes[10]).isEqualTo((byte) 30);
    assertThat(new String(bytes, 11, 15, StandardCharsets.UTF_8)).isEqualTo("frozenlake-high");
  }

  @Test
  void serializingIncompleteRecordFailsNamingTheRecord() {
    Trajectory incomplete = new Trajectory();
    assertThatThrownBy(() -> MetastreamSerdes.trajectory().serialize(incomplete))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot serialize io.metastream.schemas.Trajectory");
  }
}
