package io.natsjvm.server.account;

import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.claims.Claims;
import io.natsjvm.resolver.claims.Export;
import io.natsjvm.resolver.claims.Import;
import io.natsjvm.resolver.claims.SubjectMatch;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.MessageTarget;
import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.delivery.SubjectMapper;
import io.natsjvm.server.delivery.SubjectMappings;
import io.natsjvm.server.delivery.Subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Streams and services flowing between accounts as their JWTs declare: an import is wired only
 * if the exporting account exports a subject covering it (with a valid activation token when
 * the export requires one). Wiring is rebuilt whenever an account's claims change, so an added
 * export/import takes effect live.
 *
 * <p>A stream import is a subscription in the exporter's subject space that re-publishes into
 * the importer (subject mapped). A service import is a subscription in the importer's space that
 * forwards requests to the exporter with a reply subject {@code _R_.<id>}; the exporter's response
 * on that subject is routed back to the requester's own reply subject.
 */
public final class ImportWiring {
    private static final long RESPONSE_TTL_NANOS = 120_000_000_000L;

    private final Function<String, Account> accountFor;
    private final Function<String, AccountClaims> claimsFor;
    private final Function<Account, AccountClaims> importsOf;
    /** Looked up per use: SIGUSR1 (and later reload) replace the process logger. */
    private static ServerLog log() {
        return ServerLog.get();
    }
    /** Subscriptions installed for each importing account, to undo on the next rebuild. */
    private final Map<Account, List<Installed>> installed = new ConcurrentHashMap<>();
    /** Exporter account name → the accounts importing from it (guarded by this object's lock). */
    private final Map<String, Set<Account>> importers = new HashMap<>();
    private final Map<Account, Set<String>> exportersOf = new HashMap<>();
    private final Map<Account, ResponseRouter> routers = new ConcurrentHashMap<>();

    private record Installed(Account where, Subscription sub) {
    }

    /**
     * @param accountFor the account object for a key, created (with its claims) if needed
     * @param claimsFor  validated claims for an account key, or null if unknown/invalid
     */
    public ImportWiring(Function<String, Account> accountFor, Function<String, AccountClaims> claimsFor) {
        this(accountFor, claimsFor, Account::claims);
    }

    /**
     * @param importsOf the claims whose imports an account wires: its JWT's in operator mode, or
     *                  claims made from the config file's account block (config mode)
     */
    public ImportWiring(Function<String, Account> accountFor, Function<String, AccountClaims> claimsFor,
            Function<Account, AccountClaims> importsOf) {
        this.accountFor = accountFor;
        this.claimsFor = claimsFor;
        this.importsOf = importsOf;
    }

    /** Re-wires {@code changed}'s imports and the imports of every account importing from it. */
    public synchronized void claimsChanged(Account changed) {
        rebuild(changed);
        Set<Account> dependents = importers.get(changed.name());
        if (dependents != null) {
            for (Account a : List.copyOf(dependents)) {
                if (a != changed) {
                    rebuild(a);
                }
            }
        }
    }

    /**
     * Notes whom {@code importer} imports from, without wiring it (an exporting account loaded for
     * someone else's import): a later change of those accounts still rewires it.
     */
    public synchronized void indexImports(Account importer) {
        index(importer, importsOf.apply(importer));
    }

    /** Keeps the reverse index (exporter → importers) that spares a scan of every account per update. */
    private void index(Account importer, AccountClaims claims) {
        Set<String> before = exportersOf.remove(importer);
        if (before != null) {
            for (String exporter : before) {
                Set<Account> set = importers.get(exporter);
                if (set != null) {
                    set.remove(importer);
                    if (set.isEmpty()) {
                        importers.remove(exporter);
                    }
                }
            }
        }
        if (claims == null || claims.imports().isEmpty()) {
            return;
        }
        Set<String> now = new HashSet<>();
        for (Import imp : claims.imports()) {
            if (imp.account() != null) {
                now.add(imp.account());
                importers.computeIfAbsent(imp.account(), k -> new HashSet<>()).add(importer);
            }
        }
        exportersOf.put(importer, now);
    }

    private void rebuild(Account importer) {
        AccountClaims claims = importsOf.apply(importer);
        index(importer, claims);
        List<Installed> old = installed.remove(importer);
        if (old != null) {
            for (Installed i : old) {
                i.sub().close();
                i.where().unsubscribe(i.sub());
            }
        }
        if (claims == null || claims.imports().isEmpty()) {
            return;
        }
        List<Installed> now = new ArrayList<>();
        long nowSeconds = System.currentTimeMillis() / 1000;
        long allowed = claims.limits().imports();
        int n = 0;
        for (Import imp : claims.imports()) {
            String problem = allowed >= 0 && n++ >= allowed
                    ? "account limit of " + allowed + " imports reached" : wire(importer, imp, nowSeconds, now);
            if (problem != null) {
                log().warn("Account %s: import of %s %s from %s not wired: %s", importer.name(), imp.type(),
                        imp.subject(), imp.account(), problem);
            }
        }
        installed.put(importer, now);
    }

