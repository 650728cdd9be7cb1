//! The embedded registry: a SQLite file with Confluent Schema Registry's semantics.
//!
//! - Ids are global: one id per distinct schema (type, canonical text, references), shared by
//!   every subject that registers it.
//! - Versions count from 1 per subject: the next is one more than the highest row the subject
//!   has, so a soft-deleted version keeps its number and permanently deleting the latest frees it.
//! - Registering a schema already live under the subject returns its id and adds no version.
//! - References must exist at registration and block deletes of what they point to.
//! - The subject's compatibility level (else the global one, else BACKWARD) is enforced with
//!   [`crate::compat::check`] before anything is written; a refusal leaves no trace.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction on a WAL database with `synchronous=FULL`,
//! so an acknowledged write survives a crash of the process. One connection behind a mutex
//! serializes calls within a process; SQLite's lock (with a busy timeout) serializes processes.
//! SQLite calls are short and run inline on the calling task.
//!
//! Parsing and compatibility checks are not short (their cost grows with the schema), so they
//! never run under the mutex: a registration reads what it needs in one short transaction,
//! parses and checks on tokio's blocking pool, then commits in a second transaction that first
//! re-validates what it read (and starts over if another writer moved the subject meanwhile).
//! [`Limits`] bound what one request may cost: schema size, a time budget, and how many
//! parse-and-check jobs run at once.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::canonical::identity_key;
use super::resolve::{parse_definition, prepare};
use super::types::{
    CompatibilityResult, Mode, Registration, SchemaDefinition, SchemaRecord, SchemaReference,
    SubjectVersion, VersionSpec,
};
use super::{Registry, RegistryError, Result};
use crate::compat::{self, Level, Options, Report};
use crate::schema::{Schema, SchemaType};

/// The level a registry has before anyone sets one, as in Confluent.
pub const DEFAULT_LEVEL: Level = Level::Backward;

/// Key of the global row in the `config` and `mode` tables.
const GLOBAL: &str = "";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS schemas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    schema_type TEXT NOT NULL,
    schema TEXT NOT NULL,
    refs TEXT NOT NULL,
    identity TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS versions (
    subject TEXT NOT NULL,
    version INTEGER NOT NULL,
    schema_id INTEGER NOT NULL REFERENCES schemas(id),
    deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (subject, version)
);
CREATE INDEX IF NOT EXISTS versions_by_schema ON versions(schema_id);
CREATE TABLE IF NOT EXISTS refs (
    schema_id INTEGER NOT NULL REFERENCES schemas(id),
    subject TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (schema_id, subject, version)
);
CREATE INDEX IF NOT EXISTS refs_by_target ON refs(subject, version);
CREATE TABLE IF NOT EXISTS config (subject TEXT PRIMARY KEY, compatibility TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mode (subject TEXT PRIMARY KEY, mode TEXT NOT NULL);
";

/// Default [`Limits::max_schema_bytes`]: 1 MiB, far above hand-written schemas.
pub const DEFAULT_MAX_SCHEMA_BYTES: usize = 1024 * 1024;

/// Default [`Limits::time_budget`].
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_secs(10);

/// How much one request may cost the store. A request over a limit is refused with an API
/// error instead of stalling the store for everyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest schema text (as submitted) that register, lookup and compatibility tests accept;
    /// larger ones get 422 (42201) before any parsing.
    pub max_schema_bytes: usize,
    /// Wall-clock budget of one parse-and-check request, waiting for a free job slot included.
    /// Past it the call answers 503 (error code 50002) and the job, if it still runs, writes
    /// nothing when it ends.
    pub time_budget: Duration,
    /// Parse-and-check jobs that run at once (at least 1); others wait within their budget.
    /// A job past its budget keeps its slot until its engine call returns, so this also bounds
    /// the CPU that expensive requests can hold.
    pub max_parallel_checks: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_schema_bytes: DEFAULT_MAX_SCHEMA_BYTES,
            time_budget: DEFAULT_TIME_BUDGET,
            max_parallel_checks: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// The embedded registry store.
pub struct LocalRegistry {
    shared: Arc<Shared>,
    limits: Limits,
    /// One permit per parse-and-check job allowed to run.
    permits: Arc<tokio::sync::Semaphore>,
}

impl std::fmt::Debug for LocalRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalRegistry")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// What the blocking jobs share with the async side.
struct Shared {
    store: Mutex<Store>,
    /// Parsed schemas by id: ids are immutable, so a parse is valid for the store's lifetime.
    /// Outside the store's mutex, so that parsing never holds it.
    parsed: Mutex<HashMap<u32, Arc<Schema>>>,
    /// Parse-and-check jobs started and not yet returned (including abandoned ones).
    jobs: AtomicUsize,
}

struct Store {
    conn: Connection,
    path: String,
}

/// One row of `versions` joined with its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    version: u32,
    id: u32,
    deleted: bool,
}

