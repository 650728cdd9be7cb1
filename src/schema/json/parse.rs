//! Reads JSON Schema documents: checks every keyword's shape (as Confluent's loader rejects
//! `"type": 5` or a bad `pattern`), records `$id` and anchor locations, and resolves every
//! `$ref`. The walk over a document is a heap stack: nesting is bounded by serde_json's
//! recursion limit (128) at parse time and costs nothing here but the stack's memory.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::uri;
use super::{Document, Draft, JsonSchema, RefLink};
use crate::schema::locate::pointer_position;
use crate::schema::{LoadError, SourceLocation};

/// The draft Confluent assumes without `$schema` (its `JsonSchema` loader defaults to draft 7).
pub const DEFAULT_DRAFT: Draft = Draft::Draft7;

/// JSON types a `type` keyword may name.
const TYPES: &[&str] = &[
    "null", "boolean", "object", "array", "number", "integer", "string",
];

/// Keywords whose value is one subschema.
const ONE: &[&str] = &[
    "additionalItems",
    "additionalProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "contentSchema",
];
/// Keywords whose value maps names to subschemas.
const MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
];
/// Keywords whose value is a non-empty array of subschemas.
const ARRAYS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value is a non-negative integer.
const COUNTS: &[&str] = &[
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
    "maxProperties",
    "minProperties",
    "maxContains",
    "minContains",
];

/// A problem at a JSON pointer of one document.
struct Failure {
    doc: usize,
    pointer: String,
    message: String,
}

fn fail<T>(doc: usize, pointer: &str, message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        doc,
        pointer: pointer.to_string(),
        message: message.into(),
    })
}

/// A `$ref` met in the walk, resolved once every `$id` is known.
struct PendingRef {
    doc: usize,
    at: String,
    base: String,
    reference: String,
}

#[derive(Default)]
struct Index {
    /// Schema resources by absolute URI (without fragment): `(doc, pointer)`.
    resources: HashMap<String, (usize, String)>,
    /// Plain-name fragments (`$anchor`, draft 6/7 `"$id": "#name"`) by (resource URI, name).
    anchors: HashMap<(String, String), (usize, String)>,
    /// Confluent references by name.
    names: HashMap<String, usize>,
    pending: Vec<PendingRef>,
}

pub fn parse(
    source: &str,
    text: &str,
    references: &[(&str, &str)],
) -> Result<JsonSchema, LoadError> {
    let mut texts = vec![(source, text)];
    texts.extend(references.iter().copied());
    let mut docs = Vec::with_capacity(texts.len());
    for (name, text) in &texts {
        let value: Value = serde_json::from_str(text).map_err(|e| LoadError::Invalid {
            location: SourceLocation::at(*name, e.line().max(1), e.column().max(1)),
            message: format!("invalid JSON: {e}"),
        })?;
        docs.push(Document {
            name: name.to_string(),
            value,
            draft: DEFAULT_DRAFT,
        });
    }
    let located = |f: Failure| {
        let (name, text) = texts[f.doc];
        let (line, column) = pointer_position(text, &f.pointer).unwrap_or((1, 1));
        let message = if f.pointer.is_empty() {
            f.message
        } else {
            format!("{} (at {})", f.message, f.pointer)
        };
        LoadError::Invalid {
            location: SourceLocation::at(name, line, column),
            message,
        }
    };
    let mut index = Index::default();
    for (i, doc) in docs.iter_mut().enumerate() {
        doc.draft = draft_of(i, &doc.value).map_err(located)?;
        if i > 0 {
            index.names.insert(doc.name.clone(), i);
        }
    }
    for (i, doc) in docs.iter().enumerate() {
        let base = if i == 0 {
            String::new()
        } else {
            doc.name.clone()
        };
        walk(i, &doc.value, doc.draft, &base, &mut index).map_err(located)?;
    }
    let refs = resolve(&docs, &index).map_err(located)?;
    Ok(JsonSchema { docs, refs })
}

fn draft_of(doc: usize, value: &Value) -> Result<Draft, Failure> {
    match value.get("$schema") {
        None => Ok(DEFAULT_DRAFT),
        Some(Value::String(s)) => Draft::from_uri(s).map_or_else(
            || {
                fail(
                    doc,
                    "/$schema",
                    format!(
                        "unsupported \"$schema\" '{s}' (expected draft-04, draft-06, draft-07, 2019-09 or 2020-12)"
                    ),
                )
            },
            Ok,
        ),
        Some(_) => fail(doc, "/$schema", "\"$schema\" must be a string"),
    }
}

