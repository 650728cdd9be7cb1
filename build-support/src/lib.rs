//! `schemactl-build`: the `build.rs` facade over schemactl's code generation.
//!
//! Code generation arrives with its own issue; for now this crate only re-exports the schema
//! loader so that a `build.rs` can validate its schemas at build time.

pub use schemactl::schema;
