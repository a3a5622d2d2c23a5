//! `fields=`: a record serialized with only the fields a list shows (and its `id` and `version`;
//! `custom.k`: that key of `custom`). It is a serializer in front of the response's: the record
//! is written once, its other fields skipped as they come, never built as a JSON tree first — a
//! narrow page costs the server less than a full one, as it costs the client less.

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};

/// `record` as its `shown` fields.
pub struct Projected<'a, T> {
    pub record: &'a T,
    pub shown: &'a [String],
}

impl<T: Serialize> Serialize for Projected<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.record.serialize(Filter {
            inner: serializer,
            shown: self.shown,
        })
    }
}

fn keeps(shown: &[String], key: &str) -> bool {
    key == "id" || key == "version" || shown.iter().any(|n| n == key)
}

/// The custom values among `shown` (`custom.budget` → `budget`), or `None` when none is.
fn custom_keys(shown: &[String]) -> Option<Vec<&str>> {
    let keys: Vec<&str> = shown
        .iter()
        .filter_map(|n| n.strip_prefix("custom."))
        .collect();
    (!keys.is_empty()).then_some(keys)
}

/// Serializes a record (a struct) as a map of the kept fields; anything else as it is.
struct Filter<'a, S> {
    inner: S,
    shown: &'a [String],
}

/// The kept fields of a struct, written as a map by the response's serializer.
pub struct FilterStruct<'a, M> {
    map: M,
    shown: &'a [String],
}

impl<M: SerializeMap> SerializeStruct for FilterStruct<'_, M> {
    type Ok = M::Ok;
    type Error = M::Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        if key == "custom" {
            let Some(keys) = custom_keys(self.shown) else {
                return Ok(());
            };
            // Custom values are a small map: read as JSON, then only the shown keys written.
            let mut kept = serde_json::Map::new();
            if let Ok(serde_json::Value::Object(all)) = serde_json::to_value(value) {
                kept.extend(all.into_iter().filter(|(k, _)| keys.contains(&k.as_str())));
            }
            return self.map.serialize_entry(key, &kept);
        }
        if keeps(self.shown, key) {
            self.map.serialize_entry(key, value)?;
        }
        Ok(())
    }

    fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
            self.inner.$method($($arg),*)
        })*
    };
}

impl<'a, S: Serializer> Serializer for Filter<'a, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = FilterStruct<'a, S::SerializeMap>;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    forward! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_f32(v: f32);
        serialize_f64(v: f64);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.inner.serialize_some(value)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_newtype_struct(name, value)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner
            .serialize_newtype_variant(name, index, variant, value)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<S::SerializeSeq, S::Error> {
        self.inner.serialize_seq(len)
    }

    fn serialize_tuple(self, len: usize) -> Result<S::SerializeTuple, S::Error> {
        self.inner.serialize_tuple(len)
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<S::SerializeTupleStruct, S::Error> {
        self.inner.serialize_tuple_struct(name, len)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<S::SerializeTupleVariant, S::Error> {
        self.inner
            .serialize_tuple_variant(name, index, variant, len)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<S::SerializeMap, S::Error> {
        self.inner.serialize_map(len)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(FilterStruct {
            map: self.inner.serialize_map(None)?,
            shown: self.shown,
        })
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(ser::Error::custom(
            "a record is a struct, not an enum variant",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(serde::Serialize)]
    struct Row {
        id: u32,
        name: &'static str,
        phones: Vec<&'static str>,
        version: i32,
        note: Option<&'static str>,
        custom: serde_json::Value,
    }

    fn row() -> Row {
        Row {
            id: 7,
            name: "张伟",
            phones: vec!["+8613800000000"],
            version: 3,
            note: None,
            custom: json!({"budget": "100", "level": "9"}),
        }
    }

    fn projected(shown: &[&str]) -> serde_json::Value {
        let shown: Vec<String> = shown.iter().map(|s| s.to_string()).collect();
        let text = serde_json::to_string(&Projected {
            record: &row(),
            shown: &shown,
        })
        .expect("serializes");
        serde_json::from_str(&text).expect("JSON")
    }

    #[test]
    fn keeps_the_shown_fields_with_id_and_version() {
        assert_eq!(
            projected(&["name", "note"]),
            json!({"id": 7, "version": 3, "name": "张伟", "note": null})
        );
    }

    #[test]
    fn keeps_the_shown_custom_values_only() {
        assert_eq!(
            projected(&["phones", "custom.level", "custom.gone"]),
            json!({"id": 7, "version": 3, "phones": ["+8613800000000"], "custom": {"level": "9"}})
        );
        assert_eq!(projected(&[]), json!({"id": 7, "version": 3}));
    }
}
