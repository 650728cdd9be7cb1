//! A readable structural diff between two versions of a schema.

use std::collections::BTreeMap;

use crate::compat::avro::describe;
use crate::compat::{self, CompatError, Direction, Options};
use crate::schema::avro::{AvroSchema, Node, NodeId};
use crate::schema::{Parsed, Schema};

/// One structural difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `+` added, `-` removed, `~` changed.
    pub sign: char,
    /// Where: `com.acme.User.email`, `#/Order/3`.
    pub place: String,
    pub description: String,
}

/// The differences from `old` to `new`; schemas of different types cannot be compared.
pub fn diff(old: &Schema, new: &Schema) -> Result<Vec<Change>, CompatError> {
    Ok(match (&old.parsed, &new.parsed) {
        (Parsed::Avro(o), Parsed::Avro(n)) => avro_diff(o, n),
        (Parsed::Json(o), Parsed::Json(n)) => super::diff_json::json_diff(o.root(), n.root()),
        _ => {
            // Protobuf: Confluent's difference kinds, compatible ones included.
            let options = Options {
                verbose: true,
                ..Options::default()
            };
            compat::check_pair(new, old, Direction::Backward, &options)?
                .into_iter()
                .map(|f| Change {
                    sign: if f.kind.ends_with("_ADDED") {
                        '+'
                    } else if f.kind.ends_with("_REMOVED") {
                        '-'
                    } else {
                        '~'
                    },
                    place: f.path,
                    description: format!("{}: {}", f.kind, f.message),
                })
                .collect()
        }
    })
}

/// Named types reachable from the root, by full name.
fn named_types(schema: &AvroSchema) -> BTreeMap<String, NodeId> {
    let mut out = BTreeMap::new();
    let mut stack = vec![schema.root()];
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let node = schema.node(id);
        if let Some(name) = node.name() {
            out.insert(name.full_name(), id);
        }
        match node {
            Node::Record(r) => stack.extend(r.fields.iter().map(|f| f.ty)),
            Node::Array { items } => stack.push(*items),
            Node::Map { values } => stack.push(*values),
            Node::Union { branches } => stack.extend(branches.iter().copied()),
            _ => {}
        }
    }
    out
}

fn avro_diff(old: &AvroSchema, new: &AvroSchema) -> Vec<Change> {
    let mut changes = Vec::new();
    let (before, after) = (named_types(old), named_types(new));
    let root_old = old.node(old.root()).name().map(|n| n.full_name());
    let root_new = new.node(new.root()).name().map(|n| n.full_name());
    if root_old != root_new || root_old.is_none() {
        let (d_old, d_new) = (describe(old, old.root()), describe(new, new.root()));
        if d_old != d_new {
            changes.push(Change {
                sign: '~',
                place: "(root)".to_string(),
                description: format!("type {d_old} -> {d_new}"),
            });
        }
    }
    for (name, &id) in &after {
        if !before.contains_key(name) {
            changes.push(Change {
                sign: '+',
                place: name.clone(),
                description: format!("new type: {}", describe(new, id)),
            });
        }
    }
    for (name, &id) in &before {
        match after.get(name) {
            None => changes.push(Change {
                sign: '-',
                place: name.clone(),
                description: format!("type removed: {}", describe(old, id)),
            }),
            Some(&nid) => named_diff(name, old, id, new, nid, &mut changes),
        }
    }
    changes
}