/// Checks one document's schemas and records its `$id`s, anchors and `$ref`s.
fn walk(
    doc: usize,
    root: &Value,
    draft: Draft,
    doc_base: &str,
    index: &mut Index,
) -> Result<(), Failure> {
    index
        .resources
        .entry(doc_base.to_string())
        .or_insert((doc, String::new()));
    let mut stack: Vec<(String, &Value, String)> = vec![(String::new(), root, doc_base.into())];
    while let Some((ptr, value, base)) = stack.pop() {
        let object = match value {
            Value::Bool(_) => continue,
            Value::Object(o) => o,
            other => {
                return fail(
                    doc,
                    &ptr,
                    format!(
                        "a schema must be an object or a boolean, not {}",
                        kind(other)
                    ),
                )
            }
        };
        let base = identify(doc, &ptr, object, draft, &base, index)?;
        check_keywords(doc, &ptr, object, draft)?;
        if let Some(reference) = object.get("$ref") {
            let Value::String(reference) = reference else {
                return fail(doc, &format!("{ptr}/$ref"), "\"$ref\" must be a string");
            };
            index.pending.push(PendingRef {
                doc,
                at: ptr.clone(),
                base: base.clone(),
                reference: reference.clone(),
            });
        }
        let mut push = |p: String, value| {
            stack.push((p, value, base.clone()));
        };
        for (key, child) in object {
            let key_ptr = format!("{ptr}/{}", uri::escape_token(key));
            if ONE.contains(&key.as_str()) {
                push(key_ptr, child);
            } else if key == "items" {
                match child {
                    Value::Array(items) if draft < Draft::Draft2020_12 => {
                        for (i, item) in items.iter().enumerate() {
                            push(format!("{key_ptr}/{i}"), item);
                        }
                    }
                    _ => push(key_ptr, child),
                }
            } else if MAPS.contains(&key.as_str()) || key == "dependencies" {
                let Value::Object(map) = child else {
                    return fail(doc, &key_ptr, format!("\"{key}\" must be an object"));
                };
                for (name, sub) in map {
                    let sub_ptr = format!("{key_ptr}/{}", uri::escape_token(name));
                    if key == "dependencies" {
                        match sub {
                            Value::Array(_) => {
                                strings(doc, &sub_ptr, sub, &format!("\"{key}\" arrays"))?
                            }
                            _ => push(sub_ptr, sub),
                        }
                    } else {
                        if key == "patternProperties" {
                            check_pattern(doc, &sub_ptr, name)?;
                        }
                        push(sub_ptr, sub);
                    }
                }
            } else if ARRAYS.contains(&key.as_str()) {
                let Value::Array(items) = child else {
                    return fail(
                        doc,
                        &key_ptr,
                        format!("\"{key}\" must be an array of schemas"),
                    );
                };
                if items.is_empty() && key != "prefixItems" {
                    return fail(doc, &key_ptr, format!("\"{key}\" must not be empty"));
                }
                for (i, item) in items.iter().enumerate() {
                    push(format!("{key_ptr}/{i}"), item);
                }
            }
        }
    }
    Ok(())
}

/// Records the schema's `$id` (or draft 4's `id`) and anchors; returns its base URI.
fn identify(
    doc: usize,
    ptr: &str,
    object: &Map<String, Value>,
    draft: Draft,
    base: &str,
    index: &mut Index,
) -> Result<String, Failure> {
    let id_key = if draft == Draft::Draft4 { "id" } else { "$id" };
    let mut base = base.to_string();
    if let Some(id) = object.get(id_key) {
        let Value::String(id) = id else {
            return fail(
                doc,
                &format!("{ptr}/{id_key}"),
                format!("\"{id_key}\" must be a string"),
            );
        };
        if let Some(anchor) = id.strip_prefix('#').filter(|_| draft <= Draft::Draft7) {
            let (resource, _) = uri::split(&base);
            index.anchors.insert(
                (resource.to_string(), anchor.to_string()),
                (doc, ptr.to_string()),
            );
        } else {
            base = uri::join(&base, id);
            let (resource, _) = uri::split(&base);
            index
                .resources
                .insert(resource.to_string(), (doc, ptr.to_string()));
        }
    }
    for key in ["$anchor", "$dynamicAnchor"] {
        if let Some(anchor) = object.get(key) {
            let Value::String(anchor) = anchor else {
                return fail(
                    doc,
                    &format!("{ptr}/{key}"),
                    format!("\"{key}\" must be a string"),
                );
            };
            let (resource, _) = uri::split(&base);
            index.anchors.insert(
                (resource.to_string(), anchor.clone()),
                (doc, ptr.to_string()),
            );
        }
    }
    Ok(base)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn strings(doc: usize, ptr: &str, value: &Value, what: &str) -> Result<(), Failure> {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if !item.is_string() {
                    return fail(
                        doc,
                        &format!("{ptr}/{i}"),
                        format!("{what} must hold only strings, not {}", kind(item)),
                    );
                }
            }
            Ok(())
        }
        other => fail(
            doc,
            ptr,
            format!("{what} must be an array of strings, not {}", kind(other)),
        ),
    }
}

