package io.natsjvm.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@link NatsServerTest}'s extension: one server per test class, kept in the class's extension
 * store (so JUnit closes it after the class, also when a test fails), resolved for parameters of
 * type {@link EmbeddedNatsServer}.
 */
public final class NatsServerExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NatsServerExtension.class);

    /** The store closes what it holds that is closeable when the class's context ends. */
    private record Running(EmbeddedNatsServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedNatsServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    private static EmbeddedNatsServer server(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        ExtensionContext classContext = context;
        while (classContext.getParent().isPresent() && classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NS).getOrComputeIfAbsent(testClass, c -> {
            NatsServerTest spec = testClass.getAnnotation(NatsServerTest.class);
            EmbeddedNatsServer.Builder b = EmbeddedNatsServer.builder();
            if (spec != null) {
                if (!spec.config().isEmpty()) {
                    b.config(spec.config());
                }
                if (spec.sampleOperator()) {
                    b.sampleOperator();
                }
            }
            return new Running(b.start());
        }, Running.class).server();
    }
}
