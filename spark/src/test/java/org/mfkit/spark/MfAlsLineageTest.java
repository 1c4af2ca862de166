package org.mfkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.mfkit.data.Ratings;
import org.mfkit.model.FactorModel;

/** Long fits without a checkpoint directory, and how many shuffles an iteration costs. */
class MfAlsLineageTest {
    @Test
    void fiftyIterationsWithoutCheckpointDirectory() {
        SparkContext sc = SparkTestSession.get().sparkContext();
        assertTrue(sc.getCheckpointDir().isEmpty(), "the test needs a session without a checkpoint directory");
        Dataset<Row> frame = SparkTestSession.frame(RealisticRatings.generate(60, 40, 600, 5, 3), 2);
        // Both sides shuffled: the longest lineage (each side's factors depend on its previous
        // ones and, through a shuffle, on the other side's); local checkpoints every 10
        // iterations cut it.
        FactorModel m = new MfAls().setRank(4).setMaxIter(50).setNumBlocks(2).setBroadcastThreshold(0).fit(frame)
                .toFactorModel();
        for (float v : m.userFactors()) assertTrue(Float.isFinite(v));
        for (float v : m.itemFactors()) assertTrue(Float.isFinite(v));
    }

    @Test
    void atMostOneShufflePerIterationWhenOneSideIsBroadcast() throws Exception {
        Ratings data = RealisticRatings.generate(240, 160, 6000, 8, 11);
        Dataset<Row> frame = SparkTestSession.frame(data, 2).cache();
        frame.count();
        int width = 7;
        long users = 240L * width * Float.BYTES;
        long items = 160L * width * Float.BYTES;
        assertEquals(0, shufflesPerIteration(frame, users), "both sides broadcast");
        assertEquals(1, shufflesPerIteration(frame, (users + items) / 2), "items broadcast, users shuffled");
        assertEquals(2, shufflesPerIteration(frame, 0), "both sides shuffled, as Spark's ALS");
    }

    /** Shuffle map stages of a 2-iteration fit minus those of a 1-iteration fit. */
    private static int shufflesPerIteration(Dataset<Row> frame, long threshold) throws Exception {
        return shuffles(frame, threshold, 2) - shuffles(frame, threshold, 1);
    }

    private static int shuffles(Dataset<Row> frame, long threshold, int iterations) throws Exception {
        SparkContext sc = SparkTestSession.get().sparkContext();
        Set<Object> shuffleStages = new HashSet<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onStageCompleted(SparkListenerStageCompleted event) {
                if (event.stageInfo().shuffleDepId().isDefined()) {
                    synchronized (shuffleStages) {
                        shuffleStages.add(event.stageInfo().stageId());
                    }
                }
            }
        };
        sc.listenerBus().waitUntilEmpty();
        sc.addSparkListener(listener);
        try {
            new MfAls().setRank(6).setMaxIter(iterations).setNumBlocks(2).setBroadcastThreshold(threshold).fit(frame);
            sc.listenerBus().waitUntilEmpty();
        } finally {
            sc.removeSparkListener(listener);
        }
        assertFalse(shuffleStages.isEmpty(), "building the rating blocks shuffles");
        return shuffleStages.size();
    }
}
