//! `schemactl register`: release every subject, references first, idempotently.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::process::ExitCode;

use clap::Args;

use super::project::{runtime, ProjectArgs};
use super::render::{self, ReportContext};
use super::{Failure, EXIT_INCOMPATIBLE, EXIT_OK};
use crate::project::load::load_project;
use crate::project::register::{register_project, Outcome, SubjectRegistration};
use crate::schema::Schema;

#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Show what would be registered, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also print the registry's own text for each refusal.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

pub fn run(args: RegisterArgs) -> Result<ExitCode, Failure> {
    let config = args.project.load_config()?;
    let registry = args.project.open_registry(Some(&config))?;
    let rt = runtime()?;
    let project = rt.block_on(load_project(&config, &config.root, Some(registry.as_ref())))?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(project.subjects.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let results = rt.block_on(register_project(
        &project,
        registry.as_ref(),
        args.dry_run,
        |line| {
            if let Some(bar) = &bar {
                bar.set_message(line.subject.clone());
                bar.inc(1);
            }
        },
    ))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let text = summary(&results, args.dry_run, args.verbose);
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|e| Failure::Environment(format!("cannot write the summary: {e}")))?;
    Ok(ExitCode::from(
        if results.iter().any(SubjectRegistration::failed) {
            EXIT_INCOMPATIBLE
        } else {
            EXIT_OK
        },
    ))
}

/// The summary table, then the reasons of every refusal: the local explanation, as `--dry-run`
/// gives it; the registry's raw text with `verbose`, or when it is the only explanation.
pub fn summary(results: &[SubjectRegistration], dry_run: bool, verbose: bool) -> String {
    let rows: Vec<[String; 5]> = results
        .iter()
        .map(|r| {
            let level = r.level.map_or("-".to_string(), |l| l.to_string());
            let (version, id, status) = match &r.outcome {
                Outcome::Registered { id, version } => {
                    (version.to_string(), id.to_string(), "new".to_string())
                }
                Outcome::Unchanged { id, version } => {
                    (version.to_string(), id.to_string(), "unchanged".to_string())
                }
                Outcome::WouldRegister => ("-".into(), "-".into(), "would register".into()),
                Outcome::Refused { .. } => ("-".into(), "-".into(), "REFUSED: incompatible".into()),
                Outcome::Skipped { .. } => ("-".into(), "-".into(), "SKIPPED".into()),
            };
            [r.subject.clone(), version, id, level, status]
        })
        .collect();
    let header = ["SUBJECT", "VERSION", "ID", "LEVEL", "STATUS"];
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].len())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    if dry_run {
        out.push_str("dry run: nothing was changed\n");
    }
    let line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            let _ = write!(l, "{:<w$}  ", c, w = widths[i]);
        }
        l.trim_end().to_string() + "\n"
    };
    out.push_str(&line(&header));
    for r in &rows {
        out.push_str(&line(&r.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    for r in results {
        match &r.outcome {
            Outcome::Refused {
                message,
                check,
                registry_message,
            } => {
                let _ = writeln!(out, "\n{} was refused: {message}", r.subject);
                if let Some(raw) = registry_message
                    .as_ref()
                    .filter(|_| verbose || check.is_none())
                {
                    let _ = writeln!(out, "the registry answered: {raw}");
                }
                if let Some(check) = check {
                    let previous: Vec<(u32, &Schema)> =
                        check.previous.iter().map(|(v, s)| (*v, s)).collect();
                    let ctx = ReportContext {
                        new: &check.new,
                        previous: &previous,
                    };
                    render::findings(&mut out, &check.report, &ctx);
                }
            }
            Outcome::Skipped { because } => {
                let _ = writeln!(out, "\n{} was skipped: {because}", r.subject);
            }
            _ => {}
        }
    }
    out
}
