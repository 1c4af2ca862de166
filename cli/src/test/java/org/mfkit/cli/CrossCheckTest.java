package org.mfkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;
import org.mfkit.core.spi.BackendOptions;

class CrossCheckTest {
    @Test
    void theReferenceAgreesWithItselfExactly() {
        try (Kernels a = Backends.open("scalar", BackendOptions.threads(1));
             Kernels b = Backends.open("scalar", BackendOptions.threads(1))) {
            List<CrossCheck.Result> results = new CrossCheck().compare(a, b);
            assertEquals(5, results.size());
            for (CrossCheck.Result r : results) {
                assertTrue(r.pass(), r.toString());
                assertEquals(0.0, r.error(), r.toString());
                assertTrue(r.tolerance() > 0 && r.tolerance() < 1e-3, r.toString());
            }
        }
    }
}
