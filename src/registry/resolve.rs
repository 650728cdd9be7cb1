//! Turning registry text into a parsed [`Schema`], with its references resolved first.

use super::types::SchemaDefinition;
use super::RegistryError;
use crate::schema::{Schema, SchemaType};

/// Parses `definition`; `dependencies` are its references, transitively, dependencies first,
/// each as `(reference name, definition)`. `source` names the schema in error messages.
pub(crate) fn parse_definition(
    source: &str,
    definition: &SchemaDefinition,
    dependencies: &[(String, SchemaDefinition)],
) -> Result<Schema, RegistryError> {
    if dependencies
        .iter()
        .any(|(_, d)| d.schema_type != definition.schema_type)
    {
        return Err(RegistryError::invalid_schema(format!(
            "{source}: references must have the same schema type ({})",
            definition.schema_type
        )));
    }
    match definition.schema_type {
        SchemaType::Avro => {
            let refs: Vec<(&str, &str)> = dependencies
                .iter()
                .map(|(name, d)| (name.as_str(), d.schema.as_str()))
                .collect();
            Schema::parse_avro_with_references(source, &definition.schema, &refs)
                .map_err(RegistryError::invalid_schema)
        }
        SchemaType::Protobuf => parse_protobuf(source, definition, dependencies),
    }
}

/// Protobuf: each dependency is given to the parser under its import name.
fn parse_protobuf(
    source: &str,
    definition: &SchemaDefinition,
    dependencies: &[(String, SchemaDefinition)],
) -> Result<Schema, RegistryError> {
    let deps: Vec<(&str, &str)> = dependencies
        .iter()
        .map(|(name, d)| (name.as_str(), d.schema.as_str()))
        .collect();
    Schema::parse_protobuf(source, &definition.schema, &deps).map_err(RegistryError::invalid_schema)
}
