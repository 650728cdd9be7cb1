//! The command line both example binaries share: where to connect, which format, each binary's
//! own options, and clap's outcomes as exit codes.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Avro,
    Protobuf,
}

/// `--brokers`, `--registry`, `--topic` and `--format`, then the binary's `own` options.
#[derive(Parser)]
// Each binary says what it does (`from_command_line`), not this comment.
#[command(about = None, long_about = None)]
pub struct Args<Own: clap::Args> {
    /// Kafka bootstrap servers.
    #[arg(long)]
    pub brokers: String,
    /// Schema registry: an http(s):// URL (credentials from SCHEMA_REGISTRY_* variables).
    #[arg(long)]
    pub registry: String,
    #[arg(long)]
    pub topic: String,
    #[arg(long, value_enum, default_value = "avro")]
    pub format: Format,
    #[command(flatten)]
    pub own: Own,
}

impl<Own: clap::Args> Args<Own> {
    /// The arguments of a binary that does what `about` says, or the code to exit with: 0 after
    /// `--help` (printed), 2 for bad arguments (explained on stderr).
    pub fn from_command_line(about: &'static str) -> Result<Self, ExitCode> {
        Self::command()
            .about(about)
            .try_get_matches()
            .and_then(|matches| Self::from_arg_matches(&matches))
            .map_err(|e| {
                let _ = e.print();
                if e.use_stderr() {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                }
            })
    }
}
