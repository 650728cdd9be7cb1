//! The workflow commands (`check`, `register --dry-run`, `register`, `config get`, `subjects`)
//! run as the `schemactl` binary against registries that differ from Confluent: our server
//! behind the dialect proxy of `registry_support`, one preset or quirk at a time.

mod registry_support;

use std::path::Path;

use assert_cmd::Command;
use registry_support::*;
use schemactl::registry::Registry;

const ORDER_V1: &str = r#"{
  "type": "record",
  "name": "Order",
  "namespace": "com.example",
  "fields": [
    {"name": "id", "type": "long"}
  ]
}
"#;

/// ORDER_V1 plus a field without a default: not BACKWARD compatible.
const ORDER_REQUIRED_QTY: &str = r#"{
  "type": "record",
  "name": "Order",
  "namespace": "com.example",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "qty", "type": "int"}
  ]
}
"#;

/// A project with one subject named `subject` and no configured level.
fn project(subject: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = format!("[[subject]]\nname = \"{subject}\"\nschema = \"order.avsc\"\n");
    std::fs::write(dir.path().join("schemactl.toml"), config).unwrap();
    std::fs::write(dir.path().join("order.avsc"), ORDER_V1).unwrap();
    dir
}

/// Runs schemactl in `dir` against `url`; (exit code, stdout, stderr).
fn run(dir: &Path, url: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("schemactl")
        .unwrap()
        .current_dir(dir)
        .env_remove("SCHEMA_REGISTRY_URL")
        .env_remove("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO")
        .env_remove("SCHEMA_REGISTRY_BEARER_TOKEN")
        .args(args)
        .args(["--registry", url])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn presets() -> Vec<Dialect> {
    vec![
        Dialect::confluent(),
        Dialect::karapace_like(),
        Dialect::redpanda_like(),
        Dialect::apicurio_like(),
        Dialect::issue_10(),
    ]
}

/// Point 1: a subject that does not exist yet and has no configured `level` is judged by the
/// global level, also where the registry answers 40401 for its config.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_subject_without_a_level_uses_the_global_level() {
    for dialect in presets() {
        let name = dialect.name;
        let proxy = DialectProxy::start(dialect).await;
        let dir = project("orders-value");
        let (code, stdout, stderr) = run(dir.path(), &proxy.url, &["check"]);
        assert_eq!(code, 0, "{name}: {stdout}{stderr}");
        assert!(stdout.contains("not registered yet"), "{name}: {stdout}");
        let (code, stdout, stderr) = run(dir.path(), &proxy.url, &["register", "--dry-run"]);
        assert_eq!(code, 0, "{name}: {stdout}{stderr}");
        let (code, stdout, stderr) =
            run(dir.path(), &proxy.url, &["config", "get", "orders-value"]);
        assert_eq!(
            (code, stdout.as_str()),
            (0, "BACKWARD\n"),
            "{name}: {stderr}"
        );
        assert_eq!(
            stderr,
            "orders-value: no level of its own; BACKWARD is inherited from the global level\n",
            "{name}"
        );
        proxy.stop().await;
    }
}

/// Point 11: `config get SUBJECT` says whether the level is the subject's own or inherited, for
/// a registered subject with and without a level of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_get_says_where_the_level_comes_from() {
    for dialect in presets() {
        let name = dialect.name;
        let proxy = DialectProxy::start(dialect).await;
        let dir = project("orders-value");
        assert_eq!(run(dir.path(), &proxy.url, &["register"]).0, 0, "{name}");
        let (code, stdout, stderr) =
            run(dir.path(), &proxy.url, &["config", "get", "orders-value"]);
        assert_eq!(
            (code, stdout.as_str()),
            (0, "BACKWARD\n"),
            "{name}: {stderr}"
        );
        assert!(
            stderr.contains("inherited from the global level"),
            "{name}: {stderr}"
        );
        assert_eq!(
            run(
                dir.path(),
                &proxy.url,
                &["config", "set", "orders-value", "FULL"]
            )
            .0,
            0
        );
        let (code, stdout, stderr) =
            run(dir.path(), &proxy.url, &["config", "get", "orders-value"]);
        assert_eq!((code, stdout.as_str()), (0, "FULL\n"), "{name}: {stderr}");
        assert_eq!(
            stderr, "orders-value: FULL is the subject's own level\n",
            "{name}"
        );
        let (code, stdout, _) = run(dir.path(), &proxy.url, &["config", "get"]);
        assert_eq!((code, stdout.as_str()), (0, "BACKWARD\n"), "{name}");
        proxy.stop().await;
    }
}

