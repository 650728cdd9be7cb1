//! The registry as the consumer asks it, telling an id the registry does not have (a poison
//! frame: dead-letter it) from a registry it cannot reach (stop and read the frame again later).
//!
//! schemactl's own `SchemaLookup` for a `Registry` reports both as `IdError::Registry`; this
//! wrapper keeps its other calls and reports a missing id as `IdError::NotRegistered`.

use std::sync::Arc;

use schemactl::registry::references::dependencies_of;
use schemactl::registry::{ErrorKind, Registry, RegistryError};
use schemactl::runtime::ids::{
    BoxFuture, IdError, IdStrategy, RegisteredSchema, SchemaIds, SchemaLookup, SchemaText,
};

/// `SchemaIds` for a consumer of the registry at `target` (a URL, as `registry::open` takes it):
/// lookups only, never a registration.
pub fn consumer_ids(target: &str) -> Result<SchemaIds, RegistryError> {
    Ok(SchemaIds::new(
        ConsumerLookup(schemactl::registry::open(target)?),
        IdStrategy::Lookup,
    ))
}

/// A registry whose unknown schema ids are `IdError::NotRegistered("schema id N")`.
pub struct ConsumerLookup(pub Arc<dyn Registry>);

fn registry_error(e: RegistryError) -> IdError {
    IdError::Registry(e.to_string())
}

impl SchemaLookup for ConsumerLookup {
    fn register<'a>(
        &'a self,
        subject: &'a str,
        schema: SchemaText<'a>,
    ) -> BoxFuture<'a, Result<u32, IdError>> {
        SchemaLookup::register(&self.0, subject, schema)
    }

    fn lookup<'a>(
        &'a self,
        subject: &'a str,
        schema: SchemaText<'a>,
    ) -> BoxFuture<'a, Result<u32, IdError>> {
        SchemaLookup::lookup(&self.0, subject, schema)
    }

    fn latest<'a>(&'a self, subject: &'a str) -> BoxFuture<'a, Result<u32, IdError>> {
        SchemaLookup::latest(&self.0, subject)
    }

    fn schema_by_id(&self, id: u32) -> BoxFuture<'_, Result<RegisteredSchema, IdError>> {
        Box::pin(async move {
            let definition = match Registry::schema_by_id(self.0.as_ref(), id).await {
                Err(e) if e.kind() == ErrorKind::SchemaNotFound => {
                    return Err(IdError::NotRegistered(format!("schema id {id}")))
                }
                other => other.map_err(registry_error)?,
            };
            let mut dependencies = Vec::new();
            dependencies_of(
                self.0.as_ref(),
                &definition.references,
                &mut dependencies,
                &mut Default::default(),
            )
            .await
            .map_err(registry_error)?;
            Ok(RegisteredSchema {
                schema: definition.schema,
                dependencies: dependencies
                    .into_iter()
                    .map(|(name, d)| (name, d.schema))
                    .collect(),
            })
        })
    }
}
