//! The HTTP client for Confluent-compatible registries (Confluent, Karapace, Redpanda, Apicurio's
//! Confluent API), over `reqwest` with rustls.
//!
//! - Sends `application/vnd.schemaregistry.v1+json`, accepts the three media types registries use.
//! - Every request has a timeout. Connect errors, 429 and 5xx are retried with exponential
//!   backoff and full jitter, bounded in count and in total time; 4xx never is, nor is a request
//!   that timed out (the registry may be working on it; the caller decides).
//! - Lookups by id are cached: an id's schema never changes.
//! - Credentials (basic user-info, bearer tokens, user-info in the URL) are sent as headers and
//!   never appear in errors or `Debug` output.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use super::types::{
    CompatibilityResult, Mode, Registration, SchemaDefinition, SchemaRecord, SubjectVersion,
    VersionSpec,
};
use super::{ErrorKind, Registry, RegistryError, Result};
use crate::vocabulary::Level;

const ACCEPT_VALUE: &str =
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
const REQUEST_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// Environment variables read by [`HttpOptions::from_env`] and [`HttpRegistry::from_env`].
pub const ENV_URL: &str = "SCHEMA_REGISTRY_URL";
pub const ENV_BASIC_AUTH: &str = "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO";
pub const ENV_BEARER: &str = "SCHEMA_REGISTRY_BEARER_TOKEN";
pub const ENV_CA: &str = "SCHEMA_REGISTRY_CA_LOCATION";
pub const ENV_CERT: &str = "SCHEMA_REGISTRY_CERT_LOCATION";
pub const ENV_KEY: &str = "SCHEMA_REGISTRY_KEY_LOCATION";

/// Credentials for a registry.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// HTTP basic, from `user:password` as Confluent's `basic.auth.user.info`.
    Basic {
        user: String,
        password: String,
    },
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Basic { .. } => f.write_str("Basic(<redacted>)"),
            Auth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

impl Auth {
    /// Parses `user:password` (the password may contain `:`).
    pub fn from_user_info(user_info: &str) -> Result<Self> {
        match user_info.split_once(':') {
            Some((user, password)) if !user.is_empty() => Ok(Auth::Basic {
                user: user.to_string(),
                password: password.to_string(),
            }),
            _ => Err(RegistryError::Config(
                "basic auth user info must be user:password".to_string(),
            )),
        }
    }
}

/// Retry policy for connect errors, 429 and 5xx.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The delay before retry `attempt` (0-based): full jitter over an exponential ceiling.
    fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(1u32.checked_shl(attempt).unwrap_or(u32::MAX))
            .min(self.max_backoff);
        ceiling.mul_f64(random_unit())
    }
}

/// A uniform number in [0.5, 1): jitter spreads retries of many clients without ever
/// collapsing a delay to zero.
fn random_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    // RandomState is seeded per instance from OS randomness; enough for jitter, no extra crate.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    0.5 + (h.finish() >> 11) as f64 / (1u64 << 53) as f64 / 2.0
}

/// How to reach a registry.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub auth: Option<Auth>,
    /// PEM file of CA certificates trusted in addition to the system's.
    pub ca_bundle: Option<PathBuf>,
    /// PEM client certificate (chain) and its key, for mTLS. They may be the same file.
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// Timeout of one request, from connect to the end of the body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetryPolicy,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            auth: None,
            ca_bundle: None,
            client_cert: None,
            client_key: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
        }
    }
}

impl HttpOptions {
    /// Options from the environment: `SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO`,
    /// `SCHEMA_REGISTRY_BEARER_TOKEN`, `SCHEMA_REGISTRY_CA_LOCATION`,
    /// `SCHEMA_REGISTRY_CERT_LOCATION`, `SCHEMA_REGISTRY_KEY_LOCATION`.
    pub fn from_env() -> Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let auth = match (var(ENV_BASIC_AUTH), var(ENV_BEARER)) {
            (Some(_), Some(_)) => {
                return Err(RegistryError::Config(format!(
                    "set either {ENV_BASIC_AUTH} or {ENV_BEARER}, not both"
                )))
            }
            (Some(info), None) => Some(Auth::from_user_info(&info)?),
            (None, Some(token)) => Some(Auth::Bearer(token)),
            (None, None) => None,
        };
        Ok(Self {
            auth,
            ca_bundle: var(ENV_CA).map(PathBuf::from),
            client_cert: var(ENV_CERT).map(PathBuf::from),
            client_key: var(ENV_KEY).map(PathBuf::from),
            ..Self::default()
        })
    }
}

