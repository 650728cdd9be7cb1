//! Avro → Rust: records become structs, enums Rust enums, fixed `[u8; N]` newtypes, `["null", T]`
//! `Option<T>`, other unions enums with a variant per branch; namespaces become modules. Every
//! named type encodes and decodes the Avro binary encoding directly and carries its schema.

mod load;
mod names;

use std::collections::{BTreeMap, HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use self::load::Doc;
use self::names::{camel, ident, snake, unique};
use super::{render, CodegenError, Options, PinRequest};
use crate::schema::avro::{
    default_bytes, AvroSchema, LogicalType, Node, NodeId, Primitive, Record,
};

pub use self::load::AvroInput;

/// Whether `s` is a keyword that Rust accepts as a raw identifier.
pub(crate) fn is_raw_keyword(s: &str) -> bool {
    names::RAW_KEYWORDS.contains(&s)
}

/// Generates one Rust source file for all `inputs` (files may reference each other's types).
pub fn generate(inputs: &[AvroInput], options: &Options) -> Result<String, CodegenError> {
    generate_with_warnings(inputs, options).map(|(code, _)| code)
}

/// [`generate`], with what the caller should tell the user about the generated code (e.g. a
/// type that `flat_reexports` could not re-export at the root).
pub fn generate_with_warnings(
    inputs: &[AvroInput],
    options: &Options,
) -> Result<(String, Vec<String>), CodegenError> {
    let docs = load::load(inputs)?;
    let generator = Generator::new(&docs, options);
    let (tokens, warnings) = generator.emit();
    Ok((render(tokens)?, warnings))
}

/// What a registry needs to find each generated type's schema id, to pin the ids at build
/// time: every file's top-level type (required) and, unless every type shares the topic's
/// subject, the named types nested in it (pinned when found).
pub fn pin_requests(
    inputs: &[AvroInput],
    options: &Options,
) -> Result<Vec<PinRequest>, CodegenError> {
    let docs = load::load(inputs)?;
    let generator = Generator::new(&docs, options);
    let mut requests: Vec<PinRequest> = generator
        .defined
        .values()
        .map(|&(d, id)| (d, generator.registered_form(d, id)))
        .filter(|(d, form)| form.is_root || !options.strategy(&docs[*d].source).is_shared())
        .map(|(d, form)| PinRequest {
            source: docs[d].source.clone(),
            subject: form.subject,
            schema_type: "AVRO",
            schema: form.schema,
            references: form.references,
            required: form.is_root,
        })
        .collect();
    requests.sort_by(|a, b| (!a.required, &a.subject).cmp(&(!b.required, &b.subject)));
    Ok(requests)
}

/// A named type as registered.
struct RegisteredForm {
    full_name: String,
    subject: String,
    schema: String,
    /// `(name, subject)` of each reference.
    references: Vec<(String, String)>,
    /// The file's top-level type, whose schema is the file's text.
    is_root: bool,
    fingerprint: u64,
}

/// Where a generated Rust type lives: its module path and name.
#[derive(Debug, Clone)]
struct RustName {
    module: Vec<String>,
    name: String,
}

/// A function of the reader `r` returning the decode expression `e`'s result, written as
/// clippy wants it in the user's crate: `|r| Ok(x?)` is `needless_question_mark` and
/// `|r| f(r)` is `redundant_closure`.
fn reader_fn(e: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, TokenTree};
    let mut tokens: Vec<TokenTree> = e.clone().into_iter().collect();
    if !matches!(tokens.last(), Some(TokenTree::Punct(p)) if p.as_char() == '?') {
        return quote!(|r| ::std::result::Result::Ok(#e));
    }
    tokens.pop();
    let calls_with_r = matches!(
        tokens.last(),
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis
            && g.stream().to_string() == "r"
    );
    // A path called with `r` alone (`Path::f(r)`): the path is the function. A method call
    // (`r.read_long()`) is not a path.
    let is_path = tokens[..tokens.len().saturating_sub(1)].iter().all(|t| {
        matches!(t, TokenTree::Ident(i) if i != "r")
            || matches!(t, TokenTree::Punct(p) if p.as_char() == ':')
    });
    if calls_with_r && is_path && tokens.len() > 1 {
        tokens.pop();
        return tokens.into_iter().collect();
    }
    let body: TokenStream = tokens.into_iter().collect();
    quote!(|r| #body)
}

/// The value behind `v`, an expression of type `&T` for a `Copy` type: `self.x` for `&self.x`
/// rather than `*&self.x`, which clippy flags (`deref_addrof`) in the user's crate.
fn deref(v: &TokenStream) -> TokenStream {
    let mut tokens = v.clone().into_iter();
    match tokens.next() {
        Some(proc_macro2::TokenTree::Punct(p))
            if p.as_char() == '&' && p.spacing() == proc_macro2::Spacing::Alone =>
        {
            let rest: TokenStream = tokens.collect();
            // `&mut x` is not a plain borrow of `x`.
            match rest.clone().into_iter().next() {
                Some(proc_macro2::TokenTree::Ident(i)) if i == "mut" => quote!(*#v),
                _ => rest,
            }
        }
        _ => quote!(*#v),
    }
}

impl RustName {
    /// The path from the generated module's root, as a user writes it.
    fn path(&self) -> String {
        let mut path = self.module.join("::");
        if !path.is_empty() {
            path.push_str("::");
        }
        path.push_str(&self.name);
        path
    }
}

/// A union that becomes a Rust enum: where it is named and the record it sits in.
#[derive(Debug, Clone)]
struct UnionInfo {
    name: RustName,
    enclosing: Option<NodeId>,
}

struct Generator<'a> {
    docs: &'a [Doc],
    options: &'a Options,
    /// `::schemactl::runtime`
    rt: TokenStream,
    /// Named types by full name: the document that defines them and the node.
    defined: BTreeMap<String, (usize, NodeId)>,
    type_names: HashMap<String, RustName>,
    unions: HashMap<(usize, NodeId), UnionInfo>,
}

impl<'a> Generator<'a> {
    fn new(docs: &'a [Doc], options: &'a Options) -> Self {
        let rt_crate: syn::Path = syn::parse_str(&options.runtime_crate)
            .unwrap_or_else(|_| syn::parse_quote!(::schemactl));
        let mut g = Generator {
            docs,
            options,
            rt: quote!(#rt_crate::runtime),
            defined: BTreeMap::new(),
            type_names: HashMap::new(),
            unions: HashMap::new(),
        };
        let mut taken: HashMap<Vec<String>, HashSet<String>> = HashMap::new();
        for (d, doc) in docs.iter().enumerate() {
            for (id, node) in doc.schema.nodes() {
                let Some(name) = node.name() else { continue };
                let full = name.full_name();
                if !doc.own.contains(&full) || g.defined.contains_key(&full) {
                    continue;
                }
                if logical_fixed(node) {
                    continue;
                }
                let module: Vec<String> = name
                    .namespace
                    .iter()
                    .flat_map(|ns| ns.split('.'))
                    .map(snake)
                    .collect();
                let rust = unique(camel(&name.name), taken.entry(module.clone()).or_default());
                g.defined.insert(full.clone(), (d, id));
                g.type_names.insert(full, RustName { module, name: rust });
            }
        }
        // Unions are named after the field they sit in, so name them once every type is known.
        let defined: Vec<(usize, NodeId)> = g.defined.values().copied().collect();
        for (d, id) in defined {
            if let Node::Record(r) = docs[d].schema.node(id) {
                let module = g.type_names[&r.name.full_name()].module.clone();
                let base = g.type_names[&r.name.full_name()].name.clone();
                for f in &r.fields {
                    let base = format!("{base}{}", camel(&f.name));
                    g.name_unions(d, f.ty, &module, &base, Some(id), &mut taken);
                }
            }
        }
        for (d, doc) in docs.iter().enumerate() {
            let root = doc.schema.root();
            if doc.schema.node(root).name().is_none() {
                g.name_unions(d, root, &[], &camel(&doc.stem), None, &mut taken);
            }
        }
        g
    }

    fn name_unions(
        &mut self,
        d: usize,
        id: NodeId,
        module: &[String],
        base: &str,
        enclosing: Option<NodeId>,
        taken: &mut HashMap<Vec<String>, HashSet<String>>,
    ) {
        let schema = &self.docs[d].schema;
        match schema.node(id) {
            Node::Array { items } => {
                self.name_unions(d, *items, module, &format!("{base}Item"), enclosing, taken)
            }
            Node::Map { values } => self.name_unions(
                d,
                *values,
                module,
                &format!("{base}Value"),
                enclosing,
                taken,
            ),
            Node::Union { branches } => {
                if let Some((_, other)) = optional(schema, branches) {
                    return self.name_unions(d, other, module, base, enclosing, taken);
                }
                if self.unions.contains_key(&(d, id)) {
                    return;
                }
                let name = unique(base.to_string(), taken.entry(module.to_vec()).or_default());
                self.unions.insert(
                    (d, id),
                    UnionInfo {
                        name: RustName {
                            module: module.to_vec(),
                            name,
                        },
                        enclosing,
                    },
                );
                let variants = self.union_variants(d, branches);
                for (b, v) in branches.clone().iter().zip(variants) {
                    self.name_unions(d, *b, module, &format!("{base}{v}"), enclosing, taken);
                }
            }
            _ => {}
        }
    }

    // -----------------------------------------------------------------------------------------
    // Output

    fn emit(&self) -> (TokenStream, Vec<String>) {
        let mut modules: BTreeMap<Vec<String>, Vec<TokenStream>> = BTreeMap::new();
        for (full, &(d, id)) in &self.defined {
            let rust = &self.type_names[full];
            let item = match self.docs[d].schema.node(id) {
                Node::Record(r) => self.record(d, id, r, rust),
                Node::Enum(e) => self.enumeration(d, id, e, rust),
                Node::Fixed(f) => self.fixed(d, id, f, rust),
                _ => continue,
            };
            modules.entry(rust.module.clone()).or_default().push(item);
        }
        let mut unions: Vec<_> = self.unions.iter().collect();
        unions.sort_by(|a, b| {
            (&a.1.name.module, &a.1.name.name).cmp(&(&b.1.name.module, &b.1.name.name))
        });
        for (&(d, id), info) in unions {
            let item = self.union(d, id, info);
            modules
                .entry(info.name.module.clone())
                .or_default()
                .push(item);
        }
        let mut root = ModuleTree::default();
        for (path, items) in modules {
            let mut m = &mut root;
            for seg in &path {
                m = m.children.entry(seg.clone()).or_default();
            }
            m.items.extend(items);
        }
        let mut out = root.render(&self.rt, true);
        let mut warnings = Vec::new();
        if self.options.flat_reexports {
            let mut all: Vec<&RustName> = self.type_names.values().collect();
            all.extend(self.unions.values().map(|u| &u.name));
            all.sort_by(|a, b| (&a.name, &a.module).cmp(&(&b.name, &b.module)));
            // A name at the root is taken by the root-namespace type, or by the first
            // namespaced type re-exported under it; the others keep only their module path.
            let mut seen: HashMap<&str, &RustName> = all
                .iter()
                .filter(|n| n.module.is_empty())
                .map(|n| (n.name.as_str(), *n))
                .collect();
            for n in all {
                if n.module.is_empty() {
                    continue;
                }
                if let Some(taken) = seen.get(n.name.as_str()) {
                    warnings.push(format!(
                        "flat re-exports: `{}` is not re-exported at the root, where `{}` already \
                         has its name; use it as `{}`",
                        n.path(),
                        taken.path(),
                        n.path()
                    ));
                    continue;
                }
                seen.insert(&n.name, n);
                let segs = n.module.iter().map(|s| ident(s));
                let name = ident(&n.name);
                out.extend(quote!(pub use self::#(#segs::)*#name;));
            }
        }
        (out, warnings)
    }

    fn record(&self, d: usize, id: NodeId, r: &Record, rust: &RustName) -> TokenStream {
        let rt = &self.rt;
        let name = ident(&rust.name);
        let from = &rust.module;
        let doc = doc_attrs(r.doc.as_deref());
        let fields = field_idents(r);
        let serde_crate = self.serde_crate();
        let mut decls = Vec::new();
        let mut encodes = Vec::new();
        let mut decodes = Vec::new();
        let mut decodes_into = Vec::new();
        for (f, (fid, rename)) in r.fields.iter().zip(&fields) {
            let ty = self.ty(d, f.ty, from, Some(id), true);
            let fdoc = doc_attrs(f.doc.as_deref());
            let rename = rename.as_ref().map(|n| quote!(#[serde(rename = #n)]));
            let with = is_plain_bytes(&self.docs[d].schema, f.ty).then(|| {
                let path = format!("{}::serde_helpers::bytes", rt_string(rt));
                quote!(#[serde(with = #path)])
            });
            decls.push(quote!(#fdoc #rename #with pub #fid: #ty,));
            let enc = self.encode(d, f.ty, quote!(&self.#fid), Some(id), true);
            encodes.push(enc);
            let dec = self.decode(d, f.ty, Some(id), true);
            decodes.push(quote!(#fid: #dec,));
            decodes_into.push(self.decode_into(d, f.ty, quote!(self.#fid), Some(id), true, 0));
        }
        // A type that can contain itself nests as deep as the input says: bound it.
        let recursive = reaches(&self.docs[d].schema, id, id, &mut HashSet::new());
        let (enter, leave, decode_body) = if recursive {
            (
                quote!(r.enter()?;),
                quote!(r.leave();),
                quote! {
                    r.enter()?;
                    let value = Self { #(#decodes)* };
                    r.leave();
                    ::std::result::Result::Ok(value)
                },
            )
        } else {
            (
                TokenStream::new(),
                TokenStream::new(),
                quote!(::std::result::Result::Ok(Self { #(#decodes)* })),
            )
        };
        // Defaults that are all the Rust types' own are derived, as clippy asks.
        let schema = &self.docs[d].schema;
        let (derive_default, default) = if r.fields.iter().all(|f| {
            f.default
                .as_ref()
                .is_some_and(|v| is_zero_default(schema, f.ty, v))
        }) {
            (quote!(::std::default::Default,), None)
        } else {
            (
                TokenStream::new(),
                self.record_default(d, id, r, &name, from),
            )
        };
        let schema_consts = self.avro_type(d, id, rust);
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #derive_default #rt::serde::Serialize, #rt::serde::Deserialize)]
            #[serde(crate = #serde_crate)]
            pub struct #name { #(#decls)* }

            impl #rt::avro::AvroEncode for #name {
                #[inline]
                fn avro_encode(&self, out: &mut ::std::vec::Vec<u8>) { #(#encodes)* }
            }

            impl #rt::avro::AvroDecode for #name {
                #[inline]
                fn avro_decode(r: &mut #rt::avro::Reader<'_>) -> ::std::result::Result<Self, #rt::avro::DecodeError> {
                    #decode_body
                }

                #[inline]
                fn avro_decode_into(&mut self, r: &mut #rt::avro::Reader<'_>) -> ::std::result::Result<(), #rt::avro::DecodeError> {
                    #enter
                    #(#decodes_into)*
                    #leave
                    ::std::result::Result::Ok(())
                }
            }

            #schema_consts
            #default
        }
    }

    fn record_default(
        &self,
        d: usize,
        id: NodeId,
        r: &Record,
        name: &proc_macro2::Ident,
        from: &[String],
    ) -> Option<TokenStream> {
        let fields = field_idents(r);
        let mut inits = Vec::new();
        for (f, (fid, _)) in r.fields.iter().zip(&fields) {
            let value = f.default.as_ref()?;
            let e = self.default_expr(d, f.ty, value, from, Some(id), true)?;
            inits.push(quote!(#fid: #e,));
        }
        Some(quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self { Self { #(#inits)* } }
            }
        })
    }

    fn enumeration(
        &self,
        d: usize,
        id: NodeId,
        e: &crate::schema::avro::Enum,
        rust: &RustName,
    ) -> TokenStream {
        let rt = &self.rt;
        let name = ident(&rust.name);
        let doc = doc_attrs(e.doc.as_deref());
        let variants = enum_variants(&e.symbols);
        let serde_crate = self.serde_crate();
        let decls = e.symbols.iter().zip(&variants).map(|(s, v)| {
            let is_default = e.default.as_deref() == Some(s.as_str());
            let default = is_default.then(|| quote!(#[default]));
            quote!(#default #[serde(rename = #s)] #v,)
        });
        let derive_default = e.default.as_ref().map(|_| quote!(::std::default::Default,));
        let n = e.symbols.len();
        let enc_arms = variants.iter().enumerate().map(|(i, v)| {
            let i = Literal::i64_unsuffixed(i as i64);
            quote!(Self::#v => #i,)
        });
        // The index is checked against the symbol count, so the last arm can be the fallback.
        let dec_arms = variants.iter().enumerate().map(|(i, v)| {
            if i + 1 == n {
                quote!(_ => Self::#v,)
            } else {
                let i = Literal::usize_unsuffixed(i);
                quote!(#i => Self::#v,)
            }
        });
        let schema_consts = self.avro_type(d, id, rust);
        quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default #rt::serde::Serialize, #rt::serde::Deserialize)]
            #[serde(crate = #serde_crate)]
            pub enum #name { #(#decls)* }

            impl #rt::avro::AvroEncode for #name {
                #[inline]
                fn avro_encode(&self, out: &mut ::std::vec::Vec<u8>) {
                    #rt::avro::write_long(out, match self { #(#enc_arms)* });
                }
            }

            impl #rt::avro::AvroDecode for #name {
                #[inline]
                fn avro_decode(r: &mut #rt::avro::Reader<'_>) -> ::std::result::Result<Self, #rt::avro::DecodeError> {
                    ::std::result::Result::Ok(match r.read_enum_index(#n)? { #(#dec_arms)* })
                }
            }

            #schema_consts
        }
    }

    fn fixed(
        &self,
        d: usize,
        id: NodeId,
        f: &crate::schema::avro::Fixed,
        rust: &RustName,
    ) -> TokenStream {
        let rt = &self.rt;
        let name = ident(&rust.name);
        let doc = doc_attrs(f.doc.as_deref());
        let size = f.size;
        let serde_crate = self.serde_crate();
        let with = format!("{}::serde_helpers::fixed", rt_string(rt));
        let schema_consts = self.avro_type(d, id, rust);
        // `[u8; N]` is `Default` up to 32 bytes, where clippy wants it derived
        // (`derivable_impls`); past that it must be written out.
        let (derive_default, impl_default) = if size <= 32 {
            (quote!(::std::default::Default,), TokenStream::new())
        } else {
            (
                TokenStream::new(),
                quote! {
                    impl ::std::default::Default for #name {
                        fn default() -> Self { Self([0; #size]) }
                    }
                },
            )
        };
        quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default #rt::serde::Serialize, #rt::serde::Deserialize)]
            #[serde(crate = #serde_crate, transparent)]
            pub struct #name(#[serde(with = #with)] pub [u8; #size]);

            #impl_default

            impl #rt::avro::AvroEncode for #name {
                #[inline]
                fn avro_encode(&self, out: &mut ::std::vec::Vec<u8>) { #rt::avro::write_fixed(out, &self.0); }
            }

            impl #rt::avro::AvroDecode for #name {
                #[inline]
                fn avro_decode(r: &mut #rt::avro::Reader<'_>) -> ::std::result::Result<Self, #rt::avro::DecodeError> {
                    ::std::result::Result::Ok(Self(r.read_array_bytes::<#size>()?))
                }
            }

            #schema_consts
        }
    }

    fn union(&self, d: usize, id: NodeId, info: &UnionInfo) -> TokenStream {
        let rt = &self.rt;
        let Node::Union { branches } = self.docs[d].schema.node(id) else {
            return TokenStream::new();
        };
        let name = ident(&info.name.name);
        let from = &info.name.module;
        let variants = self.union_variants(d, branches);
        let serde_crate = self.serde_crate();
        let n = branches.len();
        let mut decls = Vec::new();
        let mut enc_arms = Vec::new();
        let mut dec_arms = Vec::new();
        for (i, (b, v)) in branches.iter().zip(&variants).enumerate() {
            let v = ident(v);
            let idx = Literal::i64_unsuffixed(i as i64);
            let pat = if i + 1 == n {
                quote!(_)
            } else {
                let i = Literal::usize_unsuffixed(i);
                quote!(#i)
            };
            if is_null(&self.docs[d].schema, *b) {
                decls.push(quote!(#v,));
                enc_arms.push(quote!(Self::#v => #rt::avro::write_long(out, #idx),));
                dec_arms.push(quote!(#pat => Self::#v,));
            } else {
                let ty = self.ty(d, *b, from, info.enclosing, true);
                let with = is_plain_bytes(&self.docs[d].schema, *b).then(|| {
                    let path = format!("{}::serde_helpers::bytes", rt_string(rt));
                    quote!(#[serde(with = #path)])
                });
                decls.push(quote!(#v(#with #ty),));
                let enc = self.encode(d, *b, quote!(v), info.enclosing, true);
                enc_arms.push(quote!(Self::#v(v) => { #rt::avro::write_long(out, #idx); #enc }));
                let dec = self.decode(d, *b, info.enclosing, true);
                dec_arms.push(quote!(#pat => Self::#v(#dec),));
            }
        }
        quote! {
            #[derive(Debug, Clone, PartialEq, #rt::serde::Serialize, #rt::serde::Deserialize)]
            #[serde(crate = #serde_crate, untagged)]
            pub enum #name { #(#decls)* }

            impl #rt::avro::AvroEncode for #name {
                #[inline]
                fn avro_encode(&self, out: &mut ::std::vec::Vec<u8>) {
                    match self { #(#enc_arms)* }
                }
            }

            impl #rt::avro::AvroDecode for #name {
                #[inline]
                fn avro_decode(r: &mut #rt::avro::Reader<'_>) -> ::std::result::Result<Self, #rt::avro::DecodeError> {
                    ::std::result::Result::Ok(match r.read_union_index(#n)? { #(#dec_arms)* })
                }
            }
        }
    }

    /// What the type at `id` registers as: its schema text, subject and references.
    fn registered_form(&self, d: usize, id: NodeId) -> RegisteredForm {
        let doc = &self.docs[d];
        let full = doc
            .schema
            .node(id)
            .name()
            .map(|n| n.full_name())
            .unwrap_or_default();
        // The canonical form once, for the fingerprint and (for a nested type) as its schema.
        let canonical = doc.schema.canonical_form_at(id);
        let fingerprint = crate::schema::avro::rabin_fingerprint(canonical.as_bytes());
        let is_root = doc.schema.root() == id;
        let schema = if is_root {
            doc.text.trim().to_string()
        } else {
            canonical
        };
        let strategy = self.options.strategy(&doc.source);
        let references = if is_root {
            // The project's reference subject, else the one the referenced type names itself.
            doc.references
                .iter()
                .map(|r| {
                    let subject = match self.options.reference_subject(&doc.source, r) {
                        Some(s) => s.to_string(),
                        None => self
                            .defined
                            .get(r)
                            .map_or(strategy, |&(d, _)| {
                                self.options.strategy(&self.docs[d].source)
                            })
                            .subject(r),
                    };
                    (r.clone(), subject)
                })
                .collect()
        } else {
            Vec::new()
        };
        RegisteredForm {
            subject: strategy.subject(&full),
            full_name: full,
            schema,
            references,
            is_root,
            fingerprint,
        }
    }

    /// The `AvroType` impl: schema text, full name, subject, fingerprint, pinned id, references.
    fn avro_type(&self, d: usize, id: NodeId, rust: &RustName) -> TokenStream {
        let rt = &self.rt;
        let name = ident(&rust.name);
        let form = self.registered_form(d, id);
        let RegisteredForm {
            full_name: full,
            schema,
            subject,
            ..
        } = &form;
        let fingerprint = Literal::u64_suffixed(form.fingerprint);
        let source = &self.docs[d].source;
        let pinned = match self.options.pinned_id(source, &form.subject, form.is_root) {
            Some(id) => quote!(::std::option::Option::Some(#id)),
            None => quote!(::std::option::Option::None),
        };
        // Each reference points at the referenced type's own constants, so the tree of
        // references (and their schema texts) is built by the compiler, transitively.
        let references: Vec<TokenStream> = form
            .references
            .iter()
            .map(|(r, s)| {
                let path = self.named_path(r, &rust.module);
                quote! {
                    #rt::avro::Reference {
                        name: #r,
                        subject: #s,
                        schema: <#path as #rt::avro::AvroType>::SCHEMA,
                        references: <#path as #rt::avro::AvroType>::REFERENCES,
                    },
                }
            })
            .collect();
        let references = (!references.is_empty()).then(
            || quote!(const REFERENCES: &'static [#rt::avro::Reference] = &[#(#references)*];),
        );
        quote! {
            impl #rt::avro::AvroType for #name {
                const SCHEMA: &'static str = #schema;
                const FULL_NAME: &'static str = #full;
                const SUBJECT: &'static str = #subject;
                const FINGERPRINT: u64 = #fingerprint;
                const SCHEMA_ID: ::std::option::Option<u32> = #pinned;
                #references
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Types, encoders and decoders of a schema node

    fn ty(
        &self,
        d: usize,
        id: NodeId,
        from: &[String],
        encl: Option<NodeId>,
        boxable: bool,
    ) -> TokenStream {
        let schema = &self.docs[d].schema;
        let rt = &self.rt;
        match schema.node(id) {
            Node::Primitive { primitive, logical } => {
                self.primitive_ty(*primitive, logical.as_ref())
            }
            Node::Fixed(f) => match &f.logical {
                Some(LogicalType::Decimal { scale, .. }) => quote!(#rt::logical::Decimal<#scale>),
                Some(LogicalType::Duration) => quote!(#rt::logical::Duration),
                _ => self.named_path(&f.name.full_name(), from),
            },
            Node::Enum(e) => self.named_path(&e.name.full_name(), from),
            Node::Record(r) => {
                let path = self.named_path(&r.name.full_name(), from);
                if self.needs_box(d, id, encl, boxable) {
                    quote!(::std::boxed::Box<#path>)
                } else {
                    path
                }
            }
            Node::Array { items } => {
                let t = self.ty(d, *items, from, encl, false);
                quote!(::std::vec::Vec<#t>)
            }
            Node::Map { values } => {
                let t = self.ty(d, *values, from, encl, false);
                quote!(::std::collections::HashMap<::std::string::String, #t>)
            }
            Node::Union { branches } => match optional(schema, branches) {
                Some((_, other)) => {
                    let t = self.ty(d, other, from, encl, boxable);
                    quote!(::std::option::Option<#t>)
                }
                None => match self.unions.get(&(d, id)) {
                    Some(info) => self.rust_path(&info.name, from),
                    None => quote!(()),
                },
            },
        }
    }

    fn primitive_ty(&self, p: Primitive, logical: Option<&LogicalType>) -> TokenStream {
        let rt = &self.rt;
        if let Some(l) = logical_newtype(p, logical) {
            return match l {
                Logical::Decimal(scale) => quote!(#rt::logical::Decimal<#scale>),
                Logical::Named(n) => {
                    let n = format_ident!("{}", n);
                    quote!(#rt::logical::#n)
                }
            };
        }
        match p {
            Primitive::Null => quote!(()),
            Primitive::Boolean => quote!(bool),
            Primitive::Int => quote!(i32),
            Primitive::Long => quote!(i64),
            Primitive::Float => quote!(f32),
            Primitive::Double => quote!(f64),
            Primitive::Bytes => quote!(::std::vec::Vec<u8>),
            Primitive::String => quote!(::std::string::String),
        }
    }

    /// Statements writing the value at `v` (an expression of type `&T`) to `out`.
    fn encode(
        &self,
        d: usize,
        id: NodeId,
        v: TokenStream,
        encl: Option<NodeId>,
        boxable: bool,
    ) -> TokenStream {
        let schema = &self.docs[d].schema;
        let rt = &self.rt;
        let avro = quote!(#rt::avro);
        match schema.node(id) {
            Node::Primitive { primitive, logical } => {
                if logical_newtype(*primitive, logical.as_ref()).is_some() {
                    return quote!(#avro::AvroEncode::avro_encode(#v, out););
                }
                match primitive {
                    Primitive::Null => quote!(let _ = #v;),
                    Primitive::Boolean => {
                        let v = deref(&v);
                        quote!(#avro::write_bool(out, #v);)
                    }
                    Primitive::Int => {
                        let v = deref(&v);
                        quote!(#avro::write_int(out, #v);)
                    }
                    Primitive::Long => {
                        let v = deref(&v);
                        quote!(#avro::write_long(out, #v);)
                    }
                    Primitive::Float => {
                        let v = deref(&v);
                        quote!(#avro::write_float(out, #v);)
                    }
                    Primitive::Double => {
                        let v = deref(&v);
                        quote!(#avro::write_double(out, #v);)
                    }
                    Primitive::Bytes => quote!(#avro::write_bytes(out, #v);),
                    Primitive::String => quote!(#avro::write_str(out, #v);),
                }
            }
            Node::Fixed(f) => match &f.logical {
                Some(LogicalType::Decimal { .. }) => {
                    let size = f.size;
                    let v = deref(&v);
                    let receiver = if v.to_string().starts_with('*') {
                        quote!((#v))
                    } else {
                        v
                    };
                    quote!(#receiver.write_fixed(out, #size);)
                }
                _ => quote!(#avro::AvroEncode::avro_encode(#v, out);),
            },
            Node::Record(_) if self.needs_box(d, id, encl, boxable) => {
                quote!(#avro::AvroEncode::avro_encode(&**#v, out);)
            }
            Node::Record(_) | Node::Enum(_) => quote!(#avro::AvroEncode::avro_encode(#v, out);),
            Node::Array { items } => {
                let inner = self.encode(d, *items, quote!(v), encl, false);
                quote!(#avro::write_array(out, #v, |out, v| { #inner });)
            }
            Node::Map { values } => {
                let inner = self.encode(d, *values, quote!(v), encl, false);
                quote!(#avro::write_map(out, #v, |out, v| { #inner });)
            }
            Node::Union { branches } => match optional(schema, branches) {
                Some((null_idx, other)) => {
                    let some_idx = Literal::i64_unsuffixed(1 - null_idx as i64);
                    let null_idx = Literal::i64_unsuffixed(null_idx as i64);
                    let inner = self.encode(d, other, quote!(v), encl, boxable);
                    quote! {
                        match #v {
                            ::std::option::Option::Some(v) => { #avro::write_long(out, #some_idx); #inner }
                            ::std::option::Option::None => #avro::write_long(out, #null_idx),
                        }
                    }
                }
                None => quote!(#avro::AvroEncode::avro_encode(#v, out);),
            },
        }
    }

    /// An expression reading a value of the node's type from `r`.
    fn decode(&self, d: usize, id: NodeId, encl: Option<NodeId>, boxable: bool) -> TokenStream {
        let schema = &self.docs[d].schema;
        let rt = &self.rt;
        let avro = quote!(#rt::avro);
        let via_trait = quote!(#avro::AvroDecode::avro_decode(r)?);
        match schema.node(id) {
            Node::Primitive { primitive, logical } => {
                if logical_newtype(*primitive, logical.as_ref()).is_some() {
                    return via_trait;
                }
                match primitive {
                    Primitive::Null => quote!(()),
                    Primitive::Boolean => quote!(r.read_bool()?),
                    Primitive::Int => quote!(r.read_int()?),
                    Primitive::Long => quote!(r.read_long()?),
                    Primitive::Float => quote!(r.read_float()?),
                    Primitive::Double => quote!(r.read_double()?),
                    Primitive::Bytes => quote!(r.read_bytes()?),
                    Primitive::String => quote!(r.read_string()?),
                }
            }
            Node::Fixed(f) => match &f.logical {
                Some(LogicalType::Decimal { scale, .. }) => {
                    let size = f.size;
                    quote!(#rt::logical::Decimal::<#scale>::read_fixed(r, #size)?)
                }
                _ => via_trait,
            },
            Node::Record(_) if self.needs_box(d, id, encl, boxable) => {
                quote!(::std::boxed::Box::new(#via_trait))
            }
            Node::Record(_) | Node::Enum(_) => via_trait,
            Node::Array { items } => {
                let zero = schema.encodes_empty(*items);
                let inner = self.decode(d, *items, encl, false);
                let inner = reader_fn(inner);
                quote!(#avro::read_array(r, #zero, #inner)?)
            }
            Node::Map { values } => {
                let inner = self.decode(d, *values, encl, false);
                let inner = reader_fn(inner);
                quote!(#avro::read_map(r, #inner)?)
            }
            Node::Union { branches } => match optional(schema, branches) {
                Some((null_idx, other)) => {
                    let null_idx = Literal::usize_unsuffixed(null_idx);
                    let inner = self.decode(d, other, encl, boxable);
                    quote! {
                        match r.read_union_index(2)? {
                            #null_idx => ::std::option::Option::None,
                            _ => ::std::option::Option::Some(#inner),
                        }
                    }
                }
                None => via_trait,
            },
        }
    }

    /// A statement reading a value of the node's type into the place `lvalue` (`self.f`,
    /// `*slot0`), reusing the heap buffers already there. Types without buffers to reuse are
    /// read fresh and assigned.
    fn decode_into(
        &self,
        d: usize,
        id: NodeId,
        lvalue: TokenStream,
        encl: Option<NodeId>,
        boxable: bool,
        depth: usize,
    ) -> TokenStream {
        let schema = &self.docs[d].schema;
        let rt = &self.rt;
        let avro = quote!(#rt::avro);
        let slot = format_ident!("slot{}", depth);
        match schema.node(id) {
            Node::Primitive {
                primitive: Primitive::String,
                logical: None,
            } => quote!(r.read_string_into(&mut #lvalue)?;),
            Node::Primitive {
                primitive: Primitive::Bytes,
                logical: None,
            } => quote!(r.read_bytes_into(&mut #lvalue)?;),
            Node::Record(_) => {
                let target = if self.needs_box(d, id, encl, boxable) {
                    quote!(&mut *#lvalue)
                } else {
                    quote!(&mut #lvalue)
                };
                quote!(#avro::AvroDecode::avro_decode_into(#target, r)?;)
            }
            Node::Array { items } => {
                let zero = schema.encodes_empty(*items);
                let fresh = reader_fn(self.decode(d, *items, encl, false));
                let into = self.decode_into(d, *items, quote!(*#slot), encl, false, depth + 1);
                quote! {
                    #avro::read_array_into(
                        r,
                        &mut #lvalue,
                        #zero,
                        #fresh,
                        |r, #slot| { #into ::std::result::Result::Ok(()) },
                    )?;
                }
            }
            Node::Union { branches } if optional(schema, branches).is_some() => {
                let (null_idx, other) = optional(schema, branches).expect("checked");
                let null_idx = Literal::usize_unsuffixed(null_idx);
                let fresh = self.decode(d, other, encl, boxable);
                let into = self.decode_into(d, other, quote!(*#slot), encl, boxable, depth + 1);
                quote! {
                    match (r.read_union_index(2)?, &mut #lvalue) {
                        (#null_idx, #slot) => *#slot = ::std::option::Option::None,
                        (_, ::std::option::Option::Some(#slot)) => { #into }
                        (_, #slot) => *#slot = ::std::option::Option::Some(#fresh),
                    }
                }
            }
            _ => {
                let fresh = self.decode(d, id, encl, boxable);
                quote!(#lvalue = #fresh;)
            }
        }
    }

    /// A Rust expression for an Avro default value, or `None` when it cannot be expressed as
    /// a constant (then the type gets no `Default`).
    fn default_expr(
        &self,
        d: usize,
        id: NodeId,
        value: &Value,
        from: &[String],
        encl: Option<NodeId>,
        boxable: bool,
    ) -> Option<TokenStream> {
        let schema = &self.docs[d].schema;
        let rt = &self.rt;
        Some(match schema.node(id) {
            Node::Primitive { primitive, logical } => {
                if let Some(l) = logical_newtype(*primitive, logical.as_ref()) {
                    let n = match l {
                        Logical::Decimal(scale) => return decimal_default(rt, scale, value),
                        Logical::Named("Uuid") => {
                            let uuid: crate::runtime::logical::Uuid =
                                value.as_str()?.parse().ok()?;
                            // The text as written: a default is encoded as it is spelled.
                            let text = proc_macro2::Literal::byte_string(uuid.as_str().as_bytes());
                            return Some(quote!(#rt::logical::Uuid::from_checked_text(*#text)));
                        }
                        Logical::Named(n) => n,
                    };
                    let n = format_ident!("{}", n);
                    // The JSON of a logical type's default is its primitive's.
                    let inner = primitive_default(*primitive, value)?;
                    return Some(quote!(#rt::logical::#n(#inner)));
                }
                primitive_default(*primitive, value)?
            }
            Node::Fixed(f) => {
                let bytes = default_bytes(value)?;
                if bytes.len() != f.size {
                    return None;
                }
                match &f.logical {
                    Some(LogicalType::Decimal { scale, .. }) => {
                        return decimal_default(rt, *scale, value)
                    }
                    Some(LogicalType::Duration) => {
                        let part = |i: usize| {
                            u32::from_le_bytes(bytes[i..i + 4].try_into().expect("12 bytes"))
                        };
                        let (months, days, millis) = (part(0), part(4), part(8));
                        return Some(quote! {
                            #rt::logical::Duration { months: #months, days: #days, millis: #millis }
                        });
                    }
                    _ => {}
                }
                let path = self.named_path(&f.name.full_name(), from);
                quote!(#path([#(#bytes),*]))
            }
            Node::Enum(e) => {
                let s = value.as_str()?;
                let i = e.symbols.iter().position(|x| x == s)?;
                let v = &enum_variants(&e.symbols)[i];
                let path = self.named_path(&e.name.full_name(), from);
                quote!(#path::#v)
            }
            Node::Record(r) => {
                let obj = value.as_object()?;
                let path = self.named_path(&r.name.full_name(), from);
                let mut inits = Vec::new();
                for (f, (fid, _)) in r.fields.iter().zip(field_idents(r)) {
                    let v = obj.get(&f.name).or(f.default.as_ref())?;
                    let e = self.default_expr(d, f.ty, v, from, Some(id), true)?;
                    inits.push(quote!(#fid: #e,));
                }
                let e = quote!(#path { #(#inits)* });
                if self.needs_box(d, id, encl, boxable) {
                    quote!(::std::boxed::Box::new(#e))
                } else {
                    e
                }
            }
            Node::Array { items } => {
                let items: Option<Vec<_>> = value
                    .as_array()?
                    .iter()
                    .map(|v| self.default_expr(d, *items, v, from, encl, false))
                    .collect();
                let items = items?;
                quote!(::std::vec![#(#items),*])
            }
            Node::Map { values } => {
                let entries: Option<Vec<_>> = value
                    .as_object()?
                    .iter()
                    .map(|(k, v)| {
                        let e = self.default_expr(d, *values, v, from, encl, false)?;
                        Some(quote!((::std::string::String::from(#k), #e)))
                    })
                    .collect();
                let entries = entries?;
                quote!(::std::collections::HashMap::from([#(#entries),*]))
            }
            Node::Union { branches } => match optional(schema, branches) {
                Some((_, other)) => {
                    if value.is_null() {
                        quote!(::std::option::Option::None)
                    } else {
                        let e = self.default_expr(d, other, value, from, encl, boxable)?;
                        quote!(::std::option::Option::Some(#e))
                    }
                }
                None => {
                    // A union's default is a value of its first branch.
                    let info = self.unions.get(&(d, id))?;
                    let path = self.rust_path(&info.name, from);
                    let v = ident(&self.union_variants(d, branches)[0]);
                    if is_null(schema, branches[0]) {
                        quote!(#path::#v)
                    } else {
                        let e =
                            self.default_expr(d, branches[0], value, from, info.enclosing, true)?;
                        quote!(#path::#v(#e))
                    }
                }
            },
        })
    }

    // -----------------------------------------------------------------------------------------
    // Helpers

    fn serde_crate(&self) -> String {
        format!("{}::serde", rt_string(&self.rt))
    }

    fn named_path(&self, full: &str, from: &[String]) -> TokenStream {
        match self.type_names.get(full) {
            Some(n) => self.rust_path(n, from),
            None => quote!(()),
        }
    }

    /// A relative path from module `from` to a generated item, so that the generated file
    /// works wherever it is included.
    fn rust_path(&self, target: &RustName, from: &[String]) -> TokenStream {
        let common = from
            .iter()
            .zip(&target.module)
            .take_while(|(a, b)| a == b)
            .count();
        let supers = (common..from.len()).map(|_| quote!(super::));
        let segs = target.module[common..].iter().map(|s| ident(s));
        let name = ident(&target.name);
        quote!(#(#supers)* #(#segs::)* #name)
    }

    /// A record used in a field of `encl` (directly or through options and unions) must be
    /// boxed when it can contain `encl` again, or the type would have infinite size.
    fn needs_box(&self, d: usize, id: NodeId, encl: Option<NodeId>, boxable: bool) -> bool {
        let Some(encl) = encl else { return false };
        boxable && (id == encl || reaches(&self.docs[d].schema, id, encl, &mut HashSet::new()))
    }

    fn union_variants(&self, d: usize, branches: &[NodeId]) -> Vec<String> {
        let schema = &self.docs[d].schema;
        let mut taken = HashSet::new();
        branches
            .iter()
            .map(|&b| {
                let base = match schema.node(b) {
                    Node::Primitive { primitive, logical } => {
                        match logical_newtype(*primitive, logical.as_ref()) {
                            Some(Logical::Named(n)) => n.to_string(),
                            Some(Logical::Decimal(_)) => "Decimal".to_string(),
                            None => camel(primitive.name()),
                        }
                    }
                    Node::Array { .. } => "Array".to_string(),
                    Node::Map { .. } => "Map".to_string(),
                    Node::Union { .. } => "Union".to_string(),
                    n => n.name().map(|n| camel(&n.name)).unwrap_or_default(),
                };
                unique(base, &mut taken)
            })
            .collect()
    }
}

#[derive(Default)]
struct ModuleTree {
    items: Vec<TokenStream>,
    children: BTreeMap<String, ModuleTree>,
}

impl ModuleTree {
    fn render(&self, rt: &TokenStream, root: bool) -> TokenStream {
        let items = &self.items;
        let children = self.children.iter().map(|(name, m)| {
            let name = ident(name);
            let body = m.render(rt, false);
            quote!(pub mod #name { #body })
        });
        let _ = (rt, root);
        quote!(#(#items)* #(#children)*)
    }
}

enum Logical {
    Decimal(u32),
    Named(&'static str),
}

/// The runtime newtype for a logical type on a primitive, if it has one.
fn logical_newtype(p: Primitive, logical: Option<&LogicalType>) -> Option<Logical> {
    Some(match (logical?, p) {
        (LogicalType::Decimal { scale, .. }, Primitive::Bytes) => Logical::Decimal(*scale),
        (LogicalType::Uuid, Primitive::String) => Logical::Named("Uuid"),
        (LogicalType::Date, Primitive::Int) => Logical::Named("Date"),
        (LogicalType::TimeMillis, Primitive::Int) => Logical::Named("TimeMillis"),
        (LogicalType::TimeMicros, Primitive::Long) => Logical::Named("TimeMicros"),
        (LogicalType::TimestampMillis, Primitive::Long) => Logical::Named("TimestampMillis"),
        (LogicalType::TimestampMicros, Primitive::Long) => Logical::Named("TimestampMicros"),
        (LogicalType::TimestampNanos, Primitive::Long) => Logical::Named("TimestampNanos"),
        (LogicalType::LocalTimestampMillis, Primitive::Long) => {
            Logical::Named("LocalTimestampMillis")
        }
        (LogicalType::LocalTimestampMicros, Primitive::Long) => {
            Logical::Named("LocalTimestampMicros")
        }
        (LogicalType::LocalTimestampNanos, Primitive::Long) => {
            Logical::Named("LocalTimestampNanos")
        }
        _ => return None,
    })
}

/// A fixed whose logical type maps to a runtime type generates no type of its own.
fn logical_fixed(node: &Node) -> bool {
    matches!(
        node,
        Node::Fixed(f) if matches!(f.logical, Some(LogicalType::Decimal { .. } | LogicalType::Duration))
    )
}

/// A decimal's default is its two's-complement bytes, written as a JSON string of code points
/// 0–255 (the same for `bytes` and `fixed`).
fn decimal_default(rt: &TokenStream, scale: u32, value: &Value) -> Option<TokenStream> {
    let bytes = default_bytes(value)?;
    let unscaled = crate::runtime::logical::Decimal::<0>::from_be_bytes(&bytes)
        .ok()?
        .unscaled;
    let unscaled = Literal::i128_suffixed(unscaled);
    Some(quote!(#rt::logical::Decimal::<#scale>::new(#unscaled)))
}

fn primitive_default(p: Primitive, value: &Value) -> Option<TokenStream> {
    Some(match p {
        Primitive::Null => quote!(()),
        Primitive::Boolean => {
            let b = value.as_bool()?;
            quote!(#b)
        }
        Primitive::Int => {
            let i = i32::try_from(value.as_i64()?).ok()?;
            quote!(#i)
        }
        Primitive::Long => {
            let i = value.as_i64()?;
            quote!(#i)
        }
        Primitive::Float => {
            let f = value.as_f64()? as f32;
            if !f.is_finite() {
                return None;
            }
            let l = Literal::f32_suffixed(f);
            quote!(#l)
        }
        Primitive::Double => {
            let f = value.as_f64()?;
            if !f.is_finite() {
                return None;
            }
            let l = Literal::f64_suffixed(f);
            quote!(#l)
        }
        Primitive::Bytes => {
            let b = default_bytes(value)?;
            quote!(::std::vec![#(#b),*])
        }
        Primitive::String => {
            let s = value.as_str()?;
            quote!(::std::string::String::from(#s))
        }
    })
}

/// `["null", T]` or `[T, "null"]`: the index of null and the other branch.
/// Whether `value`, the default of a field of type `ty`, is what the generated Rust type's own
/// `Default` gives: zero, `false`, empty, or `None` for an optional field.
fn is_zero_default(schema: &AvroSchema, ty: NodeId, value: &serde_json::Value) -> bool {
    match schema.node(ty) {
        Node::Primitive {
            primitive,
            logical: None,
        } => match primitive {
            Primitive::Null => value.is_null(),
            Primitive::Boolean => value.as_bool() == Some(false),
            Primitive::Int | Primitive::Long => value.as_i64() == Some(0),
            Primitive::Float | Primitive::Double => value
                .as_f64()
                .is_some_and(|x| x == 0.0 && x.is_sign_positive()),
            Primitive::String | Primitive::Bytes => value.as_str() == Some(""),
        },
        Node::Array { .. } => value.as_array().is_some_and(Vec::is_empty),
        Node::Map { .. } => value.as_object().is_some_and(serde_json::Map::is_empty),
        Node::Union { branches } => {
            matches!(optional(schema, branches), Some((0, _))) && value.is_null()
        }
        _ => false,
    }
}

fn optional(schema: &AvroSchema, branches: &[NodeId]) -> Option<(usize, NodeId)> {
    match branches {
        [a, b] if is_null(schema, *a) && !is_null(schema, *b) => Some((0, *b)),
        [a, b] if is_null(schema, *b) && !is_null(schema, *a) => Some((1, *a)),
        _ => None,
    }
}

fn is_null(schema: &AvroSchema, id: NodeId) -> bool {
    matches!(
        schema.node(id),
        Node::Primitive {
            primitive: Primitive::Null,
            ..
        }
    )
}

fn is_plain_bytes(schema: &AvroSchema, id: NodeId) -> bool {
    matches!(
        schema.node(id),
        Node::Primitive {
            primitive: Primitive::Bytes,
            logical: None
        }
    )
}

/// Whether `target` can be reached from `from` through the schema graph.
fn reaches(schema: &AvroSchema, from: NodeId, target: NodeId, seen: &mut HashSet<NodeId>) -> bool {
    if !seen.insert(from) {
        return false;
    }
    let children: Vec<NodeId> = match schema.node(from) {
        Node::Record(r) => r.fields.iter().map(|f| f.ty).collect(),
        Node::Array { items } => vec![*items],
        Node::Map { values } => vec![*values],
        Node::Union { branches } => branches.clone(),
        _ => Vec::new(),
    };
    children
        .into_iter()
        .any(|c| c == target || reaches(schema, c, target, seen))
}

/// Field identifiers and, where the Rust name differs from the Avro name, the serde rename.
fn field_idents(r: &Record) -> Vec<(proc_macro2::Ident, Option<String>)> {
    let mut taken = HashSet::new();
    r.fields
        .iter()
        .map(|f| {
            let name = unique(snake(&f.name), &mut taken);
            let rename = (name != f.name).then(|| f.name.clone());
            (ident(&name), rename)
        })
        .collect()
}

fn enum_variants(symbols: &[String]) -> Vec<proc_macro2::Ident> {
    let mut taken = HashSet::new();
    symbols
        .iter()
        .map(|s| ident(&unique(camel(s), &mut taken)))
        .collect()
}

fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let lines = doc.lines().map(|l| format!(" {}", l.trim_end()));
    quote!(#(#[doc = #lines])*)
}

fn rt_string(rt: &TokenStream) -> String {
    rt.to_string().replace(' ', "")
}
