//! Exact money: a decimal amount with an ISO 4217 currency, never a float.

use bigdecimal::BigDecimal;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An exact decimal, written and read as a JSON string (`"12500.00"`); integers are accepted too.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decimal(pub BigDecimal);

impl Decimal {
    /// Digits after the point, as written (`"12500.00"` → 2).
    pub fn scale(&self) -> i64 {
        self.0.fractional_digit_count().max(0)
    }

    pub fn integer_digits(&self) -> u64 {
        let (digits, _) = self.0.as_bigint_and_exponent();
        let total = digits.to_string().trim_start_matches('-').len() as i64;
        (total - self.scale()).max(0) as u64
    }

    pub fn is_negative(&self) -> bool {
        self.0.sign() == bigdecimal::num_bigint::Sign::Minus
    }
}

impl FromStr for Decimal {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let plain = !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            && t.matches('.').count() <= 1
            && t.rfind('-').is_none_or(|i| i == 0);
        if !plain {
            return Err(format!("`{s}` is not a decimal number"));
        }
        BigDecimal::from_str(t)
            .map(Decimal)
            .map_err(|_| format!("`{s}` is not a decimal number"))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.to_plain_string())
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal string such as \"12500.00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal(BigDecimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal(BigDecimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Decimal, E> {
                Err(E::custom(
                    "send decimals as strings (\"12500.50\") so no precision is lost",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

/// `{"amount": "12500.00", "currency": "CNY"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Money {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12500.00"))]
    pub amount: Decimal,
    /// ISO 4217 code.
    #[cfg_attr(feature = "openapi", schema(example = "CNY"))]
    pub currency: String,
}

/// The most digits an amount may have after and before the decimal point (the columns are
/// `numeric(19, 4)`-sized; list filters take the same range).
pub const MAX_SCALE: i64 = 4;
pub const MAX_INTEGER_DIGITS: u64 = 15;

impl Money {
    /// Field errors as (sub-field, code, message); the caller prefixes the field name.
    pub fn problems(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut out = Vec::new();
        if self.amount.scale() > MAX_SCALE {
            out.push((
                "amount",
                "scale",
                format!("at most {MAX_SCALE} digits after the decimal point"),
            ));
        }
        if self.amount.integer_digits() > MAX_INTEGER_DIGITS {
            out.push((
                "amount",
                "range",
                format!("at most {MAX_INTEGER_DIGITS} digits before the decimal point"),
            ));
        }
        if self.amount.is_negative() {
            out.push(("amount", "range", "must not be negative".to_string()));
        }
        if !(self.currency.len() == 3 && self.currency.bytes().all(|b| b.is_ascii_uppercase())) {
            out.push((
                "currency",
                "currency",
                "an ISO 4217 code such as CNY".to_string(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_trip_exactly() {
        for s in ["12500.00", "0.0001", "999999999999999.99", "7"] {
            let d: Decimal = s.parse().expect("parses");
            assert_eq!(d.to_string(), s);
        }
        let m: Money =
            serde_json::from_str(r#"{"amount":"0.10","currency":"CNY"}"#).expect("money");
        assert_eq!(
            serde_json::to_string(&m).expect("json"),
            r#"{"amount":"0.10","currency":"CNY"}"#
        );
    }

    #[test]
    fn floats_and_junk_are_refused() {
        assert!(serde_json::from_str::<Decimal>("0.1").is_err());
        assert!("1e5".parse::<Decimal>().is_err());
        assert!("12,5".parse::<Decimal>().is_err());
        assert!(serde_json::from_str::<Decimal>("125").is_ok());
    }

    #[test]
    fn money_problems_name_the_subfield() {
        let m = Money {
            amount: "1.23456".parse().expect("d"),
            currency: "cny".into(),
        };
        let p: Vec<_> = m.problems().into_iter().map(|(f, c, _)| (f, c)).collect();
        assert_eq!(p, [("amount", "scale"), ("currency", "currency")]);
    }
}
