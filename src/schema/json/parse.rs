//! Reads JSON Schema documents: checks every keyword's shape (as Confluent's loader rejects
//! `"type": 5` or a bad `pattern`), records `$id` and anchor locations, and resolves every
//! `$ref`. The walk over a document is a heap stack: nesting is bounded by serde_json's
//! recursion limit (128) at parse time and costs nothing here but the stack's memory.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

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
    /// `$ref`s resolved to a file on disk, by (referring document, URI without fragment).
    files: HashMap<(usize, String), usize>,
    pending: Vec<PendingRef>,
}

/// File references nest at most this deep (as registry references do); deeper is an error.
pub const MAX_FILE_DEPTH: usize = 64;

/// Where `$ref`s to other files are looked for: beside the referring file, then in each
/// directory of `include` (as Protobuf imports are).
pub struct Files<'a> {
    /// The root document's file.
    pub root: &'a Path,
    pub include: &'a [PathBuf],
    /// The files of the named references, in their order (their own `$ref`s to files are read
    /// beside them).
    pub references: &'a [&'a Path],
}

pub fn parse(
    source: &str,
    text: &str,
    references: &[(&str, &str)],
) -> Result<JsonSchema, LoadError> {
    parse_with_files(source, text, references, None)
}

/// [`parse`], and with `files`, a `$ref` that names neither the document nor a reference is read
/// from the file its relative URI names (transitively), as a reference named by that URI.
pub fn parse_with_files(
    source: &str,
    text: &str,
    references: &[(&str, &str)],
    files: Option<&Files<'_>>,
) -> Result<JsonSchema, LoadError> {
    let mut texts: Vec<(Cow<str>, Cow<str>)> = vec![(source.into(), text.into())];
    texts.extend(references.iter().map(|(n, t)| ((*n).into(), (*t).into())));
    let mut docs = Vec::with_capacity(texts.len());
    for (name, text) in &texts {
        docs.push(document(name, name, text)?);
    }
    let mut index = Index::default();
    for (i, doc) in docs.iter_mut().enumerate() {
        doc.draft = draft_of(i, &doc.value).map_err(|f| located(&texts, f))?;
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
        walk(i, &doc.value, doc.draft, &base, &mut index).map_err(|f| located(&texts, f))?;
    }
    if let Some(files) = files {
        docs[0].file = Some(files.root.to_path_buf());
        for (doc, file) in docs[1..].iter_mut().zip(files.references) {
            doc.file = Some(file.to_path_buf());
        }
        load_files(files, &mut docs, &mut texts, &mut index)?;
    }
    let (refs, doc_refs) = resolve(&docs, &index).map_err(|f| located(&texts, f))?;
    Ok(JsonSchema {
        docs,
        refs,
        doc_refs,
    })
}

/// A document's JSON; `source` names it in errors, `name` is how `$ref`s name it.
fn document(source: &str, name: &str, text: &str) -> Result<Document, LoadError> {
    let value: Value = serde_json::from_str(text).map_err(|e| LoadError::Invalid {
        location: SourceLocation::at(source, e.line().max(1), e.column().max(1)),
        message: format!("invalid JSON: {e}"),
    })?;
    Ok(Document {
        name: name.to_string(),
        value,
        draft: DEFAULT_DRAFT,
        file: None,
    })
}

/// A failure at its file, line and column.
fn located(texts: &[(Cow<str>, Cow<str>)], f: Failure) -> LoadError {
    let (name, text) = &texts[f.doc];
    let (line, column) = pointer_position(text, &f.pointer).unwrap_or((1, 1));
    let message = if f.pointer.is_empty() {
        f.message
    } else {
        format!("{} (at {})", f.message, f.pointer)
    };
    LoadError::Invalid {
        location: SourceLocation::at(name.as_ref(), line, column),
        message,
    }
}

