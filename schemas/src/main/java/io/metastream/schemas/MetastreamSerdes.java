package io.metastream.schemas;

/**
 * The serde of each message type, reading every version in {@link SchemaCatalog#standard()}.
 * See {@link AvroSerde} for the wire format and error contract. Each call returns a new,
 * thread-safe serde.
 */
public final class MetastreamSerdes {
  private MetastreamSerdes() {}

  /** Topic {@code assignments}. */
  public static AvroSerde<RolloutAssignment> assignment() {
    return AvroSerde.of(RolloutAssignment.class, SchemaCatalog.standard());
  }

  /** Topic {@code policies}. */
  public static AvroSerde<PolicyParams> policyParams() {
    return AvroSerde.of(PolicyParams.class, SchemaCatalog.standard());
  }

  /** Topic {@code trajectories}; the current version's bodies by {@link TrajectoryCodec}, into {@link DoubleList}s. */
  public static AvroSerde<Trajectory> trajectory() {
    return AvroSerde.of(Trajectory.class, SchemaCatalog.standard(), TrajectoryCodec.forSchema(Trajectory.getClassSchema()));
  }

  /** Topic {@code meta-gradients}. */
  public static AvroSerde<TaskMetaGradient> metaGradient() {
    return AvroSerde.of(TaskMetaGradient.class, SchemaCatalog.standard());
  }

  /** Topic {@code metrics}. */
  public static AvroSerde<MetricsRecord> metrics() {
    return AvroSerde.of(MetricsRecord.class, SchemaCatalog.standard());
  }

  /** Topic {@code control}: experiment manifests and trainer decisions. */
  public static AvroSerde<ControlRecord> control() {
    return AvroSerde.of(ControlRecord.class, SchemaCatalog.standard());
  }

  /** Topic {@code dead-letters}. */
  public static AvroSerde<DeadLetter> deadLetter() {
    return AvroSerde.of(DeadLetter.class, SchemaCatalog.standard());
  }
}
