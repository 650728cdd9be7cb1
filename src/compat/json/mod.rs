//! JSON Schema compatibility as Confluent Schema Registry decides it: a structural diff of the
//! original and the updated schema whose differences carry Confluent's difference type names
//! (see [`rules`]), each breaking or not under the strict (default) or the lenient policy.
//!
//! BACKWARD compares `(original = old, update = new)`; FORWARD the reverse, as Confluent does.

mod diff;
pub mod rules;

use crate::compat::{Direction, Finding};
use crate::schema::json::JsonSchema;

/// Confluent's two JSON Schema compatibility policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum JsonPolicy {
    /// Every difference that can reject old data breaks (Confluent's default).
    #[default]
    Strict,
    /// Trusts producers to write only declared properties: property additions to open models,
    /// uncovered property changes in partially open models and closing `additionalProperties`
    /// are accepted.
    Lenient,
}

/// Findings for `new` against `old` in one direction (Backward: old = original, new = update;
/// Forward: reversed). Compatible differences are listed too, with `breaking: false`.
pub fn check_direction(
    new: &JsonSchema,
    old: &JsonSchema,
    direction: Direction,
    policy: JsonPolicy,
) -> Vec<Finding> {
    let (original, update, roles) = match direction {
        Direction::Backward => (old, new, ("new", "old")),
        Direction::Forward => (new, old, ("old", "new")),
    };
    let found = diff::Walker::new(&[original, update], policy).diff(original.root(), update.root());
    found
        .into_iter()
        .map(|f| {
            let path = if f.path.is_empty() {
                "#/".to_string()
            } else {
                format!("#{}", f.path)
            };
            let old_value = match direction {
                Direction::Backward => &f.was,
                Direction::Forward => &f.now,
            };
            let (message, hint) = f.rule.describe(&rules::Occurrence {
                path: &path,
                update: roles.0,
                original: roles.1,
                keyword: f.keyword,
                name: &f.name,
                was: &f.was,
                now: &f.now,
                old: old_value,
            });
            Finding {
                kind: f.rule.id,
                path,
                message,
                hint,
                breaking: f.rule.breaks(policy),
                import: None,
            }
        })
        .collect()
}
