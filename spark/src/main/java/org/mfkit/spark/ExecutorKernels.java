package org.mfkit.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.spark.TaskContext;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.BackendOptions;

/**
 * Backends opened on an executor, reused across tasks. A {@link Kernels} serves one call at a
 * time, and an executor runs several tasks at once, so each task borrows an idle instance (or
 * opens one) and gives it back when done. A task uses as many backend threads as Spark gave
 * it cores ({@code spark.task.cpus}), so concurrent tasks never oversubscribe the executor.
 */
final class ExecutorKernels {
    private static final Map<String, ConcurrentLinkedDeque<Kernels>> IDLE = new ConcurrentHashMap<>();

    private ExecutorKernels() {}

    /** A borrowed backend; closing the lease gives it back. */
    static final class Lease implements AutoCloseable {
        final Kernels kernels;
        private final String key;

        private Lease(Kernels kernels, String key) {
            this.kernels = kernels;
            this.key = key;
        }

        @Override
        public void close() {
            IDLE.computeIfAbsent(key, x -> new ConcurrentLinkedDeque<>()).push(kernels);
        }
    }

    /** Borrows the named backend ("best" for the best available here) with this task's thread count. */
    static Lease borrow(String backend) {
        TaskContext task = TaskContext.get();
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        String key = backend + "/" + threads;
        ConcurrentLinkedDeque<Kernels> idle = IDLE.computeIfAbsent(key, x -> new ConcurrentLinkedDeque<>());
        Kernels kernels = idle.poll();
        if (kernels == null) kernels = Backends.open(backend, BackendOptions.threads(threads));
        return new Lease(kernels, key);
    }
}
