//! How domain values that are not a column's own type are kept in columns: enums as their text,
//! money as an amount and a currency column. Used by the rows `#[stored]` describes.

use bigdecimal::BigDecimal;
use domain::money::{Decimal, Money};

/// A domain enum stored as its text (`key`, `new`, `won`).
pub trait TextEnum: Sized + Default {
    fn from_column(text: &str) -> Self;
    fn to_column(&self) -> String;
}

macro_rules! text_enums {
    ($($t:ty),*) => {$(
        impl TextEnum for $t {
            /// A value the column holds but this build does not know reads as the default.
            fn from_column(text: &str) -> Self {
                <$t>::parse(text).unwrap_or_default()
            }
            fn to_column(&self) -> String {
                self.as_str().to_string()
            }
        }
    )*};
}

text_enums!(
    domain::account::AccountClass,
    domain::lead::LeadStatus,
    domain::pipeline::StageKind
);

/// The money of an amount and a currency column (neither, or both, are set).
pub fn money(amount: Option<BigDecimal>, currency: Option<String>) -> Option<Money> {
    match (amount, currency) {
        (Some(amount), Some(currency)) => Some(Money {
            amount: Decimal(amount),
            currency,
        }),
        _ => None,
    }
}

pub fn amount(money: &Option<Money>) -> Option<BigDecimal> {
    money.as_ref().map(|m| m.amount.0.clone())
}

pub fn currency(money: &Option<Money>) -> Option<String> {
    money.as_ref().map(|m| m.currency.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::account::AccountClass;
    use domain::lead::LeadStatus;
    use std::str::FromStr;

    #[test]
    fn money_is_both_columns_or_neither() {
        let m = Money {
            amount: Decimal(BigDecimal::from_str("12500.50").expect("a number")),
            currency: "CNY".into(),
        };
        let stored = Some(m.clone());
        assert_eq!(money(amount(&stored), currency(&stored)), Some(m));
        assert_eq!((amount(&None), currency(&None)), (None, None));
        assert_eq!(money(None, Some("CNY".into())), None);
    }

    #[test]
    fn an_enum_is_its_text_and_unknown_text_reads_as_the_default() {
        assert_eq!(AccountClass::Key.to_column(), "key");
        assert_eq!(AccountClass::from_column("key"), AccountClass::Key);
        assert_eq!(LeadStatus::from_column("qualified"), LeadStatus::Qualified);
        assert_eq!(
            LeadStatus::from_column("no-such-status"),
            LeadStatus::default()
        );
    }
}
