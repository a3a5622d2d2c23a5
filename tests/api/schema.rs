//! Diesel's schema (crates/persistence/src/schema.rs, kept by hand) matches what the migrations
//! build: every table of the database is declared with all its columns, each with its type,
//! nullability and the primary key; nothing is declared that the database lacks.

use diesel::{sql_query, Connection, PgConnection, QueryableByName, RunQueryDsl};
use std::collections::BTreeMap;
use testkit::TestDb;

const SCHEMA_RS: &str = include_str!("../../crates/persistence/src/schema.rs");

/// A column as PostgreSQL names its type (`udt_name`: `int4`, `_text` for `text[]`).
#[derive(Debug, Clone, PartialEq)]
struct Column {
    udt: String,
    nullable: bool,
}

#[derive(Debug, Default, PartialEq)]
struct Table {
    primary_key: Vec<String>,
    columns: BTreeMap<String, Column>,
}

/// A Diesel SQL type as PostgreSQL's `udt_name`.
fn udt(diesel_type: &str) -> String {
    if let Some(inner) = diesel_type
        .strip_prefix("Array<")
        .and_then(|t| t.strip_suffix('>'))
    {
        return format!("_{}", udt(inner));
    }
    match diesel_type {
        "Uuid" => "uuid",
        "Text" => "text",
        "Varchar" => "varchar",
        "Int2" | "SmallInt" => "int2",
        "Int4" | "Integer" => "int4",
        "Int8" | "BigInt" => "int8",
        "Bool" => "bool",
        "Bytea" | "Binary" => "bytea",
        "Jsonb" => "jsonb",
        "Numeric" => "numeric",
        "Date" => "date",
        "Timestamptz" => "timestamptz",
        "Timestamp" => "timestamp",
        other => panic!("schema.rs: the test does not know the type `{other}`; add it here"),
    }
    .to_string()
}

/// The `diesel::table!` blocks of schema.rs. Anything inside a block the parser does not
/// understand (an attribute, a `use`) fails the test rather than being skipped.
fn declared() -> BTreeMap<String, Table> {
    let mut tables = BTreeMap::new();
    let mut lines = SCHEMA_RS.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line != "diesel::table! {" {
            continue;
        }
        let head = lines.next().expect("a table after `diesel::table! {`");
        let (name, keys) = head
            .strip_suffix(" {")
            .and_then(|h| h.split_once(" ("))
            .and_then(|(name, keys)| Some((name, keys.strip_suffix(')')?)))
            .unwrap_or_else(|| panic!("schema.rs: `{head}` is not `name (key, …) {{`"));
        let mut table = Table {
            primary_key: keys.split(", ").map(str::to_string).collect(),
            ..Table::default()
        };
        for line in lines.by_ref() {
            if line == "}" {
                break;
            }
            let (column, ty) = line
                .strip_suffix(',')
                .and_then(|l| l.split_once(" -> "))
                .unwrap_or_else(|| {
                    panic!("schema.rs: `{line}` in {name} is not `column -> Type,`")
                });
            let (ty, nullable) = match ty.strip_prefix("Nullable<") {
                Some(inner) => (inner.strip_suffix('>').expect("Nullable<…>"), true),
                None => (ty, false),
            };
            let previous = table.columns.insert(
                column.to_string(),
                Column {
                    udt: udt(ty),
                    nullable,
                },
            );
            assert!(previous.is_none(), "schema.rs: {name}.{column} twice");
        }
        assert_eq!(
            lines.next(),
            Some("}"),
            "schema.rs: {name}'s block is closed"
        );
        assert!(
            tables.insert(name.to_string(), table).is_none(),
            "schema.rs: {name} twice"
        );
    }
    tables
}

#[derive(QueryableByName)]
struct LiveColumn {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    udt_name: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    nullable: bool,
}

#[derive(QueryableByName)]
struct KeyColumn {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
}

