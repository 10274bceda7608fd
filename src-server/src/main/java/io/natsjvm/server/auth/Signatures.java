package io.natsjvm.server.auth;

import java.util.Base64;

/** Nonce signatures from CONNECT: base64url without padding, or standard base64 as some clients send. */
public final class Signatures {
    private Signatures() {
    }

    /** @return the signature bytes, or null if neither encoding fits */
    public static byte[] decode(String sig) {
        if (sig == null || sig.isEmpty()) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getDecoder().decode(sig);
            } catch (IllegalArgumentException e2) {
                return null;
            }
        }
    }
}
