//! The command-line interface: argument parsing and rendering over the library. Each command
//! lives in its own module and returns an exit code or a [`Failure`].

mod compat;
mod registry;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code: the check passed.
pub const EXIT_OK: u8 = 0;
/// Exit code: incompatible, or a check failed.
pub const EXIT_INCOMPATIBLE: u8 = 1;
/// Exit code: bad input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code: registry, network or I/O failure.
pub const EXIT_FAILURE: u8 = 3;

/// Check, register and compile Avro and Protobuf schemas for Kafka.
#[derive(Debug, Parser)]
#[command(name = "schemactl", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a schema file against earlier versions given as files.
    Compat(compat::CompatArgs),
    /// The embedded Confluent-compatible registry.
    Registry(registry::RegistryArgs),
}

/// Why a command could not do its job; maps to exit code 2 or 3.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad input: an unreadable or invalid schema, a bad flag value, a broken config.
    #[error("{0}")]
    BadInput(String),
    /// The registry, the network or the file system failed.
    #[error("{0}")]
    Environment(String),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Failure::BadInput(_) => EXIT_BAD_INPUT,
            Failure::Environment(_) => EXIT_FAILURE,
        })
    }
}

impl From<crate::schema::LoadError> for Failure {
    fn from(e: crate::schema::LoadError) -> Self {
        match e {
            // A file that cannot be read is bad input for a command given its path.
            crate::schema::LoadError::Io { .. } => Failure::BadInput(e.to_string()),
            other => Failure::BadInput(other.to_string()),
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Compat(args) => compat::run(args),
        Command::Registry(args) => registry::run(args),
    }
}
