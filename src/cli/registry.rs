//! `schemactl registry …`: the embedded Confluent-compatible registry server.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::Failure;
use crate::registry::local::{self, Limits, LocalRegistry};
use crate::registry::server::{self, BasicAuthUsers, ServerOptions};
use crate::registry::{RegistryError, DEFAULT_LOCAL_PATH};

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
    /// Address to listen on (port 0 picks a free port; the address is printed on stderr).
    #[arg(long, default_value = "127.0.0.1:8081")]
    pub listen: String,
    /// The registry's database file (created if missing).
    #[arg(long, default_value = DEFAULT_LOCAL_PATH)]
    pub data: PathBuf,
    /// Require HTTP basic auth with a `user:password` line of this file.
    #[arg(long)]
    pub basic_auth_file: Option<PathBuf>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = server::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Largest schema accepted by register, lookup and compatibility tests, in bytes.
    #[arg(long, default_value_t = local::DEFAULT_MAX_SCHEMA_BYTES)]
    pub max_schema_bytes: usize,
    /// Time budget of one parse-and-check request, in milliseconds (then 503, error code 50002).
    #[arg(long, default_value_t = local::DEFAULT_TIME_BUDGET.as_millis() as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub time_budget_ms: u64,
    /// Parse-and-check jobs run at once; others wait within their time budget [default: the
    /// number of CPU cores].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..4096))]
    pub max_parallel_checks: Option<u64>,
}

impl ServeArgs {
    /// The store's limits these flags set.
    fn limits(&self) -> Limits {
        let defaults = Limits::default();
        Limits {
            max_schema_bytes: self.max_schema_bytes,
            time_budget: Duration::from_millis(self.time_budget_ms),
            max_parallel_checks: self
                .max_parallel_checks
                .map_or(defaults.max_parallel_checks, |n| n as usize),
        }
    }
}

/// Registry errors: bad input (invalid schema, bad flag or config) exits 2, everything else
/// (the registry, the network, the store) exits 3.
impl From<RegistryError> for Failure {
    fn from(e: RegistryError) -> Self {
        if e.is_bad_input() {
            Failure::BadInput(e.to_string())
        } else {
            Failure::Environment(e.to_string())
        }
    }
}

pub fn run(args: RegistryArgs) -> Result<ExitCode, Failure> {
    match args.command {
        RegistryCommand::Serve(serve) => run_serve(serve),
    }
}

fn run_serve(args: ServeArgs) -> Result<ExitCode, Failure> {
    let basic_auth = args
        .basic_auth_file
        .as_deref()
        .map(BasicAuthUsers::from_file)
        .transpose()
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    let registry = Arc::new(LocalRegistry::open(&args.data)?.with_limits(args.limits()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Environment(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| Failure::Environment(format!("cannot listen on {}: {e}", args.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Failure::Environment(format!("cannot listen on {}: {e}", args.listen)))?;
        // Handlers first: whoever reads the line below may signal at once.
        let shutdown = server::shutdown_signal();
        eprintln!(
            "schemactl registry listening on http://{addr} (data: {})",
            args.data.display()
        );
        let options = ServerOptions {
            basic_auth,
            max_body_bytes: args.max_body_bytes,
        };
        server::serve(listener, registry, options, shutdown)
            .await
            .map_err(|e| Failure::Environment(format!("registry server failed: {e}")))?;
        eprintln!("schemactl registry stopped");
        Ok(ExitCode::SUCCESS)
    })
}
