//! `schemactl-build`: what a producer's `build.rs` calls to generate Rust types, with the
//! Confluent wire format built in, from Avro, Protobuf and JSON schemas — `prost-build` for all.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     schemactl_build::Config::new()
//!         .avro(["schemas/user.avsc"])
//!         .protobuf(["schemas/order.proto"], ["schemas"])
//!         .json(["schemas/payment.json"])
//!         .compile()?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate:
//!
//! ```ignore
//! pub mod avro { include!(concat!(env!("OUT_DIR"), "/schemactl_avro.rs")); }
//! pub mod proto { include!(concat!(env!("OUT_DIR"), "/schemactl_protobuf.rs")); }
//! pub mod json { include!(concat!(env!("OUT_DIR"), "/schemactl_json.rs")); }
//! ```
//!
//! Every input gets `cargo:rerun-if-changed`; an invalid schema fails the build with its file,
//! line and message; output files whose content did not change are not rewritten.

use std::fmt;
use std::path::{Path, PathBuf};

use schemactl::codegen::{self, avro::AvroInput, CodegenError, Options};

#[cfg(feature = "project")]
mod project;

pub use schemactl::codegen::protobuf::prost_build;
pub use schemactl::codegen::SubjectStrategy;
pub use schemactl::schema;

/// File name of the generated Avro module in the output directory.
pub const AVRO_FILE: &str = "schemactl_avro.rs";
/// File name of the generated Protobuf module in the output directory.
pub const PROTOBUF_FILE: &str = "schemactl_protobuf.rs";
/// File name of the generated JSON Schema module in the output directory.
pub const JSON_FILE: &str = "schemactl_json.rs";

/// Why code generation failed. Its `Debug` form is its message, so that a `build.rs` returning
/// `Result<(), Box<dyn Error>>` prints the file, line and message rather than a struct dump.
pub struct Error(CodegenError);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<CodegenError> for Error {
    fn from(e: CodegenError) -> Self {
        Error(e)
    }
}

impl Error {
    /// The underlying error.
    pub fn kind(&self) -> &CodegenError {
        &self.0
    }
}

/// Where [`Config::pin_ids_from`] takes schema ids from. A path is a lock file.
#[derive(Clone, PartialEq, Eq)]
pub enum IdSource {
    /// A JSON object of subject to schema id.
    LockFile(PathBuf),
    /// A registry URL (credentials and TLS from the `SCHEMA_REGISTRY_*` environment
    /// variables, as for the CLI) or the path of an embedded store (which needs `schemactl`'s
    /// `registry` feature); see [`registry`].
    #[cfg(feature = "registry")]
    Registry(String),
}

impl fmt::Debug for IdSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LockFile(p) => f.debug_tuple("LockFile").field(p).finish(),
            // A URL may carry user-info.
            #[cfg(feature = "registry")]
            Self::Registry(t) => f
                .debug_tuple("Registry")
                .field(&schemactl::registry::http::redacted_target(t))
                .finish(),
        }
    }
}

impl From<&str> for IdSource {
    fn from(path: &str) -> Self {
        Self::LockFile(path.into())
    }
}

impl From<String> for IdSource {
    fn from(path: String) -> Self {
        Self::LockFile(path.into())
    }
}

impl From<&Path> for IdSource {
    fn from(path: &Path) -> Self {
        Self::LockFile(path.into())
    }
}

impl From<PathBuf> for IdSource {
    fn from(path: PathBuf) -> Self {
        Self::LockFile(path)
    }
}

/// Pin ids from the registry at `target`: `.pin_ids_from(schemactl_build::registry(url))`.
/// Each generated type's schema is looked up under its subject (nothing is registered); a
/// file's main type that is not registered fails the build. Ids are looked up when the build
/// script runs, that is when a schema or `build.rs` changes.
#[cfg(feature = "registry")]
pub fn registry(target: impl Into<String>) -> IdSource {
    IdSource::Registry(target.into())
}

