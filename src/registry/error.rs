//! Registry errors, typed by Confluent's `error_code`s so that the store, the server and the
//! HTTP client speak the same language. No variant ever holds a credential: URLs are stored with
//! their user-info removed.

use std::time::Duration;

/// What went wrong, independent of where (store or remote registry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    SubjectNotFound,
    VersionNotFound,
    SchemaNotFound,
    SubjectSoftDeleted,
    SubjectNotSoftDeleted,
    VersionSoftDeleted,
    VersionNotSoftDeleted,
    SubjectConfigNotFound,
    SubjectModeNotFound,
    Incompatible,
    InvalidSchema,
    InvalidVersion,
    InvalidCompatibilityLevel,
    InvalidMode,
    OperationNotPermitted,
    ReferenceExists,
    /// A malformed request (bad JSON, unknown endpoint).
    BadRequest,
    Unauthorized,
    Forbidden,
    /// The registry failed (5xx) or its store did.
    Server,
    /// The registry could not be reached or did not answer in time.
    Unavailable,
    /// The registry answered something that is not its API.
    InvalidResponse,
    /// Bad client configuration (URL, credentials file, TLS material).
    Config,
    /// An error code this crate does not know.
    Other,
}

/// A registry call failed.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// An error the registry API defines, with its HTTP status and Confluent error code.
    #[error("{}{message} (error code {code})", prefix(url))]
    Api {
        status: u16,
        code: u32,
        message: String,
        /// The URL called, when the error came from a remote registry (never with credentials).
        url: Option<String>,
    },
    #[error("{url}: {} (HTTP {status}); check the registry credentials", if *status == 403 { "access denied" } else { "authentication failed" })]
    Unauthorized { url: String, status: u16 },
    #[error("{url}: cannot reach the registry: {message}")]
    Unavailable { url: String, message: String },
    #[error("{url}: no answer within {timeout:?}")]
    Timeout { url: String, timeout: Duration },
    #[error("{url}: not a schema registry answer (HTTP {status}): {message}")]
    InvalidResponse {
        url: String,
        status: u16,
        message: String,
    },
    #[error("registry store {path}: {message}")]
    Storage { path: String, message: String },
    #[error("registry configuration: {0}")]
    Config(String),
}

fn prefix(url: &Option<String>) -> String {
    url.as_ref().map(|u| format!("{u}: ")).unwrap_or_default()
}

impl RegistryError {
    fn api(status: u16, code: u32, message: impl Into<String>) -> Self {
        RegistryError::Api {
            status,
            code,
            message: message.into(),
            url: None,
        }
    }

    pub fn subject_not_found(subject: &str) -> Self {
        Self::api(404, 40401, format!("Subject '{subject}' not found."))
    }
    pub fn version_not_found(version: impl std::fmt::Display) -> Self {
        Self::api(404, 40402, format!("Version {version} not found."))
    }
    pub fn schema_id_not_found(id: u32) -> Self {
        Self::api(404, 40403, format!("Schema {id} not found"))
    }
    pub fn schema_not_found() -> Self {
        Self::api(404, 40403, "Schema not found")
    }
    pub fn subject_soft_deleted(subject: &str) -> Self {
        Self::api(
            404,
            40404,
            format!(
                "Subject '{subject}' was soft deleted.Set permanent=true to delete permanently"
            ),
        )
    }
    pub fn subject_not_soft_deleted(subject: &str) -> Self {
        Self::api(
            404,
            40405,
            format!("Subject '{subject}' was not deleted first before being permanently deleted"),
        )
    }
    pub fn version_soft_deleted(subject: &str, version: u32) -> Self {
        Self::api(
            404,
            40406,
            format!("Subject '{subject}' Version {version} was soft deleted.Set permanent=true to delete permanently"),
        )
    }
    pub fn version_not_soft_deleted(subject: &str, version: u32) -> Self {
        Self::api(
            404,
            40407,
            format!("Subject '{subject}' Version {version} was not deleted first before being permanently deleted"),
        )
    }
    pub fn subject_config_not_found(subject: &str) -> Self {
        Self::api(
            404,
            40408,
            format!("Subject '{subject}' does not have subject-level compatibility configured"),
        )
    }
    pub fn subject_mode_not_found(subject: &str) -> Self {
        Self::api(
            404,
            40409,
            format!("Subject '{subject}' does not have subject-level mode configured"),
        )
    }
    /// A registration refused by the subject's compatibility level (HTTP 409, code 409).
    pub fn incompatible(subject: &str, details: &[String]) -> Self {
        Self::api(
            409,
            409,
            format!(
                "Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{}]",
                details.join(", ")
            ),
        )
    }
    pub fn invalid_schema(message: impl std::fmt::Display) -> Self {
        Self::api(422, 42201, format!("Invalid schema {message}"))
    }
    pub fn invalid_version(version: &str) -> Self {
        Self::api(
            422,
            42202,
            format!("The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""),
        )
    }
    pub fn invalid_level() -> Self {
        Self::api(
            422,
            42203,
            "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive",
        )
    }
    pub fn invalid_mode() -> Self {
        Self::api(
            422,
            42204,
            "Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT",
        )
    }
    pub fn read_only(subject: &str) -> Self {
        Self::api(
            422,
            42205,
            format!("Subject {subject} is in read-only mode"),
        )
    }
    pub fn reference_exists(subject: &str, version: u32) -> Self {
        Self::api(
            422,
            42206,
            format!("One or more references exist to the schema {{subject={subject},version={version}}}."),
        )
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::api(400, 400, message)
    }
    /// An HTTP-level refusal whose error code is its status (413, 415 …), as Confluent's are.
    pub fn http(status: u16, message: impl Into<String>) -> Self {
        Self::api(status, u32::from(status), message)
    }
    pub fn not_found_endpoint(path: &str) -> Self {
        Self::api(404, 404, format!("HTTP 404 Not Found: {path}"))
    }
    pub fn storage(path: impl Into<String>, message: impl std::fmt::Display) -> Self {
        RegistryError::Storage {
            path: path.into(),
            message: message.to_string(),
        }
    }

    /// Confluent's `error_code`, for errors that have one.
    pub fn error_code(&self) -> Option<u32> {
        match self {
            RegistryError::Api { code, .. } => Some(*code),
            RegistryError::Storage { .. } => Some(50001),
            _ => None,
        }
    }

    /// The HTTP status a server answers this error with.
    pub fn http_status(&self) -> u16 {
        match self {
            RegistryError::Api { status, .. } => *status,
            RegistryError::Unauthorized { status, .. } => *status,
            RegistryError::Timeout { .. } => 504,
            RegistryError::Unavailable { .. } | RegistryError::InvalidResponse { .. } => 502,
            RegistryError::Storage { .. } | RegistryError::Config(_) => 500,
        }
    }

    /// The message a server sends in its `{"error_code", "message"}` body.
    pub fn api_message(&self) -> String {
        match self {
            RegistryError::Api { message, .. } => message.clone(),
            RegistryError::Storage { .. } => "Error in the backend datastore".to_string(),
            other => other.to_string(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            RegistryError::Api { status, code, .. } => kind_of(*status, *code),
            RegistryError::Unauthorized { status: 403, .. } => ErrorKind::Forbidden,
            RegistryError::Unauthorized { .. } => ErrorKind::Unauthorized,
            RegistryError::Unavailable { .. } | RegistryError::Timeout { .. } => {
                ErrorKind::Unavailable
            }
            RegistryError::InvalidResponse { .. } => ErrorKind::InvalidResponse,
            RegistryError::Storage { .. } => ErrorKind::Server,
            RegistryError::Config(_) => ErrorKind::Config,
        }
    }

    /// Errors caused by what the user asked (exit code 2 in the CLI) rather than by the
    /// registry or the network (exit code 3).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::InvalidSchema
                | ErrorKind::InvalidVersion
                | ErrorKind::InvalidCompatibilityLevel
                | ErrorKind::InvalidMode
                | ErrorKind::BadRequest
                | ErrorKind::Config
        )
    }

