//! A dialect proxy: an HTTP server on 127.0.0.1:0 in front of our own server ([`TestServer`])
//! that rewrites requests and answers the way other Confluent-compatible registries differ from
//! Confluent, one [`Quirk`] per difference. The client's conformance and CLI tests run through it,
//! so that our own server is not the only registry they are checked against.

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use schemactl::registry::canonical::avro_canonical_text;
use schemactl::registry::http::{HttpOptions, HttpRegistry};
use schemactl::registry::server::ServerOptions;
use serde_json::{json, Value};
use tokio::sync::oneshot;

use super::{client, TestServer};

/// One way a registry's answers differ from Confluent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quirk {
    /// `GET /config/{s}` and `GET /mode/{s}` answer 404 / 40401 for a subject without a setting
    /// of its own (instead of 40408 / 40409), and for a subject without versions even with
    /// `defaultToGlobal=true` (instead of the global setting).
    ConfigMissingIs404,
    /// `GET /subjects?subjectPrefix=P` lists every subject.
    IgnoresSubjectPrefix,
    /// A `+` in the path is decoded as a space.
    PlusDecodedAsSpace,
    /// Avro schema text comes back re-serialized: compact, object keys sorted.
    NormalizesText,
    /// A verbose compatibility answer has no `messages`.
    NoVerboseMessages,
    /// `GET /schemas/ids/{id}/subjects` does not exist (404, error code 404).
    IdSubjects404,
    /// An incompatible registration answers 409 with error code 409 and no details.
    Conflict409,
    /// An incompatible registration answers 409 with error code 40901.
    Conflict40901,
    /// An incompatible registration answers 409 with a plain-text body.
    ConflictPlain,
    /// A lookup (`POST /subjects/{s}`) of a schema the subject does not hold answers 40401
    /// instead of 40403.
    LookupMiss40401,
    /// Error bodies carry an extra `detail` field beside `error_code` and `message`.
    ErrorDetailField,
}

impl Quirk {
    pub const ALL: [Quirk; 11] = [
        Quirk::ConfigMissingIs404,
        Quirk::IgnoresSubjectPrefix,
        Quirk::PlusDecodedAsSpace,
        Quirk::NormalizesText,
        Quirk::NoVerboseMessages,
        Quirk::IdSubjects404,
        Quirk::Conflict409,
        Quirk::Conflict40901,
        Quirk::ConflictPlain,
        Quirk::LookupMiss40401,
        Quirk::ErrorDetailField,
    ];
}

/// A set of quirks: how one registry answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    pub name: &'static str,
    quirks: Vec<Quirk>,
}

impl Dialect {
    pub fn new(name: &'static str, quirks: &[Quirk]) -> Self {
        Self {
            name,
            quirks: quirks.to_vec(),
        }
    }

    /// Our server's answers unchanged: Confluent's API as `registry serve` implements it.
    pub fn confluent() -> Self {
        Self::new("confluent", &[])
    }

    /// One quirk alone.
    pub fn only(quirk: Quirk) -> Self {
        Self::new("single quirk", &[quirk])
    }

    /// Karapace as its issue tracker describes older versions: subject config of an unknown
    /// subject is a 404 (Aiven-Open/karapace#554), schema text re-serialized (#124).
    pub fn karapace_like() -> Self {
        Self::new(
            "karapace-like",
            &[Quirk::ConfigMissingIs404, Quirk::NormalizesText],
        )
    }

    /// Redpanda as its issue tracker describes older versions: 40401 for a subject without its
    /// own level (redpanda-data/redpanda#12654), no `subjectPrefix` (#20145), no
    /// `/schemas/ids/{id}/subjects` (#12989).
    pub fn redpanda_like() -> Self {
        Self::new(
            "redpanda-like",
            &[
                Quirk::ConfigMissingIs404,
                Quirk::IgnoresSubjectPrefix,
                Quirk::IdSubjects404,
            ],
        )
    }

