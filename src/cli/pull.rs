//! `schemactl pull` and `schemactl diff`: registered versions to files, and what changed.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::browse::named_lookup;
use super::project::{runtime, ProjectArgs};
use super::{Failure, EXIT_OK};
use crate::project::diff::diff;
use crate::project::load::{load_project, parse_registered};
use crate::project::paths::normalize;
use crate::registry::{Registry, SchemaRecord, VersionSpec};
use crate::schema::SchemaType;

#[derive(Debug, Args)]
pub struct PullArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Subjects to pull; by default every subject of the project.
    pub subjects: Vec<String>,
    /// Every version, not only the latest.
    #[arg(long)]
    pub all: bool,
    /// Where to write `<subject>/v<N>.avsc|.proto|.json`, the versions they reference, and each
    /// Protobuf or JSON Schema reference at its name; relative to the config file's directory.
    #[arg(long, default_value = "pulled")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The subject to compare: a subject of the project, or any registered one with --to.
    pub subject: String,
    /// The registered version to compare from (a number or `latest`).
    #[arg(long, default_value = "latest")]
    pub version: String,
    /// Compare with this registered version instead of the local file.
    #[arg(long)]
    pub to: Option<String>,
}

fn extension(t: SchemaType) -> &'static str {
    match t {
        SchemaType::Avro => "avsc",
        SchemaType::Protobuf => "proto",
        SchemaType::Json => "json",
    }
}

pub fn pull(args: PullArgs) -> Result<ExitCode, Failure> {
    let config = args.project.optional_config()?;
    let registry = args.project.open_registry(config.as_ref())?;
    let rt = runtime()?;
    // Like every path of a project, --out is relative to the config file.
    let out = match &config {
        Some(c) if args.out.is_relative() => normalize(&c.root.join(&args.out)),
        _ => args.out.clone(),
    };
    let subjects = if !args.subjects.is_empty() {
        args.subjects.clone()
    } else {
        let config = config.as_ref().ok_or_else(|| {
            Failure::BadInput(
                "name the subjects to pull, or run in a project with a schemactl.toml".to_string(),
            )
        })?;
        let project = rt.block_on(load_project(config, &config.root, Some(registry.as_ref())))?;
        project.subjects.iter().map(|s| s.subject.clone()).collect()
    };
    let mut tree = PulledTree::new(out);
    for subject in &subjects {
        let versions = if args.all {
            rt.block_on(registry.versions(subject, false))
                .map_err(|e| named_lookup(registry.as_ref(), &rt, subject, None, e))?
        } else {
            vec![
                rt.block_on(registry.version(subject, VersionSpec::Latest, false))
                    .map_err(|e| named_lookup(registry.as_ref(), &rt, subject, None, e))?
                    .version,
            ]
        };
        for v in versions {
            let record = rt
                .block_on(registry.version(subject, VersionSpec::Number(v), false))
                .map_err(Failure::from)?;
            rt.block_on(tree.write_with_references(registry.as_ref(), &record))?;
        }
    }
    for note in &tree.notes {
        eprintln!("note: {note}");
    }
    let text: String = tree
        .written
        .iter()
        .map(|p| format!("wrote {}\n", p.display()))
        .collect();
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::Environment(format!("cannot write: {e}")))?;
    Ok(ExitCode::from(EXIT_OK))
}

/// The files `pull` writes under `--out`: every version at `<subject>/v<N>.<ext>`, and every
/// Protobuf or JSON Schema reference also at its reference name, where imports and `$ref`s look
/// for it (`-I OUT`).
struct PulledTree {
    out: PathBuf,
    done: HashSet<(String, u32)>,
    /// Reference-name files written so far: path → (subject, version, text).
    by_name: HashMap<PathBuf, (String, u32, String)>,
    written: Vec<PathBuf>,
    notes: Vec<String>,
}

