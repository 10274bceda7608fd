package io.natsjvm.resolver.claims;

/**
 * One export of an account: a stream (messages published on {@code subject} may be imported) or
 * a service (requests on {@code subject} may be imported). {@code tokenRequired} exports need an
 * activation JWT in the import; {@code responseType} is Singleton, Stream or Chunked.
 */
public record Export(String name, String subject, String type, boolean tokenRequired, String responseType) {
    public boolean isService() {
        return "service".equals(type);
    }
}
