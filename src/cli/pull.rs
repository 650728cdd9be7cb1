//! `schemactl pull` and `schemactl diff`: registered versions to files, and what changed.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::browse::pretty;
use super::project::{runtime, ProjectArgs};
use super::{Failure, EXIT_OK};
use crate::project::diff::diff;
use crate::project::load::{load_project, parse_registered};
use crate::registry::{Registry, SchemaRecord, VersionSpec};
use crate::schema::SchemaType;

#[derive(Debug, Args)]
pub struct PullArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Subjects to pull; by default every subject of the project.
    pub subjects: Vec<String>,
    /// Every version, not only the latest.
    #[arg(long)]
    pub all: bool,
    /// Where to write `<subject>/v<N>.avsc|.proto` (and the references they need).
    #[arg(long, default_value = "pulled")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    pub subject: String,
    /// The registered version to compare from (a number or `latest`).
    #[arg(long, default_value = "latest")]
    pub version: String,
    /// Compare with this registered version instead of the local file.
    #[arg(long)]
    pub to: Option<String>,
}

fn extension(t: SchemaType) -> &'static str {
    match t {
        SchemaType::Avro => "avsc",
        SchemaType::Protobuf => "proto",
    }
}

pub fn pull(args: PullArgs) -> Result<ExitCode, Failure> {
    let config = args.project.optional_config()?;
    let registry = args.project.open_registry(config.as_ref())?;
    let rt = runtime()?;
    let subjects = if !args.subjects.is_empty() {
        args.subjects.clone()
    } else {
        let config = config.as_ref().ok_or_else(|| {
            Failure::BadInput(
                "name the subjects to pull, or run in a project with a schemactl.toml".to_string(),
            )
        })?;
        let project = rt.block_on(load_project(config, &config.root, Some(registry.as_ref())))?;
        project.subjects.iter().map(|s| s.subject.clone()).collect()
    };
    let mut written = Vec::new();
    let mut done = std::collections::HashSet::new();
    for subject in &subjects {
        let versions = if args.all {
            rt.block_on(registry.versions(subject, false))
                .map_err(Failure::from)?
        } else {
            vec![
                rt.block_on(registry.version(subject, VersionSpec::Latest, false))
                    .map_err(Failure::from)?
                    .version,
            ]
        };
        for v in versions {
            let record = rt
                .block_on(registry.version(subject, VersionSpec::Number(v), false))
                .map_err(Failure::from)?;
            rt.block_on(write_with_references(
                registry.as_ref(),
                &record,
                &args.out,
                &mut done,
                &mut written,
            ))?;
        }
    }
    let text: String = written
        .iter()
        .map(|p| format!("wrote {}\n", p.display()))
        .collect();
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::Environment(format!("cannot write: {e}")))?;
    Ok(ExitCode::from(EXIT_OK))
}

/// Writes a record and, first, every version it references; references are listed beside it.
async fn write_with_references(
    registry: &dyn Registry,
    record: &SchemaRecord,
    out: &std::path::Path,
    done: &mut std::collections::HashSet<(String, u32)>,
    written: &mut Vec<PathBuf>,
) -> Result<(), Failure> {
    if !done.insert((record.subject.clone(), record.version)) {
        return Ok(());
    }
    for r in &record.references {
        let referenced = registry
            .version(&r.subject, VersionSpec::Number(r.version), false)
            .await
            .map_err(Failure::from)?;
        Box::pin(write_with_references(
            registry,
            &referenced,
            out,
            done,
            written,
        ))
        .await?;
    }
    let dir = out.join(sanitize(&record.subject));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::Environment(format!("cannot create {}: {e}", dir.display())))?;
    let file = dir.join(format!(
        "v{}.{}",
        record.version,
        extension(record.schema_type)
    ));
    let body = match record.schema_type {
        SchemaType::Avro => pretty(&record.schema) + "\n",
        SchemaType::Protobuf => record.schema.clone(),
    };
    std::fs::write(&file, body)
        .map_err(|e| Failure::Environment(format!("cannot write {}: {e}", file.display())))?;
    written.push(file);
    if !record.references.is_empty() {
        let refs = dir.join(format!("v{}.references.json", record.version));
        let json =
            serde_json::to_string_pretty(&record.references).expect("references serialize") + "\n";
        std::fs::write(&refs, json)
            .map_err(|e| Failure::Environment(format!("cannot write {}: {e}", refs.display())))?;
        written.push(refs);
    }
    Ok(())
}

/// A subject as a directory name: path separators and other awkward characters become `_`.
fn sanitize(subject: &str) -> String {
    subject
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub fn diff_cmd(args: DiffArgs) -> Result<ExitCode, Failure> {
    let config = args.project.optional_config()?;
    let registry = args.project.open_registry(config.as_ref())?;
    let rt = runtime()?;
    let from: VersionSpec = args.version.parse().map_err(Failure::from)?;
    let mut cache = HashMap::new();
    let old_record = rt
        .block_on(registry.version(&args.subject, from, false))
        .map_err(Failure::from)?;
    let old_source = format!("{}/versions/{}", args.subject, old_record.version);
    let old = rt.block_on(parse_registered(
        registry.as_ref(),
        &old_source,
        &old_record.definition(),
        &mut cache,
    ))?;
    let (new, new_label) = match &args.to {
        Some(to) => {
            let to: VersionSpec = to.parse().map_err(Failure::from)?;
            let record = rt
                .block_on(registry.version(&args.subject, to, false))
                .map_err(Failure::from)?;
            let source = format!("{}/versions/{}", args.subject, record.version);
            let schema = rt.block_on(parse_registered(
                registry.as_ref(),
                &source,
                &record.definition(),
                &mut cache,
            ))?;
            (schema, source)
        }
        None => {
            let config = config.as_ref().ok_or_else(|| {
                Failure::BadInput(
                    "comparing with the local file needs a schemactl.toml; or pass --to VERSION"
                        .to_string(),
                )
            })?;
            let project =
                rt.block_on(load_project(config, &config.root, Some(registry.as_ref())))?;
            let local = project.subject(&args.subject).ok_or_else(|| {
                Failure::BadInput(format!(
                    "'{}' is not a subject of {}",
                    args.subject,
                    config.path.display()
                ))
            })?;
            (local.schema.clone(), local.schema.source.clone())
        }
    };
    // An Avro version against a Protobuf file (or the reverse) has no structural diff.
    let changes = diff(&old, &new).map_err(|e| Failure::BadInput(e.to_string()))?;
    let mut text = format!("--- {old_source}\n+++ {new_label}\n");
    if changes.is_empty() {
        text.push_str("no structural changes\n");
    }
    for c in changes {
        text.push_str(&format!("{} {}: {}\n", c.sign, c.place, c.description));
    }
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::Environment(format!("cannot write: {e}")))?;
    Ok(ExitCode::from(EXIT_OK))
}
