//! Field rules shared by every record's input: trimming, tags, and applying PATCH values.

use crate::problem::FieldError;

/// Trims text; blank becomes `None`.
pub fn trim_opt(v: &mut Option<String>) {
    *v = v
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
}

/// The most characters a tag has (the OpenAPI document states it on every `tags` list).
pub const TAG_MAX_CHARS: usize = 50;

/// Trimmed, distinct tags of 1–[`TAG_MAX_CHARS`] characters; a bad one is reported as `tags[i]`.
pub fn tags(tags: &mut Vec<String>, errors: &mut Vec<FieldError>) {
    let mut out: Vec<String> = Vec::new();
    for (i, t) in tags.iter().enumerate() {
        let t = t.trim();
        if t.is_empty() || t.chars().count() > TAG_MAX_CHARS {
            errors.push(FieldError::new(
                format!("tags[{i}]"),
                "length",
                format!("tags have 1 to {TAG_MAX_CHARS} characters"),
            ));
        } else if !out.iter().any(|x| x == t) {
            out.push(t.to_string());
        }
    }
    *tags = out;
}

/// PATCH: a present value replaces the target.
pub fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *target = v;
    }
}

/// Merge: a blank field of the kept record takes the other record's value.
pub fn fill<T: Clone>(kept: &mut Option<T>, other: &Option<T>) {
    if kept.is_none() {
        kept.clone_from(other);
    }
}

/// Merge: the other record's list values the kept one lacks are appended, in order.
pub fn union(kept: &mut Vec<String>, other: &[String]) {
    for v in other {
        if !kept.contains(v) {
            kept.push(v.clone());
        }
    }
}
