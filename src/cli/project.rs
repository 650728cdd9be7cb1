//! What the project commands share: the config file, the registry they talk to, a runtime, and
//! the mapping of library errors to exit codes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::store::LazyStore;
use super::Failure;
use crate::project::{ConfigError, ProjectConfig, ProjectError};
use crate::registry::http::{Auth, HttpOptions, HttpRegistry};
use crate::registry::Registry;

/// Where the project and its registry are.
#[derive(Clone, Args)]
pub struct ProjectArgs {
    /// The project configuration.
    #[arg(short = 'c', long = "config", default_value = crate::project::config::CONFIG_FILE, global = true)]
    pub config: PathBuf,
    /// The registry: an http(s):// URL, or the path of an embedded store. Default: the
    /// SCHEMA_REGISTRY_URL environment variable, else the config's [registry], else the
    /// embedded store `.schemactl/registry.db`.
    #[arg(long, global = true)]
    pub registry: Option<String>,
    /// HTTP basic auth as `user:password` (better: the environment variable, which keeps it out
    /// of the process list).
    #[arg(
        long,
        global = true,
        env = "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
        hide_env_values = true,
        value_name = "USER:PASSWORD"
    )]
    pub basic_auth: Option<String>,
    /// A bearer token.
    #[arg(
        long,
        global = true,
        env = "SCHEMA_REGISTRY_BEARER_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub bearer_token: Option<String>,
}

/// Credentials never reach `Debug` output.
impl std::fmt::Debug for ProjectArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("ProjectArgs")
            .field("config", &self.config)
            .field("registry", &self.registry)
            .field("basic_auth", &redacted(&self.basic_auth))
            .field("bearer_token", &redacted(&self.bearer_token))
            .finish()
    }
}

impl ProjectArgs {
    /// Loads the config file (required).
    pub fn load_config(&self) -> Result<ProjectConfig, Failure> {
        ProjectConfig::load(&self.config).map_err(|e| match e {
            ConfigError::Io { .. } if !self.config.exists() => Failure::BadInput(format!(
                "{}: no such file; run `schemactl init` to write one, or pass --config",
                self.config.display()
            )),
            other => Failure::BadInput(other.to_string()),
        })
    }

    /// The config file if there is one; commands that only browse the registry work without.
    pub fn optional_config(&self) -> Result<Option<ProjectConfig>, Failure> {
        if self.config.exists() {
            self.load_config().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Opens the registry: `--registry`, else `SCHEMA_REGISTRY_URL`, else the config's, else the
    /// embedded store.
    pub fn open_registry(
        &self,
        config: Option<&ProjectConfig>,
    ) -> Result<Arc<dyn Registry>, Failure> {
        let env_url = std::env::var(crate::registry::http::ENV_URL)
            .ok()
            .filter(|u| !u.is_empty());
        let target = self
            .registry
            .clone()
            .or(env_url)
            .or_else(|| config.and_then(|c| c.registry.url.clone()));
        match target {
            Some(t) if t.starts_with("http://") || t.starts_with("https://") => {
                let mut options = HttpOptions::from_env().map_err(Failure::from)?;
                if let Some(c) = config {
                    apply_config(&mut options, c)?;
                }
                // Flags (or their environment variables) win over the config.
                match (&self.basic_auth, &self.bearer_token) {
                    (Some(_), Some(_)) => {
                        return Err(Failure::BadInput(
                            "give either --basic-auth or --bearer-token, not both".to_string(),
                        ))
                    }
                    (Some(info), None) => {
                        options.auth = Some(Auth::from_user_info(info).map_err(Failure::from)?)
                    }
                    (None, Some(token)) => options.auth = Some(Auth::Bearer(token.clone())),
                    (None, None) => {}
                }
                Ok(Arc::new(
                    HttpRegistry::new(&t, options).map_err(Failure::from)?,
                ))
            }
            Some(path) => open_local(Path::new(&path)),
            None => {
                let path = config
                    .map(|c| c.registry.path.clone())
                    .unwrap_or_else(|| PathBuf::from(crate::registry::DEFAULT_LOCAL_PATH));
                open_local(&path)
            }
        }
    }
}

/// The embedded store, created on its first write (see [`LazyStore`]).
fn open_local(path: &Path) -> Result<Arc<dyn Registry>, Failure> {
    Ok(Arc::new(LazyStore::new(path)))
}

/// Auth and TLS from the config, which names environment variables, never secrets.
fn apply_config(options: &mut HttpOptions, config: &ProjectConfig) -> Result<(), Failure> {
    let r = &config.registry;
    let env = |name: &String| -> Result<String, Failure> {
        std::env::var(name).map_err(|_| {
            Failure::BadInput(format!(
                "{}: environment variable {name} (named by the registry config) is not set",
                config.path.display()
            ))
        })
    };
    if let Some(name) = &r.basic_auth_env {
        options.auth = Some(Auth::from_user_info(&env(name)?).map_err(Failure::from)?);
    }
    if let Some(name) = &r.bearer_token_env {
        options.auth = Some(Auth::Bearer(env(name)?));
    }
    if r.ca_bundle.is_some() {
        options.ca_bundle = r.ca_bundle.clone();
    }
    if r.client_cert.is_some() {
        options.client_cert = r.client_cert.clone();
        options.client_key = r.client_key.clone();
    }
    if let Some(secs) = r.timeout_secs {
        options.timeout = Duration::from_secs(secs);
    }
    Ok(())
}

/// A runtime for the async library calls of one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Environment(format!("cannot start the async runtime: {e}")))
}

impl From<ProjectError> for Failure {
    fn from(e: ProjectError) -> Self {
        match e {
            ProjectError::Registry(r) => r.into(),
            other if other.is_bad_input() => Failure::BadInput(other.to_string()),
            other => Failure::Environment(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_credentials() {
        let args = ProjectArgs {
            config: PathBuf::from("schemactl.toml"),
            registry: Some("https://registry.example.com".to_string()),
            basic_auth: Some("alice:wonderland".to_string()),
            bearer_token: None,
        };
        let shown = format!("{args:?}");
        assert!(
            !shown.contains("wonderland") && !shown.contains("alice"),
            "{shown}"
        );
        assert!(shown.contains("<redacted>"));
    }
}
