//! The stricter rules of the `wire` and `wire-json` sets, in the spirit of buf's WIRE and
//! WIRE_JSON categories: they judge the evolution from the old file to the new one, matching
//! messages and enums of the schema's own file by full name and fields by number.

use std::collections::HashMap;

use super::confluent::{local_name, scalar_group};
use super::rules::{self, Occurrence, Rule};
use crate::compat::{Finding, RuleSet};
use crate::schema::protobuf::model::{Enum, Field, FieldType, Label, Message, Model, Scalar};

pub fn check(old: &Model, new: &Model, set: RuleSet) -> Vec<Finding> {
    let mut w = Wire {
        set,
        out: Vec::new(),
    };
    let (of, nf) = (old.main_file(), new.main_file());
    if of.package != nf.package {
        w.emit(
            &rules::FILE_SAME_PACKAGE,
            "#/".to_string(),
            "",
            &format!(" from '{}' to '{}'", of.package, nf.package),
        );
    }
    let package = of.package.as_str();
    let (new_messages, new_enums) = own(new, new.main);
    let new_messages: HashMap<&str, &Message> = new_messages
        .into_iter()
        .map(|m| (m.full_name.as_str(), m))
        .collect();
    let new_enums: HashMap<&str, &Enum> = new_enums
        .into_iter()
        .map(|e| (e.full_name.as_str(), e))
        .collect();
    let (old_messages, old_enums) = own(old, old.main);
    for m in old_messages {
        if let Some(n) = new_messages.get(m.full_name.as_str()) {
            w.message(&path_of(&m.full_name, package), m, n);
        }
    }
    for e in old_enums {
        if let Some(n) = new_enums.get(e.full_name.as_str()) {
            w.enumeration(&path_of(&e.full_name, package), e, n);
        }
    }
    w.out
}

/// All messages and enums declared in file `file`, nested ones included.
fn own(model: &Model, file: usize) -> (Vec<&Message>, Vec<&Enum>) {
    let messages = model.messages.iter().filter(|m| m.file == file).collect();
    let enums = model.enums.iter().filter(|e| e.file == file).collect();
    (messages, enums)
}

/// `#/Outer/Inner` for a full name in `package`.
fn path_of(full_name: &str, package: &str) -> String {
    format!("#/{}", local_name(full_name, package).replace('.', "/"))
}

struct Wire {
    set: RuleSet,
    out: Vec<Finding>,
}

impl Wire {
    fn emit(&mut self, rule: &Rule, path: String, tag: &str, detail: &str) {
        if !rule.applies(self.set) {
            return;
        }
        let (message, hint) = rule.describe(&Occurrence {
            path: &path,
            update: "new",
            original: "old",
            tag,
            detail,
            was: "",
            now: "",
        });
        self.out.push(Finding {
            kind: rule.id,
            path,
            message,
            hint,
            breaking: rule.breaking,
            import: None,
        });
    }

    fn message(&mut self, path: &str, old: &Message, new: &Message) {
        for f in &old.fields {
            let tag = f.number.to_string();
            let at = format!("{path}/{tag}");
            let Some(n) = new.field(f.number) else {
                if !new.reserves_number(f.number) {
                    let d = format!(" ('{}' = {})", f.name, f.number);
                    self.emit(
                        &rules::FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED,
                        at.clone(),
                        &tag,
                        &d,
                    );
                }
                if !new.reserves_name(&f.name) {
                    let d = format!(" ('{}' = {})", f.name, f.number);
                    self.emit(
                        &rules::FIELD_NO_DELETE_UNLESS_NAME_RESERVED,
                        at,
                        &f.name,
                        &d,
                    );
                }
                continue;
            };
            self.field(&at, &tag, f, n);
        }
        // Required fields added or dropped (changed labels are reported by `field`).
        for n in &new.fields {
            if n.label == Some(Label::Required) && old.field(n.number).is_none() {
                let d = format!(": '{}' ({}) is new and required", n.name, n.number);
                self.emit(
                    &rules::MESSAGE_SAME_REQUIRED_FIELDS,
                    path.to_string(),
                    "",
                    &d,
                );
            }
        }
        for f in &old.fields {
            if f.label == Some(Label::Required) && new.field(f.number).is_none() {
                let d = format!(": required '{}' ({}) was deleted", f.name, f.number);
                self.emit(
                    &rules::MESSAGE_SAME_REQUIRED_FIELDS,
                    path.to_string(),
                    "",
                    &d,
                );
            }
        }
        for &(start, end) in &old.reserved_ranges {
            if !new.reserves_all(start, end) {
                let d = if end - start == 1 {
                    format!("number {start}")
                } else {
                    format!("numbers {start} to {}", end - 1)
                };
                self.emit(&rules::RESERVED_MESSAGE_NO_DELETE, path.to_string(), "", &d);
            }
        }
        for name in &old.reserved_names {
            if !new.reserves_name(name) {
                let d = format!("name \"{name}\"");
                self.emit(&rules::RESERVED_MESSAGE_NO_DELETE, path.to_string(), "", &d);
            }
        }
    }

