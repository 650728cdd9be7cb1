//! Finds where a JSON value sits in its source text, so that errors and reports can name a line.
//!
//! `serde_json::Value` forgets positions; rather than carry spans through the whole model, we
//! re-scan the text along one JSON pointer when (and only when) a position is needed.

/// Line and column (both 1-based) of the value at `pointer` (RFC 6901, e.g. `/fields/2/type`)
/// in `text`, or of the deepest existing ancestor. `None` if the text is not JSON.
pub fn pointer_position(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let tokens = pointer_tokens(pointer);
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_ws();
    let mut found = scanner.pos;
    for token in &tokens {
        match scanner.descend(token) {
            Some(pos) => found = pos,
            None => break,
        }
    }
    Some(line_col(text, found))
}

/// The unescaped tokens of a JSON pointer (`/` alone is the root, as the Avro walk writes it).
fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() || pointer == "/" {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The pointer into `new_text` of the element that `pointer` names in `old_text`, so that a
/// problem found in an old version can be shown on the file the user edits. Record fields are
/// matched by name (or by a new field's alias naming the old one), since fields move; other
/// steps by key or index. Returns the deepest pointer matched and whether all of it matched;
/// `None` if either text is not JSON.
pub fn matching_pointer(old_text: &str, pointer: &str, new_text: &str) -> Option<(String, bool)> {
    use serde_json::Value;
    let old: Value = serde_json::from_str(old_text).ok()?;
    let new: Value = serde_json::from_str(new_text).ok()?;
    let tokens = pointer_tokens(pointer);
    let (mut o, mut n) = (&old, &new);
    let mut matched = String::new();
    for (i, token) in tokens.iter().enumerate() {
        let next = match (o, n) {
            (Value::Object(om), Value::Object(nm)) => om
                .get(token)
                .zip(nm.get(token))
                .map(|(a, b)| (a, b, token.clone())),
            (Value::Array(oa), Value::Array(na)) => {
                let old_element = token.parse::<usize>().ok().and_then(|k| oa.get(k));
                let field_name = old_element
                    .filter(|_| i > 0 && tokens[i - 1] == "fields")
                    .and_then(|e| e.get("name"))
                    .and_then(Value::as_str);
                let found = match field_name {
                    Some(name) => na.iter().position(|f| {
                        f.get("name").and_then(Value::as_str) == Some(name)
                            || f.get("aliases")
                                .and_then(Value::as_array)
                                .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(name)))
                    }),
                    None => token.parse::<usize>().ok().filter(|&k| k < na.len()),
                };
                old_element
                    .zip(found)
                    .map(|(a, k)| (a, &na[k], k.to_string()))
            }
            _ => None,
        };
        let Some((a, b, step)) = next else {
            return Some((matched, false));
        };
        (o, n) = (a, b);
        matched.push('/');
        matched.push_str(&step.replace('~', "~0").replace('/', "~1"));
    }
    Some((matched, true))
}

