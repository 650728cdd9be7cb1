//! The embedded store as the CLI opens it: created on the first write, not on open, so that a
//! command that only reads (or fails) leaves no `.schemactl/registry.db` behind. Until then,
//! reads of a store that does not exist answer as an empty store does.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::compat::Level;
use crate::registry::local::LocalRegistry;
use crate::registry::{
    CompatibilityResult, Mode, Registration, Registry, Result, SchemaDefinition, SchemaRecord,
    SubjectVersion, VersionSpec,
};

/// An embedded store at `path`, opened when first used and created when first written.
pub struct LazyStore {
    path: PathBuf,
    /// The store on disk, once it exists (or was found to).
    file: Mutex<Option<Arc<LocalRegistry>>>,
    /// An empty in-memory store standing in for a file that does not exist yet.
    empty: Mutex<Option<Arc<LocalRegistry>>>,
}

impl LazyStore {
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            file: Mutex::new(None),
            empty: Mutex::new(None),
        }
    }

    fn open_file(&self) -> Result<Arc<LocalRegistry>> {
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(store) = file.as_ref() {
            return Ok(store.clone());
        }
        let store = Arc::new(LocalRegistry::open(&self.path)?);
        *file = Some(store.clone());
        Ok(store)
    }

    /// The store to read: the file if it exists, else an empty one.
    fn reader(&self) -> Result<Arc<LocalRegistry>> {
        if let Some(store) = self.file.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return Ok(store.clone());
        }
        if self.path.exists() {
            return self.open_file();
        }
        let mut empty = self.empty.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(store) = empty.as_ref() {
            return Ok(store.clone());
        }
        let store = Arc::new(LocalRegistry::in_memory()?);
        *empty = Some(store.clone());
        Ok(store)
    }

    /// The store to write: the file, created if needed.
    fn writer(&self) -> Result<Arc<LocalRegistry>> {
        self.open_file()
    }
}

#[async_trait::async_trait]
impl Registry for LazyStore {
    async fn subjects(&self, prefix: Option<&str>, deleted: bool) -> Result<Vec<String>> {
        self.reader()?.subjects(prefix, deleted).await
    }
    async fn versions(&self, subject: &str, deleted: bool) -> Result<Vec<u32>> {
        self.reader()?.versions(subject, deleted).await
    }
    async fn version(
        &self,
        subject: &str,
        version: VersionSpec,
        deleted: bool,
    ) -> Result<SchemaRecord> {
        self.reader()?.version(subject, version, deleted).await
    }
    async fn register(
        &self,
        subject: &str,
        schema: &SchemaDefinition,
        normalize: bool,
    ) -> Result<Registration> {
        self.writer()?.register(subject, schema, normalize).await
    }
    async fn lookup(
        &self,
        subject: &str,
        schema: &SchemaDefinition,
        normalize: bool,
        deleted: bool,
    ) -> Result<SchemaRecord> {
        self.reader()?
            .lookup(subject, schema, normalize, deleted)
            .await
    }
    async fn schema_by_id(&self, id: u32) -> Result<SchemaDefinition> {
        self.reader()?.schema_by_id(id).await
    }
    async fn id_versions(&self, id: u32, deleted: bool) -> Result<Vec<SubjectVersion>> {
        self.reader()?.id_versions(id, deleted).await
    }
    async fn id_subjects(&self, id: u32, deleted: bool) -> Result<Vec<String>> {
        self.reader()?.id_subjects(id, deleted).await
    }
    async fn schema_types(&self) -> Result<Vec<String>> {
        self.reader()?.schema_types().await
    }
    async fn test_compatibility(
        &self,
        subject: &str,
        against: Option<VersionSpec>,
        schema: &SchemaDefinition,
        verbose: bool,
    ) -> Result<CompatibilityResult> {
        self.reader()?
            .test_compatibility(subject, against, schema, verbose)
            .await
    }
    async fn config(&self, subject: Option<&str>, default_to_global: bool) -> Result<Level> {
        self.reader()?.config(subject, default_to_global).await
    }
    async fn set_config(&self, subject: Option<&str>, level: Level) -> Result<Level> {
        self.writer()?.set_config(subject, level).await
    }
    async fn delete_config(&self, subject: Option<&str>) -> Result<Level> {
        self.writer()?.delete_config(subject).await
    }
    async fn mode(&self, subject: Option<&str>, default_to_global: bool) -> Result<Mode> {
        self.reader()?.mode(subject, default_to_global).await
    }
    async fn set_mode(&self, subject: Option<&str>, mode: Mode) -> Result<Mode> {
        self.writer()?.set_mode(subject, mode).await
    }
    async fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<u32>> {
        self.writer()?.delete_subject(subject, permanent).await
    }
    async fn delete_version(
        &self,
        subject: &str,
        version: VersionSpec,
        permanent: bool,
    ) -> Result<u32> {
        self.writer()?
            .delete_version(subject, version, permanent)
            .await
    }
    async fn referenced_by(&self, subject: &str, version: VersionSpec) -> Result<Vec<u32>> {
        self.reader()?.referenced_by(subject, version).await
    }
}
