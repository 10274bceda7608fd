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
import io.natsjvm.server.delivery.Subscription;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * on that subject is routed back to the requester's own reply subject ({@link ResponseRoutes}).
 * An activation's expiry re-wires its importer then, so the import stops as in nats-server.
 */
public final class ImportWiring {
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
    private final Map<Account, ResponseRoutes> routers = new ConcurrentHashMap<>();
    /** Re-wirings scheduled for expiring activations, per importer (cancelled when it is rebuilt). */
    private final Map<Account, List<ScheduledFuture<?>>> expiries = new HashMap<>();
    private volatile RequestorInfo requestors;
    private volatile ServiceLatencyReporter latencies;

    private record Installed(Account where, Subscription sub) {
    }

    /**
     * An import in force: what was imported from which account, the export that let it in and,
     * for a service whose export tracks latency, that tracking (account INFO lists these).
     */
    public record Wired(Import imp, Export export, Export.ServiceLatency tracked) {
    }

    /** Importers watched for requesters going away (their replies' interest), each once. */
    private final Set<Account> watched = ConcurrentHashMap.newKeySet();

    /** The imports in force for each importing account (replaced when it is rewired). */
    private final Map<Account, List<Wired>> wired = new ConcurrentHashMap<>();

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

    /**
     * What requests crossing a service import say about their requester ({@code Nats-Request-Info});
     * set before any import is wired.
     */
    public void requestorInfo(RequestorInfo info) {
        this.requestors = info;
    }

    /** Where tracked service exports' latency samples go; set before any import is wired. */
    public void latencyReporter(ServiceLatencyReporter reporter) {
        this.latencies = reporter;
    }

    /** The imports in force in {@code importer}, in the order its claims list them. */
    public List<Wired> importsOf(Account importer) {
        return wired.getOrDefault(importer, List.of());
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
        List<ScheduledFuture<?>> timers = expiries.remove(importer);
        if (timers != null) {
            timers.forEach(t -> t.cancel(false));
        }
        wired.remove(importer);
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
        List<Wired> inForce = new ArrayList<>();
        long nowSeconds = System.currentTimeMillis() / 1000;
        long allowed = claims.limits().imports();
        int n = 0;
        for (Import imp : claims.imports()) {
            String problem = allowed >= 0 && n++ >= allowed
                    ? "account limit of " + allowed + " imports reached" : wire(importer, imp, nowSeconds, now, inForce);
            if (problem != null) {
                log().warn("Account %s: import of %s %s from %s not wired: %s", importer.name(), imp.type(),
                        imp.subject(), imp.account(), problem);
            }
        }
        installed.put(importer, now);
        wired.put(importer, List.copyOf(inForce));
    }

    private String wire(Account importer, Import imp, long nowSeconds, List<Installed> out, List<Wired> inForce) {
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
        List<Export> covering = exporterClaims.exports().stream()
                .limit(maxExports >= 0 ? maxExports : Long.MAX_VALUE)
                .filter(e -> exporterClaims.limits().wildcards() || e.subject() == null
                        || !(e.subject().contains("*") || e.subject().contains(">")))
                .filter(e -> e.isService() == imp.isService() && e.subject() != null
                        && SubjectMatch.covers(e.subject(), imp.subject()))
                // as the reference: an export of exactly the imported subject is looked at first
                .sorted(Comparator.comparing(e -> !e.subject().equals(imp.subject())))
                .toList();
        if (covering.isEmpty()) {
            return "no matching " + imp.type() + " export";
        }
        // as the reference: any covering export that authorizes the import will do
        Export export = null;
        String refused = null;
        long activationExpires = 0;
        for (Export e : covering) {
            try {
                activationExpires = authorize(e, imp, importer, exporterClaims, nowSeconds);
                export = e;
                break;
            } catch (JwtException denied) {
                refused = refused == null ? denied.getMessage() : refused;
            }
        }
        if (export == null) {
            return refused;
        }
        if (activationExpires > 0) {
            expireAt(importer, activationExpires);
        }
        Account exporter = accountFor.apply(imp.account());
        if (imp.isService()) {
            watchRequesters(importer);
            Export.ServiceLatency tracked = trackable(export, exporterClaims);
            ServiceImportTarget target = new ServiceImportTarget(importer, exporter, export, imp.share(),
                    new SubjectMapper(imp.importerSubject(), imp.subject()),
                    routers.computeIfAbsent(exporter, ResponseRoutes::in), requestors, tracked, latencies);
            out.add(install(importer, new Subscription(target, imp.importerSubject(), null, importer.nextInternalSid())));
            inForce.add(new Wired(imp, export, tracked));
        } else {
            inForce.add(new Wired(imp, export, null));
            StreamImport target = new StreamImport(importer, new SubjectMapper(imp.subject(), imp.importerSubject()));
            out.add(install(exporter, new Subscription(target, imp.subject(), null, exporter.nextInternalSid())));
        }
        return null;
    }

