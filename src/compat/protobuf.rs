//! Protobuf compatibility, with Confluent's difference rules. Placeholder until issue 3 lands.

use super::{Direction, Finding, Options};
use crate::schema::protobuf::ProtoSchema;

/// Compares two Protobuf schemas in one direction.
pub fn check_direction(
    _new: &ProtoSchema,
    _old: &ProtoSchema,
    _direction: Direction,
    _options: &Options,
) -> Vec<Finding> {
    Vec::new()
}
