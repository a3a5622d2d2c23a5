use super::*;
use serde_json::json;

fn field(key: &str, t: FieldType) -> CustomField {
    CustomField {
        id: Uuid::nil(),
        entity: "account".into(),
        key: key.into(),
        type_: t,
        label: Names {
            zh: "预算".into(),
            en: "Budget".into(),
        },
        help: None,
        required: false,
        unique: false,
        default: None,
        min: None,
        max: None,
        min_length: None,
        max_length: None,
        options: Vec::new(),
        target: None,
        formula: None,
        rollup: None,
        section: None,
        position: 0,
        filterable: false,
        searchable: false,
        active: true,
        index: "none".into(),
        version: 1,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

fn option(key: &str, active: bool) -> PicklistValue {
    PicklistValue {
        key: key.into(),
        zh: key.into(),
        en: key.into(),
        active,
    }
}

fn check(f: &CustomField, v: Value) -> Result<Value, String> {
    let mut values = CustomValues::new();
    values.insert(f.key.clone(), v);
    let errors = check_values(std::slice::from_ref(f), None, &mut values);
    match errors.first() {
        Some(e) => {
            assert_eq!(e.field, format!("custom.{}", f.key));
            Err(e.code.clone())
        }
        None => Ok(values.get(&f.key).cloned().unwrap_or(Value::Null)),
    }
}

#[test]
fn every_type_normalizes_good_values_and_names_bad_ones() {
    let mut pick = field("tier", FieldType::Picklist);
    pick.options = vec![option("gold", true), option("old", false)];
    let mut multi = field("tiers", FieldType::MultiPicklist);
    multi.options = pick.options.clone();
    let cases: Vec<(CustomField, Value, Result<Value, &str>)> = vec![
        (
            field("t", FieldType::Text),
            json!("  深圳  "),
            Ok(json!("深圳")),
        ),
        (field("t", FieldType::Text), json!(12), Err("type")),
        (
            field("t", FieldType::Text),
            json!("x".repeat(256)),
            Err("length"),
        ),
        (
            field("l", FieldType::LongText),
            json!("x".repeat(9000)),
            Ok(json!("x".repeat(9000))),
        ),
        (
            field("n", FieldType::Number),
            json!(12.5),
            Ok(json!("12.5")),
        ),
        (
            field("n", FieldType::Number),
            json!("1000"),
            Ok(json!("1000")),
        ),
        (field("n", FieldType::Number), json!("1e999"), Err("number")),
        (field("n", FieldType::Number), json!("abc"), Err("number")),
        (
            field("m", FieldType::Money),
            json!({"amount": "12500.00", "currency": "CNY"}),
            Ok(json!({"amount": "12500.00", "currency": "CNY"})),
        ),
        (
            field("m", FieldType::Money),
            json!({"amount": "1", "currency": "rmb"}),
            Err("currency"),
        ),
        (field("m", FieldType::Money), json!("12"), Err("type")),
        (
            field("d", FieldType::Date),
            json!("2026-01-05"),
            Ok(json!("2026-01-05")),
        ),
        (
            field("d", FieldType::Date),
            json!("2026/01/05"),
            Err("date"),
        ),
        (
            field("dt", FieldType::Datetime),
            json!("2026-01-05T09:30:00.123+08:00"),
            Ok(json!("2026-01-05T01:30:00Z")),
        ),
        (
            field("dt", FieldType::Datetime),
            json!("yesterday"),
            Err("datetime"),
        ),
        (field("b", FieldType::Boolean), json!(true), Ok(json!(true))),
        (field("b", FieldType::Boolean), json!("true"), Err("type")),
        (pick.clone(), json!("gold"), Ok(json!("gold"))),
        (pick.clone(), json!("old"), Err("picklist")),
        (pick, json!("none"), Err("picklist")),
        (multi.clone(), json!(["gold", "gold"]), Ok(json!(["gold"]))),
        (multi, json!(["gold", "old"]), Err("picklist")),
        (
            field("u", FieldType::User),
            json!("0191d5a4-0000-7000-8000-000000000001"),
            Ok(json!("0191d5a4-0000-7000-8000-000000000001")),
        ),
        (field("u", FieldType::Lookup), json!("nope"), Err("type")),
        (
            field("e", FieldType::Email),
            json!(" Wang@Example.COM "),
            Ok(json!("wang@example.com")),
        ),
        (field("e", FieldType::Email), json!("wang@"), Err("email")),
        (
            field("p", FieldType::Phone),
            json!("138 0013 8000"),
            Ok(json!("+8613800138000")),
        ),
        (field("p", FieldType::Phone), json!("12"), Err("phone")),
        (
            field("w", FieldType::Url),
            json!("https://kehu.example/a"),
            Ok(json!("https://kehu.example/a")),
        ),
        (field("w", FieldType::Url), json!("ftp://x"), Err("url")),
    ];
    for (f, input, expected) in cases {
        let got = check(&f, input.clone());
        assert_eq!(
            got,
            expected.map_err(str::to_string),
            "{} {input}",
            f.type_.as_str()
        );
    }
}

#[test]
fn bounds_of_numbers_and_lengths_apply() {
    let mut n = field("n", FieldType::Number);
    n.min = Some("0".parse::<Decimal>().expect("a decimal"));
    n.max = Some("100".parse::<Decimal>().expect("a decimal"));
    assert_eq!(check(&n, json!(100)), Ok(json!("100")));
    assert_eq!(check(&n, json!(-1)), Err("range".into()));
    assert_eq!(check(&n, json!("100.01")), Err("range".into()));
    let mut t = field("t", FieldType::Text);
    t.min_length = Some(2);
    t.max_length = Some(3);
    assert_eq!(check(&t, json!("张伟")), Ok(json!("张伟")));
    assert_eq!(check(&t, json!("张")), Err("length".into()));
    assert_eq!(check(&t, json!("张伟伟伟")), Err("length".into()));
}

#[test]
fn unknown_required_default_and_inactive_fields() {
    let mut req = field("req", FieldType::Text);
    req.required = true;
    let mut def = field("def", FieldType::Number);
    def.default = Some(json!("5"));
    let mut old = field("old", FieldType::Text);
    old.active = false;
    old.required = true;
    let fields = vec![req, def, old];

    // A create gets the defaults and must set the required field; inactive ones are not required.
    let mut values = CustomValues::new();
    values.insert("nope".into(), json!(1));
    let errors = check_values(&fields, None, &mut values);
    let mut named: Vec<_> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    named.sort();
    assert_eq!(
        named,
        [("custom.nope", "unknown"), ("custom.req", "required")]
    );
    assert_eq!(values.get("def"), Some(&json!("5")));

    // An update keeps an inactive field's value (even resubmitted as is) but refuses a change.
    let mut stored = CustomValues::new();
    stored.insert("req".into(), json!("a"));
    stored.insert("old".into(), json!("kept"));
    let mut same = stored.clone();
    same.insert("old".into(), json!(" kept "));
    assert!(check_values(&fields, Some(&stored), &mut same).is_empty());
    assert_eq!(same.get("old"), Some(&json!("kept")));
    for change in [json!("new"), Value::Null] {
        let mut values = stored.clone();
        values.insert("old".into(), change);
        let errors = check_values(&fields, Some(&stored), &mut values);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("custom.old", "inactive")
        );
    }
    // Clearing a required field is refused; an update gets no defaults.
    let mut values = stored.clone();
    values.insert("req".into(), Value::Null);
    let errors = check_values(&fields, Some(&stored), &mut values);
    assert_eq!(errors[0].field, "custom.req");
    assert!(!values.contains_key("def"));
}

#[test]
fn definitions_are_checked_against_their_type() {
    let input = |t: FieldType| CustomFieldInput {
        entity: "account".into(),
        key: "budget".into(),
        type_: t,
        label: Names {
            zh: " 预算 ".into(),
            en: "Budget".into(),
        },
        help: None,
        required: false,
        unique: false,
        default: None,
        min: None,
        max: None,
        min_length: None,
        max_length: None,
        options: Vec::new(),
        target: None,
        formula: None,
        rollup: None,
        section: None,
        position: None,
        filterable: false,
        searchable: false,
        active: true,
    };
    let targets = ["account", "contact"];
    let codes = |mut i: CustomFieldInput| -> Vec<String> {
        match i.normalize(&targets, None) {
            Ok(()) => Vec::new(),
            Err(e) => e
                .into_iter()
                .map(|e| format!("{}:{}", e.field, e.code))
                .collect(),
        }
    };
    let mut ok = input(FieldType::Number);
    ok.min = Some("0".parse::<Decimal>().expect("a decimal"));
    ok.default = Some(json!(10));
    ok.unique = false;
    assert!(ok.normalize(&targets, None).is_ok());
    assert_eq!(ok.label.zh, "预算");
    assert_eq!(ok.default, Some(json!("10")));

    let mut bad_key = input(FieldType::Text);
    bad_key.key = "1 Budget".into();
    assert_eq!(codes(bad_key), ["key:key"]);
    assert_eq!(codes(input(FieldType::Picklist)), ["options:none_active"]);
    assert_eq!(codes(input(FieldType::Lookup)), ["target:target"]);
    let mut lookup = input(FieldType::Lookup);
    lookup.target = Some("contact".into());
    assert!(codes(lookup).is_empty());
    let mut unique_bool = input(FieldType::Boolean);
    unique_bool.unique = true;
    unique_bool.searchable = true;
    assert_eq!(codes(unique_bool), ["unique:type", "searchable:type"]);
    let mut bad_default = input(FieldType::Date);
    bad_default.default = Some(json!("tomorrow"));
    assert_eq!(codes(bad_default), ["default:date"]);
    let mut long = input(FieldType::LongText);
    long.filterable = true;
    assert_eq!(codes(long), ["filterable:type"]);
    let mut unique = input(FieldType::Text);
    unique.unique = true;
    assert!(unique.normalize(&targets, None).is_ok());
    assert!(unique.filterable, "unique fields are indexed");
}
