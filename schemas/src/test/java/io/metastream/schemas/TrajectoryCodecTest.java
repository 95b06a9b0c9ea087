package io.metastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * {@link TrajectoryCodec} against Avro itself: the serde with the codec writes the same bytes as the serde without it,
 * reads Avro's bytes (one block per array as Avro's writer makes them, and many blocks with negative counts as its
 * blocking encoder makes them) into the same record with the same bits, and reports malformed bodies with Avro's
 * messages.
 */
class TrajectoryCodecTest {

  private final AvroSerde<Trajectory> fast = MetastreamSerdes.trajectory();
  private final AvroSerde<Trajectory> avro = AvroSerde.of(Trajectory.class, SchemaCatalog.standard());

  @Test
  void theCurrentSchemaHasACodec() {
    assertThat(TrajectoryCodec.forSchema(Trajectory.getClassSchema())).isNotNull();
    assertThat(TrajectoryCodec.forSchema(PolicyParams.getClassSchema())).isNull();
  }

  @Test
  void writesAvrosBytesAndReadsThemBackBitForBit() {
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      Trajectory t = random(random, i % 2 == 0);
      byte[] bytes = fast.serialize(t);
      assertThat(bytes).as("trajectory %d", i).isEqualTo(avro.serialize(t));
      Trajectory back = fast.deserialize(bytes);
      assertSame(back, avro.deserialize(bytes));
      assertSame(back, t);
      assertThat(back.getObservations()).isInstanceOf(DoubleList.class);
    }
  }

  @Test
  void readsArraysWrittenInManyBlocksWithNegativeCounts() throws IOException {
    Random random = new Random(11);
    for (int i = 0; i < 20; i++) {
      Trajectory t = random(random, false);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(avro.serialize(t), 0, AvroSerde.HEADER_LENGTH);
      // a 64-byte block size forces several blocks per array, each with a negative count and its byte size
      BinaryEncoder blocking = new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null);
      new SpecificDatumWriter<>(Trajectory.class).write(t, blocking);
      blocking.flush();
      byte[] bytes = out.toByteArray();
      assertThat(bytes).isNotEqualTo(avro.serialize(t));
      assertSame(fast.deserialize(bytes), t);
    }
  }

  @Test
  void malformedBodiesGetAvrosMessages() {
    Trajectory t = random(new Random(3), true);
    byte[] full = fast.serialize(t);
    for (int length = AvroSerde.HEADER_LENGTH; length < full.length; length++) {
      byte[] truncated = Arrays.copyOf(full, length);
      assertThatThrownBy(() -> fast.deserialize(truncated)).as("length %d", length)
          .isInstanceOf(UndecodableRecordException.class)
          .hasMessage(message(() -> avro.deserialize(truncated)));
    }
    byte[] trailing = Arrays.copyOf(full, full.length + 3);
    assertThatThrownBy(() -> fast.deserialize(trailing)).hasMessage(message(() -> avro.deserialize(trailing)))
        .hasMessageStartingWith("3 trailing bytes");
    byte[] badPhase = fast.serialize(Trajectory.newBuilder(t).setPhase(Phase.PRE).build());
    int at = phaseOffset(t);
    badPhase[at] = 6;   // enum index 3: not a Phase
    assertThatThrownBy(() -> fast.deserialize(badPhase)).hasMessage(message(() -> avro.deserialize(badPhase)));
  }

  @Test
  void recordsWithAMissingFieldFailAsAvroSaysAndOtherListsAreWrittenToo() {
    Trajectory t = random(new Random(5), false);
    t.put("rewards", null);
    assertThatThrownBy(() -> fast.serialize(t)).hasMessage(message(() -> avro.serialize(t)));
    Trajectory boxed = random(new Random(5), false);
    boxed.put("actions", new ArrayList<>(boxed.getActions()));
    assertThat(fast.serialize(boxed)).isEqualTo(avro.serialize(boxed));
  }

  private static String message(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a failure");
  }

  /** The offset of the phase byte: after the header, three strings and the round. */
  private static int phaseOffset(Trajectory t) {
    byte[] onlyStrings = MetastreamSerdes.trajectory().serialize(Trajectory.newBuilder(t).setRound(0).build());
    int pos = AvroSerde.HEADER_LENGTH;
    for (String s : List.of(t.getExperimentId(), t.getAssignmentId(), t.getTaskId())) {
      int n = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      pos += (n < 64 ? 1 : 2) + n;
    }
    assertThat(onlyStrings[pos]).isZero();   // round 0
    return pos + 1;
  }

  /**
   * Field by field, doubles by their raw bits (NaN payloads included). Not {@code equals}: the generated class compares
   * its double fields with {@code !=}, so a record whose return is NaN is not equal to itself.
   */
  private static void assertSame(Trajectory a, Trajectory b) {
    for (org.apache.avro.Schema.Field f : Trajectory.getClassSchema().getFields()) {
      assertThat(bits(a.get(f.pos()))).as(f.name()).isEqualTo(bits(b.get(f.pos())));
    }
  }

  @SuppressWarnings("unchecked")
  private static Object bits(Object value) {
    if (value instanceof Double d) {
      return Double.doubleToRawLongBits(d);
    }
    if (value instanceof List<?> l) {
      return ((List<Double>) l).stream().map(Double::doubleToRawLongBits).toList();
    }
    return value;
  }

  private static final double[] SPECIAL = {0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7FF8_0000_0000_1234L),
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, -1e-310, 1.0};

  /** Any lengths (empty arrays too), any strings (multi-byte UTF-8, long), extreme ints and longs, special doubles. */
  static Trajectory random(Random r, boolean boxedLists) {
    int obsDim = 1 + r.nextInt(20);
    int actDim = 1 + r.nextInt(8);
    int steps = r.nextInt(5) == 0 ? 0 : r.nextInt(250);
    return Trajectory.newBuilder()
        .setExperimentId(string(r)).setAssignmentId(string(r)).setTaskId(string(r))
        .setRound(pick(r, 0, 1, -1, 63, 64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE, r.nextInt()))
        .setPhase(Phase.values()[r.nextInt(3)]).setEvalStep(r.nextInt(5)).setEpisodeIndex(r.nextInt(1000))
        .setWorkerId(string(r)).setPolicyId(string(r))
        .setPolicyVersion(r.nextBoolean() ? r.nextLong() : (r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE))
        .setObsDim(obsDim).setActDim(actDim)
        .setObservations(doubles(r, (steps + 1) * obsDim, boxedLists))
        .setActions(doubles(r, steps * actDim, boxedLists))
        .setRewards(doubles(r, steps, boxedLists))
        .setBehaviourLogProbs(doubles(r, steps, boxedLists))
        .setUndiscountedReturn(value(r)).setContinuationReturn(value(r)).build();
  }

  private static int pick(Random r, int... values) {
    return values[r.nextInt(values.length)];
  }

  private static String string(Random r) {
    String[] parts = {"task-", "é", "北京", "\uD83D\uDE00", "x".repeat(70), "/r3/PRE", ""};
    StringBuilder s = new StringBuilder();
    for (int i = r.nextInt(4); i >= 0; i--) {
      s.append(parts[r.nextInt(parts.length)]);
    }
    return s.toString();
  }

  private static double value(Random r) {
    return r.nextInt(4) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4);
  }

  private static List<Double> doubles(Random r, int n, boolean boxed) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = value(r);
    }
    return boxed ? Arrays.stream(v).boxed().toList() : DoubleList.wrap(v);
  }
}
