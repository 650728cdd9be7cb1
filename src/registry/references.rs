//! Resolving Confluent schema references: the registered definitions a schema depends on.

use std::collections::HashMap;

use super::{Registry, RegistryError, SchemaDefinition, SchemaReference, VersionSpec};

/// Definitions already fetched, by `(subject, version)`: each with its own dependencies first.
pub type ReferenceCache = HashMap<(String, u32), Vec<(String, SchemaDefinition)>>;

/// References nest at most this deep; deeper means a cycle in the registry's data.
const MAX_DEPTH: usize = 64;

/// Appends the definitions behind `references` (and theirs), transitively, dependencies first,
/// each under the name its referrer uses. A definition reached twice is appended once.
pub async fn dependencies_of<R: Registry + ?Sized>(
    registry: &R,
    references: &[SchemaReference],
    out: &mut Vec<(String, SchemaDefinition)>,
    cache: &mut ReferenceCache,
) -> Result<(), RegistryError> {
    collect(registry, references, out, cache, 0).await
}

async fn collect<R: Registry + ?Sized>(
    registry: &R,
    references: &[SchemaReference],
    out: &mut Vec<(String, SchemaDefinition)>,
    cache: &mut ReferenceCache,
    depth: usize,
) -> Result<(), RegistryError> {
    if depth > MAX_DEPTH {
        return Err(RegistryError::invalid_schema(format!(
            "schema references nest deeper than {MAX_DEPTH} levels (a cycle?)"
        )));
    }
    for r in references {
        let key = (r.subject.clone(), r.version);
        let resolved = match cache.get(&key) {
            Some(found) => found.clone(),
            None => {
                let record = registry
                    .version(&r.subject, VersionSpec::Number(r.version), false)
                    .await?;
                let mut inner = Vec::new();
                Box::pin(collect(
                    registry,
                    &record.references,
                    &mut inner,
                    cache,
                    depth + 1,
                ))
                .await?;
                inner.push((r.name.clone(), record.definition()));
                cache.insert(key, inner.clone());
                inner
            }
        };
        for (name, def) in resolved {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, def));
            }
        }
    }
    Ok(())
}
