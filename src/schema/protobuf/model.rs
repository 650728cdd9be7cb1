//! The comparison model of a compiled `.proto` file and its imports: what the compatibility rules
//! look at (fields by number, labels as written, resolved types, oneofs, reservations), flattened
//! into arenas so that types from any file can be found by full name.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use prost::Message as _;
use prost_types::field_descriptor_proto::{Label as PbLabel, Type as PbType};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

/// A field's label as the author wrote it. Confluent compares written labels: a proto3 field
/// without a label has none, which is not the same as `optional`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Optional,
    Required,
    Repeated,
}

/// The scalar types of Protobuf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    Double,
    Float,
    Int64,
    Uint64,
    Int32,
    Fixed64,
    Fixed32,
    Bool,
    String,
    Bytes,
    Uint32,
    Sfixed32,
    Sfixed64,
    Sint32,
    Sint64,
}

impl Scalar {
    pub fn as_str(self) -> &'static str {
        match self {
            Scalar::Double => "double",
            Scalar::Float => "float",
            Scalar::Int64 => "int64",
            Scalar::Uint64 => "uint64",
            Scalar::Int32 => "int32",
            Scalar::Fixed64 => "fixed64",
            Scalar::Fixed32 => "fixed32",
            Scalar::Bool => "bool",
            Scalar::String => "string",
            Scalar::Bytes => "bytes",
            Scalar::Uint32 => "uint32",
            Scalar::Sfixed32 => "sfixed32",
            Scalar::Sfixed64 => "sfixed64",
            Scalar::Sint32 => "sint32",
            Scalar::Sint64 => "sint64",
        }
    }

    pub(super) fn from_pb(t: PbType) -> Option<Self> {
        Some(match t {
            PbType::Double => Scalar::Double,
            PbType::Float => Scalar::Float,
            PbType::Int64 => Scalar::Int64,
            PbType::Uint64 => Scalar::Uint64,
            PbType::Int32 => Scalar::Int32,
            PbType::Fixed64 => Scalar::Fixed64,
            PbType::Fixed32 => Scalar::Fixed32,
            PbType::Bool => Scalar::Bool,
            PbType::String => Scalar::String,
            PbType::Bytes => Scalar::Bytes,
            PbType::Uint32 => Scalar::Uint32,
            PbType::Sfixed32 => Scalar::Sfixed32,
            PbType::Sfixed64 => Scalar::Sfixed64,
            PbType::Sint32 => Scalar::Sint32,
            PbType::Sint64 => Scalar::Sint64,
            PbType::Group | PbType::Message | PbType::Enum => return None,
        })
    }
}

/// A field's type with names resolved to full names (no leading dot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Scalar(Scalar),
    Enum(String),
    Message(String),
    /// A proto2 group: a message type encoded with start/end group tags.
    Group(String),
    Map(Box<FieldType>, Box<FieldType>),
}

