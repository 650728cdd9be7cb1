//! The schema registry: one [`Registry`] trait over Confluent Schema Registry's REST API, with
//! three pieces behind it:
//!
//! - [`http::HttpRegistry`], a `reqwest` client for the registries teams run in production
//!   (Confluent, Karapace, Redpanda, Apicurio's Confluent API);
//! - [`local::LocalRegistry`], an embedded SQLite store with Confluent's semantics, the default
//!   when no registry is configured;
//! - [`server`], an `axum` server exposing any [`Registry`] over the same REST API.
//!
//! The trait is async (tokio) because both the client and the server are; it is object safe
//! (through `async_trait`) so that callers hold an `Arc<dyn Registry>` picked by [`open`].

#[cfg(feature = "registry")]
mod alarm;
#[cfg(feature = "registry")]
pub mod canonical;
pub mod error;
pub mod http;
#[cfg(feature = "registry")]
pub mod local;
pub mod references;
#[cfg(feature = "registry")]
mod resolve;
#[cfg(feature = "registry")]
pub mod server;
mod types;

use std::sync::Arc;

pub use error::{ErrorKind, RegistryError};
pub use types::{
    CompatibilityResult, Mode, Registration, SchemaDefinition, SchemaRecord, SchemaReference,
    SubjectVersion, VersionSpec,
};

/// Public here too: without the `engine` feature there is no `compat` or `schema` module.
pub use crate::vocabulary::{Level, SchemaType};

/// The result of every registry call.
pub type Result<T> = std::result::Result<T, RegistryError>;

/// The Confluent Schema Registry API a build tool needs.
///
/// Every method maps to one REST endpoint (named in its doc); errors carry Confluent's error
/// codes, whichever implementation produced them.
#[async_trait::async_trait]
pub trait Registry: Send + Sync {
    /// `GET /subjects`: subjects with at least one live version (or any, with `deleted`), sorted,
    /// optionally only those starting with `prefix`.
    async fn subjects(&self, prefix: Option<&str>, deleted: bool) -> Result<Vec<String>>;

    /// `GET /subjects/{subject}/versions`, ascending.
    async fn versions(&self, subject: &str, deleted: bool) -> Result<Vec<u32>>;

    /// `GET /subjects/{subject}/versions/{version}` (with its references).
    async fn version(
        &self,
        subject: &str,
        version: VersionSpec,
        deleted: bool,
    ) -> Result<SchemaRecord>;

    /// `POST /subjects/{subject}/versions`: registers a schema, checking compatibility under the
    /// subject's level. A schema already live under the subject returns its id and adds nothing.
    async fn register(
        &self,
        subject: &str,
        schema: &SchemaDefinition,
        normalize: bool,
    ) -> Result<Registration>;

    /// `POST /subjects/{subject}`: finds the version of a subject holding this schema.
    async fn lookup(
        &self,
        subject: &str,
        schema: &SchemaDefinition,
        normalize: bool,
        deleted: bool,
    ) -> Result<SchemaRecord>;

    /// `GET /schemas/ids/{id}`.
    async fn schema_by_id(&self, id: u32) -> Result<SchemaDefinition>;

    /// `GET /schemas/ids/{id}/versions`: every subject-version holding schema `id`.
    async fn id_versions(&self, id: u32, deleted: bool) -> Result<Vec<SubjectVersion>>;

    /// `GET /schemas/ids/{id}/subjects`.
    async fn id_subjects(&self, id: u32, deleted: bool) -> Result<Vec<String>>;

    /// `GET /schemas/types`.
    async fn schema_types(&self) -> Result<Vec<String>>;

    /// `POST /compatibility/subjects/{subject}/versions[/{version}]`: tests a schema against one
    /// version (`Some`) or against the versions the subject's level reaches (`None`).
    async fn test_compatibility(
        &self,
        subject: &str,
        against: Option<VersionSpec>,
        schema: &SchemaDefinition,
        verbose: bool,
    ) -> Result<CompatibilityResult>;

