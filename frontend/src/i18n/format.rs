//! Locale-aware formatting of dates, numbers and money (`Intl` in the browser; money exactly,
//! never through a float).

use super::Locale;
use chrono::{DateTime, Utc};
use domain::money::Money;
use wasm_bindgen::JsValue;

/// Digit grouping by thousands (both locales group by three).
fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count or size, with the locale's grouping (`Intl.NumberFormat`).
pub fn format_int(n: i64, locale: Locale) -> String {
    js_sys::Number::from(n as f64)
        .to_locale_string(locale.tag())
        .into()
}

/// A decimal written as text (`"1200000.5"` → `1,200,000.5`), exactly: never through a float.
pub fn format_decimal(plain: &str) -> String {
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    match rest.split_once('.') {
        Some((int, frac)) => format!("{sign}{}.{frac}", group_digits(int)),
        None => format!("{sign}{}", group_digits(rest)),
    }
}

/// Money, exactly (the decimal string is never turned into a float): `¥12,500.00` in Chinese,
/// `CN¥12,500.00` in English, as `Intl` writes them.
pub fn format_money(m: &Money, locale: Locale) -> String {
    let plain = m.amount.to_string();
    let (sign, plain) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest.to_string()),
        None => ("", plain),
    };
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut frac = frac.to_string();
    while frac.len() < 2 {
        frac.push('0');
    }
    let symbol = match (m.currency.as_str(), locale) {
        ("CNY", Locale::Zh) => "¥".to_string(),
        ("CNY", Locale::En) => "CN¥".to_string(),
        ("USD", Locale::Zh) => "US$".to_string(),
        ("USD", Locale::En) => "$".to_string(),
        ("EUR", _) => "€".to_string(),
        ("HKD", _) => "HK$".to_string(),
        (code, _) => format!("{code} "),
    };
    format!("{sign}{symbol}{}.{frac}", group_digits(int))
}

/// Date and time in the browser's time zone, in the locale's style
/// (`2026/11/23 14:05` / `Nov 23, 2026, 2:05 PM`).
pub fn format_datetime(at: &DateTime<Utc>, locale: Locale) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(locale.tag(), &options).into()
}

/// A calendar date in the locale's style (`2026/11/23`, `Nov 23, 2026`).
pub fn format_date(d: &chrono::NaiveDate, locale: Locale) -> String {
    use chrono::Datelike;
    let date =
        js_sys::Date::new_with_year_month_day(d.year() as u32, d.month0() as i32, d.day() as i32);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    date.to_locale_date_string(locale.tag(), &options).into()
}

/// Sums per currency, formatted and joined (`¥12,500.00 + $300.00`); `—` for none.
pub fn format_totals(amounts: &[Money], locale: Locale) -> String {
    let mut sums: Vec<Money> = Vec::new();
    for m in amounts {
        match sums.iter_mut().find(|s| s.currency == m.currency) {
            Some(s) => s.amount = domain::money::Decimal(s.amount.0.clone() + m.amount.0.clone()),
            None => sums.push(m.clone()),
        }
    }
    if sums.is_empty() {
        return "—".to_string();
    }
    sums.iter()
        .map(|m| format_money(m, locale))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Today in the browser's time zone.
pub fn today() -> chrono::NaiveDate {
    let now = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}
