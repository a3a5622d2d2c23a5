//! The rules of a custom field definition: applying a `PATCH` to a stored field and checking a
//! definition (key, labels, bounds that fit the type, picklist options, a lookup's target, a
//! formula's or roll-up's own settings, a default the field itself would accept).

use super::values::Rules;
use super::{CustomField, CustomFieldInput, CustomFieldPatch, FieldType, RollupFunction};
use super::{LONG_TEXT_MAX, TEXT_MAX};
use crate::problem::FieldError;
use serde_json::Value;

impl CustomFieldInput {
    /// The writable part of a stored field, for applying a patch to.
    pub fn from_field(f: &CustomField) -> Self {
        CustomFieldInput {
            entity: f.entity.clone(),
            key: f.key.clone(),
            type_: f.type_,
            label: f.label.clone(),
            help: f.help.clone(),
            required: f.required,
            unique: f.unique,
            default: f.default.clone(),
            min: f.min.clone(),
            max: f.max.clone(),
            min_length: f.min_length,
            max_length: f.max_length,
            options: f.options.clone(),
            target: f.target.clone(),
            formula: f.formula.clone(),
            rollup: f.rollup.clone(),
            section: f.section.clone(),
            position: Some(f.position),
            filterable: f.filterable,
            searchable: f.searchable,
            active: f.active,
        }
    }

    pub fn apply(&mut self, p: CustomFieldPatch) {
        use crate::fields::set;
        set(&mut self.label, p.label);
        set(&mut self.help, p.help);
        set(&mut self.required, p.required);
        set(&mut self.unique, p.unique);
        set(&mut self.default, p.default);
        set(&mut self.min, p.min);
        set(&mut self.max, p.max);
        set(&mut self.min_length, p.min_length);
        set(&mut self.max_length, p.max_length);
        set(&mut self.options, p.options);
        if p.formula.is_some() {
            self.formula = p.formula;
        }
        if p.rollup.is_some() {
            self.rollup = p.rollup;
        }
        set(&mut self.section, p.section);
        if p.position.is_some() {
            self.position = p.position;
        }
        set(&mut self.filterable, p.filterable);
        set(&mut self.searchable, p.searchable);
        set(&mut self.active, p.active);
    }