impl LocalRegistry {
    /// Opens (creating if needed, with its parent directory) the store at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let name = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                RegistryError::storage(&name, format!("cannot create directory: {e}"))
            })?;
        }
        let conn = Connection::open(path).map_err(|e| RegistryError::storage(&name, e))?;
        Self::init(conn, name)
    }

    /// A store that lives in memory only (for tests and benchmarks of the API itself).
    pub fn in_memory() -> Result<Self> {
        let conn =
            Connection::open_in_memory().map_err(|e| RegistryError::storage(":memory:", e))?;
        Self::init(conn, ":memory:".to_string())
    }

    fn init(conn: Connection, path: String) -> Result<Self> {
        let db = |e: rusqlite::Error| RegistryError::storage(&path, e);
        conn.busy_timeout(Duration::from_secs(10)).map_err(db)?;
        // WAL: readers do not block the writer; FULL: the WAL is synced at every commit, so
        // an acknowledged registration survives a crash.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
        conn.execute_batch(SCHEMA).map_err(db)?;
        let limits = Limits::default();
        Ok(Self {
            shared: Arc::new(Shared {
                store: Mutex::new(Store { conn, path }),
                parsed: Mutex::new(HashMap::new()),
                jobs: AtomicUsize::new(0),
            }),
            permits: Arc::new(tokio::sync::Semaphore::new(limits.max_parallel_checks)),
            limits,
        })
    }

    /// The same store under other [`Limits`].
    pub fn with_limits(mut self, limits: Limits) -> Self {
        let slots = limits.max_parallel_checks.max(1);
        self.permits = Arc::new(tokio::sync::Semaphore::new(slots));
        self.limits = Limits {
            max_parallel_checks: slots,
            ..limits
        };
        self
    }

    /// The limits this store enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Parse-and-check jobs started and not yet finished, abandoned ones (past their budget)
    /// included: what a monitor (or a test) reads to see expensive work in flight.
    pub fn jobs_in_flight(&self) -> usize {
        self.shared.jobs.load(Ordering::SeqCst)
    }

    fn with<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.shared.with(f)
    }

    /// Refuses a schema over the size limit before any work is spent on it.
    fn admit(&self, schema: &SchemaDefinition) -> Result<()> {
        let len = schema.schema.len();
        if len > self.limits.max_schema_bytes {
            return Err(RegistryError::invalid_schema(format!(
                "too large: {len} bytes, this registry accepts at most {}",
                self.limits.max_schema_bytes
            )));
        }
        Ok(())
    }

    /// Runs a parse-and-check job on the blocking pool within the time budget. Without a tokio
    /// runtime (a caller's own executor) it runs inline, still bounded at commit by the deadline.
    /// The runtime needs its time driver (`enable_time`/`enable_all`).
    async fn job<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Shared, Deadline) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let budget = self.limits.time_budget;
        let deadline = Deadline {
            at: Instant::now() + budget,
            budget,
        };
        let shared = self.shared.clone();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            let _running = JobGuard::enter(&shared);
            return job(&shared, deadline);
        };
        let permits = self.permits.clone();
        let work = async move {
            let permit = permits
                .acquire_owned()
                .await
                .map_err(|e| RegistryError::storage("job slots", e))?;
            let running = JobGuard::enter(&shared);
            let handle = runtime.spawn_blocking(move || {
                // The slot and the count are released when the job ends, not when its caller
                // stops waiting: they measure the CPU in use.
                let _slot = (permit, running);
                job(&shared, deadline)
            });
            handle.await.map_err(|e| {
                RegistryError::storage("parse-and-check job", format!("failed: {e}"))
            })?
        };
        match tokio::time::timeout_at(deadline.at.into(), work).await {
            Ok(result) => result,
            Err(_) => Err(over_budget(budget)),
        }
    }
}

/// Counts a job in [`Shared::jobs`] for as long as it lives.
struct JobGuard(Arc<Shared>);

impl JobGuard {
    fn enter(shared: &Arc<Shared>) -> Self {
        shared.jobs.fetch_add(1, Ordering::SeqCst);
        JobGuard(shared.clone())
    }
}