    /// Whether a read of a subject's own level or mode found none: Confluent's 40408 / 40409,
    /// or the 40401 ("subject not found") that some registries answer for a subject without
    /// versions or without a setting of its own. Either way the global setting applies.
    pub fn is_subject_setting_missing(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::SubjectNotFound
                | ErrorKind::SubjectConfigNotFound
                | ErrorKind::SubjectModeNotFound
        )
    }

    /// Whether a lookup of a schema under a subject found nothing: no such subject, or the
    /// subject does not hold the schema (`POST /subjects/{subject}`'s two 404s).
    pub fn is_lookup_miss(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::SubjectNotFound | ErrorKind::SchemaNotFound
        )
    }
}

/// Maps Confluent's error codes; both 409 and 40901 exist in the wild for incompatibility.
fn kind_of(status: u16, code: u32) -> ErrorKind {
    match code {
        40401 => ErrorKind::SubjectNotFound,
        40402 => ErrorKind::VersionNotFound,
        40403 => ErrorKind::SchemaNotFound,
        40404 => ErrorKind::SubjectSoftDeleted,
        40405 => ErrorKind::SubjectNotSoftDeleted,
        40406 => ErrorKind::VersionSoftDeleted,
        40407 => ErrorKind::VersionNotSoftDeleted,
        40408 => ErrorKind::SubjectConfigNotFound,
        40409 => ErrorKind::SubjectModeNotFound,
        409 | 40901 => ErrorKind::Incompatible,
        42201 => ErrorKind::InvalidSchema,
        42202 => ErrorKind::InvalidVersion,
        42203 => ErrorKind::InvalidCompatibilityLevel,
        42204 => ErrorKind::InvalidMode,
        42205 => ErrorKind::OperationNotPermitted,
        42206 => ErrorKind::ReferenceExists,
        40101 | 401 => ErrorKind::Unauthorized,
        40301 | 403 => ErrorKind::Forbidden,
        _ if status == 409 => ErrorKind::Incompatible,
        _ if status == 400 || status == 404 || status == 415 || status == 422 => {
            ErrorKind::BadRequest
        }
        _ if status >= 500 => ErrorKind::Server,
        _ => ErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_incompatibility_codes_are_incompatible() {
        for code in [409, 40901] {
            let e = RegistryError::api(409, code, "x");
            assert_eq!(e.kind(), ErrorKind::Incompatible);
        }
    }

    #[test]
    fn api_errors_name_the_url_and_code() {
        let e = match RegistryError::subject_not_found("orders-value") {
            RegistryError::Api {
                status,
                code,
                message,
                ..
            } => RegistryError::Api {
                status,
                code,
                message,
                url: Some("http://r:8081/subjects".into()),
            },
            other => other,
        };
        assert_eq!(
            e.to_string(),
            "http://r:8081/subjects: Subject 'orders-value' not found. (error code 40401)"
        );
        assert!(e.is_lookup_miss());
        assert!(!e.is_bad_input());
    }
}
