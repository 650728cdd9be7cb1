//! The registry's request handlers, driven in-process (`tower::ServiceExt::oneshot`) over an
//! in-memory store. Input: `METHOD PATH\nBODY`. Every answer must be the registry's JSON: a
//! success or `{"error_code", "message"}` with the registry media type.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use libfuzzer_sys::fuzz_target;
use schemactl::registry::local::LocalRegistry;
use schemactl::registry::server::{router, ServerOptions, CONTENT_TYPE};
use tower::ServiceExt;

struct Harness {
    runtime: tokio::runtime::Runtime,
    router: Router,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let store = Arc::new(LocalRegistry::in_memory().expect("in-memory store"));
        Harness {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
            router: router(store, ServerOptions::default()),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(head) = std::str::from_utf8(head) else {
        return;
    };
    let Some((method, path)) = head.split_once(' ') else {
        return;
    };
    let Ok(request) = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, CONTENT_TYPE)
        .body(Body::from(body.to_vec()))
    else {
        return;
    };
    let h = harness();
    let response = h
        .runtime
        .block_on(h.router.clone().oneshot(request))
        .expect("infallible");
    let status = response.status();
    let media = response.headers().get(header::CONTENT_TYPE).cloned();
    assert_eq!(
        media.as_ref().and_then(|m| m.to_str().ok()),
        Some(CONTENT_TYPE),
        "{method} {path}: {status}"
    );
    if status.is_client_error() || status.is_server_error() {
        let bytes = h
            .runtime
            .block_on(axum::body::to_bytes(response.into_body(), 1 << 20))
            .expect("body");
        let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON error body");
        assert!(value["error_code"].is_u64(), "{method} {path}: {value}");
        assert!(value["message"].is_string(), "{method} {path}: {value}");
    }
});
