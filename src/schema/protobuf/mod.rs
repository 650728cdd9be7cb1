//! Protobuf schemas: a whole `.proto` file, compiled with `protox` (no `protoc` needed), with its
//! imports resolved from include directories, from registry references, or from the files
//! Confluent bundles (well-known types, `google/type/*`, `confluent/*`).

mod bundled;
mod canonical;
pub mod model;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::Diagnostic;
use prost_types::FileDescriptorProto;
use protox::file::{
    ChainFileResolver, File, FileResolver, GoogleFileResolver, IncludeFileResolver,
};

use super::{LoadError, SourceLocation};
pub use bundled::bundled;
use model::Model;

/// A parsed `.proto` file with its imports resolved.
#[derive(Debug, Clone)]
pub struct ProtoSchema {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Every compiled file, imports first, the schema's own file last.
    files: Vec<FileDescriptorProto>,
    /// Where each file of `files` came from, as errors name it: a path on disk for files found in
    /// include directories, the import name for registry references and bundled files.
    sources: Vec<String>,
    model: Model,
}

impl ProtoSchema {
    fn new(files: Vec<FileDescriptorProto>, sources: Vec<String>) -> Self {
        let model = Model::build(&files);
        Self {
            inner: Arc::new(Inner {
                files,
                sources,
                model,
            }),
        }
    }

    /// Where the imported file `import` (an import name) came from: its path on disk when it
    /// was found in an include directory, else the import name itself.
    pub fn import_source(&self, import: &str) -> Option<&str> {
        let i = self.inner.files.iter().position(|f| f.name() == import)?;
        self.inner.sources.get(i).map(String::as_str)
    }

    /// The comparison model (the compatibility engine's view of the schema).
    pub fn model(&self) -> &Model {
        &self.inner.model
    }

    /// The schema's own file descriptor.
    pub fn file_descriptor(&self) -> &FileDescriptorProto {
        self.inner
            .files
            .last()
            .expect("a compiled schema has its own file")
    }

    /// Every compiled file, imports first and the schema's own file last.
    pub fn files(&self) -> &[FileDescriptorProto] {
        &self.inner.files
    }

    /// A normalized rendering of the schema's own file: the same for texts that differ only in
    /// whitespace, comments, or the spelling of type references; it parses to the same schema.
    pub fn canonical_text(&self) -> String {
        canonical::render(self.file_descriptor())
    }
}

/// Renders a file descriptor as `.proto` text (the canonical rendering). The registry uses it
/// for schemas submitted as base64 `FileDescriptorProto`s, as Confluent's clients send them.
pub fn descriptor_text(file: &FileDescriptorProto) -> String {
    canonical::render(file)
}

/// Parses a `.proto` file; `import_paths` are include directories, after the file's own one.
pub fn parse_file(path: &Path, import_paths: &[PathBuf]) -> Result<ProtoSchema, LoadError> {
    parse_file_with_references(path, import_paths, &[])
}

/// Parses a `.proto` file whose imports may also be registered schema references: `references`
/// are `(import name, text)` pairs. A reference wins over a file of the same name on the include
/// path, as the registry will resolve the import by the reference, not by the file.
pub fn parse_file_with_references(
    path: &Path,
    import_paths: &[PathBuf],
    references: &[(&str, &str)],
) -> Result<ProtoSchema, LoadError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| LoadError::Invalid {
            location: SourceLocation::file(path.display().to_string()),
            message: "not a file name".to_string(),
        })?
        .to_string();
    let mut dirs = vec![dir];
    dirs.extend(import_paths.iter().cloned());
    let mut chain = ChainFileResolver::new();
    if !references.is_empty() {
        chain.add(TextFileResolver {
            texts: references
                .iter()
                .filter(|(n, _)| *n != name)
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        });
    }
    for d in &dirs {
        chain.add(IncludeFileResolver::new(d.clone()));
    }
    chain.add(GoogleFileResolver::new());
    chain.add(bundled::BundledFileResolver);
    let display = |file: &str| -> String {
        if file == name {
            return path.display().to_string();
        }
        if references.iter().any(|(n, _)| *n == file) {
            return format!("{file} (registered reference)");
        }
        dirs.iter()
            .map(|d| d.join(file))
            .find(|p| p.is_file())
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| file.to_string())
    };
    compile(chain, &name, &display)
}

