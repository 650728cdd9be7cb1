//! Confluent's Protobuf difference walk, re-implemented from its documented behaviour: messages
//! and enums are matched by name at each nesting level, fields by number across the whole message
//! (top-level and oneof members alike), and message-typed fields are followed into imported types.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use super::rules::{self, Occurrence, Rule};
use crate::compat::{Finding, Options};
use crate::schema::protobuf::model::{Field, FieldType, Label, Message, Model, Scalar};

/// The roles of the two schemas in the messages: the updated one first.
#[derive(Debug, Clone, Copy)]
pub struct Roles {
    pub update: &'static str,
    pub original: &'static str,
}

type Pair = (String, String);

pub struct Walk<'a> {
    orig: &'a Model,
    upd: &'a Model,
    roles: Roles,
    options: &'a Options,
    path: Vec<String>,
    /// What the pair being planned reports, in order.
    events: Vec<Event<'a>>,
    /// The new schema's import whose types `path` names now (None: the schema's own file).
    import: Option<String>,
    /// Verdicts for pairs of imported message types already compared (true = compatible).
    named: HashMap<Pair, bool>,
    /// Pairs being compared right now, counted (the same pair may be entered from two scopes);
    /// a recursive type meets itself here.
    active: HashMap<Pair, usize>,
    /// The pairs entered while planning the current pair, innermost last, and a shared copy
    /// for the events that carry them (rebuilt only when they change).
    local: Vec<Pair>,
    local_shared: Option<Rc<[Pair]>>,
}

/// What comparing a pair of messages reports, in order. Planning a pair does not follow a
/// message-typed field into imported types: it leaves an [`Import`] in its place, which
/// [`Walk::run`] expands on an explicit stack. The native stack therefore grows with the
/// nesting of declarations (which the parser bounds), never with chains of imported types.
enum Event<'a> {
    Finding(Finding),
    Import(Import<'a>),
}

/// A message-typed field whose two types come from different files and must be compared.
struct Import<'a> {
    key: Pair,
    orig: &'a Message,
    upd: &'a Message,
    /// Where the types' own findings are reported: their names within their packages.
    path: Vec<String>,
    /// The new schema's import that declares the types (None: the schema's own file).
    import: Option<String>,
    /// The pairs being compared where the field was met: they stay active while the types
    /// are compared, as they would in a recursive walk.
    scope: Rc<[Pair]>,
    /// Reported at the field when the types are incompatible.
    finding: Option<Finding>,
}

/// A pair being compared by [`Walk::run`]: its planned events, and what to do when they end.
struct Frame<'a> {
    events: std::vec::IntoIter<Event<'a>>,
    /// `None` for the two files themselves.
    import: Option<Started>,
}

/// An imported pair being compared: what its end needs.
struct Started {
    key: Pair,
    /// The breaking count when it started: its verdict is whether that grew.
    breaking_before: usize,
    scope: Rc<[Pair]>,
    /// Reported at the field when the pair turns out incompatible.
    finding: Option<Finding>,
}

impl<'a> Walk<'a> {
    pub fn new(orig: &'a Model, upd: &'a Model, roles: Roles, options: &'a Options) -> Self {
        Self {
            orig,
            upd,
            roles,
            options,
            path: Vec::new(),
            events: Vec::new(),
            import: None,
            named: HashMap::new(),
            active: HashMap::new(),
            local: Vec::new(),
            local_shared: None,
        }
    }

