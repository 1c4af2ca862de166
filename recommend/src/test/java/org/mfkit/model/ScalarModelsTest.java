package org.mfkit.model;

import org.mfkit.core.Backends;
import org.mfkit.core.Kernels;

/** The model suite on the scalar reference backend. */
class ScalarModelsTest extends AbstractModelsTest {
    @Override
    protected Kernels open() {
        return Backends.open("scalar");
    }
}
