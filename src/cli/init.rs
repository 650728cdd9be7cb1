//! `schemactl init`: a starter config with an example schema, a build.rs and CI jobs, from
//! `templates/`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{Failure, EXIT_OK};

/// What `init` writes: (path inside the project, contents). The config's subject names the
/// example schema, so that `check` passes on a fresh project.
const FILES: [(&str, &str); 5] = [
    (
        "schemactl.toml",
        include_str!("../../templates/schemactl.toml"),
    ),
    (
        "schemas/user.avsc",
        include_str!("../../templates/user.avsc"),
    ),
    ("build.rs", include_str!("../../templates/build.rs")),
    (
        ".github/workflows/schemas.yml",
        include_str!("../../templates/github-actions.yml"),
    ),
    (
        ".gitlab-ci.yml",
        include_str!("../../templates/gitlab-ci.yml"),
    ),
];

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project directory.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: InitArgs) -> Result<ExitCode, Failure> {
    let existing: Vec<PathBuf> = FILES
        .iter()
        .map(|(p, _)| args.dir.join(p))
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() && !args.force {
        let list: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
        return Err(Failure::BadInput(format!(
            "{} already exist{}; pass --force to overwrite",
            list.join(", "),
            if list.len() == 1 { "s" } else { "" }
        )));
    }
    let mut report = String::new();
    for (path, contents) in FILES {
        let target = args.dir.join(path);
        write(&target, contents)?;
        report.push_str(&format!("wrote {}\n", target.display()));
    }
    std::io::stdout()
        .lock()
        .write_all(report.as_bytes())
        .map_err(|e| Failure::Environment(format!("cannot write: {e}")))?;
    Ok(ExitCode::from(EXIT_OK))
}

fn write(path: &Path, contents: &str) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Failure::Environment(format!("cannot create {}: {e}", parent.display()))
        })?;
    }
    std::fs::write(path, contents)
        .map_err(|e| Failure::Environment(format!("cannot write {}: {e}", path.display())))
}