    /// Checks the definition (`before`: the stored one it replaces): a well-formed key, labels,
    /// rules that fit the type, options for picklists and only for them, a registry entity as a
    /// lookup's target, and a default that the field itself would accept.
    pub fn normalize(
        &mut self,
        lookup_targets: &[&str],
        before: Option<&CustomField>,
    ) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let t = self.type_;
        self.key = self.key.trim().to_string();
        let key_ok = (1..=40).contains(&self.key.len())
            && self.key.starts_with(|c: char| c.is_ascii_lowercase())
            && self
                .key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok {
            errors.push(FieldError::new(
                "key",
                "key",
                "1–40 lower-case letters, digits or `_`, starting with a letter",
            ));
        }
        let mut labels = vec![("label", &mut self.label)];
        if let Some(help) = self.help.as_mut() {
            labels.push(("help", help));
        }
        for (name, l) in labels {
            let max = if name == "label" { 60 } else { 500 };
            for (lang, text) in [("zh", &mut l.zh), ("en", &mut l.en)] {
                *text = text.trim().to_string();
                if text.is_empty() || text.chars().count() > max {
                    errors.push(FieldError::new(
                        format!("{name}.{lang}"),
                        "length",
                        format!("1–{max} characters"),
                    ));
                }
            }
        }
        crate::fields::trim_opt(&mut self.section);
        if self
            .section
            .as_ref()
            .is_some_and(|s| s.chars().count() > 60)
        {
            errors.push(FieldError::new(
                "section",
                "length",
                "at most 60 characters",
            ));
        }
        let numeric = matches!(t, FieldType::Number | FieldType::Money);
        if !numeric && (self.min.is_some() || self.max.is_some()) {
            errors.push(FieldError::new(
                "min",
                "type",
                "`min` and `max` bound numbers and money only",
            ));
        }
        if let (Some(lo), Some(hi)) = (&self.min, &self.max) {
            if lo > hi {
                errors.push(FieldError::new("max", "range", "`max` is below `min`"));
            }
        }
        let text_max = match t {
            FieldType::LongText => LONG_TEXT_MAX,
            _ => TEXT_MAX,
        } as i32;
        if t.is_text() {
            for (name, v) in [
                ("min_length", self.min_length),
                ("max_length", self.max_length),
            ] {
                if v.is_some_and(|n| !(0..=text_max).contains(&n)) {
                    errors.push(FieldError::new(
                        name,
                        "range",
                        format!("from 0 to {text_max}"),
                    ));
                }
            }
            if let (Some(lo), Some(hi)) = (self.min_length, self.max_length) {
                if lo > hi {
                    errors.push(FieldError::new(
                        "max_length",
                        "range",
                        "`max_length` is below `min_length`",
                    ));
                }
            }
        } else if self.min_length.is_some() || self.max_length.is_some() {
            errors.push(FieldError::new(
                "min_length",
                "type",
                "`min_length` and `max_length` bound text only",
            ));
        }
        let picklist = matches!(t, FieldType::Picklist | FieldType::MultiPicklist);
        if picklist {
            let mut list = crate::picklist::PicklistInput {
                values: std::mem::take(&mut self.options),
            };
            if let Err(e) = list.normalize(before.map(|b| b.options.as_slice()).unwrap_or(&[])) {
                errors.extend(e.into_iter().map(|e| FieldError {
                    field: e.field.replacen("values", "options", 1),
                    ..e
                }));
            }
            self.options = list.values;
        } else if !self.options.is_empty() {
            errors.push(FieldError::new(
                "options",
                "type",
                "only picklists have options",
            ));
        }
        match (t, self.target.as_deref()) {
            (FieldType::Lookup, Some(target)) if lookup_targets.contains(&target) => {}
            (FieldType::Lookup, _) => errors.push(FieldError::new(
                "target",
                "target",
                format!(
                    "a lookup needs a target: one of {}",
                    lookup_targets.join(", ")
                ),
            )),
            (_, Some(_)) => errors.push(FieldError::new(
                "target",
                "type",
                "only lookups have a target",
            )),
            (_, None) => {}
        }
        match (t, &self.formula) {
            (FieldType::Formula, None) => errors.push(FieldError::new(
                "formula",
                "formula",
                "a formula field needs a formula, e.g. `annual_revenue / employees`",
            )),
            (FieldType::Formula, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.push(FieldError::new(
                "formula",
                "type",
                "only formula fields have a formula",
            )),
        }
        match (t, &self.rollup) {
            (FieldType::Rollup, None) => errors.push(FieldError::new(
                "rollup",
                "rollup",
                "a roll-up field needs `rollup`: its source, function, field and filter",
            )),
            (FieldType::Rollup, Some(r))
                if r.function != RollupFunction::Count && r.field.is_none() =>
            {
                errors.push(FieldError::new(
                    "rollup.field",
                    "required",
                    "sum, min and max need a field",
                ))
            }
            (FieldType::Rollup, Some(_)) | (_, None) => {}
            (_, Some(_)) => errors.push(FieldError::new(
                "rollup",
                "type",
                "only roll-up fields have `rollup`",
            )),
        }
        if t.computed() && (self.required || self.default.is_some()) {
            errors.push(FieldError::new(
                "required",
                "type",
                "a computed field is neither required nor has a default",
            ));
        }
        if self.unique && !t.can_be_unique() {
            errors.push(FieldError::new(
                "unique",
                "type",
                "only text, number, e-mail, phone and URL fields can be unique",
            ));
        }
        if self.filterable && !t.filterable() {
            errors.push(FieldError::new(
                "filterable",
                "type",
                "long text is not filterable",
            ));
        }
        if self.searchable && !t.is_text() {
            errors.push(FieldError::new(
                "searchable",
                "type",
                "only text, long text, e-mail, phone and URL fields are searchable",
            ));
        }
        if self.default.as_ref().is_some_and(Value::is_null) {
            self.default = None;
        }
        if let Some(d) = &self.default {
            if matches!(t, FieldType::User | FieldType::Lookup) || self.unique {
                errors.push(FieldError::new(
                    "default",
                    "type",
                    "user, lookup and unique fields have no default",
                ));
            } else {
                match self.as_rules().check(d) {
                    Ok(v) => self.default = Some(v),
                    Err((code, message)) => errors.push(FieldError::new("default", code, message)),
                }
            }
        }
        // A unique field is indexed: its check on every write must not read the whole table.
        if self.unique {
            self.filterable = true;
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn as_rules(&self) -> Rules<'_> {
        Rules {
            type_: self.type_,
            min: self.min.as_ref(),
            max: self.max.as_ref(),
            min_length: self.min_length,
            max_length: self.max_length,
            options: &self.options,
        }
    }
}
