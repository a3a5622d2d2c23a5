//! Checks of values that name organization or reference data (picklist keys, region codes),
//! reported together with the input's own validation errors so a client sees every bad field.

use crate::schema::regions;
use crate::StoreError;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::picklist::Picklist;
use domain::problem::FieldError;
use uuid::Uuid;

/// A field whose value must exist elsewhere.
pub enum Ref<'a> {
    /// An active key of the named picklist.
    Pick {
        field: &'static str,
        list: &'static str,
        key: Option<&'a str>,
    },
    /// A known region code.
    Region {
        field: &'static str,
        code: Option<&'a str>,
    },
    /// A marketing campaign of the organization. Kehu has no campaigns yet (the marketing
    /// module brings them), so no id names one: refusing it keeps a deal from pointing at
    /// nothing that a later campaign report would have to explain.
    Campaign {
        field: &'static str,
        id: Option<Uuid>,
    },
}

/// Runs the checks (skipping fields that already have an error) and fails with every error.
pub async fn check(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    mut errors: Vec<FieldError>,
    refs: &[Ref<'_>],
) -> Result<(), StoreError> {
    let mut lists: Vec<Picklist> = Vec::new();
    for r in refs {
        match *r {
            Ref::Pick { field, list, key } => {
                let Some(key) = key else { continue };
                if errors.iter().any(|e| e.field == field) {
                    continue;
                }
                if !lists.iter().any(|l| l.name == list) {
                    lists.push(crate::picklists::get(conn, org_id, list).await?);
                }
                if !lists.iter().any(|l| l.name == list && l.allows(key)) {
                    errors.push(FieldError::new(
                        field,
                        "picklist",
                        format!("not an active value of the `{list}` picklist"),
                    ));
                }
            }
            Ref::Region { field, code } => {
                let Some(code) = code else { continue };
                if errors.iter().any(|e| e.field == field) {
                    continue;
                }
                let known: i64 = regions::table
                    .filter(regions::code.eq(code))
                    .count()
                    .get_result(conn)
                    .await?;
                if known == 0 {
                    errors.push(FieldError::new(
                        field,
                        "region",
                        "not a known region code (GET /regions)",
                    ));
                }
            }
            Ref::Campaign { field, id } => {
                if id.is_some() && !errors.iter().any(|e| e.field == field) {
                    errors.push(FieldError::new(
                        field,
                        "reference",
                        "no such campaign in your organization",
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}
