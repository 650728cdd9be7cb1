//! `schemactl init` leaves a project that works (issue 10, point 12), and no command leaves an
//! embedded store behind before one succeeds in writing to it.

mod cli_support;

use cli_support::run_in;

use std::path::Path;

#[test]
fn init_in_an_empty_directory_leaves_a_project_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run_in(dir.path(), &["init"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("schemas/user.avsc"), "{out}");
    let (code, out, err) = run_in(dir.path(), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        !dir.path().join(".schemactl").exists(),
        "a check creates no store"
    );
    let (code, out, err) = run_in(dir.path(), &["register"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("users-value"), "{out}");
    assert!(dir.path().join(".schemactl/registry.db").exists());
}

#[test]
fn check_names_a_missing_schema_file_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init"]).0, 0);
    std::fs::remove_file(dir.path().join("schemas/user.avsc")).unwrap();
    let (code, _, err) = run_in(dir.path(), &["check"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("schemactl.toml:"), "{err}");
    assert!(err.contains("schemas/user.avsc does not exist"), "{err}");
    assert!(err.contains("write the schema there"), "{err}");
    assert!(!dir.path().join(".schemactl").exists());
}

#[test]
fn no_command_creates_the_store_before_it_writes_to_it() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init"]).0, 0);
    // Reads answer as an empty registry; failures leave nothing behind.
    let runs: [(&[&str], i32); 10] = [
        (&["check"], 0),
        (&["check", "--format", "json"], 0),
        (&["register", "--dry-run"], 0),
        (&["subjects"], 0),
        (&["config", "get"], 0),
        (&["versions", "users-value"], 2),
        (&["show", "users-value"], 2),
        (&["diff", "users-value"], 2),
        (&["pull"], 2),
        (&["register", "-c", "missing.toml"], 2),
    ];
    for (args, expected) in runs {
        let (code, out, err) = run_in(dir.path(), args);
        assert_eq!(code, expected, "{args:?}: {out}{err}");
        assert!(
            !dir.path().join(".schemactl").exists(),
            "{args:?} created the store"
        );
    }
    // The first write creates it.
    let (code, out, err) = run_in(dir.path(), &["config", "set", "FULL"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(dir.path().join(".schemactl/registry.db").exists());
    let (_, level, _) = run_in(dir.path(), &["config", "get"]);
    assert_eq!(level.trim(), "FULL");
}

#[test]
fn ci_templates_install_schemactl_as_readme_says() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init"]).0, 0);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for ci in [".github/workflows/schemas.yml", ".gitlab-ci.yml"] {
        let text = std::fs::read_to_string(dir.path().join(ci)).unwrap();
        let install = text
            .lines()
            .find_map(|l| l.split_once("cargo install ").map(|(_, rest)| rest.trim()))
            .unwrap_or_else(|| panic!("{ci} installs schemactl"));
        assert_eq!(install, "schemactl --locked", "{ci}");
        assert!(
            readme.contains("cargo install schemactl --locked"),
            "README shows the templates' install line"
        );
    }
}

#[test]
fn codegen_pinning_from_a_missing_store_creates_none() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init"]).0, 0);
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "codegen",
            "schemas/user.avsc",
            "--out",
            "generated",
            "--ids-from-registry",
            ".schemactl/registry.db",
        ],
    );
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("no embedded store"), "{err}");
    assert!(!dir.path().join(".schemactl").exists());
}
