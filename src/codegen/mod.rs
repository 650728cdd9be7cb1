//! Code generation: Rust types with Confluent-framed serializers from Avro schemas (our own
//! generator, `quote` + `prettyplease`), Protobuf files (`protox` + `prost-build`) and JSON
//! Schemas (`typify`).
//!
//! The entry points return source text; [`write_if_changed`] writes it without touching a file
//! whose content is already right, so that unchanged schemas cause no rebuild.

pub mod avro;
pub mod json;
mod json_bundle;
#[cfg(feature = "registry-client")]
pub mod pin;
pub mod protobuf;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::schema::{LoadError, SourceLocation};

/// How a generated type names its Confluent subject (Confluent's `subject.name.strategy`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SubjectStrategy {
    /// `RecordNameStrategy`: the type's full name.
    #[default]
    RecordName,
    /// `TopicNameStrategy`: `<topic>-value` (or `<topic>-key`).
    TopicName { topic: String, key: bool },
    /// `TopicRecordNameStrategy`: `<topic>-<full name>`.
    TopicRecordName { topic: String },
    /// One subject given by name (a project's `name = ".."`), shared like `TopicName`.
    Explicit(String),
}

impl SubjectStrategy {
    /// Whether every type shares one subject (`TopicNameStrategy`), whose registered schema is
    /// a file's main type: only that type may claim the subject's id.
    pub fn is_shared(&self) -> bool {
        matches!(self, Self::TopicName { .. } | Self::Explicit(_))
    }

    pub fn subject(&self, full_name: &str) -> String {
        match self {
            Self::RecordName => full_name.to_string(),
            Self::TopicName { topic, key } => {
                format!("{topic}-{}", if *key { "key" } else { "value" })
            }
            Self::TopicRecordName { topic } => format!("{topic}-{full_name}"),
            Self::Explicit(subject) => subject.clone(),
        }
    }
}

/// What code generation is asked to do, beyond the inputs.
#[derive(Debug, Clone)]
pub struct Options {
    pub subject_strategy: SubjectStrategy,
    /// Also re-export every generated type at the root (`pub use com::acme::User;`).
    pub flat_reexports: bool,
    /// Schema ids pinned at build time, by subject (from a lock file or a registry).
    pub pinned_ids: HashMap<String, u32>,
    /// Path of the runtime crate in generated code.
    pub runtime_crate: String,
    /// Per-file subjects that override `subject_strategy` (from a project config), by file:
    /// an Avro input's `source`, a Protobuf file's import name (relative to its include).
    pub files: HashMap<String, FileSubjects>,
}

/// How one schema file's types name their subjects, as a project config (`schemactl.toml`)
/// registers them: one file per subject, each with its own naming and reference subjects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSubjects {
    /// The file's naming; its main type's subject is the project's subject.
    pub strategy: SubjectStrategy,
    /// The subject of each reference, by reference name (Avro full name, Protobuf import).
    pub references: HashMap<String, String>,
}

impl Options {
    /// How the types of `file` (see [`Options::files`]) name their subjects.
    pub fn strategy(&self, file: &str) -> &SubjectStrategy {
        self.files
            .get(file)
            .map_or(&self.subject_strategy, |f| &f.strategy)
    }

    /// The subject a reference of `file` named `name` is registered under, when a project
    /// config says so.
    pub fn reference_subject(&self, file: &str, name: &str) -> Option<&str> {
        self.files
            .get(file)
            .and_then(|f| f.references.get(name))
            .map(String::as_str)
    }

    /// The id pinned for a type of `file` under `subject`; `is_main` says whether it is its
    /// file's main type (Avro: the top-level type; Protobuf: the first message), the only one
    /// that may claim a shared subject's id.
    pub fn pinned_id(&self, file: &str, subject: &str, is_main: bool) -> Option<u32> {
        if self.strategy(file).is_shared() && !is_main {
            return None;
        }
        self.pinned_ids.get(subject).copied()
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            subject_strategy: SubjectStrategy::default(),
            flat_reexports: false,
            pinned_ids: HashMap::new(),
            runtime_crate: "::schemactl".to_string(),
            files: HashMap::new(),
        }
    }
}

/// A generated type's schema as a registry knows it, to look up its id at build time
/// (`POST /subjects/{subject}`, as Confluent's serializers do with `auto.register.schemas=false`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinRequest {
    /// The file the type comes from, for errors.
    pub source: String,
    pub subject: String,
    /// `AVRO`, `PROTOBUF` or `JSON`.
    pub schema_type: &'static str,
    pub schema: String,
    /// `(name, subject)` of each reference, looked up at the subject's latest version.
    pub references: Vec<(String, String)>,
    /// Whether a missing registration fails the build (a file's main type) or only leaves the
    /// type unpinned (a nested type that may not be registered on its own).
    pub required: bool,
}

/// Why code could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// A schema that does not parse: carries its file, line and message.
    #[error(transparent)]
    Schema(#[from] LoadError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Protobuf(String),
    /// A JSON Schema typify cannot turn into Rust types: carries the file and the reason.
    #[error("{0}")]
    Json(String),
    /// Two files define one full name differently: generating either would pick one by chance.
    #[error("type '{name}' is defined differently in {} and {}", places[0], places[1])]
    Conflict {
        name: String,
        /// Both definitions, in source order (boxed: errors stay small to return).
        places: Box<[SourceLocation; 2]>,
    },
    #[error("lock file {}: {message}", path.display())]
    LockFile { path: PathBuf, message: String },
    /// Schema ids could not be pinned from a registry.
    #[error("pinning schema ids from {registry}: {message}")]
    Pin { registry: String, message: String },
    /// A project config (`schemactl.toml`) that cannot be read, or whose subjects cannot be
    /// loaded; the message names the file and line.
    #[error("{0}")]
    Project(String),
    #[error("internal: generated code does not parse: {0}")]
    Render(String),
}

/// Writes `content` to `path` unless the file already holds exactly that; returns whether it
/// wrote. Leaving the file alone keeps its mtime, so cargo does not rebuild dependents.
pub fn write_if_changed(path: &Path, content: &str) -> Result<bool, CodegenError> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| CodegenError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, content).map_err(|source| CodegenError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(true)
}

/// Reads a lock file of pinned schema ids: a JSON object `{"subject": id, ...}`.
pub fn read_lock_file(path: &Path) -> Result<HashMap<String, u32>, CodegenError> {
    let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| CodegenError::LockFile {
        path: path.to_path_buf(),
        message: format!("expected a JSON object of subject to schema id: {e}"),
    })
}

/// Formats generated tokens as Rust source with a header.
pub(crate) fn render(tokens: proc_macro2::TokenStream) -> Result<String, CodegenError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::Render(e.to_string()))?;
    Ok(format!(
        "// @generated by schemactl. Do not edit: change the schemas and rebuild.\n\n{}",
        prettyplease::unparse(&file)
    ))
}
