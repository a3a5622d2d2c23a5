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
