//! Which schema id a producer writes, in the style of Confluent's serializer settings:
//!
//! - [`IdStrategy::Fixed`]: an id known in advance (pinned at build time or from a lock file);
//! - [`IdStrategy::AutoRegister`]: `auto.register.schemas=true`, register-or-lookup;
//! - [`IdStrategy::Lookup`]: `auto.register.schemas=false`, find the schema under its subject;
//! - [`IdStrategy::UseLatest`]: `use.latest.version=true`, write with the subject's latest id.
//!
//! The registry is reached through [`SchemaLookup`], an object-safe async trait that the
//! `registry-client` feature implements for schemactl's registry clients; results are cached,
//! so the registry is asked once per schema of a subject (and once per id for writer schemas).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// A boxed future, so that [`SchemaLookup`] stays object safe without extra dependencies.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A schema as a registry takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaText<'a> {
    /// `AVRO` or `PROTOBUF`.
    pub schema_type: &'static str,
    pub schema: &'a str,
    /// Confluent references: `(name, subject)`, latest version.
    pub references: &'a [(&'a str, &'a str)],
}

/// A schema another one references (a Confluent schema reference), with everything a registry
/// needs to register it first: generated types carry a tree of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    /// The name the referencing schema uses: an Avro full name or a Protobuf import path.
    pub name: &'static str,
    pub subject: &'static str,
    /// The referenced schema's text, as registered.
    pub schema: &'static str,
    /// What the referenced schema references in turn.
    pub references: &'static [Reference],
}

impl Reference {
    /// `(name, subject)` of each reference, as [`SchemaText::references`] takes them.
    pub fn pairs(references: &[Reference]) -> Vec<(&'static str, &'static str)> {
        references.iter().map(|r| (r.name, r.subject)).collect()
    }

    /// Every schema text below `references`, transitively, dependencies first, each once.
    pub fn schemas_in_order(references: &[Reference]) -> Vec<&'static str> {
        fn visit(references: &[Reference], out: &mut Vec<&'static str>) {
            for r in references {
                visit(r.references, out);
                if !out.contains(&r.schema) {
                    out.push(r.schema);
                }
            }
        }
        let mut out = Vec::new();
        visit(references, &mut out);
        out
    }
}

/// A registered schema as a reader of its data needs it: its type, its text and what it
/// references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredSchema {
    /// Confluent's `schemaType`: `AVRO` (also when the registry leaves it out) or `PROTOBUF`.
    pub schema_type: &'static str,
    pub schema: String,
    /// Its references, transitively, dependencies first: `(reference name, schema text)`.
    pub dependencies: Vec<(String, String)>,
}

/// Why no schema id could be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("schema registry: {0}")]
    Registry(String),
    #[error("subject '{0}' has no such schema and auto-registration is off")]
    NotRegistered(String),
    /// The registry answered that it has no schema with this id (Confluent's 40403): the id
    /// itself is wrong, unlike [`IdError::Registry`], where the registry could not be asked.
    #[error("schema id {0} is not in the schema registry")]
    UnknownId(u32),
}

/// The registry calls id resolution needs.
pub trait SchemaLookup: Send + Sync {
    /// `POST /subjects/{subject}/versions`: registers (or finds) the schema; its id.
    fn register<'a>(
        &'a self,
        subject: &'a str,
        schema: SchemaText<'a>,
    ) -> BoxFuture<'a, Result<u32, IdError>>;
    /// `POST /subjects/{subject}`: the id of this schema under the subject.
    fn lookup<'a>(
        &'a self,
        subject: &'a str,
        schema: SchemaText<'a>,
    ) -> BoxFuture<'a, Result<u32, IdError>>;
    /// `GET /subjects/{subject}/versions/latest`: the latest id.
    fn latest<'a>(&'a self, subject: &'a str) -> BoxFuture<'a, Result<u32, IdError>>;
    /// `GET /schemas/ids/{id}`: the schema, with its references resolved (each
    /// `GET /subjects/{subject}/versions/{version}`); [`IdError::UnknownId`] when the registry
    /// has no such id.
    fn schema_by_id(&self, id: u32) -> BoxFuture<'_, Result<RegisteredSchema, IdError>>;
}

