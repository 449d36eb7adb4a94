package dev.roster.proxy.render;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Object names (chain, set) kept between renders because hashing them is what a render would otherwise
 * spend most on. A name not asked for during one generation is forgotten at the next, so the cache
 * follows the cluster without growing.
 */
public final class NameCache<K, V> {
    private final Function<K, V> make;
    private Map<K, V> current = new HashMap<>();
    private Map<K, V> previous = new HashMap<>();

    /** @param make computes the name of a key not seen in this generation or the previous one */
    public NameCache(Function<K, V> make) {
        this.make = make;
    }

    public V get(K key) {
        V v = current.get(key);
        if (v != null) return v;
        v = previous.get(key);
        if (v == null) v = make.apply(key);
        current.put(key, v);
        return v;
    }

    /** Starts a new generation: names not asked for since the previous call are forgotten at the next. */
    public void nextGeneration() {
        previous = current;
        current = new HashMap<>(previous.size() * 2);
    }
}
