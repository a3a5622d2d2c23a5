//! The keyset condition without a database: pages are walked over an in-memory table with the
//! statement `page_sql` builds, evaluated here with SQL's rules (three-valued logic, row
//! comparisons, PostgreSQL's default null order), and the cursor `fetch` would hand out. Every
//! sort over nullable and non-null keys, every page size: each row exactly once, in order.

use super::compile::keyset_sql;
use super::fetch::{cursor_after, page_sql};
use super::{Field, HasId, Kind, ListRequest, Spec};
use crate::scope::Scope;
use crate::sql::Sql;
use serde::Serialize;
use std::cmp::Ordering;
use uuid::Uuid;

static FIELDS: [Field; 3] = [
    Field::new("a", Kind::Int).nullable().sortable(),
    Field::new("b", Kind::Int).nullable().sortable(),
    Field::new("n", Kind::Int).sortable(),
];

static SPEC: Spec = Spec {
    table: "t",
    select: "*",
    fields: &FIELDS,
    default_sort: "a",
    owner_column: None,
    soft_delete: false,
    search: None,
};

const ORG: Uuid = Uuid::from_u128(0x0c9);
/// A page size that holds the whole table.
const MAX: usize = super::MAX_LIMIT as usize;

#[derive(Debug, Clone, Serialize)]
struct Row {
    id: Uuid,
    a: Option<i32>,
    b: Option<i32>,
    n: i32,
}