/// How the producer picks the id it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdStrategy {
    Fixed(u32),
    AutoRegister,
    Lookup,
    UseLatest,
}

/// Resolves and caches schema ids (and writer schemas by id) for one registry.
pub struct SchemaIds {
    registry: Option<Arc<dyn SchemaLookup>>,
    strategy: IdStrategy,
    /// Per subject, the id of each schema asked for: two versions of a subject's type have
    /// two ids, so the key is the schema itself, not only its subject.
    ids: Mutex<HashMap<String, Vec<(CachedSchema, u32)>>>,
    schemas: Mutex<HashMap<u32, Arc<RegisteredSchema>>>,
}

impl SchemaIds {
    /// A fixed id: no registry involved.
    pub fn fixed(id: u32) -> Self {
        Self {
            registry: None,
            strategy: IdStrategy::Fixed(id),
            ids: Mutex::default(),
            schemas: Mutex::default(),
        }
    }

    /// Ids through `registry` (any [`SchemaLookup`]; with the `registry-client` feature, see
    /// also [`SchemaIds::open`] and [`SchemaIds::from_registry`]).
    pub fn new(registry: impl SchemaLookup + 'static, strategy: IdStrategy) -> Self {
        Self {
            registry: Some(Arc::new(registry)),
            strategy,
            ids: Mutex::default(),
            schemas: Mutex::default(),
        }
    }

    /// Ids through a [`Registry`](crate::registry::Registry) client, such as
    /// `HttpRegistry::new(url, options)?`.
    #[cfg(feature = "registry-client")]
    pub fn from_registry(
        registry: impl crate::registry::Registry + 'static,
        strategy: IdStrategy,
    ) -> Self {
        Self::new(Arc::new(registry), strategy)
    }

    /// Ids through the registry at `target`, opened as [`crate::registry::open`] does: an
    /// `http(s)://` URL configured from the environment (`SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO`,
    /// …), or an embedded store's path with the `registry` feature. Nothing is sent until the
    /// first id is asked for.
    #[cfg(feature = "registry-client")]
    pub fn open(
        target: &str,
        strategy: IdStrategy,
    ) -> Result<Self, crate::registry::RegistryError> {
        Ok(Self::new(crate::registry::open(target)?, strategy))
    }

    /// The id to write for a schema under `subject`, from the cache after the first call.
    pub async fn id_for(&self, subject: &str, schema: SchemaText<'_>) -> Result<u32, IdError> {
        if let IdStrategy::Fixed(id) = self.strategy {
            return Ok(id);
        }
        if let Some(id) = self.cached(subject, &schema) {
            return Ok(id);
        }
        let registry = self.registry()?;
        let id = match self.strategy {
            IdStrategy::AutoRegister => registry.register(subject, schema.clone()).await?,
            IdStrategy::Lookup => registry.lookup(subject, schema.clone()).await?,
            IdStrategy::UseLatest => registry.latest(subject).await?,
            IdStrategy::Fixed(id) => id,
        };
        self.remember(subject, &schema, id);
        Ok(id)
    }

    /// The id already found for this schema under `subject`. A linear scan of the subject's
    /// few schemas, so that the hot path allocates nothing.
    fn cached(&self, subject: &str, schema: &SchemaText<'_>) -> Option<u32> {
        lock(&self.ids)
            .get(subject)?
            .iter()
            .find(|(cached, _)| cached.is(schema))
            .map(|&(_, id)| id)
    }

    fn remember(&self, subject: &str, schema: &SchemaText<'_>, id: u32) {
        let mut ids = lock(&self.ids);
        let entries = ids.entry(subject.to_string()).or_default();
        if !entries.iter().any(|(cached, _)| cached.is(schema)) {
            entries.push((CachedSchema::of(schema), id));
        }
    }

    /// The id for a generated Avro type: its pinned id if it has one (and the strategy is not
    /// `UseLatest`), else per the strategy.
    pub async fn id_for_type<T: super::avro::AvroType>(&self) -> Result<u32, IdError> {
        self.id_for_generated("AVRO", T::SUBJECT, T::SCHEMA, T::SCHEMA_ID, T::REFERENCES)
            .await
    }

