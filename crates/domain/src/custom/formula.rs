//! Formula fields: arithmetic over a record's own number fields (`annual_revenue / employees`,
//! `custom.budget * 1.13`), parsed once when the field is defined and evaluated on every write.
//! A missing operand or a division by zero gives no value, never an error.

use bigdecimal::BigDecimal;
use std::str::FromStr;

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(BigDecimal),
    /// A field of the record: a built-in number (`employees`, `annual_revenue`) or `custom.<key>`.
    Field(String),
    Neg(Box<Expr>),
    Binary(char, Box<Expr>, Box<Expr>),
}

/// The most characters a formula has.
pub const MAX_LEN: usize = 500;
/// Digits kept after the point of a result.
pub const SCALE: i64 = 4;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(BigDecimal),
    Name(String),
    Op(char),
}

fn tokens(s: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if "+-*/()".contains(c) {
            out.push(Token::Op(c));
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let n = BigDecimal::from_str(&text).map_err(|_| format!("`{text}` is not a number"))?;
            out.push(Token::Number(n));
        } else if c.is_ascii_lowercase() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_lowercase()
                    || chars[i].is_ascii_digit()
                    || chars[i] == '_'
                    || chars[i] == '.')
            {
                i += 1;
            }
            out.push(Token::Name(chars[start..i].iter().collect()));
        } else {
            return Err(format!(
                "`{c}` has no place in a formula (numbers, fields, + - * / and parentheses)"
            ));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    /// sum := product (('+' | '-') product)*
    fn sum(&mut self, depth: u32) -> Result<Expr, String> {
        let mut left = self.product(depth)?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.at += 1;
            let right = self.product(depth)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// product := unary (('*' | '/') unary)*
    fn product(&mut self, depth: u32) -> Result<Expr, String> {
        let mut left = self.unary(depth)?;
        while let Some(Token::Op(op @ ('*' | '/'))) = self.peek().cloned() {
            self.at += 1;
            let right = self.unary(depth)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// unary := '-' unary | number | field | '(' sum ')'
    fn unary(&mut self, depth: u32) -> Result<Expr, String> {
        if depth > 32 {
            return Err("the formula nests too deeply".into());
        }
        match self.next() {
            Some(Token::Op('-')) => Ok(Expr::Neg(Box::new(self.unary(depth + 1)?))),
            Some(Token::Number(n)) => Ok(Expr::Number(n)),
            Some(Token::Name(n)) => Ok(Expr::Field(n)),
            Some(Token::Op('(')) => {
                let inner = self.sum(depth + 1)?;
                match self.next() {
                    Some(Token::Op(')')) => Ok(inner),
                    _ => Err("a `(` is not closed".into()),
                }
            }
            Some(Token::Op(c)) => Err(format!("`{c}` where a number or field was expected")),
            None => Err("the formula ends where a number or field was expected".into()),
        }
    }
}

/// Parses `text`; every field it names must be one of `fields`.
pub fn parse(text: &str, fields: &[String]) -> Result<Expr, String> {
    if text.chars().count() > MAX_LEN {
        return Err(format!("at most {MAX_LEN} characters"));
    }
    let mut p = Parser {
        tokens: tokens(text)?,
        at: 0,
    };
    let expr = p.sum(0)?;
    if let Some(t) = p.peek() {
        return Err(format!("unexpected {t:?} after the end of the formula"));
    }
    let mut unknown = Vec::new();
    expr.names(&mut |n| {
        if !fields.iter().any(|f| f == n) {
            unknown.push(n.to_string());
        }
    });
    match unknown.first() {
        Some(n) => Err(format!(
            "`{n}` is not a number field of this entity (fields: {})",
            fields.join(", ")
        )),
        None => Ok(expr),
    }
}

impl Expr {
    fn names(&self, f: &mut impl FnMut(&str)) {
        match self {
            Expr::Number(_) => {}
            Expr::Field(n) => f(n),
            Expr::Neg(e) => e.names(f),
            Expr::Binary(_, a, b) => {
                a.names(f);
                b.names(f);
            }
        }
    }

    /// The formula as SQL over `operand`'s expression of each field: exact numeric arithmetic,
    /// a division by zero or an empty operand giving NULL, the result rounded to [`SCALE`]
    /// places as text (`110.5`), the form number values are stored in.
    pub fn sql(&self, operand: &impl Fn(&str) -> String) -> String {
        format!(
            "trim_scale(round(({})::numeric, {SCALE}))::text",
            self.term(operand)
        )
    }

    fn term(&self, operand: &impl Fn(&str) -> String) -> String {
        match self {
            Expr::Number(n) => format!("{n}::numeric"),
            Expr::Field(name) => format!("({})", operand(name)),
            Expr::Neg(e) => format!("(-{})", e.term(operand)),
            Expr::Binary('/', a, b) => {
                format!("({} / NULLIF({}, 0))", a.term(operand), b.term(operand))
            }
            Expr::Binary(op, a, b) => format!("({} {op} {})", a.term(operand), b.term(operand)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_parse_with_precedence_into_sql() {
        let fields = vec!["employees".to_string(), "custom.budget".to_string()];
        let e = parse("custom.budget * (1 + 0.13) - -employees / 4", &fields).expect("parses");
        let sql = e.sql(&|n: &str| match n {
            "employees" => "employees".to_string(),
            _ => "(custom->>'budget')::numeric".to_string(),
        });
        assert_eq!(
            sql,
            "trim_scale(round((((((custom->>'budget')::numeric) * (1::numeric + 0.13::numeric)) - \
             ((-(employees)) / NULLIF(4::numeric, 0))))::numeric, 4))::text"
        );
    }

    #[test]
    fn bad_formulas_say_why() {
        let fields = vec!["employees".to_string()];
        for (text, says) in [
            ("employees +", "ends"),
            ("(employees", "not closed"),
            ("employees $ 2", "no place"),
            ("salary * 2", "`salary`"),
            ("employees 2", "unexpected"),
            ("1..2", "not a number"),
        ] {
            let err = parse(text, &fields).expect_err(text);
            assert!(err.contains(says), "{text}: {err}");
        }
        assert!(parse(&"(".repeat(40), &fields).is_err());
    }
}
