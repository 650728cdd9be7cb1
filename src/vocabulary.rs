//! Names shared by the compatibility engine and the registry client: schema types and
//! compatibility levels. They live apart from the parser so that the `registry-client` feature
//! compiles without it (a producer looking ids up needs no `protox` or `prost-reflect`).

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::Serialize;

/// The kind of a schema, spelled as Confluent's `schemaType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaType {
    Avro,
    Protobuf,
    Json,
}

impl SchemaType {
    /// The type implied by a file extension: `.avsc` is Avro, `.proto` is Protobuf, `.json` is
    /// JSON Schema (Avro kept in `.json` files says so with `--type avro` or `type = "avro"`).
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            "avsc" => Some(Self::Avro),
            "proto" => Some(Self::Protobuf),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    /// Confluent's spelling (`AVRO`, `PROTOBUF`, `JSON`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Avro => "AVRO",
            Self::Protobuf => "PROTOBUF",
            Self::Json => "JSON",
        }
    }
}

impl fmt::Display for SchemaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SchemaType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "avro" => Ok(Self::Avro),
            "protobuf" | "proto" => Ok(Self::Protobuf),
            "json" => Ok(Self::Json),
            other => Err(format!(
                "unknown schema type '{other}' (expected avro, protobuf or json)"
            )),
        }
    }
}

/// A compatibility level, as Confluent Schema Registry names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Level {
    None,
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
}

impl Level {
    pub const ALL: [Level; 7] = [
        Level::None,
        Level::Backward,
        Level::BackwardTransitive,
        Level::Forward,
        Level::ForwardTransitive,
        Level::Full,
        Level::FullTransitive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "NONE",
            Level::Backward => "BACKWARD",
            Level::BackwardTransitive => "BACKWARD_TRANSITIVE",
            Level::Forward => "FORWARD",
            Level::ForwardTransitive => "FORWARD_TRANSITIVE",
            Level::Full => "FULL",
            Level::FullTransitive => "FULL_TRANSITIVE",
        }
    }

    /// Whether every earlier version is compared, not only the latest.
    pub fn is_transitive(self) -> bool {
        matches!(
            self,
            Level::BackwardTransitive | Level::ForwardTransitive | Level::FullTransitive
        )
    }

    /// The directions this level checks.
    pub fn directions(self) -> &'static [Direction] {
        match self {
            Level::None => &[],
            Level::Backward | Level::BackwardTransitive => &[Direction::Backward],
            Level::Forward | Level::ForwardTransitive => &[Direction::Forward],
            Level::Full | Level::FullTransitive => &[Direction::Backward, Direction::Forward],
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase().replace('-', "_");
        Level::ALL
            .into_iter()
            .find(|l| l.as_str() == upper)
            .ok_or_else(|| {
                format!(
                    "unknown compatibility level '{s}' (expected one of: {})",
                    Level::ALL.map(Level::as_str).join(", ")
                )
            })
    }
}

/// Which way data flows in one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Direction {
    /// The new schema reads data written with the old one.
    Backward,
    /// The old schema reads data written with the new one.
    Forward,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_files_are_json_schema_and_avsc_stays_avro() {
        assert_eq!(
            SchemaType::from_path(Path::new("a/order.json")),
            Some(SchemaType::Json)
        );
        assert_eq!(
            SchemaType::from_path(Path::new("user.avsc")),
            Some(SchemaType::Avro)
        );
        assert_eq!("json".parse(), Ok(SchemaType::Json));
        assert_eq!("JSON".parse(), Ok(SchemaType::Json));
        assert_eq!(SchemaType::Json.as_str(), "JSON");
        assert!("xml".parse::<SchemaType>().unwrap_err().contains("json"));
    }
}