    private String wire(Account importer, Import imp, long nowSeconds, List<Installed> out) {
        if (imp.account() == null || imp.subject() == null) {
            return "import needs an account and a subject";
        }
        AccountClaims exporterClaims = claimsFor.apply(imp.account());
        if (exporterClaims == null) {
            return "exporting account unknown or invalid";
        }
        // The exporter's limits decide which of its exports count: the first `exports` of them,
        // and none with wildcards when wildcards are not allowed.
        long maxExports = exporterClaims.limits().exports();
        List<Export> exports = exporterClaims.exports().stream()
                .limit(maxExports >= 0 ? maxExports : Long.MAX_VALUE)
                .filter(e -> exporterClaims.limits().wildcards() || e.subject() == null
                        || !(e.subject().contains("*") || e.subject().contains(">")))
                .toList();
        Export export = exports.stream()
                .filter(e -> e.isService() == imp.isService() && e.subject() != null
                        && SubjectMatch.covers(e.subject(), imp.subject()))
                .findFirst().orElse(null);
        if (export == null) {
            return "no matching " + imp.type() + " export";
        }
        if (export.tokenRequired()) {
            try {
                Claims.checkActivation(imp.token(), exporterClaims, importer.name(), imp.subject(), nowSeconds);
            } catch (JwtException e) {
                return e.getMessage();
            }
        }
        Account exporter = accountFor.apply(imp.account());
        if (imp.isService()) {
            ServiceImport target = new ServiceImport(importer, exporter,
                    new SubjectMapper(imp.importerSubject(), imp.subject()), routers.computeIfAbsent(exporter, this::router));
            out.add(install(importer, new Subscription(target, imp.importerSubject(), null, "si")));
        } else {
            StreamImport target = new StreamImport(importer, new SubjectMapper(imp.subject(), imp.importerSubject()));
            out.add(install(exporter, new Subscription(target, imp.subject(), null, "im")));
        }
        return null;
    }

    private static Installed install(Account where, Subscription sub) {
        where.subscribe(sub);
        return new Installed(where, sub);
    }

    private ResponseRouter router(Account exporter) {
        ResponseRouter r = new ResponseRouter();
        exporter.subscribe(new Subscription(r, "_R_.>", null, "rr"));
        return r;
    }

    /** Messages of an exported stream, re-published into the importing account. */
    private record StreamImport(Account importer, SubjectMapper mapper) implements MessageTarget {
        @Override
        public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
            String subject = mapper.map(m.subject);
            InboundMessage copy = SubjectMapper.copy(m, subject, m.reply());
            try {
                return importer.publish(copy, batch);
            } finally {
                copy.buf.release();
            }
        }
    }

    /** Requests to an imported service, forwarded to the exporter with a routable reply. */
    private record ServiceImport(Account importer, Account exporter, SubjectMapper mapper, ResponseRouter responses)
            implements MessageTarget {
        /** The importer's requests are answered here: not interest to announce to peers. */
        @Override
        public boolean propagatesInterest() {
            return false;
        }

        @Override
        public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
            String subject = mapper.map(m.subject);
            SubjectMappings exporterMappings = exporter.mappings();
            if (exporterMappings != null) {
                // as the reference: the exporting account's mappings apply to the imported request
                subject = exporterMappings.map(subject, null);
                if (subject == null) {
                    return false;
                }
            }
            String reply = m.hasReply() ? responses.register(importer, m.reply()) : null;
            InboundMessage copy = SubjectMapper.copy(m, subject, reply);
            try {
                return exporter.publish(copy, batch);
            } finally {
                copy.buf.release();
            }
        }
    }

    /** Routes responses published on {@code _R_.<id>} in the exporter back to the requester. */
    private static final class ResponseRouter implements MessageTarget {
        private final Map<String, Pending> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        private final String prefix = "_R_." + Long.toString(System.nanoTime() & 0xffffffL, 36) + ".";

        private record Pending(Account importer, String reply, long created) {
        }

        String register(Account importer, String reply) {
            long now = System.nanoTime();
            if (pending.size() > 10_000) {
                pending.values().removeIf(p -> now - p.created() > RESPONSE_TTL_NANOS);
            }
            String id = prefix + Long.toString(ids.incrementAndGet(), 36);
            pending.put(id, new Pending(importer, reply, now));
            return id;
        }

        @Override
        public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
            Pending p = pending.remove(m.subject);
            if (p == null || p.importer() == null) {
                return false;
            }
            InboundMessage copy = SubjectMapper.copy(m, p.reply(), m.reply());
            try {
                return p.importer().publish(copy, batch);
            } finally {
                copy.buf.release();
            }
        }
    }
}
