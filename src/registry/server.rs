//! An `axum` server exposing any [`Registry`] over Confluent Schema Registry's REST API: same
//! paths, query parameters, status codes, error codes and JSON shapes, so that unmodified
//! third-party clients work against it.

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use serde::Serialize;
use serde_json::json;

use super::types::{Mode, SchemaDefinition, VersionSpec};
use super::{Registry, RegistryError};
use crate::compat::Level;

/// The media type Confluent's API answers with.
pub const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// Default request body limit: schemas are small, a large body is a mistake or an attack.
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// When set, every request needs HTTP basic credentials from this list.
    pub basic_auth: Option<BasicAuthUsers>,
    pub max_body_bytes: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            basic_auth: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// Users allowed by HTTP basic auth, read from a file of `user:password` lines (as Confluent's
/// `basic.auth.user.info`); blank lines and `#` comments are skipped.
#[derive(Clone)]
pub struct BasicAuthUsers {
    /// The accepted `user:password` strings.
    users: Vec<String>,
}

impl std::fmt::Debug for BasicAuthUsers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BasicAuthUsers({} users, redacted)", self.users.len())
    }
}

impl BasicAuthUsers {
    pub fn new(users: impl IntoIterator<Item = String>) -> Self {
        Self {
            users: users.into_iter().collect(),
        }
    }

    pub fn from_file(path: &Path) -> Result<Self, RegistryError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| RegistryError::Config(format!("cannot read {}: {e}", path.display())))?;
        let mut users = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !line.contains(':') {
                // Never echo the line: it may be a password.
                return Err(RegistryError::Config(format!(
                    "{}:{}: expected user:password",
                    path.display(),
                    i + 1
                )));
            }
            users.push(line.to_string());
        }
        if users.is_empty() {
            return Err(RegistryError::Config(format!(
                "{}: no user:password line",
                path.display()
            )));
        }
        Ok(Self { users })
    }

    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return false;
        };
        let Some(encoded) = value
            .strip_prefix("Basic ")
            .or_else(|| value.strip_prefix("basic "))
        else {
            return false;
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return false;
        };
        // Compare against every entry without stopping early, so timing says little.
        self.users.iter().fold(false, |found, u| {
            constant_eq(u.as_bytes(), &decoded) | found
        })
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

struct AppState {
    registry: Arc<dyn Registry>,
    auth: Option<BasicAuthUsers>,
}

type Shared = State<Arc<AppState>>;
type Params = Query<HashMap<String, String>>;

/// A registry error as the API answers it: `{"error_code": …, "message": …}`.
struct ApiError(RegistryError);

impl From<RegistryError> for ApiError {
    fn from(e: RegistryError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let code = self.0.error_code().unwrap_or(u32::from(status.as_u16()));
        let body = json!({"error_code": code, "message": self.0.api_message()});
        with_type(status, body.to_string())
    }
}

type Answer = Result<Response, ApiError>;

fn with_type(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}

fn ok<T: Serialize>(value: &T) -> Answer {
    let body = serde_json::to_string(value)
        .map_err(|e| RegistryError::bad_request(format!("cannot encode answer: {e}")))?;
    Ok(with_type(StatusCode::OK, body))
}