/// Reads the files that the pending `$ref`s name and nothing else resolves, then theirs, in the
/// order met. A file is read once, however many names reach it, so cycles end; chains of new
/// files end at [`MAX_FILE_DEPTH`].
fn load_files(
    files: &Files<'_>,
    docs: &mut Vec<Document>,
    texts: &mut Vec<(Cow<str>, Cow<str>)>,
    index: &mut Index,
) -> Result<(), LoadError> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut by_path: HashMap<PathBuf, usize> = HashMap::new();
    // Per document: its directory on disk (none for registry references) and file depth.
    let mut dirs: Vec<Option<PathBuf>> = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        let file = doc.file.as_deref();
        if let Some(file) = file {
            by_path.entry(canonical(file)).or_insert(i);
        }
        dirs.push(file.map(|f| f.parent().map(Path::to_path_buf).unwrap_or_default()));
    }
    let mut depths = vec![0usize; docs.len()];
    let mut next = 0;
    while next < index.pending.len() {
        let pending = &index.pending[next];
        next += 1;
        let (raw, _) = uri::split(&pending.reference);
        if !super::is_relative_path(raw) || find_doc(index, pending).is_some() {
            continue;
        }
        let Some(dir) = &dirs[pending.doc] else {
            continue;
        };
        let (doc, raw) = (pending.doc, raw.to_string());
        let at = format!("{}/$ref", pending.at);
        let reference = pending.reference.clone();
        let fail_here = |message: String| {
            located(
                texts,
                Failure {
                    doc,
                    pointer: at.clone(),
                    message,
                },
            )
        };
        let relative = uri::percent_decode(&raw)
            .ok_or_else(|| fail_here(format!("\"$ref\" '{reference}' has a malformed %-escape")))?;
        let candidates: Vec<PathBuf> = std::iter::once(dir.join(&relative))
            .chain(files.include.iter().map(|d| d.join(&relative)))
            .collect();
        let Some(found) = candidates.iter().find(|p| p.is_file()) else {
            let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
            return Err(fail_here(format!(
                "cannot resolve \"$ref\" '{reference}': no file '{relative}' beside the referring file or in an -I DIR (looked for {})",
                looked.join(", ")
            )));
        };
        let key = canonical(found);
        if let Some(&known) = by_path.get(&key) {
            index.files.insert((doc, raw), known);
            continue;
        }
        if depths[doc] >= MAX_FILE_DEPTH {
            return Err(fail_here(format!(
                "cannot resolve \"$ref\" '{reference}': file references nest deeper than {MAX_FILE_DEPTH} levels"
            )));
        }
        // Named as a reference of that URI would be, relative to the referring reference's name.
        let name = if doc == 0 {
            raw.clone()
        } else {
            uri::join(&docs[doc].name, &raw)
        };
        if let Some(&other) = index.names.get(&name) {
            return Err(fail_here(format!(
                "cannot resolve \"$ref\" '{reference}': {} and {} would both be the reference '{name}'; give one of them another file name",
                found.display(),
                texts[other].0
            )));
        }
        let text = std::fs::read_to_string(found).map_err(|source| LoadError::Io {
            path: found.clone(),
            source,
        })?;
        let source = found.display().to_string();
        let mut new = document(&source, &name, &text)?;
        let i = docs.len();
        texts.push((source.into(), text.into()));
        new.draft = draft_of(i, &new.value).map_err(|f| located(texts, f))?;
        new.file = Some(found.clone());
        walk(i, &new.value, new.draft, &name, index).map_err(|f| located(texts, f))?;
        dirs.push(Some(
            found.parent().map(Path::to_path_buf).unwrap_or_default(),
        ));
        depths.push(depths[doc] + 1);
        by_path.insert(key, i);
        index.names.insert(name, i);
        index.files.insert((doc, raw), i);
        docs.push(new);
    }
    Ok(())
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

/// A `$ref` from one document to another: (referring document, the `$ref`'s URI without
/// fragment, the document it names).
type DocRef = (usize, String, usize);

