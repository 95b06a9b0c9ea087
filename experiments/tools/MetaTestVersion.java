import io.metastream.cli.ContinuousExperimentFile;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.core.meta.ContinuousBoMrl;
import io.metastream.core.meta.ContinuousExperimentConfig;
import io.metastream.core.meta.ContinuousMetaTest;
import io.metastream.core.task.ContinuousTaskFamily;
import io.metastream.schemas.PolicyParams;
import io.metastream.trainer.ExperimentCheckpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The in-process meta-test of EXPERIMENTS.md (the family's test goals, k = 0..test-steps adaptation
 * steps, deterministic and stochastic) on any kept meta-prior version of a checkpoint, with the
 * experiment's own method: the same computation 'run' does after training on the best validated
 * version, so runs can be compared at equal iterations before they finish. Random initialisation is
 * not repeated here. Prints one line per mode and writes nothing.
 *
 * An optional fourth argument {@code --log-std X} sets every log σ of the prior to X before the
 * meta-test (the adaptation then starts from, and is anchored at, that wider or narrower prior): it
 * measures how much the prior's exploration noise alone changes the adaptation gains.
 *
 * The command is in the comment below (and in docs/mujoco.md).
 */
// Run from the repository root after './metastream --help' has built the CLI (needs libmujoco-dev):
//   D=$(ls -d .metastream/dist/*/ | tail -1)
//   java -cp "${D}*:${D}lib/*" experiments/tools/MetaTestVersion.java configs/halfcheetah-vel-alg1.yaml \
//       experiments/halfcheetah-vel-alg1.ckpt 220 [--log-std -0.7]
public class MetaTestVersion {
    public static void main(String[] args) throws Exception {
        if (args.length != 3 && !(args.length == 5 && args[3].equals("--log-std"))) {
            System.err.println("usage: MetaTestVersion CONFIG CHECKPOINT VERSION [--log-std X]");
            System.exit(2);
        }
        Double logStd = args.length == 5 ? Double.valueOf(args[4]) : null;
        Path config = Path.of(args[0]);
        ContinuousExperimentFile cf = ContinuousExperimentFile.parse(Files.readString(config), config.toString(), List.of());
        run(cf.experiment(), cf.family(), ExperimentCheckpoint.read(Path.of(args[1])), Long.parseLong(args[2]),
                logStd);
    }

    private static <T> void run(ContinuousExperimentConfig exp, ContinuousTaskFamily<T> family,
                                ExperimentCheckpoint.Contents c, long version, Double logStd) {
        PolicyParams p = c.priors().stream().filter(x -> x.getVersion() == version).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("version " + version + " is not in the checkpoint"));
        double[] phi = doubles(p.getParams());
        int obsDim = family.obsDim();
        RunningMoments moments = p.getObservationCount() == 0 ? RunningMoments.empty(obsDim)
                : new RunningMoments(p.getObservationCount(), doubles(p.getObservationMean()), doubles(p.getObservationM2()));
        ContinuousBoMrl bomrl = new ContinuousBoMrl(exp, obsDim, family.actDim());
        String label = "v" + version;
        if (logStd != null) {
            int offset = phi.length - family.actDim();
            double before = Arrays.stream(phi, offset, phi.length).average().orElseThrow();
            Arrays.fill(phi, offset, phi.length, logStd);
            label += String.format(Locale.ROOT, " (log std %.3f -> %s)", before, logStd);
        }
        List<T> tasks = family.testTasks();
        long t0 = System.nanoTime();
        ContinuousMetaTest.Returns r = new ContinuousMetaTest<>(exp, family).evaluate(exp.method(), phi,
                bomrl.normalizer(moments), tasks, i -> System.err.printf(Locale.ROOT, "task %d/%d done, %.0f s%n",
                        i + 1, tasks.size(), (System.nanoTime() - t0) / 1e9));
        System.out.printf(Locale.ROOT, "%s %s deterministic %s%n", label, exp.method().label(), fmt(r.meanDeterministic()));
        System.out.printf(Locale.ROOT, "%s %s stochastic    %s%n", label, exp.method().label(), fmt(r.meanStochastic()));
    }

    private static String fmt(double[] xs) {
        return String.join(", ", Arrays.stream(xs).mapToObj(x -> String.format(Locale.ROOT, "%.6f", x)).toList());
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
