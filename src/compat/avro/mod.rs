//! Avro compatibility: a reader/writer walk that follows the Avro specification's schema
//! resolution with the exact verdicts of Avro's Java `SchemaCompatibility`, which Confluent
//! Schema Registry runs.
//!
//! Paths are JSON pointers into the reader schema along the walk (`/fields/2/type/items`).
//! Where Java restarts its location inside unions, we keep the full path: the verdict is the
//! same, the pointer is more useful.

pub mod rules;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rules::Roles;

use super::{Direction, Finding};
use crate::schema::avro::{AvroSchema, Kind, Node, NodeId, Primitive};

/// Compares two Avro schemas in one direction: BACKWARD reads `old` data with `new`,
/// FORWARD reads `new` data with `old`.
pub fn check_direction(new: &AvroSchema, old: &AvroSchema, direction: Direction) -> Vec<Finding> {
    match direction {
        Direction::Backward => check_reader_writer(
            new,
            old,
            Roles {
                reader: "new",
                writer: "old",
            },
        ),
        Direction::Forward => check_reader_writer(
            old,
            new,
            Roles {
                reader: "old",
                writer: "new",
            },
        ),
    }
}

/// Whether `reader` can read everything `writer` writes; the findings say why not.
pub fn check_reader_writer(reader: &AvroSchema, writer: &AvroSchema, roles: Roles) -> Vec<Finding> {
    let mut walk = Walk::new(reader, writer, roles, true);
    let mut findings = Vec::new();
    // Through the memo, as Java does, so that a recursive reference back to the root counts as
    // compatible while the root is in progress instead of being walked a second time.
    walk.pair(reader.root(), writer.root(), &mut findings);
    // A memoized pair reached twice replays its findings, as Java does; report each once.
    if walk.replayed {
        let mut seen = std::collections::HashSet::new();
        findings.retain(|f| seen.insert((f.kind, f.path.clone(), f.message.clone())));
    }
    findings
}

/// Whether `reader` can read everything `writer` writes: the verdict of
/// [`check_reader_writer`] without building its findings, stopping at the first problem.
pub fn can_read(reader: &AvroSchema, writer: &AvroSchema) -> bool {
    let roles = Roles {
        reader: "new",
        writer: "old",
    };
    let mut walk = Walk::new(reader, writer, roles, false);
    walk.pair(reader.root(), writer.root(), &mut Vec::new())
}

#[derive(Debug, Clone, Copy)]
enum Segment {
    Key(&'static str),
    Index(usize),
}

enum Memo {
    InProgress,
    /// The verdict, and the findings when collecting.
    Done(bool, Vec<Finding>),
}

struct Walk<'a> {
    reader: &'a AvroSchema,
    writer: &'a AvroSchema,
    roles: Roles,
    /// Results of record pairs, keyed by node identity: this both terminates recursive types
    /// and reproduces Java's memo (a pair still in progress counts as compatible).
    memo: HashMap<(NodeId, NodeId), Memo, BuildHasherDefault<PairHasher>>,
    path: Vec<Segment>,
    replayed: bool,
    /// The record fields being compared, innermost last: (name, reader type, writer type), so
    /// that hints can name the field and its old type.
    fields: Vec<(&'a str, NodeId, NodeId)>,
    /// False for a verdict only: no findings are built and the walk stops at the first problem.
    collect: bool,
}

/// A hasher for pairs of node ids: they are small dense integers, so a multiply mixes enough
/// and avoids SipHash on the hot path.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(32) ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl<'a> Walk<'a> {
    fn new(reader: &'a AvroSchema, writer: &'a AvroSchema, roles: Roles, collect: bool) -> Self {
        Walk {
            reader,
            writer,
            roles,
            memo: HashMap::default(),
            path: Vec::new(),
            replayed: false,
            fields: Vec::new(),
            collect,
        }
    }

    fn path_string(&self, extra: Option<&'static str>) -> String {
        let mut s = String::new();
        for seg in &self.path {
            s.push('/');
            match seg {
                Segment::Key(k) => s.push_str(k),
                Segment::Index(i) => s.push_str(&i.to_string()),
            }
        }
        if let Some(extra) = extra {
            s.push('/');
            s.push_str(extra);
        }
        if s.is_empty() {
            s.push('/');
        }
        s
    }

