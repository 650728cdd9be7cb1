//! Loading a project's subjects from files: references resolved (other subjects of the project
//! from their files, anything else from the registry), subject names from the naming strategy,
//! and an order in which every subject comes after what it references.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::config::{Naming, ProjectConfig, ReferenceConfig, Role, SubjectConfig, SubjectName};
use super::paths::{normalize, resolves_to};
use super::ProjectError;
use crate::registry::references::{dependencies_of, ReferenceCache};
use crate::registry::{ErrorKind, Registry, RegistryError, SchemaDefinition, SchemaReference};
use crate::schema::{self, Parsed, Schema, SchemaType};

/// A reference of a local subject, resolved to a project subject or a registered version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalReference {
    pub name: String,
    pub subject: String,
    /// The registered version; `None` for a project subject, whose version is known once it is
    /// registered.
    pub version: Option<u32>,
    /// Index of the referenced subject in [`LoadedProject::subjects`], if it is one of ours.
    pub local: Option<usize>,
}

/// One subject with its schema loaded.
#[derive(Debug, Clone)]
pub struct LocalSubject {
    pub subject: String,
    pub config: SubjectConfig,
    pub schema: Schema,
    pub references: Vec<LocalReference>,
}

impl LocalSubject {
    /// What to register, given the versions of the project subjects it references.
    pub fn definition(
        &self,
        local_versions: &HashMap<String, u32>,
    ) -> Result<SchemaDefinition, ProjectError> {
        let references = self
            .references
            .iter()
            .map(|r| {
                let version = match r.version {
                    Some(v) => v,
                    None => *local_versions.get(&r.subject).ok_or_else(|| {
                        ProjectError::Invalid(format!(
                            "{}: reference '{}' needs subject '{}' registered first",
                            self.subject, r.name, r.subject
                        ))
                    })?,
                };
                Ok(SchemaReference {
                    name: r.name.clone(),
                    subject: r.subject.clone(),
                    version,
                })
            })
            .collect::<Result<Vec<_>, ProjectError>>()?;
        Ok(
            SchemaDefinition::new(self.schema.schema_type(), self.schema.text.clone())
                .with_references(references),
        )
    }
}

/// A project's subjects, in dependency order (every subject after the subjects it references).
#[derive(Debug, Clone)]
pub struct LoadedProject {
    pub config: ProjectConfig,
    pub subjects: Vec<LocalSubject>,
}

impl LoadedProject {
    pub fn subject(&self, name: &str) -> Option<&LocalSubject> {
        self.subjects.iter().find(|s| s.subject == name)
    }
}

