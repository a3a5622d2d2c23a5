//! Normalization on write: how names, phones and emails are compared, and how text is searched.

use unicode_normalization::UnicodeNormalization;

/// NFKC (full-width → half-width), lower case, trimmed, inner whitespace collapsed to one space.
pub fn fold(s: &str) -> String {
    let folded: String = s.nfkc().collect::<String>().to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

const LATIN_SUFFIXES: &[&str] = &[
    "co",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "llc",
    "corp",
    "corporation",
    "company",
    "gmbh",
    "plc",
    "pte",
];
const CJK_SUFFIXES: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "公司"];

/// The key two company names are duplicates under: case, width, spaces, punctuation and legal
/// suffixes (有限公司, Co., Ltd., Inc.) removed. `深圳市丰泽日用品有限公司` → `深圳市丰泽日用品`.
pub fn company_key(name: &str) -> String {
    let folded = fold(name);
    let mut tokens: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    while tokens.len() > 1
        && tokens
            .last()
            .is_some_and(|t| LATIN_SUFFIXES.contains(&t.as_str()))
    {
        tokens.pop();
    }
    let mut key = tokens.concat();
    loop {
        let stripped = CJK_SUFFIXES.iter().find_map(|s| {
            key.strip_suffix(s)
                .filter(|rest| !rest.is_empty())
                .map(str::to_string)
        });
        match stripped {
            Some(rest) => key = rest,
            None => break key,
        }
    }
}

/// Lower-cased, trimmed email.
pub fn email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// A phone number in E.164 (`+8613800138000`). Numbers without a country code are taken as
/// Chinese: 11-digit mobiles and landlines with their area code (`0755-8888 6666`).
pub fn phone(s: &str) -> Result<String, &'static str> {
    let t = fold(s);
    let main = t.split(['x', '#', '转']).next().unwrap_or("").trim();
    if main
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +-().".contains(c)))
    {
        return Err("only digits, spaces, + - ( ) are allowed");
    }
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    let e164 = if main.starts_with('+') {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else if digits.len() == 11 && digits.starts_with('1') {
        format!("+86{digits}")
    } else if digits.len() == 13 && digits.starts_with("861") {
        format!("+{digits}")
    } else if digits.starts_with('0') && (10..=12).contains(&digits.len()) {
        format!("+86{}", &digits[1..])
    } else {
        return Err("include the area code (e.g. 0755-88886666) or a country code (+1 …)");
    };
    if !(9..=16).contains(&e164.len()) {
        return Err("not a valid phone number");
    }
    Ok(e164)
}

/// The national digits of a normalized phone, so `13800138000` and `0755…` find it too.
pub fn phone_national(e164: &str) -> String {
    match e164.strip_prefix("+86") {
        Some(rest) if rest.starts_with('1') => rest.to_string(),
        Some(rest) => format!("0{rest}"),
        None => e164.trim_start_matches('+').to_string(),
    }
}

/// How a search query is compared: folded; a query of phone-like characters keeps only its digits.
pub fn search_query(q: &str) -> String {
    let f = fold(q);
    let phone_like = f.chars().any(|c| c.is_ascii_digit())
        && f.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if phone_like {
        f.chars().filter(char::is_ascii_digit).collect()
    } else {
        f
    }
}

/// The terms a record must all contain: the folded query split at spaces (a phone number is one
/// term of its digits). `Acme shanghai` finds `Acme Trading (Shanghai) Co., Ltd.`.
pub fn search_terms(q: &str) -> Vec<String> {
    search_query(q)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The searchable text of a record: its folded fields, one per line, so a match never spans two.
pub fn search_text<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    fields
        .into_iter()
        .map(fold)
        .filter(|f| !f.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The distinct character bigrams of a search text (within lines). A record contains a query as a
/// substring only if it has all the query's bigrams, so a GIN index on them answers two-character
/// Chinese queries (丰泽), which trigram indexes cannot.
pub fn bigrams(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .flat_map(|line| {
            let chars: Vec<char> = line.chars().collect();
            chars
                .windows(2)
                .map(|w| w.iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_keys_ignore_case_width_spaces_and_suffixes() {
        assert_eq!(company_key("深圳市丰泽日用品有限公司"), "深圳市丰泽日用品");
        assert_eq!(
            company_key("深圳市 丰泽日用品 股份有限公司"),
            "深圳市丰泽日用品"
        );
        assert_eq!(company_key("ACME Co., Ltd."), "acme");
        assert_eq!(company_key("Ａｃｍｅ  Inc"), "acme");
        assert_eq!(company_key("Costco"), "costco");
        assert_eq!(company_key("公司"), "公司");
    }

    #[test]
    fn phones_become_e164() {
        assert_eq!(phone("138 0013 8000").as_deref(), Ok("+8613800138000"));
        assert_eq!(phone("+86 138-0013-8000").as_deref(), Ok("+8613800138000"));
        assert_eq!(phone("0755-8888 6666").as_deref(), Ok("+8675588886666"));
        assert_eq!(phone("+1 (415) 555-0100").as_deref(), Ok("+14155550100"));
        assert_eq!(
            phone("０１０－６５５５１２３４").as_deref(),
            Ok("+861065551234")
        );
        assert!(phone("8888666").is_err());
        assert!(phone("call me").is_err());
        assert_eq!(phone_national("+8613800138000"), "13800138000");
        assert_eq!(phone_national("+8675588886666"), "075588886666");
    }

    #[test]
    fn bigrams_stay_within_lines() {
        let text = search_text(["丰泽日用", "AB"]);
        let mut expected = vec!["丰泽", "泽日", "日用", "ab"];
        expected.sort();
        assert_eq!(bigrams(&text), expected);
        assert_eq!(search_query(" 138-0013 "), "1380013");
        assert_eq!(search_query("ACME"), "acme");
        assert_eq!(search_terms(" Acme  上海 "), ["acme", "上海"]);
        assert_eq!(search_terms("0755-8888 6666"), ["075588886666"]);
    }
}