    /// The id for a generated Protobuf message, as [`SchemaIds::id_for_type`].
    pub async fn id_for_message<M: super::protobuf::ProtobufType>(&self) -> Result<u32, IdError> {
        self.id_for_generated(
            "PROTOBUF",
            M::SUBJECT,
            M::SCHEMA,
            M::SCHEMA_ID,
            M::REFERENCES,
        )
        .await
    }

    /// The id for a generated JSON Schema type, as [`SchemaIds::id_for_type`] (registered as
    /// `schemaType: "JSON"`).
    pub async fn id_for_json<T: super::json::JsonType>(&self) -> Result<u32, IdError> {
        self.id_for_generated("JSON", T::SUBJECT, T::SCHEMA, T::SCHEMA_ID, T::REFERENCES)
            .await
    }

    async fn id_for_generated(
        &self,
        schema_type: &'static str,
        subject: &str,
        schema: &str,
        pinned: Option<u32>,
        references: &'static [Reference],
    ) -> Result<u32, IdError> {
        if let (Some(id), false) = (pinned, self.strategy == IdStrategy::UseLatest) {
            return Ok(id);
        }
        let pairs = Reference::pairs(references);
        let text = SchemaText {
            schema_type,
            schema,
            references: &pairs,
        };
        if self.strategy == IdStrategy::AutoRegister && self.cached(subject, &text).is_none() {
            // As Confluent's serializers do with `auto.register.schemas=true`: what a schema
            // references is registered first, or the registry refuses the schema.
            self.register_references(schema_type, references).await?;
        }
        self.id_for(subject, text).await
    }

    /// Registers `references` depth first, each schema once per `SchemaIds`.
    async fn register_references(
        &self,
        schema_type: &'static str,
        references: &'static [Reference],
    ) -> Result<(), IdError> {
        let mut stack: Vec<(&Reference, bool)> =
            references.iter().rev().map(|r| (r, false)).collect();
        while let Some((r, children_done)) = stack.pop() {
            let pairs = Reference::pairs(r.references);
            let text = SchemaText {
                schema_type,
                schema: r.schema,
                references: &pairs,
            };
            if self.cached(r.subject, &text).is_some() {
                continue;
            }
            if !children_done {
                stack.push((r, true));
                stack.extend(r.references.iter().rev().map(|c| (c, false)));
                continue;
            }
            let id = self.registry()?.register(r.subject, text.clone()).await?;
            self.remember(r.subject, &text, id);
        }
        Ok(())
    }

    /// The schema registered under `id` (a writer schema) with its references, cached.
    pub async fn schema(&self, id: u32) -> Result<Arc<RegisteredSchema>, IdError> {
        if let Some(s) = lock(&self.schemas).get(&id) {
            return Ok(s.clone());
        }
        let schema = Arc::new(self.registry()?.schema_by_id(id).await?);
        lock(&self.schemas).insert(id, schema.clone());
        Ok(schema)
    }

    fn registry(&self) -> Result<&Arc<dyn SchemaLookup>, IdError> {
        self.registry
            .as_ref()
            .ok_or_else(|| IdError::Registry("no registry configured (fixed schema id)".into()))
    }
}

/// What identifies a schema under a subject, as the registry sees it: its type, its text and
/// its references.
struct CachedSchema {
    schema_type: &'static str,
    schema: String,
    references: Vec<(String, String)>,
}

impl CachedSchema {
    fn of(s: &SchemaText<'_>) -> Self {
        Self {
            schema_type: s.schema_type,
            schema: s.schema.to_string(),
            references: s
                .references
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
        }
    }

    fn is(&self, s: &SchemaText<'_>) -> bool {
        self.schema_type == s.schema_type
            && self.schema == s.schema
            && self.references.len() == s.references.len()
            && self
                .references
                .iter()
                .zip(s.references)
                .all(|((n, sub), (n2, sub2))| n == n2 && sub == sub2)
    }
}

/// A poisoned cache is still a valid cache: the maps are only ever inserted into.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(feature = "registry-client")]
mod registry_impl {
    use super::{BoxFuture, IdError, RegisteredSchema, SchemaLookup, SchemaText};
    use crate::registry::references::dependencies_of;
    use crate::registry::{Registry, SchemaDefinition, SchemaReference, VersionSpec};