/// Loads every subject of `config` from the files under `root` (the config's root, or a checkout
/// of another revision). References to subjects outside the project are fetched from `registry`.
pub async fn load_project(
    config: &ProjectConfig,
    root: &Path,
    registry: Option<&dyn Registry>,
) -> Result<LoadedProject, ProjectError> {
    let includes: Vec<PathBuf> = config
        .includes
        .iter()
        .map(|p| normalize(&rebase(p, &config.root, root)))
        .collect();
    let files: Vec<PathBuf> = config
        .subjects
        .iter()
        .map(|s| normalize(&root.join(&s.schema_relative)))
        .collect();
    let texts: Vec<String> = files
        .iter()
        .zip(&config.subjects)
        .map(|(f, subject)| {
            std::fs::read_to_string(f).map_err(|source| {
                if source.kind() == std::io::ErrorKind::NotFound {
                    // Say where the name comes from and what to do, not only what is missing.
                    ProjectError::Invalid(format!(
                        "{}:{}: schema file {} does not exist; write the schema there, or change `schema` (paths are relative to the config file)",
                        config.path.display(),
                        subject.line,
                        f.display()
                    ))
                } else {
                    ProjectError::Schema(schema::LoadError::Io {
                        path: f.clone(),
                        source,
                    })
                }
            })
        })
        .collect::<Result<_, _>>()?;

    // Local references first need subject names, which for a record naming strategy need the
    // parsed schema: name subjects whose name does not depend on the schema now, the rest after
    // parsing, and resolve references by subject name once all are known.
    let order = dependency_order(config, &texts)?;
    let mut parsed: Vec<Option<Schema>> = vec![None; config.subjects.len()];
    let mut names: Vec<Option<String>> = config.subjects.iter().map(static_name).collect();
    let mut references: Vec<Vec<LocalReference>> = vec![Vec::new(); config.subjects.len()];
    let mut remote_cache = ReferenceCache::new();

    for &i in &order {
        let subject = &config.subjects[i];
        // Name files as the user would open them: relative to where schemactl runs.
        let source = display_path(&normalize(
            &config.root.join(&config.subjects[i].schema_relative),
        ));
        let mut refs = Vec::new();
        for r in &subject.references {
            refs.push(resolve_reference(config, &names, r)?);
        }
        let schema = match subject.schema_type {
            SchemaType::Avro => {
                let mut deps: Vec<(String, String)> = Vec::new();
                for r in &refs {
                    match r.local {
                        Some(j) => collect_local_avro(j, &references, &texts, config, &mut deps),
                        None => {
                            let version = r.version.expect("remote references carry a version");
                            for (name, def) in remote_dependencies(
                                registry,
                                &r.subject,
                                version,
                                &mut remote_cache,
                            )
                            .await?
                            {
                                push_unique(&mut deps, (name, def.schema));
                            }
                        }
                    }
                }
                let deps_ref: Vec<(&str, &str)> =
                    deps.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
                Schema::parse_avro_with_references(&source, &texts[i], &deps_ref)?
            }
            SchemaType::Json => {
                // A `$ref` names a reference by its `name`: project subjects by the names their
                // referrers give them, registered versions as the registry resolves them.
                let mut deps: Vec<(String, String)> = Vec::new();
                for r in &refs {
                    match r.local {
                        Some(j) => collect_local_named(r, j, &references, &texts, &mut deps),
                        None => {
                            let version = r.version.expect("remote references carry a version");
                            for dep in
                                registered_import(registry, r, version, &mut remote_cache).await?
                            {
                                push_unique(&mut deps, dep);
                            }
                        }
                    }
                }
                let deps_ref: Vec<(&str, &str)> =
                    deps.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
                Schema::parse_json(&source, &texts[i], &deps_ref)?
            }
            SchemaType::Protobuf => {
                // Imports that are registered references come from the registry, by the
                // reference's name; the rest from files.
                let mut deps: Vec<(String, String)> = Vec::new();
                for r in refs.iter().filter(|r| r.local.is_none()) {
                    let version = r.version.expect("remote references carry a version");
                    for dep in registered_import(registry, r, version, &mut remote_cache).await? {
                        push_unique(&mut deps, dep);
                    }
                }
                let deps_ref: Vec<(&str, &str)> =
                    deps.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
                // Absolute paths: with relative ones, protox reads a bare import name as a path
                // when the working directory is itself an include path, and reports shadowing.
                let absolute =
                    |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
                let abs_includes: Vec<PathBuf> = includes.iter().map(|p| absolute(p)).collect();
                let parsed = schema::protobuf::parse_file_with_references(
                    &absolute(&files[i]),
                    &abs_includes,
                    &deps_ref,
                )?;
                Schema {
                    source: source.clone(),
                    text: texts[i].clone(),
                    parsed: Parsed::Protobuf(parsed),
                }
            }
        };
        if subject.schema_type == SchemaType::Protobuf {
            add_import_references(config, &files, &includes, i, &schema, &names, &mut refs)?;
        }
        if names[i].is_none() {
            names[i] = Some(record_name(subject, &schema)?);
        }
        references[i] = refs;
        parsed[i] = Some(schema);
    }

    let mut subjects = Vec::with_capacity(order.len());
    let position: HashMap<usize, usize> =
        order.iter().enumerate().map(|(pos, &i)| (i, pos)).collect();
    for &i in &order {
        let refs = references[i]
            .iter()
            .cloned()
            .map(|mut r| {
                r.local = r.local.map(|j| position[&j]);
                r
            })
            .collect();
        subjects.push(LocalSubject {
            subject: names[i].clone().expect("named above"),
            config: config.subjects[i].clone(),
            schema: parsed[i].take().expect("parsed above"),
            references: refs,
        });
    }
    let mut seen = HashSet::new();
    for s in &subjects {
        if !seen.insert(s.subject.as_str()) {
            return Err(ProjectError::Invalid(format!(
                "{}: subject '{}' is configured twice",
                config.path.display(),
                s.subject
            )));
        }
    }
    Ok(LoadedProject {
        config: config.clone(),
        subjects,
    })
}

/// `path`, under `from`, moved under `to` (compared normalized: `./a` is under `.`).
fn rebase(path: &Path, from: &Path, to: &Path) -> PathBuf {
    let (path, from) = (normalize(path), normalize(from));
    if from == Path::new(".") && path.is_relative() {
        return to.join(path);
    }
    match path.strip_prefix(&from) {
        Ok(rel) => to.join(rel),
        Err(_) => path,
    }
}

