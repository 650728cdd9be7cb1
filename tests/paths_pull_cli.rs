//! References and paths (issue 10, points 5, 6, 7, 11): Protobuf imports satisfied by registered
//! references, paths that mean the same from every working directory, `pull` trees that compile,
//! `show` output that round-trips, and not-found errors that say what exists.

mod cli_support;

use cli_support::run_in;

mod registry_support;

use std::path::Path;

use schemactl::registry::{Registry, SchemaDefinition, SchemaReference};
use schemactl::schema::SchemaType;

const MONEY: &str = "syntax = \"proto3\";\n\npackage shop.common;\n\nmessage Money {\n  string currency = 1;\n  int64 minor_units = 2;\n}\n";

const ORDER: &str = "syntax = \"proto3\";\n\npackage shop.orders;\n\nimport \"common/money.proto\";\n\nmessage Order {\n  string id = 1;\n  shop.common.Money total = 2;\n}\n";

/// ORDER with a field added: compatible.
const ORDER_V2: &str = "syntax = \"proto3\";\n\npackage shop.orders;\n\nimport \"common/money.proto\";\n\nmessage Order {\n  string id = 1;\n  shop.common.Money total = 2;\n  string note = 3;\n}\n";

/// Avro as a person writes it: key order and spacing a registry must not change.
const ODD_AVRO: &str = "{\"name\":\"Odd\",   \"type\" : \"record\",\n \"fields\":[ {\"type\":\"long\",\"name\":\"id\"} ] }";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A project whose only subject imports `common/money.proto`, a reference registered as subject
/// `money` version 1, with no file of that name on disk; `registry` is its store or URL.
fn order_project(dir: &Path, registry: &str) {
    write(
        &dir.join("schemactl.toml"),
        &format!(
            "[registry]\n{registry}\n\n[[subject]]\ntopic = \"orders\"\nschema = \"order.proto\"\nreferences = [{{ name = \"common/money.proto\", subject = \"money\", version = 1 }}]\n"
        ),
    );
    write(&dir.join("order.proto"), ORDER);
}