impl FieldType {
    /// How the type reads in a `.proto` file, with full names.
    pub fn display(&self) -> String {
        match self {
            FieldType::Scalar(s) => s.as_str().to_string(),
            FieldType::Enum(n) | FieldType::Message(n) | FieldType::Group(n) => n.clone(),
            FieldType::Map(k, v) => format!("map<{}, {}>", k.display(), v.display()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub number: i32,
    pub label: Option<Label>,
    pub ty: FieldType,
    /// The real (non-synthetic) oneof this field belongs to.
    pub oneof: Option<String>,
    /// The JSON name in effect: `json_name` if set, else the lowerCamelCase of the name.
    pub json_name: String,
    pub default: Option<String>,
    /// The field is encoded as a repeated field (`repeated` or a map).
    pub repeated: bool,
    /// The field tracks presence explicitly (proto2 `optional`, proto3 `optional`, messages).
    pub explicit_presence: bool,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub name: String,
    pub full_name: String,
    pub file: usize,
    pub fields: Vec<Field>,
    /// Real oneofs, in declaration order (proto3 `optional`'s synthetic oneofs are left out).
    pub oneofs: Vec<String>,
    /// Nested messages, without synthetic map entries.
    pub messages: Vec<usize>,
    pub enums: Vec<usize>,
    /// `reserved` number ranges, `[start, end)`.
    pub reserved_ranges: Vec<(i32, i32)>,
    pub reserved_names: Vec<String>,
    /// Position in `fields` of each number (its first field), so that lookups by number stay
    /// constant-time in messages with thousands of fields.
    pub(crate) field_index: HashMap<i32, usize>,
}

impl Message {
    pub fn field(&self, number: i32) -> Option<&Field> {
        self.field_index.get(&number).map(|&i| &self.fields[i])
    }

    pub fn reserves_number(&self, number: i32) -> bool {
        self.reserved_ranges
            .iter()
            .any(|&(s, e)| number >= s && number < e)
    }

    /// Whether every number of `[start, end)` is reserved, in time linear in the ranges rather
    /// than in the numbers (a range may span half a billion of them).
    pub fn reserves_all(&self, start: i32, end: i32) -> bool {
        covers(&self.reserved_ranges, i64::from(start), i64::from(end), 0)
    }

    pub fn reserves_name(&self, name: &str) -> bool {
        self.reserved_names.iter().any(|n| n == name)
    }
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub name: String,
    pub number: i32,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub name: String,
    pub full_name: String,
    pub file: usize,
    pub values: Vec<EnumValue>,
    /// `reserved` number ranges, `[start, end]` (inclusive, as enum descriptors store them).
    pub reserved_ranges: Vec<(i32, i32)>,
    pub reserved_names: Vec<String>,
}

impl Enum {
    pub fn reserves_number(&self, number: i32) -> bool {
        self.reserved_ranges
            .iter()
            .any(|&(s, e)| number >= s && number <= e)
    }

    /// Whether every number of `[start, end]` is reserved (see [`Message::reserves_all`]).
    pub fn reserves_all(&self, start: i32, end: i32) -> bool {
        covers(
            &self.reserved_ranges,
            i64::from(start),
            i64::from(end) + 1,
            1,
        )
    }

    pub fn reserves_name(&self, name: &str) -> bool {
        self.reserved_names.iter().any(|n| n == name)
    }
}

#[derive(Debug, Clone)]
pub struct FileModel {
    pub name: String,
    pub package: String,
    /// A hash of the file's descriptor, to tell whether two schemas import the same file.
    pub digest: u64,
    pub messages: Vec<usize>,
    pub enums: Vec<usize>,
}

/// Whether `ranges` (each `(start, end)`, with `end` exclusive plus `end_bias`) cover every
/// number of `[start, end)`.
fn covers(ranges: &[(i32, i32)], start: i64, end: i64, end_bias: i64) -> bool {
    let mut sorted: Vec<(i64, i64)> = ranges
        .iter()
        .map(|&(s, e)| (i64::from(s), i64::from(e) + end_bias))
        .collect();
    sorted.sort_unstable();
    let mut next = start;
    for (s, e) in sorted {
        if next >= end {
            break;
        }
        if s > next {
            return false;
        }
        next = next.max(e);
    }
    next >= end
}

/// A named type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeRef {
    Message(usize),
    Enum(usize),
    /// A synthetic `map<K, V>` entry message (not a message of its own).
    MapEntry,
}

/// A compiled file with everything it imports.
#[derive(Debug, Clone)]
pub struct Model {
    /// Every file, imports first; the schema's own file is `files[main]`.
    pub files: Vec<FileModel>,
    pub main: usize,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    pub types: HashMap<String, TypeRef>,
}

impl Model {
    pub fn main_file(&self) -> &FileModel {
        &self.files[self.main]
    }

    pub fn message_by_name(&self, full_name: &str) -> Option<&Message> {
        match self.types.get(full_name)? {
            TypeRef::Message(i) => Some(&self.messages[*i]),
            _ => None,
        }
    }

    /// Builds the model of `files` (dependencies before dependents), whose last file is the
    /// schema's own.
    pub fn build(files: &[FileDescriptorProto]) -> Self {
        let mut model = Model {
            files: Vec::with_capacity(files.len()),
            main: files.len().saturating_sub(1),
            messages: Vec::new(),
            enums: Vec::new(),
            types: HashMap::new(),
        };
        // Names first, so that map entries are known before fields refer to them.
        let mut entries: HashMap<String, (&FieldDescriptorProto, &FieldDescriptorProto)> =
            HashMap::new();
        for file in files {
            let prefix = file.package().to_string();
            for m in &file.message_type {
                collect_map_entries(&prefix, m, &mut entries);
            }
        }
        // A file's digest covers the files it imports, so that an import whose own import
        // changed does not look unchanged.
        let mut digests: HashMap<&str, u64> = HashMap::new();
        for (index, file) in files.iter().enumerate() {
            let mut hasher = DefaultHasher::new();
            file.encode_to_vec().hash(&mut hasher);
            for dep in &file.dependency {
                digests.get(dep.as_str()).hash(&mut hasher);
            }
            digests.insert(file.name(), hasher.finish());
            let mut fm = FileModel {
                name: file.name().to_string(),
                package: file.package().to_string(),
                digest: hasher.finish(),
                messages: Vec::new(),
                enums: Vec::new(),
            };
            let cx = BuildCx {
                file: index,
                syntax: file.syntax(),
                entries: &entries,
            };
            for m in &file.message_type {
                if let Some(id) = model.add_message(&cx, file.package(), m) {
                    fm.messages.push(id);
                }
            }
            for e in &file.enum_type {
                fm.enums.push(model.add_enum(index, file.package(), e));
            }
            model.files.push(fm);
        }
        model
    }

    fn add_message(&mut self, cx: &BuildCx<'_>, scope: &str, m: &DescriptorProto) -> Option<usize> {
        let full_name = qualify(scope, m.name());
        if m.options.as_ref().is_some_and(|o| o.map_entry()) {
            self.types.insert(full_name, TypeRef::MapEntry);
            return None;
        }
        let id = self.messages.len();
        self.types.insert(full_name.clone(), TypeRef::Message(id));
        self.messages.push(Message {
            name: m.name().to_string(),
            full_name: full_name.clone(),
            file: cx.file,
            fields: Vec::new(),
            oneofs: Vec::new(),
            messages: Vec::new(),
            enums: Vec::new(),
            reserved_ranges: m
                .reserved_range
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
            reserved_names: m.reserved_name.clone(),
            field_index: HashMap::new(),
        });
        let synthetic: Vec<bool> = (0..m.oneof_decl.len())
            .map(|i| {
                m.field
                    .iter()
                    .filter(|f| f.oneof_index == Some(i as i32))
                    .all(|f| f.proto3_optional())
            })
            .collect();
        let oneofs: Vec<String> = m
            .oneof_decl
            .iter()
            .enumerate()
            .filter(|(i, _)| !synthetic[*i])
            .map(|(_, o)| o.name().to_string())
            .collect();
        let fields: Vec<Field> = m
            .field
            .iter()
            .map(|f| {
                let oneof = f
                    .oneof_index
                    .filter(|&i| !synthetic.get(i as usize).copied().unwrap_or(true))
                    .and_then(|i| m.oneof_decl.get(i as usize))
                    .map(|o| o.name().to_string());
                cx.field(f, oneof)
            })
            .collect();
        let mut nested = Vec::new();
        for n in &m.nested_type {
            if let Some(child) = self.add_message(cx, &full_name, n) {
                nested.push(child);
            }
        }
        let enums = m
            .enum_type
            .iter()
            .map(|e| self.add_enum(cx.file, &full_name, e))
            .collect();
        let mut field_index = HashMap::with_capacity(fields.len());
        for (i, f) in fields.iter().enumerate() {
            field_index.entry(f.number).or_insert(i);
        }
        let msg = &mut self.messages[id];
        msg.field_index = field_index;
        msg.fields = fields;
        msg.oneofs = oneofs;
        msg.messages = nested;
        msg.enums = enums;
        Some(id)
    }

    fn add_enum(&mut self, file: usize, scope: &str, e: &EnumDescriptorProto) -> usize {
        let full_name = qualify(scope, e.name());
        let id = self.enums.len();
        self.types.insert(full_name.clone(), TypeRef::Enum(id));
        self.enums.push(Enum {
            name: e.name().to_string(),
            full_name,
            file,
            values: e
                .value
                .iter()
                .map(|v| EnumValue {
                    name: v.name().to_string(),
                    number: v.number(),
                })
                .collect(),
            reserved_ranges: e
                .reserved_range
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
            reserved_names: e.reserved_name.clone(),
        });
        id
    }
}

struct BuildCx<'a> {
    file: usize,
    syntax: &'a str,
    entries: &'a HashMap<String, (&'a FieldDescriptorProto, &'a FieldDescriptorProto)>,
}

impl BuildCx<'_> {
    fn field(&self, f: &FieldDescriptorProto, oneof: Option<String>) -> Field {
        let ty = self.field_type(f);
        let is_map = matches!(ty, FieldType::Map(..));
        let pb_label = f.label();
        let label = match (self.syntax, pb_label) {
            (_, PbLabel::Repeated) => Some(Label::Repeated),
            (_, PbLabel::Required) => Some(Label::Required),
            ("proto3", PbLabel::Optional) => f.proto3_optional().then_some(Label::Optional),
            ("editions", PbLabel::Optional) => None,
            // proto2: oneof members are written without a label.
            (_, PbLabel::Optional) => oneof.is_none().then_some(Label::Optional),
        };
        let explicit_presence = !matches!(pb_label, PbLabel::Repeated)
            && (self.syntax != "proto3"
                || f.proto3_optional()
                || oneof.is_some()
                || matches!(ty, FieldType::Message(_) | FieldType::Group(_)));
        Field {
            name: f.name().to_string(),
            number: f.number(),
            label: if is_map { Some(Label::Repeated) } else { label },
            json_name: f
                .json_name
                .clone()
                .unwrap_or_else(|| json_camel_case(f.name())),
            default: f.default_value.clone(),
            repeated: matches!(pb_label, PbLabel::Repeated),
            explicit_presence,
            oneof,
            ty,
        }
    }