fn display_path(path: &Path) -> String {
    path.display().to_string()
}

fn push_unique(deps: &mut Vec<(String, String)>, dep: (String, String)) {
    if !deps.iter().any(|(n, _)| *n == dep.0) {
        deps.push(dep);
    }
}

/// Adds the texts of a local Avro subject and of everything it references, dependencies first.
fn collect_local_avro(
    j: usize,
    references: &[Vec<LocalReference>],
    texts: &[String],
    config: &ProjectConfig,
    deps: &mut Vec<(String, String)>,
) {
    for r in &references[j] {
        if let Some(k) = r.local {
            collect_local_avro(k, references, texts, config, deps);
        }
    }
    push_unique(
        deps,
        (
            display_path(&config.subjects[j].schema_relative),
            texts[j].clone(),
        ),
    );
}

/// Adds the text of local subject `j` under the name `reference` gives it, after what `j` itself
/// references under its own names, dependencies first (JSON Schema resolves `$ref` by name).
fn collect_local_named(
    reference: &LocalReference,
    j: usize,
    references: &[Vec<LocalReference>],
    texts: &[String],
    deps: &mut Vec<(String, String)>,
) {
    for r in &references[j] {
        if let Some(k) = r.local {
            collect_local_named(r, k, references, texts, deps);
        }
    }
    push_unique(deps, (reference.name.clone(), texts[j].clone()));
}

/// The subject name when it does not depend on the schema's contents.
fn static_name(subject: &SubjectConfig) -> Option<String> {
    match &subject.name {
        SubjectName::Explicit(name) => Some(name.clone()),
        SubjectName::Topic {
            topic,
            role,
            naming: Naming::Topic,
        } => Some(format!(
            "{topic}-{}",
            match role {
                Role::Key => "key",
                Role::Value => "value",
            }
        )),
        SubjectName::Topic { .. } => None,
    }
}

/// The subject name from the record name strategies.
fn record_name(subject: &SubjectConfig, schema: &Schema) -> Result<String, ProjectError> {
    let full = match &schema.parsed {
        Parsed::Avro(avro) => avro.node(avro.root()).name().map(|n| n.full_name()),
        Parsed::Protobuf(proto) => {
            let fd = proto.file_descriptor();
            fd.message_type.first().map(|m| {
                let name = m.name.clone().unwrap_or_default();
                match fd.package.as_deref() {
                    Some(p) if !p.is_empty() => format!("{p}.{name}"),
                    _ => name,
                }
            })
        }
        // Confluent names a JSON Schema record by its `title`.
        Parsed::Json(json) => json
            .root()
            .get("title")
            .and_then(|t| t.as_str())
            .map(str::to_string),
    };
    let full = full.ok_or_else(|| {
        ProjectError::Invalid(format!(
            "{}: a record naming strategy needs a named record (Avro), a message (Protobuf) or a `title` (JSON Schema)",
            schema.source
        ))
    })?;
    Ok(match &subject.name {
        SubjectName::Topic {
            topic,
            naming: Naming::TopicRecord,
            ..
        } => format!("{topic}-{full}"),
        _ => full,
    })
}

/// A configured reference, resolved to a project subject (by subject name) or a registered one.
fn resolve_reference(
    config: &ProjectConfig,
    names: &[Option<String>],
    r: &ReferenceConfig,
) -> Result<LocalReference, ProjectError> {
    let local = names
        .iter()
        .position(|n| n.as_deref() == Some(r.subject.as_str()));
    if local.is_none() && r.version.is_none() {
        return Err(ProjectError::Invalid(format!(
            "{}: reference '{}' names subject '{}', which is not a subject of this project; give its registered `version`",
            config.path.display(),
            r.name,
            r.subject
        )));
    }
    Ok(LocalReference {
        name: r.name.clone(),
        subject: r.subject.clone(),
        version: if local.is_some() { None } else { r.version },
        local,
    })
}

