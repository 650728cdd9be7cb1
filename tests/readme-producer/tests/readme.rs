//! README's producer story, verbatim: the crate's `Cargo.toml` dependency lines, `build.rs` and
//! `src/lib.rs` are README's blocks byte for byte, and README's Avro and runtime examples are
//! compiled and run here (between `README:` markers, which `snippets_are_readme_s` compares).

use std::error::Error;
use std::sync::Arc;

use schemactl::registry::local::LocalRegistry;
use schemactl::registry::server::{self, ServerOptions};
use schemactl::registry::Registry;
use schemactl::runtime::avro::AvroType;
use schemactl_readme_producer::avro::com::acme::orders::Order;
use schemactl_readme_producer::avro::com::acme::User;

// README: allocator
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
// README: end

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    let path = format!("{MANIFEST_DIR}/{path}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[path = "../../readme_support/mod.rs"]
mod readme_support;
use readme_support::{block_with, section, snippet_of};

/// The lines of this file between `// README: <name>` and `// README: end`, dedented.
fn snippet(name: &str) -> String {
    snippet_of(&read("tests/readme.rs"), name)
}

#[test]
fn crate_files_are_readme_s() {
    let readme = read("../../README.md");
    let producer = section(&readme, "### In a producer crate");
    let dependencies = block_with(producer, "[build-dependencies]");
    assert!(
        read("Cargo.toml").contains(&dependencies),
        "Cargo.toml lacks README's lines:\n{dependencies}"
    );
    assert_eq!(block_with(producer, "// build.rs"), read("build.rs"));
    assert_eq!(block_with(producer, "// src/lib.rs"), read("src/lib.rs"));
}

#[test]
fn snippets_are_readme_s() {
    let readme = read("../../README.md");
    let avro = section(&readme, "### Avro → Rust");
    assert_eq!(block_with(avro, "from_frame_into("), snippet("avro"));
    let runtime = section(
        &readme,
        "### The runtime (`schemactl` with `default-features = false`)",
    );
    assert_eq!(block_with(runtime, "SchemaIds::fixed"), snippet("runtime"));
    assert_eq!(
        block_with(runtime, "#[global_allocator]"),
        snippet("allocator")
    );
    let allocator_dependency = block_with(runtime, "mimalloc = ");
    assert!(
        read("Cargo.toml").contains(&allocator_dependency),
        "Cargo.toml lacks README's line:\n{allocator_dependency}"
    );
}

#[test]
fn user_has_default_as_readme_says() {
    let user = User::default();
    assert_eq!((user.id, user.name.as_str(), user.email), (0, "", None));
}

#[rustfmt::skip]
fn avro_example(user: User, frames: Vec<&[u8]>) -> Result<(User, User), Box<dyn Error>> {
    // README: avro
    use schemactl::runtime::avro::{to_frame, from_frame, from_frame_into, to_datum, from_datum};
    let bytes = to_frame(&user, 101);            // magic 0, id 101 big-endian, datum
    let back: User = from_frame(&bytes, 101)?;   // checks magic, length and id; typed errors

    // A consumer loop: decode into one value, reusing its strings, vectors and nested records.
    let mut user = User::default();
    for frame in frames {
        from_frame_into(frame, 101, &mut user)?;  // also from_datum_into, AvroDecode::avro_decode_into
    }
    // README: end
    assert_eq!(from_datum::<User>(&to_datum(&user))?, user);
    Ok((back, user))
}

#[test]
fn avro_example_runs() {
    let ada = User {
        id: 7,
        name: "Ada".into(),
        email: Some("ada@example.com".into()),
        tags: vec!["a".into(), "b".into()],
    };
    let bob = User {
        id: 8,
        name: "Bob".into(),
        ..User::default()
    };
    let frames = [
        schemactl::runtime::avro::to_frame(&ada, 101),
        schemactl::runtime::avro::to_frame(&bob, 101),
    ];
    let (back, last) =
        avro_example(ada.clone(), frames.iter().map(Vec::as_slice).collect()).unwrap();
    assert_eq!((back, last), (ada, bob));
}

#[rustfmt::skip]
async fn runtime_example(url: String, order: Order) -> Result<(u32, Vec<u8>, [u32; 3]), Box<dyn Error>> {
    // README: runtime
    use schemactl::registry::http::{HttpOptions, HttpRegistry};
    use schemactl::runtime::avro::to_frame;
    use schemactl::runtime::ids::{IdStrategy, SchemaIds};

    let fixed = SchemaIds::fixed(101);                              // pinned or from a lock file
    let auto = SchemaIds::open(&url, IdStrategy::AutoRegister)?;    // auto.register.schemas=true
    let lookup = SchemaIds::open(&url, IdStrategy::Lookup)?;        // auto.register.schemas=false
    let latest = SchemaIds::open(&url, IdStrategy::UseLatest)?;     // use.latest.version=true
    let custom = SchemaIds::from_registry(HttpRegistry::new(&url, HttpOptions::default())?, IdStrategy::Lookup);

    let id = auto.id_for_type::<Order>().await?;                   // registers com.acme.User first
    let frame = to_frame(&order, id);
    // README: end
    let others = [
        lookup.id_for_type::<Order>().await?,
        latest.id_for_type::<Order>().await?,
        custom.id_for_type::<Order>().await?,
    ];
    assert_eq!(fixed.id_for_type::<User>().await?, 101);
    Ok((id, frame, others))
}

/// README's runtime example against a registry served over HTTP on loopback.
#[tokio::test]
async fn runtime_example_runs_against_a_registry() {
    let store = Arc::new(LocalRegistry::in_memory().unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served: Arc<dyn Registry> = store.clone();
    let task = tokio::spawn(server::serve(
        listener,
        served,
        ServerOptions::default(),
        async move {
            let _ = stopped.await;
        },
    ));

    let order = Order {
        id: "o-1".into(),
        user: User::default(),
    };
    let (id, frame, others) = runtime_example(url, order.clone()).await.unwrap();
    assert_eq!(others, [id; 3]);
    assert_eq!(
        schemactl::runtime::avro::from_frame::<Order>(&frame, id).unwrap(),
        order
    );
    // The referenced type was registered first, under its own subject.
    assert_eq!(store.versions(User::SUBJECT, false).await.unwrap(), [1]);
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}
