package io.metastream.core.continuous;

/**
 * tanh for every network pass (numerics 2): plain arithmetic that the Vector API can run on a whole array
 * ({@link #tanhInPlace}), and whose scalar form ({@link #tanh}) performs, per element, exactly the operations
 * of one vector lane, so a value is bit-identical whichever path computed it and whatever the vector width
 * (tested). On JDK 17 {@link Math#tanh} is a JNI call into fdlibm (≈ 22 ns); numerics 1 used it for single
 * rows and a branchy scalar form with {@link Math#exp} (≈ 6.5 ns) for blocks. Accuracy (FastTanhTest, against
 * a 40-digit reference): within 1.5 ulp everywhere sampled.
 *
 * <pre>
 *   |x| &lt; 2⁻²⁸:  tanh x = x (correctly rounded; keeps −0)
 *   |x| &lt; 0.55:  tanh x = x − x · f,  f = y (675675 + 45045 y + 594 y² + y³) / (2027025 + 945945 y + 51975 y² + 630 y³ + y⁴),  y = x²
 *                (the [7/8] convergent of Lambert's continued fraction, truncation error ≤ 8.4e-19 relative there;
 *                x minus a correction of relative size ≤ y/3, one fused multiply-add)
 *   otherwise:   tanh x = sign(x) (1 − 2 / (E + 1)),  E = e^{2 min(|x|, 22)}  (1 − tanh 22 &lt; 2⁻⁶²; NaN stays NaN)
 *   e^t:         t = k ln 2 + r, k = round(t / ln 2) by the 1.5·2⁵² shifter, r in two fused steps (fdlibm's split
 *                of ln 2), e^r by its Taylor polynomial of degree 13 (|r| ≤ ln 2 / 2: truncation ≤ 4e-18), 2^k from
 *                the exponent bits
 * </pre>
 * Both branches are computed for every element and one division serves both (the vector form selects lanes
 * instead of branching).
 */
final class FastTanh {

    /** Below this tanh x rounds to x (x²/3 &lt; 2⁻⁵⁶); also keeps the sign of −0. */
    static final double IDENTITY_LIMIT = 0x1p-28;
    static final double SERIES_LIMIT = 0.55;
    static final double SATURATION = 22;
    static final double LOG2E = 0x1.71547652b82fep0;
    /** 1.5 · 2⁵²: t·log₂e + SHIFTER rounds t·log₂e to an integer k held in the low mantissa bits. */
    static final double SHIFTER = 0x1.8p52;
    static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** fdlibm's ln 2 split: LN2_HI has 32 trailing zero bits, so k · LN2_HI is exact for |k| &lt; 2²⁰. */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1/k! for k = 13, 12, …, 2 (Horner order; the last two coefficients, 1/1! and 1/0!, are 1). */
    static final double[] EXP_COEFFICIENTS = expCoefficients();
    static final double P3 = 594;
    static final double P2 = 45045;
    static final double P1 = 675675;
    static final double Q4 = 630;
    static final double Q3 = 51975;
    static final double Q2 = 945945;
    static final double Q1 = 2027025;

    private FastTanh() {
    }

    /** tanh x, bit-identical to the lane of {@link #tanhInPlace} that holds x. */
    static double tanh(double x) {
        double ax = Math.abs(x);
        double y = x * x;
        double num = y * Math.fma(y, Math.fma(y, y + P3, P2), P1);
        double den = Math.fma(y, Math.fma(y, Math.fma(y, y + Q4, Q3), Q2), Q1);
        double t = 2 * (ax > SATURATION ? SATURATION : ax);
        double n = Math.fma(t, LOG2E, SHIFTER);
        double kd = n - SHIFTER;
        double r = Math.fma(-kd, LN2_HI, t);
        r = Math.fma(-kd, LN2_LO, r);
        double e = EXP_COEFFICIENTS[0];
        for (int i = 1; i < EXP_COEFFICIENTS.length; i++) {
            e = Math.fma(r, e, EXP_COEFFICIENTS[i]);
        }
        e = Math.fma(r, e, 1);
        e = Math.fma(r, e, 1);
        double big = e * Double.longBitsToDouble((Double.doubleToRawLongBits(n) - SHIFTER_BITS + 1023) << 52);
        boolean small = ax < SERIES_LIMIT;
        double f = (small ? num : 2) / (small ? den : big + 1);
        double out = small ? Math.fma(-x, f, x) : Math.copySign(1 - f, x);
        if (ax < IDENTITY_LIMIT || x != x) {
            return x;
        }
        return out;
    }

    /** a[from..to) = tanh(a[from..to)), with the Vector API when the module is present ({@link BlockKernels#VECTOR}). */
    static void tanhInPlace(double[] a, int from, int to) {
        if (BlockKernels.VECTOR) {
            VectorKernels.tanhInPlace(a, from, to);
        } else {
            for (int i = from; i < to; i++) {
                a[i] = tanh(a[i]);
            }
        }
    }

    private static double[] expCoefficients() {
        double[] c = new double[12];
        for (int k = 13; k >= 2; k--) {
            double f = 1;
            for (int i = 2; i <= k; i++) {
                f *= i;
            }
            c[13 - k] = 1 / f;
        }
        return c;
    }
}
