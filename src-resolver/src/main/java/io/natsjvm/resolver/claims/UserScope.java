package io.natsjvm.resolver.claims;

/**
 * A scoped signing key of an account ({@code "kind": "user_scope"}): users it signs carry no
 * permissions or limits of their own and get {@code template}, with its {@code {{name()}}}-style
 * placeholders filled in per user (see {@link ScopeTemplates}).
 */
public record UserScope(String key, String role, UserLimits template) {
}
