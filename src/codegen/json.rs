//! JSON Schema → Rust: `typify` generates the types (serde structs, enums and newtypes), and we
//! add what Confluent's serializers need: each file's root type implements
//! `runtime::json::JsonType` (its schema text, subject and pinned id) and gets `to_frame` /
//! `from_frame` helpers.
//!
//! Each file becomes a module named after the file (`order.json` → `order`), since `typify`
//! names a file's definitions without a namespace; its root type is re-exported at the top. The
//! root type is named by the schema's `title`, or after the file when it has none. The crate
//! that includes the output depends on `serde` and `serde_json`, which typify's code names.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};
use quote::{format_ident, quote};
use serde_json::Value;

use super::{render, CodegenError, Options, PinRequest};
use crate::schema::{LoadError, SourceLocation};

/// A JSON Schema file to generate from: its path (for errors) and text.
#[derive(Debug, Clone)]
pub struct JsonInput {
    pub source: String,
    pub text: String,
}

impl JsonInput {
    pub fn read(path: &Path) -> Result<Self, CodegenError> {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Self {
            source: path.display().to_string(),
            text,
        })
    }

    /// The file's name without directories or extension (`schemas/order.json` → `order`).
    fn stem(&self) -> String {
        let stem = Path::new(&self.source)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if stem.is_empty() {
            "schema".to_string()
        } else {
            stem
        }
    }
}

/// One file's generated module.
struct FileTypes {
    module: String,
    root: String,
    code: proc_macro2::TokenStream,
}

