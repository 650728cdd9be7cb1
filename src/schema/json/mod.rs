//! JSON Schema documents as Confluent Schema Registry accepts them: drafts 4, 6, 7, 2019-09 and
//! 2020-12 (chosen by `$schema`; draft 7 without one, as Confluent's `JsonSchema` assumes), with
//! every `$ref` resolved at parse time (in the document, by `$id`/anchor, or into a Confluent
//! schema reference) so that comparing two schemas never fails and never fetches.

mod parse;
mod uri;

use serde_json::Value;

use crate::schema::LoadError;

/// The JSON Schema drafts Confluent supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Draft {
    Draft4,
    Draft6,
    Draft7,
    Draft2019_09,
    Draft2020_12,
}

impl Draft {
    /// The draft a `$schema` URI names (`http` or `https`, with or without the trailing `#`).
    pub fn from_uri(uri: &str) -> Option<Draft> {
        let uri = uri.trim_end_matches('#');
        let rest = uri
            .strip_prefix("http://")
            .or_else(|| uri.strip_prefix("https://"))?;
        match rest {
            "json-schema.org/draft-04/schema" => Some(Draft::Draft4),
            "json-schema.org/draft-06/schema" => Some(Draft::Draft6),
            "json-schema.org/draft-07/schema" => Some(Draft::Draft7),
            "json-schema.org/draft/2019-09/schema" => Some(Draft::Draft2019_09),
            "json-schema.org/draft/2020-12/schema" => Some(Draft::Draft2020_12),
            _ => None,
        }
    }
}

/// One parsed document: the schema itself or one of its references.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    /// The source (root) or the reference's name, for messages.
    pub name: String,
    pub value: Value,
    pub draft: Draft,
    /// The file it was read from, when it was read from one.
    pub file: Option<std::path::PathBuf>,
}

/// A resolved `$ref`: the object holding it and the schema it finally names (chains of `$ref`s
/// that only point on are followed at parse time).
#[derive(Debug, Clone)]
pub(crate) struct RefLink {
    pub doc: usize,
    /// JSON pointer of the object holding `$ref`.
    pub at: String,
    pub target_doc: usize,
    pub target: String,
}

/// A parsed JSON Schema with its references and resolved `$ref`s.
#[derive(Debug, Clone)]
pub struct JsonSchema {
    /// The schema first, then its references in the order given.
    docs: Vec<Document>,
    refs: Vec<RefLink>,
    /// `$ref`s between documents: (referring document, URI without fragment, document named).
    doc_refs: Vec<(usize, String, usize)>,
}

impl JsonSchema {
    /// The root document as written (parsed JSON).
    pub fn root(&self) -> &serde_json::Value {
        &self.docs[0].value
    }

    /// The draft the root document is read with.
    pub fn draft(&self) -> Draft {
        self.docs[0].draft
    }

    pub(crate) fn documents(&self) -> &[Document] {
        &self.docs
    }

    pub(crate) fn ref_links(&self) -> &[RefLink] {
        &self.refs
    }

    /// The documents each document's `$ref`s name, as (referring document, `$ref` URI without
    /// fragment, document), sorted, each once. Documents are numbered as parsed: 0 is the
    /// schema, then its references in the order given, then the files its `$ref`s read.
    pub fn doc_refs(&self) -> &[(usize, String, usize)] {
        &self.doc_refs
    }
}

/// Parses JSON Schema text; `references` are Confluent schema references as `(name, text)` pairs
/// (a `$ref` whose URI is a reference's `name` resolves to that document). `source` names the
/// text in errors.
pub fn parse_with_references(
    source: &str,
    text: &str,
    references: &[(&str, &str)],
) -> Result<JsonSchema, LoadError> {
    parse::parse(source, text, references)
}

/// Parses a JSON Schema file whose `$ref`s may name other files: a `$ref` whose URI (without
/// fragment) is a relative path, and which names nothing in the document, is read from that
/// path beside the referring file, else in each directory of `include`, and passed as a
/// Confluent reference named by that URI; that file's own `$ref`s are followed likewise.
/// Absolute URLs stay errors (nothing is fetched).
pub fn parse_file(
    path: &std::path::Path,
    include: &[std::path::PathBuf],
) -> Result<(String, JsonSchema), LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let parsed = parse_text_at(path, &text, include)?;
    Ok((text, parsed))
}

/// [`parse_file`] for the text of the file at `path`, already read.
pub fn parse_text_at(
    path: &std::path::Path,
    text: &str,
    include: &[std::path::PathBuf],
) -> Result<JsonSchema, LoadError> {
    parse_text_at_with_references(path, text, &[], include)
}

/// [`parse_text_at`] with Confluent references read from files, as `(name, file, text)`: a
/// `$ref` naming a reference resolves to it whatever its file is called (as a project's
/// `references` name them), the other `$ref`s to files as [`parse_file`] reads them.
pub fn parse_text_at_with_references(
    path: &std::path::Path,
    text: &str,
    references: &[(&str, &std::path::Path, &str)],
    include: &[std::path::PathBuf],
) -> Result<JsonSchema, LoadError> {
    let named: Vec<(&str, &str)> = references.iter().map(|(n, _, t)| (*n, *t)).collect();
    let reference_files: Vec<&std::path::Path> = references.iter().map(|(_, f, _)| *f).collect();
    let files = parse::Files {
        root: path,
        include,
        references: &reference_files,
    };
    parse::parse_with_files(&path.display().to_string(), text, &named, Some(&files))
}

/// Whether a `$ref` URI (or reference name) is a relative path, which can name a file: no
/// scheme (`http:`, `urn:` …), not absolute, not only a fragment.
pub fn is_relative_path(uri: &str) -> bool {
    let (resource, _) = uri::split(uri);
    !resource.is_empty() && !uri::has_scheme(resource) && !resource.starts_with('/')
}

/// Line and column (1-based) of the element a Confluent-style path (`#/properties/foo/type`)
/// names in `text` (the nearest enclosing element when the path leaves the text, as it does
/// through a `$ref`).
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let pointer = path.strip_prefix('#').unwrap_or(path);
    crate::schema::locate::pointer_position(text, pointer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_named_by_their_meta_schema_uri() {
        assert_eq!(
            Draft::from_uri("http://json-schema.org/draft-07/schema#"),
            Some(Draft::Draft7)
        );
        assert_eq!(
            Draft::from_uri("https://json-schema.org/draft/2020-12/schema"),
            Some(Draft::Draft2020_12)
        );
        assert_eq!(
            Draft::from_uri("http://json-schema.org/draft-03/schema#"),
            None
        );
    }

    #[test]
    fn paths_locate_their_element() {
        let text = "{\n  \"properties\": {\n    \"a\": {\"type\": \"string\"}\n  }\n}";
        assert_eq!(locate(text, "#/properties/a"), Some((3, 10)));
        assert_eq!(locate(text, "#/"), Some((1, 1)));
    }
}
