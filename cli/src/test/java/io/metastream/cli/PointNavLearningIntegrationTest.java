package io.metastream.cli;

import io.metastream.broker.EmbeddedKafkaBroker;
import io.metastream.broker.SharedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped CI-sized config {@code configs/pointnav-alg1.yaml} (15 meta-iterations of 8 tasks,
 * 20 PRE + 100 POST rollouts) through {@code metastream run} on the real broker: after one adaptation
 * on the 20 test goals the meta-trained prior is well above random initialisation (φ₀ adapted the same
 * way, same normaliser), in both evaluation modes, by more than 0.5. Seed 0 (this config), after one
 * step: deterministic −6.00 vs −8.60, stochastic −7.13 vs −8.11; adaptation itself lifts BO-MRL from
 * −8.43 / −9.37 (numerics 2; numerics 1 gave −6.30 vs −7.26 and −6.98 vs −8.12). The margin is about 1.0 deterministic and 0.7 stochastic on average, and varies with
 * the seed by about ±0.5 ({@code compare --seeds 6 --methods bomrl-alg1,random-init} on this config:
 * −6.4 ± 0.3 vs −7.4 ± 0.9 deterministic, −7.3 ± 0.2 vs −8.0 ± 0.3 stochastic). A rounding-level
 * change of the arithmetic moves one seed's margin by that much (seed 0 was 1.32 / 1.25 with the
 * per-row policy passes, 0.96 / 1.14 with the batched ones), so the bar is 0.5, not 1.0.
 */
@ExtendWith(SharedKafkaBroker.class)
class PointNavLearningIntegrationTest {

    @Test
    void shippedPointNavConfigLearnsThroughThePipeline(EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String id = SharedKafkaBroker.uniqueName("pointnav-learning");
        Path out = dir.resolve("run");
        assertThat(MetastreamCommand.execute("run", "--config", "../configs/pointnav-alg1.yaml", "--set",
                "experiment-id=" + id, "--bootstrap-servers", broker.bootstrapServers(), "--out", out.toString())).isZero();

        Map<String, Double> m = new HashMap<>();
        List<String> rows = Files.readAllLines(out.resolve("meta-test.csv"));
        for (String r : rows.subList(1, rows.size())) {
            String[] f = r.split(",");
            m.put(f[0] + "/" + f[1] + "/" + f[2], Double.parseDouble(f[3]));
        }
        for (String mode : List.of("deterministic", "stochastic")) {
            double trained = m.get("bomrl/" + mode + "/1");
            double random = m.get("random-init/" + mode + "/1");
            assertThat(trained).as("%s return after one adaptation: BO-MRL vs random init", mode)
                    .isGreaterThan(random + 0.5);
            assertThat(trained).as("%s: adaptation lifts the meta-prior", mode)
                    .isGreaterThan(m.get("bomrl/" + mode + "/0") + 1.5);
        }
    }
}
