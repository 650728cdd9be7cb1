//! The structural diff of two JSON Schema documents: properties added and removed, types,
//! `required`, bounds and the other constraint keywords, at Confluent-style paths
//! (`#/properties/address/properties/zip`).
//!
//! It reads the documents as written (no `$ref` is followed: a changed `$ref` is shown as such,
//! and the referenced definition's own changes under `#/definitions/..`), so it needs nothing
//! from the compatibility engine. The walk uses a heap stack; the comparisons of whole values
//! recurse, bounded by serde_json's nesting limit (128) on every parsed document.

use serde_json::{Map, Value};

use super::diff::Change;

/// Keywords whose value is compared as a whole (a bound, a format, a list of values).
const SCALAR_KEYWORDS: &[&str] = &[
    "$ref",
    "const",
    "enum",
    "format",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "default",
];

/// Keywords holding one subschema, walked into.
const SUBSCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
];

/// Keywords holding a map of subschemas by name (`properties` is handled on its own: its
/// additions and removals are the diff's main news).
const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
];

/// Keywords holding a list of subschemas, compared position by position.
const SCHEMA_LIST_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// The differences from `old` to `new`.
pub fn json_diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let mut pending: Vec<(String, &Value, &Value)> = vec![("#".to_string(), old, new)];
    while let Some((path, old, new)) = pending.pop() {
        let mut children = Vec::new();
        compare(&path, old, new, &mut out, &mut children);
        // Reversed, so that the stack visits children in document order.
        pending.extend(children.into_iter().rev());
    }
    out
}

fn compare<'a>(
    path: &str,
    old: &'a Value,
    new: &'a Value,
    out: &mut Vec<Change>,
    children: &mut Vec<(String, &'a Value, &'a Value)>,
) {
    if old == new {
        return;
    }
    let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
        // A boolean schema (`true`, `false`) on either side: show the whole change.
        out.push(change(
            '~',
            path,
            format!("schema {} -> {}", short(old), short(new)),
        ));
        return;
    };
    let show = |v: Option<&Value>| v.map_or("none".to_string(), short);
    if o.get("type") != n.get("type") {
        out.push(change(
            '~',
            path,
            format!("type {} -> {}", show(o.get("type")), show(n.get("type"))),
        ));
    }
    properties(path, o, n, out, children);
    for &keyword in SCALAR_KEYWORDS {
        if o.get(keyword) != n.get(keyword) {
            out.push(change(
                '~',
                path,
                format!(
                    "{keyword} {} -> {}",
                    show(o.get(keyword)),
                    show(n.get(keyword))
                ),
            ));
        }
    }
    for &keyword in SUBSCHEMA_KEYWORDS {
        let at = format!("{path}/{keyword}");
        match (o.get(keyword), n.get(keyword)) {
            (Some(a), Some(b)) => children.push((at, a, b)),
            (None, Some(b)) => out.push(change('+', &at, short(b))),
            (Some(a), None) => out.push(change('-', &at, short(a))),
            (None, None) => {}
        }
    }
    for &keyword in SCHEMA_MAP_KEYWORDS {
        let (a, b) = (schema_map(o, keyword), schema_map(n, keyword));
        for (name, schema) in b.into_iter().flatten() {
            let at = format!("{path}/{keyword}/{}", escape(name));
            match a.and_then(|a| a.get(name)) {
                Some(before) => children.push((at, before, schema)),
                None => out.push(change('+', &at, short(schema))),
            }
        }
        let kept = |name: &String| b.is_some_and(|b| b.contains_key(name));
        for (name, schema) in a.into_iter().flatten().filter(|(name, _)| !kept(name)) {
            let at = format!("{path}/{keyword}/{}", escape(name));
            out.push(change('-', &at, short(schema)));
        }
    }
    for &keyword in SCHEMA_LIST_KEYWORDS {
        let a = o
            .get(keyword)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let b = n
            .get(keyword)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for i in 0..a.len().max(b.len()) {
            let at = format!("{path}/{keyword}/{i}");
            match (a.get(i), b.get(i)) {
                (Some(x), Some(y)) => children.push((at, x, y)),
                (None, Some(y)) => out.push(change('+', &at, short(y))),
                (Some(x), None) => out.push(change('-', &at, short(x))),
                (None, None) => {}
            }
        }
    }
}