impl HasId for Row {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// Ties and nulls on every key; ids not in insertion order, so the tie-breaker matters.
fn rows() -> Vec<Row> {
    (0..30u32)
        .map(|i| Row {
            id: Uuid::from_u128(u128::from((i * 17) % 31 + 1)),
            a: (i % 3 != 0).then_some((i % 4) as i32),
            b: (i % 5 != 0).then_some((i % 2) as i32),
            n: (i % 3) as i32,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Int(i64),
    Uuid(Uuid),
}

impl Value {
    /// SQL comparison: unknown when either side is null.
    fn cmp_sql(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (Value::Uuid(a), Value::Uuid(b)) => Some(a.cmp(b)),
            (Value::Null, _) | (_, Value::Null) => None,
            (a, b) => panic!("comparing {a:?} with {b:?}"),
        }
    }
}

fn column(row: &Row, name: &str) -> Value {
    let int = |v: Option<i32>| v.map_or(Value::Null, |v| Value::Int(v.into()));
    match name {
        "id" => Value::Uuid(row.id),
        "org_id" => Value::Uuid(ORG),
        "a" => int(row.a),
        "b" => int(row.b),
        "n" => int(Some(row.n)),
        _ => panic!("no column {name}"),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Int(i64),
    Uuid(Uuid),
    Sym(&'static str),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while let Some(c) = rest.chars().next() {
        let taken = if let Some(sym) = ["<=", ">=", "(", ")", ",", "=", "<", ">"]
            .into_iter()
            .find(|s| rest.starts_with(s))
        {
            out.push(Token::Sym(sym));
            sym.len()
        } else if c == '\'' {
            let end = rest[1..].find('\'').expect("closing quote") + 1;
            let literal = &rest[1..end];
            assert!(rest[end + 1..].starts_with("::uuid"), "{rest}");
            out.push(Token::Uuid(literal.parse().expect("a uuid literal")));
            end + 1 + "::uuid".len()
        } else {
            let len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            assert!(len > 0, "unexpected `{rest}`");
            let word = &rest[..len];
            out.push(match word.parse() {
                Ok(n) => Token::Int(n),
                Err(_) => Token::Word(word.to_string()),
            });
            len
        };
        rest = rest[taken..].trim_start();
    }
    out
}

#[derive(Debug)]
enum Operand {
    Column(String),
    Literal(Value),
}

#[derive(Debug)]
enum Expr {
    Const(bool),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    IsNull(String),
    /// `x op y` or the row comparison `(x, …) op (y, …)`.
    Compare(Vec<Operand>, &'static str, Vec<Operand>),
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }
    fn word(&mut self, word: &str) -> bool {
        let found = self.peek() == Some(&Token::Word(word.into()));
        self.at += usize::from(found);
        found
    }
    fn sym(&mut self, sym: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Sym(s)) if *s == sym);
        self.at += usize::from(found);
        found
    }
    fn comparison(&mut self) -> Option<&'static str> {
        match self.peek() {
            Some(Token::Sym(s)) if ["=", "<", ">", "<=", ">="].contains(s) => {
                let s = *s;
                self.at += 1;
                Some(s)
            }
            _ => None,
        }
    }
    fn operand(&mut self) -> Option<Operand> {
        match self.peek()? {
            Token::Word(w) if !["AND", "OR", "TRUE", "FALSE", "IS"].contains(&w.as_str()) => {
                let w = w.clone();
                self.at += 1;
                Some(Operand::Column(w))
            }
            Token::Int(n) => {
                let n = *n;
                self.at += 1;
                Some(Operand::Literal(Value::Int(n)))
            }
            Token::Uuid(u) => {
                let u = *u;
                self.at += 1;
                Some(Operand::Literal(Value::Uuid(u)))
            }
            _ => None,
        }
    }
    /// `x, y, …)` after an opening parenthesis.
    fn operands(&mut self) -> Option<Vec<Operand>> {
        let mut items = vec![self.operand()?];
        while self.sym(",") {
            items.push(self.operand()?);
        }
        self.sym(")").then_some(items)
    }
    fn or(&mut self) -> Expr {
        let mut terms = vec![self.and()];
        while self.word("OR") {
            terms.push(self.and());
        }
        Expr::Or(terms)
    }
    fn and(&mut self) -> Expr {
        let mut terms = vec![self.primary()];
        while self.word("AND") {
            terms.push(self.primary());
        }
        Expr::And(terms)
    }
    fn primary(&mut self) -> Expr {
        if self.word("TRUE") {
            return Expr::Const(true);
        }
        if self.word("FALSE") {
            return Expr::Const(false);
        }
        if self.sym("(") {
            let start = self.at;
            if let Some(left) = self.operands().filter(|l| l.len() > 1) {
                let op = self.comparison().expect("a row comparison");
                assert!(self.sym("("), "a row on the right");
                let right = self.operands().expect("a row of values");
                return Expr::Compare(left, op, right);
            }
            self.at = start;
            let inner = self.or();
            assert!(self.sym(")"), "unbalanced parentheses at {}", self.at);
            return inner;
        }
        let Some(Operand::Column(col)) = self.operand() else {
            panic!("expected a column at {:?}", self.peek());
        };
        if self.word("IS") {
            assert!(self.word("NULL"));
            return Expr::IsNull(col);
        }
        let op = self.comparison().expect("a comparison");
        let right = self.operand().expect("a value");
        Expr::Compare(vec![Operand::Column(col)], op, vec![right])
    }
}

fn parse(text: &str) -> Expr {
    let mut p = Parser {
        tokens: tokens(text),
        at: 0,
    };
    let expr = p.or();
    assert_eq!(p.at, p.tokens.len(), "unparsed: {:?}", &p.tokens[p.at..]);
    expr
}

/// SQL's three-valued logic: `None` is unknown.
fn eval(expr: &Expr, row: &Row) -> Option<bool> {
    let value = |o: &Operand| match o {
        Operand::Column(c) => column(row, c),
        Operand::Literal(v) => v.clone(),
    };
    match expr {
        Expr::Const(b) => Some(*b),
        Expr::IsNull(c) => Some(column(row, c) == Value::Null),
        Expr::And(terms) => {
            let vs: Vec<_> = terms.iter().map(|t| eval(t, row)).collect();
            if vs.contains(&Some(false)) {
                Some(false)
            } else if vs.contains(&None) {
                None
            } else {
                Some(true)
            }
        }
        Expr::Or(terms) => {
            let vs: Vec<_> = terms.iter().map(|t| eval(t, row)).collect();
            if vs.contains(&Some(true)) {
                Some(true)
            } else if vs.contains(&None) {
                None
            } else {
                Some(false)
            }
        }
        Expr::Compare(left, op, right) => {
            assert_eq!(left.len(), right.len());
            // Left to right, stopping at the first unequal or null pair (as PostgreSQL does).
            let mut ord = Some(Ordering::Equal);
            for (l, r) in left.iter().zip(right) {
                ord = value(l).cmp_sql(&value(r));
                if ord != Some(Ordering::Equal) {
                    break;
                }
            }
            ord.map(|o| match *op {
                "=" => o == Ordering::Equal,
                "<" => o == Ordering::Less,
                ">" => o == Ordering::Greater,
                "<=" => o != Ordering::Greater,
                ">=" => o != Ordering::Less,
                _ => unreachable!(),
            })
        }
    }
}

