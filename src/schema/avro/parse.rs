//! Parses Avro schema JSON the way Avro's Java `Schema.Parser` does (with default validation on,
//! as a registry validates new schemas), reporting errors with the JSON pointer they occur at.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::json::{Json, Obj};

use super::{
    AvroSchema, Enum, Field, Fixed, LogicalType, Name, Node, NodeId, Order, Primitive, Record,
};
use crate::schema::locate::{line_col, pointer_position};
use crate::schema::{LoadError, SourceLocation};

/// Parses one Avro schema text; `source` names it in errors.
pub fn parse(source: &str, text: &str) -> Result<AvroSchema, LoadError> {
    parse_with_references(source, text, &[])
}

/// Parses `text` after its references, each `(source, text)`, so that it may use their named
/// types, as Confluent resolves schema references.
pub fn parse_with_references(
    source: &str,
    text: &str,
    references: &[(&str, &str)],
) -> Result<AvroSchema, LoadError> {
    let mut parser = Parser::default();
    for (ref_source, ref_text) in references {
        parser.parse_document(ref_source, ref_text)?;
    }
    let root = parser.parse_document(source, text)?;
    Ok(AvroSchema {
        nodes: parser.nodes,
        root,
    })
}

/// A parse failure at a JSON pointer of the document being parsed.
struct Failure {
    pointer: String,
    message: String,
}

type Parsed<T> = Result<T, Failure>;

fn fail<T>(pointer: &str, message: impl Into<String>) -> Parsed<T> {
    Err(Failure {
        pointer: pointer.to_string(),
        message: message.into(),
    })
}

/// A field default to validate once every type it may mention is complete. The value stays in
/// the field: no copy per default.
struct PendingDefault {
    ty: NodeId,
    record: NodeId,
    field: usize,
    /// The records being defined around the field when it was read: Java validates a default
    /// at that point and fails on an object default that reaches one of them.
    open_records: Vec<NodeId>,
}

/// Why a default fails Java's validation.
enum BadDefault {
    /// The value does not match the type.
    Mismatch,
    /// The value reaches into this record while it is still being defined.
    OpenRecord(NodeId),
}

#[derive(Default)]
struct Parser {
    nodes: Vec<Node>,
    names: HashMap<String, NodeId>,
    /// Primitive nodes without attributes are shared: they carry no identity of their own.
    plain_primitives: HashMap<Primitive, NodeId>,
    pending_defaults: Vec<PendingDefault>,
    /// Records whose definition is being read, innermost last.
    open_records: Vec<NodeId>,
}

impl Parser {
    fn parse_document(&mut self, source: &str, text: &str) -> Result<NodeId, LoadError> {
        let json = Json::from_str(text).map_err(|e| {
            let (line, column) = (e.line().max(1), e.column().max(1));
            LoadError::Invalid {
                location: SourceLocation::at(source, line, column),
                message: format!("invalid JSON: {e}"),
            }
        })?;
        let located = |failure: Failure| {
            let location = match pointer_position(text, &failure.pointer) {
                Some((line, column)) => SourceLocation::at(source, line, column),
                None => {
                    let (line, column) = line_col(text, 0);
                    SourceLocation::at(source, line, column)
                }
            };
            let message = if failure.pointer.is_empty() {
                failure.message
            } else {
                format!("{} (at {})", failure.message, failure.pointer)
            };
            LoadError::Invalid { location, message }
        };
        let root = self.node(&json, None, "").map_err(located)?;
        self.check_defaults().map_err(located)?;
        Ok(root)
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        NodeId((self.nodes.len() - 1) as u32)
    }

    fn primitive(&mut self, primitive: Primitive) -> NodeId {
        if let Some(&id) = self.plain_primitives.get(&primitive) {
            return id;
        }
        let id = self.push(Node::Primitive {
            primitive,
            logical: None,
        });
        self.plain_primitives.insert(primitive, id);
        id
    }

    fn node(&mut self, json: &Json<'_>, namespace: Option<&str>, ptr: &str) -> Parsed<NodeId> {
        match json {
            Json::String(name) => self.reference(name, namespace, ptr),
            Json::Array(branches) => self.union(branches, namespace, ptr),
            Json::Object(object) => self.object(object, namespace, ptr),
            other => fail(
                ptr,
                format!("a schema must be a type name, an object or an array, not {other}"),
            ),
        }
    }

