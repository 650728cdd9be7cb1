//! Schema files as they were at a git revision, for `check --against git:REF`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::ProjectError;

/// A temporary checkout of one revision's files; removed on drop.
#[derive(Debug)]
pub struct RevisionTree {
    dir: PathBuf,
    /// Where the project root (the config's directory) lies inside the checkout.
    pub project_root: PathBuf,
}

impl Drop for RevisionTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn git(cwd: &Path, args: &[&str]) -> Result<Vec<u8>, ProjectError> {
    let out = Command::new("git")
        .current_dir(cwd)
        .args(args)
        .output()
        .map_err(|e| ProjectError::Git(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(ProjectError::Git(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// Extracts the files of `revision` of the repository holding `project_root` into a temporary
/// directory (`git archive`, so nothing in the working tree changes).
pub fn checkout_revision(
    project_root: &Path,
    revision: &str,
) -> Result<RevisionTree, ProjectError> {
    let root = if project_root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        project_root
    };
    let top = String::from_utf8_lossy(&git(root, &["rev-parse", "--show-toplevel"])?)
        .trim()
        .to_string();
    let prefix = String::from_utf8_lossy(&git(root, &["rev-parse", "--show-prefix"])?)
        .trim()
        .to_string();
    // Resolve first, so a bad revision is reported as such and not as an archive failure.
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ],
    )
    .map_err(|_| ProjectError::Git(format!("unknown git revision '{revision}'")))?;
    let dir = std::env::temp_dir().join(format!(
        "schemactl-git-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| ProjectError::Git(format!("cannot create {}: {e}", dir.display())))?;
    let tree = RevisionTree {
        project_root: dir.join(&prefix),
        dir: dir.clone(),
    };
    let archive = git(Path::new(&top), &["archive", "--format=tar", revision])?;
    unpack_tar(&archive, &dir)?;
    Ok(tree)
}

/// Unpacks a plain (ustar) tar archive as `git archive` writes it: regular files and directories.
fn unpack_tar(bytes: &[u8], into: &Path) -> Result<(), ProjectError> {
    let bad = |m: &str| ProjectError::Git(format!("unexpected git archive: {m}"));
    let mut pos = 0;
    let mut long_name: Option<String> = None;
    while pos + 512 <= bytes.len() {
        let header = &bytes[pos..pos + 512];
        if header.iter().all(|&b| b == 0) {
            break;
        }
        let field = |from: usize, len: usize| {
            let raw = &header[from..from + len];
            let end = raw.iter().position(|&b| b == 0).unwrap_or(len);
            String::from_utf8_lossy(&raw[..end]).to_string()
        };
        let size = usize::from_str_radix(field(124, 12).trim(), 8).map_err(|_| bad("size"))?;
        let kind = header[156];
        let name = match long_name.take() {
            Some(n) => n,
            None => {
                let prefix = field(345, 155);
                let name = field(0, 100);
                if prefix.is_empty() {
                    name
                } else {
                    format!("{prefix}/{name}")
                }
            }
        };
        let data_start = pos + 512;
        let data_end = data_start
            .checked_add(size)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| bad("truncated"))?;
        let data = &bytes[data_start..data_end];
        match kind {
            b'L' => {
                long_name = Some(
                    String::from_utf8_lossy(data)
                        .trim_end_matches('\0')
                        .to_string(),
                )
            }
            b'x' => {
                // PAX header: only `path` matters here.
                let text = String::from_utf8_lossy(data);
                for record in text.lines() {
                    if let Some(idx) = record.find(" path=") {
                        long_name = Some(record[idx + 6..].to_string());
                    }
                }
            }
            b'0' | 0 => {
                let rel = Path::new(&name);
                if rel.components().any(|c| {
                    matches!(
                        c,
                        std::path::Component::ParentDir | std::path::Component::RootDir
                    )
                }) {
                    return Err(bad("path escapes the archive"));
                }
                let path = into.join(rel);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| bad(&e.to_string()))?;
                }
                std::fs::write(&path, data).map_err(|e| bad(&e.to_string()))?;
            }
            _ => {}
        }
        pos = data_start + size.div_ceil(512) * 512;
    }
    Ok(())
}
