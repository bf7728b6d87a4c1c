//! Small helpers every layer may use.

/// A hash map keyed by short strings and small numbers, looked up thousands of
/// times per run, where SipHash was most of the cost: rustc's Fx hash. Only for
/// maps that are looked up, never iterated (their order would differ).
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
