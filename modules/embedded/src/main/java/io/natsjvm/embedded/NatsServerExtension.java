package io.natsjvm.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.List;

/**
 * {@link NatsServerTest}'s extension: the server lives in the class's (or, per test, the
 * method's) extension store, so JUnit closes it when that context ends, also after a failure;
 * jnats connections it hands out live in the method's store and close after the test.
 */
public final class NatsServerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NatsServerExtension.class);
    private static final String CONNECTION = "io.nats.client.Connection";

    /** What the store closes when its context ends. */
    private record Closing(AutoCloseable resource) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            resource.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!spec(context).perTest()) {
            server(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedNatsServer.class
                || (type == String.class && parameter.isAnnotated(NatsUrl.class))
                || type.getName().equals(CONNECTION);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmbeddedNatsServer server = server(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == EmbeddedNatsServer.class) {
            return server;
        }
        if (type == String.class) {
            return server.url();
        }
        try {
            AutoCloseable c = JnatsConnections.connect(server, spec(context));
            context.getStore(NS).put(new Object(), new Closing(c));
            return c;
        } catch (Exception e) {
            throw new ParameterResolutionException("cannot connect to the test's NATS server: " + e, e);
        }
    }

    private static NatsServerTest spec(ExtensionContext context) {
        NatsServerTest s = context.getRequiredTestClass().getAnnotation(NatsServerTest.class);
        if (s == null) {
            throw new IllegalStateException("NatsServerExtension goes with @NatsServerTest");
        }
        return s;
    }

    private static EmbeddedNatsServer server(ExtensionContext context) {
        NatsServerTest spec = spec(context);
        ExtensionContext owner = context;
        if (!spec.perTest()) {
            while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
                owner = owner.getParent().get();
            }
        }
        Closing c = owner.getStore(NS).getOrComputeIfAbsent("server", k -> new Closing(start(spec)), Closing.class);
        return (EmbeddedNatsServer) c.resource();
    }

    private static EmbeddedNatsServer start(NatsServerTest spec) {
        EmbeddedNatsServer.Builder b = EmbeddedNatsServer.builder();
        if (!spec.config().isEmpty()) {
            b.config(spec.config());
        }
        if (spec.sampleOperator()) {
            b.sampleOperator();
        }
        if (spec.accounts().length > 0) {
            b.operator(List.of(spec.accounts()), List.of(spec.users()));
        }
        return b.start();
    }
}