/// References for a Protobuf file's imports that are subjects of the project.
fn add_import_references(
    config: &ProjectConfig,
    files: &[PathBuf],
    includes: &[PathBuf],
    i: usize,
    schema: &Schema,
    names: &[Option<String>],
    refs: &mut Vec<LocalReference>,
) -> Result<(), ProjectError> {
    let Parsed::Protobuf(proto) = &schema.parsed else {
        return Ok(());
    };
    let own_dir = files[i].parent().map(Path::to_path_buf).unwrap_or_default();
    for import in &proto.file_descriptor().dependency {
        if refs.iter().any(|r| &r.name == import) || is_bundled_import(import) {
            continue;
        }
        let local = files.iter().position(|f| {
            std::iter::once(&own_dir)
                .chain(includes.iter())
                .any(|dir| resolves_to(dir, import, f))
        });
        match local {
            Some(j) if j != i => {
                let subject = names[j].clone().ok_or_else(|| {
                    ProjectError::Invalid(format!(
                        "{}: import '{import}' is a project subject whose name is not known yet",
                        schema.source
                    ))
                })?;
                refs.push(LocalReference {
                    name: import.clone(),
                    subject,
                    version: None,
                    local: Some(j),
                });
            }
            _ => {
                return Err(ProjectError::Invalid(format!(
                    "{}: import '{import}' is neither a subject of {} nor a configured reference; add it as a [[subject]] or list it in `references`",
                    schema.source,
                    config.path.display()
                )))
            }
        }
    }
    Ok(())
}

/// Imports a registry resolves on its own: well-known types, the common Google types and the
/// files the engine bundles (`confluent/meta.proto`, …), which the parser resolves too.
pub fn is_bundled_import(import: &str) -> bool {
    import.starts_with("google/protobuf/")
        || import.starts_with("google/type/")
        || crate::schema::protobuf::bundled(import).is_some()
}

/// The order to handle subjects in: references first. A cycle is an error.
/// Subjects in an order where every subject comes after those it references; `texts` are the
/// schema files' contents, in `config.subjects` order.
fn dependency_order(config: &ProjectConfig, texts: &[String]) -> Result<Vec<usize>, ProjectError> {
    let n = config.subjects.len();
    let by_name: HashMap<String, usize> = config
        .subjects
        .iter()
        .enumerate()
        .filter_map(|(i, s)| static_name(s).map(|name| (name, i)))
        .collect();
    // Protobuf imports of project files count as edges too.
    let edges: Vec<Vec<usize>> = config
        .subjects
        .iter()
        .zip(texts)
        .map(|(s, text)| {
            let mut e: Vec<usize> = s
                .references
                .iter()
                .filter_map(|r| by_name.get(&r.subject).copied())
                .collect();
            if s.schema_type == SchemaType::Protobuf {
                e.extend(proto_import_edges(config, s, text));
            }
            e
        })
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        i: usize,
        edges: &[Vec<usize>],
        marks: &mut [Mark],
        order: &mut Vec<usize>,
        stack: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        match marks[i] {
            Mark::Done => return Ok(()),
            Mark::Active => {
                let start = stack.iter().position(|&s| s == i).unwrap_or(0);
                let mut cycle = stack[start..].to_vec();
                cycle.push(i);
                return Err(cycle);
            }
            Mark::New => {}
        }
        marks[i] = Mark::Active;
        stack.push(i);
        for &j in &edges[i] {
            visit(j, edges, marks, order, stack)?;
        }
        stack.pop();
        marks[i] = Mark::Done;
        order.push(i);
        Ok(())
    }
    let mut marks = vec![Mark::New; n];
    let mut order = Vec::with_capacity(n);
    for i in 0..n {
        visit(i, &edges, &mut marks, &mut order, &mut Vec::new()).map_err(|cycle| {
            let names: Vec<String> = cycle
                .iter()
                .map(|&k| display_path(&config.subjects[k].schema_relative))
                .collect();
            ProjectError::Invalid(format!(
                "{}: references form a cycle: {}",
                config.path.display(),
                names.join(" -> ")
            ))
        })?;
    }
    Ok(order)
}

/// Project files a Protobuf file imports, read from the `import` lines of its `text` (before
/// parsing, to order).
fn proto_import_edges(config: &ProjectConfig, subject: &SubjectConfig, text: &str) -> Vec<usize> {
    let own_dir = subject
        .schema
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let schema = normalize(&subject.schema);
    let imports = text.lines().filter_map(|line| {
        let rest = line.trim().strip_prefix("import")?;
        let rest = rest.trim_start();
        let rest = rest
            .strip_prefix("public")
            .or_else(|| rest.strip_prefix("weak"))
            .unwrap_or(rest);
        let quoted = rest.trim().trim_end_matches(';').trim();
        quoted
            .strip_prefix('"')?
            .strip_suffix('"')
            .map(str::to_string)
    });
    let mut edges = Vec::new();
    for import in imports {
        for (j, other) in config.subjects.iter().enumerate() {
            let other_schema = normalize(&other.schema);
            let matches = std::iter::once(&own_dir)
                .chain(config.includes.iter())
                .any(|dir| resolves_to(dir, &import, &other_schema));
            if matches && other_schema != schema {
                edges.push(j);
            }
        }
    }
    edges
}

