package io.metastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class SchemaCatalogTest {
  private final SchemaCatalog catalog = SchemaCatalog.standard();

  /** Current schema of every serde in {@link MetastreamSerdes}, found by reflection. */
  private static List<Schema> serdeSchemas() throws ReflectiveOperationException {
    List<Schema> schemas = new ArrayList<>();
    for (Method m : MetastreamSerdes.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == AvroSerde.class) {
        schemas.add(((AvroSerde<?>) m.invoke(null)).schema());
      }
    }
    return schemas;
  }

  /**
   * What is missing from the versions folder for these current schemas: a release problem per
   * record whose current parsing form differs from its latest released version.
   */
  static List<String> releaseProblems(SchemaCatalog catalog, List<Schema> currentSchemas) {
    List<String> problems = new ArrayList<>();
    for (Schema current : currentSchemas) {
      List<SchemaCatalog.Version> released = catalog.released(current.getFullName());
      if (released.isEmpty()) {
        problems.add("new schema " + current.getName() + ": add v1.avsc to versions/"
            + current.getName() + "/ and the index");
        continue;
      }
      SchemaCatalog.Version latest = released.get(released.size() - 1);
      if (!SchemaNormalization.toParsingForm(latest.schema())
          .equals(SchemaNormalization.toParsingForm(current))) {
        problems.add("changed schema " + current.getName() + ": add v" + (latest.number() + 1)
            + ".avsc to versions/ and the index");
      }
    }
    return problems;
  }

  @Test
  void catalogListsV1OfEveryMessageRecord() throws ReflectiveOperationException {
    List<Schema> schemas = serdeSchemas();
    assertThat(schemas).hasSize(7);
    assertThat(catalog.recordNames()).containsExactlyInAnyOrderElementsOf(
        schemas.stream().map(Schema::getFullName).toList());
    for (Schema s : schemas) {
      assertThat(catalog.released(s.getFullName()))
          .extracting(SchemaCatalog.Version::number).startsWith(1);
      assertThat(catalog.current(s.getFullName())).contains(s);
    }
  }

  @Test
  void latestReleasedVersionEqualsCurrentSchemaInParsingForm()
      throws ReflectiveOperationException {
    List<String> problems = releaseProblems(catalog, serdeSchemas());
    assertThat(problems).as(String.join("; ", problems)).isEmpty();
  }

  @Test
  void changedSchemaIsReportedWithTheVersionToAdd() {
    Schema changed = new Schema.Parser().parse(Trajectory.getClassSchema().toString()
        .replace("\"name\":\"workerId\"", "\"name\":\"workerName\""));
    Schema unreleased = Schema.createRecord("Brand", null, "io.metastream.schemas", false, List.of());
    int latest = catalog.released(Trajectory.getClassSchema().getFullName()).stream()
        .mapToInt(SchemaCatalog.Version::number).max().orElseThrow();
    assertThat(releaseProblems(catalog, List.of(changed, unreleased))).containsExactly(
        "changed schema Trajectory: add v" + (latest + 1) + ".avsc to versions/ and the index",
        "new schema Brand: add v1.avsc to versions/Brand/ and the index");
  }

  @Test
  void storeKnowsEveryVersionOfItsRecordAndNoOther() {
    Schema trajectory = Trajectory.getClassSchema();
    var store = catalog.storeFor(trajectory);
    for (SchemaCatalog.Version v : catalog.released(trajectory.getFullName())) {
      assertThat(store.findByFingerprint(v.fingerprint())).isNotNull();
    }
    long policy = SchemaNormalization.parsingFingerprint64(PolicyParams.getClassSchema());
    assertThat(store.findByFingerprint(policy)).isNull();
    assertThat(catalog.lookup(policy)).contains(PolicyParams.getClassSchema());
  }

  @Test
  void indexListingAMissingFileFailsNamingIt() {
    assertThatThrownBy(() -> SchemaCatalog.load(getClass().getClassLoader(),
            "io/metastream/schemas/badversions/index.txt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("missing classpath resource io/metastream/schemas/badversions/Trajectory/v1.avsc");
  }

  @Test
  void releasedFilesAreSelfContained() {
    for (String name : catalog.recordNames()) {
      for (SchemaCatalog.Version v : catalog.released(name)) {
        assertThat(v.resource()).endsWith("/v" + v.number() + ".avsc");
        assertThat(Arrays.asList(name.split("\\."))).last().isEqualTo(v.schema().getName());
      }
    }
  }
}
