package io.natsjvm.server.protocol;

/** The -ERR texts of nats-server 2.9.10, verbatim (case matters to clients that match on them). */
public final class ProtocolErrors {
    private ProtocolErrors() {
    }

    public static final String UNKNOWN_OPERATION = "Unknown Protocol Operation";
    public static final String AUTHORIZATION_VIOLATION = "Authorization Violation";
    public static final String AUTHENTICATION_TIMEOUT = "Authentication Timeout";
    public static final String MAX_CONTROL_LINE = "maximum control line exceeded";
    public static final String MAX_PAYLOAD = "Maximum Payload Violation";
    public static final String MAX_CONNECTIONS = "maximum connections exceeded";
    public static final String MAX_SUBSCRIPTIONS = "maximum subscriptions exceeded";
    public static final String MAX_ACCOUNT_CONNECTIONS = "maximum account active connections exceeded";
    public static final String INVALID_SUBJECT = "Invalid Subject";
    public static final String INVALID_PUBLISH_SUBJECT = "Invalid Publish Subject";
    public static final String STALE_CONNECTION = "Stale Connection";
    public static final String BAD_CLIENT_PROTOCOL = "invalid client protocol";
    public static final String NO_RESPONDERS_REQUIRES_HEADERS = "no responders requires headers support";

    public static String publishViolation(String subject) {
        return "Permissions Violation for Publish to \"" + subject + "\"";
    }

    public static String subscribeViolation(String subject, String queue) {
        if (queue != null) {
            return "Permissions Violation for Subscription to \"" + subject + "\" using queue \"" + queue + "\"";
        }
        return "Permissions Violation for Subscription to \"" + subject + "\"";
    }
}
