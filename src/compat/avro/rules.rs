//! The Avro compatibility rules. Each is one way a reader fails to read a writer's data under the
//! Avro specification's schema resolution; each has a stable identifier (Avro's and Confluent's
//! incompatibility type name), says what it protects, and builds its message and fix hint.

/// Who reads and who writes in one comparison, as the messages name them ("new", "old").
#[derive(Debug, Clone, Copy)]
pub struct Roles {
    pub reader: &'static str,
    pub writer: &'static str,
}

impl Roles {
    /// BACKWARD: the new schema reads. FORWARD: the old one does.
    pub fn reader_is_new(self) -> bool {
        self.reader == "new"
    }

    /// `(old, new)` from a `(reader, writer)` pair of values.
    fn old_new<T>(self, reader: T, writer: T) -> (T, T) {
        if self.reader_is_new() {
            (writer, reader)
        } else {
            (reader, writer)
        }
    }
}

/// Where a finding is, for its texts. Hints always say what to change in the NEW schema (the one
/// the user edits), whichever schema reads: so they name the old schema's type as what to keep.
#[derive(Debug, Clone)]
pub struct Site<'a> {
    pub roles: Roles,
    pub path: &'a str,
    /// The record field the finding sits in (innermost), if any.
    pub field: Option<&'a str>,
    /// That field's whole type in the old and in the new schema (the root types outside fields).
    pub old_type: String,
    pub new_type: String,
}

impl Site<'_> {
    /// "`id` as long": what the new schema should keep.
    fn keep(&self) -> String {
        match self.field {
            Some(f) => format!("keep `{f}` as {}", self.old_type),
            None => format!("keep the schema's type as {}", self.old_type),
        }
    }
}

/// A rule: its identifier and what it protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub protects: &'static str,
}

/// A named type must keep its name (unqualified name, or a reader alias equal to the writer's
/// full name), so that the reader resolves the writer's record, enum or fixed at all.
pub const NAME_MISMATCH: Rule = Rule {
    id: "NAME_MISMATCH",
    protects: "a record, enum or fixed is matched by name; a renamed type without an alias cannot be resolved",
};

/// A fixed type must keep its size: the reader would read a different number of bytes.
pub const FIXED_SIZE_MISMATCH: Rule = Rule {
    id: "FIXED_SIZE_MISMATCH",
    protects:
        "a fixed value is exactly `size` bytes; a reader with another size misreads the stream",
};

/// Every symbol the writer may write must exist in the reader's enum, unless the reader's enum
/// has a default symbol to read unknown symbols as.
pub const MISSING_ENUM_SYMBOLS: Rule = Rule {
    id: "MISSING_ENUM_SYMBOLS",
    protects: "a reader fails on an enum symbol it does not know, unless its enum has a default",
};

/// A reader field that the writer does not write must have a default to fill it with.
pub const READER_FIELD_MISSING_DEFAULT_VALUE: Rule = Rule {
    id: "READER_FIELD_MISSING_DEFAULT_VALUE",
    protects: "a reader field absent from the writer's data is filled from its default; without one the record cannot be read",
};

/// The reader's type must be the writer's, or one Avro promotes it to (int→long→float→double,
/// string↔bytes).
pub const TYPE_MISMATCH: Rule = Rule {
    id: "TYPE_MISMATCH",
    protects: "the reader decodes the writer's bytes with its own type; only the specification's promotions are safe",
};

/// Every branch a writer union may write must resolve to some branch of the reader's union, and a
/// plain writer type must match some branch of a reader union.
pub const MISSING_UNION_BRANCH: Rule = Rule {
    id: "MISSING_UNION_BRANCH",
    protects: "a value written as one union branch must match a reader branch, or reading it fails",
};

/// A reader field must match at most one writer field, by its name and its aliases together.
/// Avro's Java `SchemaCompatibility` throws here (also when an alias repeats the field's own
/// name), and Confluent reports the exception as an incompatibility; this is its stand-in.
pub const AMBIGUOUS_READER_FIELD: Rule = Rule {
    id: "AMBIGUOUS_READER_FIELD",
    protects:
        "a reader field whose name and aliases match several writer fields cannot be resolved",
};

/// All Avro rules, in the order Avro declares them (the six incompatibility types of Avro's
/// `SchemaCompatibility`; [`AMBIGUOUS_READER_FIELD`] stands for an exception, not a type).
pub const ALL: [Rule; 6] = [
    NAME_MISMATCH,
    FIXED_SIZE_MISMATCH,
    MISSING_ENUM_SYMBOLS,
    READER_FIELD_MISSING_DEFAULT_VALUE,
    TYPE_MISMATCH,
    MISSING_UNION_BRANCH,
];

