//! The HTTP client against a misbehaving loopback server: retries on 5xx and 429 (bounded),
//! none on 4xx, timeouts on a hung connection, garbage bodies, 401/403 naming the URL without
//! credentials, the id cache, the headers a registry expects, and the answers registries give
//! differently (every form of 409, a missing `/schemas/ids/{id}/subjects`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use schemactl::registry::http::{Auth, HttpOptions, HttpRegistry, RetryPolicy};
use schemactl::registry::{ErrorKind, Registry, RegistryError, SchemaDefinition};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone)]
enum Reply {
    Status(u16, &'static str),
    /// Read the request, never answer.
    Hang,
}

/// A scripted HTTP/1.1 server: the n-th request gets `script[n]`, later ones `then`.
struct Fake {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Fake {
    async fn start(script: Vec<Reply>, then: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let counter = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(script);
        let seen = requests.clone();
        tokio::spawn(async move {
            // Bounded: a test never needs more than a few dozen connections.
            for _ in 0..100 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (script, then, counter, seen) =
                    (script.clone(), then.clone(), counter.clone(), seen.clone());
                tokio::spawn(async move {
                    serve_connection(stream, &script, &then, &counter, &seen).await;
                });
            }
        });
        Self { url, requests }
    }

    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    fn request(&self, i: usize) -> String {
        self.requests.lock().unwrap()[i].clone()
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    script: &[Reply],
    then: &Reply,
    counter: &AtomicUsize,
    seen: &Mutex<Vec<String>>,
) {
    let mut buf = Vec::new();
    loop {
        // Read one request: head, then Content-Length bytes of body.
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let length = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        while buf.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let request = String::from_utf8_lossy(&buf[..head_end + length]).to_string();
        buf.drain(..head_end + length);
        seen.lock().unwrap().push(request);
        let n = counter.fetch_add(1, Ordering::SeqCst);
        match script.get(n).unwrap_or(then) {
            Reply::Hang => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return;
            }
            Reply::Status(code, body) => {
                let response = format!(
                    "HTTP/1.1 {code} X\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                if stream.write_all(response.as_bytes()).await.is_err() {
                    return;
                }
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(5),
    }
}

fn client(url: &str, retry: RetryPolicy, auth: Option<Auth>) -> HttpRegistry {
    let options = HttpOptions {
        retry,
        auth,
        timeout: Duration::from_millis(500),
        ..HttpOptions::default()
    };
    HttpRegistry::new(url, options).unwrap()
}

const FULL: &str = r#"{"compatibilityLevel":"FULL"}"#;
const BOOM: &str = r#"{"error_code":50001,"message":"Error in the backend datastore"}"#;

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let fake = Fake::start(
        vec![Reply::Status(500, BOOM), Reply::Status(503, "unavailable")],
        Reply::Status(200, FULL),
    )
    .await;
    let r = client(&fake.url, fast_retries(3), None);
    assert_eq!(
        r.config(None, false).await.unwrap(),
        schemactl::compat::Level::Full
    );
    assert_eq!(fake.count(), 3);
}

#[tokio::test]
async fn retries_are_bounded_in_count() {
    let fake = Fake::start(vec![], Reply::Status(500, BOOM)).await;
    let r = client(&fake.url, fast_retries(2), None);
    let err = r.config(None, false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    assert_eq!(err.error_code(), Some(50001));
    assert_eq!(fake.count(), 3, "one attempt and two retries");
}

#[tokio::test]
async fn retries_are_bounded_in_time() {
    let fake = Fake::start(vec![], Reply::Status(503, "down")).await;
    let retry = RetryPolicy {
        max_retries: 1000,
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(50),
        max_elapsed: Duration::from_millis(200),
    };
    let err = client(&fake.url, retry, None)
        .config(None, false)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    // Every delay is at least 25 ms and none starts past 200 ms: at most 9 attempts, however
    // fast or slow the machine, far fewer than the 1000 the count alone would allow.
    assert!(fake.count() <= 9, "{}", fake.count());
}

#[tokio::test]
async fn too_many_requests_is_retried() {
    let fake = Fake::start(
        vec![Reply::Status(
            429,
            r#"{"error_code":429,"message":"slow down"}"#,
        )],
        Reply::Status(200, FULL),
    )
    .await;
    let r = client(&fake.url, fast_retries(3), None);
    assert_eq!(
        r.config(None, false).await.unwrap(),
        schemactl::compat::Level::Full
    );
    assert_eq!(fake.count(), 2);
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    let fake = Fake::start(
        vec![],
        Reply::Status(
            404,
            r#"{"error_code":40401,"message":"Subject 'x' not found."}"#,
        ),
    )
    .await;
    let r = client(&fake.url, fast_retries(5), None);
    let err = r.versions("x", false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SubjectNotFound);
    assert_eq!(fake.count(), 1);
    assert!(
        err.to_string()
            .contains(&format!("{}/subjects/x/versions", fake.url)),
        "{err}"
    );

    let fake = Fake::start(
        vec![],
        Reply::Status(422, r#"{"error_code":42201,"message":"Invalid schema"}"#),
    )
    .await;
    let r = client(&fake.url, fast_retries(5), None);
    let err = r
        .test_compatibility("x", None, &SchemaDefinition::avro("\"int\""), false)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidSchema);
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn a_hung_connection_times_out() {
    let fake = Fake::start(vec![], Reply::Hang).await;
    let r = client(&fake.url, fast_retries(3), None);
    let err = r.subjects(None, false).await.unwrap_err();
    assert!(matches!(err, RegistryError::Timeout { .. }), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains(&fake.url), "{err}");
    // A timed-out request is not retried: the registry may still be working on it.
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn garbage_bodies_are_invalid_responses() {
    let fake = Fake::start(vec![], Reply::Status(200, "<html>hello</html>")).await;
    let err = client(&fake.url, fast_retries(0), None)
        .subjects(None, false)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert!(err.to_string().contains("<html>"), "{err}");

    let fake = Fake::start(vec![], Reply::Status(404, "no such thing")).await;
    let err = client(&fake.url, fast_retries(0), None)
        .subjects(None, false)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");

    // A body of the wrong shape on success is caught too.
    let fake = Fake::start(vec![], Reply::Status(200, r#"{"id":"seven"}"#)).await;
    let err = client(&fake.url, fast_retries(0), None)
        .schema_by_id(7)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
}

#[tokio::test]
async fn unauthorized_and_forbidden_name_the_url_without_credentials() {
    for (status, words) in [(401, "authentication failed"), (403, "access denied")] {
        let body = if status == 401 {
            r#"{"error_code":40101,"message":"Unauthorized"}"#
        } else {
            r#"{"error_code":40301,"message":"Forbidden"}"#
        };
        let fake = Fake::start(vec![], Reply::Status(status, body)).await;
        let with_creds = fake.url.replace("http://", "http://alice:s3cret@");
        let r = client(&with_creds, fast_retries(3), None);
        let err = r.subjects(None, false).await.unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(&format!("{}/subjects", fake.url)), "{shown}");
        assert!(shown.contains(words), "{shown}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("alice"),
            "{shown}"
        );
        assert!(!format!("{err:?}").contains("s3cret"));
        assert!(!format!("{r:?}").contains("s3cret"));
        assert_eq!(fake.count(), 1, "no retry on {status}");
        // The credentials from the URL were sent as basic auth.
        let request = fake.request(0).to_ascii_lowercase();
        assert!(
            request.contains("authorization: basic ywxpy2u6cznjcmv0"),
            "{request}"
        );
    }
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let started = std::time::Instant::now();
    let err = client(&url, fast_retries(2), None)
        .subjects(None, false)
        .await
        .unwrap_err();
    assert!(matches!(err, RegistryError::Unavailable { .. }), "{err:?}");
    assert!(err.to_string().contains(&url), "{err}");
    // Two retries wait at least half their ceilings (5 ms, then 10 ms): without retries the
    // refusal would come back at once.
    assert!(
        started.elapsed() >= Duration::from_micros(7_500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn lookups_by_id_are_cached() {
    let fake = Fake::start(vec![], Reply::Status(200, r#"{"schema":"\"string\""}"#)).await;
    let r = client(&fake.url, fast_retries(0), None);
    for _ in 0..3 {
        assert_eq!(r.schema_by_id(42).await.unwrap().schema, "\"string\"");
    }
    assert_eq!(fake.count(), 1);
}

#[tokio::test]
async fn requests_carry_the_registry_media_type_and_bearer_token() {
    let fake = Fake::start(vec![], Reply::Status(200, r#"{"is_compatible":true}"#)).await;
    let r = client(
        &fake.url,
        fast_retries(0),
        Some(Auth::Bearer("tok-123".into())),
    );
    let verdict = r
        .test_compatibility("a/b", None, &SchemaDefinition::avro("\"int\""), true)
        .await
        .unwrap();
    assert!(verdict.is_compatible);
    let request = fake.request(0);
    let lower = request.to_ascii_lowercase();
    assert!(
        request.starts_with("POST /compatibility/subjects/a%2Fb/versions?verbose=true HTTP/1.1"),
        "{request}"
    );
    assert!(
        lower.contains("content-type: application/vnd.schemaregistry.v1+json"),
        "{request}"
    );
    assert!(
        lower.contains("accept: application/vnd.schemaregistry.v1+json"),
        "{request}"
    );
    assert!(lower.contains("authorization: bearer tok-123"), "{request}");
    assert!(request.ends_with(r#"{"schema":"\"int\""}"#), "{request}");
}

/// An incompatible registration answers 409 in several forms across registries; each is a
/// refusal (`ErrorKind::Incompatible`), never an invalid answer, and is not retried.
#[tokio::test]
async fn every_form_of_409_is_a_refusal() {
    let lookup_miss = Reply::Status(404, r#"{"error_code":40403,"message":"Schema not found"}"#);
    for body in [
        r#"{"error_code":409,"message":"Schema being registered is incompatible with an earlier schema"}"#,
        r#"{"error_code":40901,"message":"incompatible"}"#,
        r#"{"message":"incompatible","detail":"no error code"}"#,
        "Conflict",
        "",
    ] {
        let fake = Fake::start(vec![lookup_miss.clone()], Reply::Status(409, body)).await;
        let r = client(&fake.url, fast_retries(3), None);
        let err = r
            .register("s", &SchemaDefinition::avro(r#""int""#), false)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Incompatible, "{body:?}: {err}");
        assert_eq!(err.http_status(), 409, "{body:?}");
        assert_eq!(fake.count(), 2, "{body:?}");
    }
}

/// A registry without `GET /schemas/ids/{id}/subjects` (404 without 40403): the subjects come
/// from `GET /schemas/ids/{id}/versions`.
#[tokio::test]
async fn id_subjects_fall_back_to_id_versions() {
    let fake = Fake::start(
        vec![
            Reply::Status(404, r#"{"error_code":404,"message":"HTTP 404 Not Found"}"#),
            Reply::Status(
                200,
                r#"[{"subject":"b","version":1},{"subject":"a","version":2},{"subject":"b","version":3}]"#,
            ),
        ],
        Reply::Status(500, ""),
    )
    .await;
    let r = client(&fake.url, RetryPolicy::none(), None);
    assert_eq!(
        r.id_subjects(7, false).await.unwrap(),
        vec!["a".to_string(), "b".to_string()]
    );
    assert!(fake.request(1).starts_with("GET /schemas/ids/7/versions "));
    // "No such schema" is an answer, not a missing endpoint.
    let fake = Fake::start(
        vec![],
        Reply::Status(
            404,
            r#"{"error_code":40403,"message":"Schema 7 not found"}"#,
        ),
    )
    .await;
    let r = client(&fake.url, RetryPolicy::none(), None);
    assert_eq!(
        r.id_subjects(7, false).await.unwrap_err().kind(),
        ErrorKind::SchemaNotFound
    );
    assert_eq!(fake.count(), 1);
}