impl Drop for JobGuard {
    fn drop(&mut self) {
        self.0.jobs.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The answer to a request that ran out of its time budget: 503 with Confluent's
/// operation-timeout code, so that clients treat it as retryable.
fn over_budget(budget: Duration) -> RegistryError {
    RegistryError::Api {
        status: 503,
        code: 50002,
        message: format!(
            "The request did not finish within the registry's time budget of {} ms; retry later, or ask the operator to raise the budget",
            budget.as_millis()
        ),
        url: None,
    }
}

/// When a job's time budget runs out.
#[derive(Debug, Clone, Copy)]
struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    /// Fails past the deadline. On the blocking pool the caller has been answered already;
    /// this stops the job from spending more or writing.
    fn check(self) -> Result<()> {
        if Instant::now() > self.at {
            return Err(over_budget(self.budget));
        }
        Ok(())
    }
}

/// References resolved: `(name, definition)`, dependencies first, and the ids they point to.
type Resolved = (Vec<(String, SchemaDefinition)>, Vec<u32>);

/// A schema to parse outside the lock: its definition and its references, resolved.
struct Unparsed {
    def: SchemaDefinition,
    deps: Vec<(String, SchemaDefinition)>,
}

/// A version to check against: parsed already, or to parse.
enum Target {
    Parsed(Arc<Schema>),
    Unparsed(Unparsed),
}

/// What a parse-and-check needs from the store, read in one short transaction.
struct Snapshot {
    mode: Mode,
    level: Level,
    /// Every row of the subject, deleted ones included.
    rows: Vec<Row>,
    /// The new schema's references, transitively, dependencies first.
    deps: Vec<(String, SchemaDefinition)>,
    /// The ids `deps` resolved to: the references' meaning at snapshot time.
    dep_ids: Vec<u32>,
    /// The versions selected for the check, or why the selection failed (reported after the
    /// new schema parsed, so that an invalid schema is reported first).
    targets: Result<Vec<(Row, Target)>>,
}

impl Shared {
    fn with<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back on drop), so a poisoned lock is safe to reuse.
        let store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        f(&store)
    }

    fn cached(&self, id: u32) -> Option<Arc<Schema>> {
        self.parsed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned()
    }

    /// Reads what checking a schema with `references` against the versions `select` picks
    /// needs, in one read transaction.
    fn snapshot(
        &self,
        subject: &str,
        references: &[SchemaReference],
        select: impl FnOnce(&[Row]) -> Result<Vec<Row>>,
    ) -> Result<Snapshot> {
        self.with(|s| {
            // Deferred: a read snapshot of the WAL, so the reads below agree with each other.
            let _read =
                rusqlite::Transaction::new_unchecked(&s.conn, TransactionBehavior::Deferred)
                    .map_err(s.db())?;
            let mode = s.mode_of(subject)?;
            let level = s.level(subject)?;
            let rows = s.rows(subject)?;
            let (deps, dep_ids) = s.resolve(references)?;
            let targets = select(&rows).and_then(|selected| {
                selected
                    .into_iter()
                    .map(|row| {
                        let target = match self.cached(row.id) {
                            Some(parsed) => Target::Parsed(parsed),
                            None => Target::Unparsed(s.unparsed(row.id)?),
                        };
                        Ok((row, target))
                    })
                    .collect()
            });
            Ok(Snapshot {
                mode,
                level,
                rows,
                deps,
                dep_ids,
                targets,
            })
        })
    }

    /// Parses the targets not parsed yet (outside the lock) and caches them.
    fn parse_targets(
        &self,
        subject: &str,
        targets: Vec<(Row, Target)>,
    ) -> Result<Vec<(u32, Arc<Schema>)>> {
        targets
            .into_iter()
            .map(|(row, target)| {
                let schema = match target {
                    Target::Parsed(schema) => schema,
                    Target::Unparsed(u) => {
                        let source = format!("{subject}/versions/{}", row.version);
                        let schema = Arc::new(parse_definition(&source, &u.def, &u.deps)?);
                        self.parsed
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(row.id, schema.clone());
                        schema
                    }
                };
                Ok((row.version, schema))
            })
            .collect()
    }

    /// Registers `def` (prepared) under `subject`: parse and check outside the lock, then a
    /// commit that re-validates the snapshot; a moved subject is read again and re-checked.
    fn register(
        &self,
        subject: &str,
        def: &SchemaDefinition,
        deadline: Deadline,
    ) -> Result<Registration> {
        let mut parsed: Option<(Vec<u32>, Schema, String)> = None;
        loop {
            let mut snap = self.snapshot(subject, &def.references, |rows| Ok(live(rows)))?;
            if snap.mode.is_read_only() {
                return Err(RegistryError::read_only(subject));
            }
            // The new schema's parse stays valid while its references mean the same.
            if parsed
                .as_ref()
                .is_none_or(|(ids, _, _)| *ids != snap.dep_ids)
            {
                let new = parse_definition(subject, def, &snap.deps)?;
                let identity = identity_key(def, &new);
                parsed = Some((snap.dep_ids.clone(), new, identity));
            }
            let Some((_, new, identity)) = parsed.as_ref() else {
                unreachable!("parsed just above")
            };
            // Already live under the subject: its id, without a check (as Confluent).
            if let Some(found) = self.with(|s| s.live_registration(subject, identity))? {
                return Ok(found);
            }
            let targets = std::mem::replace(&mut snap.targets, Ok(Vec::new()))?;
            let previous = self.parse_targets(subject, targets)?;
            deadline.check()?;
            let report = check(new, &previous, snap.level)?;
            if !report.compatible {
                return Err(RegistryError::incompatible(
                    subject,
                    &compat_messages(&report, snap.level),
                ));
            }
            deadline.check()?;
            if let Some(done) = self.with(|s| s.commit(subject, def, identity, &snap))? {
                return Ok(done);
            }
            deadline.check()?;
        }
    }
}