/// The build configuration, in the style of `prost_build::Config`.
pub struct Config {
    avro: Vec<PathBuf>,
    proto_files: Vec<PathBuf>,
    proto_includes: Vec<PathBuf>,
    json: Vec<PathBuf>,
    /// Where JSON Schema `$ref`s to files not beside their referrer are looked for.
    json_includes: Vec<PathBuf>,
    /// JSON Schema files' references by name, from a project config.
    json_references: std::collections::HashMap<PathBuf, Vec<(String, PathBuf)>>,
    out_dir: Option<PathBuf>,
    options: Options,
    id_source: Option<IdSource>,
    prost: prost_build::Config,
    cargo_directives: bool,
    /// The project config the inputs come from, for `cargo:rerun-if-changed`.
    project: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    pub fn new() -> Self {
        Self {
            avro: Vec::new(),
            proto_files: Vec::new(),
            proto_includes: Vec::new(),
            json: Vec::new(),
            json_includes: Vec::new(),
            json_references: Default::default(),
            out_dir: None,
            options: Options::default(),
            id_source: None,
            prost: prost_build::Config::new(),
            cargo_directives: true,
            project: None,
        }
    }

    /// A configuration from a project config (`schemactl.toml`, feature `project`): every
    /// subject's schema file is an input and the Protobuf include paths are the project's
    /// (paths relative to the config file), and each generated type carries the subject
    /// `schemactl register` registers it under: the subject's `name`, or its `topic`, `role`
    /// and `naming` (nested types follow their file's naming), with references (Avro named
    /// types, Protobuf imports) under the subjects the project gives them. Pinning ids then
    /// looks every type up where `register` put it. The files are read by the loader
    /// `register` uses, so a project `register` refuses fails here with the same message.
    #[cfg(feature = "project")]
    pub fn from_project(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let project = project::load(path)?;
        let mut config = Self::new();
        config
            .avro(project.avro)
            .protobuf(project.proto_files, project.proto_includes)
            .json(project.json);
        config.options.files = project.files;
        config.json_references = project.json_references;
        config.project = Some(path.to_path_buf());
        Ok(config)
    }

