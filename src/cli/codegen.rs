//! `schemactl codegen`: what `schemactl-build` does in a `build.rs`, from the command line into
//! a folder (for crates that check generated code in).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Failure, EXIT_OK};
use crate::codegen::{self, avro::AvroInput, CodegenError, Options, SubjectStrategy};
use crate::vocabulary::SchemaType;

#[derive(Debug, Args)]
pub struct CodegenArgs {
    /// Schema files: `.avsc` (Avro), `.proto` (Protobuf) and `.json` (JSON Schema).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Schema type of every file: avro, protobuf or json; by default from each extension
    /// (other extensions are avro).
    #[arg(long = "type", value_parser = parse_type)]
    pub schema_type: Option<SchemaType>,
    /// Output folder; receives `schemactl_avro.rs`, `schemactl_protobuf.rs` and/or
    /// `schemactl_json.rs`.
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    /// Protobuf import path, and where a JSON Schema `$ref` to another file is looked for
    /// when the referring file's directory does not hold it.
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Subject naming: record (RecordNameStrategy), topic:<topic> (TopicNameStrategy, the
    /// `<topic>-value` subject), topic-key:<topic> (TopicNameStrategy, `<topic>-key`) or
    /// topic-record:<topic> (TopicRecordNameStrategy).
    #[arg(long, default_value = "record", value_parser = parse_strategy)]
    pub subjects: SubjectStrategy,
    /// Also re-export every Avro type at the root of the generated module.
    #[arg(long)]
    pub flat: bool,
    /// Lock file pinning schema ids: a JSON object of subject to id.
    #[arg(long, value_name = "FILE", conflicts_with = "ids_from_registry")]
    pub ids: Option<PathBuf>,
    /// Pin schema ids by looking each schema up in this registry (a URL, with credentials and
    /// TLS from the SCHEMA_REGISTRY_* variables, or an embedded store's path). Nothing is
    /// registered; a file's main type that is not registered is an error.
    #[arg(long, value_name = "URL|PATH")]
    pub ids_from_registry: Option<String>,
}

fn parse_type(s: &str) -> Result<SchemaType, String> {
    s.parse()
}

fn parse_strategy(s: &str) -> Result<SubjectStrategy, String> {
    match s.split_once(':') {
        None if s == "record" => Ok(SubjectStrategy::RecordName),
        Some(("topic", t)) if !t.is_empty() => Ok(SubjectStrategy::TopicName {
            topic: t.to_string(),
            key: false,
        }),
        Some(("topic-key", t)) if !t.is_empty() => Ok(SubjectStrategy::TopicName {
            topic: t.to_string(),
            key: true,
        }),
        Some(("topic-record", t)) if !t.is_empty() => Ok(SubjectStrategy::TopicRecordName {
            topic: t.to_string(),
        }),
        _ => Err(format!(
            "unknown subject strategy '{s}' (expected record, topic:<topic>, topic-key:<topic> or topic-record:<topic>)"
        )),
    }
}

pub fn run(args: CodegenArgs) -> Result<ExitCode, Failure> {
    let mut options = Options {
        subject_strategy: args.subjects,
        flat_reexports: args.flat,
        ..Options::default()
    };
    let (mut avro, mut proto, mut json) = (Vec::new(), Vec::new(), Vec::new());
    for file in args.files {
        match args.schema_type.or_else(|| SchemaType::from_path(&file)) {
            Some(SchemaType::Protobuf) => proto.push(file),
            Some(SchemaType::Json) => json.push(file),
            Some(SchemaType::Avro) | None => avro.push(file),
        }
    }
    let mut json = codegen::json::read_inputs(&json).map_err(failure)?;
    for input in &mut json {
        // As for `compat`: a `$ref` to a file not beside its referrer is looked for in `-I`.
        input.include.clone_from(&args.include);
    }
    let inputs = avro
        .iter()
        .map(|p| AvroInput::read(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(failure)?;
    let mut includes = args.include;
    if includes.is_empty() {
        // Like `compat`, a file's own directory resolves its imports by default.
        includes.extend(proto.iter().filter_map(|p| p.parent().map(PathBuf::from)));
    }
    if let Some(lock) = &args.ids {
        options.pinned_ids = codegen::read_lock_file(lock).map_err(failure)?;
    }
    if let Some(target) = &args.ids_from_registry {
        let mut requests = codegen::avro::pin_requests(&inputs, &options).map_err(failure)?;
        if !proto.is_empty() {
            requests.extend(
                codegen::protobuf::pin_requests(&proto, &includes, &options).map_err(failure)?,
            );
        }
        requests.extend(codegen::json::pin_requests(&json, &options).map_err(failure)?);
        options.pinned_ids = codegen::pin::lookup_ids(target, &requests).map_err(failure)?;
    }
    if !inputs.is_empty() {
        let (code, warnings) =
            codegen::avro::generate_with_warnings(&inputs, &options).map_err(failure)?;
        for warning in warnings {
            eprintln!("warning: {warning}");
        }
        codegen::write_if_changed(&args.out.join("schemactl_avro.rs"), &code).map_err(failure)?;
    }
    if !proto.is_empty() {
        let code = codegen::protobuf::generate(
            &proto,
            &includes,
            &options,
            &mut codegen::protobuf::prost_build::Config::new(),
        )
        .map_err(failure)?;
        codegen::write_if_changed(&args.out.join("schemactl_protobuf.rs"), &code)
            .map_err(failure)?;
    }
    if !json.is_empty() {
        let code = codegen::json::generate(&json, &options).map_err(failure)?;
        codegen::write_if_changed(&args.out.join("schemactl_json.rs"), &code).map_err(failure)?;
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn failure(e: CodegenError) -> Failure {
    match e {
        CodegenError::Io { .. } | CodegenError::Pin { .. } => Failure::Environment(e.to_string()),
        other => Failure::BadInput(other.to_string()),
    }
}
