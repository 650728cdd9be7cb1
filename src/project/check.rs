//! The CI gate: every subject of a project against its registered versions (or against the
//! schema files of another git revision), under the subject's level.

use std::collections::HashMap;

use super::load::{parse_registered, LoadedProject, LocalSubject};
use super::remote::RemoteCheck;
use super::ProjectError;
use crate::compat::{self, Level, Options, Report, RuleSet};
use crate::registry::{ErrorKind, Registry, VersionSpec};
use crate::schema::{Schema, SchemaType};

/// What a subject was checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Baseline {
    /// The subject has no registered version yet: it passes, with a note.
    NotRegistered,
    /// Registered versions (or the files of a git revision, as version 1).
    Versions(Vec<u32>),
}

/// The outcome for one subject.
#[derive(Debug, Clone)]
pub struct SubjectCheck {
    pub subject: String,
    /// The local schema (its `source` is the file path).
    pub new: Schema,
    pub level: Level,
    pub baseline: Baseline,
    /// The versions compared, as parsed schemas, for pointing into them.
    pub previous: Vec<(u32, Schema)>,
    pub report: Report,
    /// The registry's own verdict, when it was asked (`check --remote`).
    pub remote: Option<RemoteCheck>,
}

impl SubjectCheck {
    /// The local verdict.
    pub fn compatible(&self) -> bool {
        self.report.compatible
    }

    /// Whether the registry, when asked, judged the schema incompatible.
    pub fn registry_refuses(&self) -> bool {
        self.registry_verdict() == Some(false)
    }

    /// The registry's verdict, when it was asked and answered.
    pub fn registry_verdict(&self) -> Option<bool> {
        self.remote.as_ref().and_then(|r| r.verdict.compatible())
    }

    /// Whether the registry answered and its verdict differs from the local one.
    pub fn disagrees(&self) -> bool {
        self.registry_verdict()
            .is_some_and(|remote| remote != self.compatible())
    }

    /// The gate: neither the local check nor the registry finds it incompatible.
    pub fn passes(&self) -> bool {
        self.compatible() && !self.registry_refuses()
    }
}

/// Checks every subject against the registry. The level is the subject's configured one, else the
/// registry's (subject level, else global).
pub async fn check_against_registry(
    project: &LoadedProject,
    registry: &dyn Registry,
    options: &Options,
) -> Result<Vec<SubjectCheck>, ProjectError> {
    let mut cache = HashMap::new();
    let mut out = Vec::with_capacity(project.subjects.len());
    for subject in &project.subjects {
        let level = match subject.config.level {
            Some(level) => level,
            None => registry.config(Some(&subject.subject), true).await?,
        };
        let versions = match registry.versions(&subject.subject, false).await {
            Ok(v) => v,
            Err(e) if e.kind() == ErrorKind::SubjectNotFound => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        if versions.is_empty() {
            out.push(not_registered(subject, level));
            continue;
        }
        let wanted: &[u32] = match level {
            Level::None => &[],
            l if l.is_transitive() => &versions,
            _ => &versions[versions.len() - 1..],
        };
        let options = json_policy_of(registry, subject, options).await?;
        let mut previous = Vec::with_capacity(wanted.len());
        for &v in wanted {
            let record = registry
                .version(&subject.subject, VersionSpec::Number(v), false)
                .await?;
            let source = format!("{}/versions/{v}", subject.subject);
            let schema =
                parse_registered(registry, &source, &record.definition(), &mut cache).await?;
            previous.push((v, schema));
        }
        out.push(compare(
            subject,
            level,
            Baseline::Versions(versions),
            previous,
            &options,
        )?);
    }
    Ok(out)
}

/// The options a JSON Schema subject is checked with: the default rule set gives way to the
/// `compatibilityPolicy` the registry reports for the subject (`lenient`), so the local verdict
/// is the one that registry gives; an explicit `--rules lenient` needs no question.
async fn json_policy_of(
    registry: &dyn Registry,
    subject: &LocalSubject,
    options: &Options,
) -> Result<Options, ProjectError> {
    if subject.schema.schema_type() != SchemaType::Json || options.rules != RuleSet::Confluent {
        return Ok(*options);
    }
    let policy = registry.compatibility_policy(&subject.subject).await?;
    Ok(match policy {
        Some(p) if p.eq_ignore_ascii_case("lenient") => Options {
            rules: RuleSet::Lenient,
            ..*options
        },
        _ => *options,
    })
}

/// Checks every subject against the same subject loaded from another revision (`old`), with no
/// registry. A subject absent there passes as new. The level is the configured one, else BACKWARD.
pub fn check_against_project(
    project: &LoadedProject,
    old: &LoadedProject,
    options: &Options,
) -> Result<Vec<SubjectCheck>, ProjectError> {
    let mut out = Vec::with_capacity(project.subjects.len());
    for subject in &project.subjects {
        let level = subject.config.level.unwrap_or(Level::Backward);
        match old.subject(&subject.subject) {
            None => out.push(not_registered(subject, level)),
            Some(before) => out.push(compare(
                subject,
                level,
                Baseline::Versions(vec![1]),
                vec![(1, before.schema.clone())],
                options,
            )?),
        }
    }
    Ok(out)
}

fn not_registered(subject: &LocalSubject, level: Level) -> SubjectCheck {
    SubjectCheck {
        subject: subject.subject.clone(),
        new: subject.schema.clone(),
        level,
        baseline: Baseline::NotRegistered,
        previous: Vec::new(),
        report: Report {
            compatible: true,
            level,
            messages: Vec::new(),
        },
        remote: None,
    }
}

fn compare(
    subject: &LocalSubject,
    level: Level,
    baseline: Baseline,
    previous: Vec<(u32, Schema)>,
    options: &Options,
) -> Result<SubjectCheck, ProjectError> {
    let numbered: Vec<(u32, &Schema)> = previous.iter().map(|(v, s)| (*v, s)).collect();
    let report = compat::check(&subject.schema, &numbered, level, options)
        .map_err(|e| ProjectError::Invalid(format!("{}: {e}", subject.subject)))?;
    Ok(SubjectCheck {
        subject: subject.subject.clone(),
        new: subject.schema.clone(),
        level,
        baseline,
        previous,
        report,
        remote: None,
    })
}
