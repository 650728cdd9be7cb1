//! Loads a set of `.avsc` files that may use each other's named types (Confluent schema
//! references): each file is parsed on its own if it can be, else with the files already
//! loaded as its references, until every file is loaded or none makes progress.

use std::collections::HashSet;
use std::path::Path;

use crate::codegen::CodegenError;
use crate::schema::avro::{parse, parse_with_references, AvroSchema, Node, NodeId};
use crate::schema::locate::pointer_position;
use crate::schema::SourceLocation;

/// One Avro schema file to generate code for.
#[derive(Debug, Clone)]
pub struct AvroInput {
    /// How errors name it (usually its path).
    pub source: String,
    pub text: String,
}

impl AvroInput {
    pub fn read(path: &Path) -> Result<Self, CodegenError> {
        let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Self {
            source: path.display().to_string(),
            text,
        })
    }
}

/// A loaded file.
pub(super) struct Doc {
    /// The file, as named in errors.
    pub source: String,
    pub text: String,
    /// The file name without extension, to name an unnamed root type.
    pub stem: String,
    pub schema: AvroSchema,
    /// Full names this file defines (not those it takes from references).
    pub own: HashSet<String>,
    /// Full names of the other files' top-level types this file uses.
    pub references: Vec<String>,
}

pub(super) fn load(inputs: &[AvroInput]) -> Result<Vec<Doc>, CodegenError> {
    let mut docs: Vec<Doc> = Vec::new();
    let mut pending: Vec<&AvroInput> = inputs.iter().collect();
    while !pending.is_empty() {
        let mut next = Vec::new();
        let mut first_error = None;
        for input in pending.iter().copied() {
            match load_one(input, &docs) {
                Ok(mut doc) => {
                    dedupe(&mut doc, &docs)?;
                    docs.push(doc);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                    next.push(input);
                }
            }
        }
        if next.len() == pending.len() {
            // No file loaded this round: report the first failure as it stands.
            return Err(first_error.map_or_else(
                || CodegenError::Render("no progress loading schemas".into()),
                CodegenError::from,
            ));
        }
        pending = next;
    }
    Ok(docs)
}

fn load_one(input: &AvroInput, docs: &[Doc]) -> Result<Doc, crate::schema::LoadError> {
    let stem = Path::new(&input.source)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("schema")
        .to_string();
    // On its own first: a self-contained file must not depend on load order.
    let alone = parse(&input.source, &input.text);
    let (schema, borrowed) = match alone {
        Ok(schema) => (schema, HashSet::new()),
        Err(e) => {
            if docs.is_empty() {
                return Err(e);
            }
            // A file whose every type another file already defines adds nothing, and giving it
            // to the parser as well would define those types twice.
            let refs: Vec<(&str, &str)> = docs
                .iter()
                .filter(|d| !d.own.is_empty())
                .map(|d| (d.source.as_str(), d.text.as_str()))
                .collect();
            let schema = parse_with_references(&input.source, &input.text, &refs)?;
            let borrowed: HashSet<String> =
                docs.iter().flat_map(|d| d.own.iter().cloned()).collect();
            (schema, borrowed)
        }
    };
    let own: HashSet<String> = schema
        .nodes()
        .filter_map(|(_, n)| n.name().map(|n| n.full_name()))
        .filter(|n| !borrowed.contains(n))
        .collect();
    let roots: HashSet<String> = docs
        .iter()
        .filter_map(|d| d.schema.node(d.schema.root()).name().map(|n| n.full_name()))
        .collect();
    let mut references: Vec<String> = used_names(&schema)
        .into_iter()
        .filter(|n| !own.contains(n) && roots.contains(n))
        .collect();
    references.sort();
    Ok(Doc {
        source: input.source.clone(),
        text: input.text.clone(),
        stem,
        schema,
        own,
        references,
    })
}

/// Checks the types `doc` defines against those of the files loaded before it: a full name
/// defined differently is an error naming both places (in source order, so the message does not
/// depend on the order of the inputs); one defined identically is left to the first file, so it
/// is generated once.
fn dedupe(doc: &mut Doc, docs: &[Doc]) -> Result<(), CodegenError> {
    let mut repeated = Vec::new();
    // In name order, so that a file with several conflicts always reports the same one.
    let mut names: Vec<&String> = doc.own.iter().collect();
    names.sort();
    for name in names {
        let Some(other) = docs.iter().find(|d| d.own.contains(name)) else {
            continue;
        };
        let (mine, theirs) = (definition(doc, name), definition(other, name));
        if mine.as_ref().map(|d| &d.0) != theirs.as_ref().map(|d| &d.0) {
            let mut places = [location(doc, mine), location(other, theirs)];
            places.sort_by(|a, b| (&a.source, a.line).cmp(&(&b.source, b.line)));
            return Err(CodegenError::Conflict {
                name: name.clone(),
                places: Box::new(places),
            });
        }
        repeated.push(name.clone());
    }
    for name in repeated {
        doc.own.remove(&name);
    }
    Ok(())
}

/// What generated code depends on in the definition of `full_name`: its Parsing Canonical Form
/// (the wire format) and the defaults it declares (the generated `Default`s), with its pointer.
fn definition(doc: &Doc, full_name: &str) -> Option<(String, String)> {
    let (id, node) = doc
        .schema
        .nodes()
        .find(|(_, n)| n.name().is_some_and(|n| n.full_name() == full_name))?;
    let mut identity = doc.schema.canonical_form_at(id);
    let pointer = match node {
        Node::Record(r) => {
            for f in &r.fields {
                identity.push_str(&format!("\n{}={:?}", f.name, f.default));
            }
            &r.pointer
        }
        Node::Enum(e) => {
            identity.push_str(&format!("\n{:?}", e.default));
            &e.pointer
        }
        Node::Fixed(f) => &f.pointer,
        _ => return None,
    };
    Some((identity, pointer.clone()))
}

fn location(doc: &Doc, definition: Option<(String, String)>) -> SourceLocation {
    let position = definition.and_then(|(_, pointer)| pointer_position(&doc.text, &pointer));
    match position {
        Some((line, column)) => SourceLocation::at(&doc.source, line, column),
        None => SourceLocation::file(&doc.source),
    }
}

/// Named types reachable from the root.
fn used_names(schema: &AvroSchema) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut names = HashSet::new();
    let mut stack: Vec<NodeId> = vec![schema.root()];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let node = schema.node(id);
        if let Some(n) = node.name() {
            names.insert(n.full_name());
        }
        match node {
            Node::Record(r) => stack.extend(r.fields.iter().map(|f| f.ty)),
            Node::Array { items } => stack.push(*items),
            Node::Map { values } => stack.push(*values),
            Node::Union { branches } => stack.extend(branches.iter().copied()),
            _ => {}
        }
    }
    names
}