    /**
     * Whether {@code e} lets {@code importer} import {@code imp}, as nats-server 2.9.10 decides: an
     * export with an account token position wants the importer's own name at that token of the
     * imported subject (no activation then); a token-required one a valid activation the
     * exporter has not revoked since it was issued.
     *
     * @return when the activation expires (unix seconds), 0 if never or none
     * @throws JwtException why not
     */
    private static long authorize(Export e, Import imp, Account importer, AccountClaims exporterClaims,
            long nowSeconds) throws JwtException {
        int pos = e.accountTokenPosition();
        if (pos > 0) {
            String[] tokens = imp.subject().split("\\.", -1);
            if (pos > tokens.length || !tokens[pos - 1].equals(importer.name())) {
                throw new JwtException("the export wants the importing account at token " + pos + " of the subject");
            }
            return 0;
        }
        if (!e.tokenRequired()) {
            return 0;
        }
        Claims.Activation a = Claims.checkActivation(imp.token(), exporterClaims, importer.name(), imp.subject(),
                nowSeconds);
        if (e.revoked(importer.name(), a.issuedAt())) {
            throw new JwtException("the activation was revoked by the exporting account");
        }
        return a.expires();
    }

    /**
     * The export's latency tracking when nats-server would accept it: Singleton responses only,
     * results on a literal subject that is not one of the exporter's own services (no loops).
     */
    private static Export.ServiceLatency trackable(Export e, AccountClaims exporterClaims) {
        Export.ServiceLatency l = e.latency();
        if (l == null || e.responseType() != null && !e.responseType().equals("Singleton")) {
            return null;
        }
        String results = l.results();
        if (results == null || results.isEmpty() || results.contains("*") || results.contains(">")
                || results.contains(" ")) {
            return null;
        }
        boolean loops = exporterClaims.exports().stream()
                .anyMatch(x -> x.isService() && x.subject() != null && SubjectMatch.covers(x.subject(), results));
        return loops ? null : l;
    }

    /**
     * When a subject loses its last subscriber in {@code importer}, responses still owed to
     * requests with replies there are dropped (a 408 for tracked ones). The listener runs under
     * the subject index's lock, so the work is handed to the timer thread.
     */
    private void watchRequesters(Account importer) {
        if (watched.add(importer)) {
            importer.addInterestListener((subject, queue, weight, origin) -> {
                if (weight == 0 && queue == null && !routers.isEmpty()) {
                    Timers.SCHEDULER.execute(() -> routers.values().forEach(r -> r.interestLost(importer, subject)));
                }
            });
        }
    }

    /** Re-wires {@code importer} when an activation it uses expires, so the import stops then. */
    private void expireAt(Account importer, long expiresSeconds) {
        long delayMillis = Math.max(0, expiresSeconds * 1000 - System.currentTimeMillis());
        expiries.computeIfAbsent(importer, k -> new ArrayList<>()).add(Timers.SCHEDULER.schedule(() -> {
            synchronized (this) {
                rebuild(importer);
            }
        }, delayMillis, TimeUnit.MILLISECONDS));
    }

    private static Installed install(Account where, Subscription sub) {
        where.subscribe(sub);
        return new Installed(where, sub);
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
}
