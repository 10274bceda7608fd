package io.natsjvm.resolver.claims;

import io.natsjvm.resolver.jwt.JwtException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScopeTemplatesTest {
    private static final AccountClaims ACCOUNT = new AccountClaims("", "AACC", "APP", "O", 0, 0,
            AccountLimits.UNLIMITED, List.of(), Map.of(), List.of(), List.of(), Map.of(), List.of("env:prod"));

    private static UserClaims user(List<String> tags) {
        return new UserClaims("", "UABC", "alice", "ASK", "AACC", 0, 0, template(List.of(), List.of()), tags, false);
    }

    private static UserLimits template(List<String> pubAllow, List<String> pubDeny) {
        return new UserLimits(new SubjectRules(pubAllow, pubDeny), SubjectRules.NONE, null, List.of(), 5, -1, -1,
                false, List.of(), ConnectTimes.ANY);
    }

    @Test
    void placeholdersAreFilledAndTagsCombine() throws Exception {
        UserLimits l = ScopeTemplates.apply(template(List.of("{{name()}}.{{subject()}}", "{{account-name()}}.x",
                "a.{{tag(dept)}}.{{tag(dept)}}", "{{account-subject()}}.{{account-tag(env)}}", "plain.>"), List.of()),
                user(List.of("dept:s", "dept:o")), ACCOUNT);
        assertEquals(List.of("alice.UABC", "APP.x", "a.s.s", "a.s.o", "a.o.s", "a.o.o", "AACC.prod", "plain.>"),
                l.pub().allow());
        assertEquals(5, l.subs());
    }

    @Test
    void invalidSubjectsAreDroppedFromAllowAndFailDeny() throws Exception {
        UserLimits l = ScopeTemplates.apply(template(List.of("x.{{tag(missing)}}", "y.{{bogus()}}"), List.of()),
                user(List.of()), ACCOUNT);
        assertTrue(l.pub().allow().isEmpty());
        assertEquals(List.of(">"), l.pub().deny(), "an allow list emptied by the template denies everything");
        assertThrows(JwtException.class, () -> ScopeTemplates.apply(template(List.of(), List.of("x.{{tag(missing)}}")),
                user(List.of()), ACCOUNT));
    }

    @Test
    void subjectValidity() {
        assertTrue(ScopeTemplates.validSubject("a.*.>"));
        assertFalse(ScopeTemplates.validSubject("a..b"));
        assertFalse(ScopeTemplates.validSubject("a.>.b"));
        assertFalse(ScopeTemplates.validSubject("a. .b"));
        assertFalse(ScopeTemplates.validSubject(""));
    }
}
