package io.conclave.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class on the mesh that the whole run shares ({@link MeshExtension}): each test starts from the
 * simulator's baseline settings and zeroed stats.
 */
@ExtendWith(MeshExtension.class)
abstract class SharedMeshTest {

    protected final Mesh mesh;
    protected final Simulator simulator;

    SharedMeshTest(Mesh mesh) {
        this.mesh = mesh;
        this.simulator = new Simulator(mesh);
    }

    @BeforeEach
    void resetSimulator() throws Exception {
        simulator.reset(null);
    }
}