impl Store {
    fn db(&self) -> impl Fn(rusqlite::Error) -> RegistryError + '_ {
        move |e| RegistryError::storage(&self.path, e)
    }

    fn rows(&self, subject: &str) -> Result<Vec<Row>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT version, schema_id, deleted FROM versions WHERE subject = ?1 ORDER BY version",
            )
            .map_err(self.db())?;
        let rows = stmt
            .query_map(params![subject], |r| {
                Ok(Row {
                    version: r.get(0)?,
                    id: r.get(1)?,
                    deleted: r.get::<_, i64>(2)? != 0,
                })
            })
            .map_err(self.db())?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(self.db())?;
        Ok(rows)
    }

    /// The rows of a subject that a caller may see; none is "subject not found".
    fn visible_rows(&self, subject: &str, deleted: bool) -> Result<Vec<Row>> {
        let rows: Vec<Row> = self
            .rows(subject)?
            .into_iter()
            .filter(|r| deleted || !r.deleted)
            .collect();
        if rows.is_empty() {
            return Err(RegistryError::subject_not_found(subject));
        }
        Ok(rows)
    }

    fn find_row(&self, subject: &str, spec: VersionSpec, deleted: bool) -> Result<Row> {
        pick(subject, self.rows(subject)?, spec, deleted)
    }

    fn definition(&self, id: u32) -> Result<Option<SchemaDefinition>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT schema_type, schema, refs FROM schemas WHERE id = ?1")
            .map_err(self.db())?;
        let row = stmt
            .query_row(params![id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()
            .map_err(self.db())?;
        row.map(|(t, schema, refs)| {
            let schema_type =
                SchemaType::from_str(&t).map_err(|e| RegistryError::storage(&self.path, e))?;
            let references: Vec<SchemaReference> =
                serde_json::from_str(&refs).map_err(|e| RegistryError::storage(&self.path, e))?;
            Ok(SchemaDefinition {
                schema,
                schema_type,
                references,
            })
        })
        .transpose()
    }

    fn record(&self, subject: &str, row: &Row) -> Result<SchemaRecord> {
        let def = self
            .definition(row.id)?
            .ok_or_else(|| RegistryError::schema_id_not_found(row.id))?;
        Ok(SchemaRecord {
            subject: subject.to_string(),
            version: row.version,
            id: row.id,
            schema_type: def.schema_type,
            references: def.references,
            schema: def.schema,
        })
    }

    /// The references of a schema, transitively, dependencies first. Each must be a registered
    /// (not necessarily live) version; a missing one makes the schema invalid, as in Confluent.
    /// Also returns the ids the references resolved to, in the same order.
    fn resolve(&self, references: &[SchemaReference]) -> Result<Resolved> {
        let mut out = Vec::new();
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        self.resolve_into(references, &mut out, &mut ids, &mut seen, 0)?;
        Ok((out, ids))
    }

    fn resolve_into(
        &self,
        references: &[SchemaReference],
        out: &mut Vec<(String, SchemaDefinition)>,
        ids: &mut Vec<u32>,
        seen: &mut HashSet<(String, u32)>,
        depth: usize,
    ) -> Result<()> {
        // Reference cycles cannot be registered, but a bound keeps a corrupt file harmless.
        if depth > 64 {
            return Err(RegistryError::invalid_schema("references nest too deeply"));
        }
        for r in references {
            if !seen.insert((r.subject.clone(), r.version)) {
                continue;
            }
            let row = self
                .rows(&r.subject)?
                .into_iter()
                .find(|row| row.version == r.version)
                .ok_or_else(|| {
                    RegistryError::invalid_schema(format!(
                        "reference '{}' points to subject '{}' version {}, which does not exist",
                        r.name, r.subject, r.version
                    ))
                })?;
            let def = self
                .definition(row.id)?
                .ok_or_else(|| RegistryError::schema_id_not_found(row.id))?;
            self.resolve_into(&def.references, out, ids, seen, depth + 1)?;
            out.push((r.name.clone(), def));
            ids.push(row.id);
        }
        Ok(())
    }

    /// A stored schema with its references, for parsing outside the lock.
    fn unparsed(&self, id: u32) -> Result<Unparsed> {
        let def = self
            .definition(id)?
            .ok_or_else(|| RegistryError::schema_id_not_found(id))?;
        let (deps, _) = self.resolve(&def.references)?;
        Ok(Unparsed { def, deps })
    }

    /// The subject's mode, else the global one, else READWRITE.
    fn mode_of(&self, subject: &str) -> Result<Mode> {
        Ok(self
            .mode_row(subject)?
            .map_or_else(|| self.mode_row(GLOBAL), |m| Ok(Some(m)))?
            .unwrap_or(Mode::ReadWrite))
    }

    fn level(&self, subject: &str) -> Result<Level> {
        Ok(self
            .config_row(subject)?
            .map_or_else(|| self.config_row(GLOBAL), |l| Ok(Some(l)))?
            .unwrap_or(DEFAULT_LEVEL))
    }

    fn config_row(&self, key: &str) -> Result<Option<Level>> {
        let raw: Option<String> = self
            .conn
            .prepare_cached("SELECT compatibility FROM config WHERE subject = ?1")
            .map_err(self.db())?
            .query_row(params![key], |r| r.get(0))
            .optional()
            .map_err(self.db())?;
        raw.map(|s| Level::from_str(&s).map_err(|e| RegistryError::storage(&self.path, e)))
            .transpose()
    }

    fn mode_row(&self, key: &str) -> Result<Option<Mode>> {
        let raw: Option<String> = self
            .conn
            .prepare_cached("SELECT mode FROM mode WHERE subject = ?1")
            .map_err(self.db())?
            .query_row(params![key], |r| r.get(0))
            .optional()
            .map_err(self.db())?;
        raw.map(|s| Mode::from_str(&s)).transpose()
    }

    fn id_by_identity(&self, identity: &str) -> Result<Option<u32>> {
        self.conn
            .prepare_cached("SELECT id FROM schemas WHERE identity = ?1")
            .map_err(self.db())?
            .query_row(params![identity], |r| r.get(0))
            .optional()
            .map_err(self.db())
    }

    /// The registration of a schema (by identity) live under `subject`, if any.
    fn live_registration(&self, subject: &str, identity: &str) -> Result<Option<Registration>> {
        let Some(id) = self.id_by_identity(identity)? else {
            return Ok(None);
        };
        Ok(self
            .rows(subject)?
            .iter()
            .find(|r| r.id == id && !r.deleted)
            .map(|row| Registration {
                id,
                version: Some(row.version),
                created: false,
            }))
    }

    /// Writes a checked registration, if what the check read still holds; `None` when another
    /// writer changed the subject, its level or mode, or what the references point to.
    fn commit(
        &self,
        subject: &str,
        def: &SchemaDefinition,
        identity: &str,
        snap: &Snapshot,
    ) -> Result<Option<Registration>> {
        // IMMEDIATE takes the write lock up front, so that two processes cannot both decide on
        // the same next version; everything below reads and writes under it.
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(self.db())?;
        if self.mode_of(subject)?.is_read_only() {
            return Err(RegistryError::read_only(subject));
        }
        if let Some(found) = self.live_registration(subject, identity)? {
            return Ok(Some(found));
        }
        let rows = self.rows(subject)?;
        if rows != snap.rows
            || self.level(subject)? != snap.level
            || self.resolve(&def.references)?.1 != snap.dep_ids
        {
            return Ok(None);
        }
        let id = match self.id_by_identity(identity)? {
            Some(id) => id,
            None => {
                let refs = serde_json::to_string(&def.references)
                    .map_err(|e| RegistryError::storage(&self.path, e))?;
                tx.prepare_cached(
                    "INSERT INTO schemas (schema_type, schema, refs, identity) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(self.db())?
                .execute(params![def.schema_type.as_str(), def.schema, refs, identity])
                .map_err(self.db())?;
                let id = u32::try_from(tx.last_insert_rowid())
                    .map_err(|e| RegistryError::storage(&self.path, e))?;
                for r in &def.references {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO refs (schema_id, subject, version) VALUES (?1, ?2, ?3)",
                    )
                    .map_err(self.db())?
                    .execute(params![id, r.subject, r.version])
                    .map_err(self.db())?;
                }
                id
            }
        };
        let version = rows.last().map(|r| r.version + 1).unwrap_or(1);
        tx.prepare_cached(
            "INSERT INTO versions (subject, version, schema_id, deleted) VALUES (?1, ?2, ?3, 0)",
        )
        .map_err(self.db())?
        .execute(params![subject, version, id])
        .map_err(self.db())?;
        tx.commit().map_err(self.db())?;
        Ok(Some(Registration {
            id,
            version: Some(version),
            created: true,
        }))
    }

    fn live_referrers(
        &self,
        subject: &str,
        version: u32,
        include_deleted: bool,
    ) -> Result<Vec<u32>> {
        let sql = if include_deleted {
            "SELECT DISTINCT r.schema_id FROM refs r JOIN versions v ON v.schema_id = r.schema_id \
             WHERE r.subject = ?1 AND r.version = ?2 ORDER BY r.schema_id"
        } else {
            "SELECT DISTINCT r.schema_id FROM refs r JOIN versions v ON v.schema_id = r.schema_id \
             WHERE r.subject = ?1 AND r.version = ?2 AND v.deleted = 0 ORDER BY r.schema_id"
        };
        let mut stmt = self.conn.prepare_cached(sql).map_err(self.db())?;
        let ids = stmt
            .query_map(params![subject, version], |r| r.get(0))
            .map_err(self.db())?
            .collect::<std::result::Result<Vec<u32>, _>>()
            .map_err(self.db())?;
        Ok(ids)
    }

    fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(self.db())?;
        let value = f(&tx)?;
        tx.commit().map_err(self.db())?;
        Ok(value)
    }
}

