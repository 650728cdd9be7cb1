//! JSON Schema → Rust: `typify` generates the types (serde structs, enums and newtypes), and we
//! add what Confluent's serializers need: each file's root type implements
//! `runtime::json::JsonType` (its schema text, subject and pinned id) and gets `to_frame` /
//! `from_frame` helpers.
//!
//! Each file becomes a module named after the file (`order.json` → `order`), since `typify`
//! names a file's definitions without a namespace; its root type is re-exported at the top. The
//! root type is named by the schema's `title`, or after the file when it has none. The crate
//! that includes the output depends on `serde` and `serde_json`, which typify's code names.
//!
//! A `$ref` to another file (a Confluent reference named by its relative path) is read beside
//! the referring file, else from the input's include directories; typify gets one document with
//! the referenced schemas bundled into its `definitions` (see [`super::json_bundle`]), and a
//! referenced file keeps its types in its own module, used from the referrer's, whether it is
//! an input or not (see `with_referenced_files`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};
use quote::{format_ident, quote};
use serde_json::Value;

use super::json_bundle::{self, Bundle};
use super::{render, CodegenError, Options, PinRequest};
use crate::schema::json::JsonSchema;
use crate::schema::{LoadError, SourceLocation};

/// A JSON Schema file to generate from: its path (for errors, and where its `$ref`s to other
/// files are read from) and text.
#[derive(Debug, Clone)]
pub struct JsonInput {
    pub source: String,
    pub text: String,
    /// Confluent references by name, each read from its file (a project's `references`): a
    /// `$ref` naming one reaches that file whatever the file is called. Other `$ref`s to files
    /// are read beside the referring file, else from `include`.
    pub references: Vec<(String, PathBuf)>,
    /// Directories, in order, where a `$ref` to a relative path is looked for when the
    /// referring file's own directory does not hold it (`schemactl codegen -I DIR`).
    pub include: Vec<PathBuf>,
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
            references: Vec::new(),
            include: Vec::new(),
        })
    }

    /// The file's name without directories or extension (`schemas/order.json` → `order`).
    fn stem(&self) -> String {
        stem_of(&self.source)
    }
}

/// A path's file name without directories or extension, never empty.
fn stem_of(path: &str) -> String {
    let stem = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.is_empty() {
        "schema".to_string()
    } else {
        stem
    }
}

/// One file's generated module.
struct FileTypes {
    module: String,
    root: String,
    code: proc_macro2::TokenStream,
    /// Every type name typify generated in it.
    names: HashSet<String>,
}

/// An input parsed, with the documents its `$ref`s read.
struct ParsedInput<'a> {
    input: &'a JsonInput,
    schema: JsonSchema,
    /// The root type's name.
    root: String,
}

impl ParsedInput<'_> {
    /// Where document `doc` comes from: the input itself, or the file a `$ref` read.
    fn source_of(&self, doc: usize) -> String {
        match (doc, &self.schema.documents()[doc].file) {
            (0, _) | (_, None) => self.input.source.clone(),
            (_, Some(file)) => file.display().to_string(),
        }
    }

    /// The root type name of document `doc`: its title, else its file name.
    fn root_name_of(&self, doc: usize) -> String {
        if doc == 0 {
            return self.root.clone();
        }
        let document = &self.schema.documents()[doc];
        type_name(&document.value, &stem_of(&self.source_of(doc)))
            .unwrap_or_else(|| "Schema".to_string())
    }
}

