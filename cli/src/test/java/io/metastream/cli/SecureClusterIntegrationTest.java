package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTest;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.core.task.FrozenLakeFamily;
import io.metastream.schemas.MetastreamSerdes;
import io.metastream.schemas.PolicyKind;
import io.metastream.schemas.PolicyParams;
import io.metastream.schemas.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 6, item 8: a broker whose client listeners require SASL/SCRAM-SHA-256 — one over plain TCP
 * ({@code SASL_PLAINTEXT}), one over TLS ({@code SASL_SSL}, a self-signed certificate made with
 * {@code keytool}) — runs a whole experiment through {@code metastream run} when the security
 * settings come from {@code --client-config}, with the reference loop's meta-priors; clients
 * without credentials or with a wrong password are refused, and the CLI says so in one line.
 * The broker's PLAINTEXT listener serves only the test's own set-up and checks (and the broker
 * itself); the CLI is never given it.
 */
class SecureClusterIntegrationTest {

    private static final String USER = "metastream-runner";
    private static final String PASSWORD = "scram-secret-42";
    private static final String SASL = "SCRAM";
    private static final String SASL_TLS = "SCRAM_TLS";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule required";

    @TempDir
    static Path keys;

    private static SelfSignedTls tls;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBrokerThatRequiresScram() throws Exception {
        tls = SelfSignedTls.generate(keys);
        broker = EmbeddedKafkaBroker.builder()
                .listener(SASL, "SASL_PLAINTEXT", 0)
                .listener(SASL_TLS, "SASL_SSL", 0)
                .brokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-256")
                .brokerProperty("listener.name.scram.scram-sha-256.sasl.jaas.config", SCRAM_LOGIN + ";")
                .brokerProperty("listener.name.scram_tls.scram-sha-256.sasl.jaas.config", SCRAM_LOGIN + ";")
                .brokerProperty("listener.name.scram_tls.ssl.keystore.type", "PKCS12")
                .brokerProperty("listener.name.scram_tls.ssl.keystore.location", tls.keystore().toString())
                .brokerProperty("listener.name.scram_tls.ssl.keystore.password", tls.password())
                .brokerProperty("listener.name.scram_tls.ssl.key.password", tls.password())
                .build().start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD))).all().get(30, TimeUnit.SECONDS);
        }
        awaitCredentialUsable(clientConfig(SASL, PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "listener {0}")
    @ValueSource(strings = {SASL, SASL_TLS})
    void runThroughTheCliAuthenticatesEveryClientAndReproducesTheReferenceLoop(String listener, @TempDir Path dir)
            throws Exception {
        String id = "secure-" + listener.toLowerCase(Locale.ROOT).replace('_', '-');
        Path config = Files.writeString(dir.resolve("tiny.yaml"), String.join("\n", "experiment-id: " + id,
                "family: frozenlake-low", "alg: 1", "seed: 3", "iterations: 2", "tasks-per-iteration: 2", "episodes: 30",
                "sarsa-sweeps: 1", "test-steps: 1", "workers: 2", "partitions: 2", ""));
        Path out = dir.resolve("run");
        // the secured listener is the only address the CLI gets: every client of every role must authenticate
        int exit = MetastreamCommand.execute("run", "--config", config.toString(),
                "--bootstrap-servers", broker.bootstrapServers(listener),
                "--client-config", propertiesFile(dir, clientConfig(listener, PASSWORD)).toString(),
                "--out", out.toString());
        assertThat(exit).isZero();

        TabularExperimentConfig exp = ExperimentFile.load(config, List.of()).experiment();
        List<double[]> reference = new ArrayList<>();
        new TabularMetaTrainer(exp).train(s -> reference.add(s.phi()));
        Map<Long, double[]> priors = metaPriors(id, exp.iterations() + 1);
        assertThat(priors.keySet()).containsExactly(0L, 1L, 2L);
        for (int v = 1; v <= exp.iterations(); v++) {
            assertThat(priors.get((long) v)).as("meta-prior version %d", v).containsExactly(reference.get(v - 1));
        }
        // the meta-test's EVAL rounds went through the secured listener too, with the in-process result
        double[] bomrl = TabularMetaTest.meanOverTasks(new TabularMetaTest(exp).evaluate(TabularMetaTest.Method.BOMRL,
                reference.get(exp.iterations() - 1), FrozenLakeFamily.byName(exp.family()).testTasks()));
        List<String> rows = Files.readAllLines(out.resolve("meta-test.csv")).stream()
                .filter(l -> l.startsWith(TabularMetaTest.Method.BOMRL.label() + ",")).toList();
        assertThat(rows).hasSize(bomrl.length);
        for (int k = 0; k < bomrl.length; k++) {
            assertThat(rows.get(k)).endsWith(String.format(Locale.ROOT, ",%d,%.6f", k, bomrl[k]));
        }
    }

    @ParameterizedTest(name = "listener {0}")
    @ValueSource(strings = {SASL, SASL_TLS})
    void clientWithoutSecuritySettingsIsRefusedWhileTheSameCallAuthenticatedSucceeds(String listener) throws Exception {
        Map<String, Object> plain = new HashMap<>(shortTimeouts());
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(listener));
        try (Admin admin = Admin.create(plain)) {
            // the listener drops a client that sends requests before authenticating: it never gets an answer
            assertThatThrownBy(() -> admin.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        }
        Map<String, Object> authenticated = new HashMap<>(clientConfig(listener, PASSWORD));
        authenticated.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(listener));
        try (Admin admin = Admin.create(authenticated)) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "listener {0}")
    @ValueSource(strings = {SASL, SASL_TLS})
    void wrongPasswordFailsWithSaslAuthenticationException(String listener) {
        Map<String, Object> wrong = new HashMap<>(shortTimeouts());
        wrong.putAll(clientConfig(listener, PASSWORD + "-wrong"));
        wrong.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(listener));
        try (Admin admin = Admin.create(wrong)) {
            assertThatThrownBy(() -> admin.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void topicsCommandWithWrongPasswordOrNoCredentialsEndsWithOneLineError(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), "experiment-id: secure-topics\nfamily: frozenlake-low\nalg: 2\n");
        String sasl = broker.bootstrapServers(SASL);

        String wrong = propertiesFile(dir, clientConfig(SASL, "not-" + PASSWORD)).toString();
        Stderr refused = Stderr.capture(() -> MetastreamCommand.execute("topics", "--config", config.toString(),
                "--bootstrap-servers", sasl, "--client-config", wrong));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.cliLines()).singleElement().asString()
                .contains("refused authentication", "invalid credentials", "--client-config");
        assertThat(refused.stackFrames()).isEmpty();

        String none = propertiesFile(dir, new TreeMap<>(shortTimeouts())).toString();   // no security.protocol: PLAINTEXT
        Stderr unanswered = Stderr.capture(() -> MetastreamCommand.execute("topics", "--config", config.toString(),
                "--bootstrap-servers", sasl, "--client-config", none));
        assertThat(unanswered.exit()).isEqualTo(1);
        assertThat(unanswered.cliLines()).singleElement().asString()
                .contains("did not answer in time", "security.protocol", "--client-config");
        assertThat(unanswered.stackFrames()).isEmpty();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).as("nothing was created").noneMatch(t -> t.startsWith("secure-topics."));
        }
    }

    /** The client settings a user puts in {@code --client-config} for {@code listener}. */
    private static Map<String, Object> clientConfig(String listener, String password) {
        Map<String, Object> p = new TreeMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, listener.equals(SASL_TLS) ? "SASL_SSL" : "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, SCRAM_LOGIN + " username=\"" + USER + "\" password=\"" + password + "\";");
        if (listener.equals(SASL_TLS)) {
            p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toString());
            p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
        }
        return p;
    }

    /** Admin timeouts short enough that a refused client fails in seconds, not the default minute. */
    private static Map<String, Object> shortTimeouts() {
        return Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000");
    }

    /** Writes {@code props} as a {@code --client-config} file, one {@code key=value} line each, as a user would. */
    private static Path propertiesFile(Path dir, Map<String, Object> props) throws Exception {
        StringBuilder text = new StringBuilder("# Kafka client settings for every client of metastream\n");
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(Files.createTempFile(dir, "client-", ".properties"), text);
    }

    /**
     * Waits (at most 30 s) until the new SCRAM credential authenticates on the SASL listener: the
     * controller has stored it, but the broker learns it from the metadata log asynchronously.
     */
    private static void awaitCredentialUsable(Map<String, Object> security) throws Exception {
        Map<String, Object> p = new HashMap<>(security);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(SASL));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Admin admin = Admin.create(p)) {
                admin.describeCluster().nodes().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** Meta-prior versions of {@code id} read (over PLAINTEXT) from its policies topic: version → φ. */
    private static Map<Long, double[]> metaPriors(String id, int expected) {
        String topic = Topics.POLICIES.of(id);
        Map<Long, double[]> out = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    PolicyParams p = MetastreamSerdes.policyParams().deserializer().deserialize(topic, r.value());
                    if (p.getKind() == PolicyKind.META_PRIOR) {
                        out.put(p.getVersion(), p.getParams().stream().mapToDouble(Double::doubleValue).toArray());
                    }
                }
            }
        }
        return out;
    }

    /** What a CLI call printed on stderr (the CLI's own lines and anything logged meanwhile) and its exit code. */
    private record Stderr(int exit, List<String> lines) {

        static Stderr capture(java.util.function.IntSupplier call) {
            PrintStream original = System.err;
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int exit;
            System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            try {
                exit = call.getAsInt();
            } finally {
                System.setErr(original);
            }
            String text = buffer.toString(StandardCharsets.UTF_8);
            original.print(text);   // keep it in the test's log
            return new Stderr(exit, text.lines().toList());
        }

        /** The CLI's own message lines. */
        List<String> cliLines() {
            return lines.stream().filter(l -> l.startsWith("metastream:")).toList();
        }

        /** Lines of a printed stack trace. */
        List<String> stackFrames() {
            return lines.stream().filter(l -> l.matches("\\s+at \\S+\\(.*\\)\\s*") || l.contains("Exception in thread")).toList();
        }
    }
}