    /// Compares the two files and returns the findings.
    ///
    /// Findings, their order and the verdicts of imported pairs are those of a depth-first walk
    /// that compares an imported pair where its field is first met (a pair already in progress
    /// counts as compatible); the pairs in progress are a heap stack, so a chain of thousands
    /// of imported types gets a verdict instead of overflowing the thread's stack.
    pub fn run(mut self) -> Vec<Finding> {
        let (orig, upd) = (self.orig, self.upd);
        let (of, uf) = (orig.main_file(), upd.main_file());
        if of.package != uf.package {
            self.emit_change(&rules::PACKAGE_CHANGED, "", "", &of.package, &uf.package);
        }
        self.compare_types(&of.messages, &of.enums, &uf.messages, &uf.enums);
        let mut stack = vec![Frame {
            events: std::mem::take(&mut self.events).into_iter(),
            import: None,
        }];
        let mut out = Vec::new();
        let mut breaking = 0usize;
        let mut record = |out: &mut Vec<Finding>, f: Option<Finding>| {
            if let Some(f) = f {
                breaking += usize::from(f.breaking);
                out.push(f);
            }
            breaking
        };
        while let Some(top) = stack.last_mut() {
            match top.events.next() {
                Some(Event::Finding(f)) => {
                    record(&mut out, Some(f));
                }
                Some(Event::Import(import)) => {
                    let verdict = match self.named.get(&import.key) {
                        Some(&compatible) => Some(compatible),
                        None if self.active.contains_key(&import.key)
                            || import.scope.contains(&import.key) =>
                        {
                            Some(true)
                        }
                        None => None,
                    };
                    match verdict {
                        Some(true) => {}
                        Some(false) => {
                            record(&mut out, import.finding);
                        }
                        None => {
                            for pair in import.scope.iter() {
                                self.enter(pair.clone());
                            }
                            self.path = import.path;
                            self.import = import.import;
                            self.compare_message(import.orig, import.upd);
                            let before = record(&mut out, None);
                            stack.push(Frame {
                                events: std::mem::take(&mut self.events).into_iter(),
                                import: Some(Started {
                                    key: import.key,
                                    breaking_before: before,
                                    scope: import.scope,
                                    finding: import.finding,
                                }),
                            });
                        }
                    }
                }
                None => {
                    let frame = stack
                        .pop()
                        .expect("the loop runs while the stack has a top");
                    if let Some(started) = frame.import {
                        // The pair's verdict: whether comparing it reported anything breaking.
                        let compatible = record(&mut out, None) == started.breaking_before;
                        self.named.insert(started.key, compatible);
                        for pair in started.scope.iter() {
                            self.leave(pair);
                        }
                        if !compatible {
                            record(&mut out, started.finding);
                        }
                    }
                }
            }
        }
        out
    }

    fn path_string(&self) -> String {
        format!("#/{}", self.path.join("/"))
    }

    /// The finding of `rule` here, about a value that changed from `orig` (the original's) to
    /// `upd` (the hint names them as the old and new schema's, whichever the direction), unless
    /// it is a compatible change and not asked for.
    fn finding_change(
        &self,
        rule: &Rule,
        tag: &str,
        detail: &str,
        orig: &str,
        upd: &str,
    ) -> Option<Finding> {
        let (was, now) = if self.roles.update == "new" {
            (orig, upd)
        } else {
            (upd, orig)
        };
        if !(rule.breaking || self.options.verbose) {
            return None;
        }
        let path = self.path_string();
        let (message, hint) = rule.describe(&Occurrence {
            path: &path,
            update: self.roles.update,
            original: self.roles.original,
            tag,
            detail,
            was,
            now,
        });
        Some(Finding {
            kind: rule.id,
            path,
            message,
            hint,
            breaking: rule.breaking,
            import: self.import.clone(),
        })
    }

    fn emit(&mut self, rule: &Rule, tag: &str, detail: &str) {
        self.emit_change(rule, tag, detail, "", "");
    }

    fn emit_change(&mut self, rule: &Rule, tag: &str, detail: &str, orig: &str, upd: &str) {
        if let Some(f) = self.finding_change(rule, tag, detail, orig, upd) {
            self.events.push(Event::Finding(f));
        }
    }

    fn enter(&mut self, pair: Pair) {
        *self.active.entry(pair).or_default() += 1;
    }

    fn leave(&mut self, pair: &Pair) {
        if let Some(n) = self.active.get_mut(pair) {
            *n -= 1;
            if *n == 0 {
                self.active.remove(pair);
            }
        }
    }

    fn at<R>(&mut self, segment: impl Into<String>, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(segment.into());
        let r = f(self);
        self.path.pop();
        r
    }