/// A remote registry.
pub struct HttpRegistry {
    /// The base URL without user-info.
    base: Url,
    client: reqwest::Client,
    auth: Option<Auth>,
    timeout: Duration,
    retry: RetryPolicy,
    by_id: RwLock<HashMap<u32, SchemaDefinition>>,
}

impl std::fmt::Debug for HttpRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRegistry")
            .field("url", &self.base.as_str())
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

/// A registry target (URL or store path) as messages may show it: a URL loses its user-info
/// and query, which may hold credentials.
pub fn redacted_target(target: &str) -> String {
    match Url::parse(target) {
        Ok(url) if url.has_host() => display_url(&url),
        _ if target.contains('@') => "<registry URL>".to_string(),
        _ => target.to_string(),
    }
}

/// `url` with user-info and query removed, for messages.
fn display_url(url: &Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_query(None);
    u.to_string()
}

fn read_file(path: &PathBuf, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| RegistryError::Config(format!("cannot read {what} {}: {e}", path.display())))
}

impl HttpRegistry {
    /// A client for the registry at `url` (`http://` or `https://`; user-info in the URL is
    /// used as basic auth when `options` has no credentials).
    pub fn new(url: &str, options: HttpOptions) -> Result<Self> {
        let mut base = Url::parse(url)
            .map_err(|e| RegistryError::Config(format!("invalid registry URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(RegistryError::Config(format!(
                "registry URL must be http:// or https://, not {}://",
                base.scheme()
            )));
        }
        let mut auth = options.auth.clone();
        if !base.username().is_empty() && auth.is_none() {
            let user = percent_decode(base.username());
            let password = percent_decode(base.password().unwrap_or(""));
            auth = Some(Auth::Basic { user, password });
        }
        let _ = base.set_username("");
        let _ = base.set_password(None);
        base.set_query(None);
        base.set_fragment(None);

        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .user_agent(concat!("schemactl/", env!("CARGO_PKG_VERSION")));
        if let Some(ca) = &options.ca_bundle {
            let pem = read_file(ca, "CA bundle")?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| RegistryError::Config(format!("CA bundle {}: {e}", ca.display())))?;
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        match (&options.client_cert, &options.client_key) {
            (Some(cert), key) => {
                let mut pem = read_file(cert, "client certificate")?;
                if let Some(key) = key.as_ref().filter(|k| *k != cert) {
                    pem.push(b'\n');
                    pem.extend(read_file(key, "client key")?);
                }
                let identity = reqwest::Identity::from_pem(&pem).map_err(|e| {
                    RegistryError::Config(format!("client certificate {}: {e}", cert.display()))
                })?;
                builder = builder.identity(identity);
            }
            (None, Some(_)) => {
                return Err(RegistryError::Config(
                    "a client key needs a client certificate".to_string(),
                ))
            }
            (None, None) => {}
        }
        let client = builder
            .build()
            .map_err(|e| RegistryError::Config(format!("cannot build HTTP client: {e}")))?;
        Ok(Self {
            base,
            client,
            auth,
            timeout: options.timeout,
            retry: options.retry,
            by_id: RwLock::new(HashMap::new()),
        })
    }

    /// A client for `SCHEMA_REGISTRY_URL`, configured from the environment.
    pub fn from_env() -> Result<Self> {
        let url = std::env::var(ENV_URL)
            .map_err(|_| RegistryError::Config(format!("{ENV_URL} is not set")))?;
        Self::new(&url, HttpOptions::from_env()?)
    }

    /// The registry's base URL (never with credentials).
    pub fn url(&self) -> &str {
        self.base.as_str()
    }

    /// The URL of `segments` under the base URL, each segment percent-encoded (see
    /// [`encode_segment`]).
    fn endpoint(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.base.clone();
        let mut path = url.path().trim_end_matches('/').to_string();
        for segment in segments {
            path.push('/');
            encode_segment(segment, &mut path);
        }
        // `set_path` keeps existing `%XX` escapes and has nothing else left to encode.
        url.set_path(&path);
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }

    /// Sends one request, with retries; returns the status and body of the final answer.
    async fn send(
        &self,
        method: Method,
        url: &Url,
        body: Option<&serde_json::Value>,
    ) -> Result<(StatusCode, Vec<u8>)> {
        let shown = display_url(url);
        let body = body.map(|b| b.to_string());
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            let mut request = self
                .client
                .request(method.clone(), url.clone())
                .header(ACCEPT, HeaderValue::from_static(ACCEPT_VALUE));
            request = match &self.auth {
                Some(Auth::Basic { user, password }) => request.basic_auth(user, Some(password)),
                Some(Auth::Bearer(token)) => {
                    request.header(AUTHORIZATION, format!("Bearer {token}"))
                }
                None => request,
            };
            if let Some(b) = &body {
                request = request
                    .header(CONTENT_TYPE, HeaderValue::from_static(REQUEST_TYPE))
                    .body(b.clone());
            }
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.parse::<u64>().ok())
                        .map(Duration::from_secs);
                    match response.bytes().await {
                        Ok(bytes) => Ok((status, bytes.to_vec(), retry_after)),
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            let retryable = match &outcome {
                Err(e) => e.is_connect(),
                Ok((status, _, _)) => {
                    *status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
                }
            };
            if retryable && attempt < self.retry.max_retries {
                let mut delay = self.retry.delay(attempt);
                if let Ok((_, _, Some(after))) = &outcome {
                    delay = delay.max(*after).min(self.retry.max_backoff);
                }
                if started.elapsed() + delay <= self.retry.max_elapsed {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    continue;
                }
            }
            return match outcome {
                Ok((status, bytes, _)) => Ok((status, bytes)),
                Err(e) if e.is_timeout() => Err(RegistryError::Timeout {
                    url: shown,
                    timeout: self.timeout,
                }),
                Err(e) => Err(RegistryError::Unavailable {
                    url: shown,
                    message: error_chain(&e.without_url()),
                }),
            };
        }
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<T> {
        let url = self.endpoint(segments, query);
        let (status, bytes) = self.send(method, &url, body).await?;
        let shown = display_url(&url);
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| RegistryError::InvalidResponse {
                url: shown,
                status: status.as_u16(),
                message: format!("{e}; body starts with {:?}", snippet(&bytes)),
            });
        }
        Err(error_from(status, &bytes, shown))
    }

    async fn get<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<T> {
        self.call(Method::GET, segments, query, None).await
    }
}

