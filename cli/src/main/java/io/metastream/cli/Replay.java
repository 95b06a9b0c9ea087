package io.metastream.cli;

import io.metastream.producers.TrajectoryReplayer;
import io.metastream.schemas.ConsumedGradient;
import io.metastream.schemas.TrainerDecision;
import io.metastream.streams.AdapterApp;
import io.metastream.trainer.ExperimentLog;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.StreamingTrainer;
import io.metastream.trainer.TrainerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays experiment X as experiment Y: Y's adapter and trainer run afresh while a
 * {@link TrajectoryReplayer} answers Y's assignments with the trajectories X recorded, and Y's
 * meta-prior sequence and trainer decisions are compared with X's, bit for bit. The experiment is
 * rebuilt from X's manifest alone; Y runs as many rounds as X completed. Tabular and continuous
 * experiments alike (a continuous replay recomputes every adaptation, hypergradient and TRPO meta-step
 * from the recorded PRE and POST trajectories); bit-identical results are expected from the code
 * version that recorded X (its manifest names it).
 */
final class Replay {

    /**
     * The outcome: meta-prior versions and decisions compared, and the first divergence ("" when
     * none: {@code firstDivergentVersion} is then −1).
     */
    record Result(String source, String target, int rounds, int versionsCompared, int decisionsCompared,
                  long firstDivergentVersion, String divergence, long trajectories, double seconds) {

        boolean identical() {
            return firstDivergentVersion < 0 && divergence.isEmpty();
        }
    }

    private Replay() {
    }

    static Result run(String bootstrap, Map<String, String> clientProps, String source, String target, PrintStream out)
            throws IOException {
        if (source.equals(target)) {
            throw new IllegalArgumentException("--as must name a new experiment, not the replayed one (" + source + ")");
        }
        long t0 = System.nanoTime();
        ExperimentLog x = ExperimentLog.read(bootstrap, clientProps, source);
        if (x.manifest() == null) {
            throw new IllegalArgumentException("experiment '" + source + "' has no manifest in its control topic: nothing to replay"
                    + " (is the experiment id right, and --bootstrap-servers the cluster it ran on?)");
        }
        java.util.OptionalInt imported = io.metastream.trainer.ExperimentCheckpoint.importedThroughRound(bootstrap, clientProps, source);
        if (imported.isPresent() && imported.getAsInt() >= 0) {
            throw new IllegalArgumentException("experiment '" + source + "' was imported from a checkpoint taken after round "
                    + (imported.getAsInt() + 1) + ": the trajectories of rounds 1.." + (imported.getAsInt() + 1) + " are not on this"
                    + " cluster, so it cannot be replayed here (replay it where its full log is)");
        }
        int rounds = x.decisions().size();
        if (rounds == 0) {
            throw new IllegalArgumentException("experiment '" + source + "' has not completed a meta-iteration: nothing to replay");
        }
        RunConfig recorded = RunConfig.parseRecorded(x.manifest().getConfigText(), "manifest of " + source);
        if (recorded instanceof ContinuousExperimentFile cf) {
            cf.requireCurrentNumerics("replay");
        }
        RunConfig ef = RunConfig.parseRecorded(recorded.canonicalText(), "manifest of " + source,
                List.of("experiment-id=" + target, "iterations=" + rounds));
        if (ExperimentLog.read(bootstrap, clientProps, target).manifest() != null) {
            throw new IllegalArgumentException("experiment '" + target + "' already exists: choose another --as");
        }
        out.printf(Locale.ROOT, "replay %s as %s: %d meta-iterations from the recorded trajectories (%s)%n", source, target,
                rounds, recorded.maxStaleness() == 0 ? "synchronous" : "asynchronous, max-staleness " + recorded.maxStaleness());
        ExperimentTopics.create(bootstrap, target, ef.partitions(), (short) 1, Map.copyOf(clientProps));
        long[] firstDivergent = {-1};
        StringBuilder why = new StringBuilder();
        long replayed;
        try (TrajectoryReplayer replayer = TrajectoryReplayer.start(bootstrap, clientProps, source, target);
             AdapterApp adapter = RunSession.adapter(ef, bootstrap, clientProps, null).start();
             StreamingTrainer trainer = new StreamingTrainer(new TrainerConfig(target, bootstrap, ef.experiment(),
                     Duration.ofMinutes(10), ef.maxStaleness(), Map.copyOf(clientProps), ef.canonicalText()))) {
            trainer.run(r -> {
                String d = compare(x.priorParams(r.newVersion()), r.phi());
                if (!d.isEmpty() && firstDivergent[0] < 0) {
                    firstDivergent[0] = r.newVersion();
                    why.append("meta-prior v").append(r.newVersion()).append(": ").append(d);
                }
                out.printf(Locale.ROOT, "replay round %d/%d  meta-prior v%d %s  %d trajectories replayed  elapsed %.0f s%n",
                        r.round() + 1, rounds, r.newVersion(), d.isEmpty() ? "identical" : "DIFFERS (" + d + ")",
                        replayer.trajectoriesReplayed(), (System.nanoTime() - t0) / 1e9);
            }, note -> { });
            replayed = replayer.trajectoriesReplayed();
        }
        ExperimentLog y = ExperimentLog.read(bootstrap, clientProps, target);
        int versions = 0;
        for (long v = 0; v <= rounds; v++) {
            String d = compare(x.priorParams(v), y.priorParams(v));
            versions++;
            if (!d.isEmpty() && (firstDivergent[0] < 0 || v < firstDivergent[0])) {
                firstDivergent[0] = v;
                why.setLength(0);
                why.append("meta-prior v").append(v).append(": ").append(d);
            }
        }
        int decisions = 0;
        for (int round = 0; round < rounds; round++) {
            String d = compare(x.decisions().get(round), y.decisions().get(round));
            decisions++;
            if (!d.isEmpty() && why.isEmpty()) {
                why.append("decision of round ").append(round).append(": ").append(d);
            }
        }
        return new Result(source, target, rounds, versions, decisions, firstDivergent[0], why.toString(), replayed,
                (System.nanoTime() - t0) / 1e9);
    }

