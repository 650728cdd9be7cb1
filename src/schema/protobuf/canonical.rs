//! The canonical text of a `.proto` file: rendered from its compiled descriptor, so comments,
//! whitespace and how type references are spelled do not matter, while declaration order (which
//! Confluent's message indexes depend on) is kept. Type references are fully qualified.

use std::fmt::Write;

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    ServiceDescriptorProto,
};

use super::model::{json_camel_case, Scalar};

pub fn render(file: &FileDescriptorProto) -> String {
    let mut out = String::new();
    let syntax = match file.syntax() {
        "" => "proto2",
        s => s,
    };
    let _ = writeln!(out, "syntax = \"{syntax}\";");
    if !file.package().is_empty() {
        let _ = writeln!(out, "package {};", file.package());
    }
    for (i, dep) in file.dependency.iter().enumerate() {
        let kind = if file.public_dependency.contains(&(i as i32)) {
            "public "
        } else if file.weak_dependency.contains(&(i as i32)) {
            "weak "
        } else {
            ""
        };
        let _ = writeln!(out, "import {kind}\"{dep}\";");
    }
    if let Some(o) = &file.options {
        let mut opt = |name: &str, value: Option<String>| {
            if let Some(v) = value {
                let _ = writeln!(out, "option {name} = {v};");
            }
        };
        opt("java_package", o.java_package.as_ref().map(|v| quote(v)));
        opt(
            "java_outer_classname",
            o.java_outer_classname.as_ref().map(|v| quote(v)),
        );
        opt(
            "java_multiple_files",
            o.java_multiple_files.map(|v| v.to_string()),
        );
        opt("go_package", o.go_package.as_ref().map(|v| quote(v)));
        opt(
            "csharp_namespace",
            o.csharp_namespace.as_ref().map(|v| quote(v)),
        );
        opt(
            "objc_class_prefix",
            o.objc_class_prefix.as_ref().map(|v| quote(v)),
        );
        opt("php_namespace", o.php_namespace.as_ref().map(|v| quote(v)));
        opt("ruby_package", o.ruby_package.as_ref().map(|v| quote(v)));
        opt("swift_prefix", o.swift_prefix.as_ref().map(|v| quote(v)));
    }
    let syntax3 = syntax == "proto3";
    for m in &file.message_type {
        message(&mut out, m, 0, syntax3);
    }
    for e in &file.enum_type {
        enumeration(&mut out, e, 0);
    }
    for ext in group_extensions(&file.extension) {
        extension_block(&mut out, &ext, 0, syntax3);
    }
    for s in &file.service {
        service(&mut out, s);
    }
    out
}

fn quote(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn message(out: &mut String, m: &DescriptorProto, depth: usize, syntax3: bool) {
    if m.options.as_ref().is_some_and(|o| o.map_entry()) {
        return;
    }
    indent(out, depth);
    let _ = writeln!(out, "message {} {{", m.name());
    let inner = depth + 1;
    // Fields in declaration order; each oneof at the place of its first member.
    let mut emitted_oneofs = Vec::new();
    for f in &m.field {
        match f.oneof_index.filter(|_| !f.proto3_optional()) {
            Some(i) if !emitted_oneofs.contains(&i) => {
                emitted_oneofs.push(i);
                indent(out, inner);
                let name = m.oneof_decl.get(i as usize).map(|o| o.name()).unwrap_or("");
                let _ = writeln!(out, "oneof {name} {{");
                for member in m
                    .field
                    .iter()
                    .filter(|g| g.oneof_index == Some(i) && !g.proto3_optional())
                {
                    field(out, m, member, inner + 1, syntax3, true);
                }
                indent(out, inner);
                out.push_str("}\n");
            }
            Some(_) => {}
            None => field(out, m, f, inner, syntax3, false),
        }
    }
    for n in &m.nested_type {
        message(out, n, inner, syntax3);
    }
    for e in &m.enum_type {
        enumeration(out, e, inner);
    }
    for r in &m.extension_range {
        indent(out, inner);
        let _ = writeln!(out, "extensions {};", range(r.start(), r.end() - 1));
    }
    for ext in group_extensions(&m.extension) {
        extension_block(out, &ext, inner, syntax3);
    }
    if !m.reserved_range.is_empty() {
        indent(out, inner);
        let ranges: Vec<String> = m
            .reserved_range
            .iter()
            .map(|r| range(r.start(), r.end() - 1))
            .collect();
        let _ = writeln!(out, "reserved {};", ranges.join(", "));
    }
    if !m.reserved_name.is_empty() {
        indent(out, inner);
        let names: Vec<String> = m.reserved_name.iter().map(|n| quote(n)).collect();
        let _ = writeln!(out, "reserved {};", names.join(", "));
    }
    indent(out, depth);
    out.push_str("}\n");
}

fn range(start: i32, end_inclusive: i32) -> String {
    if start == end_inclusive {
        start.to_string()
    } else if end_inclusive >= 536_870_911 {
        format!("{start} to max")
    } else {
        format!("{start} to {end_inclusive}")
    }
}

fn field_type(m: Option<&DescriptorProto>, f: &FieldDescriptorProto) -> String {
    if let Some(scalar) = Scalar::from_pb(f.r#type()) {
        return scalar.as_str().to_string();
    }
    let name = f.type_name();
    if let Some(entry) = m.and_then(|m| map_entry(m, name)) {
        let k = entry.field.iter().find(|x| x.number() == 1);
        let v = entry.field.iter().find(|x| x.number() == 2);
        if let (Some(k), Some(v)) = (k, v) {
            return format!("map<{}, {}>", field_type(None, k), field_type(None, v));
        }
    }
    name.to_string()
}

fn map_entry<'a>(m: &'a DescriptorProto, type_name: &str) -> Option<&'a DescriptorProto> {
    let short = type_name.rsplit('.').next()?;
    m.nested_type
        .iter()
        .find(|n| n.name() == short && n.options.as_ref().is_some_and(|o| o.map_entry()))
}

