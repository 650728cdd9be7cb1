//! The JSON Schema rule table: one rule per difference type of Confluent Schema Registry's JSON
//! Schema diff (its `Difference.Type` names), with whether it breaks compatibility under
//! Confluent's two policies. Sources: Confluent's "JSON Schema compatibility rules"
//! documentation, Robert Yokota's "Understanding JSON Schema Compatibility" (2020) and "JSON
//! Schema Compatibility and the Robustness Principle" (2025, the lenient policy), and the
//! behaviour of Confluent's own diff examples. Facts only: no code is taken from Confluent.
//!
//! The lenient policy accepts five more: adding a property to an open content model, adding or
//! removing a property not covered by a partially open one, and closing or narrowing
//! `additionalProperties` (it trusts producers to write only declared properties).

use super::JsonPolicy;

/// One difference type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Confluent's difference type name: the stable identifier.
    pub id: &'static str,
    /// Breaks compatibility under the strict (default) policy.
    pub breaking: bool,
    /// Breaks compatibility under the lenient policy.
    pub breaking_lenient: bool,
    /// What the rule protects, in one line.
    pub purpose: &'static str,
    /// The message, with `{path}`, `{update}`/`{original}` (the roles' schemas, "new"/"old"),
    /// `{was}`/`{now}` (the original's and the update's values), `{keyword}` and `{name}`.
    message: &'static str,
    /// How to fix it in the new schema; `{old}` is the old schema's value whatever the direction.
    hint: &'static str,
}

impl Rule {
    pub fn breaks(&self, policy: JsonPolicy) -> bool {
        match policy {
            JsonPolicy::Strict => self.breaking,
            JsonPolicy::Lenient => self.breaking_lenient,
        }
    }

    /// The message and the hint for one occurrence.
    pub fn describe(&self, at: &Occurrence<'_>) -> (String, String) {
        (fill(self.message, at), fill(self.hint, at))
    }
}

/// What a message is filled with.
#[derive(Debug, Clone, Copy)]
pub struct Occurrence<'a> {
    pub path: &'a str,
    /// "new" under BACKWARD (the new schema is the update), "old" under FORWARD.
    pub update: &'a str,
    pub original: &'a str,
    pub keyword: &'a str,
    pub name: &'a str,
    pub was: &'a str,
    pub now: &'a str,
    /// The old schema's value (`was` under BACKWARD, `now` under FORWARD).
    pub old: &'a str,
}

