//! `schemactl check`: the CI gate over every subject of the project.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::project::{runtime, ProjectArgs};
use super::render::{self, ReportContext};
use super::{Failure, EXIT_FAILURE, EXIT_INCOMPATIBLE, EXIT_OK};
use crate::compat::{Options, RuleSet};
use crate::project::check::{
    check_against_project, check_against_registry, Baseline, SubjectCheck,
};
use crate::project::git::checkout_revision;
use crate::project::load::load_project;
use crate::project::remote::{add_remote_verdicts, RemoteCheck, RemoteVerdict};
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
    /// Rule set: confluent, wire or wire-json (Protobuf), lenient or strict (JSON Schema;
    /// `confluent` gives way to a `compatibilityPolicy` the registry reports, `strict` does not).
    #[arg(long, default_value = "confluent", value_parser = |s: &str| s.parse::<RuleSet>())]
    pub rules: RuleSet,
    /// Also ask the registry the question `register` will ask, and report where its verdict
    /// differs from the local one (the default with `[check] remote = true`).
    #[arg(long, overrides_with = "no_remote")]
    pub remote: bool,
    /// Do not ask the registry (overrides `[check] remote = true`).
    #[arg(long)]
    pub no_remote: bool,
    /// Like --remote, and a registry that cannot answer fails the check (exit 3) instead of
    /// leaving a note.
    #[arg(long, conflicts_with = "no_remote")]
    pub require_remote: bool,
}

impl CheckArgs {
    /// Whether to ask the registry: a flag, else the config's `[check] remote`.
    fn wants_remote(&self, config: &crate::project::ProjectConfig) -> bool {
        if self.require_remote || self.remote {
            return true;
        }
        !self.no_remote && config.check.remote
    }
}

pub fn run(args: CheckArgs) -> Result<ExitCode, Failure> {
    let config = args.project.load_config()?;
    let options = Options {
        rules: args.rules,
        verbose: false,
    };
    let rt = runtime()?;
    let explicit_remote = args.remote || args.require_remote;
    if explicit_remote && args.against.is_some() {
        return Err(Failure::BadInput(
            "--remote asks the registry; it cannot be combined with --against git:REF".to_string(),
        ));
    }
    let remote = args.against.is_none() && args.wants_remote(&config);
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
            let mut checks = rt.block_on(check_against_registry(
                &project,
                registry.as_ref(),
                &options,
            ))?;
            if remote {
                rt.block_on(add_remote_verdicts(
                    &project,
                    registry.as_ref(),
                    &mut checks,
                ));
            }
            checks
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
    let unanswered = checks
        .iter()
        .any(|c| c.remote.is_some() && c.registry_verdict().is_none());
    Ok(ExitCode::from(if args.require_remote && unanswered {
        EXIT_FAILURE
    } else if checks.iter().all(SubjectCheck::passes) {
        EXIT_OK
    } else {
        EXIT_INCOMPATIBLE
    }))
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
    let failed = checks.iter().filter(|c| !c.passes()).count();
    for check in checks {
        let versions: Vec<String> = check
            .previous
            .iter()
            .map(|(v, _)| format!("v{v}"))
            .collect();
        // The registry refusing what the local check accepts fails the subject too.
        let (status, but) = if check.registry_refuses() {
            ("FAIL ", ", but the registry refuses it")
        } else {
            ("ok   ", "")
        };
        match (&check.baseline, check.compatible()) {
            (Baseline::NotRegistered, _) => {
                let _ = writeln!(
                    out,
                    "{status} {} ({}): not registered yet; nothing to be compatible with{but}",
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
                    "{status} {} ({}): {} compatible with {against}{but}",
                    check.subject, check.new.source, check.level
                );
            }
            (Baseline::Versions(_), false) => {
                let _ = writeln!(
                    out,
                    "FAIL  {} ({}): not {} compatible",
                    check.subject, check.new.source, check.level
                );
            }
        }
        for line in remote_lines(check) {
            let _ = writeln!(out, "      {line}");
        }
        if !check.compatible() {
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
        }
        if !check.passes() {
            let _ = writeln!(out);
        }
    }
    let _ = writeln!(
        out,
        "{} subject{} checked, {failed} incompatible{}",
        checks.len(),
        if checks.len() == 1 { "" } else { "s" },
        disagreements_suffix(checks)
    );
    out
}

