package io.metastream.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A finite family of Frozen Lake maps, uniform over its members; training tasks are drawn
 * without replacement and the meta-test uses every member (EXPERIMENTS.md).
 */
public record FrozenLakeFamily(String name, List<FrozenLakeMap> tasks) implements TaskFamily<FrozenLakeMap> {

    /** The 10 published high-task-variance maps (holes change the dynamics). */
    public static final List<String> HIGH_VARIANCE_MAPS = List.of(
            "SFFF/FFFF/FFFF/FFFG", "SFFF/FFFF/FFFF/FFFG", "SFFF/FFFF/FFFH/FHFG", "SFFH/FFFF/FFHF/FFHG",
            "SFFF/FFFF/FFFF/FHFG", "SFFF/FFFF/FFHH/FFFG", "SFFF/FFFF/FHHF/FFFG", "SFFF/FFFF/FFFF/FFFG",
            "SFFH/FFFF/FFFF/FFFG", "SFFF/FFFH/FFFF/FFFG");

    /** The 20 published low-task-variance reward maps ('H' = −0.5 tile, no holes). */
    public static final List<String> LOW_VARIANCE_MAPS = List.of(
            "SFFH/FFFH/FFFF/FHFG", "SFFF/HFFF/FFFF/FFFG", "SFFF/FFFF/FHHF/FHHG", "SFFF/FFHF/HFFF/FFHG",
            "SFFF/FFFH/FFHF/FFFG", "SFFF/HFFF/FFFF/FFFG", "SFFF/FFFF/FHHF/FFFG", "SFFF/FFFF/FFFF/HFFG",
            "SFHF/FFFF/FFHF/FFFG", "SFFH/FFFF/FHFF/FFHG", "SHHF/FFFH/FFFF/FHFG", "SHFF/FFFF/FFFF/FFFG",
            "SFFF/FFFF/FFFF/HHFG", "SFFH/FFFF/FFHF/HFFG", "SHHF/FFFF/FFFF/HFFG", "SFFF/FFFF/FFFF/FFHG",
            "SFFF/FFFF/FFFH/HFFG", "SFFF/FFFF/FFFF/FFFG", "SFFF/FFFF/FFHF/FFHG", "SFFF/FFFF/FFFF/FFFG");

    public FrozenLakeFamily {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a task family needs at least one task");
        }
        tasks = List.copyOf(tasks);
    }

    /** The published high-variance family, named {@code frozenlake-high}. */
    public static FrozenLakeFamily highVariance() {
        return of("frozenlake-high", HIGH_VARIANCE_MAPS, FrozenLakeVariance.HIGH);
    }

    /** The published low-variance family, named {@code frozenlake-low}. */
    public static FrozenLakeFamily lowVariance() {
        return of("frozenlake-low", LOW_VARIANCE_MAPS, FrozenLakeVariance.LOW);
    }

    /** Resolves {@code frozenlake-high} or {@code frozenlake-low}. */
    public static FrozenLakeFamily byName(String name) {
        return switch (name) {
            case "frozenlake-high" -> highVariance();
            case "frozenlake-low" -> lowVariance();
            default -> throw new IllegalArgumentException("unknown Frozen Lake family '" + name
                    + "' (expected frozenlake-high or frozenlake-low)");
        };
    }

    private static FrozenLakeFamily of(String name, List<String> layouts, FrozenLakeVariance variance) {
        return new FrozenLakeFamily(name, layouts.stream().map(l -> new FrozenLakeMap(l, variance)).toList());
    }

    @Override
    public List<FrozenLakeMap> sampleTasks(int n, RandomGenerator rng) {
        return sampleIndices(n, rng).stream().map(tasks::get).toList();
    }

    /** The indices behind {@link #sampleTasks}: a partial Fisher–Yates shuffle using {@code rng} only. */
    public List<Integer> sampleIndices(int n, RandomGenerator rng) {
        if (n < 0 || n > tasks.size()) {
            throw new IllegalArgumentException("cannot draw " + n + " tasks without replacement from " + tasks.size());
        }
        int[] idx = new int[tasks.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
            out.add(idx[i]);
        }
        return out;
    }

    @Override
    public List<FrozenLakeMap> testTasks() {
        return tasks;
    }
}