/// `ORDER BY` keys: (column, descending, nulls first). PostgreSQL puts nulls first in a
/// descending order unless told `NULLS LAST`.
fn order_keys(text: &str) -> Vec<(String, bool, bool)> {
    text.split(", ")
        .map(|key| {
            let words: Vec<&str> = key.split(' ').collect();
            let desc = match words.get(1) {
                Some(&"DESC") => true,
                Some(&"ASC") | None => false,
                Some(w) => panic!("direction {w}"),
            };
            let nulls_first = match words.get(2..) {
                Some(["NULLS", "LAST"]) => false,
                Some(["NULLS", "FIRST"]) => true,
                Some([]) | None => desc,
                Some(w) => panic!("unexpected {w:?}"),
            };
            (words[0].to_string(), desc, nulls_first)
        })
        .collect()
}

fn compare(keys: &[(String, bool, bool)], x: &Row, y: &Row) -> Ordering {
    for (col, desc, nulls_first) in keys {
        let (a, b) = (column(x, col), column(y, col));
        let o = match (&a, &b) {
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Null, _) if *nulls_first => Ordering::Less,
            (Value::Null, _) => Ordering::Greater,
            (_, Value::Null) if *nulls_first => Ordering::Greater,
            (_, Value::Null) => Ordering::Less,
            _ => {
                let o = a.cmp_sql(&b).expect("non-null");
                if *desc {
                    o.reverse()
                } else {
                    o
                }
            }
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Runs `SELECT * FROM t WHERE … ORDER BY … LIMIT n` (values inlined) over `table`.
fn run(statement: &str, table: &[Row]) -> Vec<Row> {
    let rest = statement
        .strip_prefix("SELECT * FROM t WHERE ")
        .expect("the page statement");
    let (condition, rest) = rest.split_once(" ORDER BY ").expect("an order");
    let (order, limit) = rest.split_once(" LIMIT ").expect("a limit");
    let (condition, keys) = (parse(condition), order_keys(order));
    let mut rows: Vec<Row> = table
        .iter()
        .filter(|r| eval(&condition, r) == Some(true))
        .cloned()
        .collect();
    rows.sort_by(|x, y| compare(&keys, x, y));
    rows.truncate(limit.parse().expect("a number"));
    rows
}

fn scope() -> Scope {
    Scope {
        org_id: ORG,
        user_id: ORG,
        role: domain::role::Role::Admin,
        visible_owners: None,
    }
}

fn request(sort: &str, limit: usize, cursor: Option<&str>) -> ListRequest {
    let mut pairs = vec![
        ("sort".to_string(), sort.to_string()),
        ("limit".to_string(), limit.to_string()),
    ];
    pairs.extend(cursor.map(|c| ("cursor".to_string(), c.to_string())));
    ListRequest::parse(&SPEC, &pairs).expect("a valid request")
}

fn statement(req: &ListRequest) -> String {
    page_sql(&SPEC, Sql::new(SPEC.table), &scope(), req, None)
        .1
        .inline()
}

/// Pages of `limit` rows, each after the previous page's cursor, as `fetch` serves them.
fn walk(sort: &str, limit: usize, table: &[Row]) -> Vec<Uuid> {
    let mut seen = Vec::new();
    let mut cursor = None;
    for _ in 0..=table.len() {
        let req = request(sort, limit, cursor.as_deref());
        let mut page = run(&statement(&req), table);
        let more = page.len() > limit;
        page.truncate(limit);
        seen.extend(page.iter().map(|r| r.id));
        match page.last() {
            Some(last) if more => cursor = Some(cursor_after(&req, last)),
            _ => return seen,
        }
    }
    panic!("`{sort}` by {limit}: the walk does not end")
}

/// Every sort of one to three of the keys, each either way.
fn sorts() -> Vec<String> {
    let keys = ["a", "b", "n"];
    let mut out: Vec<Vec<String>> = vec![vec![]];
    let mut all = Vec::new();
    for _ in 0..3 {
        out = out
            .iter()
            .flat_map(|prefix| {
                keys.iter()
                    .filter(|k| !prefix.iter().any(|p| p.trim_start_matches('-') == **k))
                    .flat_map(move |k| {
                        [k.to_string(), format!("-{k}")].map(|key| {
                            let mut s = prefix.clone();
                            s.push(key);
                            s
                        })
                    })
            })
            .collect();
        all.extend(out.iter().map(|s| s.join(",")));
    }
    all
}

#[test]
fn a_cursor_walk_returns_every_row_once_in_order_whatever_the_nulls() {
    let table = rows();
    let sorts = sorts();
    assert_eq!(sorts.len(), 6 + 24 + 48);
    for sort in &sorts {
        let everything = run(&statement(&request(sort, MAX, None)), &table);
        assert_eq!(everything.len(), table.len());
        let expected: Vec<Uuid> = everything.iter().map(|r| r.id).collect();
        for limit in 1..=4 {
            assert_eq!(
                walk(sort, limit, &table),
                expected,
                "sort={sort} limit={limit}"
            );
        }
    }
}

#[test]
fn nulls_sort_last_in_both_directions() {
    let table = rows();
    for sort in ["a", "-a", "b,a", "-b,-n"] {
        let first = sort
            .split(',')
            .next()
            .unwrap_or_default()
            .trim_start_matches('-');
        let nulls: Vec<bool> = run(&statement(&request(sort, MAX, None)), &table)
            .iter()
            .map(|r| column(r, first) == Value::Null)
            .collect();
        let first_null = nulls.iter().position(|n| *n).expect("some nulls");
        assert!(
            nulls[first_null..].iter().all(|n| *n),
            "sort={sort}: {nulls:?}"
        );
        assert!(first_null > 0, "sort={sort}: values too");
    }
}

#[test]
fn the_keyset_condition_of_a_nullable_key_adds_the_null_tail() {
    use crate::sql::Bind;
    let id = Uuid::nil();
    let text = |sort: &str, value: Option<Bind>| {
        keyset_sql(&request(sort, 10, None).sort, &[value], id).text()
    };
    // After a value: the larger (smaller) values, its ties after the id, then every null.
    assert_eq!(
        text("a", Some(Bind::Int(2))),
        " AND ((a, id) > ($1, $2) OR a IS NULL)"
    );
    assert_eq!(
        text("-a", Some(Bind::Int(2))),
        " AND ((a, id) < ($1, $2) OR a IS NULL)"
    );
    // After a null: only the nulls after its id (nothing sorts after the nulls).
    assert_eq!(
        text("a", None),
        " AND (FALSE OR (TRUE AND a IS NULL AND id > $1))"
    );
    assert_eq!(
        text("-a", None),
        " AND (FALSE OR (TRUE AND a IS NULL AND id < $1))"
    );
}

#[test]
fn a_cursor_with_a_null_for_a_key_that_is_never_null_is_refused() {
    use base64::Engine as _;
    let forged = |sort: &str| {
        let json = format!(r#"{{"s":"{sort}","v":[null],"id":"{}"}}"#, Uuid::nil());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    };
    let pairs = |sort: &str| {
        vec![
            ("sort".to_string(), sort.to_string()),
            ("cursor".to_string(), forged(sort)),
        ]
    };
    let err = ListRequest::parse(&SPEC, &pairs("n")).expect_err("n is never null");
    assert_eq!(err.0, "`cursor` is not valid for this list");
    assert!(ListRequest::parse(&SPEC, &pairs("a")).is_ok());
}