/// Registers MONEY as `money` into the embedded store at `store` (through another project).
fn register_money(store: &Path) {
    let other = tempfile::tempdir().unwrap();
    write(
        &other.path().join("schemactl.toml"),
        "[[subject]]\nname = \"money\"\nschema = \"money.proto\"\n",
    );
    write(&other.path().join("money.proto"), MONEY);
    let (code, out, err) = run_in(
        other.path(),
        &["register", "--registry", store.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn protobuf_import_is_satisfied_by_a_registered_reference() {
    let dir = tempfile::tempdir().unwrap();
    register_money(&dir.path().join(".schemactl/registry.db"));
    order_project(dir.path(), "path = \".schemactl/registry.db\"");
    assert!(!dir.path().join("common/money.proto").exists());

    let (code, out, err) = run_in(dir.path(), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run_in(dir.path(), &["register"]);
    assert_eq!(code, 0, "{out}{err}");
    let (_, shown, _) = run_in(dir.path(), &["show", "orders-value", "--json"]);
    let record: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(
        record["references"],
        serde_json::json!([{"name": "common/money.proto", "subject": "money", "version": 1}])
    );
    // The evolved file is checked with the imported type from the registry.
    write(&dir.path().join("order.proto"), ORDER_V2);
    let (code, out, err) = run_in(dir.path(), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protobuf_import_from_a_registered_reference_against_a_served_registry() {
    let server = registry_support::TestServer::start(Default::default()).await;
    let client = server.client();
    client
        .register(
            "money",
            &SchemaDefinition::new(SchemaType::Protobuf, MONEY.to_string()),
            false,
        )
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    order_project(dir.path(), &format!("url = \"{}\"", server.url));
    let path = dir.path().to_path_buf();
    let (code, out, err) = tokio::task::spawn_blocking(move || run_in(&path, &["register"]))
        .await
        .unwrap();
    assert_eq!(code, 0, "{out}{err}");
    let record = client
        .version("orders-value", 1.into(), false)
        .await
        .unwrap();
    assert_eq!(
        record.references,
        vec![SchemaReference {
            name: "common/money.proto".to_string(),
            subject: "money".to_string(),
            version: 1
        }]
    );
    server.stop().await;
}

#[test]
fn a_registered_reference_that_does_not_exist_is_named() {
    let dir = tempfile::tempdir().unwrap();
    order_project(dir.path(), "path = \".schemactl/registry.db\"");
    let (code, _, err) = run_in(dir.path(), &["check"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("money"), "{err}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The shipped example project (`schemas/`, includes `["."]`, a Protobuf import of a project
/// file) in a temporary directory, registered; returns the directory holding `schemas/`.
fn registered_example() -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("schemas"), &work.path().join("schemas"));
    let _ = std::fs::remove_dir_all(work.path().join("schemas/.schemactl"));
    std::fs::create_dir(work.path().join("elsewhere")).unwrap();
    let (code, out, err) = run_in(work.path(), &["register", "-c", "schemas/schemactl.toml"]);
    assert_eq!(code, 0, "{out}{err}");
    work
}

#[test]
fn paths_mean_the_same_from_every_working_directory() {
    let work = registered_example();
    let root = work.path();
    // (working directory, config as given): the same files every time.
    let runs = [
        (root.to_path_buf(), "schemas/evolved.toml"),
        (root.to_path_buf(), "./schemas/./evolved.toml"),
        (root.join("schemas"), "evolved.toml"),
        (root.join("schemas"), "./evolved.toml"),
        (root.join("schemas/evolved"), "../evolved.toml"),
        (root.join("elsewhere"), "../schemas/evolved.toml"),
        (
            root.join("elsewhere"),
            "../elsewhere/../schemas/evolved.toml",
        ),
    ];
    for (cwd, config) in runs {
        let (code, out, err) = run_in(&cwd, &["check", "-c", config, "--format", "json"]);
        // The evolution breaks two subjects: exit 1, the same findings from everywhere.
        assert_eq!(code, 1, "from {}: -c {config}\n{out}{err}", cwd.display());
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let subjects = report.to_string();
        assert!(subjects.contains("orders-value"), "{subjects}");
        let (code, out, err) = run_in(
            &cwd,
            &[
                "check",
                "-c",
                &config.replace("evolved.toml", "schemactl.toml"),
            ],
        );
        assert_eq!(code, 0, "from {}: {out}{err}", cwd.display());
    }
}

#[test]
fn pulled_protobuf_references_sit_at_their_import_names() {
    let work = registered_example();
    let root = work.path();
    // --out is relative to the config file, wherever schemactl runs.
    let (code, out, err) = run_in(
        &root.join("elsewhere"),
        &["pull", "-c", "../schemas/schemactl.toml", "--out", "pulled"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let pulled = root.join("schemas/pulled");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    assert_eq!(
        std::fs::read_to_string(pulled.join("common/money.proto")).unwrap(),
        std::fs::read_to_string(repo.join("common/money.proto")).unwrap(),
        "the import name holds the registered text"
    );
    let order = pulled.join("orders-value/v1.proto");
    assert_eq!(
        std::fs::read_to_string(&order).unwrap(),
        std::fs::read_to_string(repo.join("order.proto")).unwrap(),
    );
    // The pulled tree resolves its own imports.
    let (code, out, err) = run_in(
        root,
        &[
            "compat",
            order.to_str().unwrap(),
            "--against",
            order.to_str().unwrap(),
            "-I",
            pulled.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    // Avro: byte for byte as registered, not re-indented.
    assert_eq!(
        std::fs::read_to_string(pulled.join("users-value/v1.avsc")).unwrap(),
        std::fs::read_to_string(repo.join("user.avsc")).unwrap(),
    );
}

/// An embedded store at `dir/.schemactl/registry.db` holding ODD_AVRO as `odd` version 1.
fn store_with_odd_avro(dir: &Path) {
    let store =
        schemactl::registry::local::LocalRegistry::open(&dir.join(".schemactl/registry.db"))
            .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(store.register(
        "odd",
        &SchemaDefinition::new(SchemaType::Avro, ODD_AVRO.to_string()),
        false,
    ))
    .unwrap();
}

#[test]
fn show_prints_the_registered_text_and_it_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    store_with_odd_avro(dir.path());
    let (code, out, err) = run_in(dir.path(), &["show", "odd"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out, ODD_AVRO,
        "stdout is the registered text, byte for byte"
    );
    assert!(err.contains("# subject odd version 1"), "{err}");
    // `show odd > odd.avsc`, then registering the file again changes nothing.
    write(&dir.path().join("odd.avsc"), &out);
    write(
        &dir.path().join("schemactl.toml"),
        "[[subject]]\nname = \"odd\"\nschema = \"odd.avsc\"\n",
    );
    let (code, out, err) = run_in(dir.path(), &["register"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("unchanged"), "{out}");
    let (_, versions, _) = run_in(dir.path(), &["versions", "odd"]);
    assert_eq!(versions, "1\n");
    let (code, _, err) = run_in(dir.path(), &["pull", "odd"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("pulled/odd/v1.avsc")).unwrap(),
        ODD_AVRO
    );
}

#[test]
fn missing_subjects_and_versions_are_bad_input_that_says_what_exists() {
    let dir = tempfile::tempdir().unwrap();
    store_with_odd_avro(dir.path());
    for args in [
        &["show", "nope"][..],
        &["versions", "nope"],
        &["pull", "nope"],
        &["diff", "nope", "--to", "1"],
    ] {
        let (code, _, err) = run_in(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("subject 'nope' not found"), "{args:?}: {err}");
        assert!(err.contains("subjects: odd"), "{args:?}: {err}");
        assert!(err.contains("schemactl subjects"), "{args:?}: {err}");
    }
    for args in [
        &["show", "odd", "7"][..],
        &["diff", "odd", "--version", "7", "--to", "1"],
        &["diff", "odd", "--to", "7"],
    ] {
        let (code, _, err) = run_in(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("subject 'odd' has no version 7"),
            "{args:?}: {err}"
        );
        assert!(err.contains("its versions: 1"), "{args:?}: {err}");
    }
}

#[test]
fn an_unreachable_registry_stays_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(
        dir.path(),
        &["show", "odd", "--registry", "http://127.0.0.1:9"],
    );
    assert_eq!(code, 3, "{err}");
}

/// A registry on a loopback port that answers every `GET /subjects/{s}/versions/{v}` from
/// `records` (subject → record JSON), and 404 / 40401 otherwise: registry data no real registry
/// would accept, as a hostile or broken one may serve it.
fn canned_registry(records: Vec<(&'static str, serde_json::Value)>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            // Skip the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("");
            let subject = path
                .strip_prefix("/subjects/")
                .and_then(|rest| rest.split('/').next())
                .unwrap_or("");
            let (status, body) = match records.iter().find(|(s, _)| *s == subject) {
                Some((_, record)) if path.contains("/versions/") => ("200 OK", record.to_string()),
                _ => (
                    "404 Not Found",
                    serde_json::json!({"error_code": 40401, "message": "Subject not found."})
                        .to_string(),
                ),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/vnd.schemaregistry.v1+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn reference_names_cannot_write_outside_the_pull_directory() {
    for name in [
        "../../escape.proto",
        "/tmp/schemactl-escape.proto",
        "a/../../b.proto",
    ] {
        let record = |subject: &str, schema: &str, references: serde_json::Value| {
            serde_json::json!({
                "subject": subject, "version": 1, "id": 1, "schemaType": "PROTOBUF",
                "schema": schema, "references": references,
            })
        };
        let url = canned_registry(vec![
            (
                "evil",
                record(
                    "evil",
                    ORDER,
                    serde_json::json!([{"name": name, "subject": "money", "version": 1}]),
                ),
            ),
            ("money", record("money", MONEY, serde_json::json!([]))),
        ]);
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("a/b");
        std::fs::create_dir_all(&dir).unwrap();
        let (code, out, err) = run_in(&dir, &["pull", "evil", "--registry", &url]);
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(err.contains(&format!("reference name '{name}'")), "{err}");
        assert!(err.contains("refusing to write it"), "{err}");
        assert!(!work.path().join("escape.proto").exists());
        assert!(!work.path().join("b.proto").exists());
        assert!(!Path::new("/tmp/schemactl-escape.proto").exists());
    }
}

#[test]
fn pull_all_leaves_the_newest_import_at_its_name_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        schemactl::registry::local::LocalRegistry::open(&dir.path().join(".schemactl/registry.db"))
            .unwrap();
    let money_v2 = MONEY.replace(
        "int64 minor_units = 2;",
        "int64 minor_units = 2;\n  string note = 3;",
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        for text in [MONEY.to_string(), money_v2.clone()] {
            store
                .register(
                    "money",
                    &SchemaDefinition::new(SchemaType::Protobuf, text),
                    false,
                )
                .await
                .unwrap();
        }
        for (text, version) in [(ORDER, 1), (ORDER_V2, 2)] {
            let definition = SchemaDefinition::new(SchemaType::Protobuf, text.to_string())
                .with_references(vec![SchemaReference {
                    name: "common/money.proto".to_string(),
                    subject: "money".to_string(),
                    version,
                }]);
            store
                .register("orders-value", &definition, false)
                .await
                .unwrap();
        }
    });
    drop(store);
    let (code, out, err) = run_in(dir.path(), &["pull", "orders-value", "--all"]);
    assert_eq!(code, 0, "{out}{err}");
    let pulled = dir.path().join("pulled");
    assert_eq!(
        std::fs::read_to_string(pulled.join("common/money.proto")).unwrap(),
        money_v2
    );
    assert_eq!(
        std::fs::read_to_string(pulled.join("money/v1.proto")).unwrap(),
        MONEY
    );
    assert!(err.contains("holds money version 2"), "{err}");
    assert!(err.contains("money version 1 is in"), "{err}");
    // The newest pulled version resolves its imports from the tree.
    let newest = pulled.join("orders-value/v2.proto");
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "compat",
            newest.to_str().unwrap(),
            "--against",
            newest.to_str().unwrap(),
            "-I",
            pulled.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
}
