//! TLS: the HTTP client trusts a custom CA bundle and presents a client certificate (mTLS) to a
//! loopback HTTPS server that requires one. Certificates: `tests/fixtures/registry-tls/`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use schemactl::compat::Level;
use schemactl::registry::http::{HttpOptions, HttpRegistry, RetryPolicy};
use schemactl::registry::{ErrorKind, Registry};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/registry-tls")
        .join(name)
}

/// An HTTPS server on 127.0.0.1 that requires a client certificate signed by the test CA and
/// answers every request with a compatibility level.
async fn mtls_server() -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(fixture("ca.pem")).unwrap())
        .unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let certs: Vec<CertificateDer> = CertificateDer::pem_file_iter(fixture("server.pem"))
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    let key = PrivateKeyDer::from_pem_file(fixture("server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://localhost:{}",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(async move {
        for _ in 0..20 {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A failed handshake (no or wrong client certificate) just drops the connection.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"compatibilityLevel":"FULL_TRANSITIVE"}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    url
}

fn options() -> HttpOptions {
    HttpOptions {
        retry: RetryPolicy::none(),
        timeout: Duration::from_secs(10),
        ..HttpOptions::default()
    }
}

#[tokio::test]
async fn custom_ca_and_client_certificate() {
    let url = mtls_server().await;
    let registry = HttpRegistry::new(
        &url,
        HttpOptions {
            ca_bundle: Some(fixture("ca.pem")),
            client_cert: Some(fixture("client.pem")),
            client_key: Some(fixture("client.key")),
            ..options()
        },
    )
    .unwrap();
    assert_eq!(
        registry.config(None, false).await.unwrap(),
        Level::FullTransitive
    );
}

#[tokio::test]
async fn an_unknown_server_ca_is_refused() {
    let url = mtls_server().await;
    let registry = HttpRegistry::new(
        &url,
        HttpOptions {
            client_cert: Some(fixture("client.pem")),
            client_key: Some(fixture("client.key")),
            ..options()
        },
    )
    .unwrap();
    let err = registry.config(None, false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert!(err.to_string().contains(&url), "{err}");
}

#[tokio::test]
async fn a_server_requiring_a_client_certificate_refuses_none() {
    let url = mtls_server().await;
    let registry = HttpRegistry::new(
        &url,
        HttpOptions {
            ca_bundle: Some(fixture("ca.pem")),
            ..options()
        },
    )
    .unwrap();
    assert!(registry.config(None, false).await.is_err());
}

#[test]
fn unreadable_tls_material_is_a_configuration_error() {
    let err = HttpRegistry::new(
        "https://localhost:1",
        HttpOptions {
            ca_bundle: Some(fixture("missing.pem")),
            ..options()
        },
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("missing.pem"), "{err}");
    let err = HttpRegistry::new(
        "https://localhost:1",
        HttpOptions {
            client_key: Some(fixture("client.key")),
            ..options()
        },
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}
