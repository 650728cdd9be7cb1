//! "Same schema" for the registry: the text two submissions must share to get the same id.
//!
//! Confluent compares the schema's canonical string, which for Avro is the parsed schema printed
//! back: whitespace and the order of JSON attributes do not matter, everything else (docs,
//! defaults, aliases) does. We get the same equivalence by re-serializing the JSON compactly with
//! object keys sorted, and by folding `{"type": "int"}` into `"int"` as Avro's parser does.
//! Confluent's `normalize` flag adds rewrites (e.g. of Protobuf option order) that this
//! canonical form does not need for Avro; it is accepted and has no further effect here.
//! Protobuf schemas are compared by the Protobuf engine's canonical text (rendered from the
//! compiled descriptor: comments, layout and the spelling of type names do not matter).
//!
//! JSON Schema: Confluent's canonical string for a JSON schema is the document re-serialized
//! compactly as parsed, so layout never matters but the order of object keys does; with
//! `normalize=true` (or the `normalize` config) keys are sorted as well, so two documents that
//! differ only in key order get one id. We always compare the normalized form (compact, keys
//! sorted at every depth; array order, `description`, `title` and every other keyword kept):
//! whitespace and key order never make a new version here, and a lookup without `normalize`
//! finds a version Confluent would only find with it. Array order stays significant (`enum`,
//! `required`, `oneOf` lists are compared as written), as Confluent keeps it.

use serde_json::Value;

use super::types::{SchemaDefinition, SchemaReference};
use crate::schema::{Parsed, Schema};

/// The identity of a schema: type, canonical text and references. Equal keys get one id.
/// `parsed` is the definition parsed (with its references).
pub fn identity_key(definition: &SchemaDefinition, parsed: &Schema) -> String {
    let text = match &parsed.parsed {
        Parsed::Protobuf(proto) => proto.canonical_text(),
        Parsed::Avro(_) => avro_canonical_text(&definition.schema),
        Parsed::Json(_) => json_canonical_text(&definition.schema),
    };
    let mut refs: Vec<&SchemaReference> = definition.references.iter().collect();
    // Reference order is meaningful to the parser only through names, so sort for identity.
    refs.sort();
    let refs: Vec<String> = refs
        .iter()
        .map(|r| format!("{}={}/{}", r.name, r.subject, r.version))
        .collect();
    format!(
        "{}\n{}\n{}",
        definition.schema_type.as_str(),
        refs.join(","),
        text
    )
}

/// The canonical text of an Avro schema: primitives folded to their short form, object keys
/// sorted, layout gone. Two texts with the same canonical text are the same schema to a
/// registry, whichever of them it stored or gives back.
pub fn avro_canonical_text(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            let value = fold_primitives(value);
            let mut out = String::with_capacity(text.len());
            write_sorted(&value, &mut out);
            out
        }
        // Unparsable text never reaches the store; keep the function total anyway.
        Err(_) => text.trim().to_string(),
    }
}

/// The canonical text of a JSON Schema: compact, object keys sorted at every depth. Unlike
/// Avro, nothing is folded: `{"type": "string"}` is a schema and `"string"` is not.
pub fn json_canonical_text(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            let mut out = String::with_capacity(text.len());
            write_sorted(&value, &mut out);
            out
        }
        Err(_) => text.trim().to_string(),
    }
}

fn fold_primitives(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::String(t)) = map.get("type") {
                    if is_primitive(t) {
                        return Value::String(t.clone());
                    }
                }
            }
            Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        // Defaults are data, not schemas: never rewrite inside them.
                        let v = if k == "default" {
                            v
                        } else {
                            fold_primitives(v)
                        };
                        (k, v)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(fold_primitives).collect()),
        other => other,
    }
}

fn is_primitive(name: &str) -> bool {
    matches!(
        name,
        "null" | "boolean" | "int" | "long" | "float" | "double" | "bytes" | "string"
    )
}

/// Compact JSON with object keys sorted, independent of serde_json's map ordering feature.
fn write_sorted(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_sorted(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_sorted(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SchemaType;

    #[test]
    fn layout_and_key_order_do_not_matter() {
        let a = r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}"#;
        let b = "{\n  \"name\": \"A\",\n  \"fields\": [ {\"type\": \"int\", \"name\": \"x\"} ],\n  \"type\": \"record\"\n}";
        assert_eq!(avro_canonical_text(a), avro_canonical_text(b));
    }

    #[test]
    fn defaults_and_docs_matter() {
        let a = r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int","default":1}]}"#;
        let b = r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int","default":2}]}"#;
        assert_ne!(avro_canonical_text(a), avro_canonical_text(b));
    }

    #[test]
    fn primitive_objects_fold_but_defaults_do_not() {
        let a = r#"{"type":"record","name":"A","fields":[{"name":"x","type":{"type":"int"}}]}"#;
        let b = r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}"#;
        assert_eq!(avro_canonical_text(a), avro_canonical_text(b));
        let c = r#"{"type":"record","name":"A","fields":[{"name":"x","type":"string","default":{"type":"int"}}]}"#;
        assert!(avro_canonical_text(c).contains(r#""default":{"type":"int"}"#));
    }

    #[test]
    fn references_are_part_of_identity() {
        let plain = SchemaDefinition::avro(r#""int""#);
        let with_ref = plain.clone().with_references(vec![SchemaReference {
            name: "B".into(),
            subject: "b".into(),
            version: 1,
        }]);
        let parsed = Schema::parse_avro("t", &plain.schema).unwrap();
        assert_ne!(
            identity_key(&plain, &parsed),
            identity_key(&with_ref, &parsed)
        );
    }

    #[test]
    fn protobuf_layout_does_not_matter() {
        let a = "syntax = \"proto3\";\n\nmessage A { int32 x = 1; } // note\n";
        let b = "syntax =   \"proto3\";\nmessage A { int32 x = 1; }";
        let key = |text: &str| {
            let def = SchemaDefinition::new(SchemaType::Protobuf, text);
            identity_key(&def, &Schema::parse_protobuf("a.proto", text, &[]).unwrap())
        };
        assert_eq!(key(a), key(b));
    }

    #[test]
    fn json_schema_layout_and_key_order_do_not_matter_but_arrays_and_words_do() {
        let key = |text: &str| {
            let def = SchemaDefinition::new(SchemaType::Json, text);
            identity_key(&def, &Schema::parse_json("a.json", text, &[]).unwrap())
        };
        let a = r#"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"#;
        let b = "{\n  \"required\": [\"a\"],\n  \"properties\": { \"a\": {\"type\": \"string\"} },\n  \"type\": \"object\"\n}";
        assert_eq!(key(a), key(b));
        let reordered = r#"{"type":"object","enum":[2,1]}"#;
        assert_ne!(key(r#"{"type":"object","enum":[1,2]}"#), key(reordered));
        let described = r#"{"type":"object","properties":{"a":{"type":"string","description":"x"}},"required":["a"]}"#;
        assert_ne!(key(a), key(described));
        // Not folded as Avro primitives are: a JSON Schema `{"type": "string"}` stays an object.
        assert!(key(r#"{"type":"string"}"#).ends_with(r#"{"type":"string"}"#));
    }
}
