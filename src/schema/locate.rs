//! Finds where a JSON value or a Protobuf field sits in its source text, so that errors and
//! reports can name a line.
//!
//! `serde_json::Value` forgets positions; rather than carry spans through the whole model, a
//! [`TextIndex`] is built from the text when positions are needed: the line starts, every
//! JSON value's offset, or every `message` block with its fields. Building one is linear in
//! the text and each lookup is then cheap, so a report of thousands of findings stays linear.
//! The free functions keep the last index of each thread, so callers that look up many paths in
//! one text build it once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Line and column (both 1-based) of the value at `pointer` (RFC 6901, e.g. `/fields/2/type`)
/// in `text`, or of the deepest existing ancestor. `None` if the text is not JSON.
pub fn pointer_position(text: &str, pointer: &str) -> Option<(usize, usize)> {
    with_index(text, |index| index.pointer_position(pointer))
}

/// Line and column of the element a Protobuf path names (`#/Order/2`, `#/Order/Item/3`,
/// `#/Order/choice/4`, `#/Status/1`), found in the file's text: the nested `message`, `enum` or
/// `oneof` blocks, then the field or value declared with that number. The root path (`#/`) is the
/// `package` statement, or the file's start. `None` when the text does not show the element.
pub fn proto_path_position(text: &str, path: &str) -> Option<(usize, usize)> {
    with_index(text, |index| index.proto_path_position(path))
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

thread_local! {
    /// The index of the text looked up last on this thread, with a copy of the text it was
    /// built from (compared before reuse, so a different text never gets a stale index).
    static LAST: RefCell<Option<(String, Rc<TextIndex>)>> = const { RefCell::new(None) };
}

fn with_index<R>(text: &str, f: impl FnOnce(&TextIndex) -> R) -> R {
    let cached = LAST.with(|last| {
        last.borrow()
            .as_ref()
            .filter(|(t, _)| t == text)
            .map(|(_, index)| Rc::clone(index))
    });
    let index = cached.unwrap_or_else(|| {
        let index = Rc::new(TextIndex::new(text));
        LAST.with(|last| *last.borrow_mut() = Some((text.to_string(), Rc::clone(&index))));
        index
    });
    f(&index)
}

/// Positions in one text, computed on first use: line starts, JSON values, `message` blocks.
pub struct TextIndex {
    text: String,
    line_starts: Vec<usize>,
    json: std::cell::OnceCell<Option<JsonIndex>>,
    proto: std::cell::OnceCell<ProtoIndex>,
}

impl TextIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            text: text.to_string(),
            line_starts,
            json: std::cell::OnceCell::new(),
            proto: std::cell::OnceCell::new(),
        }
    }

    /// [`line_col`], by binary search over the line starts.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }

    /// [`pointer_position`] in this text.
    pub fn pointer_position(&self, pointer: &str) -> Option<(usize, usize)> {
        let json = self.json.get_or_init(|| JsonIndex::build(&self.text));
        let Some(json) = json else {
            return Some(self.line_col(0));
        };
        let mut node = 0;
        if !(pointer.is_empty() || pointer == "/") {
            for token in pointer.trim_start_matches('/').split('/') {
                let token = token.replace("~1", "/").replace("~0", "~");
                match json.child(node, &token) {
                    Some(child) => node = child,
                    None => break,
                }
            }
        }
        Some(self.line_col(json.nodes[node].offset))
    }

    /// [`proto_path_position`] in this text.
    pub fn proto_path_position(&self, path: &str) -> Option<(usize, usize)> {
        let proto = self.proto.get_or_init(|| ProtoIndex::build(&self.text));
        let trimmed = path.trim_start_matches('#').trim_start_matches('/');
        if trimmed.is_empty() {
            return Some(self.line_col(proto.package.unwrap_or(0)));
        }
        let parts: Vec<&str> = trimmed.split('/').collect();
        let (number, messages) = match parts.split_last() {
            Some((last, rest)) if last.parse::<u32>().is_ok() => (Some(*last), rest),
            _ => (None, &parts[..]),
        };
        let mut block: Option<usize> = None;
        let mut decl = 0;
        for message in messages {
            let name = message.rsplit('.').next().unwrap_or(message);
            let id = *proto.children.get(&(block, name.to_string()))?;
            proto.blocks[id].body?;
            decl = proto.blocks[id].decl;
            block = Some(proto.blocks[id].primary);
        }
        match (number, block) {
            (Some(number), block) => {
                let offset = *proto.fields.get(&(block, number.to_string()))?;
                Some(self.line_col(offset))
            }
            (None, Some(_)) => Some(self.line_col(decl)),
            (None, None) => Some(self.line_col(0)),
        }
    }
}

