//! Lexical path normalization, so that one file is spelled one way whether it is named as a
//! subject, reached through an import, or found under an include path, from any working directory.

use std::path::{Component, Path, PathBuf};

/// `path` without `.` components and with each `..` cancelling the component before it:
/// `./a/./b` is `a/b`, `a/../b` is `b`, `../a` stays `../a`, `/..` is `/`; the empty path is `.`.
///
/// Purely lexical, never touching the file system: symlinks are not resolved (a `..` after a
/// symlinked directory may name another file than the OS would, which is how `protoc` and git
/// treat paths too).
pub fn normalize(path: &Path) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                // Above the root is the root.
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                // Leading `..`s of a relative path stay.
                _ => parts.push(component),
            },
            other => parts.push(other),
        }
    }
    let normalized: PathBuf = parts.iter().collect();
    if normalized.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        normalized
    }
}

/// Whether `import` found under `dir` is the file `file` (both compared normalized).
pub fn resolves_to(dir: &Path, import: &str, file: &Path) -> bool {
    normalize(&dir.join(import)) == normalize(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(p: &str) -> String {
        normalize(Path::new(p)).display().to_string()
    }

    #[test]
    fn current_dir_components_go() {
        assert_eq!(n("./a/./b"), "a/b");
        assert_eq!(n("./."), ".");
        assert_eq!(n(""), ".");
        assert_eq!(n("a/"), "a");
    }

    #[test]
    fn parent_dir_components_cancel_lexically() {
        assert_eq!(n("a/../b"), "b");
        assert_eq!(n("a/b/../../c"), "c");
        assert_eq!(n("a/.."), ".");
        assert_eq!(n("../a"), "../a");
        assert_eq!(n("../../a/../b"), "../../b");
        assert_eq!(n("/a/../../b"), "/b");
        assert_eq!(n("/.."), "/");
    }

    #[test]
    fn imports_resolve_whatever_the_spelling_of_the_include() {
        let file = Path::new("common/money.proto");
        assert!(resolves_to(Path::new("."), "common/money.proto", file));
        assert!(resolves_to(
            Path::new("evolved/.."),
            "common/money.proto",
            file
        ));
        assert!(resolves_to(Path::new(""), "./common/money.proto", file));
        assert!(!resolves_to(
            Path::new("evolved"),
            "common/money.proto",
            file
        ));
    }
}
