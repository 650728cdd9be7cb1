//! [`Config::from_project`](crate::Config::from_project): a `schemactl.toml`'s schema files,
//! subjects and reference subjects, read by the loader `schemactl register` uses, so that the
//! generated types carry the subjects (and pin the ids) the project registers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use schemactl::codegen::{CodegenError, FileSubjects, SubjectStrategy};
use schemactl::project::config::{Naming, Role, SubjectName};
use schemactl::project::load::{load_project, LocalReference, LocalSubject};
use schemactl::project::paths::normalize;
use schemactl::project::ProjectConfig;
use schemactl::schema::SchemaType;

/// What a project config gives code generation.
pub(crate) struct Project {
    pub avro: Vec<PathBuf>,
    pub proto_files: Vec<PathBuf>,
    pub proto_includes: Vec<PathBuf>,
    pub json: Vec<PathBuf>,
    /// Each JSON Schema file's references by name (its own and theirs, dependencies first),
    /// each with the file of the project subject it names.
    pub json_references: HashMap<PathBuf, Vec<(String, PathBuf)>>,
    /// By Avro and JSON Schema path (as `AvroInput::read` names it) and Protobuf import name.
    pub files: HashMap<String, FileSubjects>,
}

pub(crate) fn load(path: &Path) -> Result<Project, CodegenError> {
    let project_error = |e: &dyn std::fmt::Display| CodegenError::Project(e.to_string());
    let config = ProjectConfig::load(path).map_err(|e| project_error(&e))?;
    // No registry: a build reads files only. References to subjects outside the project would
    // need one, and code generation would need their files; the loader says so.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| project_error(&format!("cannot start an async runtime: {e}")))?;
    let loaded = runtime
        .block_on(load_project(&config, &config.root, None))
        .map_err(|e| project_error(&e))?;

    // Absolute include paths, as the loader uses them, so that an import name is the same
    // whatever directory the build runs in.
    let absolute =
        |p: &Path| normalize(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
    let mut project = Project {
        avro: Vec::new(),
        proto_files: Vec::new(),
        proto_includes: config.includes.iter().map(|p| absolute(p)).collect(),
        json: Vec::new(),
        json_references: HashMap::new(),
        files: HashMap::new(),
    };
    for subject in &loaded.subjects {
        let file = subject.config.schema.clone();
        let key = match subject.config.schema_type {
            SchemaType::Avro => {
                project.avro.push(file.clone());
                file.display().to_string()
            }
            SchemaType::Json => {
                project.json.push(file.clone());
                let mut named = Vec::new();
                json_references(&loaded.subjects, &subject.references, &mut named);
                project.json_references.insert(file.clone(), named);
                file.display().to_string()
            }
            SchemaType::Protobuf => {
                let file = absolute(&file);
                let under = project
                    .proto_includes
                    .iter()
                    .find_map(|dir| file.strip_prefix(dir).ok().map(Path::to_path_buf));
                // A file outside every include resolves from its own directory, as the
                // loader resolves it.
                let name = match under {
                    Some(name) => name,
                    None => {
                        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
                        project.proto_includes.push(dir);
                        PathBuf::from(file.file_name().unwrap_or_default())
                    }
                };
                project.proto_files.push(file);
                // Import names use `/` whatever the platform.
                name.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            }
        };
        project.files.insert(key, file_subjects(subject));
    }
    Ok(project)
}

/// The files of `references` that are project subjects, under the names given, after the
/// files those reference (a `$ref` resolves a reference by name wherever it is met). A
/// registered reference has no file here; the build then fails at its `$ref`.
fn json_references(
    subjects: &[LocalSubject],
    references: &[LocalReference],
    out: &mut Vec<(String, PathBuf)>,
) {
    // Iterative: a project's references are acyclic (the loader refuses cycles), but deep.
    let mut stack: Vec<(&LocalReference, bool)> =
        references.iter().rev().map(|r| (r, false)).collect();
    while let Some((r, expanded)) = stack.pop() {
        let Some(k) = r.local else { continue };
        if out.iter().any(|(name, _)| *name == r.name) {
            continue;
        }
        if expanded {
            out.push((r.name.clone(), subjects[k].config.schema.clone()));
        } else {
            stack.push((r, true));
            stack.extend(subjects[k].references.iter().rev().map(|r| (r, false)));
        }
    }
}

/// The naming and reference subjects of one project subject's file.
fn file_subjects(subject: &LocalSubject) -> FileSubjects {
    let strategy = match &subject.config.name {
        SubjectName::Explicit(name) => SubjectStrategy::Explicit(name.clone()),
        SubjectName::Topic {
            topic,
            role,
            naming,
        } => match naming {
            Naming::Topic => SubjectStrategy::TopicName {
                topic: topic.clone(),
                key: *role == Role::Key,
            },
            Naming::Record => SubjectStrategy::RecordName,
            Naming::TopicRecord => SubjectStrategy::TopicRecordName {
                topic: topic.clone(),
            },
        },
    };
    FileSubjects {
        strategy,
        references: subject
            .references
            .iter()
            .map(|r| (r.name.clone(), r.subject.clone()))
            .collect(),
    }
}
