package io.metastream.streams;

import io.metastream.schemas.Phase;
import io.metastream.schemas.Trajectory;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.function.ToIntFunction;

/**
 * Collects a task's episodes per (round, phase), once each: a trajectory whose episode index is
 * already stored (a redelivery, a retried worker) or whose batch is already complete is
 * ignored. When the batch holds its phase's batch size of distinct episodes its {@link BatchKey}
 * goes to the adapter (PRE, EVAL) or to the meta-gradient step (POST). The count of a completed batch
 * stays in {@link AdapterTopology#BATCH_COUNTS_STORE} so late duplicates are recognised after the
 * episodes themselves have been cleaned up.
 */
final class BatchCollector implements Processor<String, EpisodeStore.Episode, String, BatchKey> {

    private final ToIntFunction<Phase> batchSize;
    private ProcessorContext<String, BatchKey> context;
    private EpisodeStore episodes;
    private KeyValueStore<String, Integer> counts;

    /** @param batchSize distinct episodes that complete a batch of each phase */
    BatchCollector(ToIntFunction<Phase> batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    public void init(ProcessorContext<String, BatchKey> context) {
        this.context = context;
        this.episodes = new EpisodeStore(context.getStateStore(AdapterTopology.EPISODES_STORE));
        this.counts = context.getStateStore(AdapterTopology.BATCH_COUNTS_STORE);
    }

    @Override
    public void process(Record<String, EpisodeStore.Episode> record) {
        Trajectory t = record.value().trajectory();
        BatchKey batch = BatchKey.of(t);
        Integer stored = counts.get(batch.batchPrefix());
        int count = stored == null ? 0 : stored;
        int episodesPerBatch = batchSize.applyAsInt(batch.phase());
        if (count >= episodesPerBatch || episodes.contains(batch, t.getEpisodeIndex())) {
            return;
        }
        episodes.put(record.value());
        counts.put(batch.batchPrefix(), count + 1);
        if (count + 1 == episodesPerBatch) {
            String next = batch.phase() == Phase.POST ? AdapterTopology.META_GRADIENT : AdapterTopology.ADAPT;
            context.forward(record.withValue(batch), next);
        }
    }
}
