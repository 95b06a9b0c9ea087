package io.metastream.core.estimate;

import io.metastream.core.env.StepResult;
import io.metastream.core.policy.TabularSoftmaxPolicy;
import io.metastream.core.random.Seeds;
import io.metastream.core.task.TaskEnvironment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rolls out a tabular policy. Episode {@code e} of a collection with seed {@code seed} draws
 * its actions from {@code Seeds.rng(seed, e)} and resets the environment with
 * {@code Seeds.derive(seed, e)}, so any subset of episodes can be produced anywhere (a worker,
 * a replay) with identical results.
 */
public final class TabularRollouts {

    private TabularRollouts() {
    }

    /** One episode of index {@code episode}. */
    public static TabularTrajectory episode(TaskEnvironment<?, Integer, Integer> env, TabularSoftmaxPolicy policy,
                                            long seed, int episode) {
        SplittableRandom rng = Seeds.rng(seed, episode);
        int s = env.reset(Seeds.derive(seed, episode));
        List<Integer> states = new ArrayList<>();
        List<Integer> actions = new ArrayList<>();
        List<Double> rewards = new ArrayList<>();
        states.add(s);
        while (true) {
            int a = policy.sample(s, rng);
            StepResult<Integer> step = env.step(a);
            actions.add(a);
            rewards.add(step.reward());
            s = step.observation();
            states.add(s);
            if (step.done()) {
                break;
            }
        }
        return new TabularTrajectory(episode,
                states.stream().mapToInt(Integer::intValue).toArray(),
                actions.stream().mapToInt(Integer::intValue).toArray(),
                rewards.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Episodes {@code start .. start+count-1}, in order. */
    public static List<TabularTrajectory> collect(TaskEnvironment<?, Integer, Integer> env, TabularSoftmaxPolicy policy,
                                                  long seed, int start, int count) {
        List<TabularTrajectory> out = new ArrayList<>(count);
        for (int e = start; e < start + count; e++) {
            out.add(episode(env, policy, seed, e));
        }
        return out;
    }
}
