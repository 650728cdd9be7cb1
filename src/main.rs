use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = schemactl::cli::Cli::parse();
    match schemactl::cli::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {failure}");
            failure.exit_code()
        }
    }
}
