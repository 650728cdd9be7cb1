//! The Protobuf rule table. Every rule has a stable identifier, the rule sets it belongs to,
//! whether it breaks compatibility, and what it protects. Confluent's rules carry Confluent's
//! difference type names and message wording; the stricter rules carry buf's rule identifiers
//! (their meaning follows buf's documented WIRE and WIRE_JSON categories).

use crate::compat::RuleSet;

const ALL_SETS: &[RuleSet] = &[RuleSet::Confluent, RuleSet::Wire, RuleSet::WireJson];
const WIRE_SETS: &[RuleSet] = &[RuleSet::Wire, RuleSet::WireJson];
const WIRE_ONLY: &[RuleSet] = &[RuleSet::Wire];
const WIRE_JSON_ONLY: &[RuleSet] = &[RuleSet::WireJson];

/// One rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier: Confluent's difference type, or buf's rule id for the stricter sets.
    pub id: &'static str,
    /// The rule sets that apply the rule.
    pub sets: &'static [RuleSet],
    /// False for changes Confluent accepts (listed only with `--verbose`).
    pub breaking: bool,
    /// What the rule protects, in one line.
    pub purpose: &'static str,
    /// The message, with `{path}`, `{new}` (the updated schema's role) and `{old}` (the original's).
    message: &'static str,
    /// How to fix or avoid the change, by editing the new schema, when the new schema is the
    /// update (BACKWARD, and the stricter sets); may use `{detail}`, `{tag}`, `{was}` and `{now}`.
    hint: &'static str,
    /// The same when the old schema is the update (FORWARD: Confluent compares the other way
    /// round, so e.g. `MESSAGE_REMOVED` means the new schema added a message). Empty: `hint`.
    forward_hint: &'static str,
}

impl Rule {
    pub fn applies(&self, rules: RuleSet) -> bool {
        self.sets.contains(&rules)
    }

    /// The message and hint for one occurrence.
    pub fn describe(&self, at: &Occurrence<'_>) -> (String, String) {
        let hint = if at.update == "new" || self.forward_hint.is_empty() {
            self.hint
        } else {
            self.forward_hint
        };
        (fill(self.message, at), fill(hint, at))
    }
}

/// What a message is filled with.
#[derive(Debug, Clone, Copy)]
pub struct Occurrence<'a> {
    pub path: &'a str,
    /// The role of the updated schema in this comparison: "new" for BACKWARD, "old" for FORWARD.
    pub update: &'a str,
    pub original: &'a str,
    pub tag: &'a str,
    pub detail: &'a str,
    /// What the old schema has at this place (a type, a label, a package), whichever the
    /// direction: hints say to keep it.
    pub was: &'a str,
    /// What the new schema has there.
    pub now: &'a str,
}

fn fill(template: &str, at: &Occurrence<'_>) -> String {
    template
        .replace("{path}", at.path)
        .replace("{new}", at.update)
        .replace("{old}", at.original)
        .replace("{tag}", at.tag)
        .replace("{detail}", at.detail)
        .replace("{was}", at.was)
        .replace("{now}", at.now)
}

macro_rules! rule {
    ($name:ident, $sets:expr, $breaking:expr, $purpose:expr, $message:expr, $hint:expr) => {
        rule!($name, $sets, $breaking, $purpose, $message, $hint, "");
    };
    ($name:ident, $sets:expr, $breaking:expr, $purpose:expr, $message:expr, $hint:expr, $forward:expr) => {
        pub const $name: Rule = Rule {
            id: stringify!($name),
            sets: $sets,
            breaking: $breaking,
            purpose: $purpose,
            message: $message,
            hint: $hint,
            forward_hint: $forward,
        };
    };
}

// ---- Confluent: incompatible ----