fn snippet(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(120)]).into_owned()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Appends `segment` with every byte outside RFC 3986's unreserved set (`ALPHA DIGIT - . _ ~`)
/// percent-encoded. The WHATWG path set the `url` crate applies leaves `+ : @ ! $ & ' ( ) * , ; =`
/// as they are, and servers disagree on those: some decode `+` in a path as a space, which
/// registered `c++-events` as `c  -events`. Unreserved bytes mean the same to every server.
fn encode_segment(segment: &str, out: &mut String) {
    use std::fmt::Write;
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// Whether a remote answered 404 (with or without a Confluent error body).
fn answered_not_found(e: &RegistryError) -> bool {
    matches!(
        e,
        RegistryError::Api { status: 404, .. } | RegistryError::InvalidResponse { status: 404, .. }
    )
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A failed answer as a typed error: Confluent's `{"error_code", "message"}` when present.
fn error_from(status: StatusCode, bytes: &[u8], url: String) -> RegistryError {
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return RegistryError::Unauthorized {
            url,
            status: status.as_u16(),
        };
    }
    #[derive(Deserialize)]
    struct Body {
        error_code: u32,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<Body>(bytes) {
        Ok(b) => RegistryError::Api {
            status: status.as_u16(),
            code: b.error_code,
            message: b.message,
            url: Some(url),
        },
        // A 409 is the API's refusal of an incompatible schema, whatever its body says (registries
        // answer it with error code 409, 40901 or no Confluent body at all).
        Err(_)
            if status.is_server_error()
                || status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::CONFLICT =>
        {
            RegistryError::Api {
                status: status.as_u16(),
                code: u32::from(status.as_u16()),
                message: format!("HTTP {status}: {:?}", snippet(bytes)),
                url: Some(url),
            }
        }
        Err(_) => RegistryError::InvalidResponse {
            url,
            status: status.as_u16(),
            message: format!("no error code in body {:?}", snippet(bytes)),
        },
    }
}

fn flag(name: &'static str, on: bool) -> Vec<(&'static str, String)> {
    if on {
        vec![(name, "true".to_string())]
    } else {
        Vec::new()
    }
}

fn level_from(value: &serde_json::Value, url: &str) -> Result<Level> {
    value
        .get("compatibilityLevel")
        .or_else(|| value.get("compatibility"))
        .and_then(|v| v.as_str())
        .and_then(|s| Level::from_str(s).ok())
        .ok_or_else(|| RegistryError::InvalidResponse {
            url: url.to_string(),
            status: 200,
            message: format!("no compatibility level in {value}"),
        })
}

fn mode_from(value: &serde_json::Value, url: &str) -> Result<Mode> {
    value
        .get("mode")
        .and_then(|v| v.as_str())
        .and_then(|s| Mode::from_str(s).ok())
        .ok_or_else(|| RegistryError::InvalidResponse {
            url: url.to_string(),
            status: 200,
            message: format!("no mode in {value}"),
        })
}

fn definition_body(schema: &SchemaDefinition) -> Result<serde_json::Value> {
    serde_json::to_value(schema)
        .map_err(|e| RegistryError::Config(format!("cannot encode schema: {e}")))
}

#[async_trait::async_trait]
impl Registry for HttpRegistry {
    async fn subjects(&self, prefix: Option<&str>, deleted: bool) -> Result<Vec<String>> {
        let mut query = flag("deleted", deleted);
        if let Some(p) = prefix {
            query.push(("subjectPrefix", p.to_string()));
        }
        let mut subjects: Vec<String> = self.get(&["subjects"], &query).await?;
        // Some registries ignore `subjectPrefix` and list every subject.
        if let Some(p) = prefix {
            subjects.retain(|s| s.starts_with(p));
        }
        Ok(subjects)
    }

    async fn versions(&self, subject: &str, deleted: bool) -> Result<Vec<u32>> {
        self.get(
            &["subjects", subject, "versions"],
            &flag("deleted", deleted),
        )
        .await
    }

    async fn version(
        &self,
        subject: &str,
        version: VersionSpec,
        deleted: bool,
    ) -> Result<SchemaRecord> {
        let v = version.to_string();
        self.get(
            &["subjects", subject, "versions", &v],
            &flag("deleted", deleted),
        )
        .await
    }

    async fn register(
        &self,
        subject: &str,
        schema: &SchemaDefinition,
        normalize: bool,
    ) -> Result<Registration> {
        // Confluent's register answer carries only the id; a lookup first tells whether the
        // schema was already there (and its version) at the cost of one request.
        match self.lookup(subject, schema, normalize, false).await {
            Ok(record) => {
                return Ok(Registration {
                    id: record.id,
                    version: Some(record.version),
                    created: false,
                })
            }
            Err(e) if e.is_lookup_miss() => {}
            Err(e) => return Err(e),
        }
        #[derive(Deserialize)]
        struct Answer {
            id: u32,
            #[serde(default)]
            version: Option<u32>,
        }
        let body = definition_body(schema)?;
        let answer: Answer = self
            .call(
                Method::POST,
                &["subjects", subject, "versions"],
                &flag("normalize", normalize),
                Some(&body),
            )
            .await?;
        Ok(Registration {
            id: answer.id,
            version: answer.version,
            created: true,
        })
    }

    async fn lookup(
        &self,
        subject: &str,
        schema: &SchemaDefinition,
        normalize: bool,
        deleted: bool,
    ) -> Result<SchemaRecord> {
        let mut query = flag("normalize", normalize);
        query.extend(flag("deleted", deleted));
        let body = definition_body(schema)?;
        self.call(Method::POST, &["subjects", subject], &query, Some(&body))
            .await
    }

    async fn schema_by_id(&self, id: u32) -> Result<SchemaDefinition> {
        if let Some(hit) = self.by_id.read().ok().and_then(|c| c.get(&id).cloned()) {
            return Ok(hit);
        }
        let id_text = id.to_string();
        let def: SchemaDefinition = self.get(&["schemas", "ids", &id_text], &[]).await?;
        if let Ok(mut cache) = self.by_id.write() {
            cache.insert(id, def.clone());
        }
        Ok(def)
    }

    async fn id_versions(&self, id: u32, deleted: bool) -> Result<Vec<SubjectVersion>> {
        let id_text = id.to_string();
        self.get(
            &["schemas", "ids", &id_text, "versions"],
            &flag("deleted", deleted),
        )
        .await
    }

    async fn id_subjects(&self, id: u32, deleted: bool) -> Result<Vec<String>> {
        let id_text = id.to_string();
        match self
            .get(
                &["schemas", "ids", &id_text, "subjects"],
                &flag("deleted", deleted),
            )
            .await
        {
            // Registries without this endpoint answer 404 with another code than "no such
            // schema" (40403); the subject-versions of the id say the same.
            Err(e) if answered_not_found(&e) && e.kind() != ErrorKind::SchemaNotFound => {
                let mut subjects: Vec<String> = self
                    .id_versions(id, deleted)
                    .await?
                    .into_iter()
                    .map(|sv| sv.subject)
                    .collect();
                subjects.sort();
                subjects.dedup();
                Ok(subjects)
            }
            other => other,
        }
    }

    async fn schema_types(&self) -> Result<Vec<String>> {
        self.get(&["schemas", "types"], &[]).await
    }

    async fn test_compatibility(
        &self,
        subject: &str,
        against: Option<VersionSpec>,
        schema: &SchemaDefinition,
        verbose: bool,
    ) -> Result<CompatibilityResult> {
        let body = definition_body(schema)?;
        let v = against.map(|v| v.to_string());
        let mut segments = vec!["compatibility", "subjects", subject, "versions"];
        if let Some(v) = &v {
            segments.push(v);
        }
        self.call(
            Method::POST,
            &segments,
            &flag("verbose", verbose),
            Some(&body),
        )
        .await
    }

    async fn config(&self, subject: Option<&str>, default_to_global: bool) -> Result<Level> {
        let global = || async {
            let value: serde_json::Value = self.get(&["config"], &[]).await?;
            level_from(&value, self.url())
        };
        let Some(s) = subject else {
            return global().await;
        };
        let query = flag("defaultToGlobal", default_to_global);
        match self.get::<serde_json::Value>(&["config", s], &query).await {
            Ok(value) => level_from(&value, self.url()),
            // Some registries answer 40401 for a subject without versions or without a level
            // of its own even with `defaultToGlobal`: the global level is what applies to it.
            Err(e) if default_to_global && e.is_subject_setting_missing() => global().await,
            Err(e) => Err(e),
        }
    }

    async fn compatibility_policy(&self, subject: &str) -> Result<Option<String>> {
        let query = flag("defaultToGlobal", true);
        let value = match self
            .get::<serde_json::Value>(&["config", subject], &query)
            .await
        {
            Ok(value) => value,
            Err(e) if e.is_subject_setting_missing() => self.get(&["config"], &[]).await?,
            Err(e) => return Err(e),
        };
        Ok(value
            .get("compatibilityPolicy")
            .and_then(|p| p.as_str())
            .map(str::to_string))
    }

    async fn set_config(&self, subject: Option<&str>, level: Level) -> Result<Level> {
        let segments: Vec<&str> = std::iter::once("config").chain(subject).collect();
        let body = json!({"compatibility": level.as_str()});
        let value: serde_json::Value = self.call(Method::PUT, &segments, &[], Some(&body)).await?;
        level_from(&value, self.url())
    }

    async fn delete_config(&self, subject: Option<&str>) -> Result<Level> {
        let segments: Vec<&str> = std::iter::once("config").chain(subject).collect();
        let value: serde_json::Value = self.call(Method::DELETE, &segments, &[], None).await?;
        level_from(&value, self.url())
    }

    async fn mode(&self, subject: Option<&str>, default_to_global: bool) -> Result<Mode> {
        let global = || async {
            let value: serde_json::Value = self.get(&["mode"], &[]).await?;
            mode_from(&value, self.url())
        };
        let Some(s) = subject else {
            return global().await;
        };
        let query = flag("defaultToGlobal", default_to_global);
        match self.get::<serde_json::Value>(&["mode", s], &query).await {
            Ok(value) => mode_from(&value, self.url()),
            // As for `config`: a missing subject or subject mode means the global mode.
            Err(e) if default_to_global && e.is_subject_setting_missing() => global().await,
            Err(e) => Err(e),
        }
    }

    async fn set_mode(&self, subject: Option<&str>, mode: Mode) -> Result<Mode> {
        let segments: Vec<&str> = std::iter::once("mode").chain(subject).collect();
        let body = json!({"mode": mode.as_str()});
        let value: serde_json::Value = self.call(Method::PUT, &segments, &[], Some(&body)).await?;
        mode_from(&value, self.url())
    }

    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<u32>> {
        self.call(
            Method::DELETE,
            &["subjects", subject],
            &flag("permanent", permanent),
            None,
        )
        .await
    }

    async fn delete_version(
        &self,
        subject: &str,
        version: VersionSpec,
        permanent: bool,
    ) -> Result<u32> {
        let v = version.to_string();
        self.call(
            Method::DELETE,
            &["subjects", subject, "versions", &v],
            &flag("permanent", permanent),
            None,
        )
        .await
    }

    async fn referenced_by(&self, subject: &str, version: VersionSpec) -> Result<Vec<u32>> {
        let v = version.to_string();
        self.get(&["subjects", subject, "versions", &v, "referencedby"], &[])
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show_in_debug() {
        let auth = Auth::from_user_info("alice:s3cret:with:colons").unwrap();
        assert_eq!(
            auth,
            Auth::Basic {
                user: "alice".into(),
                password: "s3cret:with:colons".into()
            }
        );
        assert!(!format!("{auth:?}").contains("s3cret"));
        let registry = HttpRegistry::new(
            "http://bob:hunter2@127.0.0.1:1/base",
            HttpOptions::default(),
        )
        .unwrap();
        let shown = format!("{registry:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("bob"),
            "{shown}"
        );
        assert_eq!(registry.url(), "http://127.0.0.1:1/base");
    }

    #[test]
    fn subjects_are_percent_encoded_as_one_segment() {
        let registry = HttpRegistry::new("http://127.0.0.1:1/", HttpOptions::default()).unwrap();
        let url = registry.endpoint(&["subjects", "a/b c", "versions"], &[]);
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/subjects/a%2Fb%20c/versions"
        );
    }

    #[test]
    fn every_reserved_character_of_a_subject_is_percent_encoded() {
        let registry =
            HttpRegistry::new("http://127.0.0.1:1/base/", HttpOptions::default()).unwrap();
        let url = registry.endpoint(&["subjects", "c++-events", "versions"], &[]);
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/base/subjects/c%2B%2B-events/versions"
        );
        // As README's "The HTTP client" shows it.
        let url = registry.endpoint(&["subjects", "c++ events/é", "versions"], &[]);
        assert_eq!(
            url.path(),
            "/base/subjects/c%2B%2B%20events%2F%C3%A9/versions"
        );
        let url = registry.endpoint(&["config", "a:b@c!$&'()*,;=%?#é~._-Z9"], &[]);
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/base/config/a%3Ab%40c%21%24%26%27%28%29%2A%2C%3B%3D%25%3F%23%C3%A9~._-Z9"
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy {
            max_retries: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            max_elapsed: Duration::from_secs(10),
        };
        for attempt in 0..10 {
            let d = policy.delay(attempt);
            let ceiling = Duration::from_millis(100 * (1 << attempt)).min(Duration::from_secs(1));
            assert!(d >= ceiling / 2 && d < ceiling, "{attempt}: {d:?}");
        }
    }

    #[test]
    fn error_bodies_become_typed_errors() {
        let e = error_from(
            StatusCode::NOT_FOUND,
            br#"{"error_code":40401,"message":"Subject 'x' not found."}"#,
            "http://r/subjects/x".into(),
        );
        assert_eq!(e.kind(), ErrorKind::SubjectNotFound);
        let e = error_from(
            StatusCode::CONFLICT,
            br#"{"error_code":40901,"message":"no"}"#,
            "u".into(),
        );
        assert_eq!(e.kind(), ErrorKind::Incompatible);
        // A refusal without a Confluent body is still a refusal.
        let e = error_from(StatusCode::CONFLICT, b"Conflict", "u".into());
        assert_eq!(e.kind(), ErrorKind::Incompatible);
        let e = error_from(StatusCode::BAD_GATEWAY, b"<html>", "u".into());
        assert_eq!(e.kind(), ErrorKind::Server);
        let e = error_from(StatusCode::NOT_FOUND, b"<html>", "u".into());
        assert_eq!(e.kind(), ErrorKind::InvalidResponse);
    }
}
