package io.conclave.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Starts the {@link Mesh} once for the whole test run and stops it when the run ends. */
public final class MeshExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Mesh.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Mesh.class, key -> new Running(), Running.class).mesh;
    }

    /** Wraps the mesh so JUnit closes it at the end of the run. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        private final Mesh mesh;

        Running() {
            try {
                mesh = Mesh.start();
            } catch (Exception e) {
                throw new IllegalStateException("the mesh did not start: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws Exception {
            mesh.close();
        }
    }
}
