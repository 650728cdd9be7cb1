//! `schemactl registry …`: the embedded Confluent-compatible registry server.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::Failure;

#[derive(Debug, Args)]
pub struct RegistryArgs {
    #[command(subcommand)]
    pub command: RegistryCommand,
}

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Serve the embedded registry over Confluent's REST API.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8081")]
    pub listen: String,
}

pub fn run(args: RegistryArgs) -> Result<ExitCode, Failure> {
    match args.command {
        RegistryCommand::Serve(_) => Err(Failure::Environment(
            "the embedded registry is not available yet".to_string(),
        )),
    }
}
