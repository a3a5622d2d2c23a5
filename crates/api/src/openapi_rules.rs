//! The rules the server enforces, stated in the OpenAPI document so generated clients and
//! fuzzers know them. Field rules come from the `#[validate]` attributes (see `domain-macros`);
//! what is checked in code is stated here from the same constants the checks use.

use crate::extract::{IDEMPOTENCY_KEY_MAX, IF_MATCH_PATTERN};
use domain::fields::TAG_MAX_CHARS;
use domain::money::{MAX_INTEGER_DIGITS, MAX_SCALE};
use domain::opportunity::COMPETITOR_MAX_CHARS;
use persistence::list::MAX_LIMIT;
use std::collections::BTreeMap;
use utoipa::openapi::schema::{ArrayItems, Object, Schema};
use utoipa::openapi::{OpenApi as Doc, RefOr};
use utoipa::Number;

pub fn apply(doc: &mut Doc) {
    if let Some(components) = doc.components.as_mut() {
        let schemas = &mut components.schemas;
        patches_like_inputs(schemas);
        for (name, schema) in schemas.iter_mut() {
            let RefOr::T(Schema::Object(object)) = schema else {
                continue;
            };
            if name == "Money" {
                if let Some(amount) = property(object, "amount") {
                    amount.pattern = Some(format!(
                        "^[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\\.[0-9]{{1,{MAX_SCALE}}})?$"
                    ));
                }
            }
            // Lists of names the registry decides.
            let enums: &[(&str, &str, Vec<String>)] =
                &[("ApiKeyCreate", "scopes", domain::registry::api_key_scopes())];
            for (schema, list, values) in enums {
                if name == schema {
                    if let Some(item) = object.properties.get_mut(*list).and_then(item_object) {
                        item.enum_values = Some(values.iter().map(|v| v.clone().into()).collect());
                    }
                }
            }
            if name == "TransferCounts" {
                for kind in transfer_kinds() {
                    object.required.push(kind.clone());
                    object.properties.insert(
                        kind,
                        RefOr::T(Schema::Object(Object::with_type(
                            utoipa::openapi::schema::Type::Integer,
                        ))),
                    );
                }
            }
            for (list, max) in [
                ("tags", TAG_MAX_CHARS),
                ("competitors", COMPETITOR_MAX_CHARS),
            ] {
                if let Some(item) = object.properties.get_mut(list).and_then(item_object) {
                    item.min_length = Some(1);
                    item.max_length = Some(max);
                }
            }
        }
    }
    for item in doc.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in ops.into_iter().flatten() {
            for param in op.parameters.iter_mut().flatten() {
                let Some(RefOr::T(Schema::Object(s))) = param.schema.as_mut() else {
                    continue;
                };
                match param.name.as_str() {
                    "limit" => {
                        s.minimum = Some(Number::Int(1));
                        s.maximum = Some(Number::Int(MAX_LIMIT as isize));
                    }
                    "If-Match" => s.pattern = Some(IF_MATCH_PATTERN.to_string()),
                    "Idempotency-Key" => {
                        s.min_length = Some(1);
                        s.max_length = Some(IDEMPOTENCY_KEY_MAX);
                    }
                    _ => {}
                }
            }
        }
    }
}

fn transfer_kinds() -> Vec<String> {
    domain::transfer::TransferKind::all()
        .iter()
        .map(|k| k.as_str().to_string())
        .collect()
}

fn property<'o>(object: &'o mut Object, name: &str) -> Option<&'o mut Object> {
    match object.properties.get_mut(name)? {
        RefOr::T(Schema::Object(o)) => Some(o),
        _ => None,
    }
}

/// The item schema of a list property (inline string items).
fn item_object(list: &mut RefOr<Schema>) -> Option<&mut Object> {
    let RefOr::T(Schema::Array(array)) = list else {
        return None;
    };
    match &mut array.items {
        ArrayItems::RefOrSchema(item) => match item.as_mut() {
            RefOr::T(Schema::Object(o)) => Some(o),
            _ => None,
        },
        ArrayItems::False => None,
    }
}

/// A PATCH body is applied to the record's input and validated as that input, so each of its
/// fields has the rules of the input's field of the same name (`AccountPatch` ← `AccountInput`).
fn patches_like_inputs(schemas: &mut BTreeMap<String, RefOr<Schema>>) {
    let pairs: Vec<(String, String)> = schemas
        .keys()
        .filter_map(|name| {
            let base = name.strip_suffix("Patch")?;
            let input = format!("{base}Input");
            schemas.contains_key(&input).then(|| (name.clone(), input))
        })
        .collect();
    for (patch, input) in pairs {
        let Some(RefOr::T(Schema::Object(source))) = schemas.get(&input).cloned() else {
            continue;
        };
        let Some(RefOr::T(Schema::Object(target))) = schemas.get_mut(&patch) else {
            continue;
        };
        for (field, rules) in &source.properties {
            if let Some(to) = target.properties.get_mut(field) {
                copy_rules(rules, to);
            }
        }
    }
}

fn copy_rules(from: &RefOr<Schema>, to: &mut RefOr<Schema>) {
    match (from, to) {
        (RefOr::T(Schema::Object(f)), RefOr::T(Schema::Object(t))) => {
            t.min_length = t.min_length.or(f.min_length);
            t.max_length = t.max_length.or(f.max_length);
            t.minimum = t.minimum.clone().or(f.minimum.clone());
            t.maximum = t.maximum.clone().or(f.maximum.clone());
            t.pattern = t.pattern.clone().or(f.pattern.clone());
        }
        (RefOr::T(Schema::Array(f)), RefOr::T(Schema::Array(t))) => {
            t.min_items = t.min_items.or(f.min_items);
            t.max_items = t.max_items.or(f.max_items);
        }
        _ => {}
    }
}
