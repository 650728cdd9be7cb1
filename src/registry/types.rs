//! The registry API's values, with the JSON shapes of Confluent's REST API.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::RegistryError;
use crate::vocabulary::SchemaType;

/// A named reference from one schema to a registered version of another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SchemaReference {
    /// The name the referencing schema uses: an Avro full name or a Protobuf import path.
    pub name: String,
    pub subject: String,
    pub version: u32,
}

/// A schema as submitted or as returned by id: its text, type and references.
/// JSON: `{"schema": "...", "schemaType": "PROTOBUF", "references": [...]}`; an absent
/// `schemaType` means AVRO, as in Confluent's API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaDefinition {
    pub schema: String,
    #[serde(
        rename = "schemaType",
        default = "avro",
        serialize_with = "ser_type",
        deserialize_with = "de_type",
        skip_serializing_if = "is_avro"
    )]
    pub schema_type: SchemaType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<SchemaReference>,
}

impl SchemaDefinition {
    pub fn new(schema_type: SchemaType, schema: impl Into<String>) -> Self {
        Self {
            schema: schema.into(),
            schema_type,
            references: Vec::new(),
        }
    }

    pub fn avro(schema: impl Into<String>) -> Self {
        Self::new(SchemaType::Avro, schema)
    }

    pub fn with_references(mut self, references: Vec<SchemaReference>) -> Self {
        self.references = references;
        self
    }
}

/// One registered version of a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaRecord {
    pub subject: String,
    pub version: u32,
    pub id: u32,
    #[serde(
        rename = "schemaType",
        default = "avro",
        serialize_with = "ser_type",
        deserialize_with = "de_type",
        skip_serializing_if = "is_avro"
    )]
    pub schema_type: SchemaType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<SchemaReference>,
    pub schema: String,
}

impl SchemaRecord {
    pub fn definition(&self) -> SchemaDefinition {
        SchemaDefinition {
            schema: self.schema.clone(),
            schema_type: self.schema_type,
            references: self.references.clone(),
        }
    }
}

/// The outcome of a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registration {
    /// The global schema id.
    pub id: u32,
    /// The subject's version holding it, when the registry says (Confluent's register response
    /// carries only the id).
    pub version: Option<u32>,
    /// False when the schema was already live under the subject and nothing was added.
    pub created: bool,
}

/// A subject and one of its versions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SubjectVersion {
    pub subject: String,
    pub version: u32,
}

/// The answer of a compatibility test. `messages` explain a refusal when asked (`verbose`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompatibilityResult {
    pub is_compatible: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}

/// Which version of a subject: `latest` (also spelled `-1`) or a number from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionSpec {
    Latest,
    Number(u32),
}

impl fmt::Display for VersionSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionSpec::Latest => f.write_str("latest"),
            VersionSpec::Number(n) => write!(f, "{n}"),
        }
    }
}

impl From<u32> for VersionSpec {
    fn from(n: u32) -> Self {
        VersionSpec::Number(n)
    }
}

impl FromStr for VersionSpec {
    type Err = RegistryError;

    /// Accepts what Confluent accepts: `latest`, `-1`, or 1 ..= 2^31-1; anything else is 42202.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("latest") || s == "-1" {
            return Ok(VersionSpec::Latest);
        }
        match s.parse::<i64>() {
            Ok(n) if (1..=i64::from(i32::MAX)).contains(&n) => Ok(VersionSpec::Number(n as u32)),
            _ => Err(RegistryError::invalid_version(s)),
        }
    }
}

/// A registry or subject mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    ReadWrite,
    ReadOnly,
    ReadOnlyOverride,
    Import,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::ReadWrite => "READWRITE",
            Mode::ReadOnly => "READONLY",
            Mode::ReadOnlyOverride => "READONLY_OVERRIDE",
            Mode::Import => "IMPORT",
        }
    }

    /// Whether registrations are refused in this mode.
    pub fn is_read_only(self) -> bool {
        matches!(self, Mode::ReadOnly | Mode::ReadOnlyOverride)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = RegistryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "READWRITE" => Ok(Mode::ReadWrite),
            "READONLY" => Ok(Mode::ReadOnly),
            "READONLY_OVERRIDE" => Ok(Mode::ReadOnlyOverride),
            "IMPORT" => Ok(Mode::Import),
            _ => Err(RegistryError::invalid_mode()),
        }
    }
}

fn avro() -> SchemaType {
    SchemaType::Avro
}

fn is_avro(t: &SchemaType) -> bool {
    *t == SchemaType::Avro
}

fn ser_type<S: Serializer>(t: &SchemaType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.as_str())
}

/// Confluent's clients send `schemaType` as `AVRO`/`PROTOBUF`, sometimes `null` for Avro.
fn de_type<'de, D: Deserializer<'de>>(d: D) -> Result<SchemaType, D::Error> {
    let raw: Option<String> = Option::deserialize(d)?;
    match raw.as_deref() {
        None => Ok(SchemaType::Avro),
        Some(s) => s.parse().map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_like_confluent() {
        assert_eq!(
            "latest".parse::<VersionSpec>().unwrap(),
            VersionSpec::Latest
        );
        assert_eq!("-1".parse::<VersionSpec>().unwrap(), VersionSpec::Latest);
        assert_eq!("3".parse::<VersionSpec>().unwrap(), VersionSpec::Number(3));
        for bad in ["0", "-2", "x", "2147483648"] {
            let err = bad.parse::<VersionSpec>().unwrap_err();
            assert_eq!(err.error_code(), Some(42202), "{bad}");
        }
    }

    #[test]
    fn avro_type_is_implied_and_omitted() {
        let def: SchemaDefinition = serde_json::from_str(r#"{"schema":"\"int\""}"#).unwrap();
        assert_eq!(def.schema_type, SchemaType::Avro);
        assert_eq!(
            serde_json::to_string(&def).unwrap(),
            r#"{"schema":"\"int\""}"#
        );
        let proto = SchemaDefinition::new(SchemaType::Protobuf, "syntax = \"proto3\";");
        let json = serde_json::to_value(&proto).unwrap();
        assert_eq!(json["schemaType"], "PROTOBUF");
    }
}