/// The tables of a freshly migrated database (not Diesel's own bookkeeping).
fn live(url: &str) -> BTreeMap<String, Table> {
    let mut conn = PgConnection::establish(url).expect("connect");
    let columns: Vec<LiveColumn> = sql_query(
        "SELECT c.table_name::text, c.column_name::text, c.udt_name::text, \
         c.is_nullable = 'YES' AS nullable \
         FROM information_schema.columns c JOIN information_schema.tables t \
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
         AND c.table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .expect("columns");
    let keys: Vec<KeyColumn> = sql_query(
        "SELECT tc.table_name::text, k.column_name::text \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage k \
         ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name \
         WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY' \
         ORDER BY tc.table_name, k.ordinal_position",
    )
    .load(&mut conn)
    .expect("primary keys");
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for c in columns {
        tables.entry(c.table_name).or_default().columns.insert(
            c.column_name,
            Column {
                udt: c.udt_name,
                nullable: c.nullable,
            },
        );
    }
    for k in keys {
        if let Some(t) = tables.get_mut(&k.table_name) {
            t.primary_key.push(k.column_name);
        }
    }
    tables
}

/// Every difference, as a line a person can act on.
fn differences(declared: &BTreeMap<String, Table>, live: &BTreeMap<String, Table>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, table) in live {
        let Some(d) = declared.get(name) else {
            out.push(format!("table {name} is in the database, not in schema.rs"));
            continue;
        };
        if d.primary_key != table.primary_key {
            out.push(format!(
                "{name}: primary key ({}) in schema.rs, ({}) in the database",
                d.primary_key.join(", "),
                table.primary_key.join(", ")
            ));
        }
        for (column, c) in &table.columns {
            match d.columns.get(column) {
                None => out.push(format!("{name}.{column} ({c:?}) is not in schema.rs")),
                Some(dc) if dc != c => out.push(format!(
                    "{name}.{column}: {dc:?} in schema.rs, {c:?} in the database"
                )),
                Some(_) => {}
            }
        }
        for column in d.columns.keys() {
            if !table.columns.contains_key(column) {
                out.push(format!(
                    "{name}.{column} is in schema.rs, not in the database"
                ));
            }
        }
    }
    for name in declared.keys() {
        if !live.contains_key(name) {
            out.push(format!("table {name} is in schema.rs, not in the database"));
        }
    }
    out
}

#[tokio::test]
async fn schema_rs_declares_exactly_what_the_migrations_build() {
    let db = TestDb::new().await;
    let url = db.url.clone();
    let live = tokio::task::spawn_blocking(move || live(&url))
        .await
        .expect("read the schema");
    let declared = declared();
    assert!(declared.len() >= 18, "parsed {} tables", declared.len());
    // The parser reads a whole block: the first and the last column of one.
    assert!(["id", "neglect_at"]
        .iter()
        .all(|c| declared["accounts"].columns.contains_key(*c)));
    let differences = differences(&declared, &live);
    assert!(
        differences.is_empty(),
        "schema.rs and the migrations differ:\n{}",
        differences.join("\n")
    );
}

#[test]
fn a_difference_names_the_table_and_column() {
    let table = |columns: &[(&str, &str, bool)]| Table {
        primary_key: vec!["id".into()],
        columns: columns
            .iter()
            .map(|(n, t, null)| {
                (
                    n.to_string(),
                    Column {
                        udt: t.to_string(),
                        nullable: *null,
                    },
                )
            })
            .collect(),
    };
    let declared = BTreeMap::from([(
        "t".to_string(),
        table(&[("id", "uuid", false), ("a", "text", true)]),
    )]);
    let live = BTreeMap::from([
        (
            "t".to_string(),
            table(&[
                ("id", "uuid", false),
                ("a", "text", false),
                ("b", "int4", true),
            ]),
        ),
        ("u".to_string(), table(&[("id", "uuid", false)])),
    ]);
    let found = differences(&declared, &live);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].starts_with("t.a: "), "{found:?}");
    assert!(found[1].starts_with("t.b "), "{found:?}");
    assert_eq!(found[2], "table u is in the database, not in schema.rs");
}