/// `, N disagreement(s) with the registry` when the registry was asked.
fn disagreements_suffix(checks: &[SubjectCheck]) -> String {
    if checks.iter().all(|c| c.remote.is_none()) {
        return String::new();
    }
    let n = checks.iter().filter(|c| c.disagrees()).count();
    format!(
        ", {n} disagreement{} with the registry",
        if n == 1 { "" } else { "s" }
    )
}

fn verdict_word(compatible: bool) -> &'static str {
    if compatible {
        "compatible"
    } else {
        "incompatible"
    }
}

/// What the registry said about a subject, as lines of text (human and JUnit output): its
/// verdict, whether it agrees, its reasons when it alone refuses, and notes.
fn remote_lines(check: &SubjectCheck) -> Vec<String> {
    let Some(remote) = &check.remote else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let said = match &remote.verdict {
        RemoteVerdict::Judged { compatible, .. } => verdict_word(*compatible).to_string(),
        RemoteVerdict::AlreadyRegistered { version } => {
            format!("already registered as version {version} (`register` changes nothing)")
        }
        RemoteVerdict::NothingToCompare => "nothing to compare (no version registered)".to_string(),
        RemoteVerdict::Unanswered { reason } => {
            lines.push(format!(
                "note: {reason}; the verdict is the local check's alone"
            ));
            String::new()
        }
    };
    if check.disagrees() {
        lines.push(format!(
            "DISAGREES: schemactl says {}, the registry says {said}",
            verdict_word(check.compatible())
        ));
        if let RemoteVerdict::Judged {
            compatible: false,
            messages,
        } = &remote.verdict
        {
            if messages.is_empty() {
                lines.push("the registry gave no reason".to_string());
            } else {
                lines.push("the registry said:".to_string());
                lines.extend(messages.iter().map(|m| format!("  - {m}")));
            }
        } else if let RemoteVerdict::AlreadyRegistered { .. } = &remote.verdict {
            lines.push(
                "the registry holds this exact schema: `register` would not check it".to_string(),
            );
        } else {
            lines.push(
                "the registry would accept it: its rules differ from Confluent's here".to_string(),
            );
        }
    } else if check.registry_verdict().is_some() {
        lines.push(format!("registry: {said} (agrees)"));
    }
    if let Some((current, configured)) = remote.level_differs {
        lines.push(format!(
            "note: the registry judged under its current level {current}; `register` sets {configured} from the config first"
        ));
    }
    lines
}

