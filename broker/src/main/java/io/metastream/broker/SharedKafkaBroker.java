package io.metastream.broker;

import java.util.UUID;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving every test class in the JVM one shared, started
 * {@link EmbeddedKafkaBroker} with default options.
 *
 * <pre>{@code
 * @ExtendWith(SharedKafkaBroker.class)
 * class TrajectoryTopicTest {
 *     @Test
 *     void roundTrip(EmbeddedKafkaBroker broker) {          // injected
 *         String topic = SharedKafkaBroker.uniqueName("trajectories");
 *         ... broker.bootstrapServers() ...
 *     }
 * }
 * }</pre>
 *
 * <p>The broker is started lazily, once per JVM, by the first test class that needs it (or the
 * first call to {@link #broker()}), and is registered in the root {@link ExtensionContext} store,
 * so it is closed when the whole test run ends, not after each class.
 *
 * <p>Contract for tests: the broker and its data are shared by every test class in the run, in
 * any order. Use a unique topic name, consumer group id and transactional id in every test
 * ({@link #uniqueName(String)}), never assume a topic starts empty unless you created it, and
 * never {@code stop()} or {@code close()} the shared broker; a test that needs a restart builds
 * its own {@code EmbeddedKafkaBroker}.
 *
 * <p>JUnit is an optional dependency of this module: add {@code junit-jupiter} to your test scope.
 */
public final class SharedKafkaBroker implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedKafkaBroker.class);
    private static final Object LOCK = new Object();

    /** The per-JVM broker; guarded by {@link #LOCK}; null until first use and after the run closed it. */
    private static EmbeddedKafkaBroker shared;

    /**
     * The shared broker, started on first call. Inside a test run prefer parameter injection;
     * outside the extension (e.g. a static initializer), a JVM shutdown hook closes it.
     */
    public static EmbeddedKafkaBroker broker() {
        synchronized (LOCK) {
            if (shared == null) {
                EmbeddedKafkaBroker started = EmbeddedKafkaBroker.builder().build().start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-kafka-broker-close"));
                shared = started;
            }
            return shared;
        }
    }

    /**
     * {@code prefix} plus a random suffix, valid as a topic name, group id or transactional id
     * (letters, digits, '.', '_', '-'), so tests sharing the broker never collide.
     */
    public static String uniqueName(String prefix) {
        if (!prefix.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("prefix must match [A-Za-z0-9._-]+, was '" + prefix + "'");
        }
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        register(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return register(extensionContext);
    }

    private static EmbeddedKafkaBroker register(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(CloseAtEndOfRun.class, key -> new CloseAtEndOfRun(broker()), CloseAtEndOfRun.class)
            .broker;
    }

    /** Lives in the root store; JUnit closes it once, after the last test of the run. */
    private static final class CloseAtEndOfRun implements ExtensionContext.Store.CloseableResource {
        private final EmbeddedKafkaBroker broker;

        CloseAtEndOfRun(EmbeddedKafkaBroker broker) {
            this.broker = broker;
        }

        @Override
        public void close() {
            synchronized (LOCK) {
                if (shared == broker) {
                    shared = null;
                }
            }
            broker.close();
        }
    }
}
