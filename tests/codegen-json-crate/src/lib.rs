//! A producer-style crate: its `build.rs` generates types from JSON Schemas with
//! `schemactl-build` (typify), and its tests round-trip them through Confluent JSON frames.

/// Types generated from `schemas/*.json`.
pub mod json {
    include!(concat!(env!("OUT_DIR"), "/schemactl_json.rs"));
}