/// The live rows among `rows`.
fn live(rows: &[Row]) -> Vec<Row> {
    rows.iter().filter(|r| !r.deleted).cloned().collect()
}

/// The row `spec` names among the visible `rows` of `subject`.
fn pick(subject: &str, rows: Vec<Row>, spec: VersionSpec, deleted: bool) -> Result<Row> {
    let rows: Vec<Row> = rows.into_iter().filter(|r| deleted || !r.deleted).collect();
    if rows.is_empty() {
        return Err(RegistryError::subject_not_found(subject));
    }
    let row = match spec {
        VersionSpec::Latest => rows.into_iter().last(),
        VersionSpec::Number(n) => rows.into_iter().find(|r| r.version == n),
    };
    row.ok_or_else(|| RegistryError::version_not_found(spec))
}

/// Checks `new` against `previous` (version, schema) under `level`.
fn check(new: &Schema, previous: &[(u32, Arc<Schema>)], level: Level) -> Result<Report> {
    let refs: Vec<(u32, &Schema)> = previous.iter().map(|(v, s)| (*v, s.as_ref())).collect();
    compat::check(new, &refs, level, &Options::default())
        .map_err(|e| RegistryError::invalid_schema(e.to_string()))
}

/// Confluent's verbose compatibility messages, one string per problem, then the version and level.
fn compat_messages(report: &Report, level: Level) -> Vec<String> {
    let mut out = Vec::new();
    let mut versions = Vec::new();
    for m in report.messages.iter().filter(|m| !m.compatible_change) {
        out.push(format!(
            "{{errorType:'{}', description:'{}', additionalInfo:'{}'}}",
            m.kind, m.message, m.path
        ));
        if !versions.contains(&m.version) {
            versions.push(m.version);
        }
    }
    for v in versions {
        out.push(format!("{{oldSchemaVersion: {v}}}"));
    }
    out.push(format!("{{compatibility: '{level}'}}"));
    out
}

