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

mod branches;
#[cfg(test)]
mod tests;

use branches::UnionIndex;

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
    // Through the memo, as Java does, so that a recursive reference back to the root counts as
    // compatible while the root is in progress instead of being walked a second time.
    walk.run(reader.root(), writer.root());
    let mut findings = walk.out;
    // Java replays a memoized pair's findings where it meets the pair again; those are copies
    // of findings already listed, so the walk does not repeat them, but reports each once, as
    // the replay did.
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
    Walk::new(reader, writer, roles, false).run(reader.root(), writer.root())
}

#[derive(Debug, Clone, Copy)]
enum Segment {
    Key(&'static str),
    Index(usize),
}

#[derive(Debug, Clone, Copy)]
enum Memo {
    InProgress,
    /// The verdict, and whether the pair's findings were reported when it was computed
    /// (false when it was computed for a verdict only).
    Done {
        ok: bool,
        reported: bool,
    },
}

/// The walk is a loop over an explicit stack: what a recursive walk would keep in its call
/// frames is a [`Frame`], so the depth of a schema (chains of named types thousands long)
/// costs heap, not the thread's stack.
struct Walk<'a> {
    reader: &'a AvroSchema,
    writer: &'a AvroSchema,
    roles: Roles,
    /// Results of record pairs, keyed by node identity: this both terminates recursive types
    /// and reproduces Java's memo (a pair still in progress counts as compatible).
    memo: HashMap<(NodeId, NodeId), Memo, BuildHasherDefault<PairHasher>>,
    /// The reader records in progress against each writer record: a reader union's branch in
    /// progress reads the writer whatever its name, so branch lookups must find these too.
    in_progress: HashMap<NodeId, Vec<NodeId>, BuildHasherDefault<PairHasher>>,
    /// The reader unions met so far, indexed for branch lookups (built once each).
    unions: HashMap<NodeId, UnionIndex<'a>, BuildHasherDefault<PairHasher>>,
    /// Pairs entered: the walk's work, which tests bound to prove it linear.
    steps: usize,
    path: Vec<Segment>,
    /// A memoized incompatible pair was met again (Java would replay its findings).
    replayed: bool,
    /// The record fields being compared, innermost last: (name, reader type, writer type), so
    /// that hints can name the field and its old type.
    fields: Vec<(&'a str, NodeId, NodeId)>,
    /// False for a verdict only: no findings are built and the walk stops at the first problem.
    /// Probes of union branches always run so: their findings would be discarded.
    collect: bool,
    out: Vec<Finding>,
}

/// What to do with a pair's verdict when it is known: the rest of the work of the pair that
/// asked for it.
enum Frame {
    /// A record pair through the memo: record its verdict.
    Memo { key: (NodeId, NodeId) },
    /// Pop the path segment pushed for the child.
    PopPath,
    /// A union branch was probed for a verdict only: restore the mode.
    Probe { collect: bool },
    /// The field at `pos` of a record pair was being compared.
    Fields {
        r: NodeId,
        w: NodeId,
        pos: usize,
        ok: bool,
        named: bool,
    },
    /// A non-union reader against branch `i` of a writer union.
    WriterBranches {
        r: NodeId,
        w: NodeId,
        i: usize,
        ok: bool,
    },
    /// Branch `i` of a writer union against the reader union.
    UnionBranches {
        r: NodeId,
        w: NodeId,
        i: usize,
        ok: bool,
    },
    /// A reader union against a writer type: the branches that may still read it, the next
    /// last.
    ReaderBranches { w: NodeId, rest: Vec<NodeId> },
}

/// The next move of the walk: compare a pair, or hand a verdict to the frame on top.
enum Step {
    Enter(NodeId, NodeId),
    Return(bool),
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
            in_progress: HashMap::default(),
            unions: HashMap::default(),
            steps: 0,
            path: Vec::new(),
            replayed: false,
            fields: Vec::new(),
            collect,
            out: Vec::new(),
        }
    }

    /// The verdict of the pair `(r, w)`, with its findings in `self.out` when collecting.
    fn run(&mut self, r: NodeId, w: NodeId) -> bool {
        let mut stack = Vec::new();
        let mut step = Step::Enter(r, w);
        loop {
            step = match step {
                Step::Enter(r, w) => {
                    self.steps += 1;
                    self.pair(r, w, &mut stack)
                }
                Step::Return(ok) => match stack.pop() {
                    None => return ok,
                    Some(frame) => self.resume(frame, ok, &mut stack),
                },
            };
        }
    }

    /// Continues the work of `frame` with the verdict `ok` of the pair it asked for.
    fn resume(&mut self, frame: Frame, ok: bool, stack: &mut Vec<Frame>) -> Step {
        match frame {
            Frame::Memo { key } => {
                let reported = self.collect;
                self.memo.insert(key, Memo::Done { ok, reported });
                self.end_progress(key);
                Step::Return(ok)
            }
            Frame::PopPath => {
                self.path.pop();
                Step::Return(ok)
            }
            Frame::Probe { collect } => {
                self.collect = collect;
                Step::Return(ok)
            }
            Frame::Fields {
                r,
                w,
                pos,
                ok: so_far,
                named,
            } => {
                let ok = so_far & ok;
                self.fields.pop();
                self.path.pop();
                self.path.pop();
                if !ok && !self.collect {
                    self.path.pop();
                    return Step::Return(false);
                }
                self.fields(r, w, pos + 1, ok, named, stack)
            }
            Frame::WriterBranches {
                r,
                w,
                i,
                ok: so_far,
            } => {
                let ok = so_far & ok;
                if !ok && !self.collect {
                    return Step::Return(false);
                }
                self.writer_branches(r, w, i + 1, ok, stack)
            }
            Frame::UnionBranches {
                r,
                w,
                i,
                ok: so_far,
            } => {
                let mut all = so_far;
                if !ok {
                    if self.collect {
                        let branch = self.writer_branch(w, i);
                        let path = self.path_string(None);
                        let writer_type = describe(self.writer, branch);
                        self.report(
                            rules::MISSING_UNION_BRANCH,
                            path.clone(),
                            rules::missing_union_branch(&self.site(&path), &writer_type),
                        );
                    }
                    all = false;
                }
                self.path.pop();
                if !all && !self.collect {
                    return Step::Return(false);
                }
                self.union_branches(r, w, i + 1, all, stack)
            }
            Frame::ReaderBranches { w, rest } => {
                if ok {
                    return Step::Return(true);
                }
                self.reader_branches(w, rest, stack)
            }
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

    fn report(&mut self, rule: rules::Rule, path: String, (message, hint): (String, String)) {
        self.out.push(Finding {
            kind: rule.id,
            path,
            message,
            hint,
            breaking: true,
            import: None,
        });
    }

    /// Compares the child pair `(r, w)` under `segment`.
    fn visit(&mut self, segment: Segment, r: NodeId, w: NodeId, stack: &mut Vec<Frame>) -> Step {
        self.path.push(segment);
        stack.push(Frame::PopPath);
        Step::Enter(r, w)
    }

    /// Compares `(r, w)` for a verdict only, whatever the mode: a probe's findings are never
    /// shown, and building them is what made unions of records cubic.
    fn probe(&mut self, r: NodeId, w: NodeId, stack: &mut Vec<Frame>) -> Step {
        stack.push(Frame::Probe {
            collect: self.collect,
        });
        self.collect = false;
        Step::Enter(r, w)
    }

    /// A pair, through the memo when both sides are records (the only way to recurse).
    fn pair(&mut self, r: NodeId, w: NodeId, stack: &mut Vec<Frame>) -> Step {
        let both_records = matches!(
            (self.reader.node(r), self.writer.node(w)),
            (Node::Record(_), Node::Record(_))
        );
        if !both_records {
            return self.calculate(r, w, stack);
        }
        match self.memo.get(&(r, w)).copied() {
            Some(Memo::InProgress) => return Step::Return(true),
            Some(Memo::Done { ok, reported }) => {
                if !ok && self.collect {
                    self.replayed = true;
                }
                // A pair judged for a verdict only is compared again when its findings are
                // wanted (once: it is then recorded as reported).
                if ok || reported || !self.collect {
                    return Step::Return(ok);
                }
            }
            // Without findings, a name mismatch decides at once: no memo entry is needed,
            // which keeps probing a union of n records against another free of n² entries.
            None if !self.collect && !self.check_names(r, w) => return Step::Return(false),
            None => {}
        }
        self.memo.insert((r, w), Memo::InProgress);
        self.in_progress.entry(w).or_default().push(r);
        stack.push(Frame::Memo { key: (r, w) });
        self.calculate(r, w, stack)
    }

    /// The pair `key` is no longer in progress. Pairs end in the reverse order they began, so
    /// the reader is the last one listed for the writer.
    fn end_progress(&mut self, (r, w): (NodeId, NodeId)) {
        if let Some(readers) = self.in_progress.get_mut(&w) {
            debug_assert_eq!(readers.last(), Some(&r));
            readers.pop();
        }
    }

    fn calculate(&mut self, r: NodeId, w: NodeId, stack: &mut Vec<Frame>) -> Step {
        let (rk, wk) = (self.reader.kind(r), self.writer.kind(w));
        if rk == wk {
            return match (self.reader.node(r), self.writer.node(w)) {
                (Node::Primitive { .. }, _) => Step::Return(true),
                (Node::Array { items: ri }, Node::Array { items: wi }) => {
                    self.visit(Segment::Key("items"), *ri, *wi, stack)
                }
                (Node::Map { values: rv }, Node::Map { values: wv }) => {
                    self.visit(Segment::Key("values"), *rv, *wv, stack)
                }
                (Node::Fixed(_), Node::Fixed(_)) => {
                    let named = self.check_names(r, w);
                    if !named && !self.collect {
                        return Step::Return(false);
                    }
                    Step::Return(self.check_fixed_size(r, w) && named)
                }
                (Node::Enum(_), Node::Enum(_)) => {
                    let named = self.check_names(r, w);
                    if !named && !self.collect {
                        return Step::Return(false);
                    }
                    Step::Return(self.check_enum_symbols(r, w) && named)
                }
                (Node::Record(_), Node::Record(_)) => {
                    let named = self.check_names(r, w);
                    if !named && !self.collect {
                        return Step::Return(false);
                    }
                    self.path.push(Segment::Key("fields"));
                    self.fields(r, w, 0, true, named, stack)
                }
                (Node::Union { .. }, Node::Union { .. }) => {
                    self.union_branches(r, w, 0, true, stack)
                }
                _ => unreachable!("kinds are equal"),
            };
        }
        // A reader that can read every branch of a writer union can read the union.
        if let Node::Union { .. } = self.writer.node(w) {
            return self.writer_branches(r, w, 0, true, stack);
        }
        match rk {
            Kind::Primitive(reader) => {
                let Kind::Primitive(writer) = wk else {
                    return Step::Return(self.type_mismatch(r, w));
                };
                Step::Return(promotes(writer, reader) || self.type_mismatch(r, w))
            }
            Kind::Union => {
                let rest = self.reader_candidates(r, w);
                self.reader_branches(w, rest, stack)
            }
            _ => Step::Return(self.type_mismatch(r, w)),
        }
    }

    /// Branch `i` of the writer union `w`.
    fn writer_branch(&self, w: NodeId, i: usize) -> NodeId {
        match self.writer.node(w) {
            Node::Union { branches } => branches[i],
            _ => unreachable!("only unions have branches"),
        }
    }

    fn branch_count(schema: &AvroSchema, id: NodeId) -> usize {
        match schema.node(id) {
            Node::Union { branches } => branches.len(),
            _ => 0,
        }
    }

    /// A reader that can read every branch of a writer union can read the union: branches
    /// from `i` on, `ok` the verdict of those before.
    fn writer_branches(
        &mut self,
        r: NodeId,
        w: NodeId,
        i: usize,
        ok: bool,
        stack: &mut Vec<Frame>,
    ) -> Step {
        if i >= Self::branch_count(self.writer, w) {
            return Step::Return(ok);
        }
        stack.push(Frame::WriterBranches { r, w, i, ok });
        Step::Enter(r, self.writer_branch(w, i))
    }

    /// Each branch of a writer union must be readable by the reader union: branches from `i`
    /// on, `ok` the verdict of those before.
    fn union_branches(
        &mut self,
        r: NodeId,
        w: NodeId,
        i: usize,
        ok: bool,
        stack: &mut Vec<Frame>,
    ) -> Step {
        if i >= Self::branch_count(self.writer, w) {
            return Step::Return(ok);
        }
        self.path.push(Segment::Index(i));
        stack.push(Frame::UnionBranches { r, w, i, ok });
        self.probe(r, self.writer_branch(w, i), stack)
    }

    /// The branches of the reader union `r` that may read the writer type `w`, in branch order,
    /// the first last.
    ///
    /// Java tries every branch in order and takes the first that reads. A branch the index
    /// leaves out would have failed without a trace: another kind than any that reads `w`, or
    /// a named type whose name does not match and whose pair is not in progress (such a pair
    /// fails on its name before anything is memoized). So probing the candidates alone, in the
    /// same order, gives Java's verdict and leaves the memo as Java's walk would, at a cost
    /// that does not grow with the union's width.
    fn reader_candidates(&mut self, r: NodeId, w: NodeId) -> Vec<NodeId> {
        let reader = self.reader;
        let index = self
            .unions
            .entry(r)
            .or_insert_with(|| UnionIndex::new(reader, r));
        let in_progress = match self.writer.node(w) {
            Node::Record(_) => self.in_progress.get(&w).map_or(&[][..], Vec::as_slice),
            _ => &[],
        };
        let mut positions = index.candidates(
            self.writer.node(w),
            |b| matches!(self.memo.get(&(b, w)), Some(Memo::InProgress)),
            in_progress,
        );
        positions.sort_unstable();
        positions.dedup();
        let Node::Union { branches } = reader.node(r) else {
            unreachable!("kind is union")
        };
        positions.iter().rev().map(|&p| branches[p]).collect()
    }

    /// The first of the reader union's branches `rest` (next last) that reads the writer type
    /// `w` (those tried before could not).
    fn reader_branches(
        &mut self,
        w: NodeId,
        mut rest: Vec<NodeId>,
        stack: &mut Vec<Frame>,
    ) -> Step {
        if let Some(b) = rest.pop() {
            stack.push(Frame::ReaderBranches { w, rest });
            return self.probe(b, w, stack);
        }
        if self.collect {
            let path = self.path_string(None);
            let writer_type = describe(self.writer, w);
            self.report(
                rules::MISSING_UNION_BRANCH,
                path.clone(),
                rules::missing_union_branch(&self.site(&path), &writer_type),
            );
        }
        Step::Return(false)
    }

    /// The fields of a record pair from `pos` on (the path ends in `fields`), `ok` the verdict
    /// of those before and `named` that of the names.
    fn fields(
        &mut self,
        r: NodeId,
        w: NodeId,
        mut pos: usize,
        mut ok: bool,
        named: bool,
        stack: &mut Vec<Frame>,
    ) -> Step {
        let (Node::Record(rr), Node::Record(wr)) = (self.reader.node(r), self.writer.node(w))
        else {
            unreachable!("fields are compared for record pairs")
        };
        while let Some(field) = rr.fields.get(pos) {
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
                        self.report(rules::AMBIGUOUS_READER_FIELD, path, texts);
                    }
                    ok = false;
                    self.path.pop();
                    pos += 1;
                    continue;
                }
                matches.first().and_then(|n| wr.field(n))
            };
            let child = match writer_field {
                Some(wf) => Some((field.ty, wf.ty)),
                None if field.default.is_some() => None,
                // Java resolves an enum-with-default field against the writer record itself,
                // which always fails as a type mismatch; the verdict is what matters.
                None if matches!(self.reader.node(field.ty), Node::Enum(e) if e.default.is_some()) => {
                    Some((field.ty, w))
                }
                None => {
                    if self.collect {
                        let path = self.path_string(None);
                        let suggestion = default_suggestion(self.reader, field.ty);
                        let texts = rules::reader_field_missing_default(
                            &self.site(&path),
                            &field.name,
                            &suggestion,
                        );
                        self.report(rules::READER_FIELD_MISSING_DEFAULT_VALUE, path, texts);
                    }
                    ok = false;
                    None
                }
            };
            if let Some((cr, cw)) = child {
                self.fields.push((&field.name, cr, cw));
                self.path.push(Segment::Key("type"));
                stack.push(Frame::Fields {
                    r,
                    w,
                    pos,
                    ok,
                    named,
                });
                return Step::Enter(cr, cw);
            }
            self.path.pop();
            if !ok && !self.collect {
                break;
            }
            pos += 1;
        }
        self.path.pop();
        Step::Return(ok && named)
    }

    fn type_mismatch(&mut self, r: NodeId, w: NodeId) -> bool {
        if self.collect {
            let path = self.path_string(None);
            let texts = rules::type_mismatch(
                &self.site(&path),
                &describe(self.reader, r),
                &describe(self.writer, w),
            );
            self.report(rules::TYPE_MISMATCH, path, texts);
        }
        false
    }

    /// Whether the names of a named pair match (a reader alias may name the writer); reports
    /// the mismatch when collecting.
    fn check_names(&mut self, r: NodeId, w: NodeId) -> bool {
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
            self.report(rules::NAME_MISMATCH, path, texts);
        }
        false
    }

    fn check_fixed_size(&mut self, r: NodeId, w: NodeId) -> bool {
        let (Node::Fixed(rf), Node::Fixed(wf)) = (self.reader.node(r), self.writer.node(w)) else {
            return true;
        };
        if rf.size == wf.size {
            return true;
        }
        if self.collect {
            let path = self.path_string(Some("size"));
            let texts = rules::fixed_size_mismatch(&self.site(&path), rf.size, wf.size);
            self.report(rules::FIXED_SIZE_MISMATCH, path, texts);
        }
        false
    }

    fn check_enum_symbols(&mut self, r: NodeId, w: NodeId) -> bool {
        let (Node::Enum(re), Node::Enum(we)) = (self.reader.node(r), self.writer.node(w)) else {
            return true;
        };
        let reader_symbols: std::collections::HashSet<&str> =
            re.symbols.iter().map(String::as_str).collect();
        let mut missing: Vec<&str> = we
            .symbols
            .iter()
            .filter(|s| !reader_symbols.contains(s.as_str()))
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
            self.report(rules::MISSING_ENUM_SYMBOLS, path, texts);
        }
        false
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
    let mut seen = std::collections::HashSet::with_capacity(aliases.len());
    for alias in aliases {
        let repeated = !seen.insert(alias.as_str());
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
