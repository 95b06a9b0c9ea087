package io.metastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Bytes written with an older released schema read with the current one, via the catalog. */
class SchemaEvolutionTest {
  private static final String TEST_INDEX = "io/metastream/schemas/testversions/index.txt";

  private final SchemaCatalog withV0 =
      SchemaCatalog.load(getClass().getClassLoader(), SchemaCatalog.INDEX, TEST_INDEX);
  private final Schema v0 =
      withV0.released(PolicyParams.getClassSchema().getFullName()).get(0).schema();

  private static byte[] writeGeneric(Schema writer, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record, out);
    return out.toByteArray();
  }

  private GenericRecord oldPolicy() {
    return new GenericRecordBuilder(v0)
        .set("policyId", "adapted-1-task-2").set("version", 1L)
        .set("kind", new GenericData.EnumSymbol(v0.getField("kind").schema(), "ADAPTED"))
        .set("policyType", "tabular-softmax").set("shape", List.of(2))
        .set("params", List.of(0.25, -0.5))
        .set("parentId", "prior-v1").set("round", 1).build();
  }

  @Test
  void testCatalogHoldsV0BeforeReleasedV1() {
    assertThat(withV0.released("io.metastream.schemas.PolicyParams"))
        .extracting(SchemaCatalog.Version::number).containsExactly(0, 1, 2);
    assertThat(v0.getField("taskId")).isNull();
  }

  @Test
  void policyWrittenWithV0ReadsWithCurrentSchemaAndDefaultTaskId() throws IOException {
    byte[] bytes = writeGeneric(v0, oldPolicy());
    PolicyParams read = AvroSerde.of(PolicyParams.class, withV0).deserialize(bytes);
    assertThat(read).isEqualTo(PolicyParams.newBuilder()
        .setPolicyId("adapted-1-task-2").setVersion(1L).setKind(PolicyKind.ADAPTED)
        .setPolicyType("tabular-softmax").setShape(List.of(2)).setParams(List.of(0.25, -0.5))
        .setParentId("prior-v1").setRound(1).setTaskId(null).build());
  }

  @Test
  void policyWrittenWithV0IsUnknownToACatalogWithoutV0() throws IOException {
    byte[] bytes = writeGeneric(v0, oldPolicy());
    assertThatThrownBy(() -> MetastreamSerdes.policyParams().deserialize(bytes))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessageStartingWith(String.format("unknown schema fingerprint 0x%016x",
            SchemaNormalization.parsingFingerprint64(v0)));
  }

  @Test
  void bytesWrittenWithReleasedV1FileReadWithGeneratedClass() throws IOException {
    Schema v1 =
        SchemaCatalog.standard().released("io.metastream.schemas.Trajectory").get(0).schema();
    Object generic = GenericData.get().deepCopy(v1, (Object) Samples.trajectory());
    assertThat(generic).isInstanceOf(GenericData.Record.class);
    assertThat(MetastreamSerdes.trajectory().deserialize(writeGeneric(v1, (GenericRecord) generic)))
        .isEqualTo(Samples.trajectory());
  }

  @Test
  void tabularRecordsWrittenBeforeTheContinuousFieldsReadWithTheirDefaults() throws IOException {
    SchemaCatalog standard = SchemaCatalog.standard();
    Schema trajectoryV1 = standard.released("io.metastream.schemas.Trajectory").get(0).schema();
    Schema gradientV1 = standard.released("io.metastream.schemas.TaskMetaGradient").get(0).schema();
    Schema policyV1 = standard.released("io.metastream.schemas.PolicyParams").get(0).schema();
    assertThat(trajectoryV1.getField("continuationReturn")).isNull();
    assertThat(gradientV1.getField("continuous")).isNull();
    assertThat(policyV1.getField("observationMean")).isNull();

    Trajectory t = MetastreamSerdes.trajectory().deserialize(writeGeneric(trajectoryV1,
        (GenericRecord) GenericData.get().deepCopy(trajectoryV1, (Object) Samples.trajectory())));
    assertThat(t.getContinuationReturn()).isEqualTo(0.0);
    TaskMetaGradient g = MetastreamSerdes.metaGradient().deserialize(writeGeneric(gradientV1,
        (GenericRecord) GenericData.get().deepCopy(gradientV1, (Object) Samples.metaGradient())));
    assertThat(g).isEqualTo(Samples.metaGradient());
    assertThat(g.getContinuous()).isNull();
    PolicyParams p = MetastreamSerdes.policyParams().deserialize(writeGeneric(policyV1,
        (GenericRecord) GenericData.get().deepCopy(policyV1, (Object) Samples.policyParams())));
    assertThat(p.getObservationCount()).isZero();
    assertThat(p.getObservationMean()).isEmpty();
    assertThat(p.getObservationM2()).isEmpty();
  }

  @Test
  void everyReleasedVersionIsReadableByTheCurrentSchema() {
    SchemaCatalog catalog = withV0;
    for (String name : catalog.recordNames()) {
      Schema reader = catalog.current(name).orElseThrow();
      for (SchemaCatalog.Version version : catalog.released(name)) {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(reader, version.schema())
                .getType())
            .as("current %s must read %s", name, version.resource())
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
      }
    }
  }
}
