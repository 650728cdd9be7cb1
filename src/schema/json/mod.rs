// PLACEHOLDER: replaced by the json-engine branch at merge
//! JSON Schema documents: parsing, `$ref` resolution and locating paths in the text.
//!
//! This placeholder only checks that the text is JSON and a schema's shape (an object or a
//! boolean), so that the layers that carry schemas (registry, project, CLI) build and can be
//! tested before the real parser lands.

use serde_json::Value;

use crate::schema::locate::{line_col, pointer_position};
use crate::schema::{LoadError, SourceLocation};

/// A parsed JSON Schema.
#[derive(Debug, Clone)]
pub struct JsonSchema {
    root: Value,
}

impl JsonSchema {
    /// The root document as written (parsed JSON).
    pub fn root(&self) -> &Value {
        &self.root
    }
}

/// Parses JSON Schema text; `references` are Confluent schema references as `(name, text)`
/// pairs (a `$ref` whose URI is a reference's `name` resolves to that document). `source` names
/// the text in errors.
pub fn parse_with_references(
    source: &str,
    text: &str,
    references: &[(&str, &str)],
) -> Result<JsonSchema, LoadError> {
    for (name, reference) in references {
        parse_document(name, reference)?;
    }
    let root = parse_document(source, text)?;
    Ok(JsonSchema { root })
}

fn parse_document(source: &str, text: &str) -> Result<Value, LoadError> {
    let root: Value = serde_json::from_str(text).map_err(|e| LoadError::Invalid {
        location: SourceLocation::at(source, e.line().max(1), e.column().max(1)),
        message: format!("invalid JSON: {e}"),
    })?;
    if !(root.is_object() || root.is_boolean()) {
        let start = text.len() - text.trim_start().len();
        let (line, column) = line_col(text, start);
        return Err(LoadError::Invalid {
            location: SourceLocation::at(source, line, column),
            message: "a JSON Schema is an object or a boolean".to_string(),
        });
    }
    Ok(root)
}

/// Line and column (1-based) of the element a Confluent-style path (`#/properties/foo/type`)
/// names in `text`.
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let pointer = path.strip_prefix('#').unwrap_or(path);
    pointer_position(text, if pointer.is_empty() { "/" } else { pointer })
}
