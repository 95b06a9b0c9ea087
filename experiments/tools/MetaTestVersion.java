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
 * The command is in the comment below (and in docs/mujoco.md).
 */
// Run from the repository root after './metastream --help' has built the CLI (needs libmujoco-dev):
//   D=$(ls -d .metastream/dist/*/ | tail -1)
//   java -cp "${D}*:${D}lib/*" experiments/tools/MetaTestVersion.java configs/halfcheetah-vel-alg1.yaml \
//       experiments/halfcheetah-vel-alg1.ckpt 220
public class MetaTestVersion {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: MetaTestVersion CONFIG CHECKPOINT VERSION");
            System.exit(2);
        }
        Path config = Path.of(args[0]);
        ContinuousExperimentFile cf = ContinuousExperimentFile.parse(Files.readString(config), config.toString(), List.of());
        run(cf.experiment(), cf.family(), ExperimentCheckpoint.read(Path.of(args[1])), Long.parseLong(args[2]));
    }

    private static <T> void run(ContinuousExperimentConfig exp, ContinuousTaskFamily<T> family,
                                ExperimentCheckpoint.Contents c, long version) {
        PolicyParams p = c.priors().stream().filter(x -> x.getVersion() == version).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("version " + version + " is not in the checkpoint"));
        double[] phi = doubles(p.getParams());
        int obsDim = family.obsDim();
        RunningMoments moments = p.getObservationCount() == 0 ? RunningMoments.empty(obsDim)
                : new RunningMoments(p.getObservationCount(), doubles(p.getObservationMean()), doubles(p.getObservationM2()));
        ContinuousBoMrl bomrl = new ContinuousBoMrl(exp, obsDim, family.actDim());
        List<T> tasks = family.testTasks();
        long t0 = System.nanoTime();
        ContinuousMetaTest.Returns r = new ContinuousMetaTest<>(exp, family).evaluate(exp.method(), phi,
                bomrl.normalizer(moments), tasks, i -> System.err.printf(Locale.ROOT, "task %d/%d done, %.0f s%n",
                        i + 1, tasks.size(), (System.nanoTime() - t0) / 1e9));
        System.out.printf(Locale.ROOT, "v%d %s deterministic %s%n", version, exp.method().label(), fmt(r.meanDeterministic()));
        System.out.printf(Locale.ROOT, "v%d %s stochastic    %s%n", version, exp.method().label(), fmt(r.meanStochastic()));
    }

    private static String fmt(double[] xs) {
        return String.join(", ", Arrays.stream(xs).mapToObj(x -> String.format(Locale.ROOT, "%.6f", x)).toList());
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
