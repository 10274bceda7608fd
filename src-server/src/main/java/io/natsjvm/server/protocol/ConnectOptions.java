package io.natsjvm.server.protocol;

/**
 * The JSON of a client's CONNECT ({@link ConnectDecoder} reads it); unknown fields are ignored, as
 * the reference does.
 *
 * <p>Every component is nullable because the reference decodes each CONNECT on top of the options
 * the connection already has: a field the JSON leaves out (or sets to null) keeps its earlier value,
 * and a connection starts out verbose, pedantic and echoing. So {@code CONNECT {}} from a raw
 * socket gets +OK for every command. {@link #over} applies that rule; the options a connection
 * works with are always the result of it, so none of their flags is null.
 */
public record ConnectOptions(
        Boolean verbose,
        Boolean pedantic,
        Boolean tlsRequired,
        String authToken,
        String user,
        String pass,
        String name,
        String lang,
        String version,
        Integer protocol,
        Boolean echo,
        Boolean headers,
        Boolean noResponders,
        String nkey,
        String sig,
        String jwt,
        String account,
        Boolean newAccount) {

    /** A connection's options before any CONNECT: verbose, pedantic and echo on. */
    public static final ConnectOptions DEFAULTS = new ConnectOptions(true, true, false, null, null, null, null,
            null, null, 0, true, false, false, null, null, null, null, false);

    /** The same options with this user JWT (a websocket client's JWT cookie when CONNECT has none). */
    public ConnectOptions withJwt(String token) {
        return new ConnectOptions(verbose, pedantic, tlsRequired, authToken, user, pass, name, lang, version, protocol,
                echo, headers, noResponders, nkey, sig, token, account, newAccount);
    }

    /** The same options with headers off (a server with {@code no_header_support}). */
    public ConnectOptions withoutHeaders() {
        return new ConnectOptions(verbose, pedantic, tlsRequired, authToken, user, pass, name, lang, version, protocol,
                echo, false, noResponders, nkey, sig, jwt, account, newAccount);
    }

    /** These options decoded on top of {@code base}: what this CONNECT left out keeps base's value. */
    public ConnectOptions over(ConnectOptions base) {
        return new ConnectOptions(or(verbose, base.verbose), or(pedantic, base.pedantic),
                or(tlsRequired, base.tlsRequired), or(authToken, base.authToken), or(user, base.user),
                or(pass, base.pass), or(name, base.name), or(lang, base.lang), or(version, base.version),
                or(protocol, base.protocol), or(echo, base.echo), or(headers, base.headers),
                or(noResponders, base.noResponders), or(nkey, base.nkey), or(sig, base.sig), or(jwt, base.jwt),
                or(account, base.account), or(newAccount, base.newAccount));
    }

    private static <T> T or(T value, T earlier) {
        return value != null ? value : earlier;
    }

    /** Echo defaults to on when the field is absent. */
    public boolean echoEnabled() {
        return echo == null || echo;
    }
}