rule!(
    PACKAGE_CHANGED,
    ALL_SETS,
    true,
    "type names include the package; a reader looks types up by full name",
    "The package at '{path}' in the {new} schema does not match the package in the {old} schema",
    "the package changed from '{was}' to '{now}': keep the package '{was}' in the new schema, and publish the new package under a new subject"
);
rule!(
    MESSAGE_REMOVED,
    ALL_SETS,
    true,
    "a message type that data may still be written or read with must stay defined",
    "The {new} schema is missing a MESSAGE type at path '{path}' in the {old} schema",
    "keep the message '{detail}' in the new schema (it may stay unused), or delete it only in a new subject",
    "the new schema adds the message '{detail}', which old readers do not have (under FORWARD, Confluent counts this as a removal from the old schema): remove it from the new schema, or register it under a new subject"
);
rule!(
    FIELD_KIND_CHANGED,
    ALL_SETS,
    true,
    "a field cannot change between scalar (or enum), message and map: the encodings differ",
    "The type of a field at path '{path}' in the {new} schema does not match the {old} schema",
    "field {tag} changed from {was} to {now}: keep it as {was} in the new schema; to change its type, add a new field with a new number and `reserved {tag};`"
);
rule!(
    FIELD_SCALAR_KIND_CHANGED,
    ALL_SETS,
    true,
    "a scalar may only change within its wire-compatible group (int32/int64/uint32/uint64/bool/enum, sint32/sint64, string/bytes, fixed32/sfixed32, fixed64/sfixed64)",
    "The kind of a SCALAR field at path '{path}' in the {new} schema does not match its kind in the {old} schema",
    "field {tag} changed from {was} to {now}: keep it as {was} in the new schema; to change its type, add a new field with a new number and `reserved {tag};`"
);
rule!(
    FIELD_NAMED_TYPE_CHANGED,
    ALL_SETS,
    true,
    "a message-typed field must keep its message type, and that type must stay compatible",
    "The type of a MESSAGE field at path '{path}' in the {new} schema does not match its type in the {old} schema",
    "{detail}: keep field {tag} as {was} in the new schema (and keep that type compatible), or add a new field with a new number and `reserved {tag};`"
);
rule!(
    FIELD_NUMERIC_LABEL_CHANGED,
    ALL_SETS,
    true,
    "a numeric field cannot switch between optional and repeated (packed encoding is not read as a single value)",
    "The label for a NUMERIC field at path '{path}' in the {new} schema does not match its label in the {old} schema",
    "the label of {detail} field {tag} changed from {was} to {now}: keep it {was} in the new schema, or add a new field with a new number and `reserved {tag};`"
);
rule!(
    REQUIRED_FIELD_ADDED,
    ALL_SETS,
    true,
    "data written without a required field cannot be parsed by a reader that requires it",
    "A required field at path '{path}' in the {new} schema is missing in the {old} schema",
    "make the new field {detail} optional (proto2 `optional`) in the new schema, not required",
    "old readers require the field {detail}, which the new schema removes: keep it in the new schema; required fields can never be removed safely"
);
rule!(
    REQUIRED_FIELD_REMOVED,
    ALL_SETS,
    true,
    "a reader that still requires a field fails on data written without it",
    "The {new} schema is missing a required field at path: '{path}' in the {old} schema",
    "keep the required field {detail} in the new schema; required fields can never be removed safely",
    "the new schema adds the required field {detail}, which old writers never set: make it optional (proto2 `optional`) in the new schema, not required"
);
rule!(
    ONEOF_FIELD_REMOVED,
    ALL_SETS,
    true,
    "a value written as a oneof member that the reader no longer knows is lost, and the oneof reads as unset",
    "The {new} schema is missing a oneof field at path '{path}' in the {old} schema",
    "keep the member {detail} in the oneof of the new schema (it may be deprecated), or add `reserved {tag};` only after no data uses it",
    "the new schema adds the member {detail} to a oneof of the old schema, and old readers lose values written as it: remove it from the oneof in the new schema, or add it as a field outside any oneof"
);
rule!(
    MULTIPLE_FIELDS_MOVED_TO_ONEOF,
    ALL_SETS,
    true,
    "fields that could all be set at once cannot become mutually exclusive: all but one value would be dropped",
    "Multiple fields in the oneof at path '{path}' in the {new} schema are outside a oneof in the {old} schema",
    "the new schema moves the fields {detail} into oneof '{tag}': leave them outside the oneof in the new schema; a new oneof may take at most one existing field",
    "the new schema moves the fields {detail} out of the old schema's oneof '{tag}': keep them in oneof '{tag}' in the new schema"
);
rule!(
    FIELD_MOVED_TO_EXISTING_ONEOF,
    ALL_SETS,
    true,
    "a field cannot join a oneof whose other members could be set together with it",
    "A field in the oneof at path '{path}' in the {new} schema is outside an existing oneof in the {old} schema",
    "the new schema moves the field {detail} into the existing oneof '{tag}': leave it outside the oneof in the new schema, or add a new field to the oneof with a new number",
    "the new schema moves the field {detail} out of the old schema's oneof '{tag}': keep it in oneof '{tag}' in the new schema"
);

