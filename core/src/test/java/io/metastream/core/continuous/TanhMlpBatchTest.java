package io.metastream.core.continuous;

import io.metastream.core.Numerics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The block passes of {@link TanhMlpBatch} and {@link TanhMlpSecondOrder} against the per-row passes of
 * {@link TanhMlp} (and a per-row forward-over-reverse reference written out here), for several block
 * sizes and batch sizes that are not multiples of them: equal up to rounding (1e-12 relative).
 */
class TanhMlpBatchTest {

    private static final double TOLERANCE = 1e-12;

    /** 5 → 9 → 7 → 3: the first layer widens (its weight gradient is accumulated transposed), the others narrow. */
    private static final int[] SMALL = {5, 9, 7, 3};
    /** The benchmark's mean network. */
    private static final int[] MUJOCO = {17, 128, 128, 6};

    @ParameterizedTest(name = "n = {0}, block = {1}")
    @CsvSource({"1, 1", "13, 1", "13, 4", "13, 64", "150, 7", "150, 64", "128, 64"})
    void blockPassesMatchPerRowPassesOnTheSmallNetwork(int n, int block) {
        checkAgainstPerRow(SMALL, n, block, 21);
    }

    @Test
    void blockPassesMatchPerRowPassesOnTheMujocoNetwork() {
        checkAgainstPerRow(MUJOCO, 100, TanhMlpBatch.DEFAULT_BLOCK_ROWS, 22);
    }

    @Test
    void gradientBuffersAccumulateUntilFlushedAndThenStartFromZero() {
        TanhMlp mlp = new TanhMlp(SMALL);
        SplittableRandom rng = new SplittableRandom(23);
        double[] theta = uniform(mlp.parameterCount(), 0.6, rng);
        double[] x = uniform(10 * SMALL[0], 1.5, rng);
        TanhMlpBatch net = new TanhMlpBatch(mlp, 10);
        net.forward(theta, x, 0, 10);
        fill(net.delta(mlp.layers()), 10, rng);
        net.backward(theta);
        double[] once = new double[mlp.parameterCount()];
        net.flushGradient(once);
        double[] again = new double[mlp.parameterCount()];
        net.flushGradient(again);
        assertThat(again).containsOnly(0.0);
        net.backward(theta);
        net.backward(theta);
        double[] twice = new double[mlp.parameterCount()];
        net.flushGradient(twice);
        double[] doubled = once.clone();
        for (int k = 0; k < once.length; k++) {
            doubled[k] *= 2;
        }
        assertThat(Numerics.relativeError(twice, doubled)).isLessThanOrEqualTo(1e-15);
        net.backward(theta);
        net.clearGradient();
        net.flushGradient(again);
        assertThat(again).containsOnly(0.0);
    }

    @Test
    void blocksMustHaveBetweenOneAndBlockRowsRows() {
        TanhMlp mlp = new TanhMlp(SMALL);
        TanhMlpBatch net = new TanhMlpBatch(mlp, 8);
        double[] theta = new double[mlp.parameterCount()];
        double[] x = new double[20 * SMALL[0]];
        assertThatThrownBy(() -> net.forward(theta, x, 0, 9)).hasMessageContaining("1..8").hasMessageContaining("9");
        assertThatThrownBy(() -> net.forward(theta, x, 0, 0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> new TanhMlpBatch(mlp, 0)).hasMessageContaining("blockRows");
    }

    private static void checkAgainstPerRow(int[] sizes, int n, int block, long seed) {
        TanhMlp mlp = new TanhMlp(sizes);
        int layers = mlp.layers();
        int in = sizes[0];
        int out = sizes[layers];
        int p = mlp.parameterCount();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = uniform(p, 1.5 / Math.sqrt(java.util.Arrays.stream(sizes).max().getAsInt()), rng);
        double[] v = uniform(p, 1.0, rng);
        double[] x = uniform(n * in, 1.5, rng);
        double[] dOut = uniform(n * out, 1.0, rng);
        double[] dOutDot = uniform(n * out, 1.0, rng);

        // per-row references
        double[] outRef = new double[n * out];
        double[] jvpRef = new double[n * out];
        double[] gradRef = new double[p];
        double[] gradDotRef = new double[p];
        double[] d = new double[out];
        double[] dd = new double[out];
        for (int i = 0; i < n; i++) {
            System.arraycopy(mlp.forward(theta, x, i * in), 0, outRef, i * out, out);
            System.arraycopy(dOut, i * out, d, 0, out);
            System.arraycopy(dOutDot, i * out, dd, 0, out);
            mlp.backward(theta, d, gradRef);
            System.arraycopy(mlp.jvp(theta, v), 0, jvpRef, i * out, out);
            perRowBackwardTangent(mlp, theta, v, d, dd, gradDotRef);
        }

        // block passes
        TanhMlpBatch net = new TanhMlpBatch(mlp, block);
        TanhMlpSecondOrder second = new TanhMlpSecondOrder(net);
        double[] outBatch = new double[n * out];
        double[] jvpBatch = new double[n * out];
        double[] grad = new double[p];
        double[] gradDot = new double[p];
        int blocks = 0;
        for (int start = 0; start < n; start += block) {
            int rows = Math.min(block, n - start);
            blocks++;
            double[][] y = net.forward(theta, x, start, rows);
            assertThat(net.rows()).isEqualTo(rows);
            setBlock(net.delta(layers), dOut, start, rows, out);
            net.backward(theta);
            double[][] t = net.jvp(theta, v);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    outBatch[(start + r) * out + j] = y[j][r];
                    jvpBatch[(start + r) * out + j] = t[j][r];
                }
            }
        }
        net.flushGradient(grad);
        for (int start = 0; start < n; start += block) {
            int rows = Math.min(block, n - start);
            net.forward(theta, x, start, rows);
            net.jvp(theta, v);
            setBlock(net.delta(layers), dOut, start, rows, out);
            setBlock(second.deltaDot(layers), dOutDot, start, rows, out);
            second.backwardTangent(theta, v);
        }
        net.flushGradient(gradDot);

