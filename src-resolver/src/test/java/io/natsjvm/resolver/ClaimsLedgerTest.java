package io.natsjvm.resolver;

import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClaimsLedgerTest {
    private final NKeyPair operator = NKeyPair.create(NKeys.PREFIX_OPERATOR);
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);

    private String account(NKeyPair a, String name) {
        return Jwts.sign(Jwts.claims(a.publicKey(), name, "account"), operator);
    }

    @Test
    void enforcementTimesBeforeTheListenerAttachesReachItFirst() {
        ClaimsLedger ledger = new ClaimsLedger(clock);
        ledger.enforced(5);
        ledger.enforced(7);
        List<Long> told = new ArrayList<>();
        ledger.onEnforced(told::add);
        ledger.enforced(9);
        assertEquals(List.of(5L, 7L, 9L), told);
        assertEquals(3, ledger.enforcedCount());
    }

    @Test
    void onlyTheFirstEarlyEnforcementTimesAreKept() {
        ClaimsLedger ledger = new ClaimsLedger(clock);
        for (int i = 0; i < ClaimsLedger.EARLY_CAP + 10; i++) {
            ledger.enforced(i);
        }
        List<Long> told = new ArrayList<>();
        ledger.onEnforced(told::add);
        assertEquals(ClaimsLedger.EARLY_CAP, told.size());
        assertEquals(ClaimsLedger.EARLY_CAP + 10, ledger.enforcedCount(), "the count still has them all");
    }

    @Test
    void aRepeatedJwtKeepsItsFirstSourceAndANewOneReplacesIt() {
        ClaimsLedger ledger = new ClaimsLedger(clock);
        NKeyPair a = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        String first = account(a, "A");
        ledger.record(a.publicKey(), first, ClaimsLedger.Source.PRELOAD);
        ledger.recordIfChanged(a.publicKey(), first, ClaimsLedger.Source.LOOKUP);
        assertEquals(ClaimsLedger.Source.PRELOAD, ledger.get(a.publicKey()).source());
        String second = account(a, "A2");
        ledger.recordIfChanged(a.publicKey(), second, ClaimsLedger.Source.LOOKUP);
        ClaimsLedger.Entry e = ledger.get(a.publicKey());
        assertEquals(ClaimsLedger.Source.LOOKUP, e.source());
        assertEquals("A2", e.name());
        assertEquals(operator.publicKey(), e.issuer());
        assertEquals(ClaimsLedger.sha256(second), e.hash());
        ledger.deleted(a.publicKey());
        assertNull(ledger.get(a.publicKey()));
    }

    @Test
    void storedJwtsAreEnteredLazilyAsStoreAtStartTime() {
        ClaimsLedger ledger = new ClaimsLedger(clock);
        NKeyPair a = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        NKeyPair b = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        Map<String, String> store = Map.of(a.publicKey(), account(a, "A"), b.publicKey(), "not a jwt");
        ledger.storedAtStart(store::keySet, store::get);
        List<ClaimsLedger.Entry> all = ledger.all();
        assertEquals(1, all.size(), "an undecodable stored JWT is never in force");
        assertEquals(ClaimsLedger.Source.STORE, all.get(0).source());
        assertEquals(clock.instant(), all.get(0).at());
    }

    @Test
    void outcomesAndEnforcementAreCounted() {
        ClaimsLedger ledger = new ClaimsLedger(clock);
        long[] seen = new long[1];
        ledger.onEnforced(n -> seen[0] = n);
        ledger.outcome(ClaimsLedger.Outcome.REJECTED);
        ledger.enforced(3_000_000);
        ledger.enforced(1_000_000);
        assertEquals(1, ledger.count(ClaimsLedger.Outcome.REJECTED));
        assertEquals(0, ledger.count(ClaimsLedger.Outcome.APPLIED));
        assertEquals(2, ledger.enforcedCount());
        assertEquals(3_000_000, ledger.enforcedMaxNanos());
        assertEquals(1_000_000, seen[0]);
    }
}
