package io.natsjvm.resolver.claims;

/**
 * One import: {@code subject} in the exporting {@code account}; {@code localSubject} (or the
 * older {@code to} prefix for streams) is where it appears in the importing account; {@code token}
 * is the activation JWT for token-required exports; {@code share} (services) lets the exporter
 * see the requester's details, not just its account and round trip time.
 */
public record Import(String name, String subject, String account, String token, String to, String localSubject,
        String type, boolean share) {
    public Import(String name, String subject, String account, String token, String to, String localSubject,
            String type) {
        this(name, subject, account, token, to, localSubject, type, false);
    }

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
