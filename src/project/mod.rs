//! The project workflow: a `schemactl.toml`, its subjects loaded from files, and what teams run
//! every day over them: the CI gate ([`check`]), release ([`register`]), and friends.

// Without `project`, only reading a project (`project-config`, for build scripts).
#[cfg(feature = "project")]
pub mod check;
pub mod config;
#[cfg(feature = "project")]
pub mod diff;
#[cfg(feature = "project")]
mod diff_json;
#[cfg(feature = "project")]
pub mod git;
pub mod load;
pub mod paths;
#[cfg(feature = "project")]
pub mod register;
#[cfg(feature = "project")]
pub mod remote;

pub use config::{ConfigError, ProjectConfig};
pub use load::{LoadedProject, LocalSubject};

use crate::registry::RegistryError;
use crate::schema::LoadError;

/// Why a project command could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Schema(#[from] LoadError),
    /// The project is inconsistent: a reference cycle, an unknown referenced subject, an import
    /// that is neither a subject nor a reference.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// Git could not produce the files of a revision.
    #[error("{0}")]
    Git(String),
}

impl ProjectError {
    /// Whether the user's input is at fault (exit 2) rather than the environment (exit 3).
    pub fn is_bad_input(&self) -> bool {
        match self {
            ProjectError::Config(ConfigError::Io { .. }) => true,
            ProjectError::Config(_) | ProjectError::Schema(_) | ProjectError::Invalid(_) => true,
            ProjectError::Registry(e) => e.is_bad_input(),
            ProjectError::Git(_) => true,
        }
    }
}