impl PulledTree {
    fn new(out: PathBuf) -> Self {
        Self {
            out,
            done: HashSet::new(),
            by_name: HashMap::new(),
            written: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Writes a record and, first, every version it references.
    async fn write_with_references(
        &mut self,
        registry: &dyn Registry,
        record: &SchemaRecord,
    ) -> Result<(), Failure> {
        if !self.done.insert((record.subject.clone(), record.version)) {
            return Ok(());
        }
        for r in &record.references {
            let referenced = registry
                .version(&r.subject, VersionSpec::Number(r.version), false)
                .await
                .map_err(Failure::from)?;
            Box::pin(self.write_with_references(registry, &referenced)).await?;
            match record.schema_type {
                SchemaType::Protobuf => self.write_at_name(&r.name, &referenced)?,
                // Where `compat -I OUT` finds a `$ref` to it; a URL names no file.
                SchemaType::Json if crate::schema::json::is_relative_path(&r.name) => {
                    self.write_at_name(&r.name, &referenced)?
                }
                SchemaType::Json => self.notes.push(format!(
                    "{} version {}: reference '{}' is a URL, not written under its name (`compat` resolves only relative `$ref`s to files)",
                    record.subject, record.version, r.name
                )),
                SchemaType::Avro => {}
            }
        }
        let dir = self.out.join(dir_name(&record.subject));
        let file = dir.join(format!(
            "v{}.{}",
            record.version,
            extension(record.schema_type)
        ));
        // Byte for byte as registered, so that the file registers as the same schema.
        self.write(&file, &record.schema)?;
        if !record.references.is_empty() {
            let refs = dir.join(format!("v{}.references.json", record.version));
            let json = serde_json::to_string_pretty(&record.references)
                .expect("references serialize")
                + "\n";
            self.write(&refs, &json)?;
        }
        Ok(())
    }

    /// Writes a referenced Protobuf file at its import name (a JSON Schema at its reference
    /// name), which must stay inside `--out`.
    fn write_at_name(&mut self, name: &str, referenced: &SchemaRecord) -> Result<(), Failure> {
        let relative = contained(name).ok_or_else(|| {
            Failure::BadInput(format!(
                "{} version {}: reference name '{name}' is not a relative path inside the output directory; refusing to write it",
                referenced.subject, referenced.version
            ))
        })?;
        let path = self.out.join(relative);
        match self.by_name.get(&path) {
            Some((_, _, text)) if *text == referenced.schema => return Ok(()),
            Some((subject, version, _)) => {
                // Two pulled versions import different texts under one name: versions are
                // pulled oldest first, so the name ends up holding what the newest imports;
                // the older text stays in its subject's directory.
                self.notes.push(format!(
                    "{} holds {} version {} (imported by a newer version); {subject} version {version} is in {}",
                    path.display(),
                    referenced.subject,
                    referenced.version,
                    self.out
                        .join(dir_name(subject))
                        .join(format!("v{version}.{}", extension(referenced.schema_type)))
                        .display()
                ));
            }
            None => {}
        }
        self.write(&path, &referenced.schema)?;
        self.by_name.insert(
            path,
            (
                referenced.subject.clone(),
                referenced.version,
                referenced.schema.clone(),
            ),
        );
        Ok(())
    }

    fn write(&mut self, path: &Path, text: &str) -> Result<(), Failure> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                Failure::Environment(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        std::fs::write(path, text)
            .map_err(|e| Failure::Environment(format!("cannot write {}: {e}", path.display())))?;
        self.written.push(path.to_path_buf());
        Ok(())
    }
}

/// A reference name (registry data, untrusted) as a relative path that cannot leave the
/// directory it is joined to: no root, no drive, no `..`, not empty.
fn contained(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// A subject as a directory name: path separators and other awkward characters become `_`, and
/// a name of dots only (`.`, `..`) becomes underscores, so that it stays inside `--out`.
fn dir_name(subject: &str) -> String {
    let name: String = subject
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.chars().all(|c| c == '.') {
        "_".repeat(name.len().max(1))
    } else {
        name
    }
}

pub fn diff_cmd(args: DiffArgs) -> Result<ExitCode, Failure> {
    let config = args.project.optional_config()?;
    let registry = args.project.open_registry(config.as_ref())?;
    let rt = runtime()?;
    let from: VersionSpec = args.version.parse().map_err(Failure::from)?;
    let mut cache = HashMap::new();
    let old_record = rt
        .block_on(registry.version(&args.subject, from, false))
        .map_err(|e| named_lookup(registry.as_ref(), &rt, &args.subject, Some(&from), e))?;
    let old_source = format!("{}/versions/{}", args.subject, old_record.version);
    let old = rt.block_on(parse_registered(
        registry.as_ref(),
        &old_source,
        &old_record.definition(),
        &mut cache,
    ))?;
    let (new, new_label) = match &args.to {
        Some(to) => {
            let to: VersionSpec = to.parse().map_err(Failure::from)?;
            let record = rt
                .block_on(registry.version(&args.subject, to, false))
                .map_err(|e| named_lookup(registry.as_ref(), &rt, &args.subject, Some(&to), e))?;
            let source = format!("{}/versions/{}", args.subject, record.version);
            let schema = rt.block_on(parse_registered(
                registry.as_ref(),
                &source,
                &record.definition(),
                &mut cache,
            ))?;
            (schema, source)
        }
        None => {
            let config = config.as_ref().ok_or_else(|| {
                Failure::BadInput(
                    "comparing with the local file needs a schemactl.toml; or pass --to VERSION"
                        .to_string(),
                )
            })?;
            let project =
                rt.block_on(load_project(config, &config.root, Some(registry.as_ref())))?;
            let local = project.subject(&args.subject).ok_or_else(|| {
                Failure::BadInput(format!(
                    "'{}' is not a subject of {}",
                    args.subject,
                    config.path.display()
                ))
            })?;
            (local.schema.clone(), local.schema.source.clone())
        }
    };
    // An Avro version against a Protobuf file (or the reverse) has no structural diff.
    let changes = diff(&old, &new).map_err(|e| Failure::BadInput(e.to_string()))?;
    let mut text = format!("--- {old_source}\n+++ {new_label}\n");
    if changes.is_empty() {
        text.push_str("no structural changes\n");
    }
    for c in changes {
        text.push_str(&format!("{} {}: {}\n", c.sign, c.place, c.description));
    }
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::Environment(format!("cannot write: {e}")))?;
    Ok(ExitCode::from(EXIT_OK))
}

#[cfg(test)]
mod tests {
    use super::{contained, dir_name};
    use std::path::PathBuf;

    #[test]
    fn reference_names_stay_inside_the_output_directory() {
        assert_eq!(
            contained("common/money.proto"),
            Some(PathBuf::from("common/money.proto"))
        );
        assert_eq!(contained("./a.proto"), Some(PathBuf::from("a.proto")));
        for hostile in ["../x.proto", "a/../../x.proto", "/etc/x", "", ".", "a/.."] {
            assert_eq!(contained(hostile), None, "{hostile}");
        }
    }

    #[test]
    fn subject_directories_stay_inside_the_output_directory() {
        assert_eq!(dir_name("users-value"), "users-value");
        assert_eq!(
            dir_name("shop/common/money.proto"),
            "shop_common_money.proto"
        );
        assert_eq!(dir_name(".."), "__");
        assert_eq!(dir_name("."), "_");
        assert_eq!(dir_name(""), "_");
    }
}
