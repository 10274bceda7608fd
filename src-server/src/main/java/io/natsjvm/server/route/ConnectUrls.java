package io.natsjvm.server.route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The URLs clients of one kind (NATS or websocket) are told they can reach the cluster at: this
 * server's own, then the peers' as their route INFO gave them, each counted by how many routes
 * announced it (a URL stays while any route that gave it is up). Empty until a peer first gave
 * some, as the reference's INFO carries none before; from then on at least this server's own.
 * Guarded by the owning {@link Routes}.
 */
final class ConnectUrls {
    private final Map<String, Integer> remote = new LinkedHashMap<>();
    private List<String> own = List.of();
    private boolean announced;

    /** What the INFO this server sends its routes names (whether or not clients were told yet). */
    List<String> own() {
        return own;
    }

    void own(List<String> urls) {
        own = List.copyOf(urls);
    }

    /** A peer's URLs arrived; true if the list changed. */
    boolean add(List<String> urls) {
        boolean changed = false;
        if (urls != null) {
            for (String u : urls) {
                changed |= remote.merge(u, 1, Integer::sum) == 1;
            }
        }
        announced |= changed;
        return changed;
    }

    /** A peer that gave these URLs left; true if the list changed (a URL no other peer gives went). */
    boolean remove(List<String> urls) {
        boolean changed = false;
        if (urls != null) {
            for (String u : urls) {
                Integer n = remote.get(u);
                if (n != null) {
                    if (n <= 1) {
                        remote.remove(u);
                        changed = true;
                    } else {
                        remote.put(u, n - 1);
                    }
                }
            }
        }
        return changed;
    }

    /** The peers' URLs alone. */
    List<String> remote() {
        return List.copyOf(remote.keySet());
    }

    /** Own URLs first, then the peers' (each once); empty before any peer gave URLs. */
    List<String> list() {
        if (!announced) {
            return List.of();
        }
        List<String> urls = new ArrayList<>(own);
        for (String u : remote.keySet()) {
            if (!urls.contains(u)) {
                urls.add(u);
            }
        }
        return urls;
    }
}