    /// Messages and enums declared side by side (in a file or a message), matched by name.
    fn compare_types(&mut self, om: &[usize], oe: &[usize], um: &[usize], ue: &[usize]) {
        let (orig, upd) = (self.orig, self.upd);
        let o_names: Vec<&str> = om.iter().map(|&i| orig.messages[i].name.as_str()).collect();
        let u_names: Vec<&str> = um.iter().map(|&i| upd.messages[i].name.as_str()).collect();
        let (o_pos, u_pos) = (positions(&o_names), positions(&u_names));
        for name in union(&o_names, &u_names, &o_pos) {
            let o_pos = o_pos.get(name).copied();
            let u_pos = u_pos.get(name).copied();
            self.at(name, |w| match (o_pos, u_pos) {
                (Some(op), None) => {
                    let full = &orig.messages[om[op]].full_name;
                    w.emit(&rules::MESSAGE_REMOVED, "", full);
                }
                (None, Some(_)) => w.emit(&rules::MESSAGE_ADDED, "", ""),
                (Some(op), Some(up)) => {
                    w.compare_message(&orig.messages[om[op]], &upd.messages[um[up]]);
                    // Message indexes on the wire refer to the writer's schema, so a move is safe.
                    if op != up {
                        w.emit(&rules::MESSAGE_MOVED, "", "");
                    }
                }
                (None, None) => {}
            });
        }
        let o_names: Vec<&str> = oe.iter().map(|&i| orig.enums[i].name.as_str()).collect();
        let u_names: Vec<&str> = ue.iter().map(|&i| upd.enums[i].name.as_str()).collect();
        let (o_pos, u_pos) = (positions(&o_names), positions(&u_names));
        for name in union(&o_names, &u_names, &o_pos) {
            let o_pos = o_pos.get(name).copied();
            let u_pos = u_pos.get(name).copied();
            self.at(name, |w| match (o_pos, u_pos) {
                (Some(_), None) => w.emit(&rules::ENUM_REMOVED, "", ""),
                (None, Some(_)) => w.emit(&rules::ENUM_ADDED, "", ""),
                (Some(op), Some(up)) => w.compare_enum(oe[op], ue[up]),
                (None, None) => {}
            });
        }
    }