/// Generates one Rust source file for `inputs`.
pub fn generate(inputs: &[JsonInput], options: &Options) -> Result<String, CodegenError> {
    let rt: syn::Path = syn::parse_str(&options.runtime_crate)
        .map_err(|e| CodegenError::Render(format!("runtime crate path: {e}")))?;
    let mut modules = HashSet::new();
    let mut files = Vec::new();
    for input in inputs {
        let module = module_name(&input.stem());
        if !modules.insert(module.clone()) {
            return Err(CodegenError::Json(format!(
                "{}: a second file whose module would be `{module}`; rename one of them",
                input.source
            )));
        }
        files.push(file_types(input, module, options, &rt)?);
    }
    let mut roots: BTreeMap<&str, &str> = BTreeMap::new();
    let mut shadowed = HashSet::new();
    for f in &files {
        if roots.insert(&f.root, &f.module).is_some() {
            shadowed.insert(f.root.as_str());
        }
    }
    let items = files.iter().map(|f| {
        let module = module_ident(&f.module);
        let code = &f.code;
        // Two roots of one name stay reachable through their modules only.
        let reexport = (!shadowed.contains(f.root.as_str())).then(|| {
            let root = format_ident!("{}", f.root);
            quote!(pub use self::#module::#root;)
        });
        quote! {
            pub mod #module { #code }
            #reexport
        }
    });
    render(quote!(#(#items)*))
}

/// A module name for a file stem: snake case, never empty, never starting with a digit.
fn module_name(stem: &str) -> String {
    let out = stem.to_snake_case();
    match out.as_str() {
        "" => "schema".to_string(),
        s if s.starts_with(|c: char| c.is_ascii_digit()) => format!("f_{s}"),
        "self" | "super" | "crate" | "_" => format!("{out}_"),
        _ => out,
    }
}

/// The module's identifier, raw for a keyword (`type.json` → `r#type`).
fn module_ident(name: &str) -> proc_macro2::Ident {
    if super::avro::is_raw_keyword(name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        format_ident!("{}", name)
    }
}

/// What a registry needs to find the schema id of each file's root type (see
/// [`super::PinRequest`]).
pub fn pin_requests(
    inputs: &[JsonInput],
    options: &Options,
) -> Result<Vec<PinRequest>, CodegenError> {
    inputs
        .iter()
        .map(|input| {
            let (_, root) = prepare(input)?;
            Ok(PinRequest {
                source: input.source.clone(),
                subject: options.strategy(&input.source).subject(&root),
                schema_type: "JSON",
                schema: input.text.clone(),
                references: Vec::new(),
                required: true,
            })
        })
        .collect()
}

/// The schema as typify reads it, and the root type's name.
fn prepare(input: &JsonInput) -> Result<(Value, String), CodegenError> {
    let mut doc: Value = serde_json::from_str(&input.text).map_err(|e| {
        CodegenError::Schema(LoadError::Invalid {
            location: SourceLocation {
                source: input.source.clone(),
                line: Some(e.line()),
                column: Some(e.column()),
            },
            message: format!("not JSON: {e}"),
        })
    })?;
    let Some(object) = doc.as_object_mut() else {
        return Err(CodegenError::Json(format!(
            "{}: a JSON Schema to generate types from is an object",
            input.source
        )));
    };
    let title = match object.get("title").and_then(Value::as_str) {
        Some(t) if !t.trim().is_empty() => t.to_string(),
        _ => input.stem(),
    };
    let root = title.to_upper_camel_case();
    if root.is_empty() || root.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(CodegenError::Json(format!(
            "{}: no Rust type name in title '{title}': give the schema a `title`",
            input.source
        )));
    }
    object.insert("title".into(), Value::String(root.clone()));
    // typify reads draft 7's `definitions`; 2019-09 and later write `$defs`.
    if let Some(defs) = object.remove("$defs") {
        match (object.get_mut("definitions"), defs) {
            (Some(Value::Object(d)), Value::Object(more)) => d.extend(more),
            (None, defs) => {
                object.insert("definitions".into(), defs);
            }
            _ => {}
        }
        rewrite_defs_refs(&mut doc);
    }
    Ok((doc, root))
}

/// `#/$defs/X` → `#/definitions/X` everywhere, without recursion (a schema may nest deeply).
fn rewrite_defs_refs(doc: &mut Value) {
    let mut stack = vec![doc];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    match v {
                        Value::String(s) if k == "$ref" && s.starts_with("#/$defs/") => {
                            *s = format!("#/definitions/{}", &s["#/$defs/".len()..]);
                        }
                        _ => stack.push(v),
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

fn file_types(
    input: &JsonInput,
    module: String,
    options: &Options,
    rt: &syn::Path,
) -> Result<FileTypes, CodegenError> {
    let (doc, root) = prepare(input)?;
    let failed = |message: String| CodegenError::Json(format!("{}: {message}", input.source));
    let schema: schemars::schema::RootSchema =
        serde_json::from_value(doc).map_err(|e| failed(format!("not a JSON Schema: {e}")))?;
    let mut settings = typify::TypeSpaceSettings::default();
    settings.with_derive("PartialEq".to_string());
    // typify stops with a panic on some constructs it does not support; a build script must
    // report the file instead.
    let generated = std::panic::catch_unwind(move || {
        let mut space = typify::TypeSpace::new(&settings);
        let id = space.add_root_schema(schema).map_err(|e| e.to_string())?;
        let name = match id {
            Some(id) => Some(space.get_type(&id).map_err(|e| e.to_string())?.name()),
            None => None,
        };
        Ok::<_, String>((space.to_stream(), name))
    })
    .map_err(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        failed(format!(
            "typify cannot generate types for this schema ({why})"
        ))
    })?
    .map_err(|e| failed(format!("typify: {e}")))?;
    let (code, name) = generated;
    let root = name.unwrap_or(root);
    let ty = format_ident!("{}", root);
    let text = &input.text;
    let subject = options.strategy(&input.source).subject(&root);
    let pinned = match options.pinned_id(&input.source, &subject, true) {
        Some(id) => quote!(::std::option::Option::Some(#id)),
        None => quote!(::std::option::Option::None),
    };
    let code = quote! {
        #code

        impl #rt::runtime::json::JsonType for #ty {
            const SCHEMA: &'static str = #text;
            const SUBJECT: &'static str = #subject;
            const SCHEMA_ID: ::std::option::Option<u32> = #pinned;
        }

        impl #ty {
            /// This value as JSON in a Confluent frame with `schema_id` (validated against
            /// the schema when `schemactl`'s `json-validate` feature is on).
            pub fn to_frame(
                &self,
                schema_id: u32,
            ) -> ::std::result::Result<::std::vec::Vec<u8>, #rt::runtime::json::JsonFrameError> {
                #rt::runtime::json::to_frame_of(self, schema_id)
            }

            /// A value from a Confluent JSON frame whose schema id must be `expected_id`
            /// (validated against the schema when `json-validate` is on).
            pub fn from_frame(
                bytes: &[u8],
                expected_id: u32,
            ) -> ::std::result::Result<Self, #rt::runtime::json::JsonFrameError> {
                #rt::runtime::json::from_frame_of(bytes, expected_id)
            }
        }
    };
    Ok(FileTypes { module, root, code })
}

/// Reads `paths` as JSON Schema inputs.
pub fn read_inputs(paths: &[PathBuf]) -> Result<Vec<JsonInput>, CodegenError> {
    paths.iter().map(|p| JsonInput::read(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(source: &str, text: &str) -> JsonInput {
        JsonInput {
            source: source.into(),
            text: text.into(),
        }
    }

    #[test]
    fn root_named_by_title_or_file_and_defs_read_as_definitions() {
        let (doc, root) = prepare(&input(
            "schemas/order-line.json",
            r##"{"$defs": {"A": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/A"}}}"##,
        ))
        .unwrap();
        assert_eq!(root, "OrderLine");
        assert_eq!(doc["definitions"]["A"]["type"], "string");
        assert_eq!(doc["properties"]["a"]["$ref"], "#/definitions/A");
        let (_, root) = prepare(&input("x.json", r#"{"title": "user record"}"#)).unwrap();
        assert_eq!(root, "UserRecord");
    }

    #[test]
    fn bad_input_is_an_error_with_its_place() {
        let e = generate(
            &[input("bad.json", "{\n  \"type\": }")],
            &Options::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("bad.json:2:"), "{e}");
        let e = generate(&[input("a.json", "[1]")], &Options::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("is an object"), "{e}");
        let e = generate(&[input("9.json", "{}")], &Options::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("give the schema a `title`"), "{e}");
    }
}
