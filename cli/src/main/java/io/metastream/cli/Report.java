package io.metastream.cli;

import io.metastream.core.meta.TabularMetaTest;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.core.task.FrozenLakeMap;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.ExperimentManifest;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.MetricsRecord;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.TaskIds;
import io.metastream.schemas.Topics;
import io.metastream.trainer.ExperimentLog;
import io.metastream.trainer.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report}: an experiment's run directory regenerated from its topics alone — the manifest
 * ({@code control} and the topics' end offsets), {@code progress.csv} from the round records in
 * {@code metrics}, {@code meta-test.csv} from the EVAL records in {@code metrics} (BO-MRL) plus the
 * baselines recomputed in-process from the final meta-prior in {@code policies} with the recorded
 * seeds, and the plots.
 */
final class Report {

    private Report() {
    }

    static void write(String bootstrap, Map<String, String> clientProps, String experimentId, Path dir, PrintStream out)
            throws IOException {
        write(bootstrap, clientProps, experimentId, 0, dir, out);
    }

    /**
     * As above; {@code validateEvery} k &gt; 0 (continuous experiments only, as the config key of that name,
     * which is not part of the recorded config) scores every k-th meta-prior on the validation goals first
     * and meta-tests the best, as {@code run} did with that key.
     */
    static void write(String bootstrap, Map<String, String> clientProps, String experimentId, int validateEvery, Path dir,
                      PrintStream out) throws IOException {
        ExperimentLog log = ExperimentLog.read(bootstrap, clientProps, experimentId);
        if (log.manifest() == null) {
            throw new IllegalArgumentException("experiment '" + experimentId + "' has no manifest in its control topic: nothing"
                    + " to report (is the experiment id right, and --bootstrap-servers the cluster it ran on?)");
        }
        RunConfig config = RunConfig.parseRecorded(log.manifest().getConfigText(), "manifest of " + experimentId);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("manifest.txt"), manifestText(bootstrap, clientProps, experimentId));

        String topic = Topics.METRICS.of(experimentId);
        Metrics metrics = readMetrics(bootstrap, clientProps, experimentId);
        TreeMap<Integer, MetricsRecord> rounds = metrics.rounds();
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + experimentId + "' has no finished meta-iteration in " + topic);
        }
        if (config instanceof ContinuousExperimentFile cf) {
            writeContinuous(cf.withValidateEvery(validateEvery), log, rounds, dir, out);
            return;
        }
        if (validateEvery > 0) {
            throw new IllegalArgumentException("--validate-every applies to continuous experiments; " + experimentId
                    + " is tabular (family " + config.experiment().family() + ")");
        }
        ExperimentFile ef = (ExperimentFile) config;
        List<MetricsRecord> evals = metrics.evals();
        ProgressCsv csv = new ProgressCsv(ef);
        rounds.forEach((round, m) -> csv.add(round, round + 1L, m.getValues()));
        Files.writeString(dir.resolve("progress.csv"), csv.text());
        out.printf(Locale.ROOT, "report of %s: %d meta-iterations in %s%n", experimentId, rounds.size(), topic);

        int iterations = ef.experiment().iterations();
        double[] phi = log.priorParams(iterations);
        double[][] eval = phi == null ? null : pipelineEval(ef, phi, iterations, evals);
        if (eval == null) {
            out.printf("no complete meta-test of meta-prior v%d in %s: meta-test.csv and adaptation.png not written%n",
                    iterations, topic);
            return;
        }
        RunSession.writeResults(ef, phi, eval, dir, out);
    }

    /**
     * A continuous experiment: {@code progress.csv} from the round records; when every meta-iteration is in
     * the log, the in-process meta-test of the final meta-prior with the normaliser it carries (or of the
     * best on validation), exactly as {@code run} and {@code trainer} write it.
     */
    private static void writeContinuous(ContinuousExperimentFile cf, ExperimentLog log, TreeMap<Integer, MetricsRecord> rounds,
                                        Path dir, PrintStream out) throws IOException {
        ProgressCsv csv = new ProgressCsv(cf.trajectoriesPerRound());
        rounds.forEach((round, m) -> csv.add(round, round + 1L, m.getValues()));
        Files.writeString(dir.resolve("progress.csv"), csv.text());
        out.printf(Locale.ROOT, "report of %s: %d meta-iterations in %s%n", cf.experimentId(), rounds.size(),
                Topics.METRICS.of(cf.experimentId()));
        int iterations = cf.experiment().iterations();
        PolicyParams last = log.priors().get((long) iterations);
        if (last == null) {
            Path png = ContinuousResults.progressPlot(cf, dir);
            out.printf("meta-prior v%d (after the last of %d meta-iterations) is not in the log yet: no meta-test; wrote %s, %s, %s%n",
                    iterations, iterations, dir.resolve("manifest.txt"), dir.resolve("progress.csv"), png);
            return;
        }
        cf.requireCurrentNumerics("meta-test");
        ContinuousResults.write(cf, DoubleList.toArray(last.getParams()),
                ContinuousResults.moments(last, cf.family().obsDim()), dir, out, log::priors);
    }

    /** The experiment's committed metrics records: round records by round, and the EVAL records in log order. */
    record Metrics(TreeMap<Integer, MetricsRecord> rounds, List<MetricsRecord> evals) {
    }

    /** Reads the experiment's metrics topic (read_committed); undecodable or foreign records are skipped. */
    static Metrics readMetrics(String bootstrap, Map<String, String> clientProps, String experimentId) {
        TreeMap<Integer, MetricsRecord> rounds = new TreeMap<>();
        List<MetricsRecord> evals = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(bootstrap, clientProps, Topics.METRICS.of(experimentId))) {
            MetricsRecord m;
            try {
                m = r.value() == null ? null : MetastreamSerdes.metrics().deserialize(r.value());
            } catch (SerializationException e) {
                continue;
            }
            if (m == null || !experimentId.equals(m.getExperimentId())) {
                continue;
            }
            if ("round".equals(m.getKind())) {
                rounds.put(m.getRound(), m);   // a round redone after a restart: the later record
            } else if ("eval".equals(m.getKind())) {
                evals.add(m);
            }
        }
        return new Metrics(rounds, evals);
    }

    /** returns[task][k] of the pipeline's meta-test of meta-prior {@code version}, or null if incomplete. */
    private static double[][] pipelineEval(ExperimentFile ef, double[] phi, int version, List<MetricsRecord> evals) {
        List<FrozenLakeMap> tasks = FrozenLakeFamily.byName(ef.experiment().family()).testTasks();
        int steps = ef.experiment().testSteps();
        double[][] out = new double[tasks.size()][steps + 1];
        boolean[][] seen = new boolean[tasks.size()][steps + 1];
        String prefix = TaskIds.metaTestPrefix(version);
        for (MetricsRecord m : evals) {
            String taskId = m.getTags().get("taskId");
            if (taskId == null || !taskId.startsWith(prefix) || m.getRound() < 1 || m.getRound() > steps) {
                continue;
            }
            int i = Integer.parseInt(taskId.substring(prefix.length()));
            if (i < tasks.size() && !seen[i][m.getRound()]) {
                seen[i][m.getRound()] = true;
                out[i][m.getRound()] = m.getValues().get("return");
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            out[i][0] = TabularMetaTest.exactReturn(tasks.get(i), phi);
            for (int k = 1; k <= steps; k++) {
                if (!seen[i][k]) {
                    return null;
                }
            }
        }
        return out;
    }

    /** The manifest as text: id, seed, code version, the config text, and every topic with its end offsets now. */
    static String manifestText(String bootstrap, Map<String, String> clientProps, String experimentId) {
        ExperimentLog log = ExperimentLog.read(bootstrap, clientProps, experimentId);
        ExperimentManifest m = log.manifest();
        StringBuilder sb = new StringBuilder();
        sb.append("experiment-id: ").append(experimentId).append('\n');
        if (m == null) {
            return sb.append("(no manifest recorded)\n").toString();
        }
        sb.append("seed: ").append(m.getSeed()).append('\n');
        sb.append("code-version: ").append(m.getCodeVersion()).append('\n');
        sb.append("meta-iterations recorded: ").append(log.decisions().size()).append('\n');
        sb.append("\n# config (canonical, as recorded)\n").append(m.getConfigText());
        sb.append("\n# topics: name, records (end offsets per partition)\n");
        for (Topics t : Topics.values()) {
            String name = t.of(experimentId);
            sb.append(name).append(": ").append(TopicReader.endOffsets(bootstrap, clientProps, name)).append('\n');
        }
        return sb.toString();
    }
}