// ---- Confluent: compatible (listed with --verbose) ----

rule!(
    MESSAGE_ADDED,
    ALL_SETS,
    false,
    "a new message type is safe",
    "A MESSAGE type at path '{path}' in the {new} schema is not in the {old} schema",
    ""
);
rule!(
    MESSAGE_MOVED,
    ALL_SETS,
    false,
    "message indexes in the wire format refer to the schema of the id that wrote them, so reordering is safe",
    "The MESSAGE type at path '{path}' moved to another position in the {new} schema",
    ""
);
rule!(
    ENUM_ADDED,
    ALL_SETS,
    false,
    "a new enum type is safe",
    "An ENUM type at path '{path}' in the {new} schema is not in the {old} schema",
    ""
);
rule!(
    ENUM_REMOVED,
    ALL_SETS,
    false,
    "Confluent accepts removing an enum type (fields using it are checked on their own)",
    "The {new} schema is missing an ENUM type at path '{path}' in the {old} schema",
    ""
);
rule!(
    ENUM_CONST_ADDED,
    ALL_SETS,
    false,
    "a new enum value is read as an unknown value by old readers",
    "An enum constant at path '{path}' in the {new} schema is not in the {old} schema",
    ""
);
rule!(
    ENUM_CONST_CHANGED,
    ALL_SETS,
    false,
    "enum values are written as numbers, so renaming one is safe on the wire (not in JSON)",
    "The name of the enum constant at path '{path}' in the {new} schema differs from the {old} schema{detail}",
    ""
);
rule!(
    ENUM_CONST_REMOVED,
    ALL_SETS,
    false,
    "Confluent accepts removing an enum value (a reader keeps it as an unknown number)",
    "The {new} schema is missing an enum constant at path '{path}' in the {old} schema",
    "add `reserved {tag};` to the enum in the new schema so that the number is never reused",
    "the new schema adds this value; nothing to change"
);
rule!(
    FIELD_ADDED,
    ALL_SETS,
    false,
    "a new optional field is skipped by old readers and defaulted by new ones",
    "A field at path '{path}' in the {new} schema is not in the {old} schema",
    ""
);
rule!(
    FIELD_REMOVED,
    ALL_SETS,
    false,
    "Confluent accepts removing an optional field (readers skip it as unknown)",
    "The {new} schema is missing a field at path '{path}' in the {old} schema",
    "add `reserved {tag};` and reserve the field's name in the new schema so that neither is reused",
    "the new schema adds this field; nothing to change"
);
rule!(
    FIELD_NAME_CHANGED,
    ALL_SETS,
    false,
    "fields are matched by number on the wire, so renaming is safe there (not in JSON)",
    "The name of the field at path '{path}' in the {new} schema differs from the {old} schema{detail}",
    ""
);
rule!(
    FIELD_STRING_OR_BYTES_LABEL_CHANGED,
    ALL_SETS,
    false,
    "string and bytes fields are length-delimited either way; a singular reader keeps the last value",
    "The label for a STRING or BYTES field at path '{path}' in the {new} schema differs from the {old} schema{detail}",
    ""
);
rule!(
    ONEOF_ADDED,
    ALL_SETS,
    false,
    "a new oneof is safe when at most one existing field moves into it",
    "A oneof at path '{path}' in the {new} schema is not in the {old} schema",
    ""
);
rule!(
    ONEOF_REMOVED,
    ALL_SETS,
    false,
    "removing a whole oneof (with all its members) is accepted like removing fields",
    "The {new} schema is missing a oneof at path '{path}' in the {old} schema",
    ""
);
rule!(
    ONEOF_FIELD_ADDED,
    ALL_SETS,
    false,
    "a new member of a oneof is read as an unknown field by old readers",
    "A oneof field at path '{path}' in the {new} schema is not in the {old} schema",
    ""
);
rule!(
    ONEOF_FIELD_MOVED_TO_TOP_LEVEL,
    ALL_SETS,
    false,
    "moving a field out of a oneof keeps its number and type and only relaxes exclusivity",
    "The oneof field at path '{path}' in the {old} schema is a top-level field in the {new} schema",
    ""
);

// ---- wire / wire-json (buf's ids) ----

