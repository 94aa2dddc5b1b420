package de.vorzimmer.status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The overrides of every client, immutable. Updates return a new instance that shares the lists of
 * clients it did not touch, so a routing snapshot can be swapped atomically.
 */
public final class LiveStatus {
    private static final Comparator<Override> ORDER =
            Comparator.comparing(Override::setAt).thenComparingLong(Override::id);
    private static final LiveStatus EMPTY = new LiveStatus(Map.of());

    private final Map<String, List<Override>> byClient;

    private LiveStatus(Map<String, List<Override>> byClient) {
        this.byClient = byClient;
    }

    public static LiveStatus empty() {
        return EMPTY;
    }

    public static LiveStatus of(Iterable<Override> overrides) {
        Map<String, List<Override>> m = new HashMap<>();
        for (Override o : overrides) m.computeIfAbsent(o.clientId(), k -> new ArrayList<>()).add(o);
        Map<String, List<Override>> frozen = new HashMap<>(m.size() * 2);
        m.forEach((k, v) -> {
            v.sort(ORDER);
            frozen.put(k, List.copyOf(v));
        });
        return new LiveStatus(Collections.unmodifiableMap(frozen));
    }

    /** Oldest first by set time. */
    public List<Override> of(String clientId) {
        List<Override> l = byClient.get(clientId);
        return l == null ? List.of() : l;
    }

    public LiveStatus with(Override o) {
        List<Override> l = new ArrayList<>(of(o.clientId()));
        l.add(o);
        l.sort(ORDER);
        Map<String, List<Override>> m = new HashMap<>(byClient);
        m.put(o.clientId(), List.copyOf(l));
        return new LiveStatus(Collections.unmodifiableMap(m));
    }

    public int size() {
        return byClient.values().stream().mapToInt(List::size).sum();
    }
}
