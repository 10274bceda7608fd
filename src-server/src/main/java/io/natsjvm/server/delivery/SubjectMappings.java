package io.natsjvm.server.delivery;


import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An account's subject mappings ({@code mappings {}} in the config, {@code mappings} in an
 * account JWT), as nats-server 2.9.10 applies them to what clients and leaf nodes publish: the
 * first mapping whose source matches rewrites the subject to one of its destinations, picked by
 * weight (cluster-scoped destinations first when this server's cluster has some). When the
 * weights add up to less than 100 the subject keeps its own name for the rest, unless the source
 * is itself listed: then the rest is dropped. Immutable; any thread.
 */
public final class SubjectMappings {
    /** A destination as configured: subject, weight 0-100, optional cluster scope. */
    public record Destination(String subject, int weight, String cluster) {
    }

    private record Weighted(SubjectTransform transform, int upTo) {
    }

    private record Mapping(String source, boolean wildcard, List<Weighted> all, Map<String, List<Weighted>> byCluster) {
    }

    private final List<Mapping> mappings;
    /** What was configured (equality: a reload changes mappings only when this changes). */
    private final Map<String, List<Destination>> spec;

    private SubjectMappings(List<Mapping> mappings, Map<String, List<Destination>> spec) {
        this.mappings = mappings;
        this.spec = spec;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubjectMappings other && spec.equals(other.spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    /** Builds an account's mappings, checked as the reference checks them. */
    public static final class Builder {
        private final Map<String, Mapping> bySource = new LinkedHashMap<>();
        private final Map<String, List<Destination>> spec = new LinkedHashMap<>();

        /**
         * Adds (or replaces) the mapping of {@code source}.
         *
         * @throws IllegalArgumentException with the reference's reason
         */
        public Builder add(String source, List<Destination> destinations) {
            if (!Subjects.isValidSubscribeSubject(source)) {
                throw new IllegalArgumentException("invalid subject");
            }
            boolean wildcard = Subjects.hasWildcardToken(source);
            Set<String> seen = new HashSet<>();
            List<Destination> plain = new ArrayList<>();
            Map<String, List<Destination>> scoped = new LinkedHashMap<>();
            int total = 0;
            for (Destination d : destinations) {
                if (!seen.add(d.subject())) {
                    throw new IllegalArgumentException("duplicate entry for \"" + d.subject() + "\"");
                }
                if (d.weight() > 100) {
                    throw new IllegalArgumentException("individual weights need to be <= 100");
                }
                total += d.weight();
                if (total > 100) {
                    throw new IllegalArgumentException("total weight needs to be <= 100");
                }
                SubjectTransform.validateDestination(d.subject());
                SubjectTransform.of(source, d.subject());
                if (d.cluster() == null || d.cluster().isEmpty()) {
                    plain.add(d);
                } else {
                    scoped.computeIfAbsent(d.cluster(), c -> new ArrayList<>()).add(d);
                }
            }
            boolean sourceListed = seen.contains(source);
            Map<String, List<Weighted>> byCluster = new LinkedHashMap<>();
            scoped.forEach((c, ds) -> byCluster.put(c, weighted(source, wildcard, ds, sourceListed)));
            bySource.put(source, new Mapping(source, wildcard, weighted(source, wildcard, plain, sourceListed),
                    byCluster));
            spec.put(source, List.copyOf(destinations));
            return this;
        }

        public SubjectMappings build() {
            return bySource.isEmpty() ? null : new SubjectMappings(List.copyOf(bySource.values()), Map.copyOf(spec));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The destinations with cumulative weights, lightest first; the source itself takes what the
     * weights leave unless it was listed (then that share is dropped).
     */
    private static List<Weighted> weighted(String source, boolean wildcard, List<Destination> ds, boolean sourceListed) {
        List<Destination> all = new ArrayList<>(ds);
        int sum = ds.stream().mapToInt(Destination::weight).sum();
        if (sum != 100 && !sourceListed) {
            all.add(new Destination(wildcard ? numbered(source) : source, ds.isEmpty() ? 100 : 100 - sum, null));
        }
        all.sort(Comparator.comparingInt(Destination::weight));
        List<Weighted> out = new ArrayList<>();
        int upTo = 0;
        for (Destination d : all) {
            upTo += d.weight();
            out.add(new Weighted(SubjectTransform.of(source, d.subject()), upTo));
        }
        return List.copyOf(out);
    }

    /** {@code foo.*.*} as the destination that keeps the subject: {@code foo.$1.$2}. */
    private static String numbered(String source) {
        StringBuilder b = new StringBuilder();
        int n = 1;
        for (String t : source.split("\\.", -1)) {
            if (b.length() > 0) {
                b.append('.');
            }
            b.append(t.equals("*") ? "$" + n++ : t);
        }
        return b.toString();
    }

    /**
     * The subject a message published on {@code subject} goes to: the same string when no
     * mapping applies, or null when the mapping drops it.
     *
     * @param cluster this server's cluster name (for cluster-scoped destinations), or null
     */
    public String map(String subject, String cluster) {
        Mapping m = null;
        for (Mapping candidate : mappings) {
            if (!candidate.wildcard() ? candidate.source().equals(subject)
                    : Subjects.matches(candidate.source(), subject)) {
                m = candidate;
                break;
            }
        }
        if (m == null) {
            return subject;
        }
        List<Weighted> ds = m.all();
        if (cluster != null && !m.byCluster().isEmpty()) {
            ds = m.byCluster().getOrDefault(cluster, ds);
        }
        Weighted chosen = null;
        if (ds.size() == 1 && ds.get(0).upTo() == 100) {
            chosen = ds.get(0);
        } else {
            int w = ThreadLocalRandom.current().nextInt(100);
            for (Weighted d : ds) {
                if (w < d.upTo()) {
                    chosen = d;
                    break;
                }
            }
        }
        return chosen == null ? null : chosen.transform().apply(subject);
    }
}
