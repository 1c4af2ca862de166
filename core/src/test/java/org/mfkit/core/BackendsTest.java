package org.mfkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mfkit.core.spi.BackendOptions;

class BackendsTest {
    @Test
    void scalarIsListedAvailableAndOpensByName() {
        List<BackendInfo> all = Backends.list();
        BackendInfo scalar = all.stream().filter(b -> b.name().equals("scalar")).findFirst().orElseThrow();
        assertTrue(scalar.available(), scalar.toString());
        try (Kernels kernels = Backends.open("scalar")) {
            assertEquals("scalar", kernels.backendName());
        }
    }

    @Test
    void unknownNameListsWhatIsAvailable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("no-such-backend", BackendOptions.defaults()));
        assertTrue(e.getMessage().contains("no-such-backend"), e.getMessage());
        assertTrue(e.getMessage().contains("available: ") && e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void systemPropertySelectsTheBackend() {
        String before = System.getProperty(Backends.PROPERTY);
        System.setProperty(Backends.PROPERTY, "scalar");
        try (Kernels kernels = Backends.openDefault(BackendOptions.defaults())) {
            assertEquals("scalar", kernels.backendName());
        } finally {
            if (before == null) System.clearProperty(Backends.PROPERTY);
            else System.setProperty(Backends.PROPERTY, before);
        }
    }
}
