package io.natsjvm.embedded;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A JUnit 5 test class with a NATS server on a free port, started before the class's tests (or
 * before each test, with {@link #perTest}) and stopped after. Tests, constructors and lifecycle
 * methods take it as parameters: an {@link EmbeddedNatsServer}, a {@code String} annotated
 * {@link NatsUrl}, or a connected jnats {@code io.nats.client.Connection} (closed after the test;
 * in operator mode logged in as the first account's first user).
 * <pre>{@code
 * @NatsServerTest(accounts = {"ORDERS", "BILLING"}, users = {"app"})
 * class OrdersTest {
 *     @Test
 *     void publishes(Connection nc, EmbeddedNatsServer nats) throws Exception {
 *         nc.publish("orders.new", "42".getBytes());
 *         Path billing = nats.credentials("BILLING", "app");
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

    /** Operator mode with a fresh operator and these accounts (plus SYS); empty: not generated. */
    String[] accounts() default {};

    /** The users of each generated account (default "user"). */
    String[] users() default {};

    /** A new server for every test instead of one for the class. */
    boolean perTest() default false;
}