    /// Apicurio's Confluent API as its issue tracker describes older versions: lookup misses
    /// as 40401 (Apicurio/apicurio-registry#2226), a `detail` field in error bodies (#1081).
    /// The plain-text 409 and the missing `messages` stand for answers we did not find
    /// documented and must survive anyway.
    pub fn apicurio_like() -> Self {
        Self::new(
            "apicurio-like",
            &[
                Quirk::LookupMiss40401,
                Quirk::ErrorDetailField,
                Quirk::ConflictPlain,
                Quirk::NoVerboseMessages,
            ],
        )
    }

    /// The registry of issue 10 (points 1–4): every difference it reports at once.
    pub fn issue_10() -> Self {
        Self::new(
            "issue-10",
            &[
                Quirk::ConfigMissingIs404,
                Quirk::IgnoresSubjectPrefix,
                Quirk::PlusDecodedAsSpace,
                Quirk::NormalizesText,
                Quirk::NoVerboseMessages,
                Quirk::IdSubjects404,
                Quirk::Conflict40901,
            ],
        )
    }

    pub fn has(&self, quirk: Quirk) -> bool {
        self.quirks.contains(&quirk)
    }

    /// Whether an incompatible registration loses Confluent's details in its answer.
    pub fn conflict_without_details(&self) -> bool {
        self.has(Quirk::Conflict409)
            || self.has(Quirk::Conflict40901)
            || self.has(Quirk::ConflictPlain)
    }
}

