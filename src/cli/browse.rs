//! Looking around a registry: `subjects`, `versions`, `show`, and `config get|set`.

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::project::{runtime, ProjectArgs};
use super::{Failure, EXIT_OK};
use crate::compat::Level;
use crate::registry::{ErrorKind, LevelSource, Registry, RegistryError, VersionSpec};

#[derive(Debug, Args)]
pub struct SubjectsArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Only subjects starting with this prefix.
    #[arg(long)]
    pub prefix: Option<String>,
    /// Include soft-deleted subjects.
    #[arg(long)]
    pub deleted: bool,
}

#[derive(Debug, Args)]
pub struct VersionsArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The subject whose versions to list.
    pub subject: String,
    /// Include soft-deleted versions.
    #[arg(long)]
    pub deleted: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The subject to print.
    pub subject: String,
    /// A version number or `latest`.
    #[arg(default_value = "latest")]
    pub version: String,
    /// Print the whole record (id, version, type, references) as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    #[command(subcommand)]
    pub action: ConfigAction,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the compatibility level of a subject (its own, else the global one) or the global one.
    Get {
        /// The subject; without it, the global level.
        subject: Option<String>,
    },
    /// Set the level of a subject, or the global level: `config set LEVEL` or `config set SUBJECT LEVEL`.
    Set {
        /// `LEVEL` for the global level, or `SUBJECT LEVEL`; levels: BACKWARD, FORWARD, FULL,
        /// their `_TRANSITIVE` forms, or NONE.
        #[arg(num_args = 1..=2, value_names = ["SUBJECT", "LEVEL"])]
        args: Vec<String>,
    },
}

fn print(text: &str) -> Result<ExitCode, Failure> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::Environment(format!("cannot write: {e}")))?;
    Ok(ExitCode::from(EXIT_OK))
}

pub fn subjects(args: SubjectsArgs) -> Result<ExitCode, Failure> {
    let config = args.project.optional_config()?;
    let registry = args.project.open_registry(config.as_ref())?;
    let subjects = runtime()?
        .block_on(registry.subjects(args.prefix.as_deref(), args.deleted))
        .map_err(Failure::from)?;
    print(
        &subjects
            .iter()
            .map(|s| format!("{s}\n"))
            .collect::<String>(),
    )
}

pub fn versions(args: VersionsArgs) -> Result<ExitCode, Failure> {
    let config = args.project.optional_config()?;
    let registry = args.project.open_registry(config.as_ref())?;
    let rt = runtime()?;
    let versions = rt
        .block_on(registry.versions(&args.subject, args.deleted))
        .map_err(|e| named_lookup(registry.as_ref(), &rt, &args.subject, None, e))?;
    print(
        &versions
            .iter()
            .map(|v| format!("{v}\n"))
            .collect::<String>(),
    )
}

pub fn show(args: ShowArgs) -> Result<ExitCode, Failure> {
    let version: VersionSpec = args.version.parse().map_err(Failure::from)?;
    let config = args.project.optional_config()?;
    let registry = args.project.open_registry(config.as_ref())?;
    let rt = runtime()?;
    let record = rt
        .block_on(registry.version(&args.subject, version, false))
        .map_err(|e| named_lookup(registry.as_ref(), &rt, &args.subject, Some(&version), e))?;
    if args.json {
        let mut s = serde_json::to_string_pretty(&record).expect("records serialize");
        s.push('\n');
        return print(&s);
    }
    // What identifies the version goes to stderr: stdout is the registered text, byte for byte,
    // so that `show s > s.avsc` gives back the file that was registered.
    let mut header = format!(
        "# subject {} version {} id {} type {}\n",
        record.subject, record.version, record.id, record.schema_type
    );
    for r in &record.references {
        header.push_str(&format!(
            "# reference {} -> {} version {}\n",
            r.name, r.subject, r.version
        ));
    }
    eprint!("{header}");
    let mut text = record.schema;
    // A terminal gets its prompt on a line of its own; a file or pipe gets the exact bytes.
    if std::io::stdout().is_terminal() && !text.ends_with('\n') {
        text.push('\n');
    }
    print(&text)
}

/// Maps the failed lookup of a subject (or one of its versions) the user named: a subject or
/// version that does not exist is bad input (exit 2) and the message says what does exist;
/// anything else stays a registry failure.
pub(super) fn named_lookup(
    registry: &dyn Registry,
    rt: &tokio::runtime::Runtime,
    subject: &str,
    version: Option<&VersionSpec>,
    error: RegistryError,
) -> Failure {
    const SHOWN: usize = 20;
    let list = |items: Vec<String>| -> String {
        let more = items.len().saturating_sub(SHOWN);
        let mut shown = items.into_iter().take(SHOWN).collect::<Vec<_>>().join(", ");
        if more > 0 {
            shown.push_str(&format!(" and {more} more"));
        }
        shown
    };
    match error.kind() {
        ErrorKind::SubjectNotFound => {
            let known = match rt.block_on(registry.subjects(None, false)) {
                Ok(subjects) if subjects.is_empty() => "the registry has no subjects".to_string(),
                Ok(subjects) => format!("subjects: {}", list(subjects)),
                Err(_) => "`schemactl subjects` lists them".to_string(),
            };
            Failure::BadInput(format!(
                "subject '{subject}' not found; {known} (`schemactl subjects` lists them all)"
            ))
        }
        ErrorKind::VersionNotFound => {
            let asked =
                version.map_or_else(|| "that version".to_string(), |v| format!("version {v}"));
            let known = match rt.block_on(registry.versions(subject, false)) {
                Ok(versions) => format!(
                    "its versions: {}",
                    list(versions.iter().map(u32::to_string).collect())
                ),
                Err(_) => format!("`schemactl versions {subject}` lists them"),
            };
            Failure::BadInput(format!("subject '{subject}' has no {asked}; {known}"))
        }
        _ => Failure::from(error),
    }
}

pub fn config(args: ConfigArgs) -> Result<ExitCode, Failure> {
    let config = args.project.optional_config()?;
    let registry = args.project.open_registry(config.as_ref())?;
    let rt = runtime()?;
    match args.action {
        ConfigAction::Get { subject: None } => {
            let level = rt
                .block_on(registry.config(None, false))
                .map_err(Failure::from)?;
            print(&format!("{level}\n"))
        }
        ConfigAction::Get {
            subject: Some(subject),
        } => {
            let (level, source) = rt
                .block_on(crate::registry::subject_level(&*registry, &subject))
                .map_err(Failure::from)?;
            // The level alone on stdout (scripts read it); where it comes from on stderr.
            match source {
                LevelSource::Subject => eprintln!("{subject}: {level} is the subject's own level"),
                LevelSource::Global => eprintln!(
                    "{subject}: no level of its own; {level} is inherited from the global level"
                ),
            }
            print(&format!("{level}\n"))
        }
        ConfigAction::Set { args: values } => {
            let (subject, level) = match values.as_slice() {
                [level] => (None, level),
                [subject, level] => (Some(subject.as_str()), level),
                _ => {
                    return Err(Failure::BadInput(
                        "config set takes [SUBJECT] LEVEL".to_string(),
                    ))
                }
            };
            let level: Level = level.parse().map_err(Failure::BadInput)?;
            let set = rt
                .block_on(registry.set_config(subject, level))
                .map_err(Failure::from)?;
            print(&format!("{}: {set}\n", subject.unwrap_or("global")))
        }
    }
}