fn field(
    out: &mut String,
    m: &DescriptorProto,
    f: &FieldDescriptorProto,
    depth: usize,
    syntax3: bool,
    in_oneof: bool,
) {
    indent(out, depth);
    let ty = field_type(Some(m), f);
    let is_map = ty.starts_with("map<");
    let label = match f.label() {
        _ if in_oneof || is_map => "",
        Label::Repeated => "repeated ",
        Label::Required => "required ",
        Label::Optional if f.proto3_optional() || !syntax3 => "optional ",
        Label::Optional => "",
    };
    let _ = write!(out, "{label}{ty} {} = {}", f.name(), f.number());
    let mut opts = Vec::new();
    if let Some(d) = &f.default_value {
        let v = match f.r#type() {
            Type::String | Type::Bytes => quote(d),
            _ => d.clone(),
        };
        opts.push(format!("default = {v}"));
    }
    if let Some(j) = &f.json_name {
        if *j != json_camel_case(f.name()) {
            opts.push(format!("json_name = {}", quote(j)));
        }
    }
    if let Some(o) = &f.options {
        if let Some(p) = o.packed {
            opts.push(format!("packed = {p}"));
        }
        if let Some(d) = o.deprecated {
            opts.push(format!("deprecated = {d}"));
        }
    }
    if !opts.is_empty() {
        let _ = write!(out, " [{}]", opts.join(", "));
    }
    out.push_str(";\n");
}

fn enumeration(out: &mut String, e: &EnumDescriptorProto, depth: usize) {
    indent(out, depth);
    let _ = writeln!(out, "enum {} {{", e.name());
    if e.options.as_ref().and_then(|o| o.allow_alias) == Some(true) {
        indent(out, depth + 1);
        out.push_str("option allow_alias = true;\n");
    }
    for v in &e.value {
        indent(out, depth + 1);
        let deprecated = v
            .options
            .as_ref()
            .and_then(|o| o.deprecated)
            .map(|d| format!(" [deprecated = {d}]"))
            .unwrap_or_default();
        let _ = writeln!(out, "{} = {}{deprecated};", v.name(), v.number());
    }
    if !e.reserved_range.is_empty() {
        indent(out, depth + 1);
        let ranges: Vec<String> = e
            .reserved_range
            .iter()
            .map(|r| range(r.start(), r.end()))
            .collect();
        let _ = writeln!(out, "reserved {};", ranges.join(", "));
    }
    if !e.reserved_name.is_empty() {
        indent(out, depth + 1);
        let names: Vec<String> = e.reserved_name.iter().map(|n| quote(n)).collect();
        let _ = writeln!(out, "reserved {};", names.join(", "));
    }
    indent(out, depth);
    out.push_str("}\n");
}

/// Extensions grouped by the message they extend, in first-seen order.
fn group_extensions(exts: &[FieldDescriptorProto]) -> Vec<(String, Vec<&FieldDescriptorProto>)> {
    let mut groups: Vec<(String, Vec<&FieldDescriptorProto>)> = Vec::new();
    for e in exts {
        match groups.iter_mut().find(|(n, _)| n == e.extendee()) {
            Some((_, v)) => v.push(e),
            None => groups.push((e.extendee().to_string(), vec![e])),
        }
    }
    groups
}

fn extension_block(
    out: &mut String,
    (extendee, fields): &(String, Vec<&FieldDescriptorProto>),
    depth: usize,
    syntax3: bool,
) {
    indent(out, depth);
    let _ = writeln!(out, "extend {extendee} {{");
    let holder = DescriptorProto::default();
    for f in fields {
        field(out, &holder, f, depth + 1, syntax3, false);
    }
    indent(out, depth);
    out.push_str("}\n");
}

fn service(out: &mut String, s: &ServiceDescriptorProto) {
    let _ = writeln!(out, "service {} {{", s.name());
    for m in &s.method {
        let cs = if m.client_streaming() { "stream " } else { "" };
        let ss = if m.server_streaming() { "stream " } else { "" };
        let _ = writeln!(
            out,
            "  rpc {}({cs}{}) returns ({ss}{});",
            m.name(),
            m.input_type(),
            m.output_type()
        );
    }
    out.push_str("}\n");
}
