//! Release: register every subject of a project, references first, idempotently.

use std::collections::HashMap;

use super::check::{check_against_registry, SubjectCheck};
use super::load::{LoadedProject, LocalSubject};
use super::ProjectError;
use crate::compat::{Level, Options};
use crate::registry::{ErrorKind, Registry, RegistryError, SchemaDefinition, SchemaRecord};

/// What happened (or, in a dry run, would happen) to one subject.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A new version was registered.
    Registered { id: u32, version: u32 },
    /// The schema was already registered under the subject.
    Unchanged { id: u32, version: u32 },
    /// Dry run: the schema would be registered (it passes the registry's compatibility test).
    WouldRegister,
    /// The registry refused the schema as incompatible (or, in a dry run, the local check did);
    /// `check` says why (when it could be made). `message` is the same clean sentence for a dry
    /// run and a real refusal; the registry's own text is kept apart in `registry_message`.
    Refused {
        message: String,
        check: Option<Box<SubjectCheck>>,
        registry_message: Option<String>,
    },
    /// Not attempted because a subject it references was refused.
    Skipped { because: String },
}

/// One subject's line of the summary.
#[derive(Debug, Clone)]
pub struct SubjectRegistration {
    pub subject: String,
    /// The level set from the config, if one is configured.
    pub level: Option<Level>,
    pub outcome: Outcome,
}

impl SubjectRegistration {
    pub fn failed(&self) -> bool {
        matches!(
            self.outcome,
            Outcome::Refused { .. } | Outcome::Skipped { .. }
        )
    }
}

/// Registers (or with `dry_run`, plans) every subject in dependency order. `progress` is called
/// after each subject with its result.
pub async fn register_project(
    project: &LoadedProject,
    registry: &dyn Registry,
    dry_run: bool,
    mut progress: impl FnMut(&SubjectRegistration),
) -> Result<Vec<SubjectRegistration>, ProjectError> {
    let mut versions: HashMap<String, u32> = HashMap::new();
    let mut refused: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(project.subjects.len());
    for subject in &project.subjects {
        let blocked = subject
            .references
            .iter()
            .find(|r| r.local.is_some() && refused.contains(&r.subject));
        let outcome = match blocked {
            Some(r) => Outcome::Skipped {
                because: format!("it references '{}', which was not registered", r.subject),
            },
            None => register_one(project, subject, registry, dry_run, &mut versions).await?,
        };
        if matches!(outcome, Outcome::Refused { .. } | Outcome::Skipped { .. }) {
            refused.push(subject.subject.clone());
        }
        let line = SubjectRegistration {
            subject: subject.subject.clone(),
            level: subject.config.level,
            outcome,
        };
        progress(&line);
        out.push(line);
    }
    Ok(out)
}

async fn register_one(
    project: &LoadedProject,
    subject: &LocalSubject,
    registry: &dyn Registry,
    dry_run: bool,
    versions: &mut HashMap<String, u32>,
) -> Result<Outcome, ProjectError> {
    if dry_run {
        return plan_one(project, subject, registry, versions).await;
    }
    let definition = subject.definition(versions)?;
    if let Some(found) = registered_version(registry, subject, &definition, versions).await? {
        apply_level(registry, subject).await?;
        return Ok(Outcome::Unchanged {
            id: found.id,
            version: found.version,
        });
    }
    // Apply the configured level first, so that the registration is judged by it; restore the
    // previous level if the registration is refused, so nothing is half-done.
    let previous = match subject.config.level {
        Some(_) => Some(match registry.config(Some(&subject.subject), false).await {
            Ok(level) => Some(level),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::SubjectConfigNotFound | ErrorKind::SubjectNotFound
                ) =>
            {
                None
            }
            Err(e) => return Err(e.into()),
        }),
        None => None,
    };
    apply_level(registry, subject).await?;
    match registry
        .register(&subject.subject, &definition, false)
        .await
    {
        Ok(registration) => {
            let version = match registration.version {
                Some(v) => v,
                None => {
                    registry
                        .lookup(&subject.subject, &definition, false, false)
                        .await?
                        .version
                }
            };
            versions.insert(subject.subject.clone(), version);
            Ok(if registration.created {
                Outcome::Registered {
                    id: registration.id,
                    version,
                }
            } else {
                Outcome::Unchanged {
                    id: registration.id,
                    version,
                }
            })
        }
        Err(e) if e.kind() == ErrorKind::Incompatible => {
            if let Some(previous) = previous {
                match previous {
                    Some(level) => {
                        registry.set_config(Some(&subject.subject), level).await?;
                    }
                    None => {
                        registry.delete_config(Some(&subject.subject)).await?;
                    }
                }
            }
            Ok(refusal(project, subject, registry, e.api_message()).await)
        }
        Err(e) => Err(e.into()),
    }
}