#[async_trait::async_trait]
impl Registry for LocalRegistry {
    async fn subjects(&self, prefix: Option<&str>, deleted: bool) -> Result<Vec<String>> {
        self.with(|s| {
            let sql = if deleted {
                "SELECT DISTINCT subject FROM versions ORDER BY subject"
            } else {
                "SELECT DISTINCT subject FROM versions WHERE deleted = 0 ORDER BY subject"
            };
            let mut stmt = s.conn.prepare_cached(sql).map_err(s.db())?;
            let all = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(s.db())?
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(s.db())?;
            Ok(all
                .into_iter()
                .filter(|subj| prefix.is_none_or(|p| subj.starts_with(p)))
                .collect())
        })
    }

    async fn versions(&self, subject: &str, deleted: bool) -> Result<Vec<u32>> {
        self.with(|s| {
            Ok(s.visible_rows(subject, deleted)?
                .into_iter()
                .map(|r| r.version)
                .collect())
        })
    }

    async fn version(
        &self,
        subject: &str,
        version: VersionSpec,
        deleted: bool,
    ) -> Result<SchemaRecord> {
        self.with(|s| {
            let row = s.find_row(subject, version, deleted)?;
            s.record(subject, &row)
        })
    }

    async fn register(
        &self,
        subject: &str,
        schema: &SchemaDefinition,
        _normalize: bool,
    ) -> Result<Registration> {
        self.admit(schema)?;
        let (subject, schema) = (subject.to_string(), schema.clone());
        self.job(move |shared, deadline| {
            let prepared = prepare(&schema);
            shared.register(&subject, &prepared, deadline)
        })
        .await
    }

