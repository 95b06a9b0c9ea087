package io.metastream.streams;

import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.schemas.Trajectory;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The adapter's view of the {@link AdapterTopology#EPISODES_STORE}: at most one trajectory per
 * (task, round, phase, episode index), read back as core's {@link TabularTrajectory} in episode
 * order, which is the order the reference loop's estimators consume.
 */
final class EpisodeStore {

    private final KeyValueStore<String, Trajectory> store;

    EpisodeStore(KeyValueStore<String, Trajectory> store) {
        this.store = store;
    }

    boolean contains(BatchKey batch, int episodeIndex) {
        return store.get(batch.episodeKey(episodeIndex)) != null;
    }

    void put(Trajectory t) {
        store.put(BatchKey.of(t).episodeKey(t.getEpisodeIndex()), t);
    }

    /** The batch's stored trajectories sorted by episode index. */
    List<Trajectory> batch(BatchKey batch) {
        List<Trajectory> out = new ArrayList<>();
        try (KeyValueIterator<String, Trajectory> it = store.prefixScan(batch.batchPrefix(), new StringSerializer())) {
            while (it.hasNext()) {
                out.add(it.next().value);
            }
        }
        out.sort(Comparator.comparingInt(Trajectory::getEpisodeIndex));
        return out;
    }

    void delete(BatchKey batch) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Trajectory> it = store.prefixScan(batch.batchPrefix(), new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, Trajectory> kv = it.next();
                keys.add(kv.key);
            }
        }
        keys.forEach(store::delete);
    }

    /** Converts validated trajectories (obsDim = actDim = 1, integral states and actions). */
    static List<TabularTrajectory> tabular(List<Trajectory> sorted) {
        List<TabularTrajectory> out = new ArrayList<>(sorted.size());
        for (Trajectory t : sorted) {
            out.add(new TabularTrajectory(t.getEpisodeIndex(), ints(t.getObservations()), ints(t.getActions()),
                    t.getRewards().stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return out;
    }

    private static int[] ints(List<Double> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) values.get(i).doubleValue();
        }
        return out;
    }
}