/// A dry run of one subject: unchanged if the registry holds it already, else judged by a local
/// check against the registered versions (the same verdicts as the registry's, and it works when
/// a referenced project subject is not registered yet).
async fn plan_one(
    project: &LoadedProject,
    subject: &LocalSubject,
    registry: &dyn Registry,
    versions: &mut HashMap<String, u32>,
) -> Result<Outcome, ProjectError> {
    if let Ok(definition) = subject.definition(versions) {
        if let Some(found) = registered_version(registry, subject, &definition, versions).await? {
            return Ok(Outcome::Unchanged {
                id: found.id,
                version: found.version,
            });
        }
    }
    let single = LoadedProject {
        config: project.config.clone(),
        subjects: vec![subject.clone()],
    };
    let mut checks = check_against_registry(&single, registry, &Options::default()).await?;
    match checks.pop() {
        Some(check) if !check.compatible() => Ok(Outcome::Refused {
            message: NOT_COMPATIBLE.to_string(),
            check: Some(Box::new(check)),
            registry_message: None,
        }),
        _ => Ok(Outcome::WouldRegister),
    }
}

/// The registered version holding exactly `definition` (what `register` sends for `subject`), if
/// any; it is noted in `versions`, so that subjects referencing this one send that version.
pub(super) async fn registered_version(
    registry: &dyn Registry,
    subject: &LocalSubject,
    definition: &SchemaDefinition,
    versions: &mut HashMap<String, u32>,
) -> Result<Option<SchemaRecord>, RegistryError> {
    match registry
        .lookup(&subject.subject, definition, false, false)
        .await
    {
        Ok(found) => {
            versions.insert(subject.subject.clone(), found.version);
            Ok(Some(found))
        }
        Err(e) if e.is_lookup_miss() => Ok(None),
        Err(e) => Err(e),
    }
}

async fn apply_level(registry: &dyn Registry, subject: &LocalSubject) -> Result<(), ProjectError> {
    if let Some(level) = subject.config.level {
        registry.set_config(Some(&subject.subject), level).await?;
    }
    Ok(())
}

/// Why a subject is refused, when the local check explains it (a dry run and a real refusal alike).
const NOT_COMPATIBLE: &str = "it is not compatible with the registered versions";

/// A refusal, explained by a local check of the subject against its registered versions. When the
/// local check finds nothing, the registry's rules differ from Confluent's here: the registry's
/// own text is then the only explanation, and the message says so.
async fn refusal(
    project: &LoadedProject,
    subject: &LocalSubject,
    registry: &dyn Registry,
    registry_message: String,
) -> Outcome {
    let single = LoadedProject {
        config: project.config.clone(),
        subjects: vec![subject.clone()],
    };
    let check = check_against_registry(&single, registry, &Options::default())
        .await
        .ok()
        .and_then(|mut checks| checks.pop())
        .filter(|c| !c.compatible())
        .map(Box::new);
    let message = match check {
        Some(_) => NOT_COMPATIBLE.to_string(),
        None => "the registry refused it, but schemactl's check finds it compatible: the \
                 registry's rules differ here (`schemactl check --remote` shows such \
                 disagreements before a release)"
            .to_string(),
    };
    Outcome::Refused {
        message,
        check,
        registry_message: Some(registry_message),
    }
}
