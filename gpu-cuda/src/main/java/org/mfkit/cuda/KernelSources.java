package org.mfkit.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CUDA C++ sources of the backend's own kernels, shipped as resources under
 * {@code org/mfkit/cuda/kernels/}, and the {@code extern "C"} kernels each defines. Each file
 * is compiled by NVRTC into one module at backend start; the build's nvcc test compiles every
 * file listed here.
 */
enum KernelSources {
    MEMORY("memory.cu", "sum_squares", "count_nonfinite", "gather_rows", "scatter_rows", "symmetrize_from_upper"),
    DOTS("dots.cu", "gathered_dot", "biased_predict"),
    TOPK("topk.cu", "topk_mark_excluded", "topk_scan_tile", "topk_finish"),
    SGD("sgd.cu", "sgd_segment", "minibatch_errors", "minibatch_gradient", "minibatch_apply", "minibatch_bias"),
    BPR("bpr.cu", "bpr_segment", "sum_bpr_loss"),
    NORMAL_EQUATIONS("normal_equations.cu", "normal_equations_explicit", "normal_equations_implicit"),
    CHOLESKY("cholesky.cu", "cholesky_solve"),
    CONJUGATE_GRADIENT("cg.cu", "cg_solve"),
    SUBSPACE("subspace.cu", "subspace_sweep");

    /** Resource folder of the sources. */
    static final String FOLDER = "/org/mfkit/cuda/kernels/";

    private final String file;
    private final List<String> kernels;

    KernelSources(String file, String... kernels) {
        this.file = file;
        this.kernels = List.of(kernels);
    }

    /** File name, e.g. {@code "dots.cu"}. */
    String file() {
        return file;
    }

    /** The {@code extern "C"} kernel names the file defines. */
    List<String> kernels() {
        return kernels;
    }

    /** The source text. */
    String source() {
        try (InputStream in = KernelSources.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) throw new IllegalStateException("kernel source " + FOLDER + file + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + FOLDER + file, e);
        }
    }
}