pub(super) fn name_mismatch(
    site: &Site<'_>,
    reader_name: &str,
    writer_name: &str,
) -> (String, String) {
    let (roles, path) = (site.roles, site.path);
    let (old, new) = roles.old_new(reader_name, writer_name);
    let hint = if roles.reader_is_new() {
        format!(
            "the new schema names this type '{new}' but the old schema wrote '{old}': keep the name '{old}' in the new schema, or add \"aliases\": [\"{old}\"] to the type in the new schema"
        )
    } else {
        format!(
            "old readers know this type as '{old}' but the new schema names it '{new}': keep the name '{old}' in the new schema (aliases in the new schema do not help old readers)"
        )
    };
    (
        format!("The name of the schema has changed (path '{path}')"),
        hint,
    )
}

pub(super) fn fixed_size_mismatch(
    site: &Site<'_>,
    reader_size: usize,
    writer_size: usize,
) -> (String, String) {
    let (roles, path) = (site.roles, site.path);
    let (old, new) = roles.old_new(reader_size, writer_size);
    (
        format!(
            "The size of FIXED type field at path '{path}' in the {} schema does not match with the {} schema",
            roles.reader, roles.writer
        ),
        format!(
            "the old schema has size {old}, the new schema {new}: a fixed type cannot change size; keep size {old} in the new schema, or add a new field with a new fixed type and a default"
        ),
    )
}

pub(super) fn missing_enum_symbols(
    site: &Site<'_>,
    enum_name: &str,
    missing: &[&str],
) -> (String, String) {
    let (roles, path) = (site.roles, site.path);
    let list = missing.join(", ");
    let hint = if roles.reader_is_new() {
        format!(
            "keep the symbols [{list}] of the old schema in enum '{enum_name}' of the new schema, or give that enum a \"default\" symbol in the new schema so that unknown symbols are read as it"
        )
    } else {
        format!(
            "the new schema adds the symbols [{list}] to enum '{enum_name}', which old readers do not know: remove them from the new schema, or first give the enum a \"default\" symbol in a version that all readers use"
        )
    };
    (
        format!(
            "The {} schema is missing enum symbols '[{list}]' at path '{path}' in the {} schema",
            roles.reader, roles.writer
        ),
        hint,
    )
}

pub(super) fn reader_field_missing_default(
    site: &Site<'_>,
    field: &str,
    suggestion: &str,
) -> (String, String) {
    let (roles, path) = (site.roles, site.path);
    let hint = if roles.reader_is_new() {
        format!("give '{field}' a default value in the new schema so that old records can be read, {suggestion}")
    } else {
        format!(
            "old readers require '{field}' (it has no default in the old schema): keep '{field}' in the new schema, or first give it a default in a version that all readers use"
        )
    };
    (
        format!(
            "The field '{field}' at path '{path}' in the {} schema has no default value and is missing in the {} schema",
            roles.reader, roles.writer
        ),
        hint,
    )
}

pub(super) fn type_mismatch(
    site: &Site<'_>,
    reader_type: &str,
    writer_type: &str,
) -> (String, String) {
    let (roles, path) = (site.roles, site.path);
    let (old, new) = roles.old_new(reader_type, writer_type);
    let keep = site.keep();
    let hint = if roles.reader_is_new() {
        format!(
            "the new schema reads {new} where the old schema wrote {old}: {keep}, or change it only along Avro's promotions (int → long → float → double, string ↔ bytes); to change a type, add a new field with a default and stop writing the old one"
        )
    } else {
        format!(
            "old readers expect {old} where the new schema writes {new}: {keep}, or write only a type that Avro promotes to it (int → long → float → double, string ↔ bytes); to change a type, add a new field with a default and stop writing the old one"
        )
    };
    (
        format!(
            "The type (path '{path}') of a field in the {} schema does not match with the {} schema",
            roles.reader, roles.writer
        ),
        hint,
    )
}

pub(super) fn missing_union_branch(site: &Site<'_>, writer_type: &str) -> (String, String) {
    let (roles, path) = (site.roles, site.path);
    let keep = site.keep();
    let hint = if roles.reader_is_new() {
        format!(
            "the old schema can write {writer_type} here but the new schema has no union branch that reads it: add {writer_type} to the union in the new schema ({keep})"
        )
    } else {
        format!(
            "the new schema can write {writer_type} here but old readers have no union branch that reads it: remove {writer_type} from the new schema ({keep})"
        )
    };
    (
        format!(
            "The {} schema is missing a type inside a union field at path '{path}' in the {} schema",
            roles.reader, roles.writer
        ),
        hint,
    )
}

pub(super) fn ambiguous_reader_field(
    site: &Site<'_>,
    field: &str,
    matches: &[&str],
) -> (String, String) {
    let (roles, path) = (site.roles, site.path);
    let list = matches.join(", ");
    let hint = if roles.reader_is_new() {
        format!(
            "Avro resolves a reader field by its name and every alias, and fails when they match more than one field: remove the aliases of '{field}' in the new schema that name [{list}] (an alias equal to the field's own name counts too)"
        )
    } else {
        format!(
            "old readers resolve '{field}' by its name and every alias, and fail when they match more than one field: in the new schema, keep only one of the fields [{list}] (rename the others)"
        )
    };
    (
        format!(
            "The field '{field}' at path '{path}' in the {} schema matches multiple fields in the {} schema: [{list}]",
            roles.reader, roles.writer
        ),
        hint,
    )
}
