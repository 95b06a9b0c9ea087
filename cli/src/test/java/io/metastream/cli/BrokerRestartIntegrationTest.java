package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.core.adapt.TabularAlgorithm;
import io.metastream.core.estimate.UntriedActions;
import io.metastream.core.meta.TabularExperimentConfig;
import io.metastream.core.meta.TabularMetaTrainer;
import io.metastream.producers.RolloutWorker;
import io.metastream.producers.WorkerConfig;
import io.metastream.streams.AdapterApp;
import io.metastream.streams.AdapterConfig;
import io.metastream.trainer.ExperimentTopics;
import io.metastream.trainer.StreamingTrainer;
import io.metastream.trainer.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, item 6: the broker is stopped mid-run and started again on the same log directory and
 * ports; every client of the synchronous pipeline (two workers, the exactly-once adapter, the
 * trainer) reconnects on its own and the run's meta-prior sequence equals the in-process reference
 * loop bit for bit.
 */
class BrokerRestartIntegrationTest {

    /** How long the broker stays down, between the end of {@code stop()} and the call to {@code start()}. */
    private static final Duration DOWN = Duration.ofSeconds(2);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void pipelineSurvivesABrokerRestartMidRunAndReproducesTheReferenceLoop() throws Exception {
        TabularExperimentConfig p = TabularExperimentConfig.paper("frozenlake-high", TabularAlgorithm.ALG1, 5);
        TabularExperimentConfig exp = new TabularExperimentConfig(p.family(), p.alg(), p.lambdaTrain(), p.lambdaTest(), 5,
                3, 40, p.sarsaStep(), 2, UntriedActions.STATE_VALUE, p.metaLearningRate(), p.optimizer(), p.phiInit(), p.hypergradient(), p.testSteps(),
                p.pgStepSize(), p.seed());
        List<double[]> reference = new ArrayList<>();
        new TabularMetaTrainer(exp).train(s -> reference.add(s.phi()));

        String id = "restart";
        List<double[]> pipeline = new ArrayList<>();
        AtomicInteger roundsDone = new AtomicInteger();
        CompletableFuture<Outage> restart = new CompletableFuture<>();
        long runStart;
        long runNanos;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            String bootstrap = broker.bootstrapServers();
            ExperimentTopics.create(bootstrap, id, 3, (short) 1, Map.of());
            RolloutWorker w0 = RolloutWorker.start(WorkerConfig.of(id, "w0", bootstrap));
            RolloutWorker w1 = RolloutWorker.start(WorkerConfig.of(id, "w1", bootstrap));
            try (AdapterApp adapter = AdapterApp.create(AdapterConfig.of(id, exp), bootstrap).start();
                 StreamingTrainer trainer = new StreamingTrainer(new TrainerConfig(id, bootstrap, exp, Duration.ofMinutes(3),
                         0, Map.of()))) {
                runStart = System.nanoTime();
                trainer.run(r -> {
                    pipeline.add(r.phi());
                    roundsDone.incrementAndGet();
                    if (r.round() == 0) {
                        // round 1's assignments are already out: the outage hits workers and adapter mid-round
                        restartInBackground(broker, roundsDone, restart);
                    }
                });
                runNanos = System.nanoTime() - runStart;
            } finally {
                w0.close();
                w1.close();
            }
            Outage outage = restart.get(1, TimeUnit.MINUTES);
            System.out.printf(Locale.ROOT, "broker restart: stop %d ms, down %d ms, start %d ms (unavailable %d ms in all),"
                            + " %d of %d rounds done when it was back; run %d ms%n", outage.stopMillis(), DOWN.toMillis(),
                    outage.startMillis(), outage.stopMillis() + DOWN.toMillis() + outage.startMillis(), outage.roundsDoneAtRestart(),
                    exp.iterations(), TimeUnit.NANOSECONDS.toMillis(runNanos));
            assertThat(broker.startCount()).isEqualTo(2);
            assertThat(outage.roundsDoneAtRestart()).as("the broker was back before the run ended").isLessThan(exp.iterations());
        }

        assertThat(pipeline).hasSize(reference.size());
        for (int v = 0; v < reference.size(); v++) {
            assertThat(pipeline.get(v)).as("meta-prior version %d", v + 1).containsExactly(reference.get(v));
        }
    }

    /** What the restart thread saw. */
    private record Outage(long stopMillis, long startMillis, int roundsDoneAtRestart) {
    }

    /** Stops {@code broker}, keeps it down for {@link #DOWN}, starts it again; completes {@code done} with the figures. */
    private static void restartInBackground(EmbeddedKafkaBroker broker, AtomicInteger roundsDone,
                                            CompletableFuture<Outage> done) {
        Thread t = new Thread(() -> {
            try {
                long t0 = System.nanoTime();
                broker.stop();
                long t1 = System.nanoTime();
                long t2 = t1 + DOWN.toNanos();
                while (System.nanoTime() < t2) {
                    LockSupport.parkNanos(t2 - System.nanoTime());   // the outage itself, not a wait for Kafka
                }
                broker.start();
                long t3 = System.nanoTime();
                done.complete(new Outage(TimeUnit.NANOSECONDS.toMillis(t1 - t0), TimeUnit.NANOSECONDS.toMillis(t3 - t2),
                        roundsDone.get()));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "broker-restart");
        t.setDaemon(true);
        t.start();
    }
}