/// The file as the same path whatever way a `$ref` or an input spells it.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Generates one Rust source file for `inputs`, and for the files their `$ref`s read (see
/// [`with_referenced_files`]).
pub fn generate(inputs: &[JsonInput], options: &Options) -> Result<String, CodegenError> {
    let rt: syn::Path = syn::parse_str(&options.runtime_crate)
        .map_err(|e| CodegenError::Render(format!("runtime crate path: {e}")))?;
    let given = inputs.len();
    let expanded = with_referenced_files(inputs)?;
    let inputs = &expanded[..];
    let modules: Vec<String> = inputs.iter().map(|i| module_name(&i.stem())).collect();
    let parsed = inputs
        .iter()
        .map(parse_input)
        .collect::<Result<Vec<_>, _>>()?;
    let by_file: HashMap<PathBuf, usize> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (canonical(Path::new(&input.source)), i))
        .collect();
    let mut files = Vec::new();
    // (referring input, input whose module must have the type, type name)
    let mut used = Vec::new();
    for (i, p) in parsed.iter().enumerate() {
        let input_of = |doc: usize| -> Option<usize> {
            let file = p.schema.documents()[doc].file.as_deref()?;
            by_file.get(&canonical(file)).copied().filter(|&j| j != i)
        };
        let root_name = |doc: usize| match input_of(doc) {
            Some(j) => parsed[j].root.clone(),
            None => p.root_name_of(doc),
        };
        let bundle = bundled(p, &root_name, &|doc| doc != 0 && input_of(doc).is_some());
        let mut replacements = Vec::new();
        for shared in &bundle.shared {
            let j = input_of(shared.doc).expect("shared documents are inputs");
            let module = module_ident(&modules[j]);
            replacements.push((
                shared.key.clone(),
                format!("super::{module}::{}", shared.type_name),
            ));
            used.push((i, j, shared.type_name.clone()));
        }
        let keys: Vec<String> = bundle.shared.iter().map(|s| s.key.clone()).collect();
        let references = reference_tree(p, options, &rt, &root_name);
        files.push(file_types(
            p,
            bundle.doc,
            modules[i].clone(),
            &replacements,
            references,
            options,
            &rt,
        )?);
        // A replaced entry generates no type of its own: one that did was not replaced.
        if let Some(key) = keys.iter().find(|k| files[i].names.contains(*k)) {
            return Err(CodegenError::Json(format!(
                "{}: typify generated `{key}` itself instead of using the referenced input's type",
                inputs[i].source
            )));
        }
    }
    for (i, j, name) in used {
        if !files[j].names.contains(&name) {
            return Err(CodegenError::Json(format!(
                "{}: refers to type `{name}` of {}, whose module has no type of that name; give the referenced definition a name that is a Rust type name",
                inputs[i].source, inputs[j].source
            )));
        }
    }
    // Per root name: how many listed files, and how many files in all, have it.
    let mut root_counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let (listed, all) = root_counts.entry(&f.root).or_default();
        *listed += usize::from(i < given);
        *all += 1;
    }
    let items = files.iter().enumerate().map(|(i, f)| {
        let module = module_ident(&f.module);
        let code = &f.code;
        // Two roots of one name stay reachable through their modules only; a referenced
        // file's root never hides a listed file's from the top.
        let (listed, all) = root_counts[f.root.as_str()];
        let unique = if i < given { listed == 1 } else { all == 1 };
        let reexport = unique.then(|| {
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

/// `inputs`, then each file their `$ref`s read that is not one of them, as an input of its own,
/// so that every referrer uses one set of its types (`customer::Customer::home` and
/// `order::Order::ship_to` are both `address::Address`). A file stays inside each referrer's
/// bundle instead when its module name is taken, when it cannot be read alone (a `$ref` that
/// only the referrer's references resolve), or when it refers back to a file that refers to it:
/// typify breaks a recursion with `Box` only within one document.
///
/// Fails when two of `inputs` would share a module.
fn with_referenced_files(inputs: &[JsonInput]) -> Result<Vec<JsonInput>, CodegenError> {
    let mut modules = HashSet::new();
    for input in inputs {
        let module = module_name(&input.stem());
        if !modules.insert(module.clone()) {
            return Err(CodegenError::Json(format!(
                "{}: a second file whose module would be `{module}`; rename one of them",
                input.source
            )));
        }
    }
    let mut all = inputs.to_vec();
    let mut known: HashSet<PathBuf> = inputs
        .iter()
        .map(|i| canonical(Path::new(&i.source)))
        .collect();
    // The files each of `all` reads; a listed file's error is told when it is generated.
    let mut reads: Vec<Vec<PathBuf>> = inputs
        .iter()
        .map(|i| parse_input(i).map(|p| files_read(&p)).unwrap_or_default())
        .collect();
    // Each file once; the files it reads join the end of the list and are visited in turn.
    let mut next = 0;
    while next < all.len() {
        for file in std::mem::take(&mut reads[next]) {
            if !known.insert(canonical(&file)) {
                continue;
            }
            let Ok(mut input) = JsonInput::read(&file) else {
                continue;
            };
            input.include.clone_from(&all[next].include);
            if let Some(files) = alone_reads(&input) {
                if modules.insert(module_name(&input.stem())) {
                    all.push(input);
                    reads.push(files);
                }
            }
        }
        next += 1;
    }
    Ok(all)
}

/// The files other than its own that a parsed input's `$ref`s read.
fn files_read(p: &ParsedInput) -> Vec<PathBuf> {
    p.schema.documents()[1..]
        .iter()
        .filter_map(|d| d.file.clone())
        .collect()
}

/// The files a referenced file reads, if it parses on its own and none of them refers back
/// to it.
fn alone_reads(input: &JsonInput) -> Option<Vec<PathBuf>> {
    let p = parse_input(input).ok()?;
    let own = canonical(Path::new(&input.source));
    let documents = p.schema.documents();
    let refers_back = p.schema.doc_refs().iter().any(|&(from, _, to)| {
        from != 0
            && (to == 0
                || documents[to]
                    .file
                    .as_deref()
                    .is_some_and(|f| canonical(f) == own))
    });
    (!refers_back).then(|| files_read(&p))
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
/// [`super::PinRequest`]), with the files its `$ref`s read as its references.
pub fn pin_requests(
    inputs: &[JsonInput],
    options: &Options,
) -> Result<Vec<PinRequest>, CodegenError> {
    let given = inputs.len();
    with_referenced_files(inputs)?
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let p = parse_input(input)?;
            let root_name = |doc: usize| p.root_name_of(doc);
            let references = direct_references(&p, 0)
                .map(|(uri, doc)| {
                    (
                        uri.to_string(),
                        reference_subject(&p, options, 0, uri, doc, &root_name),
                    )
                })
                .collect();
            Ok(PinRequest {
                source: input.source.clone(),
                subject: options.strategy(&input.source).subject(&p.root),
                schema_type: "JSON",
                schema: input.text.clone(),
                references,
                // A referenced file's own type is pinned when it is registered on its own.
                required: i < given,
            })
        })
        .collect()
}

/// The documents `doc` reads through `$ref`s, by the URI it names each with.
fn direct_references<'a>(
    p: &'a ParsedInput<'_>,
    doc: usize,
) -> impl Iterator<Item = (&'a str, usize)> + 'a {
    p.schema
        .doc_refs()
        .iter()
        .filter(move |(from, _, _)| *from == doc)
        .map(|(_, uri, to)| (uri.as_str(), *to))
}

/// The subject a reference is registered under: the project's, else the one the referenced
/// file's root type names itself.
fn reference_subject(
    p: &ParsedInput<'_>,
    options: &Options,
    from: usize,
    uri: &str,
    to: usize,
    root_name: &dyn Fn(usize) -> String,
) -> String {
    match options.reference_subject(&p.source_of(from), uri) {
        Some(subject) => subject.to_string(),
        None => options.strategy(&p.source_of(to)).subject(&root_name(to)),
    }
}

/// The `REFERENCES` of the root type: each file its `$ref`s read, with the files that file's
/// `$ref`s read. A file met again is listed without its own (the runtime collects every
/// reference of the tree once, and a cycle would not end).
fn reference_tree(
    p: &ParsedInput<'_>,
    options: &Options,
    rt: &syn::Path,
    root_name: &dyn Fn(usize) -> String,
) -> Vec<proc_macro2::TokenStream> {
    fn level(
        p: &ParsedInput<'_>,
        options: &Options,
        rt: &syn::Path,
        root_name: &dyn Fn(usize) -> String,
        doc: usize,
        seen: &mut HashSet<usize>,
    ) -> Vec<proc_macro2::TokenStream> {
        let mut out = Vec::new();
        for (uri, to) in direct_references(p, doc) {
            let subject = reference_subject(p, options, doc, uri, to, root_name);
            let text = p.schema.documents()[to]
                .file
                .as_deref()
                .and_then(|f| std::fs::read_to_string(f).ok())
                .unwrap_or_default();
            let nested = if to != 0 && seen.insert(to) {
                level(p, options, rt, root_name, to, seen)
            } else {
                Vec::new()
            };
            out.push(quote! {
                #rt::runtime::json::Reference {
                    name: #uri,
                    subject: #subject,
                    schema: #text,
                    references: &[#(#nested),*],
                },
            });
        }
        out
    }
    let mut seen = HashSet::new();
    level(p, options, rt, root_name, 0, &mut seen)
}

/// Parses an input with the files its `$ref`s name, and names its root type.
fn parse_input(input: &JsonInput) -> Result<ParsedInput<'_>, CodegenError> {
    let value: Value = serde_json::from_str(&input.text).map_err(|e| {
        CodegenError::Schema(LoadError::Invalid {
            location: SourceLocation {
                source: input.source.clone(),
                line: Some(e.line()),
                column: Some(e.column()),
            },
            message: format!("not JSON: {e}"),
        })
    })?;
    if !value.is_object() {
        return Err(CodegenError::Json(format!(
            "{}: a JSON Schema to generate types from is an object",
            input.source
        )));
    }
    let root = type_name(&value, &input.stem()).ok_or_else(|| {
        let title = value
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or_default();
        CodegenError::Json(format!(
            "{}: no Rust type name in title '{title}': give the schema a `title`",
            input.source
        ))
    })?;
    let texts = input
        .references
        .iter()
        .map(|(_, file)| {
            std::fs::read_to_string(file).map_err(|source| LoadError::Io {
                path: file.clone(),
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let references: Vec<(&str, &Path, &str)> = input
        .references
        .iter()
        .zip(&texts)
        .map(|((name, file), text)| (name.as_str(), file.as_path(), text.as_str()))
        .collect();
    let schema = crate::schema::json::parse_text_at_with_references(
        Path::new(&input.source),
        &input.text,
        &references,
        &input.include,
    )?;
    Ok(ParsedInput {
        input,
        schema,
        root,
    })
}

/// A schema's root type name: its `title` (else `stem`) in upper camel case; none when that is
/// not a Rust type name.
fn type_name(schema: &Value, stem: &str) -> Option<String> {
    let title = match schema.get("title").and_then(Value::as_str) {
        Some(t) if !t.trim().is_empty() => t,
        _ => stem,
    };
    let name = title.to_upper_camel_case();
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

/// The schema as typify reads it, and the root type's name (other files' schemas bundled, no
/// input's types shared).
#[cfg(test)]
fn prepare(input: &JsonInput) -> Result<(Value, String), CodegenError> {
    let p = parse_input(input)?;
    let bundle = bundled(&p, &|doc| p.root_name_of(doc), &|_| false);
    Ok((bundle.doc, p.root))
}

/// The input's bundle (see [`json_bundle::bundle`]) as typify reads it: the root type named by
/// `title`, `$defs` read as `definitions`.
fn bundled(
    p: &ParsedInput<'_>,
    root_name: &dyn Fn(usize) -> String,
    is_input: &dyn Fn(usize) -> bool,
) -> Bundle {
    let mut bundle = json_bundle::bundle(&p.schema, root_name, is_input);
    let doc = &mut bundle.doc;
    let Some(object) = doc.as_object_mut() else {
        return bundle;
    };
    object.insert("title".into(), Value::String(p.root.clone()));
    // typify reads draft 7's `definitions`; 2019-09 and later write `$defs`.
    if let Some(defs) = object.remove("$defs") {
        match (object.get_mut("definitions"), defs) {
            (Some(Value::Object(d)), Value::Object(more)) => d.extend(more),
            (None, defs) => {
                object.insert("definitions".into(), defs);
            }
            _ => {}
        }
        rewrite_defs_refs(doc);
    }
    bundle
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
    p: &ParsedInput<'_>,
    doc: Value,
    module: String,
    replacements: &[(String, String)],
    references: Vec<proc_macro2::TokenStream>,
    options: &Options,
    rt: &syn::Path,
) -> Result<FileTypes, CodegenError> {
    let input = p.input;
    let root = p.root.clone();
    let failed = |message: String| CodegenError::Json(format!("{}: {message}", input.source));
    let schema: schemars::schema::RootSchema =
        serde_json::from_value(doc).map_err(|e| failed(format!("not a JSON Schema: {e}")))?;
    let mut settings = typify::TypeSpaceSettings::default();
    settings.with_derive("PartialEq".to_string());
    for (key, path) in replacements {
        settings.with_replacement(key, path, std::iter::empty());
    }
    // typify stops with a panic on some constructs it does not support; a build script must
    // report the file instead.
    let generated = std::panic::catch_unwind(move || {
        let mut space = typify::TypeSpace::new(&settings);
        let id = space.add_root_schema(schema).map_err(|e| e.to_string())?;
        let name = match id {
            Some(id) => Some(space.get_type(&id).map_err(|e| e.to_string())?.name()),
            None => None,
        };
        let names: HashSet<String> = space.iter_types().map(|t| t.name()).collect();
        Ok::<_, String>((space.to_stream(), name, names))
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
    let (code, name, names) = generated;
    let root = name.unwrap_or(root);
    let ty = format_ident!("{}", root);
    let text = &input.text;
    let subject = options.strategy(&input.source).subject(&root);
    let references = (!references.is_empty()).then(
        || quote!(const REFERENCES: &'static [#rt::runtime::json::Reference] = &[#(#references)*];),
    );
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
            #references
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
    Ok(FileTypes {
        module,
        root,
        code,
        names,
    })
}

/// The files the inputs' `$ref`s read (not the inputs themselves), for a build script to rerun
/// when one changes.
pub fn referenced_files(inputs: &[JsonInput]) -> Result<Vec<PathBuf>, CodegenError> {
    let mut files = Vec::new();
    for input in inputs {
        let p = parse_input(input)?;
        for document in &p.schema.documents()[1..] {
            if let Some(file) = &document.file {
                if !files.contains(file) {
                    files.push(file.clone());
                }
            }
        }
    }
    Ok(files)
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
            references: Vec::new(),
            include: Vec::new(),
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

    const CRATE_SCHEMAS: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/codegen-json-crate/schemas"
    );

    fn read(file: &str) -> JsonInput {
        JsonInput::read(Path::new(&format!("{CRATE_SCHEMAS}/{file}"))).unwrap()
    }

    /// `customer.json` alone: `address.json`'s root, its `Street` (reached from the copied
    /// root) and `Country` (named by a fragment) are bundled, each once.
    #[test]
    fn referenced_files_are_bundled_into_definitions() {
        let (doc, _) = prepare(&read("customer.json")).unwrap();
        let definitions = doc["definitions"].as_object().unwrap();
        let keys: Vec<&str> = definitions.keys().map(String::as_str).collect();
        assert_eq!(keys, ["Address", "Country", "Street", "Tier"]);
        assert_eq!(doc["properties"]["home"]["$ref"], "#/definitions/Address");
        assert_eq!(
            doc["properties"]["billing"]["$ref"],
            "#/definitions/Address"
        );
        assert_eq!(
            doc["properties"]["nationality"]["$ref"],
            "#/definitions/Country"
        );
        assert_eq!(
            definitions["Address"]["properties"]["street"]["$ref"],
            "#/definitions/Street"
        );
        assert!(definitions["Address"].get("definitions").is_none());
        // Generated alone, `address.json` gets its own module (see the next tests).
        let code = generate(&[read("customer.json")], &Options::default()).unwrap();
        // The registered text, not the bundle; the referenced file as its reference.
        let text = read("customer.json").text;
        assert!(
            code.contains(&format!("const SCHEMA: &'static str = {text:?};")),
            "{code}"
        );
        // Generated source is not stable across machines' absolute paths: none appear.
        assert!(!code.contains(CRATE_SCHEMAS));
        insta::assert_snapshot!("codegen_json_bundle", code);
    }

    #[test]
    fn a_referenced_file_that_is_an_input_keeps_its_types_in_its_module() {
        let code = generate(
            &[read("customer.json"), read("address.json")],
            &Options::default(),
        )
        .unwrap();
        assert_eq!(code.matches("pub struct Address {").count(), 1, "{code}");
        assert_eq!(code.matches("pub enum Country {").count(), 1, "{code}");
        let read = referenced_files(&[read("customer.json")]).unwrap();
        assert_eq!(read.len(), 1);
        assert!(read[0].ends_with("address.json"), "{read:?}");
        assert!(
            code.contains("pub home: super::address::Address,"),
            "{code}"
        );
        assert!(
            code.contains("pub nationality: ::std::option::Option<super::address::Country>,"),
            "{code}"
        );
    }

    #[test]
    fn bundled_names_never_collide() {
        let dir = tempfile::tempdir().unwrap();
        let write = |f: &str, t: &str| std::fs::write(dir.path().join(f), t).unwrap();
        // The root already has a `Street` and an `Address`; `other.json` has no title.
        write(
            "root.json",
            r##"{"title": "Root", "properties": {
                "a": {"$ref": "address.json"}, "o": {"$ref": "other.json#/properties/x"},
                "s": {"$ref": "#/$defs/Street"}},
              "$defs": {"Street": {"type": "integer"}, "Address": {"type": "null"}}}"##,
        );
        write(
            "address.json",
            r##"{"title": "Address", "properties": {"s": {"$ref": "#/definitions/street"}},
              "definitions": {"street": {"type": "string"}}}"##,
        );
        write(
            "other.json",
            r#"{"properties": {"x": {"type": "array", "items": {"$ref": "address.json"}}}}"#,
        );
        let root = dir.path().join("root.json");
        let (doc, _) = prepare(&JsonInput::read(&root).unwrap()).unwrap();
        let keys: Vec<&str> = doc["definitions"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["Address", "Address2", "AddressStreet", "Street", "X"]
        );
        // `other.json`'s `x` names the same `address.json` as the root does: one definition.
        assert_eq!(
            doc["definitions"]["X"]["items"]["$ref"],
            "#/definitions/Address2"
        );
        assert_eq!(doc["properties"]["o"]["$ref"], "#/definitions/X");
        assert_eq!(doc["properties"]["s"]["$ref"], "#/definitions/Street");
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

    /// Writes `files` (`(path, text)`) under a new temporary directory.
    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn inputs_of(dir: &tempfile::TempDir, files: &[&str]) -> Vec<JsonInput> {
        files
            .iter()
            .map(|f| JsonInput::read(&dir.path().join(f)).unwrap())
            .collect()
    }

    const ADDRESS: &str = r#"{"title": "Address", "properties": {"city": {"type": "string"}}}"#;

    /// Two listed files `$ref` one that is not listed: it is generated once, in its own
    /// module, and both use it; its id is pinned only if it is registered.
    #[test]
    fn an_unlisted_referenced_file_gets_one_module_for_every_referrer() {
        let dir = project(&[
            ("address.json", ADDRESS),
            (
                "order.json",
                r#"{"title": "Order", "properties": {"ship_to": {"$ref": "address.json"}}}"#,
            ),
            (
                "invoice.json",
                r#"{"title": "Invoice", "properties": {"bill_to": {"$ref": "address.json"}}}"#,
            ),
        ]);
        let inputs = inputs_of(&dir, &["order.json", "invoice.json"]);
        let code = generate(&inputs, &Options::default()).unwrap();
        assert_eq!(code.matches("pub struct Address {").count(), 1, "{code}");
        assert_eq!(code.matches("super::address::Address").count(), 2, "{code}");
        assert!(code.contains("pub use self::address::Address;"), "{code}");
        let requests = pin_requests(&inputs, &Options::default()).unwrap();
        let pins: Vec<(&str, bool)> = requests
            .iter()
            .map(|r| (r.subject.as_str(), r.required))
            .collect();
        assert_eq!(
            pins,
            [("Order", true), ("Invoice", true), ("Address", false)]
        );
    }

    /// An unlisted file whose module name is taken by a listed one, and one that refers back
    /// to its referrer, are bundled into the referrer's module as before.
    #[test]
    fn a_referenced_file_stays_in_its_referrer_when_it_cannot_stand_alone() {
        let dir = project(&[
            ("shared/order.json", ADDRESS),
            (
                "order.json",
                r#"{"title": "Order", "properties": {"to": {"$ref": "shared/order.json"}}}"#,
            ),
            (
                "node.json",
                r#"{"title": "Node", "properties": {"edge": {"$ref": "edge.json"}}}"#,
            ),
            (
                "edge.json",
                r#"{"title": "Edge", "properties": {"to": {"$ref": "node.json"}}}"#,
            ),
        ]);
        let code = generate(&inputs_of(&dir, &["order.json"]), &Options::default()).unwrap();
        assert_eq!(code.matches("\npub mod ").count(), 1, "{code}");
        assert!(code.contains("pub struct Address {"), "{code}");
        // `edge.json` refers back to `node.json`: one document, so typify can box the cycle.
        let code = generate(&inputs_of(&dir, &["node.json"]), &Options::default()).unwrap();
        assert_eq!(code.matches("\npub mod ").count(), 1, "{code}");
        assert!(code.contains("pub struct Edge {"), "{code}");
    }

    /// A listed file's root keeps its re-export when an unlisted file's root has its name.
    #[test]
    fn a_listed_root_wins_the_top_level_name() {
        let dir = project(&[
            ("billing/address.json", ADDRESS),
            (
                "customer_address.json",
                r#"{"title": "Address", "properties": {"line": {"type": "string"}}}"#,
            ),
            (
                "customer.json",
                r#"{"title": "Customer", "properties": {"bill_to": {"$ref": "billing/address.json"}}}"#,
            ),
        ]);
        let inputs = inputs_of(&dir, &["customer.json", "customer_address.json"]);
        let code = generate(&inputs, &Options::default()).unwrap();
        assert!(code.contains("pub mod address {"), "{code}");
        assert!(
            code.contains("pub use self::customer_address::Address;"),
            "{code}"
        );
        assert!(!code.contains("pub use self::address::Address;"), "{code}");
    }
}
