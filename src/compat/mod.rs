//! The compatibility engine: compares a new schema with registered versions under a level.
//!
//! Levels and directions follow Confluent Schema Registry. BACKWARD means the new schema can read
//! what the old one wrote; FORWARD means the old schema can read what the new one writes; FULL is
//! both. Non-transitive levels compare with the latest version only.

pub mod avro;
pub mod json;
pub mod protobuf;

use std::str::FromStr;

use serde::Serialize;

use crate::schema::{Parsed, Schema};

/// Defined beside the registry client, which needs them without the engine.
pub use crate::vocabulary::{Direction, Level};

/// Which rules judge Protobuf and JSON Schema changes (Avro always follows the Avro
/// specification, whatever the set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleSet {
    /// Confluent Schema Registry's verdicts (for JSON Schema its strict policy).
    #[default]
    Confluent,
    /// Confluent's rules plus wire-level hazards Confluent lets through (in the spirit of buf's WIRE).
    /// Protobuf only: JSON Schema is judged as under `confluent`.
    Wire,
    /// `wire` plus what breaks the Protobuf JSON mapping (in the spirit of buf's WIRE_JSON).
    /// Protobuf only, like `wire`.
    WireJson,
    /// Confluent's lenient JSON Schema policy. JSON Schema only: Protobuf is judged as under
    /// `confluent`, so one set can serve a project that mixes formats.
    Lenient,
    /// Confluent's strict JSON Schema policy, named explicitly: where `confluent` (also strict)
    /// gives way to a `compatibilityPolicy` the registry reports, `strict` does not. Protobuf is
    /// judged as under `confluent`.
    Strict,
}

impl RuleSet {
    /// The JSON Schema policy this set selects: lenient for `lenient`, strict otherwise.
    pub fn json_policy(self) -> json::JsonPolicy {
        match self {
            RuleSet::Lenient => json::JsonPolicy::Lenient,
            RuleSet::Confluent | RuleSet::Wire | RuleSet::WireJson | RuleSet::Strict => {
                json::JsonPolicy::Strict
            }
        }
    }
}

impl FromStr for RuleSet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "confluent" => Ok(RuleSet::Confluent),
            "wire" => Ok(RuleSet::Wire),
            "wire-json" => Ok(RuleSet::WireJson),
            "lenient" => Ok(RuleSet::Lenient),
            "strict" => Ok(RuleSet::Strict),
            _ => Err(format!(
                "unknown rule set '{s}' (expected confluent, wire, wire-json, lenient or strict)"
            )),
        }
    }
}

/// Options of a check.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub rules: RuleSet,
    /// Also report compatible changes (Protobuf's MESSAGE_ADDED, FIELD_ADDED …).
    pub verbose: bool,
}

/// One difference found between two schemas, before it is tied to a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's stable identifier, in Confluent's spelling (`READER_FIELD_MISSING_DEFAULT_VALUE`).
    pub kind: &'static str,
    /// Where in the schema: a JSON pointer for Avro (`/fields/2/type`), `#/Msg/tag` for Protobuf.
    pub path: String,
    /// What broke, in Confluent's wording.
    pub message: String,
    /// What to change to fix it.
    pub hint: String,
    /// False for compatible changes that are only listed in verbose mode.
    pub breaking: bool,
    /// The import (by its import name) that `path` points into, when the problem sits in a type
    /// of an imported Protobuf file rather than in the schema's own file.
    pub import: Option<String>,
}

/// A finding tied to the version it was found against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incompatibility {
    pub kind: &'static str,
    pub path: String,
    /// The version this breaks against (for the CLI, the 1-based position of its `--against`).
    pub version: u32,
    pub direction: Direction,
    pub message: String,
    pub hint: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub compatible_change: bool,
    /// See [`Finding::import`]; renderers turn it into the imported file's path.
    #[serde(skip)]
    pub import: Option<String>,
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub compatible: bool,
    pub level: Level,
    pub messages: Vec<Incompatibility>,
}