    /// What the texts of a finding at `path` need: the roles and the innermost field's types.
    fn site<'p>(&self, path: &'p str) -> rules::Site<'p>
    where
        'a: 'p,
    {
        let (field, r, w) = match self.fields.last() {
            Some(&(name, r, w)) => (Some(name), r, w),
            None => (None, self.reader.root(), self.writer.root()),
        };
        let (reader_type, writer_type) = (describe(self.reader, r), describe(self.writer, w));
        let (old_type, new_type) = if self.roles.reader_is_new() {
            (writer_type, reader_type)
        } else {
            (reader_type, writer_type)
        };
        rules::Site {
            roles: self.roles,
            path,
            field,
            old_type,
            new_type,
        }
    }

    fn report(
        &self,
        out: &mut Vec<Finding>,
        rule: rules::Rule,
        path: String,
        (message, hint): (String, String),
    ) {
        out.push(Finding {
            kind: rule.id,
            path,
            message,
            hint,
            breaking: true,
            import: None,
        });
    }

    /// Visits a child pair under `segment`; returns whether it is compatible.
    fn visit(&mut self, segment: Segment, r: NodeId, w: NodeId, out: &mut Vec<Finding>) -> bool {
        self.path.push(segment);
        let ok = self.pair(r, w, out);
        self.path.pop();
        ok
    }

    /// A pair, through the memo when both sides are records (the only way to recurse).
    fn pair(&mut self, r: NodeId, w: NodeId, out: &mut Vec<Finding>) -> bool {
        let both_records = matches!(
            (self.reader.node(r), self.writer.node(w)),
            (Node::Record(_), Node::Record(_))
        );
        if !both_records {
            return self.calculate(r, w, out);
        }
        match self.memo.get(&(r, w)) {
            Some(Memo::InProgress) => true,
            Some(Memo::Done(ok, found)) => {
                if !found.is_empty() {
                    out.extend(found.iter().cloned());
                    self.replayed = true;
                }
                *ok
            }
            None => {
                self.memo.insert((r, w), Memo::InProgress);
                let start = out.len();
                let ok = self.calculate(r, w, out);
                self.memo
                    .insert((r, w), Memo::Done(ok, out[start..].to_vec()));
                ok
            }
        }
    }

    /// Whether a pair is compatible, with findings discarded (for union branch matching).
    fn probe(&mut self, r: NodeId, w: NodeId) -> bool {
        let mut scratch = Vec::new();
        self.pair(r, w, &mut scratch)
    }

    fn calculate(&mut self, r: NodeId, w: NodeId, out: &mut Vec<Finding>) -> bool {
        let (rk, wk) = (self.reader.kind(r), self.writer.kind(w));
        if rk == wk {
            return match (self.reader.node(r), self.writer.node(w)) {
                (Node::Primitive { .. }, _) => true,
                (Node::Array { items: ri }, Node::Array { items: wi }) => {
                    self.visit(Segment::Key("items"), *ri, *wi, out)
                }
                (Node::Map { values: rv }, Node::Map { values: wv }) => {
                    self.visit(Segment::Key("values"), *rv, *wv, out)
                }
                (Node::Fixed(_), Node::Fixed(_)) => {
                    let named = self.check_names(r, w, out);
                    if !named && !self.collect {
                        return false;
                    }
                    self.check_fixed_size(r, w, out) && named
                }
                (Node::Enum(_), Node::Enum(_)) => {
                    let named = self.check_names(r, w, out);
                    if !named && !self.collect {
                        return false;
                    }
                    self.check_enum_symbols(r, w, out) && named
                }
                (Node::Record(_), Node::Record(_)) => {
                    let named = self.check_names(r, w, out);
                    if !named && !self.collect {
                        return false;
                    }
                    self.check_record_fields(r, w, out) && named
                }
                (Node::Union { .. }, Node::Union { branches }) => {
                    self.check_writer_union_branches(r, branches, out)
                }
                _ => unreachable!("kinds are equal"),
            };
        }
        // A reader that can read every branch of a writer union can read the union.
        if let Node::Union { branches } = self.writer.node(w) {
            let mut ok = true;
            for &b in branches {
                ok &= self.pair(r, b, out);
                if !ok && !self.collect {
                    return false;
                }
            }
            return ok;
        }
        match rk {
            Kind::Primitive(reader) => {
                let Kind::Primitive(writer) = wk else {
                    return self.type_mismatch(r, w, out);
                };
                if promotes(writer, reader) {
                    true
                } else {
                    self.type_mismatch(r, w, out)
                }
            }
            Kind::Union => {
                let Node::Union { branches } = self.reader.node(r) else {
                    unreachable!("kind is union")
                };
                for &b in branches {
                    if self.probe(b, w) {
                        return true;
                    }
                }
                if self.collect {
                    let path = self.path_string(None);
                    let writer_type = describe(self.writer, w);
                    self.report(
                        out,
                        rules::MISSING_UNION_BRANCH,
                        path.clone(),
                        rules::missing_union_branch(&self.site(&path), &writer_type),
                    );
                }
                false
            }
            _ => self.type_mismatch(r, w, out),
        }
    }

    /// Each branch of a writer union must be readable by the reader union.
    fn check_writer_union_branches(
        &mut self,
        r: NodeId,
        branches: &[NodeId],
        out: &mut Vec<Finding>,
    ) -> bool {
        let mut ok = true;
        for (i, &b) in branches.iter().enumerate() {
            self.path.push(Segment::Index(i));
            if !self.probe(r, b) {
                if self.collect {
                    let path = self.path_string(None);
                    let writer_type = describe(self.writer, b);
                    self.report(
                        out,
                        rules::MISSING_UNION_BRANCH,
                        path.clone(),
                        rules::missing_union_branch(&self.site(&path), &writer_type),
                    );
                }
                ok = false;
            }
            self.path.pop();
            if !ok && !self.collect {
                break;
            }
        }
        ok
    }

    fn type_mismatch(&self, r: NodeId, w: NodeId, out: &mut Vec<Finding>) -> bool {
        if self.collect {
            let path = self.path_string(None);
            let texts = rules::type_mismatch(
                &self.site(&path),
                &describe(self.reader, r),
                &describe(self.writer, w),
            );
            self.report(out, rules::TYPE_MISMATCH, path, texts);
        }
        false
    }

    fn check_names(&self, r: NodeId, w: NodeId, out: &mut Vec<Finding>) -> bool {
        let (rn, wn) = (self.reader.node(r), self.writer.node(w));
        let (Some(reader_name), Some(writer_name)) = (rn.name(), wn.name()) else {
            return true;
        };
        if reader_name.name == writer_name.name {
            return true;
        }
        let writer_full = writer_name.full_name();
        if rn.aliases().contains(&writer_full) {
            return true;
        }
        if self.collect {
            let path = self.path_string(Some("name"));
            let texts =
                rules::name_mismatch(&self.site(&path), &reader_name.full_name(), &writer_full);
            self.report(out, rules::NAME_MISMATCH, path, texts);
        }
        false
    }

    fn check_fixed_size(&self, r: NodeId, w: NodeId, out: &mut Vec<Finding>) -> bool {
        let (Node::Fixed(rf), Node::Fixed(wf)) = (self.reader.node(r), self.writer.node(w)) else {
            return true;
        };
        if rf.size == wf.size {
            return true;
        }
        if self.collect {
            let path = self.path_string(Some("size"));
            let texts = rules::fixed_size_mismatch(&self.site(&path), rf.size, wf.size);
            self.report(out, rules::FIXED_SIZE_MISMATCH, path, texts);
        }
        false
    }

    fn check_enum_symbols(&self, r: NodeId, w: NodeId, out: &mut Vec<Finding>) -> bool {
        let (Node::Enum(re), Node::Enum(we)) = (self.reader.node(r), self.writer.node(w)) else {
            return true;
        };
        let mut missing: Vec<&str> = we
            .symbols
            .iter()
            .filter(|s| !re.symbols.contains(s))
            .map(String::as_str)
            .collect();
        // A reader enum default absorbs unknown symbols.
        if missing.is_empty() || re.default.is_some() {
            return true;
        }
        missing.sort_unstable();
        if self.collect {
            let path = self.path_string(Some("symbols"));
            let texts =
                rules::missing_enum_symbols(&self.site(&path), &re.name.full_name(), &missing);
            self.report(out, rules::MISSING_ENUM_SYMBOLS, path, texts);
        }
        false
    }

    fn check_record_fields(&mut self, r: NodeId, w: NodeId, out: &mut Vec<Finding>) -> bool {
        let (Node::Record(rr), Node::Record(wr)) = (self.reader.node(r), self.writer.node(w))
        else {
            return true;
        };
        let mut ok = true;
        self.path.push(Segment::Key("fields"));
        for (pos, field) in rr.fields.iter().enumerate() {
            self.path.push(Segment::Index(pos));
            // The writer field is found by the reader field's name or one of its aliases.
            // Fields usually keep their position, so try that before hashing the name.
            let writer_field = if field.aliases.is_empty() {
                wr.fields
                    .get(pos)
                    .filter(|wf| wf.name == field.name)
                    .or_else(|| wr.field(&field.name))
            } else {
                let matches = matching_writer_fields(&field.name, &field.aliases, wr);
                if matches.len() > 1 {
                    if self.collect {
                        let path = self.path_string(None);
                        let texts =
                            rules::ambiguous_reader_field(&self.site(&path), &field.name, &matches);
                        self.report(out, rules::AMBIGUOUS_READER_FIELD, path, texts);
                    }
                    ok = false;
                    self.path.pop();
                    continue;
                }
                matches.first().and_then(|n| wr.field(n))
            };
            match writer_field {
                Some(wf) => {
                    self.fields.push((&field.name, field.ty, wf.ty));
                    ok &= self.visit(Segment::Key("type"), field.ty, wf.ty, out);
                    self.fields.pop();
                }
                None if field.default.is_some() => {}
                None => {
                    // Java resolves an enum-with-default field against the writer record itself,
                    // which always fails as a type mismatch; the verdict is what matters.
                    if matches!(self.reader.node(field.ty), Node::Enum(e) if e.default.is_some()) {
                        ok &= self.visit(Segment::Key("type"), field.ty, w, out);
                    } else {
                        if self.collect {
                            let path = self.path_string(None);
                            let suggestion = default_suggestion(self.reader, field.ty);
                            let texts = rules::reader_field_missing_default(
                                &self.site(&path),
                                &field.name,
                                &suggestion,
                            );
                            self.report(
                                out,
                                rules::READER_FIELD_MISSING_DEFAULT_VALUE,
                                path,
                                texts,
                            );
                        }
                        ok = false;
                    }
                }
            }
            self.path.pop();
            if !ok && !self.collect {
                break;
            }
        }
        self.path.pop();
        ok
    }
}