rule!(
    FILE_SAME_PACKAGE,
    WIRE_SETS,
    true,
    "the package is part of every type's full name",
    "The package at '{path}' changed{detail}",
    "the package changed{detail}: keep the old package in the new schema; publish a new package under a new subject"
);
rule!(
    FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED,
    WIRE_SETS,
    true,
    "a deleted field's number must be reserved, or a later field may reuse it and misread old data",
    "The field at path '{path}' was deleted without reserving its number{detail}",
    "add `reserved {tag};` to the message in the new schema"
);
rule!(
    FIELD_NO_DELETE_UNLESS_NAME_RESERVED,
    WIRE_JSON_ONLY,
    true,
    "a deleted field's name must be reserved, or a later field may reuse it and misread old JSON",
    "The field at path '{path}' was deleted without reserving its name{detail}",
    "add `reserved \"{tag}\";` to the message in the new schema"
);
rule!(
    FIELD_WIRE_COMPATIBLE_TYPE,
    WIRE_ONLY,
    true,
    "a field keeps a type whose encoding old and new readers decode the same way",
    "The type of the field at path '{path}' changed{detail}",
    "the type changed{detail}: keep the old type in the new schema; to change it, add a new field with a new number and `reserved {tag};`"
);
rule!(
    FIELD_WIRE_JSON_COMPATIBLE_TYPE,
    WIRE_JSON_ONLY,
    true,
    "a field keeps a type that both the binary and the JSON encodings read the same way",
    "The type of the field at path '{path}' changed{detail}",
    "the type changed{detail}: keep the old type in the new schema; to change it, add a new field with a new number and `reserved {tag};`"
);
rule!(
    FIELD_WIRE_COMPATIBLE_CARDINALITY,
    WIRE_ONLY,
    true,
    "a field keeps a cardinality that old readers decode the same way (numeric repeated fields are packed)",
    "The cardinality of the field at path '{path}' changed{detail}",
    "the cardinality changed{detail}: keep the old one in the new schema, or add a new field with a new number and `reserved {tag};`"
);
rule!(
    FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY,
    WIRE_JSON_ONLY,
    true,
    "a field keeps a cardinality the JSON encoding reads the same way (a list is not a single value)",
    "The cardinality of the field at path '{path}' changed{detail}",
    "the cardinality changed{detail}: keep the old one in the new schema, or add a new field with a new number and `reserved {tag};`"
);
rule!(
    FIELD_SAME_ONEOF,
    WIRE_SETS,
    true,
    "moving a field into, out of, or between oneofs changes which values may be set together",
    "The field at path '{path}' changed its oneof{detail}",
    "the field moved{detail}: keep it where the old schema has it; add a new field with a new number instead"
);
rule!(
    FIELD_SAME_DEFAULT,
    WIRE_SETS,
    true,
    "a proto2 default is what readers see for an unset field; changing it changes old data's meaning",
    "The default of the field at path '{path}' changed{detail}",
    "the default changed{detail}: keep the old default in the new schema"
);
rule!(
    MESSAGE_SAME_REQUIRED_FIELDS,
    WIRE_SETS,
    true,
    "a required field can be neither added nor removed nor made optional without failing some reader",
    "The required fields of the message at path '{path}' changed{detail}",
    "keep the old schema's required fields in the new schema, required as they were"
);
rule!(
    RESERVED_MESSAGE_NO_DELETE,
    WIRE_SETS,
    true,
    "a reservation protects data written by a deleted field; dropping it allows the number or name to be reused",
    "The message at path '{path}' no longer reserves {detail}",
    "keep the old `reserved` statement in the new schema"
);
rule!(
    RESERVED_ENUM_NO_DELETE,
    WIRE_SETS,
    true,
    "a reservation protects data written with a deleted enum value; dropping it allows reuse",
    "The enum at path '{path}' no longer reserves {detail}",
    "keep the old `reserved` statement in the new schema"
);
rule!(
    ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED,
    WIRE_SETS,
    true,
    "a deleted enum value's number must be reserved, or a later value may reuse it with another meaning",
    "The enum value at path '{path}' was deleted without reserving its number{detail}",
    "add `reserved {tag};` to the enum in the new schema"
);
rule!(
    ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED,
    WIRE_JSON_ONLY,
    true,
    "a deleted enum value's name must be reserved, because JSON writes enum values by name",
    "The enum value at path '{path}' was deleted without reserving its name{detail}",
    "add `reserved \"{tag}\";` to the enum in the new schema"
);
rule!(
    ENUM_VALUE_SAME_NAME,
    WIRE_JSON_ONLY,
    true,
    "JSON writes enum values by name; a renamed value cannot be read from old JSON",
    "The enum value at path '{path}' changed its name{detail}",
    "the name changed{detail}: keep the old name in the new schema; add the new name as an alias with `option allow_alias = true;`"
);
rule!(
    FIELD_SAME_NAME,
    WIRE_JSON_ONLY,
    true,
    "JSON parsers accept a field's name; a renamed field cannot be read from old JSON",
    "The field at path '{path}' changed its name{detail}",
    "the name changed{detail}: keep the old name in the new schema, or set `json_name` to the old JSON name"
);
rule!(
    FIELD_SAME_JSON_NAME,
    WIRE_JSON_ONLY,
    true,
    "JSON writes fields by their JSON name; changing it breaks readers of old JSON",
    "The JSON name of the field at path '{path}' changed{detail}",
    "the JSON name changed{detail}: keep the old JSON name in the new schema (set `json_name` to it)"
);

