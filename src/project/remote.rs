//! `check --remote`: the registry's own verdict on each subject, asked exactly as `register` will
//! ask it, set beside the local verdict. Registries do not all give Confluent's verdicts; this is
//! where a team learns it before a release is refused (Confluent's Maven `test-compatibility`
//! goal, with the local explanation on top).

use std::collections::HashMap;

use super::check::SubjectCheck;
use super::load::{LoadedProject, LocalSubject};
use super::register::registered_version;
use crate::compat::Level;
use crate::registry::{ErrorKind, Registry, RegistryError, SchemaDefinition, VersionSpec};

/// What the registry said about one subject's local schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteVerdict {
    /// The registry judged the schema under the subject's level: `register` would accept it or
    /// refuse it, for the reasons in `messages` (the registry's own words).
    Judged {
        compatible: bool,
        messages: Vec<String>,
    },
    /// The registry holds this exact schema already: `register` changes nothing.
    AlreadyRegistered { version: u32 },
    /// The subject has no version on the registry: nothing to compare, so compatible.
    NothingToCompare,
    /// The registry could not answer (no compatibility endpoint, credentials without the right,
    /// a referenced project subject not registered yet …): a note, no verdict.
    Unanswered { reason: String },
}

impl RemoteVerdict {
    /// The registry's verdict, if it gave one.
    pub fn compatible(&self) -> Option<bool> {
        match self {
            RemoteVerdict::Judged { compatible, .. } => Some(*compatible),
            RemoteVerdict::AlreadyRegistered { .. } | RemoteVerdict::NothingToCompare => Some(true),
            RemoteVerdict::Unanswered { .. } => None,
        }
    }
}

/// The registry's side of one subject's check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCheck {
    pub verdict: RemoteVerdict,
    /// `(registry's level, configured level)` when they differ: the registry judged under its
    /// current level, while `register` sets the configured one first.
    pub level_differs: Option<(Level, Level)>,
}

/// Asks the registry about every subject, in dependency order, and attaches its answer to the
/// subject's check (`checks` in the order of `project.subjects`). Nothing here fails: a registry
/// that cannot answer is an [`RemoteVerdict::Unanswered`] note.
pub async fn add_remote_verdicts(
    project: &LoadedProject,
    registry: &dyn Registry,
    checks: &mut [SubjectCheck],
) {
    // Versions of project subjects already registered with their current schema: references to
    // them are sent with these versions, as `register` sends them.
    let mut versions: HashMap<String, u32> = HashMap::new();
    for (subject, check) in project.subjects.iter().zip(checks.iter_mut()) {
        let verdict = ask(registry, subject, &mut versions).await;
        let level_differs = match subject.config.level {
            Some(configured) => match registry.config(Some(&subject.subject), true).await {
                Ok(current) if current != configured => Some((current, configured)),
                _ => None,
            },
            None => None,
        };
        check.remote = Some(RemoteCheck {
            verdict,
            level_differs,
        });
    }
}

/// `register`'s question for one subject: is it there already, else would it be accepted?
async fn ask(
    registry: &dyn Registry,
    subject: &LocalSubject,
    versions: &mut HashMap<String, u32>,
) -> RemoteVerdict {
    let definition = match subject.definition(versions) {
        Ok(d) => d,
        Err(_) => {
            let pending = subject
                .references
                .iter()
                .find(|r| r.version.is_none() && !versions.contains_key(&r.subject))
                .map_or("a project subject", |r| r.subject.as_str());
            return RemoteVerdict::Unanswered {
                reason: format!(
                    "it references '{pending}', whose current schema is not registered yet; the \
                     registry can judge it once `register` has registered '{pending}'"
                ),
            };
        }
    };
    match registered_version(registry, subject, &definition, versions).await {
        Ok(Some(found)) => {
            return RemoteVerdict::AlreadyRegistered {
                version: found.version,
            }
        }
        Ok(None) => {}
        Err(e) => return unanswered(&e),
    }
    match test(registry, subject, None, &definition).await {
        Err(e) if endpoint_missing(&e) => {
            // Registries without the all-versions endpoint (older Confluent and work-alikes)
            // still answer against `latest`, as Confluent's Maven plugin asks.
            test(registry, subject, Some(VersionSpec::Latest), &definition)
                .await
                .unwrap_or_else(|e| {
                    if endpoint_missing(&e) {
                        RemoteVerdict::Unanswered {
                            reason: format!(
                                "the registry has no compatibility API (POST /compatibility/subjects/{{subject}}/versions): {e}"
                            ),
                        }
                    } else {
                        unanswered(&e)
                    }
                })
        }
        Err(e) => unanswered(&e),
        Ok(verdict) => verdict,
    }
}

/// One compatibility test; a subject or version the registry does not have is "nothing to
/// compare" (Confluent answers 40401 for a new subject on `versions/latest`), and a schema it
/// rejects as invalid is a refusal (`register` would fail the same way).
async fn test(
    registry: &dyn Registry,
    subject: &LocalSubject,
    against: Option<VersionSpec>,
    definition: &SchemaDefinition,
) -> Result<RemoteVerdict, RegistryError> {
    match registry
        .test_compatibility(&subject.subject, against, definition, true)
        .await
    {
        Ok(answer) => Ok(RemoteVerdict::Judged {
            compatible: answer.is_compatible,
            messages: answer.messages,
        }),
        Err(e) => match e.kind() {
            ErrorKind::SubjectNotFound | ErrorKind::VersionNotFound => {
                Ok(RemoteVerdict::NothingToCompare)
            }
            ErrorKind::InvalidSchema => Ok(RemoteVerdict::Judged {
                compatible: false,
                messages: vec![e.api_message()],
            }),
            _ => Err(e),
        },
    }
}

/// A 404 or 405 that is not one of Confluent's coded answers: the route does not exist.
fn endpoint_missing(e: &RegistryError) -> bool {
    match e {
        RegistryError::InvalidResponse { status, .. } => matches!(status, 404 | 405),
        RegistryError::Api { status, code, .. } => matches!(status, 404 | 405) && *code < 1000,
        _ => false,
    }
}

fn unanswered(e: &RegistryError) -> RemoteVerdict {
    RemoteVerdict::Unanswered {
        reason: format!("the registry did not answer the compatibility question: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_uncoded_404s_mean_a_missing_endpoint() {
        let missing = RegistryError::InvalidResponse {
            url: "http://r/compatibility/subjects/s/versions".into(),
            status: 404,
            message: "no error code in body \"Not Found\"".into(),
        };
        assert!(endpoint_missing(&missing));
        assert!(endpoint_missing(&RegistryError::not_found_endpoint("/x")));
        assert!(!endpoint_missing(&RegistryError::subject_not_found("s")));
        let auth = RegistryError::Unauthorized {
            url: "http://r".into(),
            status: 401,
        };
        assert!(!endpoint_missing(&auth));
    }

    #[test]
    fn only_a_judgement_of_incompatibility_is_a_refusal() {
        let refused = RemoteVerdict::Judged {
            compatible: false,
            messages: vec![],
        };
        assert_eq!(refused.compatible(), Some(false));
        assert_eq!(RemoteVerdict::NothingToCompare.compatible(), Some(true));
        assert_eq!(
            RemoteVerdict::AlreadyRegistered { version: 2 }.compatible(),
            Some(true)
        );
        let note = RemoteVerdict::Unanswered { reason: "x".into() };
        assert_eq!(note.compatible(), None);
    }
}