    fn field(&mut self, at: &str, tag: &str, old: &Field, new: &Field) {
        if old.name != new.name {
            let d = format!(" from '{}' to '{}'", old.name, new.name);
            self.emit(&rules::FIELD_SAME_NAME, at.to_string(), tag, &d);
        }
        if old.json_name != new.json_name {
            let d = format!(" from '{}' to '{}'", old.json_name, new.json_name);
            self.emit(&rules::FIELD_SAME_JSON_NAME, at.to_string(), tag, &d);
        }
        if old.ty != new.ty {
            let d = format!(" from {} to {}", old.ty.display(), new.ty.display());
            if !wire_compatible(&old.ty, &new.ty) {
                self.emit(&rules::FIELD_WIRE_COMPATIBLE_TYPE, at.to_string(), tag, &d);
            }
            if !json_compatible(&old.ty, &new.ty) {
                self.emit(
                    &rules::FIELD_WIRE_JSON_COMPATIBLE_TYPE,
                    at.to_string(),
                    tag,
                    &d,
                );
            }
        }
        let (oc, nc) = (cardinality(old), cardinality(new));
        if oc != nc {
            let d = format!(" from {} to {}", oc.as_str(), nc.as_str());
            if !wire_cardinality_compatible(oc, nc) {
                self.emit(
                    &rules::FIELD_WIRE_COMPATIBLE_CARDINALITY,
                    at.to_string(),
                    tag,
                    &d,
                );
            }
            if !json_cardinality_compatible(oc, nc) {
                self.emit(
                    &rules::FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY,
                    at.to_string(),
                    tag,
                    &d,
                );
            }
        }
        if old.oneof != new.oneof {
            let name = |o: &Option<String>| match o {
                Some(n) => format!("oneof '{n}'"),
                None => "no oneof".to_string(),
            };
            let d = format!(" from {} to {}", name(&old.oneof), name(&new.oneof));
            self.emit(&rules::FIELD_SAME_ONEOF, at.to_string(), tag, &d);
        }
        if !same_default(old, new) {
            let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".to_string());
            let d = format!(" from {} to {}", show(&old.default), show(&new.default));
            self.emit(&rules::FIELD_SAME_DEFAULT, at.to_string(), tag, &d);
        }
        if (old.label == Some(Label::Required)) != (new.label == Some(Label::Required)) {
            let d = format!(
                ": '{}' ({tag}) {}",
                new.name,
                if new.label == Some(Label::Required) {
                    "became required"
                } else {
                    "is no longer required"
                }
            );
            let path = at
                .rsplit_once('/')
                .map(|(p, _)| p)
                .unwrap_or(at)
                .to_string();
            self.emit(&rules::MESSAGE_SAME_REQUIRED_FIELDS, path, "", &d);
        }
    }

    fn enumeration<'a>(&mut self, path: &str, old: &'a Enum, new: &'a Enum) {
        // Names by number, in declaration order: enums may hold 100k values, so no rescans.
        let names_by_number = |e: &'a Enum| {
            let mut map: HashMap<i32, Vec<&'a str>> = HashMap::new();
            for v in &e.values {
                map.entry(v.number).or_default().push(v.name.as_str());
            }
            map
        };
        let (old_names_of, new_names_of) = (names_by_number(old), names_by_number(new));
        let mut seen = std::collections::HashSet::new();
        for v in &old.values {
            if !seen.insert(v.number) {
                continue;
            }
            let tag = v.number.to_string();
            let at = format!("{path}/{tag}");
            let new_names: &[&str] = new_names_of.get(&v.number).map_or(&[], Vec::as_slice);
            if new_names.is_empty() {
                if !new.reserves_number(v.number) {
                    let d = format!(" ('{}' = {})", v.name, v.number);
                    self.emit(
                        &rules::ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED,
                        at.clone(),
                        &tag,
                        &d,
                    );
                }
                if !new.reserves_name(&v.name) {
                    let d = format!(" ('{}' = {})", v.name, v.number);
                    self.emit(
                        &rules::ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED,
                        at,
                        &v.name,
                        &d,
                    );
                }
                continue;
            }
            // With aliases, every old name of the number must still name it.
            for &o in &old_names_of[&v.number] {
                if !new_names.contains(&o) {
                    let d = format!(" from '{o}' to '{}'", new_names.join("', '"));
                    self.emit(&rules::ENUM_VALUE_SAME_NAME, at.clone(), &tag, &d);
                }
            }
        }
        for &(start, end) in &old.reserved_ranges {
            if !new.reserves_all(start, end) {
                let d = if start == end {
                    format!("number {start}")
                } else {
                    format!("numbers {start} to {end}")
                };
                self.emit(&rules::RESERVED_ENUM_NO_DELETE, path.to_string(), "", &d);
            }
        }
        for name in &old.reserved_names {
            if !new.reserves_name(name) {
                let d = format!("name \"{name}\"");
                self.emit(&rules::RESERVED_ENUM_NO_DELETE, path.to_string(), "", &d);
            }
        }
    }
}

