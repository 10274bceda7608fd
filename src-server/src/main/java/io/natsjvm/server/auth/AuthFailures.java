package io.natsjvm.server.auth;

/** Groups free-text login failure reasons into a few stable labels for metrics. */
public final class AuthFailures {
    private AuthFailures() {
    }

    public static String category(String why) {
        if (why == null) {
            return "other";
        }
        if (why.startsWith("no CONNECT")) {
            return "no_connect";
        }
        if (why.startsWith("unknown user")) {
            return "unknown_user";
        }
        if (why.startsWith("bad password")) {
            return "bad_password";
        }
        if (why.contains("token")) {
            return "bad_token";
        }
        if (why.startsWith("no user") || why.startsWith("no credentials")) {
            return "missing_credentials";
        }
        if (why.contains("nkey") || why.contains("signature")) {
            return "bad_signature";
        }
        return "other";
    }
}