/// Query flags arrive as `true`, `True` (Python clients) or `1`.
fn flag(params: &HashMap<String, String>, name: &str) -> bool {
    params
        .get(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

fn version(raw: &str) -> Result<VersionSpec, ApiError> {
    Ok(VersionSpec::from_str(raw)?)
}

fn schema_id(raw: &str) -> Result<u32, ApiError> {
    raw.parse()
        .map_err(|_| ApiError(RegistryError::schema_not_found()))
}

/// The request body, or the reason it was refused (e.g. 413 over the size limit) as an API error.
fn body_of(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|r| ApiError(RegistryError::http(r.status().as_u16(), r.body_text())))
}

fn definition(body: Result<Bytes, BytesRejection>) -> Result<SchemaDefinition, ApiError> {
    let value = json_body(body)?;
    if let Some(t) = value.get("schemaType").and_then(|t| t.as_str()) {
        if t.parse::<crate::schema::SchemaType>().is_err() {
            return Err(RegistryError::invalid_schema(format!("type {t} is not supported")).into());
        }
    }
    let def: SchemaDefinition = serde_json::from_value(value)
        .map_err(|e| RegistryError::invalid_schema(format!("request: {e}")))?;
    if def.schema.trim().is_empty() {
        return Err(RegistryError::invalid_schema("Empty schema").into());
    }
    Ok(def)
}

/// Builds the router over `registry`.
pub fn router(registry: Arc<dyn Registry>, options: ServerOptions) -> Router {
    let state = Arc::new(AppState {
        registry,
        auth: options.basic_auth,
    });
    Router::new()
        .route("/", get(|| async { ok(&json!({})) }))
        .route("/subjects", get(subjects))
        .route("/subjects/{subject}", post(lookup).delete(delete_subject))
        .route("/subjects/{subject}/versions", get(versions).post(register))
        .route(
            "/subjects/{subject}/versions/{version}",
            get(get_version).delete(delete_version),
        )
        .route(
            "/subjects/{subject}/versions/{version}/schema",
            get(get_version_schema),
        )
        .route(
            "/subjects/{subject}/versions/{version}/referencedby",
            get(referenced_by),
        )
        .route("/schemas/types", get(schema_types))
        .route("/schemas/ids/{id}", get(by_id))
        .route("/schemas/ids/{id}/schema", get(by_id_schema))
        .route("/schemas/ids/{id}/versions", get(id_versions))
        .route("/schemas/ids/{id}/subjects", get(id_subjects))
        .route(
            "/compatibility/subjects/{subject}/versions",
            post(compat_all),
        )
        .route(
            "/compatibility/subjects/{subject}/versions/{version}",
            post(compat_one),
        )
        .route(
            "/config",
            get(get_config).put(put_config).delete(delete_config),
        )
        .route(
            "/config/{subject}",
            get(get_config).put(put_config).delete(delete_config),
        )
        .route("/mode", get(get_mode).put(put_mode))
        .route("/mode/{subject}", get(get_mode).put(put_mode))
        .fallback(|req: Request| async move {
            ApiError(RegistryError::not_found_endpoint(req.uri().path())).into_response()
        })
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(DefaultBodyLimit::max(options.max_body_bytes))
        .layer(middleware::from_fn(catch_panic))
        // Outermost, so that it sees every answer: routing's 405, extractor rejections, limits.
        .layer(middleware::map_response(json_errors))
        .with_state(state)
}

/// Largest error body the error layer reads back (axum's rejection texts are one line).
const MAX_ERROR_TEXT: usize = 64 * 1024;

/// Rewrites every error answer not already in the registry's format (axum's 405 with an empty
/// body, `text/plain` rejections of paths, queries and bodies) into Confluent's
/// `{"error_code", "message"}` with the registry media type; the status and other headers
/// (e.g. `Allow`) are kept.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_ours = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t == CONTENT_TYPE);
    if !(status.is_client_error() || status.is_server_error()) || is_ours {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_ERROR_TEXT)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let reason = status.canonical_reason().unwrap_or("Error");
    let message = if text.is_empty() {
        format!("HTTP {} {reason}", status.as_u16())
    } else {
        format!("HTTP {} {reason}: {text}", status.as_u16())
    };
    let body = json!({"error_code": status.as_u16(), "message": message}).to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// Answers a request whose handler panicked with a 500 in the registry's format instead of a
/// dropped connection. The panic itself went to stderr through the panic hook; the client
/// learns nothing of it (its message may name internals). The store stays usable: its locks
/// recover from poisoning and SQLite rolls back the transaction the panic abandoned.
async fn catch_panic(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    match CatchUnwind(Box::pin(next.run(request))).await {
        Ok(response) => response,
        Err(_) => {
            eprintln!("schemactl registry: internal error answering {method} {path}: a handler panicked (see above); answered 500");
            with_type(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error_code": 50001, "message": "Internal server error"}).to_string(),
            )
        }
    }
}

/// A future that turns a panic while it is polled into an `Err`, as `catch_unwind` does for a
/// closure.
struct CatchUnwind<F>(std::pin::Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let inner = self.0.as_mut();
        // Unwind safety: after a panic the future is never polled again, and what it shared
        // (the store) tolerates an abandoned operation (see `catch_panic`).
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(poll) => poll.map(Ok),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    }
}