    /// A type given by name: a primitive, or a named type defined earlier.
    fn reference(&mut self, name: &str, namespace: Option<&str>, ptr: &str) -> Parsed<NodeId> {
        if let Some(p) = Primitive::from_name(name) {
            return Ok(self.primitive(p));
        }
        if !name.contains('.') {
            if let Some(ns) = namespace {
                if let Some(&id) = self.names.get(&format!("{ns}.{name}")) {
                    return Ok(id);
                }
            }
        }
        match self.names.get(name) {
            Some(&id) => Ok(id),
            None => fail(
                ptr,
                format!("unknown type '{name}': not a primitive and not a named type defined before this point"),
            ),
        }
    }

    fn union(
        &mut self,
        branches: &[Json<'_>],
        namespace: Option<&str>,
        ptr: &str,
    ) -> Parsed<NodeId> {
        let mut ids = Vec::with_capacity(branches.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, branch) in branches.iter().enumerate() {
            let bptr = child(ptr, &[Seg::Index(i)]);
            let id = self.node(branch, namespace, &bptr)?;
            let node = &self.nodes[id.index()];
            let key = match node {
                Node::Union { .. } => return fail(&bptr, "a union may not contain a union"),
                _ => match node.name() {
                    Some(name) => name.full_name(),
                    None => node.kind().upper_name().to_ascii_lowercase(),
                },
            };
            if let Some(first) = seen.insert(key.clone(), i) {
                return fail(
                    &bptr,
                    format!("duplicate '{key}' in union (also branch {first})"),
                );
            }
            ids.push(id);
        }
        Ok(self.push(Node::Union { branches: ids }))
    }

    fn object(&mut self, obj: &Obj<'_>, namespace: Option<&str>, ptr: &str) -> Parsed<NodeId> {
        let ty =
            match obj.get("type") {
                Some(Json::String(t)) => t.as_ref(),
                Some(_) => return fail(
                    &format!("{ptr}/type"),
                    "\"type\" must be a string here (a nested type belongs in a field's \"type\")",
                ),
                None => return fail(ptr, "no \"type\" in schema object"),
            };
        if let Some(primitive) = Primitive::from_name(ty) {
            let logical = logical_type(
                obj,
                &Node::Primitive {
                    primitive,
                    logical: None,
                },
            );
            return Ok(match logical {
                Some(logical) => self.push(Node::Primitive {
                    primitive,
                    logical: Some(logical),
                }),
                None => self.primitive(primitive),
            });
        }
        match ty {
            "record" | "error" => self.record(obj, namespace, ptr, ty == "error"),
            "enum" => self.enumeration(obj, namespace, ptr),
            "fixed" => self.fixed(obj, namespace, ptr),
            "array" => {
                let items = obj.get("items").ok_or_else(|| Failure {
                    pointer: ptr.to_string(),
                    message: "array has no \"items\"".into(),
                })?;
                let items = self.node(items, namespace, &child(ptr, &[Seg::Key("items")]))?;
                Ok(self.push(Node::Array { items }))
            }
            "map" => {
                let values = obj.get("values").ok_or_else(|| Failure {
                    pointer: ptr.to_string(),
                    message: "map has no \"values\"".into(),
                })?;
                let values = self.node(values, namespace, &child(ptr, &[Seg::Key("values")]))?;
                Ok(self.push(Node::Map { values }))
            }
            // `{"type": "SomeRecord"}` refers to a named type, as Avro's parser allows.
            other => self.reference(other, namespace, &format!("{ptr}/type")),
        }
    }

    /// Reads and registers the name of a named type; returns the name and its aliases.
    fn declare(
        &mut self,
        obj: &Obj<'_>,
        namespace: Option<&str>,
        ptr: &str,
        placeholder: Node,
    ) -> Parsed<(NodeId, Name, Vec<String>)> {
        let raw = match obj.get("name") {
            Some(Json::String(n)) => n.as_ref(),
            Some(_) => return fail(&format!("{ptr}/name"), "\"name\" must be a string"),
            None => return fail(ptr, "named type has no \"name\""),
        };
        // Java reads the namespace as optional text: anything but a string inherits.
        let space = match obj.get("namespace") {
            Some(Json::String(s)) => Some(s.as_ref()),
            _ => namespace,
        };
        let name = make_name(raw, space).map_err(|m| Failure {
            pointer: format!("{ptr}/name"),
            message: m,
        })?;
        if Primitive::from_name(&name.name).is_some() && name.namespace.is_none() {
            return fail(
                &format!("{ptr}/name"),
                format!(
                    "a named type may not be named after the primitive '{}'",
                    name.name
                ),
            );
        }
        let aliases = match obj.get("aliases") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(items)) => {
                let mut out = Vec::new();
                for (i, a) in items.iter().enumerate() {
                    let aptr = format!("{ptr}/aliases/{i}");
                    let Json::String(a) = a else {
                        return fail(&aptr, "aliases must be strings");
                    };
                    let alias = make_name(a, name.namespace.as_deref()).map_err(|m| Failure {
                        pointer: aptr,
                        message: m,
                    })?;
                    out.push(alias.full_name());
                }
                out
            }
            Some(_) => return fail(&format!("{ptr}/aliases"), "\"aliases\" must be an array"),
        };
        let full = name.full_name();
        if self.names.contains_key(&full) {
            return fail(
                &format!("{ptr}/name"),
                format!("type '{full}' is defined twice"),
            );
        }
        let id = self.push(placeholder);
        self.names.insert(full, id);
        Ok((id, name, aliases))
    }

    fn record(
        &mut self,
        obj: &Obj<'_>,
        namespace: Option<&str>,
        ptr: &str,
        is_error: bool,
    ) -> Parsed<NodeId> {
        let placeholder = Node::Record(Record {
            name: Name {
                name: String::new(),
                namespace: None,
            },
            aliases: Vec::new(),
            doc: None,
            fields: Vec::new(),
            is_error,
            pointer: ptr.to_string(),
            field_index: HashMap::new(),
        });
        let (id, name, aliases) = self.declare(obj, namespace, ptr, placeholder)?;
        // Fill in the name now so that errors in the fields can already name the record.
        if let Node::Record(r) = &mut self.nodes[id.index()] {
            r.name = name.clone();
        }
        let Some(Json::Array(fields_json)) = obj.get("fields") else {
            return fail(
                ptr,
                format!("record '{}' has no \"fields\" array", name.full_name()),
            );
        };
        let mut fields = Vec::with_capacity(fields_json.len());
        let mut field_index = HashMap::with_capacity(fields_json.len());
        self.open_records.push(id);
        for (i, f) in fields_json.iter().enumerate() {
            let fptr = child(ptr, &[Seg::Key("fields"), Seg::Index(i)]);
            let field = self.field(f, name.namespace.as_deref(), &fptr, (id, i))?;
            if field_index.insert(field.name.clone(), i).is_some() {
                return fail(
                    &format!("{fptr}/name"),
                    format!(
                        "duplicate field '{}' in record '{}'",
                        field.name,
                        name.full_name()
                    ),
                );
            }
            fields.push(field);
        }
        self.open_records.pop();
        self.nodes[id.index()] = Node::Record(Record {
            name,
            aliases,
            doc: doc(obj),
            fields,
            is_error,
            pointer: ptr.to_string(),
            field_index,
        });
        Ok(id)
    }

    /// A field; `at` is its record and position in it.
    fn field(
        &mut self,
        json: &Json<'_>,
        namespace: Option<&str>,
        ptr: &str,
        at: (NodeId, usize),
    ) -> Parsed<Field> {
        let Json::Object(obj) = json else {
            return fail(ptr, "a field must be an object");
        };
        let name = match obj.get("name") {
            Some(Json::String(n)) => n.to_string(),
            Some(_) => return fail(&format!("{ptr}/name"), "field \"name\" must be a string"),
            None => return fail(ptr, "field has no \"name\""),
        };
        validate_identifier(&name).map_err(|m| Failure {
            pointer: format!("{ptr}/name"),
            message: m,
        })?;
        let Some(ty_json) = obj.get("type") else {
            return fail(ptr, format!("field '{name}' has no \"type\""));
        };
        let ty = self.node(ty_json, namespace, &child(ptr, &[Seg::Key("type")]))?;
        let order = match obj.get("order") {
            None => Order::Ascending,
            // Java upper-cases the text before matching the constant.
            Some(Json::String(o)) => match o.to_lowercase().as_str() {
                "ascending" => Order::Ascending,
                "descending" => Order::Descending,
                "ignore" => Order::Ignore,
                other => {
                    return fail(
                        &format!("{ptr}/order"),
                        format!(
                            "invalid order '{other}' (expected ascending, descending or ignore)"
                        ),
                    )
                }
            },
            Some(_) => return fail(&format!("{ptr}/order"), "\"order\" must be a string"),
        };
        let aliases = match obj.get("aliases") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, a)| match a {
                    Json::String(s) => Ok(s.to_string()),
                    _ => fail(&format!("{ptr}/aliases/{i}"), "aliases must be strings"),
                })
                .collect::<Parsed<Vec<_>>>()?,
            Some(_) => return fail(&format!("{ptr}/aliases"), "\"aliases\" must be an array"),
        };
        let default = obj.get("default").map(Json::to_value);
        if default.is_some() {
            self.pending_defaults.push(PendingDefault {
                ty,
                record: at.0,
                field: at.1,
                open_records: self.open_records.clone(),
            });
        }
        Ok(Field {
            name,
            aliases,
            doc: doc(obj),
            ty,
            default,
            order,
            pointer: ptr.to_string(),
        })
    }

    fn enumeration(&mut self, obj: &Obj<'_>, namespace: Option<&str>, ptr: &str) -> Parsed<NodeId> {
        let placeholder = Node::Primitive {
            primitive: Primitive::Null,
            logical: None,
        };
        let (id, name, aliases) = self.declare(obj, namespace, ptr, placeholder)?;
        let Some(Json::Array(items)) = obj.get("symbols") else {
            return fail(
                ptr,
                format!("enum '{}' has no \"symbols\" array", name.full_name()),
            );
        };
        if items.is_empty() {
            return fail(
                &format!("{ptr}/symbols"),
                format!("enum '{}' has no symbols", name.full_name()),
            );
        }
        let mut symbols: Vec<String> = Vec::with_capacity(items.len());
        // A set for the duplicate check: enums of 100k symbols are legal input.
        let mut seen: HashSet<&str> = HashSet::with_capacity(items.len());
        for (i, s) in items.iter().enumerate() {
            // Built only on failure: enums may hold 100k symbols.
            let sptr = || format!("{ptr}/symbols/{i}");
            let Json::String(s) = s else {
                return fail(&sptr(), "enum symbols must be strings");
            };
            validate_identifier(s).map_err(|m| Failure {
                pointer: sptr(),
                message: m,
            })?;
            if !seen.insert(s) {
                return fail(&sptr(), format!("duplicate enum symbol '{s}'"));
            }
            symbols.push(s.to_string());
        }
        // Java reads the default as text: a default that is not a string is no default.
        let default = match obj.get("default") {
            Some(Json::String(d)) if seen.contains(d.as_ref()) => Some(d.to_string()),
            Some(Json::String(d)) => {
                return fail(
                    &format!("{ptr}/default"),
                    format!(
                        "enum default '{d}' is not one of the symbols of '{}'",
                        name.full_name()
                    ),
                )
            }
            _ => None,
        };
        self.nodes[id.index()] = Node::Enum(Enum {
            name,
            aliases,
            doc: doc(obj),
            symbols,
            default,
            pointer: ptr.to_string(),
        });
        Ok(id)
    }

    fn fixed(&mut self, obj: &Obj<'_>, namespace: Option<&str>, ptr: &str) -> Parsed<NodeId> {
        let placeholder = Node::Primitive {
            primitive: Primitive::Null,
            logical: None,
        };
        let (id, name, aliases) = self.declare(obj, namespace, ptr, placeholder)?;
        let size = match obj.get("size") {
            Some(Json::Number(n)) => match n.as_u64() {
                Some(s) if s <= i32::MAX as u64 => s as usize,
                _ => {
                    return fail(
                        &format!("{ptr}/size"),
                        format!("invalid fixed size {n} (expected a non-negative integer)"),
                    )
                }
            },
            _ => {
                return fail(
                    ptr,
                    format!("fixed '{}' has no integer \"size\"", name.full_name()),
                )
            }
        };
        let mut fixed = Fixed {
            name,
            aliases,
            doc: doc(obj),
            size,
            logical: None,
            pointer: ptr.to_string(),
        };
        let probe = Node::Fixed(fixed.clone());
        fixed.logical = logical_type(obj, &probe);
        self.nodes[id.index()] = Node::Fixed(fixed);
        Ok(id)
    }

    fn check_defaults(&mut self) -> Parsed<()> {
        for pending in std::mem::take(&mut self.pending_defaults) {
            let Node::Record(record) = &self.nodes[pending.record.index()] else {
                unreachable!("pending defaults belong to records")
            };
            let field = &record.fields[pending.field];
            let value = field.default.as_ref().expect("pending defaults are set");
            // Java's parser turns a text default of a float or double field into a number first.
            let float_text = matches!(
                self.nodes[pending.ty.index()],
                Node::Primitive {
                    primitive: Primitive::Float | Primitive::Double,
                    ..
                }
            ) && value.as_str().is_some_and(is_java_double);
            if float_text {
                continue;
            }
            let pointer = || format!("{}/default", field.pointer);
            match self.valid_default(pending.ty, value, &pending.open_records, 0) {
                Ok(()) => {}
                Err(BadDefault::Mismatch) => {
                    let expected = self.describe(pending.ty);
                    return fail(
                        &pointer(),
                        format!(
                            "invalid default for field '{}': {value} is not a {expected}",
                            field.name
                        ),
                    );
                }
                Err(BadDefault::OpenRecord(id)) => {
                    let record = self.describe(id);
                    return fail(
                        &pointer(),
                        format!(
                            "invalid default for field '{}': the value reaches {record}, which is still being defined where the field is (Avro's parser cannot validate it; use a union with null first and default null)",
                            field.name
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// Whether `value` is a valid default for type `ty` (Avro 1.12's rules: a union's default
    /// matches any of its branches; bytes, fixed and enum defaults are strings, whatever their
    /// length or symbol).
    fn valid_default(
        &self,
        ty: NodeId,
        value: &Value,
        open: &[NodeId],
        depth: usize,
    ) -> Result<(), BadDefault> {
        let check = |ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(BadDefault::Mismatch)
            }
        };
        if depth > 256 {
            return Err(BadDefault::Mismatch);
        }
        match &self.nodes[ty.index()] {
            Node::Primitive { primitive, .. } => check(match primitive {
                Primitive::Null => value.is_null(),
                Primitive::Boolean => value.is_boolean(),
                Primitive::Int => value.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
                Primitive::Long => value.is_i64() || (value.is_u64() && value.as_i64().is_some()),
                Primitive::Float | Primitive::Double => value.is_number(),
                Primitive::Bytes | Primitive::String => value.is_string(),
            }),
            Node::Enum(_) | Node::Fixed(_) => check(value.is_string()),
            Node::Array { items } => {
                let Some(elements) = value.as_array() else {
                    return Err(BadDefault::Mismatch);
                };
                elements
                    .iter()
                    .try_for_each(|v| self.valid_default(*items, v, open, depth + 1))
            }
            Node::Map { values } => {
                let Some(entries) = value.as_object() else {
                    return Err(BadDefault::Mismatch);
                };
                entries
                    .values()
                    .try_for_each(|v| self.valid_default(*values, v, open, depth + 1))
            }
            // Branches are tried in order, as Java does, so an open record met first still fails.
            Node::Union { branches } => {
                for &b in branches {
                    match self.valid_default(b, value, open, depth + 1) {
                        Err(BadDefault::Mismatch) => {}
                        other => return other,
                    }
                }
                Err(BadDefault::Mismatch)
            }
            Node::Record(record) => {
                let Some(obj) = value.as_object() else {
                    return Err(BadDefault::Mismatch);
                };
                if open.contains(&ty) {
                    return Err(BadDefault::OpenRecord(ty));
                }
                record
                    .fields
                    .iter()
                    .try_for_each(|f| match obj.get(&f.name) {
                        Some(v) => self.valid_default(f.ty, v, open, depth + 1),
                        None => check(f.default.is_some()),
                    })
            }
        }
    }

    fn describe(&self, ty: NodeId) -> String {
        let node = &self.nodes[ty.index()];
        match node {
            Node::Union { branches } => {
                let parts: Vec<String> = branches.iter().map(|&b| self.describe(b)).collect();
                format!("value of any branch of the union [{}]", parts.join(", "))
            }
            _ => match node.name() {
                Some(name) => format!(
                    "{} '{}'",
                    node.kind().upper_name().to_lowercase(),
                    name.full_name()
                ),
                None => node.kind().upper_name().to_lowercase(),
            },
        }
    }
}

/// Whether Java's `Double.valueOf` accepts `text` (decimal literals, `NaN`, `Infinity`).
fn is_java_double(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c <= ' ');
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if unsigned == "NaN" || unsigned == "Infinity" {
        return true;
    }
    let number = unsigned
        .strip_suffix(['f', 'F', 'd', 'D'])
        .unwrap_or(unsigned);
    // Rust also parses "inf" and "nan"; Java does not, so only digits, dots and exponents pass.
    number.bytes().any(|b| b.is_ascii_digit())
        && number
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && number.parse::<f64>().is_ok()
}

/// A segment of a JSON pointer.
enum Seg<'s> {
    Key(&'s str),
    Index(usize),
}

/// `ptr` extended by `segments`, built without the formatting machinery: this runs for every
/// field and nested type, and `format!` was a tenth of a cold start.
fn child(ptr: &str, segments: &[Seg<'_>]) -> String {
    let mut out = String::with_capacity(ptr.len() + 24);
    out.push_str(ptr);
    for segment in segments {
        out.push('/');
        match segment {
            Seg::Key(k) => out.push_str(k),
            Seg::Index(mut i) => {
                let mut digits = [0u8; 20];
                let mut n = digits.len();
                loop {
                    n -= 1;
                    digits[n] = b'0' + (i % 10) as u8;
                    i /= 10;
                    if i == 0 {
                        break;
                    }
                }
                for &d in &digits[n..] {
                    out.push(char::from(d));
                }
            }
        }
    }
    out
}

fn doc(obj: &Obj<'_>) -> Option<String> {
    obj.get("doc").and_then(Json::as_str).map(str::to_string)
}

/// Splits a possibly dotted name into name and namespace, validating each part.
fn make_name(raw: &str, namespace: Option<&str>) -> Result<Name, String> {
    let (space, name) = match raw.rfind('.') {
        Some(dot) => (Some(&raw[..dot]), &raw[dot + 1..]),
        None => (namespace, raw),
    };
    validate_identifier(name)?;
    let space = space.filter(|s| !s.is_empty());
    if let Some(space) = space {
        for part in space.split('.') {
            validate_identifier(part).map_err(|_| format!("invalid namespace '{space}'"))?;
        }
    }
    Ok(Name {
        name: name.to_string(),
        namespace: space.map(str::to_string),
    })
}

/// Avro names: a letter or `_`, then letters, digits or `_`. Like Java's default validator
/// (`Character.isLetter`, `isLetterOrDigit`), letters and digits are Unicode ones.
fn validate_identifier(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let valid = match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => chars.all(|c| c.is_alphanumeric() || c == '_'),
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid name '{name}': names start with a letter or _ and contain only letters, digits and _"
        ))
    }
}

