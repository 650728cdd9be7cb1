//! Branch lookup in a reader union: which branches may read a writer type, found by name, alias
//! and kind instead of by trying every branch, so that a union of n records checked against
//! another costs O(n), not O(n²).

use std::collections::HashMap;

use super::promotes;
use crate::schema::avro::{AvroSchema, Kind, Node, NodeId};

/// The branches of one reader union, indexed.
pub(super) struct UnionIndex<'a> {
    /// Named branches by kind and unqualified name: Java compares `getName()`.
    by_name: HashMap<(Kind, &'a str), Vec<usize>>,
    /// Named branches by kind and each of their (full-name) aliases.
    by_alias: HashMap<(Kind, &'a str), Vec<usize>>,
    /// Unnamed branches and their kinds: a union holds at most one of each kind.
    unnamed: Vec<(Kind, usize)>,
    /// Where each branch sits.
    position: HashMap<NodeId, usize>,
    branches: &'a [NodeId],
}

impl<'a> UnionIndex<'a> {
    /// Indexes the branches of the union `union` of `schema`.
    pub(super) fn new(schema: &'a AvroSchema, union: NodeId) -> Self {
        let Node::Union { branches } = schema.node(union) else {
            unreachable!("only unions are indexed")
        };
        let mut index = UnionIndex {
            by_name: HashMap::new(),
            by_alias: HashMap::new(),
            unnamed: Vec::new(),
            position: HashMap::with_capacity(branches.len()),
            branches,
        };
        for (i, &b) in branches.iter().enumerate() {
            index.position.entry(b).or_insert(i);
            let node = schema.node(b);
            let kind = node.kind();
            let Some(name) = node.name() else {
                index.unnamed.push((kind, i));
                continue;
            };
            index.by_name.entry((kind, &name.name)).or_default().push(i);
            for alias in node.aliases() {
                index.by_alias.entry((kind, alias)).or_default().push(i);
            }
        }
        index
    }

    /// Positions of the branches that may read a value of the writer type `writer`, unsorted
    /// and possibly repeated: named ones of its kind whose unqualified name or an alias matches
    /// (a type of another kind or name fails at once), unnamed ones of its kind or of a
    /// primitive it promotes to, and, for a record, the reader records whose pair with it is in
    /// progress (`in_progress` lists them, `is_in_progress` tells it of one branch), which
    /// Java counts as readable whatever their names.
    pub(super) fn candidates(
        &self,
        writer: &Node,
        is_in_progress: impl Fn(NodeId) -> bool,
        in_progress: &[NodeId],
    ) -> Vec<usize> {
        let kind = writer.kind();
        let Some(name) = writer.name() else {
            return self
                .unnamed
                .iter()
                .filter(|&&(k, _)| match (kind, k) {
                    (Kind::Primitive(w), Kind::Primitive(r)) => promotes(w, r),
                    (w, r) => w == r,
                })
                .map(|&(_, i)| i)
                .collect();
        };
        let mut found = Vec::new();
        if let Some(same) = self.by_name.get(&(kind, name.name.as_str())) {
            found.extend_from_slice(same);
        }
        if let Some(aliased) = self.by_alias.get(&(kind, name.full_name().as_str())) {
            found.extend_from_slice(aliased);
        }
        if kind == Kind::Record {
            // Whichever list is shorter: the pairs in progress are as many as the walk is deep.
            if in_progress.len() <= self.branches.len() {
                found.extend(in_progress.iter().filter_map(|r| self.position.get(r)));
            } else {
                found
                    .extend((0..self.branches.len()).filter(|&i| is_in_progress(self.branches[i])));
            }
        }
        found
    }
}
