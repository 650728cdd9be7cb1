//! `schemactl check`: the CI gate over every subject of the project.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::project::{runtime, ProjectArgs};
use super::render::{self, ReportContext};
use super::{Failure, EXIT_INCOMPATIBLE, EXIT_OK};
use crate::compat::{Options, RuleSet};
use crate::project::check::{
    check_against_project, check_against_registry, Baseline, SubjectCheck,
};
use crate::project::git::checkout_revision;
use crate::project::load::load_project;
use crate::schema::Schema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Compare with the schema files at a git revision instead of the registry (`git:main`,
    /// `git:origin/main`, `git:v1.2.0`).
    #[arg(long, value_name = "git:REF")]
    pub against: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Protobuf rule set: confluent, wire or wire-json.
    #[arg(long, default_value = "confluent", value_parser = |s: &str| s.parse::<RuleSet>())]
    pub rules: RuleSet,
}

pub fn run(args: CheckArgs) -> Result<ExitCode, Failure> {
    let config = args.project.load_config()?;
    let options = Options {
        rules: args.rules,
        verbose: false,
    };
    let rt = runtime()?;
    let checks = match &args.against {
        Some(against) => {
            let revision = against.strip_prefix("git:").ok_or_else(|| {
                Failure::BadInput(format!(
                    "--against takes git:REF (e.g. git:main), not '{against}'"
                ))
            })?;
            let tree = checkout_revision(&config.root, revision)?;
            // No registry at all: references must be subjects of the project.
            let new = rt.block_on(load_project(&config, &config.root, None))?;
            let old = rt.block_on(load_project_at_revision(&config, &tree.project_root))?;
            check_against_project(&new, &old, &options)?
        }
        None => {
            let registry = args.project.open_registry(Some(&config))?;
            let project =
                rt.block_on(load_project(&config, &config.root, Some(registry.as_ref())))?;
            rt.block_on(check_against_registry(
                &project,
                registry.as_ref(),
                &options,
            ))?
        }
    };
    let text = match args.format {
        CheckFormat::Human => human(&checks),
        CheckFormat::Json => json(&checks),
        CheckFormat::Github => github(&checks),
        CheckFormat::Junit => junit(&checks),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::Environment(format!("cannot write the report: {e}")))?;
    Ok(ExitCode::from(
        if checks.iter().all(SubjectCheck::compatible) {
            EXIT_OK
        } else {
            EXIT_INCOMPATIBLE
        },
    ))
}

/// Loads the subjects that existed at the revision; those whose file did not exist are left out
/// (they are new).
async fn load_project_at_revision(
    config: &crate::project::ProjectConfig,
    root: &std::path::Path,
) -> Result<crate::project::LoadedProject, Failure> {
    let mut at_revision = config.clone();
    at_revision
        .subjects
        .retain(|s| root.join(&s.schema_relative).exists());
    Ok(load_project(&at_revision, root, None).await?)
}

fn previous_refs(check: &SubjectCheck) -> Vec<(u32, &Schema)> {
    check.previous.iter().map(|(v, s)| (*v, s)).collect()
}

fn human(checks: &[SubjectCheck]) -> String {
    let mut out = String::new();
    let failed = checks.iter().filter(|c| !c.compatible()).count();
    for check in checks {
        let versions: Vec<String> = check
            .previous
            .iter()
            .map(|(v, _)| format!("v{v}"))
            .collect();
        match (&check.baseline, check.compatible()) {
            (Baseline::NotRegistered, _) => {
                let _ = writeln!(
                    out,
                    "ok    {} ({}): not registered yet; nothing to be compatible with",
                    check.subject, check.new.source
                );
            }
            (Baseline::Versions(_), true) => {
                let against = if versions.is_empty() {
                    "no version (level NONE)".to_string()
                } else {
                    versions.join(", ")
                };
                let _ = writeln!(
                    out,
                    "ok    {} ({}): {} compatible with {against}",
                    check.subject, check.new.source, check.level
                );
            }
            (Baseline::Versions(_), false) => {
                let _ = writeln!(
                    out,
                    "FAIL  {} ({}): not {} compatible",
                    check.subject, check.new.source, check.level
                );
                let previous = previous_refs(check);
                let ctx = ReportContext {
                    new: &check.new,
                    previous: &previous,
                };
                let mut block = String::new();
                render::findings(&mut block, &check.report, &ctx);
                for line in block.lines() {
                    if line.is_empty() {
                        let _ = writeln!(out);
                    } else {
                        let _ = writeln!(out, "      {line}");
                    }
                }
                let _ = writeln!(out);
            }
        }
    }
    let _ = writeln!(
        out,
        "{} subject{} checked, {failed} incompatible",
        checks.len(),
        if checks.len() == 1 { "" } else { "s" }
    );
    out
}