    /// The registry form of a schema; each reference is pinned to its subject's latest version,
    /// as Confluent's serializers do when they register a schema with references.
    async fn definition<R: Registry + ?Sized>(
        registry: &R,
        schema: &SchemaText<'_>,
    ) -> Result<SchemaDefinition, IdError> {
        let schema_type = match schema.schema_type {
            "PROTOBUF" => crate::registry::SchemaType::Protobuf,
            "JSON" => crate::registry::SchemaType::Json,
            _ => crate::registry::SchemaType::Avro,
        };
        let mut references = Vec::new();
        for (name, subject) in schema.references {
            let latest = registry
                .version(subject, VersionSpec::Latest, false)
                .await
                .map_err(|e| not_found_or_err(e, subject))?;
            references.push(SchemaReference {
                name: (*name).to_string(),
                subject: (*subject).to_string(),
                version: latest.version,
            });
        }
        Ok(SchemaDefinition::new(schema_type, schema.schema).with_references(references))
    }

    fn err(e: crate::registry::RegistryError) -> IdError {
        IdError::Registry(e.to_string())
    }

    /// A subject or schema the registry does not have is `NotRegistered`; anything else
    /// (network, auth, invalid schema) stays a registry error.
    fn not_found_or_err(e: crate::registry::RegistryError, subject: &str) -> IdError {
        if e.is_lookup_miss() {
            IdError::NotRegistered(subject.to_string())
        } else {
            err(e)
        }
    }

