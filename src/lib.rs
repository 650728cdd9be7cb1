//! schemactl: check, register and compile Avro, Protobuf and JSON Schema schemas for Kafka.
//!
//! The library is layered the way data flows: files are loaded into a [`schema::Schema`], which
//! the [`compat`] engine compares with earlier versions. Nothing in the library prints; the
//! binary renders what it returns.

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "codegen")]
pub mod codegen;
#[cfg(feature = "engine")]
pub mod compat;
#[cfg(feature = "project-config")]
pub mod project;
#[cfg(feature = "registry-client")]
pub mod registry;
/// What generated code depends on; needs no optional feature.
pub mod runtime;
#[cfg(feature = "engine")]
pub mod schema;
#[cfg(any(feature = "engine", feature = "registry-client"))]
mod vocabulary;
/// Confluent wire framing; needs no optional feature.
pub mod wire;
