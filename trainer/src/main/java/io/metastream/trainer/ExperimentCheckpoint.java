package io.metastream.trainer;

import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.Phase;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.RolloutAssignment;
import io.metastream.schemas.Topics;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint of an experiment's meta-training: everything a trainer needs to resume it, small
 * enough to copy or commit, so a run can continue on another Kafka cluster (a new machine, a new
 * embedded broker) when the original log cannot come along.
 *
 * <p>It holds the raw records (same bytes, partition and timestamp) of {@code control} (manifest
 * and every decision with the meta-learner's state), the meta-prior versions of {@code policies}
 * (the last record of each; all of them, or a thinned subset that still holds every version a
 * resume needs), {@code metrics} and {@code dead-letters}, and the PRE assignments of the rounds
 * issued but not yet decided. Trajectories and meta-gradients, the bulk of the log, stay
 * behind: after an import the trainer resumes exactly as on the original log (same rounds, same
 * versions, same seeds), but the rounds before the checkpoint cannot be replayed from the new
 * cluster. Imported records carry the header {@value #IMPORT_HEADER} (the checkpoint's last round),
 * which {@link #importedThroughRound} reads.
 *
 * <p>The file is an Avro object container (deflate) of {@code CheckpointRecord}s; its metadata name
 * the experiment, the partition count and the last decided round, and (format 2) the number of records per
 * topic and a SHA-256 digest over those header values and every record (topic, partition, timestamp, key,
 * value). Every reader ({@link #read}, {@link #importInto}) verifies the whole file before it acts: a damaged,
 * truncated or foreign file is an {@link IllegalArgumentException} with one line naming the problem, and an
 * import creates nothing on the cluster. Format 1 files (no digest) are still read; for them the checks are
 * that every record decodes and that {@code control} holds the manifest and one decision per round.
 * {@link #export} writes a temporary file next to the target and renames it, so the target is never half
 * written.
 */
public final class ExperimentCheckpoint {

    /** Header on every imported record: the last round decided in the checkpoint, as decimal text. */
    public static final String IMPORT_HEADER = "metastream.checkpoint-round";

    static final String META_FORMAT = "metastream.checkpoint.format";
    static final String META_EXPERIMENT = "metastream.experiment-id";
    static final String META_PARTITIONS = "metastream.partitions";
    static final String META_LAST_ROUND = "metastream.last-round";
    /** The export's keep-every (1: every meta-prior version); informational, import does not need it. */
    static final String META_KEEP_EVERY = "metastream.keep-every";
    /** The content's digest and record counts, written by format 2 (format 1 files have neither). */
    static final String META_DIGEST = "metastream.sha256";
    static final String META_RECORDS = "metastream.records";
    /** 2: the header carries {@value #META_DIGEST} and {@value #META_RECORDS}; 1 (until 2026-12-07): neither. */
    private static final String FORMAT = "2";
    private static final String LEGACY_FORMAT = "1";
    /** The largest partition count an import creates (a sanity bound on a header value). */
    static final int MAX_PARTITIONS = 1000;
    /** How often an export of a running experiment reads again before it gives up. */
    private static final int MAX_EXPORT_ATTEMPTS = 5;

    /** The topics a checkpoint carries records of (all of some, part of the others). */
    private static final List<Topics> CARRIED = List.of(Topics.CONTROL, Topics.METRICS, Topics.DEAD_LETTERS,
            Topics.POLICIES, Topics.ASSIGNMENTS);

    static final Schema SCHEMA = SchemaBuilder.record("CheckpointRecord").namespace("io.metastream.checkpoint")
            .doc("One Kafka record of an experiment checkpoint, as it was in the log.")
            .fields()
            .requiredString("topic")
            .requiredInt("partition")
            .requiredLong("timestamp")
            .optionalString("key")
            .optionalBytes("value")
            .endRecord();

    /**
     * What a checkpoint holds; {@code droppedPriorVersions} counts the meta-prior versions an export
     * with {@code keepEvery > 1} left behind (0 on import).
     */
    public record Summary(String experimentId, int partitions, int lastRound, int priorVersions,
                          int droppedPriorVersions, Map<Topics, Integer> recordsByTopic) {

        /** Rounds decided in the checkpoint (the next run starts at round {@code lastRound + 1}, 0-based). */
        public int roundsDone() {
            return lastRound + 1;
        }
    }

    private ExperimentCheckpoint() {
    }

    /** Writes {@code experimentId}'s checkpoint, read from its topics as they stand now, with every meta-prior version, to {@code file}. */
    public static Summary export(String bootstrapServers, Map<String, ?> clientProperties, String experimentId, Path file) {
        return export(bootstrapServers, clientProperties, experimentId, file, 1);
    }

    /**
     * Writes {@code experimentId}'s checkpoint, read from its topics as they stand now, to {@code file},
     * keeping the meta-prior versions 0, {@code keepEvery}, 2·{@code keepEvery}, … and every version a
     * resume needs (that of the last decided round and those the in-flight rounds were issued with).
     * With {@code keepEvery} 1 every version is kept. A run's post-training validation
     * ({@code validate-every}) scores only versions the log has, so thin with its period or a divisor
     * of it to keep the result unchanged; most of a MuJoCo checkpoint's bytes are meta-prior versions.
     */
    public static Summary export(String bootstrapServers, Map<String, ?> clientProperties, String experimentId, Path file,
                                 int keepEvery) {
        if (keepEvery < 1) {
            throw new IllegalArgumentException("--keep-every must be at least 1 (1 keeps every meta-prior version), got " + keepEvery);
        }
        // A running trainer commits each round (prior, decision, metrics, next assignments) in one
        // transaction, so the topics read here are one consistent state exactly when control did not
        // grow while they were read; otherwise read them again.
        String control = Topics.CONTROL.of(experimentId);
        for (int attempt = 1; ; attempt++) {
            SortedMap<Integer, Long> before = TopicReader.endOffsets(bootstrapServers, clientProperties, control);
            Summary s = exportOnce(bootstrapServers, clientProperties, experimentId, file, keepEvery);
            if (before.equals(TopicReader.endOffsets(bootstrapServers, clientProperties, control))) {
                return s;
            }
            if (attempt == MAX_EXPORT_ATTEMPTS) {
                try {
                    Files.deleteIfExists(file);   // not one consistent state: no file is better than a wrong one
                } catch (IOException e) {
                    // the message below says what to do; the file is overwritten by the next export
                }
                throw new IllegalStateException("experiment " + experimentId + " decided a round during each of "
                        + MAX_EXPORT_ATTEMPTS + " export attempts: stop it (SIGTERM) and export again");
            }
        }
    }

    private static Summary exportOnce(String bootstrapServers, Map<String, ?> clientProperties, String experimentId, Path file,
                                      int keepEvery) {
        ExperimentLog log = ExperimentLog.read(bootstrapServers, clientProperties, experimentId);
        if (log.manifest() == null) {
            throw new IllegalArgumentException("experiment " + experimentId + " has no manifest in "
                    + Topics.CONTROL.of(experimentId) + " on " + bootstrapServers + ": there is nothing to checkpoint");
        }
        int lastRound = log.decisions().isEmpty() ? -1 : log.decisions().lastKey();
        int partitions = TopicReader.endOffsets(bootstrapServers, clientProperties, Topics.CONTROL.of(experimentId)).size();

        Map<Topics, List<ConsumerRecord<String, byte[]>>> chosen = new EnumMap<>(Topics.class);
        for (Topics t : List.of(Topics.CONTROL, Topics.METRICS, Topics.DEAD_LETTERS)) {
            chosen.put(t, TopicReader.readAll(bootstrapServers, clientProperties, t.of(experimentId)));
        }
        List<ConsumerRecord<String, byte[]>> inFlight = new ArrayList<>();
        Set<Long> needed = new HashSet<>();
        needed.add(lastRound < 0 ? 0L : log.decisions().get(lastRound).getPolicyVersion());
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrapServers, clientProperties,
                Topics.ASSIGNMENTS.of(experimentId))) {
            RolloutAssignment a = decodeAssignment(r);
            if (a != null && a.getPhase() == Phase.PRE && experimentId.equals(a.getExperimentId()) && a.getRound() > lastRound) {
                inFlight.add(r);
                needed.add(a.getPolicyVersion());
            }
        }
        Pattern prior = Pattern.compile(Pattern.quote(experimentId + "/prior/v") + "(\\d+)");
        Map<String, ConsumerRecord<String, byte[]>> lastPerKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrapServers, clientProperties,
                Topics.POLICIES.of(experimentId))) {
            if (r.key() != null && prior.matcher(r.key()).matches()) {
                lastPerKey.remove(r.key());
                lastPerKey.put(r.key(), r);   // what compaction keeps
            }
        }
        List<ConsumerRecord<String, byte[]>> kept = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : lastPerKey.values()) {
            Matcher m = prior.matcher(r.key());
            m.matches();   // every key here matched above
            long v = Long.parseLong(m.group(1));
            if (v % keepEvery == 0 || needed.contains(v)) {
                kept.add(r);
            }
        }
        chosen.put(Topics.POLICIES, kept);
        chosen.put(Topics.ASSIGNMENTS, inFlight);

        Map<Topics, Integer> counts = new EnumMap<>(Topics.class);
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<Topics, List<ConsumerRecord<String, byte[]>>> e : chosen.entrySet()) {
            for (ConsumerRecord<String, byte[]> r : e.getValue()) {
                entries.add(new Entry(e.getKey(), r.partition(), r.timestamp(), r.key(), r.value()));
            }
            counts.put(e.getKey(), e.getValue().size());
        }
        String keep = Integer.toString(keepEvery);
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            Path parent = target.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            tmp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".partial");
            try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
                w.setCodec(CodecFactory.deflateCodec(6));
                w.setMeta(META_FORMAT, FORMAT);
                w.setMeta(META_EXPERIMENT, experimentId);
                w.setMeta(META_PARTITIONS, Integer.toString(partitions));
                w.setMeta(META_LAST_ROUND, Integer.toString(lastRound));
                w.setMeta(META_KEEP_EVERY, keep);
                w.setMeta(META_RECORDS, countsText(counts));
                w.setMeta(META_DIGEST, digest(SCHEMA.toString(), "deflate", experimentId, partitions, lastRound, keep, counts,
                        entries));
                w.create(SCHEMA, tmp.toFile());
                for (Entry r : entries) {
                    GenericRecord g = new GenericData.Record(SCHEMA);
                    g.put("topic", r.topic().suffix());
                    g.put("partition", r.partition());
                    g.put("timestamp", r.timestamp());
                    g.put("key", r.key());
                    g.put("value", r.value() == null ? null : ByteBuffer.wrap(r.value()));
                    w.append(g);
                }
            }
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the message below names the problem; a leftover .partial file is harmless
                }
            }
            throw new IllegalArgumentException("could not write the checkpoint to " + file + ": " + e.getMessage(), e);
        }
        return new Summary(experimentId, partitions, lastRound, kept.size(), lastPerKey.size() - kept.size(), counts);
    }

    /**
     * Writes the checkpoint in {@code file} into a cluster that does not have its experiment yet:
     * creates the experiment's topics with the checkpoint's partition count, then produces every
     * record to its original partition. A trainer started afterwards resumes the experiment.
     */
    public static Summary importInto(String bootstrapServers, Map<String, ?> clientProperties, Path file, short replication) {
        Verified v = verify(file);   // the whole file, before anything is created on the cluster
        String id = v.experimentId();
        int partitions = v.partitions();
        int lastRound = v.lastRound();
        if (ExperimentLog.read(bootstrapServers, clientProperties, id).manifest() != null) {
            throw new IllegalArgumentException("experiment " + id + " already exists on " + bootstrapServers
                    + ": import its checkpoint into a cluster that does not have it (resume it there with run/trainer instead)");
        }
        int have = TopicReader.endOffsets(bootstrapServers, clientProperties, Topics.CONTROL.of(id)).size();
        if (have != 0 && have != partitions) {
            throw new IllegalArgumentException("topic " + Topics.CONTROL.of(id) + " exists with " + have
                    + " partitions, the checkpoint needs " + partitions + ": delete the experiment's topics first");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> topicProps = (Map<String, Object>) (Map<String, ?>) clientProperties;
        ExperimentTopics.create(bootstrapServers, id, partitions, replication, new HashMap<>(topicProps));

        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        byte[] marker = Integer.toString(lastRound).getBytes(StandardCharsets.UTF_8);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (Entry e : v.records()) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(e.topic().of(id), e.partition(), e.timestamp(),
                        e.key(), e.value());
                r.headers().add(IMPORT_HEADER, marker);
                sent.add(producer.send(r));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the checkpoint of " + id + " to " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while importing the checkpoint of " + id, e);
        }
        return new Summary(id, partitions, lastRound, v.counts().get(Topics.POLICIES), 0, v.counts());
    }

    /**
     * What a checkpoint file holds, read without a cluster: its summary (records per topic; no
     * dropped count, the file does not know it), the export's {@code keepEvery} (0 when the file
     * does not record it) and its meta-prior versions in version order.
     */
    public record Contents(Summary summary, int keepEvery, List<PolicyParams> priors) {
    }

    /** Reads the checkpoint in {@code file}; a missing, foreign or damaged file is an {@link IllegalArgumentException}. */
    public static Contents read(Path file) {
        Verified v = verify(file);
        List<PolicyParams> priors = new ArrayList<>();
        for (Entry e : v.records()) {
            if (e.topic() == Topics.POLICIES && e.value() != null) {
                priors.add(MetastreamSerdes.policyParams().deserializer().deserialize(e.topic().of(v.experimentId()), e.value()));
            }
        }
        priors.sort(Comparator.comparingLong(PolicyParams::getVersion));
        String keep = v.keepEvery();
        return new Contents(new Summary(v.experimentId(), v.partitions(), v.lastRound(), priors.size(), 0, v.counts()),
                keep == null ? 0 : Integer.parseInt(keep), priors);
    }

    /** One record of a checkpoint, as it was in the log. */
    private record Entry(Topics topic, int partition, long timestamp, String key, byte[] value) {
    }

    /** A checkpoint file read completely and checked. */
    private record Verified(String experimentId, int partitions, int lastRound, String keepEvery, Map<Topics, Integer> counts,
                            List<Entry> records) {
    }

    /**
     * Reads the whole file and checks it: the header values, every record (topic, partition within the count,
     * the meta-priors decode as {@code PolicyParams}), the manifest and one decision per decided round in
     * {@code control}, and for format 2 the record counts and the SHA-256 digest of the header values and
     * records. Any failure, including whatever the Avro reader throws on damaged bytes, is one
     * {@link IllegalArgumentException} line: "checkpoint F is damaged or not a metastream checkpoint: …".
     */
    private static Verified verify(Path file) {
        try (DataFileReader<GenericRecord> reader = open(file)) {
            String format = reader.getMetaString(META_FORMAT);
            String id = reader.getMetaString(META_EXPERIMENT);
            if (id == null || id.isEmpty() || !id.equals(id.strip()) || id.chars().anyMatch(Character::isISOControl)) {
                throw damaged(file, "experiment id " + (id == null ? "missing" : "'" + id + "'") + " in the header");
            }
            int partitions = headerInt(reader, META_PARTITIONS, file);
            if (partitions < 1 || partitions > MAX_PARTITIONS) {
                throw damaged(file, "partition count " + partitions + " in the header (1.." + MAX_PARTITIONS + ")");
            }
            int lastRound = headerInt(reader, META_LAST_ROUND, file);
            if (lastRound < -1) {
                throw damaged(file, "last round " + lastRound + " in the header");
            }
            String keep = reader.getMetaString(META_KEEP_EVERY);
            if (keep != null && !keep.matches("[1-9][0-9]{0,8}")) {
                throw damaged(file, "keep-every '" + keep + "' in the header");
            }
            Map<Topics, Integer> counts = new EnumMap<>(Topics.class);
            for (Topics t : CARRIED) {
                counts.put(t, 0);
            }
            List<Entry> records = new ArrayList<>();
            int decisions = 0;
            boolean manifest = false;
            for (GenericRecord g : reader) {
                Topics t = bySuffix(g.get("topic").toString(), file);
                int partition = (Integer) g.get("partition");
                if (partition < 0 || partition >= partitions) {
                    throw damaged(file, "a " + t.suffix() + " record in partition " + partition + " of " + partitions);
                }
                Object key = g.get("key");
                ByteBuffer v = (ByteBuffer) g.get("value");
                byte[] value = null;
                if (v != null) {
                    value = new byte[v.remaining()];
                    v.get(value);
                }
                Entry e = new Entry(t, partition, (Long) g.get("timestamp"), key == null ? null : key.toString(), value);
                if (t == Topics.POLICIES && value != null) {
                    MetastreamSerdes.policyParams().deserializer().deserialize(t.of(id), value);
                }
                if (t == Topics.CONTROL && value != null) {
                    Object payload = MetastreamSerdes.control().deserialize(value).getPayload();
                    manifest |= payload instanceof io.metastream.schemas.ExperimentManifest;
                    decisions += payload instanceof io.metastream.schemas.TrainerDecision ? 1 : 0;
                }
                records.add(e);
                counts.merge(t, 1, Integer::sum);
            }
            if (!manifest) {
                throw damaged(file, "no manifest among its " + counts.get(Topics.CONTROL) + " control records");
            }
            if (decisions != lastRound + 1) {
                throw damaged(file, decisions + " trainer decisions for " + (lastRound + 1) + " decided rounds");
            }
            if (FORMAT.equals(format)) {
                String recorded = reader.getMetaString(META_RECORDS);
                if (!countsText(counts).equals(recorded)) {
                    throw damaged(file, "it holds " + countsText(counts) + ", its header says " + recorded);
                }
                String digest = digest(reader.getMetaString("avro.schema"), reader.getMetaString("avro.codec"), id, partitions,
                        lastRound, keep, counts, records);
                if (!digest.equals(reader.getMetaString(META_DIGEST))) {
                    throw damaged(file, "its content does not match the SHA-256 digest in its header");
                }
            }
            return new Verified(id, partitions, lastRound, keep, counts, records);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {   // Avro, deflate, casts, decoders: any of them means damage
            throw damaged(file, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static IllegalArgumentException damaged(Path file, String what) {
        return new IllegalArgumentException(("checkpoint " + file + " is damaged or not a metastream checkpoint: " + what)
                .replaceAll("\\s*\\R\\s*", " "));
    }

    private static int headerInt(DataFileReader<GenericRecord> reader, String key, Path file) {
        String s = reader.getMetaString(key);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw damaged(file, key + " '" + s + "' in the header");
        }
    }

    /** "control=N,metrics=N,…" in {@link #CARRIED} order. */
    private static String countsText(Map<Topics, Integer> counts) {
        StringBuilder b = new StringBuilder();
        for (Topics t : CARRIED) {
            b.append(b.length() == 0 ? "" : ",").append(t.suffix()).append('=').append(counts.getOrDefault(t, 0));
        }
        return b.toString();
    }

    /** SHA-256 (hex) over the header values (the container's schema text and codec too) and every record, each field length-prefixed. */
    private static String digest(String schemaText, String codec, String id, int partitions, int lastRound, String keepEvery,
                                 Map<Topics, Integer> counts, List<Entry> records) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.io.DataOutputStream out = new java.io.DataOutputStream(new java.security.DigestOutputStream(
                    java.io.OutputStream.nullOutputStream(), md));
            out.writeUTF(FORMAT);
            writeNullable(out, schemaText == null ? null : schemaText.getBytes(StandardCharsets.UTF_8));
            out.writeUTF(String.valueOf(codec));
            out.writeUTF(id);
            out.writeInt(partitions);
            out.writeInt(lastRound);
            out.writeUTF(String.valueOf(keepEvery));
            out.writeUTF(countsText(counts));
            for (Entry e : records) {
                out.writeUTF(e.topic().suffix());
                out.writeInt(e.partition());
                out.writeLong(e.timestamp());
                writeNullable(out, e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8));
                writeNullable(out, e.value());
            }
            out.flush();
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot compute SHA-256: " + e.getMessage(), e);
        }
    }

    private static void writeNullable(java.io.DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    /** Opens {@code file} as a checkpoint: it must exist and carry a format marker of this or the previous format. */
    private static DataFileReader<GenericRecord> open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("checkpoint file " + file + " does not exist");
        }
        DataFileReader<GenericRecord> reader;
        try {
            reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>(SCHEMA));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException((file + " is not a metastream checkpoint (not an Avro container file: "
                    + e.getMessage() + ")").replaceAll("\\s*\\R\\s*", " "), e);
        }
        String found = reader.getMetaString(META_FORMAT);
        if (!FORMAT.equals(found) && !LEGACY_FORMAT.equals(found)) {
            reader.close();
            throw new IllegalArgumentException(file + " is not a metastream checkpoint (format " + found + ", expected "
                    + FORMAT + " or " + LEGACY_FORMAT + ")");
        }
        return reader;
    }

    /**
     * The checkpoint round {@code experimentId}'s log was imported at, read from the header of its
     * {@code control} records, or empty for a log written by its own trainer from round 0.
     */
    public static OptionalInt importedThroughRound(String bootstrapServers, Map<String, ?> clientProperties, String experimentId) {
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrapServers, clientProperties, Topics.CONTROL.of(experimentId))) {
            Header h = r.headers().lastHeader(IMPORT_HEADER);
            if (h != null) {
                return OptionalInt.of(Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8)));
            }
        }
        return OptionalInt.empty();
    }

    private static Topics bySuffix(String suffix, Path file) {
        for (Topics t : Topics.values()) {
            if (t.suffix().equals(suffix)) {
                return t;
            }
        }
        throw new IllegalArgumentException("checkpoint " + file + " has a record for an unknown topic '" + suffix + "'");
    }

    private static RolloutAssignment decodeAssignment(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return MetastreamSerdes.assignment().deserializer().deserialize(r.topic(), r.value());
        } catch (SerializationException e) {
            return null;   // a poison record: its consumers dead-lettered it, it is not part of the experiment
        }
    }
}
