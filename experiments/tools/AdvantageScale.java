import io.metastream.core.continuous.ContinuousBatch;
import io.metastream.core.continuous.GaussianMlpPolicy;
import io.metastream.core.estimate.ContinuousRollouts;
import io.metastream.core.estimate.ContinuousTrajectory;
import io.metastream.core.estimate.MonteCarloAdvantages;
import io.metastream.core.estimate.ObservationNormalizer;
import io.metastream.core.estimate.RunningMoments;
import io.metastream.mujoco.task.VelocityFamily;
import io.metastream.mujoco.task.VelocityTask;
import io.metastream.schemas.PolicyParams;
import io.metastream.trainer.ExperimentCheckpoint;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The scale s (standard deviation) of BO-MRL's centred Monte-Carlo advantages on HalfCheetah-Vel: for
 * meta-prior versions of a checkpoint, 20 PRE rollouts (horizon 200 + continuation 100, gamma 0.995,
 * the prior's own observation normaliser, rollout seed 7) on five goals. With raw advantages the lower
 * level's lambda acts as lambda / s on unit-scale ones (docs/mujoco.md, standardize-advantages).
 * The command is in the comment below (and in docs/mujoco.md).
 */
// Run from the repository root after './metastream --help' has built the CLI (needs libmujoco-dev):
//   D=$(ls -d .metastream/dist/*/ | tail -1)
//   java -cp "${D}*:${D}lib/*" experiments/tools/AdvantageScale.java experiments/halfcheetah-vel-alg1.ckpt 0,50,100,220,350,500
public class AdvantageScale {
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: AdvantageScale CHECKPOINT VERSIONS (comma-separated, e.g. 0,100,500)");
            System.exit(2);
        }
        List<Long> versions = Arrays.stream(args[1].split(",")).map(String::trim).map(Long::parseLong).toList();
        ExperimentCheckpoint.Contents c = ExperimentCheckpoint.read(Path.of(args[0]));
        VelocityFamily family = VelocityFamily.halfCheetahVel();
        double[] goals = {0.1, 0.5, 1.0, 1.5, 1.9};
        for (PolicyParams p : c.priors()) {
            if (!versions.contains(p.getVersion())) {
                continue;
            }
            double[] theta = p.getParams().stream().mapToDouble(Double::doubleValue).toArray();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "v%-4d", p.getVersion()));
            for (double goal : goals) {
                var env = family.newEnvironment(new VelocityTask(goal), 300);
                int obsDim = env.observationSize();
                GaussianMlpPolicy policy = new GaussianMlpPolicy(obsDim, new int[] {128, 128}, env.actionSize());
                RunningMoments moments = p.getObservationCount() == 0 ? RunningMoments.empty(obsDim)
                        : new RunningMoments(p.getObservationCount(), doubles(p.getObservationMean()),
                        doubles(p.getObservationM2()));
                ObservationNormalizer normalizer = ObservationNormalizer.of(moments);
                List<ContinuousTrajectory> episodes = new ContinuousRollouts(policy, 200, 100, 0.995)
                        .collect(env, theta, normalizer, 7, 0, 20, ContinuousRollouts.Mode.STOCHASTIC);
                ContinuousBatch batch = MonteCarloAdvantages.batch(episodes, normalizer, 0.995);
                double sq = 0;
                for (double a : batch.advantages()) {
                    sq += a * a;
                }
                line.append(String.format(Locale.ROOT, "  goal %.1f: s %5.1f", goal, Math.sqrt(sq / batch.n())));
            }
            System.out.println(line);
        }
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
