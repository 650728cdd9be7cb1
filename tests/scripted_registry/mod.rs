//! A scripted registry for CLI tests: an HTTP/1.1 responder on 127.0.0.1:0 that answers by route
//! (`"GET /subjects/s/versions"`, query ignored) from a table, so a test can make a registry that
//! disagrees with schemactl's verdicts, lacks an endpoint, or refuses credentials. Unlisted routes
//! answer Confluent's 404 / 40401. Every request is recorded, body included.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One canned answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Reply {
    /// A JSON answer with the registry media type.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "application/vnd.schemaregistry.v1+json",
            body: body.into(),
        }
    }

    /// A plain-text answer, as a proxy or a registry without the route gives.
    pub fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            content_type: "text/plain",
            body: body.to_string(),
        }
    }
}

/// A subject's `GET /config/{subject}` answer: BACKWARD.
pub const BACKWARD: &str = r#"{"compatibilityLevel":"BACKWARD"}"#;

/// The routes of a registry holding `schema` (of `schema_type`, Avro when `None`) as version 1,
/// id 1, of `subject`, and nothing else under it: `config` answers `GET /config/{subject}`, and
/// a lookup of any other schema under the subject finds nothing (40403).
pub fn one_version(
    subject: &str,
    config: &str,
    schema: &str,
    schema_type: Option<&str>,
) -> Vec<(String, Reply)> {
    let mut record = serde_json::json!({
        "subject": subject, "version": 1, "id": 1, "schema": schema,
    });
    if let Some(schema_type) = schema_type {
        record["schemaType"] = schema_type.into();
    }
    vec![
        (format!("GET /config/{subject}"), Reply::json(200, config)),
        (
            format!("GET /subjects/{subject}/versions"),
            Reply::json(200, "[1]"),
        ),
        (
            format!("GET /subjects/{subject}/versions/1"),
            Reply::json(200, record.to_string()),
        ),
        (
            format!("POST /subjects/{subject}"),
            Reply::json(404, r#"{"error_code":40403,"message":"Schema not found"}"#),
        ),
    ]
}

pub struct ScriptedRegistry {
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl ScriptedRegistry {
    /// Serves `routes` (keyed `"METHOD /path"`) until the test process ends.
    pub fn start<K: Into<String>>(routes: Vec<(K, Reply)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<HashMap<String, Reply>> =
            Arc::new(routes.into_iter().map(|(k, v)| (k.into(), v)).collect());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (routes, seen) = (routes.clone(), seen.clone());
                std::thread::spawn(move || serve(stream, &routes, &seen));
            }
        });
        Self { url, requests }
    }

    /// Every request so far: `"METHOD /path?query\n<body>"`.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// The bodies of the requests whose line starts with `prefix` (e.g. `"POST /compatibility"`).
    pub fn bodies(&self, prefix: &str) -> Vec<String> {
        self.requests()
            .iter()
            .filter(|r| r.starts_with(prefix))
            .map(|r| r.split_once('\n').map_or("", |(_, b)| b).to_string())
            .collect()
    }
}

fn serve(mut stream: TcpStream, routes: &HashMap<String, Reply>, seen: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk) {
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
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = String::from_utf8_lossy(&buf[head_end..head_end + length]).to_string();
        buf.drain(..head_end + length);
        let mut words = head.split_whitespace();
        let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        seen.lock()
            .unwrap()
            .push(format!("{method} {target}\n{body}"));
        let path = target.split('?').next().unwrap_or("");
        let reply = routes
            .get(&format!("{method} {path}"))
            .cloned()
            .unwrap_or_else(|| {
                Reply::json(
                    404,
                    r#"{"error_code":40401,"message":"Subject not found."}"#,
                )
            });
        let response = format!(
            "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n{}",
            reply.status,
            reply.content_type,
            reply.body.len(),
            reply.body
        );
        if stream.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}
