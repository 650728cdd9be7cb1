//! The verdict-only path (`compat::is_compatible`, which stops at the first problem and builds no
//! messages) must agree with the full report on every Avro fixture and level.

use std::path::Path;

use schemactl::compat::{self, Level, Options};
use schemactl::schema::Schema;

fn load(path: &Path) -> Option<Schema> {
    let text = std::fs::read_to_string(path).ok()?;
    Schema::parse_avro(&path.display().to_string(), &text).ok()
}

#[test]
fn verdict_only_agrees_with_the_report_on_every_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/avro");
    let mut compared = 0;
    for case in std::fs::read_dir(&root).expect("fixtures exist") {
        let dir = case.unwrap().path();
        let Some(new) = load(&dir.join("new.avsc")) else {
            continue;
        };
        let mut olds = Vec::new();
        for v in 1.. {
            match load(&dir.join(format!("v{v}.avsc"))) {
                Some(s) => olds.push(s),
                None => break,
            }
        }
        let numbered: Vec<(u32, &Schema)> = olds
            .iter()
            .enumerate()
            .map(|(i, s)| (i as u32 + 1, s))
            .collect();
        for level in Level::ALL {
            let report = compat::check(&new, &numbered, level, &Options::default()).unwrap();
            let verdict =
                compat::is_compatible(&new, &numbered, level, &Options::default()).unwrap();
            assert_eq!(verdict, report.compatible, "{} at {level}", dir.display());
            compared += 1;
        }
    }
    assert!(
        compared > 700,
        "only {compared} comparisons: fixtures missing?"
    );
}
