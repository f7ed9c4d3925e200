/**
 * The few most recently used entries of a map, for the caches kept per document or per
 * configuration: a `Map` iterates in insertion order, so re-inserting an entry makes it the most
 * recent, and the first entries are the oldest.
 */

/** Sets `key` to `value` as the most recent entry of `map`, and drops the oldest beyond `keep`. */
export function keepRecent<K, V>(map: Map<K, V>, key: K, value: V, keep: number): void {
  map.delete(key);
  map.set(key, value);
  for (const old of map.keys()) {
    if (map.size <= keep) break;
    map.delete(old);
  }
}
