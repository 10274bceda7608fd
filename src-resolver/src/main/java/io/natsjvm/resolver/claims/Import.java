package io.natsjvm.resolver.claims;

/**
 * One import: {@code subject} in the exporting {@code account}; {@code localSubject} (or the
 * older {@code to} prefix for streams) is where it appears in the importing account; {@code token}
 * is the activation JWT for token-required exports.
 */
public record Import(String name, String subject, String account, String token, String to, String localSubject,
        String type) {
    public boolean isService() {
        return "service".equals(type);
    }

    /** The subject in the importing account: what it subscribes to (stream) or requests (service). */
    public String importerSubject() {
        if (localSubject != null && !localSubject.isEmpty()) {
            return localSubject;
        }
        if (!isService() && to != null && !to.isEmpty()) {
            return to + "." + subject;
        }
        return subject;
    }
}