        double errOut = Numerics.relativeError(outBatch, outRef);
        double errJvp = Numerics.relativeError(jvpBatch, jvpRef);
        double errGrad = Numerics.relativeError(grad, gradRef);
        double errGradDot = Numerics.relativeError(gradDot, gradDotRef);
        System.out.printf("sizes %s, n %d in %d blocks of %d: forward %.1e, jvp %.1e, backward %.1e, backwardTangent %.1e%n",
                java.util.Arrays.toString(sizes), n, blocks, block, errOut, errJvp, errGrad, errGradDot);
        assertThat(errOut).isLessThanOrEqualTo(TOLERANCE);
        assertThat(errJvp).isLessThanOrEqualTo(TOLERANCE);
        assertThat(errGrad).isLessThanOrEqualTo(TOLERANCE);
        assertThat(errGradDot).isLessThanOrEqualTo(TOLERANCE);
        assertThat(grad).isNotEqualTo(new double[p]);
    }

    /**
     * The forward-over-reverse product of one row, written out per element: with the row's activations
     * a_l and tangents ȧ_l (the mlp's last forward and jvp), adds d/dε [J(θ + εv)ᵀ dOut(ε)] to gradDot.
     */
    private static void perRowBackwardTangent(TanhMlp mlp, double[] theta, double[] v, double[] dOut, double[] dOutDot,
                                              double[] gradDot) {
        int layers = mlp.layers();
        double[] delta = dOut.clone();
        double[] deltaDot = dOutDot.clone();
        for (int l = layers - 1; l >= 0; l--) {
            double[] a = mlp.activation(l);
            double[] aDot = mlp.tangentActivation(l);
            int nIn = mlp.size(l);
            int w = mlp.weightOffset(l);
            int b = mlp.biasOffset(l);
            for (int o = 0; o < delta.length; o++) {
                gradDot[b + o] += deltaDot[o];
                for (int i = 0; i < nIn; i++) {
                    gradDot[w + o * nIn + i] += deltaDot[o] * a[i] + delta[o] * aDot[i];
                }
            }
            if (l > 0) {
                double[] g = new double[nIn];
                double[] gDot = new double[nIn];
                for (int o = 0; o < delta.length; o++) {
                    for (int i = 0; i < nIn; i++) {
                        g[i] += theta[w + o * nIn + i] * delta[o];
                        gDot[i] += v[w + o * nIn + i] * delta[o] + theta[w + o * nIn + i] * deltaDot[o];
                    }
                }
                for (int i = 0; i < nIn; i++) {
                    gDot[i] = gDot[i] * (1 - a[i] * a[i]) - g[i] * 2 * a[i] * aDot[i];
                    g[i] *= 1 - a[i] * a[i];
                }
                delta = g;
                deltaDot = gDot;
            }
        }
    }

    private static void setBlock(double[][] block, double[] rowMajor, int start, int rows, int width) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                block[j][r] = rowMajor[(start + r) * width + j];
            }
        }
    }

    private static void fill(double[][] block, int rows, SplittableRandom rng) {
        for (double[] unit : block) {
            for (int r = 0; r < rows; r++) {
                unit[r] = 2 * rng.nextDouble() - 1;
            }
        }
    }

    private static double[] uniform(int n, double scale, SplittableRandom rng) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * (2 * rng.nextDouble() - 1);
        }
        return a;
    }
}