    fn compare_enum(&mut self, o: usize, u: usize) {
        let (orig, upd) = (self.orig, self.upd);
        let (o, u) = (&orig.enums[o], &upd.enums[u]);
        // With aliases, a number's first name is its name.
        let first_names = |e: &'a crate::schema::protobuf::model::Enum| {
            let mut names: HashMap<i32, &'a str> = HashMap::with_capacity(e.values.len());
            for v in &e.values {
                names.entry(v.number).or_insert(v.name.as_str());
            }
            names
        };
        let (o_names, u_names) = (first_names(o), first_names(u));
        let name_of = |names: &HashMap<i32, &str>, n: i32| names.get(&n).map(|s| s.to_string());
        let numbers: BTreeSet<i32> = o
            .values
            .iter()
            .chain(u.values.iter())
            .map(|v| v.number)
            .collect();
        for n in numbers {
            let tag = n.to_string();
            match (name_of(&o_names, n), name_of(&u_names, n)) {
                (Some(_), None) => self.at(&tag, |w| w.emit(&rules::ENUM_CONST_REMOVED, &tag, "")),
                (None, Some(_)) => self.at(&tag, |w| w.emit(&rules::ENUM_CONST_ADDED, &tag, "")),
                (Some(a), Some(b)) if a != b => self.at(&tag, |w| {
                    w.emit(
                        &rules::ENUM_CONST_CHANGED,
                        &tag,
                        &format!(" ('{a}' → '{b}')"),
                    )
                }),
                _ => {}
            }
        }
    }

    fn compare_message(&mut self, o: &'a Message, u: &'a Message) {
        let key = (o.full_name.clone(), u.full_name.clone());
        if !self.active.contains_key(&key) {
            self.enter(key.clone());
            self.local.push(key.clone());
            self.local_shared = None;
            self.compare_fields(o, u);
            self.local.pop();
            self.local_shared = None;
            self.leave(&key);
        }
        self.compare_types(&o.messages, &o.enums, &u.messages, &u.enums);
    }

    /// The pairs entered while planning, shared by the events planned under them.
    fn scope(&mut self) -> Rc<[Pair]> {
        let local = &self.local;
        self.local_shared
            .get_or_insert_with(|| local.as_slice().into())
            .clone()
    }

    fn compare_fields(&mut self, o: &'a Message, u: &'a Message) {
        let o_oneof: HashMap<i32, &str> = oneof_members(o);
        let u_oneof: HashMap<i32, &str> = oneof_members(u);

        // A oneof that is gone with every member is a deletion like any other; if some member
        // survives elsewhere, the dropped members are reported one by one.
        // Sets and groupings first: a message may hold thousands of fields and oneofs.
        let u_oneof_set: HashSet<&str> = u.oneofs.iter().map(String::as_str).collect();
        let o_oneof_set: HashSet<&str> = o.oneofs.iter().map(String::as_str).collect();
        let surviving: HashSet<&str> = o
            .fields
            .iter()
            .filter(|f| u.field(f.number).is_some())
            .filter_map(|f| f.oneof.as_deref())
            .collect();
        let deleted_oneofs: HashSet<&str> = o
            .oneofs
            .iter()
            .map(String::as_str)
            .filter(|name| !u_oneof_set.contains(name) && !surviving.contains(name))
            .collect();
        let mut u_members: HashMap<&str, Vec<&Field>> = HashMap::new();
        for f in &u.fields {
            if let Some(oneof) = f.oneof.as_deref() {
                u_members.entry(oneof).or_default().push(f);
            }
        }

        // New mutual exclusion: a oneof of the update whose pre-existing members come from more
        // than one original group (a oneof, or each top-level field on its own).
        for oneof in &u.oneofs {
            let mut groups: HashSet<String> = HashSet::new();
            let mut moved = Vec::new();
            let members = u_members.get(oneof.as_str()).map_or(&[][..], Vec::as_slice);
            for f in members {
                if let Some(name) = o_oneof.get(&f.number) {
                    groups.insert(format!("oneof:{name}"));
                } else if o.field(f.number).is_some() {
                    groups.insert(format!("field:{}", f.number));
                    moved.push(format!("'{}' ({})", f.name, f.number));
                }
            }
            if groups.len() > 1 {
                let detail = moved.join(", ");
                self.at(oneof.as_str(), |w| {
                    if moved.len() > 1 {
                        w.emit(&rules::MULTIPLE_FIELDS_MOVED_TO_ONEOF, oneof, &detail)
                    } else {
                        w.emit(&rules::FIELD_MOVED_TO_EXISTING_ONEOF, oneof, &detail)
                    }
                });
            }
        }

        let oneof_names: BTreeSet<&str> = o
            .oneofs
            .iter()
            .chain(u.oneofs.iter())
            .map(String::as_str)
            .collect();
        for name in oneof_names {
            let (in_o, in_u) = (o_oneof_set.contains(name), u_oneof_set.contains(name));
            if in_o && !in_u {
                self.at(name, |w| w.emit(&rules::ONEOF_REMOVED, "", ""));
            } else if in_u && !in_o {
                self.at(name, |w| w.emit(&rules::ONEOF_ADDED, "", ""));
            }
        }

        let tags: BTreeSet<i32> = o
            .fields
            .iter()
            .chain(u.fields.iter())
            .map(|f| f.number)
            .collect();
        for number in tags {
            let tag = number.to_string();
            let (of, uf) = (o.field(number), u.field(number));
            let (oo, uo) = (o_oneof.get(&number).copied(), u_oneof.get(&number).copied());
            match (of, uf) {
                (Some(of), None) => match oo {
                    Some(oneof) if !deleted_oneofs.contains(oneof) => {
                        let detail = format!("'{}'", of.name);
                        self.at(oneof, |w| {
                            w.at(&tag, |w| w.emit(&rules::ONEOF_FIELD_REMOVED, &tag, &detail))
                        });
                    }
                    Some(_) => {}
                    None => {
                        let rule = if of.label == Some(Label::Required) {
                            &rules::REQUIRED_FIELD_REMOVED
                        } else {
                            &rules::FIELD_REMOVED
                        };
                        let detail = format!("'{}'", of.name);
                        self.at(&tag, |w| w.emit(rule, &tag, &detail));
                    }
                },
                (None, Some(uf)) => match uo {
                    Some(oneof) => self.at(oneof, |w| {
                        w.at(&tag, |w| w.emit(&rules::ONEOF_FIELD_ADDED, &tag, ""))
                    }),
                    None => {
                        let rule = if uf.label == Some(Label::Required) {
                            &rules::REQUIRED_FIELD_ADDED
                        } else {
                            &rules::FIELD_ADDED
                        };
                        let detail = format!("'{}' ({tag})", uf.name);
                        self.at(&tag, |w| w.emit(rule, &tag, &detail));
                    }
                },
                (Some(of), Some(uf)) => {
                    if oo.is_some() && uo.is_none() {
                        self.at(&tag, |w| {
                            w.emit(&rules::ONEOF_FIELD_MOVED_TO_TOP_LEVEL, &tag, "")
                        });
                    }
                    match uo {
                        Some(oneof) => self.at(oneof, |w| w.at(&tag, |w| w.compare_field(of, uf))),
                        None => self.at(&tag, |w| w.compare_field(of, uf)),
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn compare_field(&mut self, o: &Field, u: &Field) {
        let tag = o.number.to_string();
        if o.name != u.name {
            let detail = format!(" ('{}' → '{}')", o.name, u.name);
            self.emit(&rules::FIELD_NAME_CHANGED, &tag, &detail);
        }
        self.compare_labels_and_types(&tag, o.label, u.label, &o.ty, &u.ty);
    }

    fn compare_labels_and_types(
        &mut self,
        tag: &str,
        ol: Option<Label>,
        ul: Option<Label>,
        ot: &FieldType,
        ut: &FieldType,
    ) {
        let (od, ud) = (ot.display(), ut.display());
        match (kind(ot), kind(ut)) {
            (a, b) if a != b => self.emit_change(&rules::FIELD_KIND_CHANGED, tag, "", &od, &ud),
            (Kind::Scalar, _) => {
                let (og, ug) = (scalar_group(ot), scalar_group(ut));
                if og != ug {
                    self.emit_change(&rules::FIELD_SCALAR_KIND_CHANGED, tag, "", &od, &ud);
                } else if let (Some(a), Some(b)) = (ol, ul) {
                    if a != b {
                        let labels = format!(" ({} → {})", label_name(a), label_name(b));
                        if og == Group::StringOrBytes {
                            self.emit(&rules::FIELD_STRING_OR_BYTES_LABEL_CHANGED, tag, &labels);
                        } else {
                            let rule = &rules::FIELD_NUMERIC_LABEL_CHANGED;
                            self.emit_change(rule, tag, &od, label_name(a), label_name(b));
                        }
                    }
                }
            }
            (Kind::Message, _) => self.compare_message_types(tag, ot, ut),
            (Kind::Map, _) => {
                if let (FieldType::Map(ok, ov), FieldType::Map(uk, uv)) = (ot, ut) {
                    self.compare_labels_and_types(tag, None, None, ok, uk);
                    self.compare_labels_and_types(tag, None, None, ov, uv);
                }
            }
        }
    }

    /// A message-typed field keeps its type when the type's name within its package is the same;
    /// a same-named type from elsewhere (an import, another version of it) must be compatible.
    fn compare_message_types(&mut self, tag: &str, ot: &FieldType, ut: &FieldType) {
        let (on, un) = match (ot, ut) {
            (
                FieldType::Message(a) | FieldType::Group(a),
                FieldType::Message(b) | FieldType::Group(b),
            ) => (a.as_str(), b.as_str()),
            _ => return,
        };
        let (orig, upd) = (self.orig, self.upd);
        let (Some(om), Some(um)) = (orig.message_by_name(on), upd.message_by_name(un)) else {
            if on != un {
                let detail = "the field's message type changed";
                self.emit_change(&rules::FIELD_NAMED_TYPE_CHANGED, tag, detail, on, un);
            }
            return;
        };
        let (ofile, ufile) = (&orig.files[om.file], &upd.files[um.file]);
        let (ol, ul) = (
            local_name(on, &ofile.package),
            local_name(un, &ufile.package),
        );
        if ol != ul {
            let detail = "the field's message type changed";
            self.emit_change(&rules::FIELD_NAMED_TYPE_CHANGED, tag, detail, on, un);
            return;
        }
        // Types of the schema's own file are compared by the walk itself; the same imported
        // file on both sides cannot differ.
        let both_local = om.file == orig.main && um.file == upd.main;
        let same_import = om.file != orig.main
            && um.file != upd.main
            && ofile.name == ufile.name
            && ofile.digest == ufile.digest;
        if both_local || same_import {
            return;
        }
        // Decided by the driver, in walk order: see `Walk::run`. Findings inside point into
        // the new schema's file of the type.
        let (new_model, new_file) = if self.roles.update == "new" {
            (upd, um.file)
        } else {
            (orig, om.file)
        };
        let detail = format!("its message type '{ol}' changed incompatibly");
        let import = Import {
            key: (on.to_string(), un.to_string()),
            orig: om,
            upd: um,
            path: ol.split('.').map(str::to_string).collect(),
            import: (new_file != new_model.main).then(|| new_model.files[new_file].name.clone()),
            scope: self.scope(),
            finding: self.finding_change(&rules::FIELD_NAMED_TYPE_CHANGED, tag, &detail, on, un),
        };
        self.events.push(Event::Import(import));
    }
}

fn oneof_members(m: &Message) -> HashMap<i32, &str> {
    m.fields
        .iter()
        .filter_map(|f| f.oneof.as_deref().map(|o| (f.number, o)))
        .collect()
}

/// The first position of each name.
fn positions<'n>(names: &[&'n str]) -> HashMap<&'n str, usize> {
    let mut map = HashMap::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        map.entry(*name).or_insert(i);
    }
    map
}

