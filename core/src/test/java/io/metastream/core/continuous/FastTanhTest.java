package io.metastream.core.continuous;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FastTanhTest {

    private static final MathContext MC = new MathContext(40);

    /**
     * Against tanh x = S / (S + 2), S = e^{2x} − 1 summed as a 40-digit series (no cancellation): within
     * 1.5 ulp everywhere sampled, across both branches and the switch at 0.55.
     */
    @Test
    void isWithinOneAndAHalfUlpOfAHighPrecisionReference() {
        SplittableRandom rng = new SplittableRandom(31);
        double worst = 0;
        double worstAt = 0;
        int count = 0;
        for (int i = 0; i < 3000; i++) {
            double x = switch (i % 4) {
                case 0 -> rng.nextDouble(0, 0.6);
                case 1 -> rng.nextDouble(0.5, 1.2);
                case 2 -> rng.nextDouble(0, 8);
                default -> Math.scalb(rng.nextDouble(1, 2), -rng.nextInt(1, 40));
            };
            x = (i & 1) == 0 ? x : -x;
            BigDecimal exact = reference(x);
            double ulps = Math.abs(new BigDecimal(FastTanh.tanh(x)).subtract(exact).doubleValue())
                    / Math.ulp(exact.doubleValue());
            if (ulps > worst) {
                worst = ulps;
                worstAt = x;
            }
            count++;
        }
        System.out.printf("FastTanh vs 40-digit reference on %d points: worst %.2f ulp at %s%n", count, worst, worstAt);
        assertThat(worst).isLessThanOrEqualTo(1.5);
    }

    @Test
    void agreesWithStrictMathWithinTheMathContractOfTwoAndAHalfUlp() {
        SplittableRandom rng = new SplittableRandom(32);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = rng.nextGaussian() * (i % 2 == 0 ? 0.7 : 5);
            double expected = StrictMath.tanh(x);
            worst = Math.max(worst, Math.abs(FastTanh.tanh(x) - expected) / Math.ulp(expected));
        }
        System.out.printf("FastTanh vs StrictMath.tanh on 2e5 points: worst %.1f ulp%n", worst);
        assertThat(worst).isLessThanOrEqualTo(2.5);
    }

    @Test
    void isOddAndHandlesSpecialValues() {
        SplittableRandom rng = new SplittableRandom(33);
        for (int i = 0; i < 10_000; i++) {
            double x = rng.nextGaussian() * 3;
            assertThat(FastTanh.tanh(-x)).isEqualTo(-FastTanh.tanh(x));
        }
        assertThat(Double.doubleToRawLongBits(FastTanh.tanh(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits(FastTanh.tanh(0.0))).isEqualTo(0L);
        assertThat(FastTanh.tanh(Double.NaN)).isNaN();
        assertThat(FastTanh.tanh(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(FastTanh.tanh(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(FastTanh.tanh(-1e300)).isEqualTo(-1.0);
        assertThat(FastTanh.tanh(22)).isEqualTo(1.0).isEqualTo(StrictMath.tanh(22));
        assertThat(FastTanh.tanh(Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
        assertThat(FastTanh.tanh(1e-200)).isEqualTo(1e-200);
    }

    /**
     * Every element of {@link FastTanh#tanhInPlace} (vector lanes and the scalar tail, at every offset and
     * length) has the bits of {@link FastTanh#tanh}: a value does not depend on which path or vector width
     * computed it, so the actor's single-row and block passes agree.
     */
    @Test
    void arrayFormEqualsTheScalarFormBitForBit() {
        assertThat(BlockKernels.VECTOR).as("tests run with --add-modules jdk.incubator.vector").isTrue();
        SplittableRandom rng = new SplittableRandom(34);
        double[] specials = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 22, -22, 21.999,
            0.55, -0.55, Math.nextDown(0.55), 0x1p-28, -0x1p-28, Math.nextDown(0x1p-28), Double.MIN_VALUE, -Double.MIN_VALUE,
            Double.MAX_VALUE, 1e-300, 709, 0.3465, 1e-10};
        for (int trial = 0; trial < 2000; trial++) {
            int n = rng.nextInt(0, 40);
            int from = rng.nextInt(0, 5);
            double[] a = new double[from + n + 3];
            for (int i = 0; i < a.length; i++) {
                a[i] = switch (rng.nextInt(4)) {
                    case 0 -> specials[rng.nextInt(specials.length)];
                    case 1 -> rng.nextGaussian() * 0.5;
                    case 2 -> rng.nextGaussian() * 6;
                    default -> Math.scalb(rng.nextDouble(-2, 2), -rng.nextInt(0, 60));
                };
            }
            double[] expected = a.clone();
            for (int i = from; i < from + n; i++) {
                expected[i] = FastTanh.tanh(a[i]);
            }
            FastTanh.tanhInPlace(a, from, from + n);
            for (int i = 0; i < a.length; i++) {
                assertThat(Double.doubleToRawLongBits(a[i])).as("element %d of trial %d", i, trial)
                        .isEqualTo(Double.doubleToRawLongBits(expected[i]));
            }
        }
    }

    private static BigDecimal reference(double x) {
        BigDecimal y = new BigDecimal(2 * x);
        BigDecimal term = y;
        BigDecimal s = BigDecimal.ZERO;
        for (int k = 2; term.abs().compareTo(BigDecimal.ONE.movePointLeft(60)) > 0 || k < 4; k++) {
            s = s.add(term, MC);
            term = term.multiply(y, MC).divide(BigDecimal.valueOf(k), MC);
        }
        return s.divide(s.add(BigDecimal.valueOf(2), MC), MC);
    }
}
