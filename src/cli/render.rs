//! Renders compatibility reports for people and for machines.

use std::fmt::Write;

use serde::Serialize;

use crate::compat::{Direction, Incompatibility, Report};
use crate::schema::locate::{
    matching_pointer, pointer_position, proto_nearest_position, proto_path_position,
};
use crate::schema::{Parsed, Schema};

/// What a report refers to, so that findings can point at files and lines.
pub struct ReportContext<'a> {
    pub new: &'a Schema,
    /// The earlier versions with their version numbers, oldest first.
    pub previous: &'a [(u32, &'a Schema)],
}

impl ReportContext<'_> {
    fn version(&self, version: u32) -> Option<&Schema> {
        self.previous
            .iter()
            .find(|(v, _)| *v == version)
            .map(|(_, s)| *s)
    }

    /// Where a finding is shown: always in a file the user edits (the new schema, or the
    /// imported file its path points into), never in a registered version's text. When the
    /// element was found in the earlier version's text only (an Avro FORWARD path is one into
    /// the old schema, which reads), the nearest matching element of the new file is shown and
    /// [`Location::found_in`] says where it is in that version.
    pub fn locate(&self, m: &Incompatibility) -> Location {
        let old = self.version(m.version);
        let new = self.new;
        let mut location = Location {
            file: new.source.clone(),
            line: None,
            column: None,
            found_in: None,
        };
        let mut in_old = |at: Option<(usize, usize)>, old: &Schema| {
            location.found_in = Some(match at {
                Some((line, col)) => format!("{}:{line}:{col}", old.source),
                None => old.source.clone(),
            });
        };
        let at = match &new.parsed {
            Parsed::Avro(_) => match old {
                Some(old) if m.direction == Direction::Forward => {
                    let (pointer, _) = matching_pointer(&old.text, &m.path, &new.text)
                        .unwrap_or_else(|| (String::new(), false));
                    in_old(pointer_position(&old.text, &m.path), old);
                    pointer_position(&new.text, &pointer)
                }
                _ => pointer_position(&new.text, &m.path),
            },
            Parsed::Protobuf(proto) => match &m.import {
                Some(import) => {
                    let source = proto.import_source(import).unwrap_or(import);
                    match std::fs::read_to_string(source) {
                        Ok(text) => {
                            location.file = relative_to_cwd(source);
                            Some(proto_nearest_position(&text, &m.path).0)
                        }
                        // A registered reference, not a file: say which import it is in.
                        Err(_) => {
                            location.found_in = Some(format!("imported {import}"));
                            None
                        }
                    }
                }
                None => {
                    let (at, complete) = proto_nearest_position(&new.text, &m.path);
                    if let (false, Some(old)) = (complete, old) {
                        in_old(proto_path_position(&old.text, &m.path), old);
                    }
                    Some(at)
                }
            },
            // Confluent's JSON Schema paths (`#/properties/a`) name the same element in every
            // version: show it in the new file, else where the earlier version has it.
            Parsed::Json(_) => match crate::schema::json::locate(&new.text, &m.path) {
                Some(at) => Some(at),
                None => {
                    if let Some(old) = old {
                        in_old(crate::schema::json::locate(&old.text, &m.path), old);
                    }
                    None
                }
            },
        };
        if let Some((line, column)) = at {
            (location.line, location.column) = (Some(line), Some(column));
        }
        location
    }
}

/// Where a finding is shown; see [`ReportContext::locate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Where the element is in the version the finding breaks against (`users-value/versions/1:7:5`),
    /// when the new file does not show it or the path was found in that version's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_in: Option<String>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        Ok(())
    }
}

/// A path as the user would type it: relative to the working directory when under it.
fn relative_to_cwd(path: &str) -> String {
    let p = std::path::Path::new(path);
    std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(cwd).ok().map(|r| r.display().to_string()))
        .unwrap_or_else(|| path.to_string())
}

/// Each message of a report as JSON, with the `file`, `line` and `column` it is shown at (and
/// `found_in`, as [`Location`] has it).
pub fn messages_json(report: &Report, ctx: &ReportContext<'_>) -> Vec<serde_json::Value> {
    report
        .messages
        .iter()
        .map(|m| {
            let mut value = serde_json::to_value(m).expect("a message always serializes");
            let location = serde_json::to_value(ctx.locate(m)).expect("a location serializes");
            if let (Some(fields), serde_json::Value::Object(at)) = (value.as_object_mut(), location)
            {
                fields.extend(at);
            }
            value
        })
        .collect()
}

/// One JSON object: `{"compatible", "level", "messages": [...]}`, newline-terminated; each
/// message carries the `file`, `line` and `column` it is shown at.
pub fn json(report: &Report, ctx: &ReportContext<'_>) -> String {
    let value = serde_json::json!({
        "compatible": report.compatible,
        "level": report.level,
        "messages": messages_json(report, ctx),
    });
    let mut s = serde_json::to_string_pretty(&value).expect("a report always serializes");
    s.push('\n');
    s
}

/// The human report: a verdict line, then each finding with its place, rule, versions and fix.
pub fn human(report: &Report, ctx: &ReportContext<'_>) -> String {
    let mut out = String::new();
    let compared: Vec<String> = match report.level {
        crate::compat::Level::None => Vec::new(),
        level if level.is_transitive() => {
            ctx.previous.iter().map(|(v, _)| format!("v{v}")).collect()
        }
        _ => ctx
            .previous
            .last()
            .map(|(v, _)| format!("v{v}"))
            .into_iter()
            .collect(),
    };
    let against = if compared.is_empty() {
        "no earlier version".to_string()
    } else {
        compared.join(", ")
    };
    let breaking: Vec<&Incompatibility> = report
        .messages
        .iter()
        .filter(|m| !m.compatible_change)
        .collect();
    if report.compatible {
        let _ = writeln!(
            out,
            "ok: {} is {} compatible (checked against {against})",
            ctx.new.source, report.level
        );
    } else {
        let mut versions: Vec<u32> = breaking.iter().map(|m| m.version).collect();
        versions.dedup();
        let versions: Vec<String> = versions.iter().map(|v| format!("v{v}")).collect();
        let _ = writeln!(
            out,
            "incompatible: {} is not {} compatible: {} problem{} against {}",
            ctx.new.source,
            report.level,
            breaking.len(),
            if breaking.len() == 1 { "" } else { "s" },
            versions.join(", ")
        );
    }
    findings(&mut out, report, ctx);
    out
}

/// Each finding with its rule, place, the version it breaks and the fix.
pub fn findings(out: &mut String, report: &Report, ctx: &ReportContext<'_>) {
    for m in &report.messages {
        let label = if m.compatible_change {
            "change"
        } else {
            "error"
        };
        let source = ctx
            .version(m.version)
            .map(|s| s.source.as_str())
            .unwrap_or("?");
        let direction = match m.direction {
            Direction::Backward => "backward: the new schema reads data written with",
            Direction::Forward => "forward: data written with the new schema is read by",
        };
        let _ = writeln!(out);
        let _ = writeln!(out, "{label}[{}] at {}", m.kind, m.path);
        let location = ctx.locate(m);
        let _ = writeln!(out, "  --> {location}");
        if let Some(found_in) = &location.found_in {
            let _ = writeln!(out, "  in v{}: {found_in}", m.version);
        }
        let _ = writeln!(
            out,
            "  breaks against v{} ({source}); {direction} v{}",
            m.version, m.version
        );
        let _ = writeln!(out, "  {}", m.message);
        if !m.hint.is_empty() {
            let _ = writeln!(out, "  fix: {}", m.hint);
        }
    }
}
