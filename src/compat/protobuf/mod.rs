//! Protobuf compatibility.
//!
//! The `confluent` rule set re-implements Confluent Schema Registry's Protobuf difference rules
//! (see [`confluent`]); `wire` and `wire-json` add stricter rules in the spirit of buf's WIRE and
//! WIRE_JSON categories (see [`wire`]). [`rules`] is the table of every rule.

mod confluent;
pub mod rules;
mod wire;

use super::{Direction, Finding, Options, RuleSet};
use crate::schema::protobuf::ProtoSchema;

/// Compares two Protobuf schemas in one direction.
///
/// Confluent's rules compare (original = old, update = new) for BACKWARD and the reverse for
/// FORWARD. The stricter rules judge the evolution from old to new whatever the direction,
/// because what they protect (reservations, names) does not depend on who reads.
pub fn check_direction(
    new: &ProtoSchema,
    old: &ProtoSchema,
    direction: Direction,
    options: &Options,
) -> Vec<Finding> {
    let (original, update, roles) = match direction {
        Direction::Backward => (
            old,
            new,
            confluent::Roles {
                update: "new",
                original: "old",
            },
        ),
        Direction::Forward => (
            new,
            old,
            confluent::Roles {
                update: "old",
                original: "new",
            },
        ),
    };
    let mut findings = confluent::Walk::new(original.model(), update.model(), roles, options).run();
    // `lenient` is a JSON Schema policy: Protobuf is then judged by Confluent's rules alone.
    if matches!(options.rules, RuleSet::Wire | RuleSet::WireJson) {
        findings.extend(wire::check(old.model(), new.model(), options.rules));
    }
    findings
}
