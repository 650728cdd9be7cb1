// PLACEHOLDER: replaced by the json-engine branch at merge
//! JSON Schema compatibility, as Confluent Schema Registry decides it.
//!
//! This placeholder reports only a change of the root `type` (TYPE_CHANGED), so that the
//! workflow above it has one real break to test with.

use crate::compat::{Direction, Finding};
use crate::schema::json::JsonSchema;

/// Which of Confluent's two JSON Schema compatibility policies judges a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum JsonPolicy {
    #[default]
    Strict,
    Lenient,
}

/// Findings for `new` against `old` in one direction (Backward: old = original, new = update;
/// Forward: reversed).
pub fn check_direction(
    new: &JsonSchema,
    old: &JsonSchema,
    direction: Direction,
    _policy: JsonPolicy,
) -> Vec<Finding> {
    let (original, update) = match direction {
        Direction::Backward => (old, new),
        Direction::Forward => (new, old),
    };
    let original_type = original.root().get("type");
    let update_type = update.root().get("type");
    if original_type == update_type {
        return Vec::new();
    }
    vec![Finding {
        kind: "TYPE_CHANGED",
        path: "#/type".to_string(),
        message: format!(
            "type changed from {} to {}",
            original_type.map_or("any".to_string(), |t| t.to_string()),
            update_type.map_or("any".to_string(), |t| t.to_string())
        ),
        hint: "keep the type, or register the change under a new subject".to_string(),
        breaking: true,
        import: None,
    }]
}