/// The registry's side of a subject in `--format json`.
fn remote_json(remote: &RemoteCheck, check: &SubjectCheck) -> serde_json::Value {
    let (verdict, messages, version, note) = match &remote.verdict {
        RemoteVerdict::Judged {
            compatible,
            messages,
        } => (verdict_word(*compatible), messages.clone(), None, None),
        RemoteVerdict::AlreadyRegistered { version } => {
            ("already_registered", Vec::new(), Some(*version), None)
        }
        RemoteVerdict::NothingToCompare => ("nothing_to_compare", Vec::new(), None, None),
        RemoteVerdict::Unanswered { reason } => ("unanswered", Vec::new(), None, Some(reason)),
    };
    serde_json::json!({
        "verdict": verdict,
        "compatible": check.registry_verdict(),
        "agrees": check.registry_verdict().map(|_| !check.disagrees()),
        "messages": messages,
        "version": version,
        "note": note,
        "registry_level": remote.level_differs.map(|(current, _)| current),
    })
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
            let mut subject = serde_json::json!({
                "subject": c.subject,
                "file": c.new.source,
                "level": c.level,
                "registered": c.baseline != Baseline::NotRegistered,
                "versions": c.previous.iter().map(|(v, _)| v).collect::<Vec<_>>(),
                "compatible": c.compatible(),
                "messages": render::messages_json(&c.report, &ctx),
            });
            if let (Some(remote), Some(map)) = (&c.remote, subject.as_object_mut()) {
                map.insert("remote".to_string(), remote_json(remote, c));
            }
            subject
        })
        .collect();
    let mut value = serde_json::json!({
        "compatible": checks.iter().all(SubjectCheck::passes),
        "subjects": subjects,
    });
    if checks.iter().any(|c| c.remote.is_some()) {
        value["disagreements"] = checks.iter().filter(|c| c.disagrees()).count().into();
    }
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
    for check in checks.iter().filter(|c| c.remote.is_some()) {
        github_remote(&mut out, check);
    }
    let failed = checks.iter().filter(|c| !c.passes()).count();
    let _ = writeln!(
        out,
        "{} subjects checked, {failed} incompatible{}",
        checks.len(),
        disagreements_suffix(checks)
    );
    out
}

/// Annotations for the registry's side: an error where it alone refuses, a warning where it alone
/// accepts, notices for notes.
fn github_remote(out: &mut String, check: &SubjectCheck) {
    let Some(remote) = &check.remote else { return };
    let file = gh_escape(&check.new.source, true);
    if check.disagrees() {
        let (command, kind, text) = match &remote.verdict {
            RemoteVerdict::Judged {
                compatible: false,
                messages,
            } => (
                "error",
                "REGISTRY_INCOMPATIBLE",
                format!(
                    "The registry refuses this schema, where schemactl finds it compatible. The registry said: {}",
                    if messages.is_empty() { "nothing".to_string() } else { messages.join("; ") }
                ),
            ),
            _ => (
                "warning",
                "REGISTRY_COMPATIBLE",
                "The registry would accept this schema, where schemactl finds it incompatible: its rules differ from Confluent's here.".to_string(),
            ),
        };
        let title = format!("{kind} ({})", check.subject);
        let _ = writeln!(
            out,
            "::{command} file={file},title={}::{}",
            gh_escape(&title, true),
            gh_escape(&text, false)
        );
    }
    let mut notes = Vec::new();
    if let RemoteVerdict::Unanswered { reason } = &remote.verdict {
        notes.push(format!("{reason}; the verdict is the local check's alone"));
    }
    if let Some((current, configured)) = remote.level_differs {
        notes.push(format!(
            "the registry judged under its current level {current}; `register` sets {configured} from the config first"
        ));
    }
    for note in notes {
        let title = format!("registry ({})", check.subject);
        let _ = writeln!(
            out,
            "::notice file={file},title={}::{}",
            gh_escape(&title, true),
            gh_escape(&note, false)
        );
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn junit(checks: &[SubjectCheck]) -> String {
    let failures = checks.iter().filter(|c| !c.passes()).count();
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
        let remote = remote_lines(check).join("\n");
        if check.passes() && remote.is_empty() {
            let _ = writeln!(out, "/>");
            continue;
        }
        let _ = writeln!(out, ">");
        if check.passes() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                xml_escape(&remote)
            );
            let _ = writeln!(out, "    </testcase>");
            continue;
        }
        if check.compatible() {
            // Only the registry refuses it: its words are the explanation.
            let _ = writeln!(
                out,
                "      <failure type=\"REGISTRY_INCOMPATIBLE\" message=\"the registry refuses it, where schemactl finds it compatible\">{}</failure>",
                xml_escape(&remote)
            );
            let _ = writeln!(out, "    </testcase>");
            continue;
        }
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
        if !remote.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                xml_escape(&remote)
            );
        }
        let _ = writeln!(out, "    </testcase>");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
