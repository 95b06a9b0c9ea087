package io.metastream.schemas;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The Avro binary body of the current {@link Trajectory} schema, written and read by hand: the same bytes as
 * Avro's own encoder, decoded into {@link DoubleList}s instead of lists of boxed {@code Double}s.
 *
 * <p>Why by hand: a HalfCheetah episode is about 4,500 doubles and Frozen Lake runs 5,000 episodes per round; Avro
 * 1.12's reader adds every element to its list as a boxed {@code Double} (the adapter's largest cost in JFR: a third
 * of its thread's samples in the demo) and its writer unboxes them again. This codec covers exactly one schema, the
 * current one (its field layout is checked when the codec is made, and the serde uses it only for bodies whose header
 * carries the current fingerprint); records written with an older
 * {@code Trajectory} version, and any body this reader does not accept as well-formed, go through Avro as before,
 * so errors and schema resolution are Avro's (AvroSerde). Tests compare both ways with Avro, byte for byte and bit for
 * bit (TrajectoryCodecTest).
 */
final class TrajectoryCodec implements AvroSerde.BodyCodec<Trajectory> {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final Phase[] PHASES = Phase.values();
  private static final String LAYOUT = "experimentId:STRING assignmentId:STRING taskId:STRING round:INT phase:ENUM "
      + "evalStep:INT episodeIndex:INT workerId:STRING policyId:STRING policyVersion:LONG obsDim:INT actDim:INT "
      + "observations:ARRAY actions:ARRAY rewards:ARRAY behaviourLogProbs:ARRAY undiscountedReturn:DOUBLE "
      + "continuationReturn:DOUBLE";

  /** The codec when {@code schema} has the field layout this class writes, else null (Avro alone then). */
  static TrajectoryCodec forSchema(Schema schema) {
    StringBuilder layout = new StringBuilder();
    for (Schema.Field f : schema.getFields()) {
      Schema s = f.schema();
      boolean doubles = s.getType() != Schema.Type.ARRAY || s.getElementType().getType() == Schema.Type.DOUBLE;
      boolean phases = s.getType() != Schema.Type.ENUM || s.getEnumSymbols().equals(
          java.util.Arrays.stream(PHASES).map(Enum::name).toList());
      if (!doubles || !phases) {
        return null;
      }
      layout.append(layout.length() == 0 ? "" : " ").append(f.name()).append(':').append(s.getType());
    }
    return layout.toString().equals(LAYOUT) ? new TrajectoryCodec() : null;
  }

  private TrajectoryCodec() {
  }

  // ---- writing

  @Override
  public byte[] encode(Trajectory t, byte[] header) {
    String[] strings = {t.getExperimentId(), t.getAssignmentId(), t.getTaskId(), t.getWorkerId(), t.getPolicyId()};
    List<Double> observations = t.getObservations();
    List<Double> actions = t.getActions();
    List<Double> rewards = t.getRewards();
    List<Double> logProbs = t.getBehaviourLogProbs();
    if (t.getPhase() == null || observations == null || actions == null || rewards == null || logProbs == null) {
      return null;   // Avro names the missing field
    }
    byte[][] utf8 = new byte[strings.length][];
    // the exact size, so the message is written into its final array once
    int size = header.length + varlongSize(t.getRound()) + varlongSize(t.getPhase().ordinal())
        + varlongSize(t.getEvalStep()) + varlongSize(t.getEpisodeIndex()) + varlongSize(t.getPolicyVersion())
        + varlongSize(t.getObsDim()) + varlongSize(t.getActDim()) + 2 * 8;
    for (int i = 0; i < strings.length; i++) {
      if (strings[i] == null) {
        return null;
      }
      utf8[i] = strings[i].getBytes(StandardCharsets.UTF_8);
      size += varlongSize(utf8[i].length) + utf8[i].length;
    }
    size += arraySize(observations) + arraySize(actions) + arraySize(rewards) + arraySize(logProbs);
    Writer w = new Writer(new byte[size]);
    System.arraycopy(header, 0, w.buf, 0, header.length);
    w.pos = header.length;
    w.string(utf8[0]);
    w.string(utf8[1]);
    w.string(utf8[2]);
    w.varint(t.getRound());
    w.varint(t.getPhase().ordinal());
    w.varint(t.getEvalStep());
    w.varint(t.getEpisodeIndex());
    w.string(utf8[3]);
    w.string(utf8[4]);
    w.varlong(t.getPolicyVersion());
    w.varint(t.getObsDim());
    w.varint(t.getActDim());
    w.doubles(observations);
    w.doubles(actions);
    w.doubles(rewards);
    w.doubles(logProbs);
    w.rawDouble(t.getUndiscountedReturn());
    w.rawDouble(t.getContinuationReturn());
    if (w.pos != w.buf.length) {
      throw new IllegalStateException("wrote " + w.pos + " bytes of " + w.buf.length);
    }
    return w.buf;
  }

  /** One block of all items (none when empty) and the 0 that ends the array. */
  private static int arraySize(List<Double> values) {
    int n = values.size();
    return (n > 0 ? varlongSize(n) + 8 * n : 0) + 1;
  }