/// The names under which the writer record has the reader field: its own name and each distinct
/// alias. Java collects them all and throws unless there is at most one (an alias equal to the
/// name finds the same field again and counts); Confluent turns that into an incompatibility.
fn matching_writer_fields<'n>(
    name: &'n str,
    aliases: &'n [String],
    writer: &crate::schema::avro::Record,
) -> Vec<&'n str> {
    let mut matches = Vec::new();
    if writer.field(name).is_some() {
        matches.push(name);
    }
    for (i, alias) in aliases.iter().enumerate() {
        let repeated = aliases[..i].contains(alias);
        if !repeated && writer.field(alias).is_some() {
            matches.push(alias.as_str());
        }
    }
    matches
}

/// Whether a reader of type `reader` can read a writer's `writer` value (same or promoted).
fn promotes(writer: Primitive, reader: Primitive) -> bool {
    use Primitive::*;
    writer == reader
        || matches!(
            (writer, reader),
            (Int, Long | Float | Double)
                | (Long, Float | Double)
                | (Float, Double)
                | (String, Bytes)
                | (Bytes, String)
        )
}

/// A short description of a type for messages: `string`, `record 'com.acme.User'`.
pub(crate) fn describe(schema: &AvroSchema, id: NodeId) -> String {
    let node = schema.node(id);
    match node {
        Node::Primitive { primitive, .. } => primitive.name().to_string(),
        Node::Array { items } => format!("array of {}", describe(schema, *items)),
        Node::Map { values } => format!("map of {}", describe(schema, *values)),
        Node::Union { branches } => {
            let parts: Vec<String> = branches.iter().map(|b| describe(schema, *b)).collect();
            format!("union [{}]", parts.join(", "))
        }
        _ => {
            let name = node.name().map(|n| n.full_name()).unwrap_or_default();
            format!("{} '{name}'", node.kind().upper_name().to_ascii_lowercase())
        }
    }
}

/// How to give a field of this type a default, for hints.
fn default_suggestion(schema: &AvroSchema, ty: NodeId) -> String {
    let json_type = |id: NodeId| match schema.node(id) {
        Node::Primitive { primitive, .. } => format!("\"{}\"", primitive.name()),
        other => other
            .name()
            .map(|n| format!("\"{}\"", n.full_name()))
            .unwrap_or_else(|| describe(schema, id)),
    };
    match schema.node(ty) {
        Node::Union { branches } => match branches.first().map(|&b| schema.node(b)) {
            Some(Node::Primitive {
                primitive: Primitive::Null,
                ..
            }) => "e.g. \"default\": null".to_string(),
            _ => format!(
                "e.g. a default of its first branch ({})",
                branches
                    .first()
                    .map(|&b| describe(schema, b))
                    .unwrap_or_default()
            ),
        },
        Node::Primitive {
            primitive: Primitive::Null,
            ..
        } => "e.g. \"default\": null".to_string(),
        Node::Enum(e) => format!("e.g. \"default\": \"{}\"", e.symbols[0]),
        _ => format!(
            "e.g. make its type [\"null\", {}] with \"default\": null, or add a default of type {}",
            json_type(ty),
            describe(schema, ty)
        ),
    }
}
