package io.natsjvm.server.leaf;

import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.account.AccountRegistry;
import io.natsjvm.server.auth.Authenticator;
import io.natsjvm.server.config.ServerOptions;

/** What leaf node connections need from the server; the server implements it. */
public interface LeafHost {
    ServerOptions options();

    String serverId();

    String serverName();

    AccountRegistry accounts();

    /** The named account (null: the global account), created on first use. */
    Account account(String name);

    /** The clients' authenticator: a leaf without leafnode users logs in as a client would. */
    Authenticator authenticator();

    long nextCid();

    /** Puts a JWT login's account claims in force (a leaf logging in with .creds). */
    void accountClaims(Account a, AccountClaims claims);

    /** The cluster name when clustered, else null. */
    String clusterName();

    void internalError(LeafConnection leaf, Throwable t);

    /** A leaf node joined ({@code true}) or left an account: events and counts. */
    void leafChanged(LeafConnection leaf, boolean connected);
}