/// Names in the original's order, then the update's new ones in its order (`in_a` holds the
/// original's names).
fn union<'n>(a: &[&'n str], b: &[&'n str], in_a: &HashMap<&str, usize>) -> Vec<&'n str> {
    let mut out: Vec<&str> = a.to_vec();
    out.extend(b.iter().filter(|n| !in_a.contains_key(*n)));
    out
}

pub(super) fn local_name<'n>(full: &'n str, package: &str) -> &'n str {
    if package.is_empty() {
        return full;
    }
    full.strip_prefix(package)
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or(full)
}

fn label_name(l: Label) -> &'static str {
    match l {
        Label::Optional => "optional",
        Label::Required => "required",
        Label::Repeated => "repeated",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Message,
    Map,
}

/// Enums count as scalars: they are varints on the wire.
fn kind(t: &FieldType) -> Kind {
    match t {
        FieldType::Scalar(_) | FieldType::Enum(_) => Kind::Scalar,
        FieldType::Message(_) | FieldType::Group(_) => Kind::Message,
        FieldType::Map(..) => Kind::Map,
    }
}

/// Confluent's scalar groups: a change within a group is compatible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Group {
    GeneralNumber,
    SignedNumber,
    StringOrBytes,
    Fixed32,
    Fixed64,
    Float,
    Double,
    Other,
}

pub(super) fn scalar_group(t: &FieldType) -> Group {
    match t {
        FieldType::Enum(_) => Group::GeneralNumber,
        FieldType::Scalar(s) => match s {
            Scalar::Int32 | Scalar::Int64 | Scalar::Uint32 | Scalar::Uint64 | Scalar::Bool => {
                Group::GeneralNumber
            }
            Scalar::Sint32 | Scalar::Sint64 => Group::SignedNumber,
            Scalar::String | Scalar::Bytes => Group::StringOrBytes,
            Scalar::Fixed32 | Scalar::Sfixed32 => Group::Fixed32,
            Scalar::Fixed64 | Scalar::Sfixed64 => Group::Fixed64,
            Scalar::Float => Group::Float,
            Scalar::Double => Group::Double,
        },
        _ => Group::Other,
    }
}