/// Confluent's loader rejects keywords of the wrong JSON type; so does this.
fn check_keywords(
    doc: usize,
    ptr: &str,
    object: &Map<String, Value>,
    draft: Draft,
) -> Result<(), Failure> {
    for (key, value) in object {
        let at = format!("{ptr}/{}", uri::escape_token(key));
        match key.as_str() {
            "type" => {
                let ok = |v: &Value| v.as_str().is_some_and(|s| TYPES.contains(&s));
                let valid = match value {
                    Value::Array(items) => items.iter().all(ok),
                    other => ok(other),
                };
                if !valid {
                    return fail(
                        doc,
                        &at,
                        format!(
                            "\"type\" must name JSON types ({}) as a string or an array of strings",
                            TYPES.join(", ")
                        ),
                    );
                }
            }
            "required" => {
                // Draft 3 style `"required": true` is not JSON Schema 4+.
                strings(doc, &at, value, "\"required\"")?;
            }
            "dependentRequired" => {
                let Value::Object(map) = value else {
                    return fail(doc, &at, "\"dependentRequired\" must be an object");
                };
                for (name, list) in map {
                    strings(
                        doc,
                        &format!("{at}/{}", uri::escape_token(name)),
                        list,
                        "\"dependentRequired\" values",
                    )?;
                }
            }
            "enum" if !value.is_array() => {
                return fail(
                    doc,
                    &at,
                    format!("\"enum\" must be an array, not {}", kind(value)),
                );
            }
            "pattern" => match value {
                Value::String(p) => check_pattern(doc, &at, p)?,
                other => {
                    return fail(
                        doc,
                        &at,
                        format!("\"pattern\" must be a string, not {}", kind(other)),
                    )
                }
            },
            "maximum" | "minimum" if !value.is_number() => {
                return fail(
                    doc,
                    &at,
                    format!("\"{key}\" must be a number, not {}", kind(value)),
                );
            }
            "exclusiveMaximum" | "exclusiveMinimum" => {
                let valid = if draft == Draft::Draft4 {
                    value.is_boolean()
                } else {
                    value.is_number()
                };
                if !valid {
                    let want = if draft == Draft::Draft4 {
                        "a boolean in draft 4"
                    } else {
                        "a number"
                    };
                    return fail(
                        doc,
                        &at,
                        format!("\"{key}\" must be {want}, not {}", kind(value)),
                    );
                }
            }
            "multipleOf" if !value.as_f64().is_some_and(|n| n > 0.0) => {
                return fail(doc, &at, "\"multipleOf\" must be a number greater than 0");
            }
            "uniqueItems" if !value.is_boolean() => {
                return fail(
                    doc,
                    &at,
                    format!("\"uniqueItems\" must be a boolean, not {}", kind(value)),
                );
            }
            "title" | "description" | "$comment" if !value.is_string() => {
                return fail(
                    doc,
                    &at,
                    format!("\"{key}\" must be a string, not {}", kind(value)),
                );
            }
            k if COUNTS.contains(&k) && value.as_u64().is_none() => {
                return fail(
                    doc,
                    &at,
                    format!("\"{key}\" must be a non-negative integer, not {value}"),
                );
            }
            "items" if draft >= Draft::Draft2020_12 && value.is_array() => {
                return fail(
                    doc,
                    &at,
                    "\"items\" must be a schema in draft 2020-12 (use \"prefixItems\" for tuples)",
                );
            }
            "items" if !(value.is_object() || value.is_boolean() || value.is_array()) => {
                return fail(
                    doc,
                    &at,
                    format!(
                        "\"items\" must be a schema or an array of schemas, not {}",
                        kind(value)
                    ),
                );
            }
            _ => {}
        }
    }
    Ok(())
}