    async fn lookup(
        &self,
        subject: &str,
        schema: &SchemaDefinition,
        _normalize: bool,
        deleted: bool,
    ) -> Result<SchemaRecord> {
        self.admit(schema)?;
        // An unknown subject is reported before any parsing, as before.
        self.with(|s| s.visible_rows(subject, deleted).map(drop))?;
        let (subject, schema) = (subject.to_string(), schema.clone());
        self.job(move |shared, _| {
            let prepared = prepare(&schema);
            let schema = &*prepared;
            let snap = shared.snapshot(&subject, &schema.references, |_| Ok(Vec::new()))?;
            // An unparsable schema cannot be registered, so it is "not found" only if valid.
            let parsed = parse_definition(&subject, schema, &snap.deps)?;
            let identity = identity_key(schema, &parsed);
            shared.with(|s| {
                let rows = s.visible_rows(&subject, deleted)?;
                let id = s
                    .id_by_identity(&identity)?
                    .ok_or_else(RegistryError::schema_not_found)?;
                // The latest version holding it, as Confluent answers.
                let row = rows
                    .into_iter()
                    .rfind(|r| r.id == id)
                    .ok_or_else(RegistryError::schema_not_found)?;
                s.record(&subject, &row)
            })
        })
        .await
    }

    async fn schema_by_id(&self, id: u32) -> Result<SchemaDefinition> {
        self.with(|s| {
            let used: bool = s
                .conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM versions WHERE schema_id = ?1)")
                .map_err(s.db())?
                .query_row(params![id], |r| r.get(0))
                .map_err(s.db())?;
            if !used {
                return Err(RegistryError::schema_id_not_found(id));
            }
            s.definition(id)?
                .ok_or_else(|| RegistryError::schema_id_not_found(id))
        })
    }

    async fn id_versions(&self, id: u32, deleted: bool) -> Result<Vec<SubjectVersion>> {
        self.with(|s| {
            let mut stmt = s
                .conn
                .prepare_cached(
                    "SELECT subject, version, deleted FROM versions WHERE schema_id = ?1 ORDER BY subject, version",
                )
                .map_err(s.db())?;
            let all = stmt
                .query_map(params![id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?, r.get::<_, i64>(2)?))
                })
                .map_err(s.db())?
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(s.db())?;
            if all.is_empty() {
                return Err(RegistryError::schema_id_not_found(id));
            }
            Ok(all
                .into_iter()
                .filter(|(_, _, d)| deleted || *d == 0)
                .map(|(subject, version, _)| SubjectVersion { subject, version })
                .collect())
        })
    }

    async fn id_subjects(&self, id: u32, deleted: bool) -> Result<Vec<String>> {
        let mut subjects: Vec<String> = self
            .id_versions(id, deleted)
            .await?
            .into_iter()
            .map(|sv| sv.subject)
            .collect();
        subjects.dedup();
        Ok(subjects)
    }

    async fn schema_types(&self) -> Result<Vec<String>> {
        Ok(vec![
            "AVRO".to_string(),
            "PROTOBUF".to_string(),
            "JSON".to_string(),
        ])
    }

    async fn test_compatibility(
        &self,
        subject: &str,
        against: Option<VersionSpec>,
        schema: &SchemaDefinition,
        verbose: bool,
    ) -> Result<CompatibilityResult> {
        self.admit(schema)?;
        let (subject, schema) = (subject.to_string(), schema.clone());
        self.job(move |shared, deadline| {
            let prepared = prepare(&schema);
            let schema = &*prepared;
            let snap = shared.snapshot(&subject, &schema.references, |rows| match against {
                None => Ok(live(rows)),
                // Testing "latest" of a subject without versions is compatible, as in Confluent.
                Some(VersionSpec::Latest) if live(rows).is_empty() => Ok(Vec::new()),
                Some(spec) => Ok(vec![pick(&subject, rows.to_vec(), spec, false)?]),
            })?;
            let new = parse_definition(&subject, schema, &snap.deps)?;
            let previous = shared.parse_targets(&subject, snap.targets?)?;
            deadline.check()?;
            let report = check(&new, &previous, snap.level)?;
            Ok(CompatibilityResult {
                is_compatible: report.compatible,
                messages: if verbose && !report.compatible {
                    compat_messages(&report, snap.level)
                } else {
                    Vec::new()
                },
            })
        })
        .await
    }

    async fn config(&self, subject: Option<&str>, default_to_global: bool) -> Result<Level> {
        self.with(|s| match subject {
            None => Ok(s.config_row(GLOBAL)?.unwrap_or(DEFAULT_LEVEL)),
            Some(subj) => match s.config_row(subj)? {
                Some(level) => Ok(level),
                None if default_to_global => Ok(s.config_row(GLOBAL)?.unwrap_or(DEFAULT_LEVEL)),
                None => Err(RegistryError::subject_config_not_found(subj)),
            },
        })
    }

    async fn set_config(&self, subject: Option<&str>, level: Level) -> Result<Level> {
        self.with(|s| {
            s.write(|c| {
                c.execute(
                    "INSERT INTO config (subject, compatibility) VALUES (?1, ?2) \
                     ON CONFLICT(subject) DO UPDATE SET compatibility = excluded.compatibility",
                    params![subject.unwrap_or(GLOBAL), level.as_str()],
                )
                .map_err(s.db())?;
                Ok(level)
            })
        })
    }

    async fn delete_config(&self, subject: Option<&str>) -> Result<Level> {
        self.with(|s| {
            let key = subject.unwrap_or(GLOBAL);
            let previous = match (s.config_row(key)?, subject) {
                (Some(level), _) => level,
                (None, None) => DEFAULT_LEVEL,
                (None, Some(subj)) => return Err(RegistryError::subject_config_not_found(subj)),
            };
            s.write(|c| {
                c.execute("DELETE FROM config WHERE subject = ?1", params![key])
                    .map_err(s.db())?;
                Ok(previous)
            })
        })
    }

    async fn mode(&self, subject: Option<&str>, default_to_global: bool) -> Result<Mode> {
        self.with(|s| match subject {
            None => Ok(s.mode_row(GLOBAL)?.unwrap_or(Mode::ReadWrite)),
            Some(subj) => match s.mode_row(subj)? {
                Some(mode) => Ok(mode),
                None if default_to_global => Ok(s.mode_row(GLOBAL)?.unwrap_or(Mode::ReadWrite)),
                None => Err(RegistryError::subject_mode_not_found(subj)),
            },
        })
    }

    async fn set_mode(&self, subject: Option<&str>, mode: Mode) -> Result<Mode> {
        self.with(|s| {
            s.write(|c| {
                c.execute(
                    "INSERT INTO mode (subject, mode) VALUES (?1, ?2) \
                     ON CONFLICT(subject) DO UPDATE SET mode = excluded.mode",
                    params![subject.unwrap_or(GLOBAL), mode.as_str()],
                )
                .map_err(s.db())?;
                Ok(mode)
            })
        })
    }

    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<u32>> {
        self.with(|s| {
            let rows = s.rows(subject)?;
            if rows.is_empty() {
                return Err(RegistryError::subject_not_found(subject));
            }
            let live: Vec<u32> = rows
                .iter()
                .filter(|r| !r.deleted)
                .map(|r| r.version)
                .collect();
            if permanent && !live.is_empty() {
                return Err(RegistryError::subject_not_soft_deleted(subject));
            }
            if !permanent && live.is_empty() {
                return Err(RegistryError::subject_soft_deleted(subject));
            }
            let targets: Vec<u32> = if permanent {
                rows.iter().map(|r| r.version).collect()
            } else {
                live
            };
            for &v in &targets {
                if !s.live_referrers(subject, v, permanent)?.is_empty() {
                    return Err(RegistryError::reference_exists(subject, v));
                }
            }
            s.write(|c| {
                let sql = if permanent {
                    "DELETE FROM versions WHERE subject = ?1"
                } else {
                    "UPDATE versions SET deleted = 1 WHERE subject = ?1"
                };
                c.execute(sql, params![subject]).map_err(s.db())?;
                if permanent {
                    c.execute("DELETE FROM config WHERE subject = ?1", params![subject])
                        .map_err(s.db())?;
                    c.execute("DELETE FROM mode WHERE subject = ?1", params![subject])
                        .map_err(s.db())?;
                }
                Ok(targets)
            })
        })
    }

    async fn delete_version(
        &self,
        subject: &str,
        version: VersionSpec,
        permanent: bool,
    ) -> Result<u32> {
        self.with(|s| {
            let rows = s.rows(subject)?;
            if rows.is_empty() {
                return Err(RegistryError::subject_not_found(subject));
            }
            let row = match version {
                // Soft deletes of `latest` mean the latest live version; permanent ones the
                // latest of all, since only soft-deleted versions can go.
                VersionSpec::Latest if permanent => rows.last(),
                VersionSpec::Latest => rows.iter().rfind(|r| !r.deleted),
                VersionSpec::Number(n) => rows.iter().find(|r| r.version == n),
            }
            .ok_or_else(|| RegistryError::version_not_found(version))?;
            let v = row.version;
            if permanent && !row.deleted {
                return Err(RegistryError::version_not_soft_deleted(subject, v));
            }
            if !permanent && row.deleted {
                return Err(RegistryError::version_soft_deleted(subject, v));
            }
            if !s.live_referrers(subject, v, permanent)?.is_empty() {
                return Err(RegistryError::reference_exists(subject, v));
            }
            s.write(|c| {
                let sql = if permanent {
                    "DELETE FROM versions WHERE subject = ?1 AND version = ?2"
                } else {
                    "UPDATE versions SET deleted = 1 WHERE subject = ?1 AND version = ?2"
                };
                c.execute(sql, params![subject, v]).map_err(s.db())?;
                Ok(v)
            })
        })
    }

    async fn referenced_by(&self, subject: &str, version: VersionSpec) -> Result<Vec<u32>> {
        self.with(|s| {
            let row = s.find_row(subject, version, true)?;
            s.live_referrers(subject, row.version, false)
        })
    }
}
