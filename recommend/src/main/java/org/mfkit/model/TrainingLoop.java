package org.mfkit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mfkit.core.NotPositiveDefiniteException;

/**
 * The epoch loop every trainer shares: runs epochs, guards against non-finite factors and a
 * growing loss after each, keeps a backend-side copy of the last good (and best) epoch,
 * reports to the listener and stops early on the validation metric.
 */
final class TrainingLoop {
    /**
     * One epoch of a trainer; returns the epoch's loss, or NaN when the loss costs extra work
     * and {@link #lossWanted} says it is not wanted after this epoch.
     */
    interface Epoch {
        double run(int epoch, TrainingLoop loop);
    }

    /** Computes the validation metric from the current factors. */
    interface Validator {
        double evaluate();

        /** The metric's name in epoch reports, e.g. {@code "rmse"}. */
        String metricName();

        /** Whether a larger value is better (Recall) rather than a smaller one (RMSE). */
        boolean higherIsBetter();
    }

    private final String model;
    private final TrainOptions options;
    private final int epochs;
    private final Divergence divergence;
    private String phase = "users";

    /**
     * @param model      the model type, named in errors
     * @param options    epochs, listener, early stopping
     * @param divergence when a growing loss counts as divergence, and the advice then
     */
    TrainingLoop(String model, TrainOptions options, Divergence divergence) {
        this.model = model;
        this.options = options;
        // Only the built-in trainers use this loop, and each is registered under its name.
        this.epochs = options.epochsFor(Models.type(model));
        this.divergence = divergence;
    }

    /** Whether a loss that costs extra work is computed after {@code epoch} (see {@link TrainOptions#lossWanted}). */
    boolean lossWanted(int epoch) {
        return options.lossWanted(epoch, epochs);
    }

    /** Names the side the epoch is updating, for errors raised by a solve. */
    void phase(String side) {
        this.phase = side;
    }

    /**
     * The NaN/Inf guard inside an epoch (after an ALS half-sweep), so the side that went bad
     * first is the one named even though the next half-sweep would spread it to the other.
     */
    void guard(String side, org.mfkit.core.Kernels kernels, org.mfkit.core.DenseMatrix factors) {
        if (!kernels.allFinite(factors)) throw new NonFinite(side);
    }

    /** Thrown by {@link #guard} and turned into a {@link TrainingFailedException} by {@link #run}. */
    private static final class NonFinite extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String side;

        NonFinite(String side) {
            super(null, null, false, false);
            this.side = side;
        }
    }

    private static String kept(int epoch) {
        return epoch == 1 ? "the initial model is kept" : "the model of epoch " + (epoch - 1) + " is kept";
    }

    /**
     * Runs the epochs on {@code factors}; {@code validator} may be null (no validation, no
     * early stopping); {@code build} turns the factors to return into the host model.
     */
    TrainingResult run(DeviceFactors factors, Epoch epoch, Validator validator, Function<DeviceFactors, FactorModel> build) {
        boolean earlyStopping = validator != null && options.patience() > 0;
        List<EpochReport> history = new ArrayList<>();
        try (DeviceFactors good = factors.emptyCopy();
             DeviceFactors best = earlyStopping ? factors.emptyCopy() : null) {
            factors.copyTo(good);
            double minLoss = Double.POSITIVE_INFINITY;
            double bestMetric = Double.NaN;
            int bestEpoch = 0;
            int sinceBest = 0;
            boolean stoppedEarly = false;
            for (int e = 1; e <= epochs; e++) {
                long start = System.nanoTime();
                double loss;
                try {
                    loss = epoch.run(e, this);
                } catch (NotPositiveDefiniteException ex) {
                    throw new TrainingFailedException(model + ": epoch " + e + ": the " + phase
                            + " normal equations are not positive definite (" + ex.getMessage()
                            + "); " + kept(e) + (Float.isFinite(ex.pivot())
                            ? "; use lambda > 0 (with lambda = 0 a row needs at least k entries)"
                            : "; the system overflowed float32: the ratings or factors are too large"),
                            e, phase, build.apply(good), ex);
                } catch (NonFinite ex) {
                    throw new TrainingFailedException(model + ": epoch " + e + ": the " + ex.side
                            + " factors became non-finite (NaN or Inf); " + kept(e) + divergence.hint(), e, ex.side,
                            build.apply(good), null);
                }
                long elapsed = System.nanoTime() - start;
                String side = factors.nonFiniteSide();
                if (side != null) {
                    throw new TrainingFailedException(model + ": epoch " + e + ": the " + side
                            + " factors became non-finite (NaN or Inf); " + kept(e) + divergence.hint(), e, side,
                            build.apply(good), null);
                }
                // A NaN the trainer was not asked to compute is "not computed", not a failure.
                boolean computed = !Double.isNaN(loss) || lossWanted(e);
                if (computed && !Double.isFinite(loss)) {
                    throw new TrainingFailedException(model + ": epoch " + e + ": the loss became " + loss
                            + "; " + kept(e) + divergence.hint(), e, "loss",
                            build.apply(good), null);
                }
                if (computed && divergence.diverged(loss, minLoss)) {
                    throw new TrainingFailedException(model + ": diverged at epoch " + e + ": loss " + loss
                            + " is more than " + divergence.factor() + " × the reference loss " + divergence.reference(minLoss)
                            + "; " + kept(e) + divergence.hint(), e, "loss", build.apply(good), null);
                }
                if (computed) minLoss = Math.min(minLoss, loss);
                factors.copyTo(good);
                double metric = validator == null ? Double.NaN : validator.evaluate();
                history.add(new EpochReport(e, loss, metric, validator == null ? null : validator.metricName(), elapsed));
                if (options.listener() != null) options.listener().onEpoch(history.get(history.size() - 1));
                if (!earlyStopping) {
                    bestEpoch = e;
                    continue;
                }
                boolean improved = Double.isNaN(bestMetric)
                        || (validator.higherIsBetter() ? metric > bestMetric : metric < bestMetric);
                if (improved) {
                    bestMetric = metric;
                    bestEpoch = e;
                    sinceBest = 0;
                    factors.copyTo(best);
                } else if (++sinceBest >= options.patience()) {
                    stoppedEarly = e < epochs;
                    break;
                }
            }
            FactorModel result = build.apply(earlyStopping ? best : factors);
            return new TrainingResult(result, history, bestEpoch, stoppedEarly);
        }
    }
}
