//! `schemactl compat`: a schema file against earlier versions given as files.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::render::{self, ReportContext};
use super::{Failure, EXIT_INCOMPATIBLE, EXIT_OK};
use crate::compat::{self, Level, Options, RuleSet};
use crate::schema::{self, SchemaType};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct CompatArgs {
    /// The new schema.
    pub new: PathBuf,
    /// A registered version, oldest first; the last one is the latest. Repeat for each version.
    #[arg(long = "against", required = true, value_name = "OLD")]
    pub against: Vec<PathBuf>,
    /// Compatibility level: BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
    /// FULL_TRANSITIVE or NONE (case-insensitive).
    #[arg(long, default_value = "BACKWARD", value_parser = parse_level)]
    pub level: Level,
    /// Schema type: avro, protobuf or json; by default from the extension (.avsc is avro, .proto
    /// is protobuf, .json is json).
    #[arg(long = "type", value_parser = parse_type)]
    pub schema_type: Option<SchemaType>,
    /// Where Protobuf imports and JSON Schema `$ref`s to other files are looked for (after the
    /// directory of the file that imports or refers).
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Rule set: confluent (Confluent Schema Registry's verdicts), wire or wire-json (stricter
    /// Protobuf sets), lenient or strict (Confluent's JSON Schema policies).
    #[arg(long, default_value = "confluent", value_parser = parse_rules)]
    pub rules: RuleSet,
    /// Also list compatible changes (Protobuf).
    #[arg(long)]
    pub verbose: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

fn parse_level(s: &str) -> Result<Level, String> {
    s.parse()
}

fn parse_type(s: &str) -> Result<SchemaType, String> {
    s.parse()
}

fn parse_rules(s: &str) -> Result<RuleSet, String> {
    s.parse()
}

pub fn run(args: CompatArgs) -> Result<ExitCode, Failure> {
    // Files parse independently, and parsing is most of a cold start: one thread per core.
    let paths: Vec<&std::path::Path> = std::iter::once(args.new.as_path())
        .chain(args.against.iter().map(PathBuf::as_path))
        .collect();
    let mut loaded = schema::load_files(&paths, args.schema_type, &args.include)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let previous = loaded.split_off(1);
    let new = loaded.pop().expect("the new schema is loaded first");
    let versions: Vec<(u32, &schema::Schema)> = previous
        .iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    let options = Options {
        rules: args.rules,
        verbose: args.verbose,
    };
    let report = compat::check(&new, &versions, args.level, &options)
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    let ctx = ReportContext {
        new: &new,
        previous: &versions,
    };
    let text = match args.format {
        Format::Json => render::json(&report, &ctx),
        Format::Human => render::human(&report, &ctx),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .map_err(|e| Failure::Environment(format!("cannot write the report: {e}")))?;
    // The process ends here: freeing every parsed schema node by node would only delay it.
    std::mem::forget(versions);
    std::mem::forget(previous);
    std::mem::forget(new);
    Ok(ExitCode::from(if report.compatible {
        EXIT_OK
    } else {
        EXIT_INCOMPATIBLE
    }))
}