    /** "" when equal bit for bit, else where and how they differ. */
    static String compare(double[] recorded, double[] replayed) {
        if (recorded == null || replayed == null) {
            return recorded == null && replayed == null ? "missing in both logs"
                    : recorded == null ? "missing in the recorded log" : "missing in the replay";
        }
        if (recorded.length != replayed.length) {
            return "length " + recorded.length + " recorded vs " + replayed.length + " replayed";
        }
        for (int i = 0; i < recorded.length; i++) {
            if (Double.doubleToRawLongBits(recorded[i]) != Double.doubleToRawLongBits(replayed[i])) {
                return String.format(Locale.ROOT, "first difference at parameter %d: recorded %s, replayed %s", i,
                        Double.toString(recorded[i]), Double.toString(replayed[i]));
            }
        }
        return "";
    }

    /** Decisions agree when they applied the same tasks' gradients, computed at the same versions, in the same order. */
    private static String compare(TrainerDecision recorded, TrainerDecision replayed) {
        if (recorded == null || replayed == null) {
            return recorded == null ? "missing in the recorded log" : "missing in the replay";
        }
        List<String> a = recorded.getConsumed().stream().map(Replay::describe).toList();
        List<String> b = replayed.getConsumed().stream().map(Replay::describe).toList();
        return a.equals(b) && recorded.getPolicyVersion() == replayed.getPolicyVersion() ? ""
                : "recorded " + a + " -> v" + recorded.getPolicyVersion() + ", replayed " + b + " -> v" + replayed.getPolicyVersion();
    }

    private static String describe(ConsumedGradient g) {
        return g.getTaskId() + "@v" + g.getPolicyVersion();
    }
}
