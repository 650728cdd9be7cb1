//! Pinning schema ids at build time from a registry: each generated type's schema is looked up
//! under its subject (`POST /subjects/{subject}`), as Confluent's serializers do with
//! `auto.register.schemas=false`. Nothing is registered: a build must not change a registry.

use std::collections::HashMap;
use std::sync::Arc;

use super::{CodegenError, PinRequest};
use crate::registry::{self, Registry};
use crate::runtime::ids::{IdError, SchemaLookup, SchemaText};

/// The ids of `requests` in the registry at `target` (a URL, with credentials and TLS from the
/// `SCHEMA_REGISTRY_*` environment variables, or the path of an embedded store), by subject.
/// A required schema that is not registered fails with its file and subject; an optional one
/// is left out.
pub fn lookup_ids(
    target: &str,
    requests: &[PinRequest],
) -> Result<HashMap<String, u32>, CodegenError> {
    let shown = registry::http::redacted_target(target);
    let failed = |message: String| CodegenError::Pin {
        registry: shown.clone(),
        message,
    };
    // A build must not change a registry, not even by creating an empty store.
    let is_url = target.starts_with("http://") || target.starts_with("https://");
    if !is_url && !std::path::Path::new(target).exists() {
        return Err(failed(
            "no embedded store there; register the schemas first (`schemactl register`)"
                .to_string(),
        ));
    }
    let registry = registry::open(target).map_err(|e| failed(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(format!("cannot start an async runtime: {e}")))?;
    runtime.block_on(lookup_all(registry, requests, &shown))
}

async fn lookup_all(
    registry: Arc<dyn Registry>,
    requests: &[PinRequest],
    shown: &str,
) -> Result<HashMap<String, u32>, CodegenError> {
    let mut ids = HashMap::new();
    for request in requests {
        if ids.contains_key(&request.subject) {
            continue;
        }
        let references: Vec<(&str, &str)> = request
            .references
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str()))
            .collect();
        let schema = SchemaText {
            schema_type: request.schema_type,
            schema: &request.schema,
            references: &references,
        };
        match registry.lookup(&request.subject, schema).await {
            Ok(id) => {
                ids.insert(request.subject.clone(), id);
            }
            Err(IdError::NotRegistered(_)) if !request.required => {}
            Err(e) => {
                let hint = match e {
                    IdError::NotRegistered(_) => " (register it first: `schemactl register`)",
                    IdError::Registry(_) | IdError::UnknownId(_) => "",
                };
                return Err(CodegenError::Pin {
                    registry: shown.to_string(),
                    message: format!("{}: subject {}: {e}{hint}", request.source, request.subject),
                });
            }
        }
    }
    Ok(ids)
}
