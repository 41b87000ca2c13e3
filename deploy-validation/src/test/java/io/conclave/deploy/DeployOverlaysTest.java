package io.conclave.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.deploy.NodeValidator.Result;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every overlay of deploy/ renders, matches its schemas and agrees with the services it deploys. */
class DeployOverlaysTest {

    @Test
    void everyOverlayPassesValidation() throws Exception {
        Result result = NodeValidator.installed().run(Map.of(), NodeValidator.overlays());
        System.out.println(result.output());
        assertEquals(0, result.exit(), () -> "deploy/ validation failed:\n" + result.output());
        assertTrue(result.output().contains(" passed, 0 failed"), result.output());
    }
}
