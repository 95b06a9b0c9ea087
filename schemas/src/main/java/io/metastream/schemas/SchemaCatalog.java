package io.metastream.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every released version of every message schema, so that old logs stay readable.
 *
 * <p>Layout on the classpath: an index file (default {@link #INDEX}) lists one version per line
 * as {@code <RecordName>/v<N>.avsc}, relative to the index's folder; blank lines and lines
 * starting with {@code #} are ignored. Each listed file is a self-contained schema (named types
 * inlined) whose simple name is {@code RecordName}. Reading the index instead of listing a folder
 * keeps this working inside jars. Released versions are never edited or removed; a changed
 * schema is released by adding {@code v<N+1>.avsc} and its index line.
 *
 * <p>For each record named in the index, the catalog also holds the current schema: the
 * {@code SCHEMA$} of the generated class of that full name, when one is on the classpath.
 * Schemas are identified by their CRC-64-AVRO fingerprint of the parsing canonical form
 * ({@link SchemaNormalization#parsingFingerprint64}), the id used by single-object encoding.
 *
 * <p>Immutable and thread-safe.
 */
public final class SchemaCatalog {
  /** Classpath resource of the index of released versions. */
  public static final String INDEX = "io/metastream/schemas/versions/index.txt";

  private static final Pattern LINE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)/v(\\d+)\\.avsc");

  /**
   * One released version of a record schema.
   *
   * @param number version number N of {@code vN.avsc}
   * @param schema the parsed schema
   * @param resource classpath resource it was read from
   */
  public record Version(int number, Schema schema, String resource) {
    /** CRC-64-AVRO fingerprint of the schema's parsing canonical form. */
    public long fingerprint() {
      return SchemaNormalization.parsingFingerprint64(schema);
    }
  }

  private final Map<String, List<Version>> released;
  private final Map<String, Schema> current;
  private final Map<Long, Schema> byFingerprint;

  private SchemaCatalog(Map<String, List<Version>> released, Map<String, Schema> current) {
    this.released = released;
    this.current = current;
    Map<Long, Schema> fingerprints = new HashMap<>();
    released.values().forEach(vs -> vs.forEach(v -> fingerprints.put(v.fingerprint(), v.schema())));
    current.values().forEach(s -> fingerprints.put(SchemaNormalization.parsingFingerprint64(s), s));
    this.byFingerprint = Map.copyOf(fingerprints);
  }

  /** The catalog of this module's released versions ({@link #INDEX}), loaded once. */
  public static SchemaCatalog standard() {
    return Standard.INSTANCE;
  }

  /**
   * Loads the versions listed by each index resource.
   *
   * @throws IllegalStateException naming the resource when an index or listed file is missing,
   *     a line is malformed, a file does not parse, its record name differs from its folder, or
   *     a version number appears twice
   */
  public static SchemaCatalog load(ClassLoader loader, String... indexResources) {
    Map<String, List<Version>> released = new TreeMap<>();
    for (String index : indexResources) {
      String folder = index.substring(0, index.lastIndexOf('/') + 1);
      for (String line : readLines(loader, index)) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
          throw new IllegalStateException(
              index + ": line '" + line + "' is not of the form <RecordName>/v<N>.avsc");
        }
        String resource = folder + line;
        Schema schema = parse(loader, resource);
        if (!schema.getName().equals(m.group(1))) {
          throw new IllegalStateException(
              resource + " declares " + schema.getFullName() + ", expected record " + m.group(1));
        }
        Version v = new Version(Integer.parseInt(m.group(2)), schema, resource);
        List<Version> versions =
            released.computeIfAbsent(schema.getFullName(), k -> new ArrayList<>());
        if (versions.stream().anyMatch(o -> o.number() == v.number())) {
          throw new IllegalStateException(resource + ": version " + v.number() + " listed twice");
        }
        versions.add(v);
      }
    }
    Map<String, Schema> current = new TreeMap<>();
    SpecificData model = new SpecificData(loader);
    released.forEach(
        (name, versions) -> {
          versions.sort(Comparator.comparingInt(Version::number));
          Class<?> generated = model.getClass(versions.get(0).schema());
          if (generated != null && SpecificRecord.class.isAssignableFrom(generated)) {
            current.put(name, model.getSchema(generated));
          }
        });
    Map<String, List<Version>> frozen = new TreeMap<>();
    released.forEach((name, versions) -> frozen.put(name, List.copyOf(versions)));
    return new SchemaCatalog(
        Collections.unmodifiableMap(frozen), Collections.unmodifiableMap(current));
  }

  /** Full names of the records with at least one released version, sorted. */
  public List<String> recordNames() {
    return List.copyOf(released.keySet());
  }

  /** Released versions of the record with this full name, oldest first; empty if none. */
  public List<Version> released(String fullName) {
    return released.getOrDefault(fullName, List.of());
  }

  /** The generated class's current schema for this full name, if the class is on the classpath. */
  public Optional<Schema> current(String fullName) {
    return Optional.ofNullable(current.get(fullName));
  }

  /** Any schema in the catalog (released or current, any record) with this fingerprint. */
  public Optional<Schema> lookup(long fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  /**
   * A schema store for decoding one record type: every released version of {@code reader}'s
   * full name, plus {@code reader} itself (which need not be released yet). Writers of other
   * records are deliberately absent, so their fingerprints are unknown to the store.
   */
  public SchemaStore.Cache storeFor(Schema reader) {
    SchemaStore.Cache store = new SchemaStore.Cache();
    released(reader.getFullName()).forEach(v -> store.addSchema(v.schema()));
    store.addSchema(reader);
    return store;
  }

  private static Schema parse(ClassLoader loader, String resource) {
    InputStream stream = open(loader, resource);
    try (InputStream in = stream) {
      return new Schema.Parser().parse(in);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(resource + " does not parse as an Avro schema: " + e, e);
    }
  }

  private static List<String> readLines(ClassLoader loader, String resource) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(open(loader, resource), StandardCharsets.UTF_8))) {
      return reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static InputStream open(ClassLoader loader, String resource) {
    InputStream in = loader.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("missing classpath resource " + resource);
    }
    return in;
  }

  private static final class Standard {
    static final SchemaCatalog INSTANCE = load(SchemaCatalog.class.getClassLoader(), INDEX);
  }
}
