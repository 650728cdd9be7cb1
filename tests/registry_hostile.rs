//! Hostile requests against `registry serve` on a loopback port: every error is Confluent's JSON
//! with the registry media type, no request crashes the server, one expensive request neither
//! freezes the store for the others nor runs past its budget, and a registration checked against
//! a state that moved meanwhile is checked again before it is written.

mod hostile;

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use schemactl::registry::local::{Limits, LocalRegistry};
use schemactl::registry::server::{self, ServerOptions};
use schemactl::registry::Registry;
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::sync::oneshot;

const VND: &str = "application/vnd.schemaregistry.v1+json";

/// The server over a fresh store with `limits`, on 127.0.0.1:0.
struct Server {
    url: String,
    store: Arc<LocalRegistry>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: TempDir,
}

impl Server {
    async fn start(limits: Limits, options: ServerOptions) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(
            LocalRegistry::open(&dir.path().join("registry.db"))
                .unwrap()
                .with_limits(limits),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let registry: Arc<dyn Registry> = store.clone();
        let task = tokio::spawn(server::serve(listener, registry, options, async move {
            let _ = stopped.await;
        }));
        Self {
            url,
            store,
            stop: Some(stop),
            task,
            _dir: dir,
        }
    }

    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.await.unwrap().unwrap();
    }

    /// Waits (bounded) until no parse-and-check job runs, abandoned ones included.
    async fn settle(&self) {
        for _ in 0..6000 {
            if self.store.jobs_in_flight() == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("parse-and-check jobs still running after 60 s");
    }
}

/// One answer: status, content type, body text.
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    /// Asserts Confluent's error shape with the registry media type; returns the error code.
    fn assert_registry_error(&self, what: &str) -> u64 {
        assert!(
            self.status.is_client_error() || self.status.is_server_error(),
            "{what}: {}",
            self.status
        );
        assert_eq!(
            self.content_type.as_deref(),
            Some(VND),
            "{what}: {}",
            self.text
        );
        let body = self.json();
        let code = body["error_code"]
            .as_u64()
            .unwrap_or_else(|| panic!("{what}: no error_code in {body}"));
        assert!(body["message"].is_string(), "{what}: no message in {body}");
        code
    }
}

async fn send(method: Method, url: String, body: Option<Vec<u8>>) -> Answer {
    let mut request = reqwest::Client::new().request(method, url);
    if let Some(b) = body {
        request = request.header("content-type", VND).body(b);
    }
    let response = request.send().await.unwrap();
    Answer {
        status: response.status(),
        content_type: response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string()),
        text: response.text().await.unwrap(),
    }
}

fn schema_body(schema: &str) -> Option<Vec<u8>> {
    Some(json!({ "schema": schema }).to_string().into_bytes())
}

