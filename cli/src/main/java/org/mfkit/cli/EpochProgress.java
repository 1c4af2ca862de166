package org.mfkit.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a training run, one step per epoch, with the epoch's loss and validation metric.
 * On a terminal it is a live progress bar with the ETA; otherwise (a pipe, a file, a test) it
 * is one plain line per epoch, so logs stay readable.
 */
final class EpochProgress implements AutoCloseable {
    private final PrintWriter out;
    private final ProgressBar bar;
    private final int epochs;
    private final long start = System.nanoTime();

    private EpochProgress(PrintWriter out, ProgressBar bar, int epochs) {
        this.out = out;
        this.bar = bar;
        this.epochs = epochs;
    }

    /** A bar on a terminal unless {@code plain}; plain lines on {@code out} otherwise. */
    static EpochProgress start(String task, int epochs, PrintWriter out, boolean plain) {
        boolean terminal = System.console() != null && !plain;
        if (!terminal) return new EpochProgress(out, null, epochs);
        out.flush();
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(epochs).setUnit(" epochs", 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.out, 110)).build();
        return new EpochProgress(out, bar, epochs);
    }

    /** Epoch {@code done} (1-based) finished; {@code message} says how it went. */
    void epoch(int done, String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
            bar.stepTo(done);
            return;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double left = elapsed / done * (epochs - done);
        out.printf(Locale.ROOT, "  epoch %" + Integer.toString(epochs).length() + "d/%d  %s  (%s elapsed, ETA %s)%n",
                done, epochs, message, seconds(elapsed), seconds(left));
        out.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            System.out.flush();
        }
    }

    static String seconds(double s) {
        if (s < 60) return String.format(Locale.ROOT, "%.1f s", s);
        Duration d = Duration.ofMillis((long) (s * 1000));
        return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