    /// Avro schema files (`.avsc`); they may use each other's named types.
    pub fn avro<I, P>(&mut self, files: I) -> &mut Self
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        self.avro
            .extend(files.into_iter().map(|p| p.as_ref().to_path_buf()));
        self
    }

    /// Protobuf files and the include directories their imports resolve against.
    pub fn protobuf<I, P, J, Q>(&mut self, files: I, includes: J) -> &mut Self
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
        J: IntoIterator<Item = Q>,
        Q: AsRef<Path>,
    {
        self.proto_files
            .extend(files.into_iter().map(|p| p.as_ref().to_path_buf()));
        self.proto_includes
            .extend(includes.into_iter().map(|p| p.as_ref().to_path_buf()));
        self
    }

    /// JSON Schema files (`.json`), each generated by `typify` into a module named after the
    /// file, its root type re-exported; the crate also needs `serde` and `serde_json`.
    pub fn json<I, P>(&mut self, files: I) -> &mut Self
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        self.json
            .extend(files.into_iter().map(|p| p.as_ref().to_path_buf()));
        self
    }

    /// Directories, in order, where a JSON Schema `$ref` to another file is looked for when
    /// the referring file's own directory does not hold it (as `schemactl codegen -I`).
    pub fn json_includes<I, P>(&mut self, dirs: I) -> &mut Self
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        self.json_includes
            .extend(dirs.into_iter().map(|p| p.as_ref().to_path_buf()));
        self
    }

    /// Where to write the generated files (default: `$OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// How generated types name their subjects (default: `RecordNameStrategy`).
    pub fn subject_strategy(&mut self, strategy: SubjectStrategy) -> &mut Self {
        self.options.subject_strategy = strategy;
        self
    }

    /// Also re-export every Avro type at the root of the generated module.
    pub fn flat_reexports(&mut self, on: bool) -> &mut Self {
        self.options.flat_reexports = on;
        self
    }

    /// Pins schema ids at build time, so that producers write them without asking a registry:
    /// from a lock file (a path: a JSON object of subject to id) or, with the `registry`
    /// feature, from a registry (`schemactl_build::registry(url)`), where each generated type's
    /// schema is looked up under its subject. Ids given with [`Config::schema_id`] win.
    pub fn pin_ids_from(&mut self, source: impl Into<IdSource>) -> &mut Self {
        self.id_source = Some(source.into());
        self
    }

    /// Pins one subject's schema id.
    pub fn schema_id(&mut self, subject: impl Into<String>, id: u32) -> &mut Self {
        self.options.pinned_ids.insert(subject.into(), id);
        self
    }

    /// Path of the `schemactl` runtime in generated code (default `::schemactl`), for crates
    /// that rename or re-export it.
    pub fn runtime_crate(&mut self, path: impl Into<String>) -> &mut Self {
        self.options.runtime_crate = path.into();
        self
    }

    /// Passes an attribute to `prost-build` for matching Protobuf types.
    pub fn type_attribute(
        &mut self,
        path: impl AsRef<str>,
        attribute: impl AsRef<str>,
    ) -> &mut Self {
        self.prost.type_attribute(path, attribute);
        self
    }

    /// Passes an attribute to `prost-build` for matching Protobuf fields.
    pub fn field_attribute(
        &mut self,
        path: impl AsRef<str>,
        attribute: impl AsRef<str>,
    ) -> &mut Self {
        self.prost.field_attribute(path, attribute);
        self
    }

    /// `bytes::Bytes` for matching Protobuf `bytes` fields (as `prost_build::Config::bytes`).
    pub fn bytes<I, S>(&mut self, paths: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.prost.bytes(paths);
        self
    }

    /// `BTreeMap` for matching Protobuf map fields (as `prost_build::Config::btree_map`).
    pub fn btree_map<I, S>(&mut self, paths: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.prost.btree_map(paths);
        self
    }

    /// Any other `prost-build` option.
    pub fn prost_config(&mut self, f: impl FnOnce(&mut prost_build::Config)) -> &mut Self {
        f(&mut self.prost);
        self
    }

    /// Whether to print `cargo:` directives (on by default; off when used outside build.rs).
    pub fn cargo_directives(&mut self, on: bool) -> &mut Self {
        self.cargo_directives = on;
        self
    }

    /// Generates the code. Returns the files written or left unchanged.
    pub fn compile(&mut self) -> Result<Vec<PathBuf>, Error> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| CodegenError::Io {
                    path: PathBuf::from("$OUT_DIR"),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "OUT_DIR is not set: call compile() from build.rs or set out_dir()",
                    ),
                })?,
        };
        self.rerun_if_changed();
        if self.cargo_directives && !self.json.is_empty() {
            // The files JSON Schema `$ref`s read are inputs too.
            let inputs = self.json_inputs()?;
            for file in codegen::json::referenced_files(&inputs)? {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        let pinned = match &self.id_source {
            None => Default::default(),
            Some(IdSource::LockFile(lock)) => codegen::read_lock_file(lock)?,
            #[cfg(feature = "registry")]
            Some(IdSource::Registry(target)) => {
                let mut requests = Vec::new();
                if !self.avro.is_empty() {
                    requests.extend(codegen::avro::pin_requests(
                        &self.avro_inputs()?,
                        &self.options,
                    )?);
                }
                if !self.proto_files.is_empty() {
                    requests.extend(codegen::protobuf::pin_requests(
                        &self.proto_files,
                        &self.proto_includes,
                        &self.options,
                    )?);
                }
                if !self.json.is_empty() {
                    requests.extend(codegen::json::pin_requests(
                        &self.json_inputs()?,
                        &self.options,
                    )?);
                }
                codegen::pin::lookup_ids(target, &requests)?
            }
        };
        // Explicit `schema_id` calls win over the lock file or registry.
        for (subject, id) in pinned {
            self.options.pinned_ids.entry(subject).or_insert(id);
        }
        let mut written = Vec::new();
        if !self.avro.is_empty() {
            let (code, warnings) =
                codegen::avro::generate_with_warnings(&self.avro_inputs()?, &self.options)?;
            for warning in warnings {
                println!("cargo:warning={warning}");
            }
            let path = out_dir.join(AVRO_FILE);
            codegen::write_if_changed(&path, &code)?;
            written.push(path);
        }
        if !self.proto_files.is_empty() {
            let code = codegen::protobuf::generate(
                &self.proto_files,
                &self.proto_includes,
                &self.options,
                &mut self.prost,
            )?;
            let path = out_dir.join(PROTOBUF_FILE);
            codegen::write_if_changed(&path, &code)?;
            written.push(path);
        }
        if !self.json.is_empty() {
            let code = codegen::json::generate(&self.json_inputs()?, &self.options)?;
            let path = out_dir.join(JSON_FILE);
            codegen::write_if_changed(&path, &code)?;
            written.push(path);
        }
        Ok(written)
    }

    /// The JSON Schema inputs, each with the references a project config names for it.
    fn json_inputs(&self) -> Result<Vec<codegen::json::JsonInput>, CodegenError> {
        let mut inputs = codegen::json::read_inputs(&self.json)?;
        for (input, path) in inputs.iter_mut().zip(&self.json) {
            if let Some(named) = self.json_references.get(path) {
                input.references = named.clone();
            }
            input.include.clone_from(&self.json_includes);
        }
        Ok(inputs)
    }

    fn avro_inputs(&self) -> Result<Vec<AvroInput>, CodegenError> {
        self.avro.iter().map(|p| AvroInput::read(p)).collect()
    }

    fn rerun_if_changed(&self) {
        if !self.cargo_directives {
            return;
        }
        for p in self.rerun_paths() {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }

    /// Every input, include directory, lock file and project config.
    fn rerun_paths(&self) -> Vec<&Path> {
        self.avro
            .iter()
            .chain(&self.proto_files)
            .chain(&self.proto_includes)
            .chain(&self.json)
            .chain(&self.json_includes)
            .chain(match &self.id_source {
                Some(IdSource::LockFile(lock)) => Some(lock),
                _ => None,
            })
            .chain(&self.project)
            .map(PathBuf::as_path)
            .collect()
    }
}

#[cfg(all(test, feature = "project"))]
mod tests {
    use super::*;

    #[test]
    fn a_project_reruns_on_its_config_and_every_schema() {
        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/schemactl.toml");
        let built = Config::from_project(&config).unwrap();
        let paths = built.rerun_paths();
        assert!(paths.contains(&config.as_path()), "{paths:?}");
        for schema in [
            "user.avsc",
            "address.avsc",
            "customer.avsc",
            "common/money.proto",
            "order.proto",
        ] {
            assert!(
                paths.iter().any(|p| p.ends_with(schema)),
                "{schema} not in {paths:?}"
            );
        }
    }

    /// `json_includes`: a `$ref` to a file that is not beside its referrer is read from the
    /// include directories (and the build reruns when they change); without them the build
    /// fails at the `$ref`.
    #[test]
    fn json_refs_are_read_from_the_include_dirs() {
        let project = tempfile::tempdir().unwrap();
        let (shared, orders) = (project.path().join("shared"), project.path().join("orders"));
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::create_dir_all(&orders).unwrap();
        std::fs::write(
            shared.join("address.json"),
            r#"{"title": "Address", "type": "object", "properties": {"city": {"type": "string"}}}"#,
        )
        .unwrap();
        let order = orders.join("order.json");
        std::fs::write(
            &order,
            r#"{"title": "Order", "properties": {"ship_to": {"$ref": "address.json"}}}"#,
        )
        .unwrap();
        let out = tempfile::tempdir().unwrap();
        let mut config = Config::new();
        config
            .json([&order])
            .out_dir(out.path())
            .cargo_directives(false);
        let err = config.compile().unwrap_err();
        assert!(err.to_string().contains("no file 'address.json'"), "{err}");

        config.json_includes([&shared]);
        assert!(config.rerun_paths().contains(&shared.as_path()));
        let written = config.compile().unwrap();
        let code = std::fs::read_to_string(&written[0]).unwrap();
        assert!(code.contains("pub struct Address {"), "{code}");
    }
}
