//! `schemactl.toml`: the registry a project talks to and the subjects it owns.
//!
//! Secrets never live in the file: auth and TLS name environment variables or files. Unknown keys
//! and bad values are errors that name the key, the file and the line.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::compat::Level;
use crate::schema::locate::line_col;
use crate::schema::SchemaType;

/// The default file name.
pub const CONFIG_FILE: &str = "schemactl.toml";

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// How a subject is named from a topic, as Confluent's serializers name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Naming {
    /// `<topic>-value` / `<topic>-key` (TopicNameStrategy, Confluent's default).
    #[default]
    Topic,
    /// The schema's fully-qualified record or message name (RecordNameStrategy).
    Record,
    /// `<topic>-<fully-qualified name>` (TopicRecordNameStrategy).
    TopicRecord,
}

/// Whether a schema is for record keys or values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Key,
    #[default]
    Value,
}

/// Where the registry is and how to authenticate; secrets by environment variable name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryConfig {
    /// A remote registry (`http://` or `https://`); `None` means the embedded store.
    pub url: Option<String>,
    /// The embedded store's file, relative to the project root.
    pub path: PathBuf,
    /// Environment variable holding `user:password` for HTTP basic auth.
    pub basic_auth_env: Option<String>,
    /// Environment variable holding a bearer token.
    pub bearer_token_env: Option<String>,
    pub ca_bundle: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub timeout_secs: Option<u64>,
}

/// A reference from one subject's schema to another registered schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceConfig {
    /// The name the schema uses: an Avro full name or a Protobuf import path.
    pub name: String,
    pub subject: String,
    /// A registered version; `None` for a subject of this project (its version at registration).
    pub version: Option<u32>,
}

/// How a subject's name is given: directly, or from a topic and a naming strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectName {
    Explicit(String),
    Topic {
        topic: String,
        role: Role,
        naming: Naming,
    },
}

/// One subject of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectConfig {
    pub name: SubjectName,
    /// The schema file, resolved against the project root.
    pub schema: PathBuf,
    /// The schema file as written in the config (relative to the root), for messages and git.
    pub schema_relative: PathBuf,
    pub schema_type: SchemaType,
    /// The level `register` applies and `check` uses (else the registry's).
    pub level: Option<Level>,
    pub references: Vec<ReferenceConfig>,
    /// 1-based line of the subject's table in the config, for messages.
    pub line: usize,
}

/// How `check` runs by default (`[check]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Also ask the registry for its own verdict (`check --remote`; `--no-remote` overrides).
    #[serde(default)]
    pub remote: bool,
}

