//! Protobuf schemas: parsed with `protox` (no `protoc` needed).
//!
//! Placeholder until the Protobuf engine lands (issue 3).

use std::path::{Path, PathBuf};

use super::{LoadError, SourceLocation};

/// A parsed `.proto` file with its imports resolved.
#[derive(Debug, Clone)]
pub struct ProtoSchema {
    _private: (),
}

/// Parses a `.proto` file; `import_paths` are include directories.
pub fn parse_file(path: &Path, _import_paths: &[PathBuf]) -> Result<ProtoSchema, LoadError> {
    Err(LoadError::Invalid {
        location: SourceLocation::file(path.display().to_string()),
        message: "Protobuf schemas are not supported yet".to_string(),
    })
}
