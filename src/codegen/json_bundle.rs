//! One document for typify from a JSON Schema whose `$ref`s reach other documents (files read
//! beside it, Confluent references). typify resolves only `#/definitions/..` inside the document
//! it is given, so every schema that a `$ref` leaving its document names is copied into the
//! root's `definitions` under a name no other definition has (stable: derived from the
//! referenced document's title or file name and the definition's own name, in the order the
//! `$ref`s are met), and each such `$ref` becomes `#/definitions/<name>`, inside the copies too.
//! A schema whose document is another input of the same generation is not copied: its entry
//! is replaced by that input's type (see [`Shared`]), so each type is generated once.

use std::collections::{HashMap, HashSet, VecDeque};

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use crate::schema::json::{JsonSchema, RefLink};

/// A bundled definition whose Rust type another input's module generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shared {
    /// Its key in the bundle's `definitions`.
    pub key: String,
    /// The document (an index of [`JsonSchema`]'s documents) it comes from.
    pub doc: usize,
    /// The type's name in that document's module: its root type, or typify's name of one of
    /// its definitions.
    pub type_name: String,
}

/// The root document with every other document's schemas it needs in its `definitions`.
#[derive(Debug, Clone)]
pub(crate) struct Bundle {
    pub doc: Value,
    pub shared: Vec<Shared>,
}

/// How the bundle names other documents' types: `root_name(doc)` is the name of a document's
/// root type (its title, else its file name), and `is_input(doc)` says whether that document is
/// another input (whose types its own module generates).
pub(crate) fn bundle(
    schema: &JsonSchema,
    root_name: &dyn Fn(usize) -> String,
    is_input: &dyn Fn(usize) -> bool,
) -> Bundle {
    let docs = schema.documents();
    let mut by_doc: Vec<Vec<&RefLink>> = vec![Vec::new(); docs.len()];
    for link in schema.ref_links() {
        by_doc[link.doc].push(link);
    }
    for links in &mut by_doc {
        links.sort_by(|a, b| a.at.cmp(&b.at));
    }
    let mut namer = Namer::new(&docs[0].value, root_name(0));
    let mut out = docs[0].value.clone();
    // The root's own `$ref`s within it stay as written (typify reads them); the others leave
    // it, or pass through another document on their way back.
    for link in &by_doc[0] {
        let written = out
            .pointer(&link.at)
            .and_then(|o| o.get("$ref"))
            .and_then(Value::as_str)
            .unwrap_or("#");
        if link.target_doc == 0 && written.starts_with('#') {
            continue;
        }
        let reference = namer.reference(link, root_name);
        set_ref(&mut out, &link.at, reference);
    }
    let mut definitions = Map::new();
    let mut shared = Vec::new();
    while let Some(((doc, pointer), key)) = namer.queue.pop_front() {
        let whole = pointer.is_empty();
        if let (true, Some(type_name)) =
            (is_input(doc), shared_name(&pointer, whole, doc, root_name))
        {
            // typify replaces the entry; its content is never read.
            definitions.insert(key.clone(), Value::Object(Map::new()));
            shared.push(Shared {
                key,
                doc,
                type_name,
            });
            continue;
        }
        let mut copy = docs[doc]
            .value
            .pointer(&pointer)
            .cloned()
            .unwrap_or(Value::Bool(true));
        if let (true, Value::Object(o)) = (whole, &mut copy) {
            // Its definitions are bundled one by one, as `$ref`s reach them.
            for k in ["$schema", "$id", "id", "definitions", "$defs"] {
                o.remove(k);
            }
        }
        for link in within(&by_doc[doc], &pointer) {
            let reference = namer.reference(link, root_name);
            set_ref(&mut copy, &link.at[pointer.len()..], reference);
        }
        definitions.insert(key, copy);
    }
    if !definitions.is_empty() {
        if let Value::Object(root) = &mut out {
            match root.get_mut("definitions") {
                Some(Value::Object(existing)) => existing.extend(definitions),
                _ => {
                    root.insert("definitions".into(), Value::Object(definitions));
                }
            }
        }
    }
    Bundle { doc: out, shared }
}

