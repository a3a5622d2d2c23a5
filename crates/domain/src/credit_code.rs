//! The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a check digit.

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Upper-cases and removes spaces, so `91440300 ma5f...` and full-width input compare equal.
pub fn normalize(code: &str) -> String {
    crate::normalize::fold(code).replace(' ', "").to_uppercase()
}

/// Whether a normalized code has the right form and check character.
pub fn is_valid(code: &str) -> bool {
    let values: Option<Vec<u32>> = code
        .chars()
        .map(|c| ALPHABET.find(c).map(|i| i as u32))
        .collect();
    let Some(values) = values else { return false };
    if values.len() != 18 {
        return false;
    }
    let sum: u32 = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    values[17] == check
}

/// Appends the check character to 17 valid leading characters (demo data and tests need real codes).
pub fn with_check_char(first17: &str) -> Option<String> {
    let values: Option<Vec<u32>> = first17
        .chars()
        .map(|c| ALPHABET.find(c).map(|i| i as u32))
        .collect();
    let values = values.filter(|v| v.len() == 17)?;
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = ((31 - sum % 31) % 31) as usize;
    ALPHABET.chars().nth(check).map(|c| format!("{first17}{c}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_validate() {
        // Published codes of real companies.
        assert!(is_valid("91440300708461136T"));
        assert!(is_valid("91110000802100433B"));
        assert!(!is_valid("91440300708461136A"));
        assert!(!is_valid("9144030070846113"));
        assert!(!is_valid("91440300708461136I"));
    }

    #[test]
    fn check_char_is_computed() {
        assert_eq!(
            with_check_char("91440300708461136").as_deref(),
            Some("91440300708461136T")
        );
        assert_eq!(normalize(" 91440300708461136t "), "91440300708461136T");
    }
}