/// Points 3 and 4: a subject with `+` registers under its own name, registering it again
/// changes nothing (whatever text the registry gives back), a refusal in any of the 409 forms is
/// exit 1 with the local explanation, and `--dry-run` agrees.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_survives_every_dialect() {
    let mut dialects = presets();
    dialects.extend(Quirk::ALL.into_iter().map(Dialect::only));
    for dialect in dialects {
        let label = format!("{} {:?}", dialect.name, dialect);
        let proxy = DialectProxy::start(dialect).await;
        let dir = project("c++-events");
        let (code, stdout, stderr) = run(dir.path(), &proxy.url, &["register"]);
        assert_eq!(code, 0, "{label}: {stdout}{stderr}");
        assert_eq!(
            proxy.server.store.subjects(None, false).await.unwrap(),
            vec!["c++-events".to_string()],
            "{label}"
        );
        let (code, stdout, stderr) = run(dir.path(), &proxy.url, &["register"]);
        assert_eq!(code, 0, "{label}: {stderr}");
        assert!(stdout.contains("unchanged"), "{label}: {stdout}");
        let (code, stdout, _) = run(dir.path(), &proxy.url, &["register", "--dry-run"]);
        assert_eq!(code, 0, "{label}");
        assert!(stdout.contains("unchanged"), "{label}: {stdout}");

        std::fs::write(dir.path().join("order.avsc"), ORDER_REQUIRED_QTY).unwrap();
        let (code, stdout, stderr) = run(dir.path(), &proxy.url, &["check"]);
        assert_eq!(code, 1, "{label}: {stdout}{stderr}");
        let (code, dry, stderr) = run(dir.path(), &proxy.url, &["register", "--dry-run"]);
        assert_eq!(code, 1, "{label}: {dry}{stderr}");
        let (code, refused, stderr) = run(dir.path(), &proxy.url, &["register"]);
        assert_eq!(code, 1, "{label}: {refused}{stderr}");
        for out in [&dry, &refused] {
            assert!(
                out.contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
                "{label}: {out}"
            );
        }
        assert_eq!(
            proxy
                .server
                .store
                .versions("c++-events", false)
                .await
                .unwrap(),
            vec![1],
            "{label}"
        );
        proxy.stop().await;
    }
}

/// Point 2: `subjects --prefix` lists only matching subjects where the registry ignores the
/// prefix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subjects_prefix_is_applied_by_the_client() {
    let proxy = DialectProxy::start(Dialect::only(Quirk::IgnoresSubjectPrefix)).await;
    let dir = project("orders-value");
    assert_eq!(run(dir.path(), &proxy.url, &["register"]).0, 0);
    let other = project("payments-value");
    assert_eq!(run(other.path(), &proxy.url, &["register"]).0, 0);
    let (code, stdout, _) = run(dir.path(), &proxy.url, &["subjects", "--prefix", "ord"]);
    assert_eq!((code, stdout.as_str()), (0, "orders-value\n"));
    proxy.stop().await;
}

/// README, "Registry dialects": the `config get` transcript, exactly as shown (stdout, then
/// stderr, per command), against a registry that answers 40401 for the new subject's config.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_config_get_transcript() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("$ schemactl config get orders-value").unwrap();
    let end = start + readme[start..].find("```").unwrap();
    let shown = &readme[start..end];

    let proxy = DialectProxy::start(Dialect::only(Quirk::ConfigMissingIs404)).await;
    let dir = project("orders-value");
    let mut transcript = String::new();
    for line in shown.lines().filter(|l| l.starts_with("$ schemactl ")) {
        let args: Vec<&str> = line["$ schemactl ".len()..].split(' ').collect();
        let (code, stdout, stderr) = run(dir.path(), &proxy.url, &args);
        assert_eq!(code, 0, "{line}: {stderr}");
        transcript.push_str(&format!("{line}\n{stdout}{stderr}"));
    }
    assert_eq!(transcript, shown);
    proxy.stop().await;
}