/// The links whose `$ref` holder is `pointer` or inside it (`links` sorted by holder).
fn within<'a>(links: &'a [&'a RefLink], pointer: &'a str) -> impl Iterator<Item = &'a RefLink> {
    // Every pointer starting with `pointer` sorts in one run from it.
    let prefix = format!("{pointer}/");
    let start = links.partition_point(|l| l.at.as_str() < pointer);
    links[start..]
        .iter()
        .take_while(move |l| l.at.starts_with(pointer))
        .filter(move |l| l.at == pointer || l.at.starts_with(&prefix))
        .copied()
}

fn set_ref(value: &mut Value, at: &str, reference: String) {
    if let Some(Value::Object(holder)) = value.pointer_mut(at) {
        holder.insert("$ref".into(), Value::String(reference));
    }
}

/// The name of the type another input's module generates for `pointer` of its document: its
/// root type, or one of its top-level definitions; none for other places (copied instead).
fn shared_name(
    pointer: &str,
    whole: bool,
    doc: usize,
    root_name: &dyn Fn(usize) -> String,
) -> Option<String> {
    if whole {
        return Some(root_name(doc));
    }
    definition_name(pointer).map(|name| pascal(&name))
}

/// `x` of `/definitions/x` or `/$defs/x`.
fn definition_name(pointer: &str) -> Option<String> {
    let rest = pointer
        .strip_prefix("/definitions/")
        .or_else(|| pointer.strip_prefix("/$defs/"))?;
    (!rest.contains('/')).then(|| unescape(rest))
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A definition key as typify turns it into a type name (`sanitize` with Pascal case): what
/// is not an identifier character separates words.
pub(crate) fn pascal(name: &str) -> String {
    let words: String = name
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let out = words.to_upper_camel_case();
    match out.chars().next() {
        Some(c) if c.is_alphabetic() => out,
        _ => format!("X{out}"),
    }
}

/// Names bundled definitions: each (document, pointer) once, never a name already taken.
struct Namer {
    taken: HashSet<String>,
    keys: HashMap<(usize, String), String>,
    /// Targets named but not yet copied, with their keys.
    queue: VecDeque<((usize, String), String)>,
}

impl Namer {
    fn new(root: &Value, root_type: String) -> Self {
        let mut taken = HashSet::from([root_type]);
        for key in ["definitions", "$defs"] {
            if let Some(Value::Object(defs)) = root.get(key) {
                taken.extend(defs.keys().map(|k| pascal(k)));
            }
        }
        Self {
            taken,
            keys: HashMap::new(),
            queue: VecDeque::new(),
        }
    }

    /// What a `$ref` that leaves its document becomes in the bundle.
    fn reference(&mut self, link: &RefLink, root_name: &dyn Fn(usize) -> String) -> String {
        if link.target_doc == 0 {
            if link.target.is_empty() {
                return "#".to_string();
            }
            if let Some(name) = definition_name(&link.target) {
                return format!("#/definitions/{}", escape(&name));
            }
        }
        let key = self.key(link.target_doc, &link.target, root_name);
        format!("#/definitions/{}", escape(&key))
    }

    fn key(&mut self, doc: usize, pointer: &str, root_name: &dyn Fn(usize) -> String) -> String {
        let target = (doc, pointer.to_string());
        if let Some(key) = self.keys.get(&target) {
            return key.clone();
        }
        let document = root_name(doc);
        let own = if pointer.is_empty() {
            document.clone()
        } else {
            let last = pointer.rsplit('/').next().unwrap_or_default();
            definition_name(pointer).unwrap_or_else(|| unescape(last))
        };
        let mut key = pascal(&own);
        if self.taken.contains(&key) && !pointer.is_empty() {
            key = pascal(&format!("{document}-{own}"));
        }
        let base = key.clone();
        let mut n = 2;
        while self.taken.contains(&key) {
            key = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(key.clone());
        self.keys.insert(target.clone(), key.clone());
        self.queue.push_back((target, key.clone()));
        key
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
