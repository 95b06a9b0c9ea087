package io.metastream.core.task;

import io.metastream.core.exact.TabularMdp;

/**
 * One Frozen Lake task: a square map such as {@code SFFF/FFFF/FFHH/FFFG} and its variance type.
 *
 * <p>Deterministic moves (LEFT 0, DOWN 1, RIGHT 2, UP 3; bumping a wall stays put), start at the
 * 'S' tile (0,0), state = size·row + col. The reward is that of the tile of the <em>new</em>
 * state, on every step: +1 on 'G', {@link FrozenLakeVariance#hazardReward()} on 'H'. 'G' and,
 * for {@link FrozenLakeVariance#HIGH}, 'H' are absorbing. Episodes never terminate; they are
 * truncated after {@link #HORIZON} steps. Discount {@link #GAMMA}.
 */
public record FrozenLakeMap(String layout, FrozenLakeVariance variance) {

    public static final int N_ACTIONS = 4;
    public static final int LEFT = 0;
    public static final int DOWN = 1;
    public static final int RIGHT = 2;
    public static final int UP = 3;
    public static final int HORIZON = 49;
    public static final double GAMMA = 0.8;

    public FrozenLakeMap {
        String[] rows = layout.split("/");
        int n = rows.length;
        for (String row : rows) {
            if (row.length() != n || !row.matches("[SFHG]+")) {
                throw new IllegalArgumentException("Frozen Lake map must be a square of S/F/H/G rows separated by '/', got '"
                        + layout + "'");
            }
        }
        if (rows[0].charAt(0) != 'S' || rows[n - 1].charAt(n - 1) != 'G') {
            throw new IllegalArgumentException("Frozen Lake map must start with S and end with G, got '" + layout + "'");
        }
    }

    /** Parses {@code "high:SFFF/..."} or {@code "low:SFFF/..."} (the inverse of {@link #toString()}). */
    public static FrozenLakeMap parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Frozen Lake task spec must be 'high:MAP' or 'low:MAP', got '" + spec + "'");
        }
        FrozenLakeVariance v = switch (spec.substring(0, colon)) {
            case "high" -> FrozenLakeVariance.HIGH;
            case "low" -> FrozenLakeVariance.LOW;
            default -> throw new IllegalArgumentException("unknown Frozen Lake variance '" + spec.substring(0, colon)
                    + "' (expected high or low)");
        };
        return new FrozenLakeMap(spec.substring(colon + 1), v);
    }

    /** Side length of the square grid. */
    public int size() {
        return layout.indexOf('/') < 0 ? layout.length() : layout.indexOf('/');
    }

    public int nStates() {
        return size() * size();
    }

    /** The tile letter of state {@code s}. */
    public char tile(int s) {
        int n = size();
        return layout.charAt((s / n) * (n + 1) + s % n);
    }

    /** Whether the agent can never leave {@code s}. */
    public boolean absorbing(int s) {
        char t = tile(s);
        return t == 'G' || (t == 'H' && variance.hazardAbsorbing());
    }

    /** The deterministic successor of (s, a). */
    public int next(int s, int a) {
        if (absorbing(s)) {
            return s;
        }
        int n = size();
        int row = s / n;
        int col = s % n;
        switch (a) {
            case LEFT -> col = Math.max(col - 1, 0);
            case DOWN -> row = Math.min(row + 1, n - 1);
            case RIGHT -> col = Math.min(col + 1, n - 1);
            case UP -> row = Math.max(row - 1, 0);
            default -> throw new IllegalArgumentException("Frozen Lake action must be 0..3, got " + a);
        }
        return row * n + col;
    }

    /** The reward for arriving in {@code sNext}. */
    public double rewardOn(int sNext) {
        return switch (tile(sNext)) {
            case 'G' -> 1.0;
            case 'H' -> variance.hazardReward();
            default -> 0.0;
        };
    }

    /** The exact MDP of this task for dynamic programming. */
    public TabularMdp toMdp() {
        int nS = nStates();
        double[] p = new double[nS * N_ACTIONS * nS];
        double[] r = new double[nS * N_ACTIONS];
        for (int s = 0; s < nS; s++) {
            for (int a = 0; a < N_ACTIONS; a++) {
                int s2 = next(s, a);
                p[(s * N_ACTIONS + a) * nS + s2] = 1.0;
                r[s * N_ACTIONS + a] = rewardOn(s2);
            }
        }
        double[] rho = new double[nS];
        rho[0] = 1.0;
        return new TabularMdp(nS, N_ACTIONS, p, r, rho, GAMMA, HORIZON);
    }

    /** {@code high:MAP} or {@code low:MAP}; parsed back by {@link #parse(String)}. */
    @Override
    public String toString() {
        return variance.name().toLowerCase() + ":" + layout;
    }
}
