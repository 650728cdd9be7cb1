//! The server's wire format, checked with raw HTTP: Confluent's status codes, error bodies,
//! JSON shapes, media types, basic auth and body limits.

mod registry_support;

use registry_support::*;
use reqwest::StatusCode;
use schemactl::registry::http::{Auth, HttpOptions};
use schemactl::registry::server::{BasicAuthUsers, ServerOptions};
use schemactl::registry::{ErrorKind, Registry, SchemaDefinition};
use serde_json::{json, Value};

const VND: &str = "application/vnd.schemaregistry.v1+json";

async fn call(
    method: reqwest::Method,
    url: String,
    body: Option<Value>,
) -> (StatusCode, Option<String>, Value) {
    let mut request = reqwest::Client::new().request(method, url);
    if let Some(b) = body {
        request = request.header("content-type", VND).body(b.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, content_type, value)
}

/// The body of a GET of `url`.
async fn get(url: String) -> Value {
    call(reqwest::Method::GET, url, None).await.2
}

/// Asserts that the call fails with HTTP `status` and Confluent's `error_code`.
async fn assert_error(
    method: reqwest::Method,
    url: String,
    body: Option<Value>,
    status: u16,
    error_code: u64,
) {
    let call_name = format!("{method} {url}");
    let (got, _, body) = call(method, url, body).await;
    assert_eq!(
        (got.as_u16(), body["error_code"].clone()),
        (status, json!(error_code)),
        "{call_name}: {body}"
    );
}

#[tokio::test]
async fn shapes_and_codes_match_confluent() {
    use reqwest::Method;
    let server = TestServer::start(ServerOptions::default()).await;
    let u = |p: &str| format!("{}{p}", server.url);

    let (status, ct, body) = call(
        Method::POST,
        u("/subjects/orders-value/versions"),
        Some(json!({"schema": RECORD_V1})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ct.as_deref(), Some(VND));
    assert_eq!(body, json!({"id": 1}));

    let (status, _, body) = call(
        Method::GET,
        u("/subjects/orders-value/versions/latest"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"subject": "orders-value", "version": 1, "id": 1, "schema": RECORD_V1})
    );
    assert_eq!(
        get(u("/subjects/orders-value/versions/-1")).await["version"],
        1
    );
    assert_eq!(get(u("/schemas/ids/1")).await, json!({"schema": RECORD_V1}));
    assert_eq!(
        get(u("/schemas/ids/1/versions")).await,
        json!([{"subject": "orders-value", "version": 1}])
    );
    let (_, _, body) = call(
        Method::GET,
        u("/subjects/orders-value/versions/1/schema"),
        None,
    )
    .await;
    assert_eq!(body, serde_json::from_str::<Value>(RECORD_V1).unwrap());
    assert_eq!(
        get(u("/schemas/types")).await,
        json!(["AVRO", "PROTOBUF", "JSON"])
    );

    let (status, _, body) =
        call(Method::GET, u("/subjects/orders-value/versions/zero"), None).await;
    assert_eq!(status, 422);
    assert_eq!(body["error_code"], 42202);
    let (status, _, body) = call(Method::GET, u("/subjects/nope/versions"), None).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({"error_code": 40401, "message": "Subject 'nope' not found."})
    );
    assert_error(Method::GET, u("/schemas/ids/77"), None, 404, 40403).await;

    let (status, _, body) = call(
        Method::POST,
        u("/subjects/orders-value/versions"),
        Some(json!({"schema": RECORD_BAD})),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["error_code"], 409);
    assert_error(
        Method::POST,
        u("/subjects/orders-value/versions"),
        Some(json!({"schema": "{"})),
        422,
        42201,
    )
    .await;
    assert_error(
        Method::POST,
        u("/subjects/orders-value/versions"),
        Some(json!({"schema": "\"int\"", "schemaType": "JSON"})),
        422,
        42201,
    )
    .await;

    let (status, _, body) = call(
        Method::POST,
        u("/compatibility/subjects/orders-value/versions/latest?verbose=True"),
        Some(json!({"schema": RECORD_BAD})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["is_compatible"], false);
    assert!(
        body["messages"].as_array().is_some_and(|m| !m.is_empty()),
        "{body}"
    );

    assert_eq!(
        get(u("/config")).await,
        json!({"compatibilityLevel": "BACKWARD"})
    );
    let (_, _, body) = call(
        Method::PUT,
        u("/config/orders-value"),
        Some(json!({"compatibility": "full"})),
    )
    .await;
    assert_eq!(body, json!({"compatibility": "FULL"}));
    assert_eq!(
        get(u("/config/orders-value")).await,
        json!({"compatibilityLevel": "FULL"})
    );
    assert_error(Method::GET, u("/config/other"), None, 404, 40408).await;
    assert_eq!(
        get(u("/config/other?defaultToGlobal=true")).await,
        json!({"compatibilityLevel": "BACKWARD"})
    );
    assert_error(
        Method::PUT,
        u("/config"),
        Some(json!({"compatibility": "SIDEWAYS"})),
        422,
        42203,
    )
    .await;
    assert_eq!(get(u("/mode")).await, json!({"mode": "READWRITE"}));
    assert_error(
        Method::PUT,
        u("/mode"),
        Some(json!({"mode": "SOMETIMES"})),
        422,
        42204,
    )
    .await;

    assert_error(
        Method::DELETE,
        u("/subjects/orders-value/versions/1?permanent=true"),
        None,
        404,
        40407,
    )
    .await;
    let (status, _, body) = call(Method::DELETE, u("/subjects/orders-value"), None).await;
    assert_eq!((status.as_u16(), body), (200, json!([1])));

    assert_error(Method::GET, u("/no/such/endpoint"), None, 404, 404).await;
    assert_error(Method::POST, u("/subjects/x/versions"), None, 400, 400).await;
    server.stop().await;
}

#[tokio::test]
async fn plain_json_and_subjects_with_slashes_work() {
    let server = TestServer::start(ServerOptions::default()).await;
    let response = reqwest::Client::new()
        .post(format!("{}/subjects/a%2Fb/versions", server.url))
        .header("content-type", "application/json")
        .body(json!({"schema": RECORD_V1, "schemaType": "AVRO"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let client = server.client();
    assert_eq!(
        client.subjects(None, false).await.unwrap(),
        vec!["a/b".to_string()]
    );
    assert_eq!(client.versions("a/b", false).await.unwrap(), vec![1]);
    server.stop().await;
}

#[tokio::test]
async fn basic_auth_guards_every_endpoint() {
    let options = ServerOptions {
        basic_auth: Some(BasicAuthUsers::new(["ci:pa:ss".to_string()])),
        ..ServerOptions::default()
    };
    let server = TestServer::start(options).await;
    let anonymous = reqwest::get(format!("{}/subjects", server.url))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous.headers().contains_key("www-authenticate"));
    let body: Value = anonymous.json().await.unwrap();
    assert_eq!(body["error_code"], 401);

    let wrong = client(
        &server.url,
        HttpOptions {
            auth: Some(Auth::from_user_info("ci:nope").unwrap()),
            ..HttpOptions::default()
        },
    );
    let err = wrong.subjects(None, false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(!err.to_string().contains("nope"), "{err}");

    let right = client(
        &server.url,
        HttpOptions {
            auth: Some(Auth::from_user_info("ci:pa:ss").unwrap()),
            ..HttpOptions::default()
        },
    );
    let reg = right
        .register("s", &SchemaDefinition::avro(RECORD_V1), false)
        .await
        .unwrap();
    assert_eq!(reg.id, 1);
    server.stop().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let options = ServerOptions {
        max_body_bytes: 1024,
        ..ServerOptions::default()
    };
    let server = TestServer::start(options).await;
    let huge = record_n(200);
    assert!(huge.len() > 1024);
    let err = server
        .client()
        .register("s", &SchemaDefinition::avro(huge), false)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), 413, "{err}");
    // Nothing was stored.
    assert!(server.store.subjects(None, true).await.unwrap().is_empty());
    server.stop().await;
}