  /** Bytes of Avro's zig-zag variable-length encoding of {@code n} (an int encodes as the same long). */
  private static int varlongSize(long n) {
    long z = (n << 1) ^ (n >> 63);
    int bytes = 1;
    while ((z & ~0x7FL) != 0) {
      z >>>= 7;
      bytes++;
    }
    return bytes;
  }

  private static final class Writer {
    final byte[] buf;
    int pos;

    Writer(byte[] buf) {
      this.buf = buf;
    }

    /** Avro int: zig-zag, then 7 bits per byte, low group first. */
    void varint(int n) {
      varlong(n);   // the zig-zag of an int and of the same value as a long give the same bytes
    }

    void varlong(long n) {
      long z = (n << 1) ^ (n >> 63);
      while ((z & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((z & 0x7F) | 0x80);
        z >>>= 7;
      }
      buf[pos++] = (byte) z;
    }

    void string(byte[] utf8) {
      varint(utf8.length);
      System.arraycopy(utf8, 0, buf, pos, utf8.length);
      pos += utf8.length;
    }

    void rawDouble(double v) {
      LONGS.set(buf, pos, Double.doubleToRawLongBits(v));
      pos += 8;
    }

    /** Avro array as its writer emits it: one block of all items (none when empty), then the 0 that ends it. */
    void doubles(List<Double> values) {
      int n = values.size();
      if (n > 0) {
        varint(n);
        if (values instanceof DoubleList d) {
          for (int i = 0; i < n; i++) {
            rawDouble(d.getDouble(i));
          }
        } else {
          for (Double v : values) {
            rawDouble(v);
          }
        }
      }
      buf[pos++] = 0;
    }
  }

  // ---- reading

  @Override
  public Trajectory decode(byte[] bytes, int from) {
    Reader r = new Reader(bytes, from);
    try {
      String experimentId = r.string();
      String assignmentId = r.string();
      String taskId = r.string();
      int round = r.varint();
      int phase = r.varint();
      if (phase < 0 || phase >= PHASES.length) {
        return null;
      }
      int evalStep = r.varint();
      int episodeIndex = r.varint();
      String workerId = r.string();
      String policyId = r.string();
      long policyVersion = r.varlong();
      int obsDim = r.varint();
      int actDim = r.varint();
      DoubleList observations = r.doubles();
      DoubleList actions = r.doubles();
      DoubleList rewards = r.doubles();
      DoubleList logProbs = r.doubles();
      double undiscounted = r.rawDouble();
      double continuation = r.rawDouble();
      if (r.pos != bytes.length) {
        return null;   // trailing bytes: Avro's path reports them
      }
      return new Trajectory(experimentId, assignmentId, taskId, round, PHASES[phase], evalStep, episodeIndex,
          workerId, policyId, policyVersion, obsDim, actDim, observations, actions, rewards, logProbs, undiscounted,
          continuation);
    } catch (Malformed e) {
      return null;
    }
  }

  /** A body this reader does not accept; Avro then decodes it or says why it cannot. */
  private static final class Malformed extends Exception {
    static final Malformed INSTANCE = new Malformed();

    private Malformed() {
      super(null, null, false, false);
    }
  }

  private static final class Reader {
    final byte[] buf;
    int pos;

    Reader(byte[] buf, int pos) {
      this.buf = buf;
      this.pos = pos;
    }

    int varint() throws Malformed {
      long v = varlong();
      if (v != (int) v) {
        throw Malformed.INSTANCE;
      }
      return (int) v;
    }

    long varlong() throws Malformed {
      long z = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= buf.length) {
          throw Malformed.INSTANCE;
        }
        byte b = buf[pos++];
        if (shift == 63 && (b & 0xFF) > 1) {
          throw Malformed.INSTANCE;   // more than 64 bits
        }
        z |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return (z >>> 1) ^ -(z & 1);
        }
      }
      throw Malformed.INSTANCE;
    }

    String string() throws Malformed {
      int n = varint();
      if (n < 0 || n > buf.length - pos) {
        throw Malformed.INSTANCE;
      }
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    double rawDouble() throws Malformed {
      if (buf.length - pos < 8) {
        throw Malformed.INSTANCE;
      }
      double v = Double.longBitsToDouble((long) LONGS.get(buf, pos));
      pos += 8;
      return v;
    }

    /** Any sequence of blocks, including negative counts followed by their byte size (Avro's spec). */
    DoubleList doubles() throws Malformed {
      double[] out = null;
      int size = 0;
      for (long count = varlong(); count != 0; count = varlong()) {
        if (count < 0) {
          count = -count;
          varlong();   // the block's size in bytes
        }
        if (count > (buf.length - pos) / 8) {
          throw Malformed.INSTANCE;
        }
        int n = (int) count;
        out = out == null ? new double[n] : java.util.Arrays.copyOf(out, size + n);
        for (int i = 0; i < n; i++) {
          out[size + i] = Double.longBitsToDouble((long) LONGS.get(buf, pos));
          pos += 8;
        }
        size += n;
      }
      return DoubleList.wrap(out == null ? new double[0] : out);
    }
  }
}
