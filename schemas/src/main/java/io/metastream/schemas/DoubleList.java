package io.metastream.schemas;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An unmodifiable {@code List<Double>} over a {@code double[]}: what the generated records' {@code array<double>}
 * fields hold when {@link TrajectoryCodec} decodes them, and what producers put there, so that an episode of
 * thousands of values is not thousands of boxed {@code Double}s (Avro's generic reader boxes every element on the
 * way in). {@link #get} boxes one value on demand; {@link #values} and {@link #toArray(List)} give the primitives.
 */
public final class DoubleList extends AbstractList<Double> implements RandomAccess {

  private final double[] values;

  private DoubleList(double[] values) {
    this.values = values;
  }

  /** A list over {@code values} without copying: the caller hands the array over and must not change it. */
  public static DoubleList wrap(double[] values) {
    return new DoubleList(values);
  }

  /** A list over a copy of {@code values}. */
  public static DoubleList copyOf(double[] values) {
    return new DoubleList(values.clone());
  }

  /** A list of {@code values} as doubles (tabular states and actions are stored as doubles). */
  public static DoubleList of(int[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return new DoubleList(out);
  }

  @Override
  public Double get(int index) {
    return values[index];
  }

  /** Element {@code index} without boxing. */
  public double getDouble(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }

  /**
   * The values of {@code list}, for reading only: a {@code DoubleList}'s own array (do not modify it), any other
   * list's values unboxed into a new array. Null elements throw {@link NullPointerException}.
   */
  public static double[] values(List<Double> list) {
    if (list instanceof DoubleList d) {
      return d.values;
    }
    double[] out = new double[list.size()];
    int i = 0;
    for (Double v : list) {
      out[i++] = v;
    }
    return out;
  }

  /** A new array of the values of {@code list}, which the caller may keep and modify. */
  public static double[] toArray(List<Double> list) {
    return list instanceof DoubleList d ? d.values.clone() : values(list);
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof DoubleList d) {
      return Arrays.equals(values, d.values);   // Double.equals semantics, as List.equals of boxed values
    }
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
