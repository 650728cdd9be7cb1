//! Loads a set of `.avsc` files that may use each other's named types (Confluent schema
//! references): each file is parsed on its own if it can be, else with the files already
//! loaded as its references, until every file is loaded or none makes progress.

use std::collections::HashSet;
use std::path::Path;

use crate::codegen::CodegenError;
use crate::schema::avro::{parse, parse_with_references, AvroSchema, Node, NodeId};

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
                Ok(doc) => docs.push(doc),
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
            let refs: Vec<(&str, &str)> = docs
                .iter()
                .map(|d| (d.stem.as_str(), d.text.as_str()))
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