/// Properties added, removed, made required or optional; kept ones are walked into.
fn properties<'a>(
    path: &str,
    o: &'a Map<String, Value>,
    n: &'a Map<String, Value>,
    out: &mut Vec<Change>,
    children: &mut Vec<(String, &'a Value, &'a Value)>,
) {
    let (before, after) = (schema_map(o, "properties"), schema_map(n, "properties"));
    let required = |m: &Map<String, Value>, name: &str| {
        m.get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v.as_str() == Some(name)))
    };
    let requirement = |yes: bool| if yes { "required" } else { "optional" };
    for (name, schema) in after.into_iter().flatten() {
        let at = format!("{path}/properties/{}", escape(name));
        match before.and_then(|b| b.get(name)) {
            None => out.push(change(
                '+',
                &at,
                format!(
                    "property {} ({})",
                    short(schema),
                    requirement(required(n, name))
                ),
            )),
            Some(old_schema) => {
                let (was, is) = (required(o, name), required(n, name));
                if was != is {
                    out.push(change(
                        '~',
                        &at,
                        format!("{} -> {}", requirement(was), requirement(is)),
                    ));
                }
                children.push((at, old_schema, schema));
            }
        }
    }
    let kept = |name: &String| after.is_some_and(|a| a.contains_key(name));
    for (name, schema) in before.into_iter().flatten().filter(|(name, _)| !kept(name)) {
        let at = format!("{path}/properties/{}", escape(name));
        out.push(change(
            '-',
            &at,
            format!(
                "property {} ({}) removed",
                short(schema),
                requirement(required(o, name))
            ),
        ));
    }
}

/// The subschemas by name under `keyword` (`properties`, `$defs` …), if it holds an object.
fn schema_map<'a>(schema: &'a Map<String, Value>, keyword: &str) -> Option<&'a Map<String, Value>> {
    schema.get(keyword).and_then(Value::as_object)
}

fn change(sign: char, place: &str, description: String) -> Change {
    Change {
        sign,
        place: place.to_string(),
        description,
    }
}

/// A schema or value in a few words: its `type` (or `$ref`) for an object schema, else the
/// compact JSON, cut at 60 characters.
fn short(value: &Value) -> String {
    if let Some(map) = value.as_object() {
        if let Some(t) = map.get("type") {
            return match t {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
        }
        if let Some(Value::String(r)) = map.get("$ref") {
            return format!("$ref {r}");
        }
    }
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// A property name as a JSON pointer token (RFC 6901).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lines(old: Value, new: Value) -> Vec<String> {
        json_diff(&old, &new)
            .iter()
            .map(|c| format!("{} {} {}", c.sign, c.place, c.description))
            .collect()
    }

    #[test]
    fn lists_properties_types_requirements_and_bounds() {
        let old = json!({
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string", "maxLength": 20},
                "gone": {"type": "boolean"}
            },
            "required": ["id"]
        });
        let new = json!({
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string", "maxLength": 10},
                "email": {"type": "string", "format": "email"}
            },
            "required": ["id", "name"]
        });
        assert_eq!(
            lines(old, new),
            [
                "+ #/properties/email property string (optional)",
                "~ #/properties/name optional -> required",
                "- #/properties/gone property boolean (optional) removed",
                "~ #/properties/id type \"integer\" -> \"string\"",
                "~ #/properties/name maxLength 20 -> 10",
            ]
        );
    }

    #[test]
    fn the_same_schema_has_no_changes() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        assert!(lines(schema.clone(), schema).is_empty());
    }

    #[test]
    fn nested_objects_and_definitions_are_walked() {
        let old = json!({"definitions": {"A": {"type": "object", "properties": {"x": {"type": "integer"}}}},
                         "properties": {"a": {"$ref": "#/definitions/A"}}});
        let new = json!({"definitions": {"A": {"type": "object", "properties": {"x": {"type": "number", "minimum": 0}}}},
                         "properties": {"a": {"$ref": "#/definitions/A"}}});
        assert_eq!(
            lines(old, new),
            [
                "~ #/definitions/A/properties/x type \"integer\" -> \"number\"",
                "~ #/definitions/A/properties/x minimum none -> 0",
            ]
        );
    }
}