/// Every rule, Confluent's first, then the stricter sets'.
pub const ALL: &[Rule] = &[
    PACKAGE_CHANGED,
    MESSAGE_REMOVED,
    FIELD_KIND_CHANGED,
    FIELD_SCALAR_KIND_CHANGED,
    FIELD_NAMED_TYPE_CHANGED,
    FIELD_NUMERIC_LABEL_CHANGED,
    REQUIRED_FIELD_ADDED,
    REQUIRED_FIELD_REMOVED,
    ONEOF_FIELD_REMOVED,
    MULTIPLE_FIELDS_MOVED_TO_ONEOF,
    FIELD_MOVED_TO_EXISTING_ONEOF,
    MESSAGE_ADDED,
    MESSAGE_MOVED,
    ENUM_ADDED,
    ENUM_REMOVED,
    ENUM_CONST_ADDED,
    ENUM_CONST_CHANGED,
    ENUM_CONST_REMOVED,
    FIELD_ADDED,
    FIELD_REMOVED,
    FIELD_NAME_CHANGED,
    FIELD_STRING_OR_BYTES_LABEL_CHANGED,
    ONEOF_ADDED,
    ONEOF_REMOVED,
    ONEOF_FIELD_ADDED,
    ONEOF_FIELD_MOVED_TO_TOP_LEVEL,
    FILE_SAME_PACKAGE,
    FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED,
    FIELD_NO_DELETE_UNLESS_NAME_RESERVED,
    FIELD_WIRE_COMPATIBLE_TYPE,
    FIELD_WIRE_JSON_COMPATIBLE_TYPE,
    FIELD_WIRE_COMPATIBLE_CARDINALITY,
    FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY,
    FIELD_SAME_ONEOF,
    FIELD_SAME_DEFAULT,
    MESSAGE_SAME_REQUIRED_FIELDS,
    RESERVED_MESSAGE_NO_DELETE,
    RESERVED_ENUM_NO_DELETE,
    ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED,
    ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED,
    ENUM_VALUE_SAME_NAME,
    FIELD_SAME_NAME,
    FIELD_SAME_JSON_NAME,
];

/// A rule by its identifier.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_unique_and_every_rule_is_in_a_set() {
        for (i, r) in ALL.iter().enumerate() {
            assert!(!r.sets.is_empty(), "{}", r.id);
            assert!(
                ALL[i + 1..].iter().all(|o| o.id != r.id),
                "duplicate {}",
                r.id
            );
        }
    }

    #[test]
    fn confluent_rules_apply_to_every_set_and_stricter_ones_not_to_confluent() {
        for r in ALL {
            if r.applies(RuleSet::Confluent) {
                assert!(
                    r.applies(RuleSet::Wire) && r.applies(RuleSet::WireJson),
                    "{}",
                    r.id
                );
            }
        }
        assert!(FIELD_SCALAR_KIND_CHANGED.applies(RuleSet::WireJson));
        assert!(!FIELD_SAME_NAME.applies(RuleSet::Confluent));
        assert!(!FIELD_SAME_NAME.applies(RuleSet::Wire));
        assert!(FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED.applies(RuleSet::Wire));
    }

    #[test]
    fn messages_use_the_roles_of_the_comparison() {
        let at = Occurrence {
            path: "#/Car/2",
            update: "new",
            original: "old",
            tag: "2",
            detail: "",
            was: "int32",
            now: "string",
        };
        let (m, h) = FIELD_SCALAR_KIND_CHANGED.describe(&at);
        assert_eq!(
            m,
            "The kind of a SCALAR field at path '#/Car/2' in the new schema does not match its kind in the old schema"
        );
        assert!(h.contains("reserved 2;"), "{h}");
    }
}
