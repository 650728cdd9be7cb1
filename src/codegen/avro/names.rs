//! Rust identifiers for Avro names: snake-case fields and modules, camel-case types and
//! variants, keywords escaped.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Keywords that can be used as raw identifiers (`r#type`).
pub(crate) const RAW_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers: a trailing underscore instead.
const PLAIN_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// An identifier for `s`, escaped if it is a keyword.
pub fn ident(s: &str) -> Ident {
    if PLAIN_KEYWORDS.contains(&s) {
        Ident::new(&format!("{s}_"), Span::call_site())
    } else if RAW_KEYWORDS.contains(&s) {
        Ident::new_raw(s, Span::call_site())
    } else {
        Ident::new(s, Span::call_site())
    }
}

/// A field or module name: snake case, never empty, never starting with a digit.
pub fn snake(s: &str) -> String {
    let out = s.to_snake_case();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("f_{out}")
    } else {
        out
    }
}

/// A type or variant name: upper camel case, never empty, never starting with a digit.
pub fn camel(s: &str) -> String {
    let out = s.to_upper_camel_case();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{out}")
    } else {
        out
    }
}

/// Makes `name` unique among `taken` by appending a number, and records it.
pub fn unique(name: String, taken: &mut std::collections::HashSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    (2..)
        .map(|i| format!("{name}{i}"))
        .find(|n| taken.insert(n.clone()))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_valid_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(snake("userId"), "user_id");
        assert_eq!(snake("URL"), "url");
        assert_eq!(camel("user_event"), "UserEvent");
        assert_eq!(camel("HEARTS"), "Hearts");
        let mut taken = Default::default();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a2");
    }
}
