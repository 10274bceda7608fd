package io.natsjvm.embedded;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A JUnit 5 test class with a NATS server: one is started before the class's tests and stopped
 * after them, on a free port; tests (and constructors, and lifecycle methods) take it as an
 * {@link EmbeddedNatsServer} parameter.
 * <pre>{@code
 * @NatsServerTest
 * class OrdersTest {
 *     @Test
 *     void publishes(EmbeddedNatsServer nats) throws Exception {
 *         try (Connection c = Nats.connect(nats.url())) { ... }
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NatsServerExtension.class)
public @interface NatsServerTest {
    /** Config in nats-server syntax; empty: the defaults (no auth). */
    String config() default "";

    /** Operator mode with the bundled sample operator ({@link EmbeddedNatsServer#credentials}). */
    boolean sampleOperator() default false;
}