/// Defaults compare by value, and an absent default is the type's zero value (`0`, `false`, "").
fn same_default(old: &Field, new: &Field) -> bool {
    if old.default == new.default {
        return true;
    }
    let zero = |f: &Field| match f.ty {
        FieldType::Scalar(Scalar::Bool) => Some("false".to_string()),
        FieldType::Scalar(Scalar::String | Scalar::Bytes) => Some(String::new()),
        FieldType::Scalar(_) => Some("0".to_string()),
        _ => None,
    };
    let (a, b) = match (
        old.default.clone().or_else(|| zero(old)),
        new.default.clone().or_else(|| zero(new)),
    ) {
        (Some(a), Some(b)) => (a, b),
        _ => return false,
    };
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x == y || (x.is_nan() && y.is_nan()),
        _ => a == b,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cardinality {
    /// proto3 singular without presence.
    Implicit,
    /// proto2 `optional`, proto3 `optional`, oneof members and message fields: presence tracked.
    Optional,
    Required,
    Repeated,
    Map,
}

impl Cardinality {
    fn as_str(self) -> &'static str {
        match self {
            Cardinality::Implicit => "singular",
            Cardinality::Optional => "optional",
            Cardinality::Required => "required",
            Cardinality::Repeated => "repeated",
            Cardinality::Map => "map",
        }
    }
}

fn cardinality(f: &Field) -> Cardinality {
    if matches!(f.ty, FieldType::Map(..)) {
        Cardinality::Map
    } else if f.repeated {
        Cardinality::Repeated
    } else if f.label == Some(Label::Required) {
        Cardinality::Required
    } else if f.explicit_presence {
        Cardinality::Optional
    } else {
        Cardinality::Implicit
    }
}

/// buf's wire-compatible cardinalities: optional and implicit presence read each other; required,
/// and repeated (maps are repeated entries on the wire), each only themselves. A singular reader
/// of a repeated field would keep one element, or none of a packed list.
fn wire_cardinality_compatible(from: Cardinality, to: Cardinality) -> bool {
    use Cardinality::*;
    let class = |c| match c {
        Implicit | Optional => 0,
        Required => 1,
        Repeated | Map => 2,
    };
    class(from) == class(to)
}

/// JSON writes a list for repeated fields and an object for maps: those never mix.
fn json_cardinality_compatible(from: Cardinality, to: Cardinality) -> bool {
    use Cardinality::*;
    let class = |c| match c {
        Implicit | Optional => 0,
        Required => 1,
        Repeated => 2,
        Map => 3,
    };
    class(from) == class(to)
}

/// The binary encodings that read each other (buf's wire-compatible types).
fn wire_compatible(a: &FieldType, b: &FieldType) -> bool {
    match (a, b) {
        // bytes may hold data that is not valid UTF-8, which a string reader rejects.
        (FieldType::Scalar(Scalar::Bytes), FieldType::Scalar(Scalar::String)) => false,
        // Callers compare different types only, so float and double never meet themselves.
        (FieldType::Scalar(_), FieldType::Scalar(_)) => scalar_group(a) == scalar_group(b),
        (FieldType::Map(ak, av), FieldType::Map(bk, bv)) => {
            (ak == bk || wire_compatible(ak, bk)) && (av == bv || wire_compatible(av, bv))
        }
        _ => a == b,
    }
}

/// Binary and JSON encodings both read each other: JSON writes 64-bit integers as strings and
/// bytes as base64, so fewer changes qualify.
fn json_compatible(a: &FieldType, b: &FieldType) -> bool {
    match (a, b) {
        (FieldType::Scalar(x), FieldType::Scalar(y)) => {
            json_group(*x).is_some() && json_group(*x) == json_group(*y)
        }
        (FieldType::Map(ak, av), FieldType::Map(bk, bv)) => {
            (ak == bk || json_compatible(ak, bk)) && (av == bv || json_compatible(av, bv))
        }
        _ => a == b,
    }
}

fn json_group(s: Scalar) -> Option<u8> {
    Some(match s {
        Scalar::Int32 | Scalar::Uint32 => 0,
        Scalar::Int64 | Scalar::Uint64 => 1,
        Scalar::Fixed32 | Scalar::Sfixed32 => 2,
        Scalar::Fixed64 | Scalar::Sfixed64 => 3,
        _ => return None,
    })
}
