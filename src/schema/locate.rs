//! Finds where a JSON value sits in its source text, so that errors and reports can name a line.
//!
//! `serde_json::Value` forgets positions; rather than carry spans through the whole model, we
//! re-scan the text along one JSON pointer when (and only when) a position is needed.

/// Line and column (both 1-based) of the value at `pointer` (RFC 6901, e.g. `/fields/2/type`)
/// in `text`, or of the deepest existing ancestor. `None` if the text is not JSON.
pub fn pointer_position(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let tokens: Vec<String> = if pointer.is_empty() || pointer == "/" {
        Vec::new()
    } else {
        pointer
            .trim_start_matches('/')
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
    };
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

/// Line and column of the field a Protobuf path names (`#/Order/2`, `#/Order/Item/3`), found in
/// the file's text: the nested `message` blocks, then the field declared with that number. `None`
/// when the text does not show it plainly (e.g. the path names a message only).
pub fn proto_path_position(text: &str, path: &str) -> Option<(usize, usize)> {
    let parts: Vec<&str> = path
        .trim_start_matches('#')
        .trim_start_matches('/')
        .split('/')
        .collect();
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

/// `(body start, body end, declaration offset)` of `message NAME { ... }` at the top level of `code`.
fn find_block(code: &str, name: &str) -> Option<(usize, usize, usize)> {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'm' if depth == 0 && code[i..].starts_with("message") => {
                let rest = code[i + 7..].trim_start();
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
    fn survives_garbage() {
        assert_eq!(pointer_position("{\"a\": [1, ", "/a/3"), Some((1, 7)));
        assert_eq!(pointer_position("", "/a"), Some((1, 1)));
    }
}