    fn field_type(&self, f: &FieldDescriptorProto) -> FieldType {
        if let Some(s) = Scalar::from_pb(f.r#type()) {
            return FieldType::Scalar(s);
        }
        let name = f.type_name().trim_start_matches('.').to_string();
        match f.r#type() {
            PbType::Enum => FieldType::Enum(name),
            PbType::Group => FieldType::Group(name),
            _ => match self.entries.get(&name) {
                Some((k, v)) => {
                    FieldType::Map(Box::new(self.field_type(k)), Box::new(self.field_type(v)))
                }
                None => FieldType::Message(name),
            },
        }
    }
}

fn collect_map_entries<'a>(
    scope: &str,
    m: &'a DescriptorProto,
    out: &mut HashMap<String, (&'a FieldDescriptorProto, &'a FieldDescriptorProto)>,
) {
    let full_name = qualify(scope, m.name());
    if m.options.as_ref().is_some_and(|o| o.map_entry()) {
        let key = m.field.iter().find(|f| f.number() == 1);
        let value = m.field.iter().find(|f| f.number() == 2);
        if let (Some(k), Some(v)) = (key, value) {
            out.insert(full_name.clone(), (k, v));
        }
    }
    for n in &m.nested_type {
        collect_map_entries(&full_name, n, out);
    }
}

fn qualify(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

/// protoc's default JSON name: underscores dropped, the letter after each one upper-cased.
pub fn json_camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