/// Our server behind a dialect proxy.
pub struct DialectProxy {
    pub url: String,
    pub dialect: Dialect,
    pub server: TestServer,
    state: Arc<ProxyState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

struct ProxyState {
    upstream: String,
    dialect: Dialect,
    http: reqwest::Client,
    /// Every request as received: `METHOD /raw/path?query`.
    requests: Mutex<Vec<String>>,
}

impl DialectProxy {
    pub async fn start(dialect: Dialect) -> Self {
        let server = TestServer::start(ServerOptions::default()).await;
        let state = Arc::new(ProxyState {
            upstream: server.url.clone(),
            dialect: dialect.clone(),
            http: reqwest::Client::new(),
            requests: Mutex::new(Vec::new()),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Self {
            url,
            dialect,
            server,
            state,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    pub fn client(&self) -> HttpRegistry {
        client(&self.url, HttpOptions::default())
    }

    /// The requests received so far, as `METHOD /raw/path?query`.
    pub fn requests(&self) -> Vec<String> {
        self.state.requests.lock().unwrap().clone()
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.server.stop().await;
    }
}

async fn forward(
    State(state): State<Arc<ProxyState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let raw = uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_string();
    state
        .requests
        .lock()
        .unwrap()
        .push(format!("{method} {raw}"));
    let d = &state.dialect;
    let mut path = uri.path().to_string();
    if d.has(Quirk::PlusDecodedAsSpace) {
        path = path.replace('+', "%20");
    }
    let mut query = uri.query().unwrap_or("").to_string();
    let raw_segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let segments: Vec<String> = raw_segments.iter().map(|s| percent_decode(s)).collect();
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();

    match (&method, segs.as_slice()) {
        (&Method::GET, ["subjects"]) if d.has(Quirk::IgnoresSubjectPrefix) => {
            query = query
                .split('&')
                .filter(|p| !p.starts_with("subjectPrefix="))
                .collect::<Vec<_>>()
                .join("&");
        }
        (&Method::GET, ["config" | "mode", subject]) if d.has(Quirk::ConfigMissingIs404) => {
            let own = state
                .send(Method::GET, &path, "", &headers, Bytes::new())
                .await;
            if own.0.is_success() {
                return state.answer(own, &method, &segs);
            }
            let exists = state
                .send(
                    Method::GET,
                    &format!("/subjects/{}/versions", raw_segments[1]),
                    "",
                    &headers,
                    Bytes::new(),
                )
                .await
                .0
                .is_success();
            if !(exists && query.contains("defaultToGlobal=true")) {
                return error(404, 40401, &format!("Subject '{subject}' not found."), d);
            }
        }
        (&Method::GET, ["schemas", "ids", _, "subjects"]) if d.has(Quirk::IdSubjects404) => {
            return error(404, 404, "HTTP 404 Not Found", d);
        }
        _ => {}
    }
    let answer = state
        .send(method.clone(), &path, &query, &headers, body)
        .await;
    state.answer(answer, &method, &segs)
}

impl ProxyState {
    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &str,
        headers: &HeaderMap,
        body: Bytes,
    ) -> (StatusCode, Bytes) {
        let mut url = format!("{}{path}", self.upstream);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        let mut request = self.http.request(method, url).body(body);
        if let Some(ct) = headers.get(header::CONTENT_TYPE) {
            request = request.header(header::CONTENT_TYPE, ct.clone());
        }
        let response = request.send().await.expect("upstream answers");
        let status = response.status();
        (status, response.bytes().await.expect("upstream body"))
    }

    /// Rewrites an upstream answer to the request `method segs` as the dialect would give it.
    fn answer(
        &self,
        (status, bytes): (StatusCode, Bytes),
        method: &Method,
        segs: &[&str],
    ) -> Response {
        let d = &self.dialect;
        let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
            return raw(status, bytes);
        };
        let register = *method == Method::POST && matches!(segs, ["subjects", _, "versions"]);
        if status == StatusCode::CONFLICT && register {
            let message = "Schema being registered is incompatible with an earlier schema";
            if d.has(Quirk::Conflict409) {
                return error(409, 409, message, d);
            }
            if d.has(Quirk::Conflict40901) {
                return error(409, 40901, message, d);
            }
            if d.has(Quirk::ConflictPlain) {
                return Response::builder()
                    .status(409)
                    .header(header::CONTENT_TYPE, "text/plain")
                    .body(Body::from("Conflict"))
                    .unwrap();
            }
        }
        let lookup = *method == Method::POST && matches!(segs, ["subjects", _]);
        if lookup && value["error_code"] == 40403 && d.has(Quirk::LookupMiss40401) {
            return error(404, 40401, "Subject not found.", d);
        }
        if !status.is_success() {
            if let (Some(code), Some(message)) =
                (value["error_code"].as_u64(), value["message"].as_str())
            {
                return error(status.as_u16(), code as u32, message, d);
            }
            return raw(status, bytes);
        }
        if d.has(Quirk::NormalizesText) {
            if let Some(text) = value.get("schema").and_then(Value::as_str) {
                let avro = value.get("schemaType").is_none_or(|t| t == "AVRO");
                if avro && serde_json::from_str::<Value>(text).is_ok() {
                    value["schema"] = Value::String(avro_canonical_text(text));
                }
            }
        }
        if d.has(Quirk::NoVerboseMessages) && segs.first() == Some(&"compatibility") {
            if let Some(map) = value.as_object_mut() {
                map.remove("messages");
            }
        }
        json_response(status.as_u16(), &value)
    }
}

fn error(status: u16, code: u32, message: &str, d: &Dialect) -> Response {
    let mut body = json!({"error_code": code, "message": message});
    if d.has(Quirk::ErrorDetailField) {
        body["detail"] = Value::String(format!("{message} (detail)"));
    }
    json_response(status, &body)
}

fn json_response(status: u16, value: &Value) -> Response {
    Response::builder()
        .status(status)
        .header(
            header::CONTENT_TYPE,
            "application/vnd.schemaregistry.v1+json",
        )
        .body(Body::from(value.to_string()))
        .unwrap()
}

fn raw(status: StatusCode, bytes: Bytes) -> Response {
    Response::builder()
        .status(status)
        .header(
            header::CONTENT_TYPE,
            "application/vnd.schemaregistry.v1+json",
        )
        .body(Body::from(bytes))
        .unwrap()
}

/// `%XX` escapes decoded (the proxy only needs them to recognize routes).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