/// A record of `fields` optional int fields (plus `extra`): large, valid, and compatible with
/// any smaller record of the same shape.
fn wide_record(fields: usize, extra: &str) -> String {
    let mut all = vec![r#"{"name":"id","type":"long"}"#.to_string()];
    if !extra.is_empty() {
        all.push(extra.to_string());
    }
    for i in 0..fields {
        all.push(format!(
            r#"{{"name":"field_number_{i}","type":"int","default":{i},"doc":"padding that makes the schema expensive to parse"}}"#
        ));
    }
    format!(
        r#"{{"type":"record","name":"Order","fields":[{}]}}"#,
        all.join(",")
    )
}

fn limits() -> Limits {
    Limits {
        time_budget: Duration::from_secs(120),
        max_parallel_checks: 4,
        ..Limits::default()
    }
}

/// What a request shows, method, URL, body, expected status.
type Case = (&'static str, Method, String, Option<Vec<u8>>, u16);

#[tokio::test]
async fn every_error_is_registry_json() {
    let server = Server::start(
        limits(),
        ServerOptions {
            max_body_bytes: 4096,
            ..ServerOptions::default()
        },
    )
    .await;
    let u = |p: &str| format!("{}{p}", server.url);
    let cases: Vec<Case> = vec![
        (
            "OPTIONS /subjects",
            Method::OPTIONS,
            u("/subjects"),
            None,
            405,
        ),
        ("PATCH /subjects", Method::PATCH, u("/subjects"), None, 405),
        ("DELETE /", Method::DELETE, u("/"), None, 405),
        (
            "PUT /subjects/x/versions",
            Method::PUT,
            u("/subjects/x/versions"),
            None,
            405,
        ),
        (
            "invalid UTF-8 in a subject",
            Method::GET,
            u("/subjects/a%FFb/versions"),
            None,
            400,
        ),
        (
            "invalid UTF-8 in an id",
            Method::GET,
            u("/schemas/ids/%FF"),
            None,
            400,
        ),
        ("unknown route", Method::GET, u("/nope/nothing"), None, 404),
        (
            "body over the limit",
            Method::POST,
            u("/subjects/x/versions"),
            schema_body(&wide_record(100, "")),
            413,
        ),
        (
            "broken JSON",
            Method::POST,
            u("/subjects/x/versions"),
            Some(b"{\"schema\": ".to_vec()),
            400,
        ),
        (
            "body not UTF-8",
            Method::PUT,
            u("/config"),
            Some(vec![0xff, 0xfe, b'{']),
            400,
        ),
        (
            "unknown method",
            Method::from_bytes(b"BREW").unwrap(),
            u("/subjects"),
            None,
            405,
        ),
    ];
    for (what, method, url, body, status) in cases {
        let answer = send(method, url, body).await;
        assert_eq!(answer.status.as_u16(), status, "{what}: {}", answer.text);
        let code = answer.assert_registry_error(what);
        assert_eq!(code, u64::from(status), "{what}");
    }
    // A 405 still says which methods the route has.
    let answer = send(Method::PUT, u("/subjects/x/versions"), None).await;
    assert_eq!(answer.json()["message"], "HTTP 405 Method Not Allowed");
    server.stop().await;
}

/// A small deterministic generator (xorshift), so that a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A hostile path segment: route words, numbers out of range, escapes, bytes that are not UTF-8.
fn segment(rng: &mut Rng) -> String {
    let words = [
        "subjects",
        "versions",
        "schemas",
        "ids",
        "latest",
        "-1",
        "0",
        "1",
        "4294967296",
        "99999999999999999999",
        "schema",
        "referencedby",
        "compatibility",
        "config",
        "mode",
        "%FF",
        "a%FFb",
        "%00",
        "%2F",
        "..",
        "%C3%28",
        "x",
        "",
    ];
    match rng.below(6) {
        0 => "a".repeat(rng.below(5000)),
        1 => (0..rng.below(12))
            .map(|_| format!("%{:02X}", rng.below(256)))
            .collect(),
        _ => rng.pick(&words).to_string(),
    }
}

/// A hostile body: broken or deep JSON, wrong shapes, schemas valid and not.
fn hostile_body(rng: &mut Rng) -> Option<Vec<u8>> {
    let depth = 1 + rng.below(400);
    let text = match rng.below(12) {
        0 => return None,
        1 => return Some((0..rng.below(300)).map(|_| rng.next() as u8).collect()),
        2 => format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        3 => json!({"schema": format!("{}\"int\"{}", "{\"type\":\"array\",\"items\":".repeat(depth), "}".repeat(depth))}).to_string(),
        4 => json!({"schema": 42}).to_string(),
        5 => json!({"schema": "syntax = \"proto3\"; message A { B b = 1; }", "schemaType": "PROTOBUF"}).to_string(),
        6 => json!({"schema": "\"int\"", "schemaType": "XML"}).to_string(),
        7 => json!({"schema": "\"int\"", "references": [{"name": "x", "subject": "nope", "version": 1}]}).to_string(),
        8 => json!({"compatibility": "SIDEWAYS"}).to_string(),
        9 => json!({"mode": "READONLY"}).to_string(),
        10 => json!({"schema": wide_record(rng.below(30), "")}).to_string(),
        _ => json!({"schema": format!("{{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[{}]}}",
            (0..rng.below(2000)).map(|i| format!("\"S{}\"", i % 1500)).collect::<Vec<_>>().join(","))}).to_string(),
    };
    Some(text.into_bytes())
}

#[tokio::test]
async fn seeded_hostile_requests_get_registry_answers() {
    let server = Server::start(limits(), ServerOptions::default()).await;
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::HEAD,
    ];
    let queries = [
        "",
        "?deleted=true",
        "?permanent=True",
        "?normalize=1&verbose=true",
        "?deleted=%FF",
        "?%FF=%FE",
        "?subjectPrefix=a%00",
        "?defaultToGlobal=maybe",
        "?&&&==",
    ];
    let mut rng = Rng(0x5eed_2026_1130_0011);
    for round in 0..400 {
        let method = methods[rng.below(methods.len())].clone();
        let path: String = (0..1 + rng.below(5))
            .map(|_| format!("/{}", segment(&mut rng)))
            .collect();
        let query = rng.pick(&queries);
        let body = hostile_body(&mut rng);
        let what = format!("round {round}: {method} {path}{query}");
        let answer = send(method.clone(), format!("{}{path}{query}", server.url), body).await;
        if method == Method::HEAD {
            // No body by definition; the media type still applies.
            assert_eq!(answer.content_type.as_deref(), Some(VND), "{what}");
        } else if answer.status.is_success() {
            assert_eq!(answer.content_type.as_deref(), Some(VND), "{what}");
            let _ = answer.json();
        } else {
            answer.assert_registry_error(&what);
        }
    }
    // Still serving.
    let answer = send(Method::GET, format!("{}/subjects", server.url), None).await;
    assert_eq!(answer.status, 200);
    server.settle().await;
    server.stop().await;
}

/// Starts registering `schema` under `subject` and waits until its parse-and-check job runs.
async fn start_expensive_register(
    server: &Server,
    subject: &str,
    schema: &str,
) -> tokio::task::JoinHandle<Answer> {
    let running = server.store.jobs_in_flight();
    let task = tokio::spawn(send(
        Method::POST,
        format!("{}/subjects/{subject}/versions", server.url),
        schema_body(schema),
    ));
    for _ in 0..6000 {
        if server.store.jobs_in_flight() > running {
            return task;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the registration never started its job");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_progress_while_an_expensive_register_runs() {
    let server = Server::start(limits(), ServerOptions::default()).await;
    let u = |p: &str| format!("{}{p}", server.url);
    let small = send(
        Method::POST,
        u("/subjects/small/versions"),
        schema_body("\"int\""),
    )
    .await;
    assert_eq!(small.status, 200, "{}", small.text);

    let big = wide_record(6000, "");
    assert!(big.len() < Limits::default().max_schema_bytes);
    let register = start_expensive_register(&server, "big", &big).await;
    // The job is in flight: reads of the store answer now, not after it.
    for _ in 0..3 {
        let answer = send(Method::GET, u("/subjects"), None).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json(), json!(["small"]));
        let answer = send(Method::GET, u("/subjects/small/versions/latest"), None).await;
        assert_eq!(answer.status, 200);
    }
    assert_eq!(
        server.store.jobs_in_flight(),
        1,
        "the expensive registration ended before the reads: make it bigger"
    );
    assert!(!register.is_finished());
    let answer = register.await.unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text);
    server.stop().await;
}

/// Issue 11, point 4's reproduction: while one client registered a 1.4 MB enum, `GET /subjects`
/// waited ~33 s. Under the default limits such an enum is refused before parsing (422); with
/// the size limit raised to take it, reads are answered while it is parsed and checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_progress_while_a_large_enum_is_registered() {
    let big = hostile::avro_enum("Big", 160_000);
    assert!(big.len() > 1_400_000, "{}", big.len());
    let server = Server::start(limits(), ServerOptions::default()).await;
    let answer = send(
        Method::POST,
        format!("{}/subjects/big/versions", server.url),
        schema_body(&big),
    )
    .await;
    assert_eq!(answer.assert_registry_error("1.4 MB enum"), 42201);
    server.stop().await;

    let server = Server::start(
        Limits {
            max_schema_bytes: 4 << 20,
            ..limits()
        },
        ServerOptions::default(),
    )
    .await;
    let u = |p: &str| format!("{}{p}", server.url);
    let small = send(
        Method::POST,
        u("/subjects/small/versions"),
        schema_body("\"int\""),
    )
    .await;
    assert_eq!(small.status, 200, "{}", small.text);
    let register = start_expensive_register(&server, "big", &big).await;
    for _ in 0..3 {
        let answer = send(Method::GET, u("/subjects"), None).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json(), json!(["small"]));
    }
    assert_eq!(
        server.store.jobs_in_flight(),
        1,
        "the enum's registration ended before the reads: make it bigger"
    );
    let answer = register.await.unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text);
    let answer = send(Method::GET, u("/subjects"), None).await;
    assert_eq!(answer.json(), json!(["big", "small"]));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_is_checked_again_when_the_subject_moved() {
    let server = Server::start(limits(), ServerOptions::default()).await;
    let u = |p: &str| format!("{}{p}", server.url);
    let v1 = wide_record(0, "");
    let answer = send(Method::POST, u("/subjects/s/versions"), schema_body(&v1)).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    // Compatible with v1 (BACKWARD), but it reads `qty` as a string where v2 writes an int.
    let expensive = wide_record(6000, r#"{"name":"qty","type":"string","default":""}"#);
    let register = start_expensive_register(&server, "s", &expensive).await;
    // While it is checked against v1 alone, v2 lands.
    let v2 = wide_record(0, r#"{"name":"qty","type":"int","default":0}"#);
    let answer = send(Method::POST, u("/subjects/s/versions"), schema_body(&v2)).await;
    assert_eq!(answer.json(), json!({"id": 2}));
    assert!(
        !register.is_finished(),
        "the expensive registration ended before v2 landed: make it bigger"
    );
    // The commit sees the subject moved, checks against v2, and refuses.
    let answer = register.await.unwrap();
    assert_eq!(answer.status, 409, "{}", answer.text);
    assert_eq!(answer.assert_registry_error("moved subject"), 409);
    let answer = send(Method::GET, u("/subjects/s/versions"), None).await;
    assert_eq!(answer.json(), json!([1, 2]));
    server.stop().await;
}

#[tokio::test]
async fn a_request_over_its_budget_answers_503_and_writes_nothing() {
    let server = Server::start(
        Limits {
            time_budget: Duration::from_millis(1),
            max_parallel_checks: 1,
            ..Limits::default()
        },
        ServerOptions::default(),
    )
    .await;
    let u = |p: &str| format!("{}{p}", server.url);
    let big = wide_record(2000, "");
    let answer = send(Method::POST, u("/subjects/s/versions"), schema_body(&big)).await;
    assert_eq!(answer.status, 503, "{}", answer.text);
    assert_eq!(answer.assert_registry_error("over budget"), 50002);
    assert!(answer.json()["message"]
        .as_str()
        .unwrap()
        .contains("time budget of 1 ms"));
    let answer = send(
        Method::POST,
        u("/compatibility/subjects/s/versions"),
        schema_body(&big),
    )
    .await;
    assert_eq!(answer.status, 503, "{}", answer.text);
    // Once the abandoned jobs end, nothing of them is in the store.
    server.settle().await;
    let answer = send(Method::GET, u("/subjects?deleted=true"), None).await;
    assert_eq!(answer.json(), json!([]));
    server.stop().await;
}

#[tokio::test]
async fn schemas_over_the_size_limit_are_refused_before_parsing() {
    let server = Server::start(
        Limits {
            max_schema_bytes: 1000,
            ..limits()
        },
        ServerOptions::default(),
    )
    .await;
    let u = |p: &str| format!("{}{p}", server.url);
    let fits = wide_record(2, "");
    assert!(fits.len() <= 1000);
    let answer = send(Method::POST, u("/subjects/s/versions"), schema_body(&fits)).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let big = wide_record(20, "");
    assert!(big.len() > 1000);
    for path in [
        "/subjects/s/versions",
        "/subjects/s",
        "/compatibility/subjects/s/versions/latest",
    ] {
        let answer = send(Method::POST, u(path), schema_body(&big)).await;
        assert_eq!(answer.status, 422, "{path}: {}", answer.text);
        assert_eq!(answer.assert_registry_error(path), 42201);
        let message = answer.json()["message"].as_str().unwrap().to_string();
        assert!(message.contains("at most 1000"), "{message}");
    }
    assert_eq!(server.store.jobs_in_flight(), 0);
    server.stop().await;
}

/// The serve flags of README's table set the store's limits.
#[tokio::test]
async fn serve_flags_set_the_limits() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(["registry", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("r.db"))
        .args([
            "--max-schema-bytes",
            "1000",
            "--time-budget-ms",
            "5000",
            "--max-parallel-checks",
            "1",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    let fits = send(
        Method::POST,
        format!("{url}/subjects/s/versions"),
        schema_body(&wide_record(2, "")),
    )
    .await;
    let big = send(
        Method::POST,
        format!("{url}/subjects/s/versions"),
        schema_body(&wide_record(20, "")),
    )
    .await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(fits.status, 200, "{}", fits.text);
    assert_eq!(big.status, 422, "{}", big.text);
    assert!(big.text.contains("at most 1000"), "{}", big.text);
}

/// Issue 11, point 1: a compatibility check whose reference switches between two chains of
/// 2,000 imported message types aborted the server (`tokio-rt-worker` overflowed its stack).
/// The server now answers the verdict, and keeps answering.
#[tokio::test]
async fn a_check_across_long_chains_of_imported_types_answers() {
    let server = Server::start(limits(), ServerOptions::default()).await;
    let register = |subject: &str, schema: String, references: Value| {
        let url = format!("{}/subjects/{subject}/versions", server.url);
        let body = json!({ "schemaType": "PROTOBUF", "schema": schema, "references": references });
        send(Method::POST, url, Some(body.to_string().into_bytes()))
    };
    for (subject, last) in [("chain-a", "int32 x = 1;"), ("chain-b", "string x = 1;")] {
        let answer = register(subject, hostile::proto_chain(2_000, last), json!([])).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    }
    let reference =
        |name: &str, subject: &str| json!([{ "name": name, "subject": subject, "version": 1 }]);
    let answer = register(
        "app",
        hostile::proto_root("a.proto"),
        reference("a.proto", "chain-a"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);

    let body = json!({
        "schemaType": "PROTOBUF",
        "schema": hostile::proto_root("b.proto"),
        "references": reference("b.proto", "chain-b"),
    });
    let url = format!(
        "{}/compatibility/subjects/app/versions/latest?verbose=true",
        server.url
    );
    let answer = send(Method::POST, url, Some(body.to_string().into_bytes())).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(
        answer.json()["is_compatible"],
        json!(false),
        "{}",
        answer.text
    );

    // Registering it (the issue's other path) is refused the same way, and writes nothing.
    let answer = register(
        "app",
        hostile::proto_root("b.proto"),
        reference("b.proto", "chain-b"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.text);
    assert_eq!(answer.assert_registry_error("register"), 409);
    let versions = send(
        Method::GET,
        format!("{}/subjects/app/versions", server.url),
        None,
    )
    .await;
    assert_eq!(versions.json(), json!([1]));

    // Still serving.
    let subjects = send(Method::GET, format!("{}/subjects", server.url), None).await;
    assert_eq!(subjects.status, StatusCode::OK);
    server.settle().await;
    server.stop().await;
}

/// `LocalRegistry` in a tokio runtime built without `enable_time` (or `enable_all`): every call
/// works, and the time budget still answers 503, with no tokio timer (which panics in such a
/// runtime) involved.
#[test]
fn the_store_works_in_a_runtime_without_timers() {
    use schemactl::registry::{SchemaDefinition, VersionSpec};

    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = LocalRegistry::open(&dir.path().join("registry.db")).unwrap();
    runtime.block_on(async {
        let v1 = SchemaDefinition::avro(wide_record(2, ""));
        assert_eq!(store.register("s", &v1, false).await.unwrap().id, 1);
        let v2 = SchemaDefinition::avro(wide_record(3, ""));
        let check = store
            .test_compatibility("s", None, &v2, true)
            .await
            .unwrap();
        assert!(check.is_compatible);
        assert_eq!(store.register("s", &v2, false).await.unwrap().id, 2);
        assert_eq!(
            store.lookup("s", &v1, false, false).await.unwrap().version,
            1
        );
        assert_eq!(store.subjects(None, false).await.unwrap(), ["s"]);
        let latest = store
            .version("s", VersionSpec::Latest, false)
            .await
            .unwrap();
        assert_eq!(latest.id, 2);
    });

    let tight = LocalRegistry::open(&dir.path().join("tight.db"))
        .unwrap()
        .with_limits(Limits {
            time_budget: Duration::from_millis(1),
            max_parallel_checks: 1,
            ..Limits::default()
        });
    let big = SchemaDefinition::avro(wide_record(8_000, ""));
    assert!(big.schema.len() < Limits::default().max_schema_bytes);
    let err = runtime
        .block_on(tight.register("s", &big, false))
        .unwrap_err();
    assert_eq!(err.error_code(), Some(50002), "{err}");
    assert_eq!(err.http_status(), 503);
    // Whether the job had started or not when the alarm answered depends on the machine's
    // load; either way it writes nothing. (The alarm firing without a runtime is the unit test
    // `registry::alarm::tests`.)
    for _ in 0..6000 {
        if tight.jobs_in_flight() == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(tight.jobs_in_flight(), 0);
    let subjects = runtime.block_on(tight.subjects(None, true)).unwrap();
    assert!(subjects.is_empty(), "{subjects:?}");
}