    /// `GET /config[/{subject}]`: the global level (`None`), or a subject's own level. A subject
    /// without one is an error (40408, or 40401 from some registries) unless
    /// `default_to_global`, which gives the global level for it on every registry (see
    /// [`subject_level`] to learn which of the two applies).
    async fn config(&self, subject: Option<&str>, default_to_global: bool) -> Result<Level>;

    /// The `compatibilityPolicy` that `GET /config/{subject}?defaultToGlobal=true` reports, where a
    /// registry has one (a JSON Schema policy such as `lenient`; Confluent Schema Registry reports
    /// none, and neither does the embedded store). `None` when the registry does not say.
    async fn compatibility_policy(&self, subject: &str) -> Result<Option<String>> {
        let _ = subject;
        Ok(None)
    }

    /// `PUT /config[/{subject}]`.
    async fn set_config(&self, subject: Option<&str>, level: Level) -> Result<Level>;

    /// `DELETE /config[/{subject}]`: removes a level and returns the one it had.
    async fn delete_config(&self, subject: Option<&str>) -> Result<Level>;

    /// `GET /mode[/{subject}]`.
    async fn mode(&self, subject: Option<&str>, default_to_global: bool) -> Result<Mode>;

    /// `PUT /mode[/{subject}]`.
    async fn set_mode(&self, subject: Option<&str>, mode: Mode) -> Result<Mode>;

    /// `DELETE /subjects/{subject}[?permanent=true]`: returns the versions deleted. A permanent
    /// delete needs a soft delete first.
    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<u32>>;

    /// `DELETE /subjects/{subject}/versions/{version}[?permanent=true]`.
    async fn delete_version(
        &self,
        subject: &str,
        version: VersionSpec,
        permanent: bool,
    ) -> Result<u32>;

    /// `GET /subjects/{subject}/versions/{version}/referencedby`: ids of schemas referencing it.
    async fn referenced_by(&self, subject: &str, version: VersionSpec) -> Result<Vec<u32>>;
}

/// Where the compatibility level a subject is judged by comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSource {
    /// The subject has a level of its own.
    Subject,
    /// The subject has none (or does not exist yet): the global level applies.
    Global,
}

/// The level `subject` is judged by, and whether it is the subject's own or the global one. Asks
/// for the subject's own level first (without `defaultToGlobal`); a missing subject or subject
/// level (40401 on some registries, 40408 on Confluent) means the global level.
pub async fn subject_level(registry: &dyn Registry, subject: &str) -> Result<(Level, LevelSource)> {
    match registry.config(Some(subject), false).await {
        Ok(level) => Ok((level, LevelSource::Subject)),
        Err(e) if e.is_subject_setting_missing() => {
            Ok((registry.config(None, false).await?, LevelSource::Global))
        }
        Err(e) => Err(e),
    }
}

/// Opens the registry a target names: an `http://` or `https://` URL is a remote registry
/// (configured from the environment, see [`http::HttpOptions::from_env`]), anything else is the
/// path of an embedded store, created if missing (the store needs the `registry` feature; the
/// `registry-client` feature alone opens URLs only).
pub fn open(target: &str) -> Result<Arc<dyn Registry>> {
    if target.starts_with("http://") || target.starts_with("https://") {
        let options = http::HttpOptions::from_env()?;
        return Ok(Arc::new(http::HttpRegistry::new(target, options)?));
    }
    #[cfg(feature = "registry")]
    return Ok(Arc::new(local::LocalRegistry::open(std::path::Path::new(
        target,
    ))?));
    #[cfg(not(feature = "registry"))]
    Err(RegistryError::Config(format!(
        "'{target}' is not an http(s) URL, and this build has no embedded store (schemactl's `registry` feature)"
    )))
}

/// The embedded store's default location inside a project.
pub const DEFAULT_LOCAL_PATH: &str = ".schemactl/registry.db";
