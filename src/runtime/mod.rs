//! What generated code depends on: the Avro binary encoding ([`avro`]), Confluent's JSON framing
//! ([`json`]), Rust types for Avro's logical types ([`logical`]), schema-id resolution ([`ids`])
//! and, with the `engine` feature, decoding data written with another version of a schema
//! ([`resolve`]).
//!
//! This module compiles with `default-features = false`: it needs only `serde` and `thiserror`.

pub mod avro;
pub mod ids;
pub mod json;
pub mod logical;
pub mod protobuf;
#[cfg(feature = "engine")]
pub mod resolve;
pub mod serde_helpers;

/// Re-exported so that generated code derives `serde` traits without the user's crate naming
/// `serde` itself (`#[serde(crate = "::schemactl::runtime::serde")]`).
pub use serde;
