//! schemactl: check, register and compile Avro and Protobuf schemas for Kafka.
//!
//! The library is layered the way data flows: files are loaded into a [`schema::Schema`], which
//! the [`compat`] engine compares with earlier versions. Nothing in the library prints; the
//! binary renders what it returns.

#[cfg(feature = "engine")]
pub mod compat;
#[cfg(feature = "registry")]
pub mod registry;
#[cfg(feature = "engine")]
pub mod schema;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "project")]
pub mod project;
/// Confluent wire framing; needs no optional feature.
pub mod wire;
/// What generated code depends on; needs no optional feature.
pub mod runtime;
#[cfg(feature = "codegen")]
pub mod codegen;
