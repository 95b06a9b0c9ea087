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
 * the experiment, the partition count and the last decided round.
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
    private static final String FORMAT = "1";
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
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
                w.setCodec(CodecFactory.deflateCodec(6));
                w.setMeta(META_FORMAT, FORMAT);
                w.setMeta(META_EXPERIMENT, experimentId);
                w.setMeta(META_PARTITIONS, Integer.toString(partitions));
                w.setMeta(META_LAST_ROUND, Integer.toString(lastRound));
                w.setMeta(META_KEEP_EVERY, Integer.toString(keepEvery));
                w.create(SCHEMA, file.toFile());
                for (Map.Entry<Topics, List<ConsumerRecord<String, byte[]>>> e : chosen.entrySet()) {
                    for (ConsumerRecord<String, byte[]> r : e.getValue()) {
                        GenericRecord g = new GenericData.Record(SCHEMA);
                        g.put("topic", e.getKey().suffix());
                        g.put("partition", r.partition());
                        g.put("timestamp", r.timestamp());
                        g.put("key", r.key());
                        g.put("value", r.value() == null ? null : ByteBuffer.wrap(r.value()));
                        w.append(g);
                    }
                    counts.put(e.getKey(), e.getValue().size());
                }
            }
        } catch (IOException e) {
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
        try (DataFileReader<GenericRecord> reader = open(file)) {
            String id = reader.getMetaString(META_EXPERIMENT);
            int partitions = Integer.parseInt(reader.getMetaString(META_PARTITIONS));
            int lastRound = Integer.parseInt(reader.getMetaString(META_LAST_ROUND));
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
            Map<Topics, Integer> counts = new EnumMap<>(Topics.class);
            for (Topics t : CARRIED) {
                counts.put(t, 0);
            }
            int priors = 0;
            byte[] marker = Integer.toString(lastRound).getBytes(StandardCharsets.UTF_8);
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                for (GenericRecord g : reader) {
                    Topics t = bySuffix(g.get("topic").toString(), file);
                    Object key = g.get("key");
                    ByteBuffer v = (ByteBuffer) g.get("value");
                    byte[] value = null;
                    if (v != null) {
                        value = new byte[v.remaining()];
                        v.get(value);
                    }
                    ProducerRecord<String, byte[]> r = new ProducerRecord<>(t.of(id), (Integer) g.get("partition"),
                            (Long) g.get("timestamp"), key == null ? null : key.toString(), value);
                    r.headers().add(IMPORT_HEADER, marker);
                    sent.add(producer.send(r));
                    counts.merge(t, 1, Integer::sum);
                    if (t == Topics.POLICIES) {
                        priors++;
                    }
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
            return new Summary(id, partitions, lastRound, priors, 0, counts);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read checkpoint " + file + ": " + e.getMessage(), e);
        }
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
        try (DataFileReader<GenericRecord> reader = open(file)) {
            String id = reader.getMetaString(META_EXPERIMENT);
            int partitions = Integer.parseInt(reader.getMetaString(META_PARTITIONS));
            int lastRound = Integer.parseInt(reader.getMetaString(META_LAST_ROUND));
            String keep = reader.getMetaString(META_KEEP_EVERY);
            Map<Topics, Integer> counts = new EnumMap<>(Topics.class);
            for (Topics t : CARRIED) {
                counts.put(t, 0);
            }
            List<PolicyParams> priors = new ArrayList<>();
            for (GenericRecord g : reader) {
                Topics t = bySuffix(g.get("topic").toString(), file);
                counts.merge(t, 1, Integer::sum);
                ByteBuffer v = (ByteBuffer) g.get("value");
                if (t != Topics.POLICIES || v == null) {
                    continue;
                }
                byte[] value = new byte[v.remaining()];
                v.get(value);
                try {
                    priors.add(MetastreamSerdes.policyParams().deserializer().deserialize(t.of(id), value));
                } catch (SerializationException e) {
                    throw new IllegalArgumentException("checkpoint " + file + " has a meta-prior record (" + g.get("key")
                            + ") that is not a PolicyParams: " + e.getMessage(), e);
                }
            }
            priors.sort(Comparator.comparingLong(PolicyParams::getVersion));
            return new Contents(new Summary(id, partitions, lastRound, priors.size(), 0, counts),
                    keep == null ? 0 : Integer.parseInt(keep), priors);
        } catch (IOException | AvroRuntimeException | NumberFormatException e) {
            throw new IllegalArgumentException("could not read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens {@code file} as a checkpoint: it must exist and carry this format's marker. */
    private static DataFileReader<GenericRecord> open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("checkpoint file " + file + " does not exist");
        }
        DataFileReader<GenericRecord> reader;
        try {
            reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>(SCHEMA));
        } catch (IOException | AvroRuntimeException e) {
            throw new IllegalArgumentException(file + " is not a metastream checkpoint (not an Avro container file: "
                    + e.getMessage() + ")", e);
        }
        if (!FORMAT.equals(reader.getMetaString(META_FORMAT))) {
            String found = reader.getMetaString(META_FORMAT);
            reader.close();
            throw new IllegalArgumentException(file + " is not a metastream checkpoint (format " + found + ", expected "
                    + FORMAT + ")");
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
