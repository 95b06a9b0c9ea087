package io.metastream.core.adapt;

/** Alg(3)'s proximity: D_s = ‖θ_s − φ_s‖²; ∇_θ D = 2(θ − φ), ∇²_θθ D = 2I, ∂(∇_θ D)/∂φ = −2I. */
final class Euclidean implements Proximity {

    @Override
    public double value(double[] theta, double[] phi, double[] pt, double[] pp) {
        double d = 0;
        for (int a = 0; a < theta.length; a++) {
            d += (theta[a] - phi[a]) * (theta[a] - phi[a]);
        }
        return d;
    }

    @Override
    public void gradTheta(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        for (int b = 0; b < theta.length; b++) {
            out[b] = 2 * (theta[b] - phi[b]);
        }
    }

    @Override
    public void gradPhi(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        for (int b = 0; b < theta.length; b++) {
            out[b] = -2 * (theta[b] - phi[b]);
        }
    }

    @Override
    public void hessThetaTheta(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        int n = theta.length;
        java.util.Arrays.fill(out, 0);
        for (int b = 0; b < n; b++) {
            out[b * n + b] = 2;
        }
    }

    @Override
    public void hessThetaPhi(double[] theta, double[] phi, double[] pt, double[] pp, double[] out) {
        hessThetaTheta(theta, phi, pt, pp, out);
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i];
        }
    }

    @Override
    public boolean shiftInvariant() {
        return false;
    }
}