/// The logical type of a schema object, if it names one that is valid on `node`.
fn logical_type(obj: &Obj<'_>, node: &Node) -> Option<LogicalType> {
    let name = obj.get("logicalType")?.as_str()?;
    let (primitive, fixed_size) = match node {
        Node::Primitive { primitive, .. } => (Some(*primitive), None),
        Node::Fixed(f) => (None, Some(f.size)),
        _ => (None, None),
    };
    use Primitive::*;
    let logical = match (name, primitive) {
        ("decimal", Some(Bytes)) | ("decimal", None) => {
            let precision = obj.get("precision")?.as_u64()?;
            let scale = match obj.get("scale") {
                Some(s) => s.as_u64()?,
                None => 0,
            };
            if precision == 0 || scale > precision {
                return None;
            }
            if let Some(size) = fixed_size {
                // The largest precision a fixed of this size can hold: floor(log10(2^(8n-1) - 1)).
                let max = ((8.0 * size as f64 - 1.0) * std::f64::consts::LOG10_2).floor() as u64;
                if size == 0 || precision > max {
                    return None;
                }
            }
            LogicalType::Decimal {
                precision: u32::try_from(precision).ok()?,
                scale: u32::try_from(scale).ok()?,
            }
        }
        ("uuid", Some(String)) => LogicalType::Uuid,
        ("uuid", None) if fixed_size == Some(16) => LogicalType::Uuid,
        ("date", Some(Int)) => LogicalType::Date,
        ("time-millis", Some(Int)) => LogicalType::TimeMillis,
        ("time-micros", Some(Long)) => LogicalType::TimeMicros,
        ("timestamp-millis", Some(Long)) => LogicalType::TimestampMillis,
        ("timestamp-micros", Some(Long)) => LogicalType::TimestampMicros,
        ("timestamp-nanos", Some(Long)) => LogicalType::TimestampNanos,
        ("local-timestamp-millis", Some(Long)) => LogicalType::LocalTimestampMillis,
        ("local-timestamp-micros", Some(Long)) => LogicalType::LocalTimestampMicros,
        ("local-timestamp-nanos", Some(Long)) => LogicalType::LocalTimestampNanos,
        ("duration", None) if fixed_size == Some(12) => LogicalType::Duration,
        _ => return None,
    };
    Some(logical)
}