/// Fills a template in one pass: a value is never read as a template itself (a property named
/// `{was}` is reported as such), and a finding costs one allocation per text.
fn fill(template: &str, at: &Occurrence<'_>) -> String {
    let placeholders = [
        ("{path}", at.path),
        ("{update}", at.update),
        ("{original}", at.original),
        ("{keyword}", at.keyword),
        ("{name}", at.name),
        ("{was}", at.was),
        ("{now}", at.now),
        ("{old}", at.old),
        ("{{}}", "{}"),
    ];
    let mut out = String::with_capacity(template.len() + at.path.len() + at.was.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        match placeholders.iter().find(|(p, _)| rest.starts_with(p)) {
            Some((p, value)) => {
                out.push_str(value);
                rest = &rest[p.len()..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

macro_rules! rule {
    ($name:ident, $breaking:expr, $lenient:expr, $purpose:expr, $message:expr, $hint:expr) => {
        #[doc = $purpose]
        pub const $name: Rule = Rule {
            id: stringify!($name),
            breaking: $breaking,
            breaking_lenient: $lenient,
            purpose: $purpose,
            message: $message,
            hint: $hint,
        };
    };
}

rule!(
    ID_CHANGED,
    false,
    false,
    "`$id` names the schema; data does not carry it.",
    "The `$id` at '{path}' changed from {was} to {now}",
    "nothing to fix: `$id` does not constrain data (keep {old} to keep `$ref`s by URI working)"
);
rule!(
    DESCRIPTION_CHANGED,
    false,
    false,
    "`description` is documentation only.",
    "The description at '{path}' changed",
    "nothing to fix: `description` does not constrain data"
);
rule!(
    TITLE_CHANGED,
    false,
    false,
    "`title` is documentation only.",
    "The title at '{path}' changed from {was} to {now}",
    "nothing to fix: `title` does not constrain data"
);
rule!(
    DEFAULT_CHANGED,
    false,
    false,
    "`default` is an annotation; validation ignores it.",
    "The default at '{path}' changed from {was} to {now}",
    "nothing to fix: `default` does not constrain data (readers that fill defaults see {now})"
);
rule!(
    SCHEMA_ADDED,
    true,
    true,
    "A subschema where there was none constrains values that were unconstrained.",
    "The {update} schema adds a subschema at '{path}' that the {original} schema does not have",
    "the old schema has no `{keyword}` here: leave it out of the new schema, or make it accept anything (`{{}}`)"
);
rule!(
    SCHEMA_REMOVED,
    false,
    false,
    "Removing a subschema only lifts constraints.",
    "The {update} schema removes the subschema at '{path}'",
    "nothing to fix: fewer constraints accept all old data"
);
rule!(
    TYPE_EXTENDED,
    false,
    false,
    "A wider type (integer to number, one type to several) still accepts every old value.",
    "The type at '{path}' was extended from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep the type {old}"
);
rule!(
    TYPE_NARROWED,
    true,
    true,
    "A narrower type rejects values of the types it dropped.",
    "The type at '{path}' was narrowed from {was} to {now}",
    "keep the type {old} at '{path}' in the new schema (add types, never drop them)"
);
rule!(
    TYPE_CHANGED,
    true,
    true,
    "A value of one type is never valid against another.",
    "The type at '{path}' changed from {was} to {now}",
    "keep the type {old} at '{path}'; to change a type, add a new property and deprecate this one"
);
rule!(
    MAX_LENGTH_ADDED,
    true,
    true,
    "A new `maxLength` rejects strings that were valid.",
    "The {update} schema adds `maxLength` {now} at '{path}'",
    "the old schema has no `maxLength` here: leave it out of the new schema"
);
rule!(
    MAX_LENGTH_REMOVED,
    false,
    false,
    "Removing `maxLength` accepts more strings.",
    "The {update} schema removes `maxLength` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `maxLength` {old}"
);
rule!(
    MAX_LENGTH_INCREASED,
    false,
    false,
    "A looser `maxLength` accepts every old value.",
    "`maxLength` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `maxLength` {old}"
);
rule!(
    MAX_LENGTH_DECREASED,
    true,
    true,
    "A stricter `maxLength` rejects strings the old schema accepted.",
    "`maxLength` at '{path}' changed from {was} to {now}",
    "keep `maxLength` at {old} in the new schema"
);
rule!(
    MIN_LENGTH_ADDED,
    true,
    true,
    "A new `minLength` rejects strings that were valid.",
    "The {update} schema adds `minLength` {now} at '{path}'",
    "the old schema has no `minLength` here: leave it out of the new schema"
);
rule!(
    MIN_LENGTH_REMOVED,
    false,
    false,
    "Removing `minLength` accepts more strings.",
    "The {update} schema removes `minLength` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `minLength` {old}"
);
rule!(
    MIN_LENGTH_DECREASED,
    false,
    false,
    "A looser `minLength` accepts every old value.",
    "`minLength` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `minLength` {old}"
);
rule!(
    MIN_LENGTH_INCREASED,
    true,
    true,
    "A stricter `minLength` rejects strings the old schema accepted.",
    "`minLength` at '{path}' changed from {was} to {now}",
    "keep `minLength` at {old} in the new schema"
);
rule!(
    PATTERN_ADDED,
    true,
    true,
    "A new `pattern` rejects strings that were valid.",
    "The {update} schema adds `pattern` {now} at '{path}'",
    "the old schema has no `pattern` here: leave it out of the new schema"
);
rule!(
    PATTERN_REMOVED,
    false,
    false,
    "Removing `pattern` accepts more strings.",
    "The {update} schema removes `pattern` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `pattern` {old}"
);
rule!(
    PATTERN_CHANGED,
    true,
    true,
    "Regular expressions cannot be compared: any change may reject old strings.",
    "`pattern` at '{path}' changed from {was} to {now}",
    "keep `pattern` {old} in the new schema"
);
rule!(
    MAXIMUM_ADDED,
    true,
    true,
    "A new `maximum` rejects numbers that were valid.",
    "The {update} schema adds `maximum` {now} at '{path}'",
    "the old schema has no `maximum` here: leave it out of the new schema"
);
rule!(
    MAXIMUM_REMOVED,
    false,
    false,
    "Removing `maximum` accepts more numbers.",
    "The {update} schema removes `maximum` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `maximum` {old}"
);
rule!(
    MAXIMUM_INCREASED,
    false,
    false,
    "A looser `maximum` accepts every old value.",
    "`maximum` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `maximum` {old}"
);
rule!(
    MAXIMUM_DECREASED,
    true,
    true,
    "A stricter `maximum` rejects numbers the old schema accepted.",
    "`maximum` at '{path}' changed from {was} to {now}",
    "keep `maximum` at {old} in the new schema"
);
rule!(
    MINIMUM_ADDED,
    true,
    true,
    "A new `minimum` rejects numbers that were valid.",
    "The {update} schema adds `minimum` {now} at '{path}'",
    "the old schema has no `minimum` here: leave it out of the new schema"
);
rule!(
    MINIMUM_REMOVED,
    false,
    false,
    "Removing `minimum` accepts more numbers.",
    "The {update} schema removes `minimum` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `minimum` {old}"
);
rule!(
    MINIMUM_DECREASED,
    false,
    false,
    "A looser `minimum` accepts every old value.",
    "`minimum` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `minimum` {old}"
);
rule!(
    MINIMUM_INCREASED,
    true,
    true,
    "A stricter `minimum` rejects numbers the old schema accepted.",
    "`minimum` at '{path}' changed from {was} to {now}",
    "keep `minimum` at {old} in the new schema"
);
rule!(
    EXCLUSIVE_MAXIMUM_ADDED,
    true,
    true,
    "A new `exclusiveMaximum` rejects numbers that were valid.",
    "The {update} schema adds `exclusiveMaximum` {now} at '{path}'",
    "the old schema has no `exclusiveMaximum` here: leave it out of the new schema"
);
rule!(
    EXCLUSIVE_MAXIMUM_REMOVED,
    false,
    false,
    "Removing `exclusiveMaximum` accepts more numbers.",
    "The {update} schema removes `exclusiveMaximum` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `exclusiveMaximum` {old}"
);
rule!(
    EXCLUSIVE_MAXIMUM_INCREASED,
    false,
    false,
    "A looser `exclusiveMaximum` accepts every old value.",
    "`exclusiveMaximum` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `exclusiveMaximum` {old}"
);
rule!(
    EXCLUSIVE_MAXIMUM_DECREASED,
    true,
    true,
    "A stricter `exclusiveMaximum` rejects numbers the old schema accepted.",
    "`exclusiveMaximum` at '{path}' changed from {was} to {now}",
    "keep `exclusiveMaximum` at {old} in the new schema"
);
rule!(
    EXCLUSIVE_MINIMUM_ADDED,
    true,
    true,
    "A new `exclusiveMinimum` rejects numbers that were valid.",
    "The {update} schema adds `exclusiveMinimum` {now} at '{path}'",
    "the old schema has no `exclusiveMinimum` here: leave it out of the new schema"
);
rule!(
    EXCLUSIVE_MINIMUM_REMOVED,
    false,
    false,
    "Removing `exclusiveMinimum` accepts more numbers.",
    "The {update} schema removes `exclusiveMinimum` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `exclusiveMinimum` {old}"
);
rule!(
    EXCLUSIVE_MINIMUM_DECREASED,
    false,
    false,
    "A looser `exclusiveMinimum` accepts every old value.",
    "`exclusiveMinimum` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `exclusiveMinimum` {old}"
);
rule!(
    EXCLUSIVE_MINIMUM_INCREASED,
    true,
    true,
    "A stricter `exclusiveMinimum` rejects numbers the old schema accepted.",
    "`exclusiveMinimum` at '{path}' changed from {was} to {now}",
    "keep `exclusiveMinimum` at {old} in the new schema"
);
rule!(
    MULTIPLE_OF_ADDED,
    true,
    true,
    "A new `multipleOf` rejects numbers that were valid.",
    "The {update} schema adds `multipleOf` {now} at '{path}'",
    "the old schema has no `multipleOf` here: leave it out of the new schema"
);
rule!(
    MULTIPLE_OF_REMOVED,
    false,
    false,
    "Removing `multipleOf` accepts more numbers.",
    "The {update} schema removes `multipleOf` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `multipleOf` {old}"
);
rule!(
    MULTIPLE_OF_EXPANDED,
    true,
    true,
    "A multiple of the old factor rejects some old values (10 → 20 rejects 10).",
    "`multipleOf` at '{path}' changed from {was} to {now}, a multiple of it",
    "keep `multipleOf` {old}, or a divisor of it, in the new schema"
);
rule!(
    MULTIPLE_OF_REDUCED,
    false,
    false,
    "A divisor of the old factor accepts every old value (10 → 5).",
    "`multipleOf` at '{path}' changed from {was} to {now}, a divisor of it",
    "nothing to fix under BACKWARD; for FORWARD keep `multipleOf` {old}"
);
rule!(
    MULTIPLE_OF_CHANGED,
    true,
    true,
    "An unrelated factor rejects old values.",
    "`multipleOf` at '{path}' changed from {was} to {now}",
    "keep `multipleOf` {old}, or a divisor of it, in the new schema"
);
rule!(
    REQUIRED_ATTRIBUTE_ADDED,
    true,
    true,
    "Old data may lack a property that is now required.",
    "The property at '{path}' is required in the {update} schema but not in the {original} schema",
    "keep '{name}' optional in the new schema, or give it a `default`"
);
rule!(
    REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED,
    false,
    false,
    "Confluent accepts a newly required property that has a `default`.",
    "The property at '{path}' became required, with a default",
    "nothing to fix: the `default` stands in for old data without '{name}'"
);
rule!(
    REQUIRED_ATTRIBUTE_REMOVED,
    false,
    false,
    "An optional property accepts everything a required one did.",
    "The property at '{path}' is no longer required",
    "nothing to fix under BACKWARD; for FORWARD keep '{name}' in `required`"
);
rule!(
    MAX_PROPERTIES_ADDED,
    true,
    true,
    "A new `maxProperties` rejects objects that were valid.",
    "The {update} schema adds `maxProperties` {now} at '{path}'",
    "the old schema has no `maxProperties` here: leave it out of the new schema"
);
rule!(
    MAX_PROPERTIES_REMOVED,
    false,
    false,
    "Removing `maxProperties` accepts more objects.",
    "The {update} schema removes `maxProperties` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `maxProperties` {old}"
);
rule!(
    MAX_PROPERTIES_INCREASED,
    false,
    false,
    "A looser `maxProperties` accepts every old value.",
    "`maxProperties` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `maxProperties` {old}"
);
rule!(
    MAX_PROPERTIES_DECREASED,
    true,
    true,
    "A stricter `maxProperties` rejects objects the old schema accepted.",
    "`maxProperties` at '{path}' changed from {was} to {now}",
    "keep `maxProperties` at {old} in the new schema"
);
rule!(
    MIN_PROPERTIES_ADDED,
    true,
    true,
    "A new `minProperties` rejects objects that were valid.",
    "The {update} schema adds `minProperties` {now} at '{path}'",
    "the old schema has no `minProperties` here: leave it out of the new schema"
);
rule!(
    MIN_PROPERTIES_REMOVED,
    false,
    false,
    "Removing `minProperties` accepts more objects.",
    "The {update} schema removes `minProperties` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `minProperties` {old}"
);
rule!(
    MIN_PROPERTIES_DECREASED,
    false,
    false,
    "A looser `minProperties` accepts every old value.",
    "`minProperties` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `minProperties` {old}"
);
rule!(
    MIN_PROPERTIES_INCREASED,
    true,
    true,
    "A stricter `minProperties` rejects objects the old schema accepted.",
    "`minProperties` at '{path}' changed from {was} to {now}",
    "keep `minProperties` at {old} in the new schema"
);
rule!(
    ADDITIONAL_PROPERTIES_ADDED,
    false,
    false,
    "Allowing additional properties accepts every old object.",
    "The {update} schema allows additional properties at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `additionalProperties: false`"
);
rule!(
    ADDITIONAL_PROPERTIES_REMOVED,
    true,
    false,
    "Old objects may carry properties a closed model now rejects.",
    "The {update} schema closes the content model at '{path}' (`additionalProperties: false`)",
    "keep additional properties allowed (leave out `additionalProperties: false`) in the new schema"
);
rule!(
    ADDITIONAL_PROPERTIES_EXTENDED,
    false,
    false,
    "A looser `additionalProperties` schema accepts every old value.",
    "`additionalProperties` at '{path}' accepts more in the {update} schema",
    "nothing to fix under BACKWARD; for FORWARD keep `additionalProperties` {old}"
);
rule!(
    ADDITIONAL_PROPERTIES_NARROWED,
    true,
    false,
    "A stricter `additionalProperties` schema rejects old extra properties.",
    "`additionalProperties` at '{path}' accepts less in the {update} schema",
    "keep `additionalProperties` {old} in the new schema"
);
rule!(
    DEPENDENCY_ARRAY_ADDED,
    true,
    true,
    "A new property dependency rejects old objects that lack the dependent properties.",
    "The {update} schema adds the dependency at '{path}'",
    "leave the dependency '{name}' out of the new schema"
);
rule!(
    DEPENDENCY_ARRAY_REMOVED,
    false,
    false,
    "Removing a dependency accepts more objects.",
    "The {update} schema removes the dependency at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep the dependency '{name}'"
);
rule!(
    DEPENDENCY_ARRAY_EXTENDED,
    true,
    true,
    "More dependent properties reject old objects that lack them.",
    "The dependency at '{path}' requires more properties in the {update} schema",
    "keep the dependency '{name}' as {old} in the new schema"
);
rule!(
    DEPENDENCY_ARRAY_NARROWED,
    false,
    false,
    "Fewer dependent properties accept every old object.",
    "The dependency at '{path}' requires fewer properties in the {update} schema",
    "nothing to fix under BACKWARD; for FORWARD keep the dependency '{name}' as {old}"
);
rule!(
    DEPENDENCY_ARRAY_CHANGED,
    true,
    true,
    "Different dependent properties reject old objects.",
    "The dependency at '{path}' changed from {was} to {now}",
    "keep the dependency '{name}' as {old} in the new schema"
);
rule!(
    DEPENDENCY_SCHEMA_ADDED,
    true,
    true,
    "A new schema dependency constrains old objects.",
    "The {update} schema adds the schema dependency at '{path}'",
    "leave the schema dependency '{name}' out of the new schema"
);
rule!(
    DEPENDENCY_SCHEMA_REMOVED,
    false,
    false,
    "Removing a schema dependency accepts more objects.",
    "The {update} schema removes the schema dependency at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep the schema dependency '{name}'"
);
rule!(
    PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
    true,
    false,
    "In an open model old data may already hold this property with any value.",
    "The {update} schema adds the property at '{path}' to an open content model",
    "old objects may carry '{name}' with any value: give it an empty schema (`{{}}`), close the old model first (`additionalProperties: false`), or use the lenient policy"
);
rule!(
    PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    false,
    false,
    "A property with an empty schema accepts whatever old data held under its name.",
    "The {update} schema adds the property at '{path}' with an empty schema",
    "nothing to fix"
);
rule!(
    REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
    true,
    true,
    "Old objects cannot hold a property the closed model rejected, so they lack a required one.",
    "The {update} schema adds the required property at '{path}'",
    "make '{name}' optional in the new schema, or give it a `default`"
);
rule!(
    REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL,
    false,
    false,
    "A required property with a `default` is accepted by Confluent.",
    "The {update} schema adds the required property at '{path}', with a default",
    "nothing to fix"
);
rule!(
    OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
    false,
    false,
    "Old objects of a closed model never hold the new property.",
    "The {update} schema adds the optional property at '{path}' to a closed content model",
    "nothing to fix"
);
rule!(
    PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL,
    false,
    false,
    "An open model still accepts the removed property as an additional one.",
    "The {update} schema removes the property at '{path}' from an open content model",
    "nothing to fix under BACKWARD; for FORWARD keep '{name}'"
);
rule!(
    PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    false,
    false,
    "A property whose schema was `false` never occurred in data.",
    "The {update} schema removes the property at '{path}', whose schema was `false`",
    "nothing to fix"
);
rule!(
    PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    true,
    true,
    "A closed model rejects old objects that hold the removed property.",
    "The {update} schema removes the property at '{path}' from a closed content model",
    "keep '{name}' in the new schema's `properties` (it may become optional)"
);
rule!(
    PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    false,
    false,
    "Old values under the name already matched `patternProperties`/`additionalProperties`, and the new schema accepts them.",
    "The property added at '{path}' is covered by the {original} schema's partially open content model",
    "nothing to fix"
);
rule!(
    PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    true,
    false,
    "Old values under the name matched the partial model, and the new property's schema rejects some.",
    "The property added at '{path}' is not covered by the {original} schema's partially open content model",
    "give '{name}' a schema that accepts everything the old `patternProperties`/`additionalProperties` accepted for it"
);
rule!(
    PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    false,
    false,
    "The partial model of the new schema accepts what the removed property held.",
    "The property removed at '{path}' is covered by the {update} schema's partially open content model",
    "nothing to fix"
);
rule!(
    PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    true,
    false,
    "The partial model of the new schema rejects values the removed property held.",
    "The property removed at '{path}' is not covered by the {update} schema's partially open content model",
    "keep '{name}' in the new schema's `properties`, or widen `patternProperties`/`additionalProperties` to accept its values"
);
rule!(
    MAX_ITEMS_ADDED,
    true,
    true,
    "A new `maxItems` rejects arrays that were valid.",
    "The {update} schema adds `maxItems` {now} at '{path}'",
    "the old schema has no `maxItems` here: leave it out of the new schema"
);
rule!(
    MAX_ITEMS_REMOVED,
    false,
    false,
    "Removing `maxItems` accepts more arrays.",
    "The {update} schema removes `maxItems` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `maxItems` {old}"
);
rule!(
    MAX_ITEMS_INCREASED,
    false,
    false,
    "A looser `maxItems` accepts every old value.",
    "`maxItems` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `maxItems` {old}"
);
rule!(
    MAX_ITEMS_DECREASED,
    true,
    true,
    "A stricter `maxItems` rejects arrays the old schema accepted.",
    "`maxItems` at '{path}' changed from {was} to {now}",
    "keep `maxItems` at {old} in the new schema"
);
rule!(
    MIN_ITEMS_ADDED,
    true,
    true,
    "A new `minItems` rejects arrays that were valid.",
    "The {update} schema adds `minItems` {now} at '{path}'",
    "the old schema has no `minItems` here: leave it out of the new schema"
);
rule!(
    MIN_ITEMS_REMOVED,
    false,
    false,
    "Removing `minItems` accepts more arrays.",
    "The {update} schema removes `minItems` {was} at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `minItems` {old}"
);
rule!(
    MIN_ITEMS_DECREASED,
    false,
    false,
    "A looser `minItems` accepts every old value.",
    "`minItems` at '{path}' changed from {was} to {now}",
    "nothing to fix under BACKWARD; for FORWARD keep `minItems` {old}"
);
rule!(
    MIN_ITEMS_INCREASED,
    true,
    true,
    "A stricter `minItems` rejects arrays the old schema accepted.",
    "`minItems` at '{path}' changed from {was} to {now}",
    "keep `minItems` at {old} in the new schema"
);
rule!(
    UNIQUE_ITEMS_ADDED,
    true,
    true,
    "`uniqueItems` rejects old arrays with repeated items.",
    "The {update} schema adds `uniqueItems` at '{path}'",
    "leave `uniqueItems` out of the new schema"
);
rule!(
    UNIQUE_ITEMS_REMOVED,
    false,
    false,
    "Dropping `uniqueItems` accepts every old array.",
    "The {update} schema removes `uniqueItems` at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `uniqueItems: true`"
);
rule!(
    ADDITIONAL_ITEMS_ADDED,
    false,
    false,
    "Allowing additional items accepts every old array.",
    "The {update} schema allows additional items at '{path}'",
    "nothing to fix under BACKWARD; for FORWARD keep `additionalItems: false`"
);
rule!(
    ADDITIONAL_ITEMS_REMOVED,
    true,
    true,
    "Old arrays may be longer than a closed tuple allows.",
    "The {update} schema forbids additional items at '{path}'",
    "keep additional items allowed in the new schema"
);
rule!(
    ADDITIONAL_ITEMS_EXTENDED,
    false,
    false,
    "A looser `additionalItems` schema accepts every old item.",
    "`additionalItems` at '{path}' accepts more in the {update} schema",
    "nothing to fix under BACKWARD; for FORWARD keep `additionalItems` {old}"
);
rule!(
    ADDITIONAL_ITEMS_NARROWED,
    true,
    true,
    "A stricter `additionalItems` schema rejects old items.",
    "`additionalItems` at '{path}' accepts less in the {update} schema",
    "keep `additionalItems` {old} in the new schema"
);
rule!(
    ITEM_ADDED_TO_OPEN_CONTENT_MODEL,
    true,
    true,
    "In an open tuple old arrays may hold anything at the new position.",
    "The {update} schema adds the tuple item at '{path}' to an open content model",
    "give the new item an empty schema, or close the old tuple first (`additionalItems: false`)"
);
rule!(
    ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    false,
    false,
    "An item with an empty schema accepts whatever old arrays held there.",
    "The {update} schema adds the tuple item at '{path}' with an empty schema",
    "nothing to fix"
);
rule!(
    ITEM_ADDED_TO_CLOSED_CONTENT_MODEL,
    false,
    false,
    "Old arrays of a closed tuple never reach the new position.",
    "The {update} schema adds the tuple item at '{path}' to a closed content model",
    "nothing to fix"
);
rule!(
    ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL,
    false,
    false,
    "An open tuple accepts anything at the removed position.",
    "The {update} schema removes the tuple item at '{path}' from an open content model",
    "nothing to fix under BACKWARD; for FORWARD keep the item"
);
rule!(
    ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    false,
    false,
    "An item whose schema was `false` never occurred in data.",
    "The {update} schema removes the tuple item at '{path}', whose schema was `false`",
    "nothing to fix"
);
rule!(
    ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    true,
    true,
    "A closed tuple rejects old arrays that reach the removed position.",
    "The {update} schema removes the tuple item at '{path}' from a closed content model",
    "keep the tuple item at '{path}' in the new schema"
);
rule!(
    ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    false,
    false,
    "Old items at the new position matched `additionalItems`, and the new item schema accepts them.",
    "The tuple item added at '{path}' is covered by the {original} schema's `additionalItems`",
    "nothing to fix"
);
rule!(
    ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    true,
    true,
    "Old items at the new position matched `additionalItems`, and the new item schema rejects some.",
    "The tuple item added at '{path}' is not covered by the {original} schema's `additionalItems`",
    "give the new item a schema that accepts everything the old `additionalItems` {old} accepted"
);
rule!(
    ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    false,
    false,
    "The new `additionalItems` accepts what the removed item held.",
    "The tuple item removed at '{path}' is covered by the {update} schema's `additionalItems`",
    "nothing to fix"
);
rule!(
    ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    true,
    true,
    "The new `additionalItems` rejects values the removed item held.",
    "The tuple item removed at '{path}' is not covered by the {update} schema's `additionalItems`",
    "keep the tuple item at '{path}', or widen `additionalItems` to accept its values"
);
rule!(
    ENUM_ARRAY_EXTENDED,
    false,
    false,
    "More enum values (or no enum) accept every old value.",
    "The enum at '{path}' was extended in the {update} schema",
    "nothing to fix under BACKWARD; for FORWARD keep the enum {old}"
);
rule!(
    ENUM_ARRAY_NARROWED,
    true,
    true,
    "Dropped enum values are rejected although old data holds them.",
    "The enum at '{path}' was narrowed in the {update} schema",
    "keep every value of {old} in the new schema's enum"
);
rule!(
    ENUM_ARRAY_CHANGED,
    true,
    true,
    "Changed enum (or `const`) values reject old data.",
    "The enum at '{path}' changed from {was} to {now}",
    "keep every value of {old} in the new schema's enum (or `const`)"
);
rule!(
    COMBINED_TYPE_EXTENDED,
    false,
    false,
    "`anyOf` accepts whatever `oneOf` or `allOf` over the same subschemas accepted.",
    "The combined type at '{path}' changed from {was} to {now}, which accepts more",
    "nothing to fix under BACKWARD; for FORWARD keep {old}"
);
rule!(
    COMBINED_TYPE_CHANGED,
    true,
    true,
    "Switching `oneOf`/`anyOf`/`allOf` otherwise changes which values are valid.",
    "The combined type at '{path}' changed from {was} to {now}",
    "keep {old} at '{path}' in the new schema"
);
rule!(
    PRODUCT_TYPE_EXTENDED,
    true,
    true,
    "Another `allOf` subschema adds constraints.",
    "`allOf` at '{path}' has more subschemas in the {update} schema",
    "keep the `allOf` at '{path}' to the old schema's subschemas"
);
rule!(
    PRODUCT_TYPE_NARROWED,
    false,
    false,
    "Fewer `allOf` subschemas lift constraints.",
    "`allOf` at '{path}' has fewer subschemas in the {update} schema",
    "nothing to fix under BACKWARD; for FORWARD keep every `allOf` subschema"
);
rule!(
    SUM_TYPE_EXTENDED,
    false,
    false,
    "Another `anyOf`/`oneOf` alternative accepts more values.",
    "`{keyword}` at '{path}' has more alternatives in the {update} schema",
    "nothing to fix under BACKWARD; for FORWARD keep the alternatives as they were"
);
rule!(
    SUM_TYPE_NARROWED,
    true,
    true,
    "Old values of a dropped alternative are rejected.",
    "`{keyword}` at '{path}' has fewer alternatives in the {update} schema",
    "keep every alternative of the old `{keyword}` at '{path}' in the new schema"
);
rule!(
    COMBINED_TYPE_SUBSCHEMAS_CHANGED,
    true,
    true,
    "Every old subschema must have a compatible counterpart (Confluent pairs them by maximum matching).",
    "The subschemas of the combined type at '{path}' in the {update} schema do not each match one in the {original} schema",
    "keep each old subschema of '{path}' (or a compatible version of it) in the new schema"
);
rule!(
    NOT_TYPE_EXTENDED,
    true,
    true,
    "A wider `not` schema rejects more values, some of them old.",
    "The `not` schema at '{path}' excludes more in the {update} schema",
    "keep `not` {old} at '{path}' in the new schema"
);
rule!(
    NOT_TYPE_NARROWED,
    false,
    false,
    "A narrower `not` schema rejects fewer values.",
    "The `not` schema at '{path}' excludes less in the {update} schema",
    "nothing to fix under BACKWARD; for FORWARD keep `not` {old}"
);

/// Every rule, in the order of the README table.
pub const ALL: &[Rule] = &[
    ID_CHANGED,
    DESCRIPTION_CHANGED,
    TITLE_CHANGED,
    DEFAULT_CHANGED,
    SCHEMA_ADDED,
    SCHEMA_REMOVED,
    TYPE_EXTENDED,
    TYPE_NARROWED,
    TYPE_CHANGED,
    MAX_LENGTH_ADDED,
    MAX_LENGTH_REMOVED,
    MAX_LENGTH_INCREASED,
    MAX_LENGTH_DECREASED,
    MIN_LENGTH_ADDED,
    MIN_LENGTH_REMOVED,
    MIN_LENGTH_DECREASED,
    MIN_LENGTH_INCREASED,
    PATTERN_ADDED,
    PATTERN_REMOVED,
    PATTERN_CHANGED,
    MAXIMUM_ADDED,
    MAXIMUM_REMOVED,
    MAXIMUM_INCREASED,
    MAXIMUM_DECREASED,
    MINIMUM_ADDED,
    MINIMUM_REMOVED,
    MINIMUM_DECREASED,
    MINIMUM_INCREASED,
    EXCLUSIVE_MAXIMUM_ADDED,
    EXCLUSIVE_MAXIMUM_REMOVED,
    EXCLUSIVE_MAXIMUM_INCREASED,
    EXCLUSIVE_MAXIMUM_DECREASED,
    EXCLUSIVE_MINIMUM_ADDED,
    EXCLUSIVE_MINIMUM_REMOVED,
    EXCLUSIVE_MINIMUM_DECREASED,
    EXCLUSIVE_MINIMUM_INCREASED,
    MULTIPLE_OF_ADDED,
    MULTIPLE_OF_REMOVED,
    MULTIPLE_OF_EXPANDED,
    MULTIPLE_OF_REDUCED,
    MULTIPLE_OF_CHANGED,
    REQUIRED_ATTRIBUTE_ADDED,
    REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED,
    REQUIRED_ATTRIBUTE_REMOVED,
    MAX_PROPERTIES_ADDED,
    MAX_PROPERTIES_REMOVED,
    MAX_PROPERTIES_INCREASED,
    MAX_PROPERTIES_DECREASED,
    MIN_PROPERTIES_ADDED,
    MIN_PROPERTIES_REMOVED,
    MIN_PROPERTIES_DECREASED,
    MIN_PROPERTIES_INCREASED,
    ADDITIONAL_PROPERTIES_ADDED,
    ADDITIONAL_PROPERTIES_REMOVED,
    ADDITIONAL_PROPERTIES_EXTENDED,
    ADDITIONAL_PROPERTIES_NARROWED,
    DEPENDENCY_ARRAY_ADDED,
    DEPENDENCY_ARRAY_REMOVED,
    DEPENDENCY_ARRAY_EXTENDED,
    DEPENDENCY_ARRAY_NARROWED,
    DEPENDENCY_ARRAY_CHANGED,
    DEPENDENCY_SCHEMA_ADDED,
    DEPENDENCY_SCHEMA_REMOVED,
    PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
    PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
    REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL,
    OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
    PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL,
    PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    MAX_ITEMS_ADDED,
    MAX_ITEMS_REMOVED,
    MAX_ITEMS_INCREASED,
    MAX_ITEMS_DECREASED,
    MIN_ITEMS_ADDED,
    MIN_ITEMS_REMOVED,
    MIN_ITEMS_DECREASED,
    MIN_ITEMS_INCREASED,
    UNIQUE_ITEMS_ADDED,
    UNIQUE_ITEMS_REMOVED,
    ADDITIONAL_ITEMS_ADDED,
    ADDITIONAL_ITEMS_REMOVED,
    ADDITIONAL_ITEMS_EXTENDED,
    ADDITIONAL_ITEMS_NARROWED,
    ITEM_ADDED_TO_OPEN_CONTENT_MODEL,
    ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
    ITEM_ADDED_TO_CLOSED_CONTENT_MODEL,
    ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL,
    ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
    ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
    ENUM_ARRAY_EXTENDED,
    ENUM_ARRAY_NARROWED,
    ENUM_ARRAY_CHANGED,
    COMBINED_TYPE_EXTENDED,
    COMBINED_TYPE_CHANGED,
    PRODUCT_TYPE_EXTENDED,
    PRODUCT_TYPE_NARROWED,
    SUM_TYPE_EXTENDED,
    SUM_TYPE_NARROWED,
    COMBINED_TYPE_SUBSCHEMAS_CHANGED,
    NOT_TYPE_EXTENDED,
    NOT_TYPE_NARROWED,
];

/// The rule with this identifier.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_unique_and_lenient_only_relaxes() {
        let mut ids: Vec<_> = ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
        assert!(ALL.iter().all(|r| r.breaking || !r.breaking_lenient));
        let relaxed: Vec<_> = ALL
            .iter()
            .filter(|r| r.breaking != r.breaking_lenient)
            .map(|r| r.id)
            .collect();
        assert_eq!(relaxed.len(), 5, "{relaxed:?}");
    }

    #[test]
    fn every_breaking_rule_says_what_to_keep() {
        for rule in ALL.iter().filter(|r| r.breaking) {
            assert!(!rule.hint.starts_with("nothing"), "{}", rule.id);
        }
    }

    #[test]
    fn templates_are_filled_once_and_values_are_not_read_as_templates() {
        let at = Occurrence {
            path: "#/properties/{was}",
            update: "new",
            original: "old",
            keyword: "maxLength",
            name: "{now}",
            was: "10",
            now: "5",
            old: "10",
        };
        let (message, hint) = MAX_LENGTH_DECREASED.describe(&at);
        assert!(message.contains("#/properties/{was}"), "{message}");
        assert!(hint.contains("10"), "{hint}");
        assert!(!message.contains("{path}") && !hint.contains("{old}"));
        let (_, hint) = SCHEMA_ADDED.describe(&at);
        assert!(
            hint.contains("(`{}`)") && hint.contains("`maxLength`"),
            "{hint}"
        );
        assert_eq!(fill("{unknown} {{}} {", &at), "{unknown} {} {");
    }
}
