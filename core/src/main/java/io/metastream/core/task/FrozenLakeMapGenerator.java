package io.metastream.core.task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws fresh Frozen Lake maps the way the published families were drawn (EXPERIMENTS.md):
 * every tile is frozen with probability {@code pFrozen} (0.8), the top-left triangle
 * {row + col ≤ 2} is forced frozen, 'S' is (0,0) and 'G' the opposite corner, and a map is kept
 * only if 'G' can be reached from 'S' through non-'H' tiles.
 */
public final class FrozenLakeMapGenerator {

    private final int size;
    private final double pFrozen;

    public FrozenLakeMapGenerator(int size, double pFrozen) {
        if (size < 2) {
            throw new IllegalArgumentException("map size must be at least 2, got " + size);
        }
        if (!(pFrozen > 0 && pFrozen <= 1)) {
            throw new IllegalArgumentException("pFrozen must be in (0, 1], got " + pFrozen);
        }
        this.size = size;
        this.pFrozen = pFrozen;
    }

    /** The published setting: 4×4, p = 0.8. */
    public static FrozenLakeMapGenerator standard() {
        return new FrozenLakeMapGenerator(4, 0.8);
    }

    /** Draws one layout (rejection sampling until a path to G exists). */
    public String draw(RandomGenerator rng) {
        while (true) {
            StringBuilder sb = new StringBuilder();
            for (int row = 0; row < size; row++) {
                if (row > 0) {
                    sb.append('/');
                }
                for (int col = 0; col < size; col++) {
                    boolean start = row == 0 && col == 0;
                    boolean goal = row == size - 1 && col == size - 1;
                    boolean forced = row + col <= 2;
                    double u = rng.nextDouble();
                    sb.append(start ? 'S' : goal ? 'G' : (forced || u < pFrozen) ? 'F' : 'H');
                }
            }
            String layout = sb.toString();
            if (goalReachable(layout)) {
                return layout;
            }
        }
    }

    /** A family of {@code n} drawn maps. */
    public FrozenLakeFamily family(String name, int n, FrozenLakeVariance variance, RandomGenerator rng) {
        List<FrozenLakeMap> maps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            maps.add(new FrozenLakeMap(draw(rng), variance));
        }
        return new FrozenLakeFamily(name, maps);
    }

    /** Breadth-first search from S to G over non-'H' tiles. */
    static boolean goalReachable(String layout) {
        String[] rows = layout.split("/");
        int n = rows.length;
        boolean[] seen = new boolean[n * n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        seen[0] = true;
        int[][] moves = {{0, -1}, {1, 0}, {0, 1}, {-1, 0}};
        while (!queue.isEmpty()) {
            int s = queue.poll();
            if (s == n * n - 1) {
                return true;
            }
            for (int[] m : moves) {
                int r = s / n + m[0];
                int c = s % n + m[1];
                if (r >= 0 && r < n && c >= 0 && c < n && !seen[r * n + c] && rows[r].charAt(c) != 'H') {
                    seen[r * n + c] = true;
                    queue.add(r * n + c);
                }
            }
        }
        return false;
    }
}