/// Every value of a JSON text: its offset and, for containers, its children.
struct JsonIndex {
    nodes: Vec<JsonNode>,
}

struct JsonNode {
    offset: usize,
    /// Object members by key (the first of a repeated key), array elements by position.
    keys: HashMap<String, usize>,
    items: Vec<usize>,
}

impl JsonIndex {
    /// Scans the text once with a heap stack of open containers; `None` if it does not start
    /// with a value. A malformed tail leaves what was read before it.
    fn build(text: &str) -> Option<Self> {
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            pos: 0,
        };
        scanner.skip_ws();
        let mut nodes = vec![JsonNode {
            offset: scanner.pos,
            keys: HashMap::new(),
            items: Vec::new(),
        }];
        // Open containers: (node, is_object).
        let mut open: Vec<(usize, bool)> = Vec::new();
        let mut pending_key: Option<String> = None;
        let mut parent: Option<(usize, bool)> = None;
        loop {
            // At a value: record it under its parent, then descend or skip it.
            let id = if let Some((p, is_object)) = parent {
                let id = nodes.len();
                nodes.push(JsonNode {
                    offset: scanner.pos,
                    keys: HashMap::new(),
                    items: Vec::new(),
                });
                if is_object {
                    let key = pending_key.take().unwrap_or_default();
                    nodes[p].keys.entry(key).or_insert(id);
                } else {
                    nodes[p].items.push(id);
                }
                id
            } else {
                0
            };
            match scanner.peek() {
                Some(b'{') => {
                    scanner.pos += 1;
                    open.push((id, true));
                }
                Some(b'[') => {
                    scanner.pos += 1;
                    open.push((id, false));
                }
                Some(_) => {
                    if scanner.skip_value().is_none() {
                        break;
                    }
                }
                None => break,
            }
            // Find the next value, closing containers on the way.
            let mut next = None;
            while let Some(&(node, is_object)) = open.last() {
                scanner.skip_ws();
                let first = nodes[node].keys.is_empty() && nodes[node].items.is_empty();
                match scanner.peek() {
                    Some(b'}' | b']') => {
                        scanner.pos += 1;
                        open.pop();
                        continue;
                    }
                    Some(b',') if !first => {
                        scanner.pos += 1;
                        scanner.skip_ws();
                    }
                    Some(_) if first => {}
                    _ => break,
                }
                if is_object {
                    let Some(key) = scanner.string() else { break };
                    scanner.skip_ws();
                    if scanner.peek() != Some(b':') {
                        break;
                    }
                    scanner.pos += 1;
                    scanner.skip_ws();
                    pending_key = Some(key);
                }
                next = Some((node, is_object));
                break;
            }
            match next {
                Some(p) => parent = Some(p),
                None => break,
            }
        }
        if nodes[0].offset >= text.len() {
            return None;
        }
        Some(Self { nodes })
    }

    fn child(&self, node: usize, token: &str) -> Option<usize> {
        let node = &self.nodes[node];
        if !node.keys.is_empty() {
            return node.keys.get(token).copied();
        }
        node.items.get(token.parse::<usize>().ok()?).copied()
    }
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

/// The number a field declaration line ends with (`int64 id = 2;` → `2`).
fn field_number(line: &str) -> Option<&str> {
    let (_, rhs) = line.split_once('=')?;
    let rhs = rhs.trim_start();
    let digits = rhs.split(|c: char| !c.is_ascii_digit()).next()?;
    let after = rhs[digits.len()..].trim_start();
    (!digits.is_empty() && (after.starts_with(';') || after.starts_with('['))).then_some(digits)
}

/// The `message` blocks of a `.proto` text (comments blanked out), as the path lookup reads
/// them: by name among the blocks declared directly in the file or in another block's body (the
/// first of a name wins), and each body's fields by number, from its lines at its own level.
struct ProtoIndex {
    blocks: Vec<Block>,
    /// `(parent block or the file, name)` → block.
    children: HashMap<(Option<usize>, String), usize>,
    /// `(block or the file, field number)` → offset of the declaration.
    fields: HashMap<(Option<usize>, String), usize>,
    /// Offset of the file's `package` statement.
    package: Option<usize>,
}

struct Block {
    /// Offset of the `message`, `enum` or `oneof` keyword.
    decl: usize,
    /// The body between the braces; `None` if it is never closed.
    body: Option<(usize, usize)>,
    /// The block whose body this is: the first of the declarations waiting for one brace.
    primary: usize,
}