/// Parses schema text as a registry holds it; `dependencies` are `(import name, text)` pairs,
/// as a registry's schema references give them. `source` names the schema in errors.
pub fn parse_text(
    source: &str,
    text: &str,
    dependencies: &[(&str, &str)],
) -> Result<ProtoSchema, LoadError> {
    // The schema needs a file name of its own that no import uses.
    let mut name = String::from("schema.proto");
    while dependencies.iter().any(|(n, _)| *n == name) {
        name.insert(0, '_');
    }
    let mut texts: HashMap<String, String> = dependencies
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    texts.insert(name.clone(), text.to_string());
    let mut chain = ChainFileResolver::new();
    chain.add(TextFileResolver { texts });
    chain.add(GoogleFileResolver::new());
    chain.add(bundled::BundledFileResolver);
    let display = |file: &str| -> String {
        if file == name {
            source.to_string()
        } else {
            file.to_string()
        }
    };
    compile(chain, &name, &display)
}

/// Files held in memory, by import name.
struct TextFileResolver {
    texts: HashMap<String, String>,
}

impl FileResolver for TextFileResolver {
    fn resolve_path(&self, path: &Path) -> Option<String> {
        let name = path.to_str()?;
        self.texts.contains_key(name).then(|| name.to_string())
    }

    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        match self.texts.get(name) {
            Some(text) => File::from_source(name, text),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

fn compile(
    resolver: ChainFileResolver,
    name: &str,
    display: &dyn Fn(&str) -> String,
) -> Result<ProtoSchema, LoadError> {
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true);
    compiler
        .open_file(name)
        .map_err(|e| load_error(&e, name, display))?;
    let mut files = compiler.file_descriptor_set().file;
    // The set is topologically sorted, but the schema's own file must come last for the model.
    if let Some(pos) = files.iter().position(|f| f.name() == name) {
        let own = files.remove(pos);
        files.push(own);
    }
    let sources = files.iter().map(|f| display(f.name())).collect();
    Ok(ProtoSchema::new(files, sources))
}

/// Turns a protox error into `file:line:col: message`, pointing at its first labelled span.
fn load_error(e: &protox::Error, main: &str, display: &dyn Fn(&str) -> String) -> LoadError {
    let file = e.file().unwrap_or(main).to_string();
    let position = e.labels().and_then(|mut labels| {
        let span = labels.next()?;
        let code = e.source_code()?;
        let contents = code.read_span(span.inner(), 0, 0).ok()?;
        Some((contents.line() + 1, contents.column() + 1))
    });
    let source = display(&file);
    let location = match position {
        Some((line, column)) => SourceLocation::at(source, line, column),
        None => SourceLocation::file(source),
    };
    let mut message = e.to_string();
    if let Some(help) = e.help() {
        message.push_str(&format!(" ({help})"));
    }
    if e.is_file_not_found() && !message.contains("include") {
        message.push_str(": add its directory with -I, or register it as a schema reference");
    }
    LoadError::Invalid { location, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (SourceLocation, String) {
        match parse_text("s.proto", text, &[]) {
            Err(LoadError::Invalid { location, message }) => (location, message),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_point_at_line_and_column() {
        let (loc, msg) = err("syntax = \"proto3\";\nmessage A {\n  int32 x = ;\n}\n");
        assert_eq!((loc.line, loc.column), (Some(3), Some(13)), "{msg}");
        assert_eq!(loc.source, "s.proto");
    }

    #[test]
    fn undefined_types_point_at_the_reference() {
        let (loc, msg) = err("syntax = \"proto3\";\nmessage A {\n  Missing x = 1;\n}\n");
        assert_eq!(loc.line, Some(3), "{msg}");
        assert!(msg.contains("Missing"), "{msg}");
    }

    #[test]
    fn unresolved_imports_are_reported_at_the_import() {
        let (loc, msg) = err("syntax = \"proto3\";\nimport \"nowhere.proto\";\n");
        assert_eq!(loc.line, Some(2), "{msg}");
        assert!(msg.contains("nowhere.proto"), "{msg}");
    }

    #[test]
    fn bundled_and_well_known_imports_resolve() {
        let text = "syntax = \"proto3\";\nimport \"google/type/money.proto\";\nimport \"google/protobuf/timestamp.proto\";\nimport \"confluent/meta.proto\";\nmessage A { google.type.Money m = 1; google.protobuf.Timestamp t = 2; }\n";
        let s = parse_text("s.proto", text, &[]).unwrap();
        assert!(s.model().message_by_name("google.type.Money").is_some());
    }

    #[test]
    fn dependencies_resolve_by_import_name() {
        let dep = "syntax = \"proto3\";\npackage common;\nmessage Id { string v = 1; }\n";
        let text =
            "syntax = \"proto3\";\nimport \"common/id.proto\";\nmessage A { common.Id id = 1; }\n";
        let s = parse_text("s.proto", text, &[("common/id.proto", dep)]).unwrap();
        assert_eq!(s.files().len(), 2);
        assert_eq!(s.model().main_file().messages.len(), 1);
    }
}
