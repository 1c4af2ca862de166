package org.mfkit.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.mfkit.core.spi.Availability;
import org.mfkit.core.spi.BackendOptions;
import org.mfkit.core.spi.BackendProvider;

/**
 * The backend registry: finds every {@link BackendProvider} on the class path with
 * {@link ServiceLoader}, reports which can run here and why not, and opens one by name or
 * the best available.
 *
 * <p>Selection order for {@link #openDefault}: the system property {@value #PROPERTY}, then the
 * environment variable {@value #ENV}, then the available backend with the highest priority
 * (gpu-cuda, then cpu-vector, then scalar).
 */
public final class Backends {
    /** System property naming the backend to use. */
    public static final String PROPERTY = "mfkit.backend";
    /** Environment variable naming the backend to use. */
    public static final String ENV = "MFKIT_BACKEND";
    /** Name that asks for the best available backend. */
    public static final String BEST = "best";

    private Backends() {}

    /** Every backend found, available or not, best first. Never throws for a broken backend. */
    public static List<BackendInfo> list() {
        List<BackendInfo> out = new ArrayList<>();
        for (BackendProvider provider : providers()) {
            Availability availability = safeProbe(provider);
            out.add(new BackendInfo(provider.name(), provider.description(), provider.priority(),
                    availability.available(), availability.detail()));
        }
        return out;
    }

    /** Opens the named backend with default options ({@code "best"} picks the best available). */
    public static Kernels open(String name) {
        return open(name, BackendOptions.defaults());
    }

    /**
     * Opens the named backend. An unknown name throws {@link IllegalArgumentException}, an
     * unavailable one {@link BackendUnavailableException}; both messages list what is available.
     */
    public static Kernels open(String name, BackendOptions options) {
        Check.notNull("name", name);
        Check.notNull("options", options);
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals(BEST)) return openBest(options);
        for (BackendProvider provider : providers()) {
            if (provider.name().equals(wanted)) {
                Availability availability = safeProbe(provider);
                if (!availability.available()) {
                    throw new BackendUnavailableException("backend '" + wanted + "' is unavailable: "
                            + availability.detail() + "; available: " + availableNames());
                }
                return new Kernels(provider.open(options));
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; known: "
                + providers().stream().map(BackendProvider::name).collect(Collectors.joining(", "))
                + "; available: " + availableNames());
    }

    /** Opens the available backend with the highest priority. */
    public static Kernels openBest(BackendOptions options) {
        for (BackendProvider provider : providers()) {
            if (safeProbe(provider).available()) return new Kernels(provider.open(options));
        }
        throw new BackendUnavailableException("no backend is available: " + list());
    }

    /** Opens what {@value #PROPERTY} or {@value #ENV} names, else the best available. */
    public static Kernels openDefault(BackendOptions options) {
        return open(defaultName(), options);
    }

    /** The name {@link #openDefault} would use: the property, the environment variable, or "best". */
    public static String defaultName() {
        String fromProperty = System.getProperty(PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) return fromProperty;
        String fromEnv = System.getenv(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv;
        return BEST;
    }

    private static String availableNames() {
        String names = list().stream().filter(BackendInfo::available).map(BackendInfo::name)
                .collect(Collectors.joining(", "));
        return names.isEmpty() ? "(none)" : names;
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader());
        var iterator = loader.iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) break;
                found.add(iterator.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                // A provider whose class cannot even load is skipped; its module says why in its own probe.
            }
        }
        found.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        return found;
    }

    private static Availability safeProbe(BackendProvider provider) {
        try {
            Availability availability = provider.probe();
            return availability != null ? availability : Availability.unavailable("probe returned nothing");
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