fn named_diff(
    name: &str,
    old: &AvroSchema,
    oid: NodeId,
    new: &AvroSchema,
    nid: NodeId,
    out: &mut Vec<Change>,
) {
    let change = |sign, place: String, description: String| Change {
        sign,
        place,
        description,
    };
    match (old.node(oid), new.node(nid)) {
        (Node::Record(o), Node::Record(n)) => {
            for f in &n.fields {
                match o.field(&f.name) {
                    None => out.push(change(
                        '+',
                        format!("{name}.{}", f.name),
                        format!(
                            "field {} {}",
                            describe(new, f.ty),
                            f.default
                                .as_ref()
                                .map_or("without a default".to_string(), |d| format!(
                                    "default {d}"
                                ))
                        ),
                    )),
                    Some(of) => {
                        let (dt_old, dt_new) = (describe(old, of.ty), describe(new, f.ty));
                        if dt_old != dt_new {
                            out.push(change(
                                '~',
                                format!("{name}.{}", f.name),
                                format!("type {dt_old} -> {dt_new}"),
                            ));
                        }
                        if of.default != f.default {
                            let show = |d: &Option<serde_json::Value>| {
                                d.as_ref().map_or("none".to_string(), |v| v.to_string())
                            };
                            out.push(change(
                                '~',
                                format!("{name}.{}", f.name),
                                format!("default {} -> {}", show(&of.default), show(&f.default)),
                            ));
                        }
                        if of.aliases != f.aliases {
                            out.push(change(
                                '~',
                                format!("{name}.{}", f.name),
                                format!("aliases {:?} -> {:?}", of.aliases, f.aliases),
                            ));
                        }
                    }
                }
            }
            for f in &o.fields {
                if n.field(&f.name).is_none() {
                    out.push(change(
                        '-',
                        format!("{name}.{}", f.name),
                        format!("field {} removed", describe(old, f.ty)),
                    ));
                }
            }
        }
        (Node::Enum(o), Node::Enum(n)) => {
            for s in n.symbols.iter().filter(|s| !o.symbols.contains(s)) {
                out.push(change('+', name.to_string(), format!("symbol {s}")));
            }
            for s in o.symbols.iter().filter(|s| !n.symbols.contains(s)) {
                out.push(change('-', name.to_string(), format!("symbol {s}")));
            }
            if o.default != n.default {
                out.push(change(
                    '~',
                    name.to_string(),
                    format!("default {:?} -> {:?}", o.default, n.default),
                ));
            }
        }
        (Node::Fixed(o), Node::Fixed(n)) if o.size != n.size => {
            out.push(change(
                '~',
                name.to_string(),
                format!("size {} -> {}", o.size, n.size),
            ));
        }
        (a, b) if a.kind() != b.kind() => {
            out.push(change(
                '~',
                name.to_string(),
                format!("{} -> {}", describe(old, oid), describe(new, nid)),
            ));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_of_different_types_are_an_error() {
        let avro = Schema::parse_avro("a", r#""string""#).unwrap();
        let proto =
            Schema::parse_protobuf("p.proto", "syntax = \"proto3\";\nmessage M {}\n", &[]).unwrap();
        assert!(diff(&avro, &proto).is_err());
        assert!(diff(&proto, &avro).is_err());
    }

    #[test]
    fn lists_field_and_symbol_changes() {
        let old = Schema::parse_avro(
            "old",
            r#"{"type":"record","name":"a.User","fields":[{"name":"id","type":"int"},{"name":"gone","type":"string"},
               {"name":"tier","type":{"type":"enum","name":"Tier","symbols":["A","B"]}}]}"#,
        )
        .unwrap();
        let new = Schema::parse_avro(
            "new",
            r#"{"type":"record","name":"a.User","fields":[{"name":"id","type":"long"},{"name":"email","type":["null","string"],"default":null},
               {"name":"tier","type":{"type":"enum","name":"Tier","symbols":["A","C"]}}]}"#,
        )
        .unwrap();
        let lines: Vec<String> = diff(&old, &new)
            .unwrap()
            .iter()
            .map(|c| format!("{} {} {}", c.sign, c.place, c.description))
            .collect();
        assert_eq!(
            lines,
            [
                "+ a.Tier symbol C",
                "- a.Tier symbol B",
                "~ a.User.id type int -> long",
                "+ a.User.email field union [null, string] default null",
                "- a.User.gone field string removed",
            ]
        );
    }
}