/// A `pattern` is an ECMA 262 regular expression; Confluent's loader compiles it and rejects a
/// malformed one. Constructs the `regex` crate does not implement (look-around, back-references)
/// are accepted unjudged rather than refused.
fn check_pattern(doc: usize, ptr: &str, pattern: &str) -> Result<(), Failure> {
    match regex::Regex::new(pattern) {
        Ok(_) => Ok(()),
        Err(regex::Error::Syntax(message))
            if message.contains("look-around") || message.contains("backreferences") =>
        {
            Ok(())
        }
        Err(regex::Error::CompiledTooBig(_)) => Ok(()),
        Err(e) => fail(
            doc,
            ptr,
            format!(
                "invalid regular expression '{pattern}': {}",
                first_line(&e.to_string())
            ),
        ),
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(text)
        .trim()
        .to_string()
}

/// Resolves every pending `$ref` and follows chains of `$ref`-only schemas to their end.
fn resolve(docs: &[Document], index: &Index) -> Result<Vec<RefLink>, Failure> {
    let mut direct: HashMap<(usize, String), (usize, String)> = HashMap::new();
    let mut order = Vec::with_capacity(index.pending.len());
    for pending in &index.pending {
        let target = resolve_one(docs, index, pending)?;
        order.push((pending.doc, pending.at.clone()));
        direct.insert((pending.doc, pending.at.clone()), target);
    }
    // Follow chains with a memo: each link is walked once overall.
    let mut last: HashMap<(usize, String), (usize, String)> = HashMap::new();
    let mut links = Vec::with_capacity(order.len());
    for start in order {
        let mut chain = vec![start.clone()];
        let mut in_chain: HashSet<(usize, String)> = HashSet::from([start.clone()]);
        let end = loop {
            let here = chain.last().expect("the chain starts with one link");
            if let Some(end) = last.get(here) {
                break end.clone();
            }
            let next = direct[here].clone();
            if !direct.contains_key(&next) {
                break next;
            }
            if !in_chain.insert(next.clone()) {
                return fail(
                    start.0,
                    &format!("{}/$ref", start.1),
                    "\"$ref\" cycle: these references only point at each other and never reach a schema",
                );
            }
            chain.push(next);
        };
        for link in chain {
            last.insert(link, end.clone());
        }
        links.push(RefLink {
            doc: start.0,
            at: start.1.clone(),
            target_doc: end.0,
            target: end.1,
        });
    }
    Ok(links)
}

fn resolve_one(
    docs: &[Document],
    index: &Index,
    pending: &PendingRef,
) -> Result<(usize, String), Failure> {
    let at = format!("{}/$ref", pending.at);
    let absolute = uri::join(&pending.base, &pending.reference);
    let (resource, fragment) = uri::split(&absolute);
    let (raw_resource, _) = uri::split(&pending.reference);
    let found = index
        .resources
        .get(resource)
        .cloned()
        .or_else(|| index.names.get(raw_resource).map(|&d| (d, String::new())))
        .or_else(|| index.names.get(resource).map(|&d| (d, String::new())));
    let Some((doc, root_ptr)) = found else {
        return fail(
            pending.doc,
            &at,
            format!(
                "cannot resolve \"$ref\" '{}': '{resource}' is neither this document nor one of its schema references (schemactl never fetches URLs)",
                pending.reference
            ),
        );
    };
    let Some(fragment) = uri::percent_decode(fragment) else {
        return fail(
            pending.doc,
            &at,
            format!("\"$ref\" '{}' has a malformed %-escape", pending.reference),
        );
    };
    let target = if fragment.is_empty() {
        root_ptr
    } else if fragment.starts_with('/') {
        format!("{root_ptr}{fragment}")
    } else {
        match index.anchors.get(&(resource.to_string(), fragment.clone())) {
            Some((anchor_doc, ptr)) if *anchor_doc == doc => ptr.clone(),
            _ => {
                return fail(
                    pending.doc,
                    &at,
                    format!(
                        "cannot resolve \"$ref\" '{}': no anchor '{fragment}'",
                        pending.reference
                    ),
                )
            }
        }
    };
    if docs[doc].value.pointer(&target).is_none() {
        return fail(
            pending.doc,
            &at,
            format!(
                "cannot resolve \"$ref\" '{}': nothing at '{fragment}'",
                pending.reference
            ),
        );
    }
    Ok((doc, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse("s.json", text, &[]).unwrap_err().to_string()
    }

    #[test]
    fn keyword_types_are_checked_with_a_position() {
        assert_eq!(
            error("{\n  \"properties\": {\"a\": {\"type\": 5}}\n}"),
            "s.json:2:32: \"type\" must name JSON types (null, boolean, object, array, number, integer, string) as a string or an array of strings (at /properties/a/type)"
        );
        assert!(error(r#"{"required": "a"}"#)
            .starts_with("s.json:1:14: \"required\" must be an array of strings"));
        assert!(error(r#"{"required": ["a", 1]}"#).contains("(at /required/1)"));
        assert!(error(r#"{"pattern": "a("}"#).contains("invalid regular expression"));
        assert!(error("5").contains("a schema must be an object or a boolean, not a number"));
        assert!(error(r#"{"maxLength": -1}"#).contains("non-negative integer"));
    }

    #[test]
    fn look_around_patterns_are_accepted_unjudged() {
        assert!(parse("s", r#"{"pattern": "^(?!x)"}"#, &[]).is_ok());
    }

    #[test]
    fn refs_resolve_locally_by_pointer_id_and_anchor() {
        let s = parse(
            "s",
            r##"{"$id": "http://x.test/root.json",
                "properties": {
                  "a": {"$ref": "#/definitions/a~1b"},
                  "b": {"$ref": "#/definitions/with%20space"},
                  "c": {"$ref": "item.json"},
                  "d": {"$ref": "#anchor"},
                  "e": {"$ref": "#/properties/a"}},
                "definitions": {
                  "a/b": {"type": "string"},
                  "with space": {"type": "integer"},
                  "item": {"$id": "item.json", "type": "number"},
                  "named": {"$id": "#anchor", "type": "null"}}}"##,
            &[],
        )
        .unwrap();
        let targets: Vec<_> = s.ref_links().iter().map(|l| l.target.as_str()).collect();
        assert!(targets.contains(&"/definitions/a~1b"));
        assert!(targets.contains(&"/definitions/with space"));
        assert!(targets.contains(&"/definitions/item"));
        assert!(targets.contains(&"/definitions/named"));
        // `e` points at `a`, which only points on: the chain ends at `a`'s target.
        let e = s
            .ref_links()
            .iter()
            .find(|l| l.at == "/properties/e")
            .unwrap();
        assert_eq!(e.target, "/definitions/a~1b");
    }

    #[test]
    fn references_resolve_by_name_with_fragments() {
        let s = parse(
            "s",
            r#"{"properties": {"c": {"$ref": "customer.json#/definitions/id"}}}"#,
            &[(
                "customer.json",
                r#"{"definitions": {"id": {"type": "string"}}}"#,
            )],
        )
        .unwrap();
        assert_eq!(s.ref_links()[0].target_doc, 1);
    }

    #[test]
    fn remote_and_dangling_refs_are_errors_at_their_position() {
        let remote = error("{\n \"$ref\": \"http://example.com/s.json\"}");
        assert!(
            remote.starts_with("s.json:2:10: cannot resolve"),
            "{remote}"
        );
        assert!(remote.contains("never fetches"));
        assert!(error(r##"{"$ref": "#/definitions/missing"}"##).contains("nothing at"));
        assert!(error(r##"{"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}}"##)
            .contains("cycle"));
    }

    #[test]
    fn drafts_come_from_schema_with_draft_7_by_default() {
        assert_eq!(parse("s", "{}", &[]).unwrap().draft(), Draft::Draft7);
        let s = parse(
            "s",
            r#"{"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMaximum": true}"#,
            &[],
        );
        assert_eq!(s.unwrap().draft(), Draft::Draft4);
        assert!(error(r#"{"exclusiveMaximum": true}"#).contains("must be a number"));
        assert!(
            error(r#"{"$schema": "http://json-schema.org/draft-03/schema#"}"#)
                .contains("unsupported")
        );
    }

    #[test]
    fn deep_nesting_is_bad_input_not_a_crash() {
        let text = format!(
            "{}{}",
            "{\"not\":".repeat(200),
            "{}".to_string() + &"}".repeat(200)
        );
        assert!(error(&text).contains("recursion limit exceeded"));
    }
}