impl ProtoIndex {
    fn build(text: &str) -> Self {
        let code = strip_comments(text);
        let bytes = code.as_bytes();
        let mut index = ProtoIndex {
            blocks: Vec::new(),
            children: HashMap::new(),
            fields: HashMap::new(),
            package: None,
        };
        // One entry per open brace: the blocks whose body it opens, if any.
        let mut braces: Vec<Option<Vec<usize>>> = Vec::new();
        // `message|enum|oneof NAME`s read directly in a body, waiting for the next opening brace.
        let mut declared: Vec<usize> = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'{' => {
                    if let Some(&primary) = declared.first() {
                        for &id in &declared {
                            index.blocks[id].body = Some((i + 1, i + 1));
                            index.blocks[id].primary = primary;
                        }
                        braces.push(Some(std::mem::take(&mut declared)));
                    } else {
                        braces.push(None);
                    }
                }
                b'}' => {
                    if let Some(Some(members)) = braces.pop() {
                        for id in members {
                            if let Some((start, _)) = index.blocks[id].body {
                                index.blocks[id].body = Some((start, i));
                            }
                        }
                    }
                }
                b'm' | b'e' | b'o' | b'p'
                    if braces.last().is_none_or(Option::is_some)
                        && (i == 0
                            || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) =>
                {
                    let Some(keyword) = ["message", "enum", "oneof", "package"]
                        .into_iter()
                        .find(|k| code[i..].starts_with(k))
                    else {
                        continue;
                    };
                    let rest = &code[i + keyword.len()..];
                    if !rest.starts_with(|c: char| c.is_whitespace()) {
                        continue;
                    }
                    if keyword == "package" {
                        if braces.is_empty() {
                            index.package.get_or_insert(i);
                        }
                        continue;
                    }
                    let ident: String = rest
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let parent = braces.last().and_then(|b| b.as_ref()).map(|m| m[0]);
                    let id = index.blocks.len();
                    index.blocks.push(Block {
                        decl: i,
                        body: None,
                        primary: id,
                    });
                    index.children.entry((parent, ident)).or_insert(id);
                    declared.push(id);
                }
                _ => {}
            }
        }
        // A block still open at the end has no body.
        for id in braces.into_iter().flatten().flatten() {
            index.blocks[id].body = None;
        }
        // Fields: each body's lines, at the body's own brace depth. Bodies nest at most as
        // deep as declarations do, so this reads the text a bounded number of times.
        let bodies = std::iter::once((None, Some((0, code.len())))).chain(
            index
                .blocks
                .iter()
                .enumerate()
                .filter(|(id, b)| b.primary == *id)
                .map(|(id, b)| (Some(id), b.body)),
        );
        for (owner, body) in bodies {
            let Some((start, end)) = body else { continue };
            let mut depth = 0usize;
            let mut offset = start;
            for line in code[start..end].split_inclusive('\n') {
                let trimmed = line.trim_start();
                if depth == 0 {
                    if let Some(number) = field_number(trimmed) {
                        let at = offset + (line.len() - trimmed.len());
                        index
                            .fields
                            .entry((owner, number.to_string()))
                            .or_insert(at);
                    }
                }
                depth += line.matches('{').count();
                depth = depth.saturating_sub(line.matches('}').count());
                offset += line.len();
            }
        }
        index
    }
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
    fn protobuf_lookups_read_blocks_as_written() {
        let proto = "syntax = \"proto3\";\nmessage A { int32 messageCount = 1; message B { int32 y = 2; } }\nmessage C {\n  oneof o {\n    string s = 4;\n  }\n  message A {\n    int64 z = 5;\n  }\n  int32 t = 6;\n}\n";
        // A one-line body is its own first line; a nested block on it counts at its level.
        assert_eq!(proto_path_position(proto, "#/A/1"), Some((2, 13)));
        assert_eq!(proto_path_position(proto, "#/A/B"), Some((2, 37)));
        // Members of a oneof are not at the message's level; nested names are scoped.
        assert_eq!(proto_path_position(proto, "#/C/4"), None);
        assert_eq!(proto_path_position(proto, "#/C/6"), Some((10, 3)));
        assert_eq!(proto_path_position(proto, "#/C/A/5"), Some((8, 5)));
        assert_eq!(proto_path_position(proto, "#/A/5"), None);
        // Unclosed blocks are not found.
        assert_eq!(
            proto_path_position("message X { int32 a = 1;", "#/X/1"),
            None
        );
    }

    #[test]
    fn an_index_is_reused_only_for_the_same_text() {
        let one = "{\"a\": 1}";
        let two = "{\n\"a\": 1}";
        assert_eq!(pointer_position(one, "/a"), Some((1, 7)));
        assert_eq!(pointer_position(two, "/a"), Some((2, 6)));
        assert_eq!(pointer_position(one, "/a"), Some((1, 7)));
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
