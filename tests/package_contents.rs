//! Both crates are ready to publish (issue 10, point 14): `cargo package --list` ships what the
//! crates compile in and none of the tests, fixtures or benchmarks. The full check, run by CI:
//! `cargo package -p schemactl -p schemactl-build --no-verify`.

use std::process::Command;

fn listed(package: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "-p",
            package,
        ])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn schemactl_ships_its_sources_and_templates_only() {
    let files = listed("schemactl");
    for required in [
        "Cargo.toml",
        "README.md",
        "src/main.rs",
        "src/lib.rs",
        "templates/schemactl.toml",
        "templates/user.avsc",
        "templates/build.rs",
        "templates/github-actions.yml",
        "templates/gitlab-ci.yml",
    ] {
        assert!(
            files.iter().any(|f| f == required),
            "{required}: {files:#?}"
        );
    }
    let stray: Vec<&String> = files
        .iter()
        .filter(|f| {
            f.starts_with("tests/") || f.starts_with("benches/") || f.starts_with("schemas/")
        })
        .collect();
    assert!(stray.is_empty(), "{stray:#?}");
}

#[test]
fn schemactl_build_ships_its_sources_and_readme() {
    let files = listed("schemactl-build");
    for required in ["Cargo.toml", "README.md", "src/lib.rs"] {
        assert!(
            files.iter().any(|f| f == required),
            "{required}: {files:#?}"
        );
    }
    assert!(!files.iter().any(|f| f.starts_with("tests/")), "{files:#?}");
}