/// Resolves every pending `$ref` and follows chains of `$ref`-only schemas to their end; also
/// gives the documents each document's `$ref`s name (sorted, each once).
fn resolve(docs: &[Document], index: &Index) -> Result<(Vec<RefLink>, Vec<DocRef>), Failure> {
    let mut direct: HashMap<(usize, String), (usize, String)> = HashMap::new();
    let mut order = Vec::with_capacity(index.pending.len());
    let mut doc_refs: HashSet<DocRef> = HashSet::new();
    for pending in &index.pending {
        let target = resolve_one(docs, index, pending)?;
        let (resource, _) = uri::split(&pending.reference);
        if target.0 != pending.doc && !resource.is_empty() {
            doc_refs.insert((pending.doc, resource.to_string(), target.0));
        }
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
    let mut doc_refs: Vec<DocRef> = doc_refs.into_iter().collect();
    doc_refs.sort();
    Ok((links, doc_refs))
}

/// The document (and the pointer of the schema resource in it) a `$ref` names: a file it was
/// read from, a resource of that URI (`$id`), or a reference of that name.
fn find_doc(index: &Index, pending: &PendingRef) -> Option<(usize, String)> {
    let absolute = uri::join(&pending.base, &pending.reference);
    let (resource, _) = uri::split(&absolute);
    let (raw_resource, _) = uri::split(&pending.reference);
    index
        .files
        .get(&(pending.doc, raw_resource.to_string()))
        .map(|&d| (d, String::new()))
        .or_else(|| index.resources.get(resource).cloned())
        .or_else(|| index.names.get(raw_resource).map(|&d| (d, String::new())))
        .or_else(|| index.names.get(resource).map(|&d| (d, String::new())))
}

fn resolve_one(
    docs: &[Document],
    index: &Index,
    pending: &PendingRef,
) -> Result<(usize, String), Failure> {
    let at = format!("{}/$ref", pending.at);
    let absolute = uri::join(&pending.base, &pending.reference);
    let (resource, fragment) = uri::split(&absolute);
    let Some((doc, root_ptr)) = find_doc(index, pending) else {
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

    fn parse_in(
        dir: &std::path::Path,
        root: &str,
        include: &[PathBuf],
    ) -> Result<JsonSchema, LoadError> {
        let path = dir.join(root);
        let text = std::fs::read_to_string(&path).unwrap();
        let files = Files {
            root: &path,
            include,
            references: &[],
        };
        parse_with_files(&path.display().to_string(), &text, &[], Some(&files))
    }

    #[test]
    fn file_refs_are_read_beside_the_referrer_then_from_include_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let write = |f: &str, t: &str| {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        };
        write(
            "s/root.json",
            r#"{"properties": {"a": {"$ref": "common/a.json#/definitions/x"}, "c": {"$ref": "c.json"}}}"#,
        );
        // `b.json` beside `common/a.json`, not beside the root.
        write(
            "s/common/a.json",
            r#"{"definitions": {"x": {"$ref": "b.json"}}}"#,
        );
        write("s/common/b.json", r#"{"$ref": "../root.json"}"#);
        write("inc/c.json", r#"{"type": "string"}"#);
        let s = parse_in(
            &dir.path().join("s"),
            "root.json",
            &[dir.path().join("inc")],
        )
        .unwrap();
        let mut names: Vec<&str> = s.documents().iter().map(|d| d.name.as_str()).collect();
        names.sort();
        assert_eq!(names[1..], ["c.json", "common/a.json", "common/b.json"]);
        assert!(names[0].ends_with("root.json"), "{names:?}");
        // `common/b.json` points back at the root file: the root document, not a copy.
        let b = names.iter().position(|n| *n == "common/b.json").unwrap();
        let b = s
            .documents()
            .iter()
            .position(|d| d.name == names[b])
            .unwrap();
        let back = s.ref_links().iter().find(|l| l.doc == b).unwrap();
        assert_eq!((back.target_doc, back.target.as_str()), (0, ""));
        // Without the include directory, `c.json` is missing, named at its `$ref`.
        let e = parse_in(&dir.path().join("s"), "root.json", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("root.json:1:"), "{e}");
        assert!(e.contains("no file 'c.json'"), "{e}");
    }

    #[test]
    fn file_ref_chains_end_at_the_depth_limit() {
        let dir = tempfile::tempdir().unwrap();
        let chain = |len: usize| {
            for i in 0..len {
                std::fs::write(
                    dir.path().join(format!("f{i}.json")),
                    format!(
                        r#"{{"properties": {{"next": {{"$ref": "f{}.json"}}}}}}"#,
                        i + 1
                    ),
                )
                .unwrap();
            }
            std::fs::write(dir.path().join(format!("f{len}.json")), "{}").unwrap();
        };
        chain(MAX_FILE_DEPTH);
        assert!(parse_in(dir.path(), "f0.json", &[]).is_ok());
        chain(MAX_FILE_DEPTH + 1);
        let e = parse_in(dir.path(), "f0.json", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("nest deeper than 64 levels"), "{e}");
        assert!(e.contains(&format!("f{MAX_FILE_DEPTH}.json:1:")), "{e}");
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
