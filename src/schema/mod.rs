//! Loading schemas from files or registry text into a parsed model.

pub mod avro;
pub mod json;
pub mod locate;
pub mod protobuf;

use std::fmt;
use std::path::{Path, PathBuf};

/// Defined beside the registry client, which needs it without the parser.
pub use crate::vocabulary::SchemaType;

/// Where in a source a problem is: the file (or registry subject) and, when known, line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    pub source: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl SourceLocation {
    pub fn file(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(source: impl Into<String>, line: usize, column: usize) -> Self {
        Self {
            source: source.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Why a schema could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: cannot tell the schema type from the file name; pass --type avro, --type protobuf or --type json", path.display())]
    UnknownType { path: PathBuf },
    #[error("{location}: {message}")]
    Invalid {
        location: SourceLocation,
        message: String,
    },
}

/// A parsed schema of any kind.
#[derive(Debug, Clone)]
pub enum Parsed {
    Avro(avro::AvroSchema),
    Protobuf(protobuf::ProtoSchema),
    Json(json::JsonSchema),
}

/// A schema as loaded: its kind, where it came from, its text as written, and its parsed model.
#[derive(Debug, Clone)]
pub struct Schema {
    pub source: String,
    pub text: String,
    pub parsed: Parsed,
}

impl Schema {
    pub fn schema_type(&self) -> SchemaType {
        match self.parsed {
            Parsed::Avro(_) => SchemaType::Avro,
            Parsed::Protobuf(_) => SchemaType::Protobuf,
            Parsed::Json(_) => SchemaType::Json,
        }
    }

    /// Parses Avro schema text; `source` names it in errors (a file path or `subject/version`).
    pub fn parse_avro(source: &str, text: &str) -> Result<Self, LoadError> {
        Self::parse_avro_with_references(source, text, &[])
    }

    /// Parses Avro schema text whose named types may come from `references` (Confluent schema
    /// references: each `(source, text)` is parsed first, in order, into the same name space).
    pub fn parse_avro_with_references(
        source: &str,
        text: &str,
        references: &[(&str, &str)],
    ) -> Result<Self, LoadError> {
        let parsed = avro::parse_with_references(source, text, references)?;
        Ok(Self {
            source: source.to_string(),
            text: text.to_string(),
            parsed: Parsed::Avro(parsed),
        })
    }
}

impl Schema {
    /// Parses Protobuf schema text (a whole `.proto` file); `references` are `(import name,
    /// file text)` pairs, as a registry's schema references give them. `source` names it in errors.
    pub fn parse_protobuf(
        source: &str,
        text: &str,
        references: &[(&str, &str)],
    ) -> Result<Self, LoadError> {
        let parsed = protobuf::parse_text(source, text, references)?;
        Ok(Self {
            source: source.to_string(),
            text: text.to_string(),
            parsed: Parsed::Protobuf(parsed),
        })
    }
}

impl Schema {
    /// Parses JSON Schema text; `references` are `(name, text)` pairs, as a registry's schema
    /// references give them (a `$ref` to a reference's name resolves to its text). `source` names
    /// it in errors.
    pub fn parse_json(
        source: &str,
        text: &str,
        references: &[(&str, &str)],
    ) -> Result<Self, LoadError> {
        let parsed = json::parse_with_references(source, text, references)?;
        Ok(Self {
            source: source.to_string(),
            text: text.to_string(),
            parsed: Parsed::Json(parsed),
        })
    }
}

/// Loads schema files as [`load_file`] does, on as many threads as the machine has cores; the
/// results are in the order of `paths`.
pub fn load_files(
    paths: &[&Path],
    schema_type: Option<SchemaType>,
    import_paths: &[PathBuf],
) -> Vec<Result<Schema, LoadError>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(paths.len());
    if threads <= 1 {
        return paths
            .iter()
            .map(|p| load_file(p, schema_type, import_paths))
            .collect();
    }
    let chunk = paths.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|part| {
                // The main thread's stack size, so a file loads here exactly as it would there.
                std::thread::Builder::new()
                    .stack_size(8 << 20)
                    .spawn_scoped(scope, move || {
                        part.iter()
                            .map(|p| load_file(p, schema_type, import_paths))
                            .collect::<Vec<_>>()
                    })
                    .expect("a loader thread starts")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("loading a schema does not panic"))
            .collect()
    })
}

/// Loads a schema file. The type comes from `schema_type`, else from the extension.
/// `import_paths` are where Protobuf imports and JSON Schema `$ref`s to other files are looked
/// for after the file's own directory (see [`json::parse_file`]).
pub fn load_file(
    path: &Path,
    schema_type: Option<SchemaType>,
    import_paths: &[PathBuf],
) -> Result<Schema, LoadError> {
    let schema_type = schema_type
        .or_else(|| SchemaType::from_path(path))
        .ok_or_else(|| LoadError::UnknownType {
            path: path.to_path_buf(),
        })?;
    let source = path.display().to_string();
    let read = || {
        std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })
    };
    match schema_type {
        SchemaType::Avro => Schema::parse_avro(&source, &read()?),
        SchemaType::Json => {
            let (text, parsed) = json::parse_file(path, import_paths)?;
            Ok(Schema {
                source,
                text,
                parsed: Parsed::Json(parsed),
            })
        }
        SchemaType::Protobuf => {
            let text = read()?;
            let parsed = protobuf::parse_file(path, import_paths)?;
            Ok(Schema {
                source,
                text,
                parsed: Parsed::Protobuf(parsed),
            })
        }
    }
}
