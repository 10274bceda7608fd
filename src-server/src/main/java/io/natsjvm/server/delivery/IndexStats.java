package io.natsjvm.server.delivery;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Subject index counters, serialised with the reference's sublist statistics field names. */
public record IndexStats(
        @JsonProperty("num_subscriptions") long numSubscriptions,
        @JsonProperty("num_cache") long numCache,
        @JsonProperty("num_inserts") long numInserts,
        @JsonProperty("num_removes") long numRemoves,
        @JsonProperty("num_matches") long numMatches,
        @JsonProperty("cache_hit_rate") double cacheHitRate,
        @JsonProperty("max_fanout") long maxFanout,
        @JsonProperty("avg_fanout") double avgFanout) {

    public static final IndexStats EMPTY = new IndexStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** Sum of two accounts' statistics (averages weighted by cached entries). */
    public IndexStats plus(IndexStats o) {
        long cache = numCache + o.numCache;
        long matches = numMatches + o.numMatches;
        double hits = cacheHitRate * numMatches + o.cacheHitRate * o.numMatches;
        double fan = avgFanout * numCache + o.avgFanout * o.numCache;
        return new IndexStats(numSubscriptions + o.numSubscriptions, cache, numInserts + o.numInserts,
                numRemoves + o.numRemoves, matches, matches == 0 ? 0 : hits / matches,
                Math.max(maxFanout, o.maxFanout), cache == 0 ? 0 : fan / cache);
    }
}
