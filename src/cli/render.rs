//! Renders compatibility reports for people and for machines.

use std::fmt::Write;

use crate::compat::{Direction, Incompatibility, Report};
use crate::schema::locate::{pointer_position, proto_path_position};
use crate::schema::{Schema, SchemaType};

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

    /// The file of a finding and its line and column when known: in the schema its path points
    /// into (the reader's, for Avro).
    pub fn position(&self, m: &Incompatibility) -> (String, Option<(usize, usize)>) {
        let old = self.version(m.version);
        let schema = match (self.new.schema_type(), m.direction) {
            (SchemaType::Avro, Direction::Forward) => old.unwrap_or(self.new),
            _ => self.new,
        };
        let at = match schema.schema_type() {
            SchemaType::Avro => pointer_position(&schema.text, &m.path),
            SchemaType::Protobuf => proto_path_position(&schema.text, &m.path),
        };
        (schema.source.clone(), at)
    }

    fn location(&self, m: &Incompatibility) -> String {
        match self.position(m) {
            (file, Some((line, col))) => format!("{file}:{line}:{col}"),
            (file, None) => file,
        }
    }
}

/// One JSON object: `{"compatible", "level", "messages": [...]}`, newline-terminated.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report always serializes");
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
        let _ = writeln!(out, "  --> {}", ctx.location(m));
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