/// A loaded `schemactl.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectConfig {
    /// The config file.
    pub path: PathBuf,
    /// The directory paths are relative to (the config file's).
    pub root: PathBuf,
    pub registry: RegistryConfig,
    /// Protobuf import paths, resolved against the root.
    pub includes: Vec<PathBuf>,
    pub subjects: Vec<SubjectConfig>,
    pub check: CheckConfig,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    registry: RawRegistry,
    #[serde(default)]
    defaults: RawDefaults,
    #[serde(default, rename = "subject")]
    subjects: Vec<Spanned<RawSubject>>,
    #[serde(default)]
    check: CheckConfig,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    url: Option<Spanned<String>>,
    path: Option<PathBuf>,
    basic_auth_env: Option<String>,
    bearer_token_env: Option<String>,
    ca_bundle: Option<PathBuf>,
    client_cert: Option<PathBuf>,
    client_key: Option<PathBuf>,
    timeout_secs: Option<u64>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    naming: Option<Naming>,
    #[serde(default)]
    include: Vec<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubject {
    name: Option<String>,
    topic: Option<String>,
    role: Option<Role>,
    naming: Option<Naming>,
    schema: Spanned<PathBuf>,
    #[serde(rename = "type")]
    schema_type: Option<Spanned<String>>,
    level: Option<Spanned<String>>,
    #[serde(default)]
    references: Vec<RawReference>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReference {
    name: String,
    subject: String,
    version: Option<u32>,
}

impl ProjectConfig {
    /// Loads and validates a config file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses config text; `path` names it and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let invalid = |span: Option<Range<usize>>, message: String| {
            let (line, column) = line_col(text, span.map_or(0, |s| s.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| invalid(e.span(), e.message().trim().to_string()))?;
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));

        let url = match raw.registry.url {
            Some(url) => {
                let span = url.span();
                let url = url.into_inner();
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(invalid(
                        Some(span),
                        format!("registry.url must start with http:// or https://, not '{url}'"),
                    ));
                }
                if url.contains('@') {
                    return Err(invalid(
                        Some(span),
                        "registry.url must not carry credentials; name an environment variable in registry.basic_auth_env".to_string(),
                    ));
                }
                Some(url)
            }
            None => None,
        };
        let registry = RegistryConfig {
            url,
            path: root.join(
                raw.registry
                    .path
                    .unwrap_or_else(|| PathBuf::from(crate::registry::DEFAULT_LOCAL_PATH)),
            ),
            basic_auth_env: raw.registry.basic_auth_env,
            bearer_token_env: raw.registry.bearer_token_env,
            ca_bundle: raw.registry.ca_bundle.map(|p| root.join(p)),
            client_cert: raw.registry.client_cert.map(|p| root.join(p)),
            client_key: raw.registry.client_key.map(|p| root.join(p)),
            timeout_secs: raw.registry.timeout_secs,
        };
        let default_naming = raw.defaults.naming.unwrap_or_default();
        let mut subjects = Vec::with_capacity(raw.subjects.len());
        for spanned in raw.subjects {
            let span = spanned.span();
            let (line, _) = line_col(text, span.start);
            let s = spanned.into_inner();
            let name = match (s.name, s.topic) {
                (Some(name), None) => {
                    if s.role.is_some() || s.naming.is_some() {
                        return Err(invalid(
                            Some(span),
                            "'role' and 'naming' apply to a 'topic', not to an explicit subject 'name'".to_string(),
                        ));
                    }
                    SubjectName::Explicit(name)
                }
                (None, Some(topic)) => SubjectName::Topic {
                    topic,
                    role: s.role.unwrap_or_default(),
                    naming: s.naming.unwrap_or(default_naming),
                },
                _ => {
                    return Err(invalid(
                        Some(span),
                        "a [[subject]] needs exactly one of 'name' (the subject) or 'topic' (named by the naming strategy)".to_string(),
                    ))
                }
            };
            let schema_span = s.schema.span();
            let schema_relative = s.schema.into_inner();
            let schema_type = match s.schema_type {
                Some(t) => t
                    .get_ref()
                    .parse()
                    .map_err(|m| invalid(Some(t.span()), m))?,
                None => SchemaType::from_path(&schema_relative).ok_or_else(|| {
                    invalid(
                        Some(schema_span.clone()),
                        format!(
                            "cannot tell the type of '{}' from its extension; add type = \"avro\", \"protobuf\" or \"json\"",
                            schema_relative.display()
                        ),
                    )
                })?,
            };
            let level = match s.level {
                Some(l) => Some(
                    l.get_ref()
                        .parse::<Level>()
                        .map_err(|m| invalid(Some(l.span()), m))?,
                ),
                None => None,
            };
            subjects.push(SubjectConfig {
                name,
                schema: root.join(&schema_relative),
                schema_relative,
                schema_type,
                level,
                references: s
                    .references
                    .into_iter()
                    .map(|r| ReferenceConfig {
                        name: r.name,
                        subject: r.subject,
                        version: r.version,
                    })
                    .collect(),
                line,
            });
        }
        Ok(Self {
            path: path.to_path_buf(),
            registry,
            includes: raw.defaults.include.iter().map(|p| root.join(p)).collect(),
            root,
            subjects,
            check: raw.check,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ProjectConfig, ConfigError> {
        ProjectConfig::parse(Path::new("proj/schemactl.toml"), text)
    }

    #[test]
    fn reads_subjects_with_defaults() {
        let config = parse(
            r#"
[defaults]
naming = "topic_record"
include = ["schemas"]

[[subject]]
topic = "users"
schema = "schemas/user.avsc"
level = "full"

[[subject]]
name = "address"
schema = "schemas/address.proto"
references = [{ name = "common.proto", subject = "common", version = 2 }]
"#,
        )
        .unwrap();
        assert_eq!(config.root, PathBuf::from("proj"));
        assert_eq!(config.registry.url, None);
        assert_eq!(
            config.registry.path,
            PathBuf::from("proj/.schemactl/registry.db")
        );
        assert_eq!(config.includes, vec![PathBuf::from("proj/schemas")]);
        let users = &config.subjects[0];
        assert_eq!(
            users.name,
            SubjectName::Topic {
                topic: "users".into(),
                role: Role::Value,
                naming: Naming::TopicRecord
            }
        );
        assert_eq!(users.level, Some(Level::Full));
        assert_eq!(users.schema_type, SchemaType::Avro);
        assert_eq!(users.line, 6);
        let address = &config.subjects[1];
        assert_eq!(address.schema_type, SchemaType::Protobuf);
        assert_eq!(address.references[0].version, Some(2));
    }

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let err = parse("[registry]\nurl = \"http://localhost:8081\"\npassword = \"hunter2\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("proj/schemactl.toml:3:1: unknown field `password`"),
            "{err}"
        );
        assert!(!err.contains("hunter2"));
    }

    #[test]
    fn bad_levels_name_the_line() {
        let err = parse("[[subject]]\nname = \"a\"\nschema = \"a.avsc\"\nlevel = \"sideways\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("proj/schemactl.toml:4:9: unknown compatibility level"),
            "{err}"
        );
    }

    #[test]
    fn a_subject_needs_a_name_or_a_topic() {
        let err = parse("[[subject]]\nschema = \"a.avsc\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("exactly one of 'name'"), "{err}");
    }

    #[test]
    fn credentials_in_urls_are_refused() {
        let err = parse("[registry]\nurl = \"https://u:secret@example.com\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("must not carry credentials"), "{err}");
        assert!(!err.contains("secret@"), "{err}");
    }

    #[test]
    fn check_remote_is_off_unless_configured() {
        assert!(!parse("").unwrap().check.remote);
        assert!(parse("[check]\nremote = true\n").unwrap().check.remote);
        let err = parse("[check]\nremote = \"yes\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("proj/schemactl.toml:2:"), "{err}");
    }

    #[test]
    fn malformed_toml_is_an_error_with_a_line() {
        let err = parse("[[subject]\nname = 1\n").unwrap_err().to_string();
        assert!(err.starts_with("proj/schemactl.toml:1:"), "{err}");
    }
}
