//! Turning registry text into a parsed [`Schema`], with its references resolved first.

use std::borrow::Cow;

use super::types::SchemaDefinition;
use super::RegistryError;
use crate::schema::{Schema, SchemaType};

/// The definition as the store keeps it. Confluent accepts a Protobuf schema as a base64
/// `FileDescriptorProto` (what confluent-kafka's serializers send) and stores it as `.proto`
/// text; anything that is not such a descriptor is returned as is.
pub(crate) fn prepare(definition: &SchemaDefinition) -> Cow<'_, SchemaDefinition> {
    use base64::Engine;
    use prost::Message;
    let text = definition.schema.trim();
    // `.proto` text always has spaces or `;`; base64 never does.
    if definition.schema_type != SchemaType::Protobuf
        || text.is_empty()
        || text.contains(|c: char| c.is_whitespace() || c == ';')
    {
        return Cow::Borrowed(definition);
    }
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(text) else {
        return Cow::Borrowed(definition);
    };
    match prost_types::FileDescriptorProto::decode(bytes.as_slice()) {
        Ok(file) if !file.message_type.is_empty() || !file.enum_type.is_empty() => {
            let mut prepared = definition.clone();
            prepared.schema = crate::schema::protobuf::descriptor_text(&file);
            Cow::Owned(prepared)
        }
        _ => Cow::Borrowed(definition),
    }
}

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
        // JSON Schema: a `$ref` names a reference by its name, as Protobuf imports do.
        SchemaType::Protobuf | SchemaType::Json => parse_by_name(source, definition, dependencies),
    }
}

/// Protobuf and JSON Schema: each dependency is given to the parser under its reference name
/// (a Protobuf import name, a JSON Schema `$ref` URI).
fn parse_by_name(
    source: &str,
    definition: &SchemaDefinition,
    dependencies: &[(String, SchemaDefinition)],
) -> Result<Schema, RegistryError> {
    let deps: Vec<(&str, &str)> = dependencies
        .iter()
        .map(|(name, d)| (name.as_str(), d.schema.as_str()))
        .collect();
    match definition.schema_type {
        SchemaType::Json => Schema::parse_json(source, &definition.schema, &deps),
        _ => Schema::parse_protobuf(source, &definition.schema, &deps),
    }
    .map_err(RegistryError::invalid_schema)
}
