//! The command-line interface: argument parsing and rendering over the library. Each command
//! lives in its own module and returns an exit code or a [`Failure`].

mod browse;
mod check;
mod codegen;
mod compat;
mod init;
mod project;
mod pull;
mod register;
mod registry;
mod render;
mod store;

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

/// Check, register and compile Avro, Protobuf and JSON Schema schemas for Kafka.
#[derive(Debug, Parser)]
#[command(name = "schemactl", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate Rust code from Avro, Protobuf and JSON Schema schemas into a folder.
    Codegen(codegen::CodegenArgs),
    /// Check a schema file against earlier versions given as files.
    Compat(compat::CompatArgs),
    /// The CI gate: check every subject of the project against its registered versions.
    Check(check::CheckArgs),
    /// Register every subject of the project, references first, idempotently.
    Register(register::RegisterArgs),
    /// Download registered versions (with their references) into files.
    Pull(pull::PullArgs),
    /// What changed between the local file and a registered version, or between two versions.
    Diff(pull::DiffArgs),
    /// Read or set compatibility levels.
    Config(browse::ConfigArgs),
    /// List the registry's subjects.
    Subjects(browse::SubjectsArgs),
    /// List a subject's versions.
    Versions(browse::VersionsArgs),
    /// Print a registered version of a subject.
    Show(browse::ShowArgs),
    /// Write a starter schemactl.toml, build.rs and CI jobs.
    Init(init::InitArgs),
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
        Command::Codegen(args) => codegen::run(args),
        Command::Compat(args) => compat::run(args),
        Command::Check(args) => check::run(args),
        Command::Register(args) => register::run(args),
        Command::Pull(args) => pull::pull(args),
        Command::Diff(args) => pull::diff_cmd(args),
        Command::Config(args) => browse::config(args),
        Command::Subjects(args) => browse::subjects(args),
        Command::Versions(args) => browse::versions(args),
        Command::Show(args) => browse::show(args),
        Command::Init(args) => init::run(args),
        Command::Registry(args) => registry::run(args),
    }
}