/// Why a check could not be made at all.
#[derive(Debug, thiserror::Error)]
pub enum CompatError {
    #[error("cannot compare {new_source} ({new_type}) with {old_source} ({old_type}): schema types differ")]
    TypeMismatch {
        new_source: String,
        new_type: &'static str,
        old_source: String,
        old_type: &'static str,
    },
}

/// The versions a level compares with: none, the latest, or all.
fn targets<'a, 's>(level: Level, previous: &'a [(u32, &'s Schema)]) -> &'a [(u32, &'s Schema)] {
    match (level, previous) {
        (Level::None, _) | (_, []) => &[],
        (l, all) if l.is_transitive() => all,
        (_, all) => &all[all.len() - 1..],
    }
}

/// Checks `new` against `previous` (oldest first, each with its version number) under `level`.
///
/// Every version a transitive level reaches is compared, and every version that breaks is
/// reported, not only the first.
pub fn check(
    new: &Schema,
    previous: &[(u32, &Schema)],
    level: Level,
    options: &Options,
) -> Result<Report, CompatError> {
    let targets = targets(level, previous);
    let mut messages = Vec::new();
    for &(version, old) in targets {
        for &direction in level.directions() {
            for finding in check_pair(new, old, direction, options)? {
                messages.push(Incompatibility {
                    kind: finding.kind,
                    path: finding.path,
                    version,
                    direction,
                    message: finding.message,
                    hint: finding.hint,
                    compatible_change: !finding.breaking,
                    import: finding.import,
                });
            }
        }
    }
    Ok(Report {
        compatible: messages.iter().all(|m| m.compatible_change),
        level,
        messages,
    })
}

/// The verdict of [`check`] alone: for Avro it builds no findings and stops at the first problem,
/// which is what a registry needs to accept or refuse a registration.
pub fn is_compatible(
    new: &Schema,
    previous: &[(u32, &Schema)],
    level: Level,
    options: &Options,
) -> Result<bool, CompatError> {
    let targets = targets(level, previous);
    for &(_, old) in targets {
        for &direction in level.directions() {
            let ok = match (&new.parsed, &old.parsed, direction) {
                (Parsed::Avro(n), Parsed::Avro(o), Direction::Backward) => avro::can_read(n, o),
                (Parsed::Avro(n), Parsed::Avro(o), Direction::Forward) => avro::can_read(o, n),
                _ => check_pair(new, old, direction, options)?
                    .iter()
                    .all(|f| !f.breaking),
            };
            if !ok {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Compares two schemas in one direction.
pub fn check_pair(
    new: &Schema,
    old: &Schema,
    direction: Direction,
    options: &Options,
) -> Result<Vec<Finding>, CompatError> {
    match (&new.parsed, &old.parsed) {
        (Parsed::Avro(n), Parsed::Avro(o)) => Ok(avro::check_direction(n, o, direction)),
        (Parsed::Protobuf(n), Parsed::Protobuf(o)) => {
            Ok(protobuf::check_direction(n, o, direction, options))
        }
        (Parsed::Json(n), Parsed::Json(o)) => {
            let mut findings = json::check_direction(n, o, direction, options.rules.json_policy());
            // Compatible differences (DESCRIPTION_CHANGED, MAX_LENGTH_INCREASED …) are listed with
            // `--verbose` only, as for Protobuf.
            if !options.verbose {
                findings.retain(|f| f.breaking);
            }
            Ok(findings)
        }
        _ => Err(CompatError::TypeMismatch {
            new_source: new.source.clone(),
            new_type: new.schema_type().as_str(),
            old_source: old.source.clone(),
            old_type: old.schema_type().as_str(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_case_insensitively() {
        assert_eq!("full_transitive".parse(), Ok(Level::FullTransitive));
        assert_eq!("Backward".parse(), Ok(Level::Backward));
        assert!("sideways".parse::<Level>().is_err());
    }

    #[test]
    fn levels_name_their_directions() {
        assert!(Level::None.directions().is_empty());
        assert_eq!(Level::Full.directions().len(), 2);
        assert!(Level::ForwardTransitive.is_transitive());
        assert!(!Level::Forward.is_transitive());
    }
}
