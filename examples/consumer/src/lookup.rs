//! The registry as the consumer asks it: lookups only, never a registration. schemactl's
//! `SchemaIds` tells an id the registry does not have (`IdError::UnknownId`: a poison frame,
//! dead-letter it) from a registry it cannot reach (`IdError::Registry`: stop and read the
//! frame again later).

use schemactl::registry::RegistryError;
use schemactl::runtime::ids::{IdStrategy, SchemaIds};

/// `SchemaIds` for a consumer of the registry at `target` (a URL, as `registry::open` takes it).
pub fn consumer_ids(target: &str) -> Result<SchemaIds, RegistryError> {
    SchemaIds::open(target, IdStrategy::Lookup)
}