/// Converts a byte offset into a 1-based line and column (columns count characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// With `pos` at a value, moves to the child named `token` and returns its offset.
    fn descend(&mut self, token: &str) -> Option<usize> {
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    if self.peek()? == b'}' {
                        return None;
                    }
                    let key = self.string()?;
                    self.skip_ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.pos += 1;
                    self.skip_ws();
                    if key == token {
                        return Some(self.pos);
                    }
                    self.skip_value()?;
                    self.skip_ws();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        _ => return None,
                    }
                }
            }
            b'[' => {
                let index: usize = token.parse().ok()?;
                self.pos += 1;
                for _ in 0..index {
                    self.skip_ws();
                    self.skip_value()?;
                    self.skip_ws();
                    if self.peek()? != b',' {
                        return None;
                    }
                    self.pos += 1;
                }
                self.skip_ws();
                if self.peek()? == b']' {
                    return None;
                }
                Some(self.pos)
            }
            _ => None,
        }
    }

    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    let raw = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
                    return serde_json::from_str(raw).ok();
                }
                _ => self.pos += 1,
            }
        }
        None
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                while self.pos < self.bytes.len() {
                    match self.bytes[self.pos] {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                None
            }
            _ => {
                while self.pos < self.bytes.len()
                    && !matches!(self.bytes[self.pos], b',' | b'}' | b']')
                    && !self.bytes[self.pos].is_ascii_whitespace()
                {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

/// Line and column of the element a Protobuf path names (`#/Order/2`, `#/Order/Item/3`,
/// `#/Order/choice/4`, `#/Status/1`), found in the file's text: the nested `message`, `enum` or
/// `oneof` blocks, then the field or value declared with that number. The root path (`#/`) is the
/// `package` statement, or the file's start. `None` when the text does not show the element.
pub fn proto_path_position(text: &str, path: &str) -> Option<(usize, usize)> {
    let trimmed = path.trim_start_matches('#').trim_start_matches('/');
    if trimmed.is_empty() {
        let code = strip_comments(text);
        let package = code
            .match_indices("package")
            .find(|(i, _)| code[..*i].trim_end().is_empty() || code[..*i].ends_with(['\n', ';']))
            .map_or(0, |(i, _)| i);
        return Some(line_col(text, package));
    }
    let parts: Vec<&str> = trimmed.split('/').collect();
    let (number, messages) = match parts.split_last() {
        Some((last, rest)) if last.parse::<u32>().is_ok() => (Some(*last), rest),
        _ => (None, &parts[..]),
    };
    let code = strip_comments(text);
    let (mut start, mut end) = (0, code.len());
    let mut found = 0;
    for message in messages {
        let name = message.rsplit('.').next().unwrap_or(message);
        let (body_start, body_end, decl) = find_block(&code[start..end], name)?;
        found = start + decl;
        end = start + body_end;
        start += body_start;
    }
    if let Some(number) = number {
        let body = &code[start..end];
        let mut depth = 0usize;
        let mut offset = 0;
        for line in body.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if depth == 0 && field_number(trimmed) == Some(number) {
                return Some(line_col(text, start + offset + indent));
            }
            depth += line.matches('{').count();
            depth = depth.saturating_sub(line.matches('}').count());
            offset += line.len();
        }
        return None;
    }
    Some(line_col(text, found))
}

/// The number a field declaration line ends with (`int64 id = 2;` → `2`).
fn field_number(line: &str) -> Option<&str> {
    let (_, rhs) = line.split_once('=')?;
    let rhs = rhs.trim_start();
    let digits = rhs.split(|c: char| !c.is_ascii_digit()).next()?;
    let after = rhs[digits.len()..].trim_start();
    (!digits.is_empty() && (after.starts_with(';') || after.starts_with('['))).then_some(digits)
}

/// The line and column of the deepest element of a Protobuf path that `text` shows: the path
/// itself, else its nearest ancestor (the root at worst). The flag says whether all of it matched.
pub fn proto_nearest_position(text: &str, path: &str) -> ((usize, usize), bool) {
    let mut at = path.trim_end_matches('/');
    let mut complete = true;
    loop {
        if let Some(position) = proto_path_position(text, at) {
            return (position, complete);
        }
        complete = false;
        match at.rsplit_once('/') {
            Some((parent, _)) => at = parent,
            None => return ((1, 1), false),
        }
    }
}

/// `(body start, body end, declaration offset)` of `message|enum|oneof NAME { ... }` at the top
/// level of `code`.
fn find_block(code: &str, name: &str) -> Option<(usize, usize, usize)> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let keyword = ["message", "enum", "oneof"]
            .into_iter()
            .find(|k| depth == 0 && code.is_char_boundary(i) && code[i..].starts_with(k));
        let after_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ if after_word && keyword.is_some() => {
                let keyword = keyword.unwrap_or_default();
                let rest = code[i + keyword.len()..].trim_start();
                let ident: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if ident == name {
                    let open = i + code[i..].find('{')?;
                    let mut d = 0usize;
                    for (j, b) in bytes.iter().enumerate().skip(open) {
                        match b {
                            b'{' => d += 1,
                            b'}' => {
                                d -= 1;
                                if d == 0 {
                                    return Some((open + 1, j, i));
                                }
                            }
                            _ => {}
                        }
                    }
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The text with comments blanked out (same length, so offsets still map to lines).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                out.push(' ');
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                    out.extend(std::iter::repeat_n(' ', n.len_utf8()));
                }
            }
            ('/', Some('*')) => {
                out.push(' ');
                let mut prev = ' ';
                for n in chars.by_ref() {
                    out.push(if n == '\n' { '\n' } else { ' ' });
                    out.extend(std::iter::repeat_n(' ', n.len_utf8() - 1));
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"type\": \"record\",\n  \"name\": \"User\",\n  \"fields\": [\n    {\"name\": \"id\", \"type\": \"long\"},\n    {\"name\": \"email\", \"type\": \"string\"}\n  ]\n}\n";

    #[test]
    fn finds_nested_values() {
        assert_eq!(pointer_position(TEXT, ""), Some((1, 1)));
        assert_eq!(pointer_position(TEXT, "/name"), Some((3, 11)));
        assert_eq!(pointer_position(TEXT, "/fields/1"), Some((6, 5)));
        assert_eq!(pointer_position(TEXT, "/fields/1/type"), Some((6, 31)));
    }

    #[test]
    fn falls_back_to_the_deepest_ancestor() {
        assert_eq!(pointer_position(TEXT, "/fields/7/type"), Some((4, 13)));
        assert_eq!(pointer_position(TEXT, "/nope"), Some((1, 1)));
    }

    #[test]
    fn finds_protobuf_fields_by_path() {
        let proto = "syntax = \"proto3\";\n// message Order { int32 x = 2; }\nmessage Order {\n  string id = 1;\n  int64 customer = 2 [deprecated = true];\n  message Item {\n    int32 qty = 2;\n  }\n}\n";
        assert_eq!(proto_path_position(proto, "#/Order/2"), Some((5, 3)));
        assert_eq!(proto_path_position(proto, "#/Order/Item/2"), Some((7, 5)));
        assert_eq!(proto_path_position(proto, "#/Order"), Some((3, 1)));
        assert_eq!(proto_path_position(proto, "#/Order/9"), None);
        assert_eq!(proto_path_position(proto, "#/Missing/1"), None);
    }

    #[test]
    fn matches_old_pointers_to_the_same_field_in_new_text() {
        let old = "{\"type\": \"record\", \"name\": \"U\", \"fields\": [\n  {\"name\": \"id\", \"type\": \"long\"},\n  {\"name\": \"n\", \"type\": \"string\"}]}";
        let new = "{\"type\": \"record\", \"name\": \"U\", \"fields\": [\n  {\"name\": \"n\", \"type\": \"string\"},\n  {\"name\": \"ident\", \"aliases\": [\"id\"], \"type\": \"string\"}]}";
        // Moved and renamed with an alias: found by name, not by position.
        assert_eq!(
            matching_pointer(old, "/fields/0/type", new),
            Some(("/fields/1/type".to_string(), true))
        );
        // A field the new text does not have: the deepest match, flagged incomplete.
        let without = "{\"type\": \"record\", \"name\": \"U\", \"fields\": []}";
        assert_eq!(
            matching_pointer(old, "/fields/1/type", without),
            Some(("/fields".to_string(), false))
        );
        assert_eq!(matching_pointer(old, "/", new), Some((String::new(), true)));
        assert_eq!(matching_pointer("not json", "/fields", new), None);
    }

    #[test]
    fn finds_oneof_members_enum_values_and_the_package() {
        let proto = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  oneof contact {\n    string email = 4;\n  }\n}\nenum Status {\n  OPEN = 0;\n}\n";
        assert_eq!(
            proto_path_position(proto, "#/Order/contact/4"),
            Some((5, 5))
        );
        assert_eq!(proto_path_position(proto, "#/Status/0"), Some((9, 3)));
        assert_eq!(proto_path_position(proto, "#/"), Some((2, 1)));
        assert_eq!(
            proto_nearest_position(proto, "#/Order/contact/9"),
            ((4, 3), false)
        );
        assert_eq!(proto_nearest_position(proto, "#/Gone/1"), ((2, 1), false));
        assert_eq!(proto_nearest_position(proto, "#/Order"), ((3, 1), true));
    }

    #[test]
    fn survives_garbage() {
        assert_eq!(pointer_position("{\"a\": [1, ", "/a/3"), Some((1, 7)));
        assert_eq!(pointer_position("", "/a"), Some((1, 1)));
    }
}
