//! The Avro schema model: an arena of nodes in which a reference to a named type points at the
//! node that defines it, so recursive types are plain cycles of ids.

mod canonical;
mod json;
mod parse;

use std::collections::HashMap;

use serde_json::Value;

pub use canonical::rabin_fingerprint;
pub use parse::{parse, parse_with_references};

/// Index of a node in an [`AvroSchema`]'s arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A parsed Avro schema.
#[derive(Debug, Clone)]
pub struct AvroSchema {
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: NodeId,
}

impl AvroSchema {
    pub fn root(&self) -> NodeId {
        self.root
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (NodeId(i as u32), n))
    }

    /// The type of a node, as Avro's `Schema.getType()` reports it.
    pub fn kind(&self, id: NodeId) -> Kind {
        self.node(id).kind()
    }

    /// Whether every value of node `id` encodes to no bytes (null, a zero-size fixed, a record
    /// of such): array items of such a type cannot be bounded by the bytes that remain.
    pub fn encodes_empty(&self, id: NodeId) -> bool {
        // Depth-first over record fields with a heap stack (chains of records may be thousands
        // deep); a record met a second time counts as not empty.
        let mut seen = std::collections::HashSet::new();
        let mut pending = vec![id];
        while let Some(id) = pending.pop() {
            match self.node(id) {
                Node::Primitive {
                    primitive: Primitive::Null,
                    ..
                } => {}
                Node::Fixed(f) if f.size == 0 => {}
                // A recursive record always has a branch (a union or array) taking a byte.
                Node::Record(r) if seen.insert(id) => {
                    pending.extend(r.fields.iter().rev().map(|f| f.ty));
                }
                _ => return false,
            }
        }
        true
    }
}

/// The bytes of a `bytes` or `fixed` default: a JSON string whose code points 0–255 are the
/// bytes, as the Avro specification writes them.
pub fn default_bytes(value: &Value) -> Option<Vec<u8>> {
    value
        .as_str()?
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}

/// The primitive types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
}

impl Primitive {
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "null" => Self::Null,
            "boolean" => Self::Boolean,
            "int" => Self::Int,
            "long" => Self::Long,
            "float" => Self::Float,
            "double" => Self::Double,
            "bytes" => Self::Bytes,
            "string" => Self::String,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Boolean => "boolean",
            Self::Int => "int",
            Self::Long => "long",
            Self::Float => "float",
            Self::Double => "double",
            Self::Bytes => "bytes",
            Self::String => "string",
        }
    }
}

/// The type of a node without its details; what resolution compares first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Primitive(Primitive),
    Record,
    Enum,
    Fixed,
    Array,
    Map,
    Union,
}

impl Kind {
    /// Avro's upper-case type name (`RECORD`, `INT`), as Avro's own messages spell it.
    pub fn upper_name(self) -> &'static str {
        match self {
            Kind::Primitive(Primitive::Null) => "NULL",
            Kind::Primitive(Primitive::Boolean) => "BOOLEAN",
            Kind::Primitive(Primitive::Int) => "INT",
            Kind::Primitive(Primitive::Long) => "LONG",
            Kind::Primitive(Primitive::Float) => "FLOAT",
            Kind::Primitive(Primitive::Double) => "DOUBLE",
            Kind::Primitive(Primitive::Bytes) => "BYTES",
            Kind::Primitive(Primitive::String) => "STRING",
            Kind::Record => "RECORD",
            Kind::Enum => "ENUM",
            Kind::Fixed => "FIXED",
            Kind::Array => "ARRAY",
            Kind::Map => "MAP",
            Kind::Union => "UNION",
        }
    }
}

/// A logical type annotation that the Avro specification defines and that is valid where it
/// stands. Invalid or unknown ones are dropped, as Avro's Java parser does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogicalType {
    Decimal { precision: u32, scale: u32 },
    Uuid,
    Date,
    TimeMillis,
    TimeMicros,
    TimestampMillis,
    TimestampMicros,
    TimestampNanos,
    LocalTimestampMillis,
    LocalTimestampMicros,
    LocalTimestampNanos,
    Duration,
}

/// A name and its namespace (`None` for the null namespace).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name {
    pub name: String,
    pub namespace: Option<String>,
}

impl Name {
    pub fn full_name(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// One node of the schema.
#[derive(Debug, Clone)]
pub enum Node {
    Primitive {
        primitive: Primitive,
        logical: Option<LogicalType>,
    },
    Record(Record),
    Enum(Enum),
    Fixed(Fixed),
    Array {
        items: NodeId,
    },
    Map {
        values: NodeId,
    },
    Union {
        branches: Vec<NodeId>,
    },
}

impl Node {
    pub fn kind(&self) -> Kind {
        match self {
            Node::Primitive { primitive, .. } => Kind::Primitive(*primitive),
            Node::Record(_) => Kind::Record,
            Node::Enum(_) => Kind::Enum,
            Node::Fixed(_) => Kind::Fixed,
            Node::Array { .. } => Kind::Array,
            Node::Map { .. } => Kind::Map,
            Node::Union { .. } => Kind::Union,
        }
    }

    /// The name of a named type.
    pub fn name(&self) -> Option<&Name> {
        match self {
            Node::Record(r) => Some(&r.name),
            Node::Enum(e) => Some(&e.name),
            Node::Fixed(f) => Some(&f.name),
            _ => None,
        }
    }

    /// The full-name aliases of a named type.
    pub fn aliases(&self) -> &[String] {
        match self {
            Node::Record(r) => &r.aliases,
            Node::Enum(e) => &e.aliases,
            Node::Fixed(f) => &f.aliases,
            _ => &[],
        }
    }
}

/// A record (or error) type.
#[derive(Debug, Clone)]
pub struct Record {
    pub name: Name,
    /// Aliases, each qualified to a full name.
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
    pub is_error: bool,
    /// JSON pointer of the definition in its source text.
    pub pointer: String,
    /// Index of `fields` by name, for resolution.
    pub(crate) field_index: HashMap<String, usize>,
}

impl Record {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.field_index.get(name).map(|&i| &self.fields[i])
    }

    pub fn field_position(&self, name: &str) -> Option<usize> {
        self.field_index.get(name).copied()
    }
}

/// Sort order of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Ascending,
    Descending,
    Ignore,
}

/// A field of a record.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    pub ty: NodeId,
    /// The default value, when the field has one (`Some(Value::Null)` for `"default": null`).
    pub default: Option<Value>,
    pub order: Order,
    /// JSON pointer of the field in its source text.
    pub pointer: String,
}

/// An enum type.
#[derive(Debug, Clone)]
pub struct Enum {
    pub name: Name,
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    pub symbols: Vec<String>,
    pub default: Option<String>,
    pub pointer: String,
}

/// A fixed type.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub name: Name,
    pub aliases: Vec<String>,
    pub doc: Option<String>,
    pub size: usize,
    pub logical: Option<LogicalType>,
    pub pointer: String,
}