/// The definitions a registered version depends on, transitively, dependencies first.
pub async fn remote_dependencies(
    registry: Option<&dyn Registry>,
    subject: &str,
    version: u32,
    cache: &mut ReferenceCache,
) -> Result<Vec<(String, SchemaDefinition)>, ProjectError> {
    let registry = registry.ok_or_else(|| {
        ProjectError::Invalid(format!(
            "a reference to {subject} version {version} needs a registry to resolve it"
        ))
    })?;
    // The version itself comes last, named by its subject and version (the referrer resolves
    // it by that name); fetched and cached like any nested reference.
    let itself = SchemaReference {
        name: format!("{subject}/versions/{version}"),
        subject: subject.to_string(),
        version,
    };
    let mut out = Vec::new();
    dependencies_of(registry, &[itself], &mut out, cache)
        .await
        .map_err(|e| missing_reference(subject, subject, version, e))?;
    Ok(out)
}

/// A configured reference the registry does not have is the config's fault (exit 2), not the
/// registry's; other registry errors stay what they are.
fn missing_reference(
    name: &str,
    subject: &str,
    version: u32,
    error: RegistryError,
) -> ProjectError {
    match error.kind() {
        ErrorKind::SubjectNotFound | ErrorKind::VersionNotFound => ProjectError::Invalid(format!(
            "reference '{name}' names {subject} version {version}, which the registry does not have ({error}); register it first, or fix the reference's `subject` and `version` (`schemactl versions {subject}` lists them)"
        )),
        _ => ProjectError::Registry(error),
    }
}

/// The `(import name, text)` pairs a registered Protobuf reference brings: the referenced
/// version under the reference's name, after the files it imports itself.
async fn registered_import(
    registry: Option<&dyn Registry>,
    reference: &LocalReference,
    version: u32,
    cache: &mut ReferenceCache,
) -> Result<Vec<(String, String)>, ProjectError> {
    let registry = registry.ok_or_else(|| {
        ProjectError::Invalid(format!(
            "import '{}' is {} version {version} in the registry; this command has no registry to fetch it from",
            reference.name, reference.subject
        ))
    })?;
    let itself = SchemaReference {
        name: reference.name.clone(),
        subject: reference.subject.clone(),
        version,
    };
    let mut out = Vec::new();
    dependencies_of(registry, &[itself], &mut out, cache)
        .await
        .map_err(|e| missing_reference(&reference.name, &reference.subject, version, e))?;
    // The referenced version comes last; the cache may know it under another referrer's name.
    if let Some(last) = out.last_mut() {
        last.0 = reference.name.clone();
    }
    Ok(out.into_iter().map(|(n, d)| (n, d.schema)).collect())
}

/// Parses a registered schema with its references fetched from the registry.
pub async fn parse_registered(
    registry: &dyn Registry,
    source: &str,
    definition: &SchemaDefinition,
    cache: &mut ReferenceCache,
) -> Result<Schema, ProjectError> {
    let mut deps = Vec::new();
    dependencies_of(registry, &definition.references, &mut deps, cache).await?;
    let pairs: Vec<(&str, &str)> = deps
        .iter()
        .map(|(n, d)| (n.as_str(), d.schema.as_str()))
        .collect();
    Ok(match definition.schema_type {
        SchemaType::Avro => Schema::parse_avro_with_references(source, &definition.schema, &pairs)?,
        SchemaType::Protobuf => Schema::parse_protobuf(source, &definition.schema, &pairs)?,
        SchemaType::Json => Schema::parse_json(source, &definition.schema, &pairs)?,
    })
}

#[cfg(test)]
mod tests {
    use super::is_bundled_import;

    #[test]
    fn bundled_imports_need_no_reference() {
        assert!(is_bundled_import("google/protobuf/timestamp.proto"));
        assert!(is_bundled_import("google/type/money.proto"));
        assert!(is_bundled_import("confluent/meta.proto"));
        assert!(!is_bundled_import("shop/common/money.proto"));
    }
}
