package org.mfkit.bench.jmh;

import java.util.concurrent.Semaphore;
import org.mfkit.core.Kernels;
import org.mfkit.data.Ratings;
import org.mfkit.model.EpochReport;
import org.mfkit.model.TrainOptions;
import org.mfkit.model.Trainer;

/**
 * Runs a trainer's own {@code fit} on a thread of its own and lets the caller step it one epoch
 * at a time, so a benchmark times exactly what a user's epoch costs: the trainer's per-epoch
 * host work (BPR sampling, the loss), its kernel calls and the shared training loop's
 * bookkeeping (the non-finite guard, the copy of the last good factors), and nothing of the
 * setup before the first epoch. The epoch listener parks the training thread after every epoch
 * until {@link #next} releases it; {@link #close} makes the listener throw, which ends the fit.
 *
 * <p>The training thread is the only one that touches the kernels (it is the backend's calling
 * thread, worker 0 of cpu-vector's pool); the two semaphores order every hand-over.
 */
final class EpochStepper implements AutoCloseable {
    /** Ends the fit from inside the listener when the benchmark is done with it. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super("benchmark finished", null, false, false);
        }
    }

    private final Semaphore go = new Semaphore(0);
    private final Semaphore done = new Semaphore(0);
    private final Thread thread;
    private volatile boolean stop;
    private volatile boolean finished;
    private volatile Throwable failure;
    private volatile EpochReport last;

    /**
     * Starts {@code trainer.fit} for at most {@code maxEpochs} epochs and waits until its first
     * epoch is done (setup and first epoch, which the caller does not time).
     */
    EpochStepper(Kernels kernels, Trainer trainer, Ratings train, long seed, int maxEpochs) {
        TrainOptions options = TrainOptions.defaults().withEpochs(maxEpochs).withSeed(seed).withListener(report -> {
            last = report;
            done.release();
            go.acquireUninterruptibly();
            if (stop) throw new Stop();
        });
        thread = new Thread(() -> {
            try {
                trainer.fit(kernels, train, options);
            } catch (Stop expected) {
                // close() asked for it
            } catch (Throwable t) {
                failure = t;
            } finally {
                finished = true;
                done.release();
            }
        }, "mfkit-bench-train");
        thread.setDaemon(true);
        thread.start();
        await();
    }

    /** The report of the epoch the constructor waited for, or of the last {@link #next}. */
    EpochReport last() {
        return last;
    }

    /** Runs one more epoch and returns its report. */
    EpochReport next() {
        go.release();
        await();
        return last;
    }

    private void await() {
        done.acquireUninterruptibly();
        if (failure != null) throw new IllegalStateException("training failed: " + failure, failure);
        if (finished) throw new IllegalStateException("training ended: every allowed epoch has run");
    }

    @Override
    public void close() {
        if (finished) return;
        stop = true;
        go.release();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
