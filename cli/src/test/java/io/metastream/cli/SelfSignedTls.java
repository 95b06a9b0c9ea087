package io.metastream.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away TLS identity for a broker on 127.0.0.1, made with the JDK's own {@code keytool}:
 * a PKCS12 keystore holding a self-signed RSA key pair whose certificate names {@code IP:127.0.0.1}
 * and {@code DNS:localhost} (so clients keep hostname verification on), and a PKCS12 truststore
 * holding that certificate.
 *
 * @param keystore   the broker's key and certificate ({@code ssl.keystore.location})
 * @param truststore the certificate clients trust ({@code ssl.truststore.location})
 * @param password   the password of both stores
 */
record SelfSignedTls(Path keystore, Path truststore, String password) {

    /** Runs {@code keytool} three times (generate, export, import) into {@code dir}. */
    static SelfSignedTls generate(Path dir) throws IOException, InterruptedException {
        String password = "metastream-test-store";
        Path keystore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.pem");
        Path truststore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", password,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(),
                "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", password);
        return new SelfSignedTls(keystore, truststore, password);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool " + args[0] + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed with exit code " + p.exitValue() + ": " + output.strip());
        }
    }
}
