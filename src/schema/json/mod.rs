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