async fn authenticate(State(state): Shared, request: Request, next: Next) -> Response {
    if let Some(users) = &state.auth {
        if !users.allows(request.headers()) {
            let mut response = with_type(
                StatusCode::UNAUTHORIZED,
                json!({"error_code": 401, "message": "Unauthorized"}).to_string(),
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"schemactl\""),
            );
            return response;
        }
    }
    next.run(request).await
}

/// Serves `registry` on `listener` until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    registry: Arc<dyn Registry>,
    options: ServerOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(registry, options))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on SIGINT or SIGTERM. The handlers are installed when this is called (inside a
/// tokio runtime), not when the future is first polled, so a signal that arrives right after the
/// server announced itself is not lost to the default action.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt()).ok();
        let terminate = signal(SignalKind::terminate()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(interrupt) => {},
                _ = wait(terminate) => {},
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

async fn subjects(State(s): Shared, Query(q): Params) -> Answer {
    let prefix = q.get("subjectPrefix").map(String::as_str);
    ok(&s.registry.subjects(prefix, flag(&q, "deleted")).await?)
}

async fn versions(State(s): Shared, UrlPath(subject): UrlPath<String>, Query(q): Params) -> Answer {
    ok(&s.registry.versions(&subject, flag(&q, "deleted")).await?)
}

async fn get_version(
    State(s): Shared,
    UrlPath((subject, v)): UrlPath<(String, String)>,
    Query(q): Params,
) -> Answer {
    let record = s
        .registry
        .version(&subject, version(&v)?, flag(&q, "deleted"))
        .await?;
    ok(&record)
}

async fn get_version_schema(
    State(s): Shared,
    UrlPath((subject, v)): UrlPath<(String, String)>,
    Query(q): Params,
) -> Answer {
    let record = s
        .registry
        .version(&subject, version(&v)?, flag(&q, "deleted"))
        .await?;
    Ok(with_type(StatusCode::OK, record.schema))
}

async fn register(
    State(s): Shared,
    UrlPath(subject): UrlPath<String>,
    Query(q): Params,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let def = definition(body)?;
    let registration = s
        .registry
        .register(&subject, &def, flag(&q, "normalize"))
        .await?;
    // Confluent answers with the id only.
    ok(&json!({"id": registration.id}))
}

async fn lookup(
    State(s): Shared,
    UrlPath(subject): UrlPath<String>,
    Query(q): Params,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let def = definition(body)?;
    let record = s
        .registry
        .lookup(&subject, &def, flag(&q, "normalize"), flag(&q, "deleted"))
        .await?;
    ok(&record)
}

async fn delete_subject(
    State(s): Shared,
    UrlPath(subject): UrlPath<String>,
    Query(q): Params,
) -> Answer {
    ok(&s
        .registry
        .delete_subject(&subject, flag(&q, "permanent"))
        .await?)
}

async fn delete_version(
    State(s): Shared,
    UrlPath((subject, v)): UrlPath<(String, String)>,
    Query(q): Params,
) -> Answer {
    ok(&s
        .registry
        .delete_version(&subject, version(&v)?, flag(&q, "permanent"))
        .await?)
}

async fn referenced_by(
    State(s): Shared,
    UrlPath((subject, v)): UrlPath<(String, String)>,
) -> Answer {
    ok(&s.registry.referenced_by(&subject, version(&v)?).await?)
}

async fn schema_types(State(s): Shared) -> Answer {
    ok(&s.registry.schema_types().await?)
}

async fn by_id(State(s): Shared, UrlPath(id): UrlPath<String>) -> Answer {
    ok(&s.registry.schema_by_id(schema_id(&id)?).await?)
}

async fn by_id_schema(State(s): Shared, UrlPath(id): UrlPath<String>) -> Answer {
    let def = s.registry.schema_by_id(schema_id(&id)?).await?;
    Ok(with_type(StatusCode::OK, def.schema))
}

async fn id_versions(State(s): Shared, UrlPath(id): UrlPath<String>, Query(q): Params) -> Answer {
    ok(&s
        .registry
        .id_versions(schema_id(&id)?, flag(&q, "deleted"))
        .await?)
}

async fn id_subjects(State(s): Shared, UrlPath(id): UrlPath<String>, Query(q): Params) -> Answer {
    ok(&s
        .registry
        .id_subjects(schema_id(&id)?, flag(&q, "deleted"))
        .await?)
}

async fn compat_all(
    State(s): Shared,
    UrlPath(subject): UrlPath<String>,
    Query(q): Params,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let def = definition(body)?;
    ok(&s
        .registry
        .test_compatibility(&subject, None, &def, flag(&q, "verbose"))
        .await?)
}

async fn compat_one(
    State(s): Shared,
    UrlPath((subject, v)): UrlPath<(String, String)>,
    Query(q): Params,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let spec = version(&v)?;
    let def = definition(body)?;
    ok(&s
        .registry
        .test_compatibility(&subject, Some(spec), &def, flag(&q, "verbose"))
        .await?)
}

/// A PUT body's JSON.
fn json_body(body: Result<Bytes, BytesRejection>) -> Result<serde_json::Value, ApiError> {
    Ok(serde_json::from_slice(&body_of(body)?)
        .map_err(|e| RegistryError::bad_request(format!("Invalid JSON: {e}")))?)
}

/// The level in a PUT /config body: `compatibility` (also `compatibilityLevel`, which some
/// clients send back as they read it).
fn level_from_body(body: Result<Bytes, BytesRejection>) -> Result<Level, ApiError> {
    let value = json_body(body)?;
    let raw = value
        .get("compatibility")
        .or_else(|| value.get("compatibilityLevel"))
        .and_then(|v| v.as_str())
        .ok_or_else(RegistryError::invalid_level)?;
    Level::from_str(raw).map_err(|_| ApiError(RegistryError::invalid_level()))
}

fn mode_from_body(body: Result<Bytes, BytesRejection>) -> Result<Mode, ApiError> {
    let value = json_body(body)?;
    let raw = value
        .get("mode")
        .and_then(|v| v.as_str())
        .ok_or_else(RegistryError::invalid_mode)?;
    Ok(Mode::from_str(raw)?)
}

// `/config`, `/mode` and their `/{subject}` forms: one handler each, the subject optional.
type Subject = Option<UrlPath<String>>;

fn subject_of(subject: &Subject) -> Option<&str> {
    subject.as_ref().map(|UrlPath(s)| s.as_str())
}

async fn get_config(State(s): Shared, subject: Subject, Query(q): Params) -> Answer {
    let subject = subject_of(&subject);
    // The global level is the default, so `defaultToGlobal` only means something for a subject.
    let level = s
        .registry
        .config(subject, subject.is_some() && flag(&q, "defaultToGlobal"))
        .await?;
    ok(&json!({"compatibilityLevel": level.as_str()}))
}

async fn put_config(
    State(s): Shared,
    subject: Subject,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let level = s
        .registry
        .set_config(subject_of(&subject), level_from_body(body)?)
        .await?;
    ok(&json!({"compatibility": level.as_str()}))
}

async fn delete_config(State(s): Shared, subject: Subject) -> Answer {
    let level = s.registry.delete_config(subject_of(&subject)).await?;
    ok(&json!({"compatibilityLevel": level.as_str()}))
}

async fn get_mode(State(s): Shared, subject: Subject, Query(q): Params) -> Answer {
    let subject = subject_of(&subject);
    let mode = s
        .registry
        .mode(subject, subject.is_some() && flag(&q, "defaultToGlobal"))
        .await?;
    ok(&json!({"mode": mode.as_str()}))
}

async fn put_mode(
    State(s): Shared,
    subject: Subject,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let mode = s
        .registry
        .set_mode(subject_of(&subject), mode_from_body(body)?)
        .await?;
    ok(&json!({"mode": mode.as_str()}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::local::LocalRegistry;
    use crate::registry::types::{CompatibilityResult, Registration, SchemaRecord, SubjectVersion};
    use crate::registry::Result;

    /// The embedded store, except that listing subjects under the prefix `panic` panics: a
    /// stand-in for any bug in a handler or below it.
    struct Faulty(LocalRegistry);

    #[async_trait::async_trait]
    impl Registry for Faulty {
        async fn subjects(&self, prefix: Option<&str>, deleted: bool) -> Result<Vec<String>> {
            if prefix == Some("panic") {
                panic!("injected fault: internal detail that must not reach the client");
            }
            self.0.subjects(prefix, deleted).await
        }
        async fn versions(&self, subject: &str, deleted: bool) -> Result<Vec<u32>> {
            self.0.versions(subject, deleted).await
        }
        async fn version(
            &self,
            subject: &str,
            version: VersionSpec,
            deleted: bool,
        ) -> Result<SchemaRecord> {
            self.0.version(subject, version, deleted).await
        }
        async fn register(
            &self,
            subject: &str,
            schema: &SchemaDefinition,
            normalize: bool,
        ) -> Result<Registration> {
            self.0.register(subject, schema, normalize).await
        }
        async fn lookup(
            &self,
            subject: &str,
            schema: &SchemaDefinition,
            normalize: bool,
            deleted: bool,
        ) -> Result<SchemaRecord> {
            self.0.lookup(subject, schema, normalize, deleted).await
        }
        async fn schema_by_id(&self, id: u32) -> Result<SchemaDefinition> {
            self.0.schema_by_id(id).await
        }
        async fn id_versions(&self, id: u32, deleted: bool) -> Result<Vec<SubjectVersion>> {
            self.0.id_versions(id, deleted).await
        }
        async fn id_subjects(&self, id: u32, deleted: bool) -> Result<Vec<String>> {
            self.0.id_subjects(id, deleted).await
        }
        async fn schema_types(&self) -> Result<Vec<String>> {
            self.0.schema_types().await
        }
        async fn test_compatibility(
            &self,
            subject: &str,
            against: Option<VersionSpec>,
            schema: &SchemaDefinition,
            verbose: bool,
        ) -> Result<CompatibilityResult> {
            self.0
                .test_compatibility(subject, against, schema, verbose)
                .await
        }
        async fn config(&self, subject: Option<&str>, default_to_global: bool) -> Result<Level> {
            self.0.config(subject, default_to_global).await
        }
        async fn set_config(&self, subject: Option<&str>, level: Level) -> Result<Level> {
            self.0.set_config(subject, level).await
        }
        async fn delete_config(&self, subject: Option<&str>) -> Result<Level> {
            self.0.delete_config(subject).await
        }
        async fn mode(&self, subject: Option<&str>, default_to_global: bool) -> Result<Mode> {
            self.0.mode(subject, default_to_global).await
        }
        async fn set_mode(&self, subject: Option<&str>, mode: Mode) -> Result<Mode> {
            self.0.set_mode(subject, mode).await
        }
        async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<u32>> {
            self.0.delete_subject(subject, permanent).await
        }
        async fn delete_version(
            &self,
            subject: &str,
            version: VersionSpec,
            permanent: bool,
        ) -> Result<u32> {
            self.0.delete_version(subject, version, permanent).await
        }
        async fn referenced_by(&self, subject: &str, version: VersionSpec) -> Result<Vec<u32>> {
            self.0.referenced_by(subject, version).await
        }
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_and_the_server_keeps_serving() {
        let registry: Arc<dyn Registry> = Arc::new(Faulty(LocalRegistry::in_memory().unwrap()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(
            listener,
            registry,
            ServerOptions::default(),
            async move {
                let _ = stopped.await;
            },
        ));
        let client = reqwest::Client::new();
        let register = || {
            client
                .post(format!("{url}/subjects/app-value/versions"))
                .header(header::CONTENT_TYPE, CONTENT_TYPE)
                .body(r#"{"schema":"\"string\""}"#)
                .send()
        };
        assert_eq!(register().await.unwrap().status(), 200);

        for _ in 0..3 {
            let answer = client
                .get(format!("{url}/subjects?subjectPrefix=panic"))
                .send()
                .await
                .expect("an answer, not a dropped connection");
            assert_eq!(answer.status(), 500);
            assert_eq!(answer.headers()[header::CONTENT_TYPE], CONTENT_TYPE);
            let body: serde_json::Value = answer.json().await.unwrap();
            assert_eq!(
                body,
                json!({"error_code": 50001, "message": "Internal server error"})
            );
        }

        // The same server, store and connection pool go on answering.
        let subjects: Vec<String> = client
            .get(format!("{url}/subjects"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(subjects, ["app-value"]);
        assert_eq!(register().await.unwrap().status(), 200);

        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    }
}