    impl<R: Registry + ?Sized> SchemaLookup for std::sync::Arc<R> {
        fn register<'a>(
            &'a self,
            subject: &'a str,
            schema: SchemaText<'a>,
        ) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move {
                let def = definition(self.as_ref(), &schema).await?;
                Ok(self
                    .as_ref()
                    .register(subject, &def, false)
                    .await
                    .map_err(err)?
                    .id)
            })
        }

        fn lookup<'a>(
            &'a self,
            subject: &'a str,
            schema: SchemaText<'a>,
        ) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move {
                let def = definition(self.as_ref(), &schema).await?;
                Ok(self
                    .as_ref()
                    .lookup(subject, &def, false, false)
                    .await
                    .map_err(|e| not_found_or_err(e, subject))?
                    .id)
            })
        }

        fn latest<'a>(&'a self, subject: &'a str) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move {
                Ok(self
                    .as_ref()
                    .version(subject, VersionSpec::Latest, false)
                    .await
                    .map_err(err)?
                    .id)
            })
        }

        fn schema_by_id(&self, id: u32) -> BoxFuture<'_, Result<RegisteredSchema, IdError>> {
            Box::pin(async move {
                let registry = self.as_ref();
                let definition = registry.schema_by_id(id).await.map_err(|e| {
                    // Only Confluent's 40403 says the id is wrong; a bare 404 (a proxy, a
                    // wrong base URL) says nothing about the id and stays a registry error.
                    if e.kind() == crate::registry::ErrorKind::SchemaNotFound {
                        IdError::UnknownId(id)
                    } else {
                        err(e)
                    }
                })?;
                let mut dependencies = Vec::new();
                dependencies_of(
                    registry,
                    &definition.references,
                    &mut dependencies,
                    &mut Default::default(),
                )
                .await
                .map_err(err)?;
                Ok(RegisteredSchema {
                    schema_type: definition.schema_type.as_str(),
                    schema: definition.schema,
                    dependencies: dependencies
                        .into_iter()
                        .map(|(name, d)| (name, d.schema))
                        .collect(),
                })
            })
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Registers under ids 100, 101, …, recording each subject with the reference names its
    /// registration carried; finds nothing by lookup; has version 7 as every subject's latest.
    #[derive(Default, Clone)]
    struct Counting {
        calls: Arc<Mutex<Vec<Call>>>,
    }

    /// A registration: the subject and the reference names it carried.
    type Call = (String, Vec<String>);

    impl SchemaLookup for Counting {
        fn register<'a>(
            &'a self,
            subject: &'a str,
            schema: SchemaText<'a>,
        ) -> BoxFuture<'a, Result<u32, IdError>> {
            let refs = schema
                .references
                .iter()
                .map(|(n, _)| n.to_string())
                .collect();
            let mut calls = lock(&self.calls);
            calls.push((subject.to_string(), refs));
            let id = 99 + calls.len() as u32;
            Box::pin(async move { Ok(id) })
        }
        fn lookup<'a>(
            &'a self,
            s: &'a str,
            _: SchemaText<'a>,
        ) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move { Err(IdError::NotRegistered(s.to_string())) })
        }
        fn latest<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move { Ok(7) })
        }
        fn schema_by_id(&self, id: u32) -> BoxFuture<'_, Result<RegisteredSchema, IdError>> {
            Box::pin(async move {
                Ok(RegisteredSchema {
                    schema_type: "AVRO",
                    schema: format!("schema {id}"),
                    dependencies: Vec::new(),
                })
            })
        }
    }

    /// Drives a future that never waits (the test registry answers at once).
    pub(crate) fn block_on<F: Future>(f: F) -> F::Output {
        use std::task::{Context, Poll, Waker};
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    const TEXT: SchemaText<'static> = SchemaText {
        schema_type: "AVRO",
        schema: "\"string\"",
        references: &[],
    };

    #[test]
    fn auto_register_asks_once_per_subject() {
        let ids = SchemaIds::new(Counting::default(), IdStrategy::AutoRegister);
        assert_eq!(block_on(ids.id_for("a-value", TEXT.clone())), Ok(100));
        assert_eq!(block_on(ids.id_for("a-value", TEXT.clone())), Ok(100));
        assert_eq!(block_on(ids.id_for("b-value", TEXT.clone())), Ok(101));
    }

    /// Two versions of a subject's type are two schemas: one `SchemaIds` registers each and
    /// keeps each one's id (it once returned the first version's id for the second).
    #[test]
    fn each_schema_of_a_subject_has_its_own_id() {
        let registry = Counting::default();
        let ids = SchemaIds::new(registry.clone(), IdStrategy::AutoRegister);
        let v2 = SchemaText {
            schema: "\"long\"",
            ..TEXT
        };
        let v1_id = block_on(ids.id_for("a-value", TEXT.clone())).unwrap();
        let v2_id = block_on(ids.id_for("a-value", v2.clone())).unwrap();
        assert_eq!((v1_id, v2_id), (100, 101));
        for (text, id) in [(TEXT.clone(), v1_id), (v2, v2_id)] {
            assert_eq!(block_on(ids.id_for("a-value", text)), Ok(id));
            let frame = crate::runtime::avro::to_frame(&crate::runtime::logical::Date(0), id);
            assert_eq!(crate::wire::decode(&frame).unwrap().schema_id, id);
        }
        // The same text as another type, or with other references, is another schema.
        let proto = SchemaText {
            schema_type: "PROTOBUF",
            ..TEXT
        };
        let with_ref = SchemaText {
            references: &[("a.proto", "a")],
            ..TEXT
        };
        assert_eq!(block_on(ids.id_for("a-value", proto)), Ok(102));
        assert_eq!(block_on(ids.id_for("a-value", with_ref)), Ok(103));
        assert_eq!(lock(&registry.calls).len(), 4);
    }

    #[test]
    fn strategies_map_to_registry_calls() {
        let lookup = SchemaIds::new(Counting::default(), IdStrategy::Lookup);
        assert_eq!(
            block_on(lookup.id_for("a-value", TEXT.clone())),
            Err(IdError::NotRegistered("a-value".into()))
        );
        let latest = SchemaIds::new(Counting::default(), IdStrategy::UseLatest);
        assert_eq!(block_on(latest.id_for("a-value", TEXT.clone())), Ok(7));
        assert_eq!(block_on(latest.schema(3)).unwrap().schema, "schema 3");
        assert_eq!(
            block_on(SchemaIds::fixed(42).id_for("x", TEXT.clone())),
            Ok(42)
        );
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Payment {}

    impl super::super::json::JsonType for Payment {
        const SCHEMA: &'static str = r#"{"type": "object"}"#;
        const SUBJECT: &'static str = "payments-value";
        const SCHEMA_ID: Option<u32> = None;
    }

    /// Records the schema type of each registration.
    #[derive(Default)]
    struct Types(Mutex<Vec<&'static str>>);

    impl SchemaLookup for Types {
        fn register<'a>(
            &'a self,
            _: &'a str,
            schema: SchemaText<'a>,
        ) -> BoxFuture<'a, Result<u32, IdError>> {
            lock(&self.0).push(schema.schema_type);
            Box::pin(async move { Ok(5) })
        }
        fn lookup<'a>(
            &'a self,
            _: &'a str,
            _: SchemaText<'a>,
        ) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move { Ok(6) })
        }
        fn latest<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move { Ok(7) })
        }
        fn schema_by_id(&self, _: u32) -> BoxFuture<'_, Result<RegisteredSchema, IdError>> {
            Box::pin(async move { Err(IdError::Registry("unused".into())) })
        }
    }

    #[test]
    fn json_types_register_as_json() {
        let types = Arc::new(Types::default());
        let ids = SchemaIds {
            registry: Some(types.clone() as Arc<dyn SchemaLookup>),
            strategy: IdStrategy::AutoRegister,
            ids: Mutex::default(),
            schemas: Mutex::default(),
        };
        assert_eq!(block_on(ids.id_for_json::<Payment>()), Ok(5));
        assert_eq!(*lock(&types.0), ["JSON"]);
    }

    const MONEY: Reference = Reference {
        name: "money.proto",
        subject: "money.proto",
        schema: "money",
        references: &[],
    };
    const LINE: Reference = Reference {
        name: "line.proto",
        subject: "line.proto",
        schema: "line",
        references: &[MONEY],
    };
    /// order.proto imports line.proto and money.proto; line.proto imports money.proto.
    const ORDER_REFS: &[Reference] = &[LINE, MONEY];

    #[test]
    fn auto_register_registers_references_first_each_once() {
        let registry = Counting::default();
        let ids = SchemaIds::new(registry.clone(), IdStrategy::AutoRegister);
        let order = ids.id_for_generated("PROTOBUF", "order", "order", None, ORDER_REFS);
        assert_eq!(block_on(order).unwrap(), 102);
        let calls = lock(&registry.calls).clone();
        let subjects: Vec<&str> = calls.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(subjects, ["money.proto", "line.proto", "order"]);
        assert_eq!(calls[1].1, ["money.proto"]);
        assert_eq!(calls[2].1, ["line.proto", "money.proto"]);
        // Cached: nothing more is registered.
        let again = ids.id_for_generated("PROTOBUF", "order", "order", None, ORDER_REFS);
        assert_eq!(block_on(again).unwrap(), 102);
        assert_eq!(lock(&registry.calls).len(), 3);
    }

    #[test]
    fn lookup_registers_nothing() {
        let registry = Counting::default();
        let ids = SchemaIds::new(registry.clone(), IdStrategy::Lookup);
        let order = ids.id_for_generated("PROTOBUF", "order", "order", None, ORDER_REFS);
        assert!(matches!(block_on(order), Err(IdError::NotRegistered(_))));
        assert!(lock(&registry.calls).is_empty());
    }

    /// One call builds ids over a registry client, with no `Arc` at the caller.
    #[cfg(feature = "registry")]
    #[test]
    fn from_registry_and_open_take_a_registry_directly() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let store = crate::registry::local::LocalRegistry::in_memory().unwrap();
        let auto = SchemaIds::from_registry(store, IdStrategy::AutoRegister);
        let id = runtime
            .block_on(auto.id_for("a-value", TEXT.clone()))
            .unwrap();
        assert_eq!(
            runtime.block_on(auto.schema(id)).unwrap().schema,
            "\"string\""
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("registry.db");
        let path = path.to_str().unwrap();
        let register = SchemaIds::open(path, IdStrategy::AutoRegister).unwrap();
        let id = runtime
            .block_on(register.id_for("b-value", TEXT.clone()))
            .unwrap();
        let lookup = SchemaIds::open(path, IdStrategy::Lookup).unwrap();
        assert_eq!(
            runtime.block_on(lookup.id_for("b-value", TEXT.clone())),
            Ok(id)
        );
        assert_eq!(
            runtime.block_on(lookup.id_for("c-value", TEXT.clone())),
            Err(IdError::NotRegistered("c-value".into()))
        );
    }

    #[test]
    fn references_flatten_dependencies_first() {
        assert_eq!(Reference::schemas_in_order(ORDER_REFS), ["money", "line"]);
    }
}
