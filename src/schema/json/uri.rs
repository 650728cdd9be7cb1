//! The little URI arithmetic `$id` and `$ref` need: joining a reference to a base, splitting off
//! the fragment, and decoding JSON-pointer fragments (RFC 3986 §5.2 without dot-segment removal,
//! RFC 6901 for pointers). Nothing here fetches anything.

/// `reference` resolved against `base`.
pub fn join(base: &str, reference: &str) -> String {
    if has_scheme(reference) {
        return reference.to_string();
    }
    let base_doc = strip_fragment(base);
    if reference.is_empty() {
        return base_doc.to_string();
    }
    if reference.starts_with('#') {
        return format!("{base_doc}{reference}");
    }
    if let Some(rest) = reference.strip_prefix("//") {
        let scheme = base_doc.split(':').next().unwrap_or("");
        return format!("{scheme}://{rest}");
    }
    if reference.starts_with('/') {
        // Keep the base's scheme and authority.
        if let Some(i) = base_doc.find("://") {
            let after = &base_doc[i + 3..];
            let authority_end = after.find('/').map_or(base_doc.len(), |j| i + 3 + j);
            return format!("{}{reference}", &base_doc[..authority_end]);
        }
        return reference.to_string();
    }
    let directory = match base_doc.rfind('/') {
        Some(i) => &base_doc[..=i],
        None => "",
    };
    let joined = format!("{directory}{}", reference.trim_start_matches("./"));
    joined
}

/// A reference's document part and fragment (without `#`).
pub fn split(uri: &str) -> (&str, &str) {
    match uri.find('#') {
        Some(i) => (&uri[..i], &uri[i + 1..]),
        None => (uri, ""),
    }
}

fn strip_fragment(uri: &str) -> &str {
    split(uri).0
}

/// True for `scheme:...` (a scheme is a letter followed by letters, digits, `+`, `-` or `.`).
pub fn has_scheme(uri: &str) -> bool {
    let Some(colon) = uri.find(':') else {
        return false;
    };
    let scheme = &uri[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// One JSON-pointer token escaped (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_join_their_base() {
        assert_eq!(join("", "#/definitions/a"), "#/definitions/a");
        assert_eq!(
            join("http://x.test/s/order.json", "customer.json#/a"),
            "http://x.test/s/customer.json#/a"
        );
        assert_eq!(
            join("http://x.test/s/o.json", "/c.json"),
            "http://x.test/c.json"
        );
        assert_eq!(
            join("http://x.test/s/o.json#frag", "#b"),
            "http://x.test/s/o.json#b"
        );
        assert_eq!(join("a/b.json", "urn:x"), "urn:x");
        assert_eq!(join("", "other.json"), "other.json");
    }

    #[test]
    fn fragments_decode_percent_escapes() {
        assert_eq!(percent_decode("/a%20b/%25").as_deref(), Some("/a b/%"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
    }
}
