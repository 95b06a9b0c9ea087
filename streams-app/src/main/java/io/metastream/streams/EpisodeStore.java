package io.metastream.streams;

import io.metastream.core.estimate.TabularTrajectory;
import io.metastream.schemas.AvroSerde;
import io.metastream.schemas.DoubleList;
import io.metastream.schemas.MetastreamSerdes;
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
 * order, which is the order the reference loop's estimators consume. The store (and its changelog) holds each
 * episode's record exactly as it arrived on the trajectories topic: nothing is encoded again, and checking
 * for a duplicate does not decode anything.
 */
final class EpisodeStore {

    /** A validated trajectory with the bytes it arrived as. */
    record Episode(Trajectory trajectory, byte[] bytes) {
    }

    private final KeyValueStore<String, byte[]> store;
    private final AvroSerde<Trajectory> serde = MetastreamSerdes.trajectory();

    EpisodeStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    boolean contains(BatchKey batch, int episodeIndex) {
        return store.get(batch.episodeKey(episodeIndex)) != null;
    }

    void put(Episode e) {
        Trajectory t = e.trajectory();
        store.put(BatchKey.of(t).episodeKey(t.getEpisodeIndex()), e.bytes());
    }

    /** The batch's stored trajectories sorted by episode index. */
    List<Trajectory> batch(BatchKey batch) {
        List<Trajectory> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(batch.batchPrefix(), new StringSerializer())) {
            while (it.hasNext()) {
                out.add(serde.deserialize(it.next().value));
            }
        }
        out.sort(Comparator.comparingInt(Trajectory::getEpisodeIndex));
        return out;
    }

    void delete(BatchKey batch) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(batch.batchPrefix(), new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
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
                    DoubleList.toArray(t.getRewards())));
        }
        return out;
    }

    private static int[] ints(List<Double> values) {
        double[] v = DoubleList.values(values);
        int[] out = new int[v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }
}
