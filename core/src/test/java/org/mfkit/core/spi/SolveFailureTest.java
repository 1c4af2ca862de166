package org.mfkit.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.mfkit.core.NotPositiveDefiniteException;

/** The failure record every backend reports a broken-down SPD solve with. */
class SolveFailureTest {
    @Test
    void theFirstFailureInSystemOrderWinsWhateverWorkerFoundIt() {
        SolveFailure late = SolveFailure.cholesky(40, 2, -1f);
        SolveFailure early = SolveFailure.conjugateGradient(7, -0.5f);
        assertEquals(early, SolveFailure.first(new SolveFailure[] {null, late, early, null}));
        assertNull(SolveFailure.first(new SolveFailure[] {null, null}));
    }

    @Test
    void becomesTheExceptionNamingTheSystemColumnAndPivot() {
        NotPositiveDefiniteException e = SolveFailure.cholesky(3, 1, -2f).toException("a");
        assertEquals("a 3: matrix is not symmetric positive definite (pivot 1 = -2.0)", e.getMessage());
        assertEquals(1, e.column());
        NotPositiveDefiniteException cg = SolveFailure.conjugateGradient(3, -0.25f).toException("ratings row", 17);
        assertEquals(17, cg.system());
        assertEquals(SolveFailure.NO_COLUMN, cg.column());
        assertEquals(-0.25f, cg.pivot());
    }
}
