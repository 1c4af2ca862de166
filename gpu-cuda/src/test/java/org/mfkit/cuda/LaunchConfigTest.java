package org.mfkit.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LaunchConfigTest {
    @Test
    void blocksCoverEveryThreadWithoutAnEmptyBlock() {
        assertEquals(0, LaunchConfig.blocks(0, 256));
        assertEquals(1, LaunchConfig.blocks(1, 256));
        assertEquals(1, LaunchConfig.blocks(256, 256));
        assertEquals(2, LaunchConfig.blocks(257, 256));
        long elements = (long) Integer.MAX_VALUE - 8;
        int blocks = LaunchConfig.blocks(elements, LaunchConfig.BLOCK);
        assertTrue((long) blocks * LaunchConfig.BLOCK >= elements);
        assertTrue((long) (blocks - 1) * LaunchConfig.BLOCK < elements);
    }

    @Test
    void gridsBeyondCudasLimitAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchConfig.blocks(Long.MAX_VALUE / 2, 1));
        assertTrue(e.getMessage().contains("grid limit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.blocks(-1, 256));
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.blocks(10, 0));
    }

    @Test
    void reductionGridDependsOnlyOnNAndIsBounded() {
        assertEquals(1, LaunchConfig.reductionBlocks(0));
        assertEquals(1, LaunchConfig.reductionBlocks(256));
        assertEquals(2, LaunchConfig.reductionBlocks(257));
        assertEquals(LaunchConfig.MAX_REDUCE_BLOCKS, LaunchConfig.reductionBlocks(Integer.MAX_VALUE));
        assertEquals(LaunchConfig.reductionBlocks(1_000_000), LaunchConfig.reductionBlocks(1_000_000));
    }
}