fn json(checks: &[SubjectCheck]) -> String {
    let subjects: Vec<serde_json::Value> = checks
        .iter()
        .map(|c| {
            let previous = previous_refs(c);
            let ctx = ReportContext {
                new: &c.new,
                previous: &previous,
            };
            serde_json::json!({
                "subject": c.subject,
                "file": c.new.source,
                "level": c.level,
                "registered": c.baseline != Baseline::NotRegistered,
                "versions": c.previous.iter().map(|(v, _)| v).collect::<Vec<_>>(),
                "compatible": c.compatible(),
                "messages": render::messages_json(&c.report, &ctx),
            })
        })
        .collect();
    let value = serde_json::json!({
        "compatible": checks.iter().all(SubjectCheck::compatible),
        "subjects": subjects,
    });
    let mut s = serde_json::to_string_pretty(&value).expect("a report always serializes");
    s.push('\n');
    s
}

/// Escapes a workflow command's data (`%`, CR, LF) and, for properties, also `:` and `,`.
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(checks: &[SubjectCheck]) -> String {
    let mut out = String::new();
    for check in checks.iter().filter(|c| !c.compatible()) {
        let previous = previous_refs(check);
        let ctx = ReportContext {
            new: &check.new,
            previous: &previous,
        };
        for m in check
            .report
            .messages
            .iter()
            .filter(|m| !m.compatible_change)
        {
            // Always a file of the repository; where the registered version has it goes
            // into the message.
            let location = ctx.locate(m);
            let mut props = format!("file={}", gh_escape(&location.file, true));
            if let (Some(line), Some(col)) = (location.line, location.column) {
                let _ = write!(props, ",line={line},col={col}");
            }
            let title = format!("{} ({} v{})", m.kind, check.subject, m.version);
            let found_in = match &location.found_in {
                Some(at) => format!(" (in v{}: {at})", m.version),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "::error {props},title={}::{}{found_in} Fix: {}",
                gh_escape(&title, true),
                gh_escape(&m.message, false),
                gh_escape(&m.hint, false),
                found_in = gh_escape(&found_in, false)
            );
        }
    }
    let failed = checks.iter().filter(|c| !c.compatible()).count();
    let _ = writeln!(
        out,
        "{} subjects checked, {failed} incompatible",
        checks.len()
    );
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn junit(checks: &[SubjectCheck]) -> String {
    let failures = checks.iter().filter(|c| !c.compatible()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"schemactl check\" tests=\"{}\" failures=\"{failures}\">",
        checks.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"schema compatibility\" tests=\"{}\" failures=\"{failures}\">",
        checks.len()
    );
    for check in checks {
        let _ = write!(
            out,
            "    <testcase classname=\"schemactl.{}\" name=\"{} ({})\" file=\"{}\"",
            xml_escape(&check.level.to_string()),
            xml_escape(&check.subject),
            xml_escape(&check.level.to_string()),
            xml_escape(&check.new.source)
        );
        if check.compatible() {
            let _ = writeln!(out, "/>");
            continue;
        }
        let _ = writeln!(out, ">");
        let previous = previous_refs(check);
        let ctx = ReportContext {
            new: &check.new,
            previous: &previous,
        };
        let mut details = String::new();
        render::findings(&mut details, &check.report, &ctx);
        let breaking: Vec<_> = check
            .report
            .messages
            .iter()
            .filter(|m| !m.compatible_change)
            .collect();
        let first = breaking
            .first()
            .map(|m| m.message.as_str())
            .unwrap_or("incompatible");
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            breaking.first().map(|m| m.kind).unwrap_or("INCOMPATIBLE"),
            xml_escape(first),
            xml_escape(details.trim())
        );
        let _ = writeln!(out, "    </testcase>");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
