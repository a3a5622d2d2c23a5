//! A list request as SQL: the organization and visibility, filters, quick search, the keyset
//! condition of a cursor and the order. Values are always bound.

use super::parse::{Filter, Op, SortKey};
use super::{Kind, Spec};
use crate::scope::Scope;
use crate::sql::{like_escape, Bind, Sql};
use uuid::Uuid;

/// ` WHERE …`: the caller's organization and the owners they may see, live or binned alike.
pub fn visible_where(spec: &Spec, scope: &Scope) -> Sql {
    let mut sql = Sql::new(" WHERE org_id = ");
    sql.bind(Bind::Uuid(scope.org_id));
    if let (Some(col), Some(owners)) = (spec.owner_column, &scope.visible_owners) {
        sql.push(&format!(" AND {col} = ANY("))
            .bind(Bind::UuidArray(owners.clone()))
            .push(")");
    }
    sql
}

/// `WHERE` for the organization, visibility and the live/deleted state; shared by get, list and search.
pub fn scoped_where(spec: &Spec, scope: &Scope, deleted: bool) -> Sql {
    let mut sql = visible_where(spec, scope);
    if spec.soft_delete {
        sql.push(if deleted {
            " AND deleted_at IS NOT NULL"
        } else {
            " AND deleted_at IS NULL"
        });
    }
    sql
}

/// `AND …` matching a quick-search query against folded text: every term is a substring. The
/// terms' bigrams, keyed by organization (`kehu_org_grams`, migration 11), narrow the rows
/// through the GIN index first.
pub fn search_condition(org_id: Uuid, text_col: &str, grams_col: &str, q: &str) -> Sql {
    let terms = domain::normalize::search_terms(q);
    let grams = domain::normalize::bigrams(&terms.join("\n"));
    let mut sql = Sql::default();
    if !grams.is_empty() {
        sql.push(&format!(
            " AND kehu_org_grams(org_id, {grams_col}) @> kehu_org_grams("
        ))
        .bind(Bind::Uuid(org_id))
        .push(", ")
        .bind(Bind::TextArray(grams))
        .push(")");
    }
    for term in terms {
        sql.push(&format!(" AND {text_col} LIKE "))
            .bind(Bind::Text(format!("%{}%", like_escape(&term))));
    }
    // How many rows a search matches decides between the bigram index and the list's order.
    sql.plan_per_run();
    sql
}

/// ` AND …` of a request's filters alone (a roll-up's condition on its related records).
pub fn filters_sql(req: &super::ListRequest) -> Sql {
    let mut sql = Sql::default();
    for f in &req.filters {
        sql.append(filter_sql(f));
    }
    sql
}

pub(super) fn filter_sql(f: &Filter) -> Sql {
    let col = f.field.column.as_str();
    let mut sql = Sql::default();
    let cmp = |sql: &mut Sql, op: &str| {
        sql.push(&format!(" AND {col} {op} ")).bind(f.value.clone());
    };
    match (f.field.kind, f.op, &f.value) {
        // The predicate itself (`col` or `NOT col`), so a computed flag such as `neglected`
        // (`neglect_at <= now()`) stays an index range instead of a comparison with a parameter.
        (Kind::Bool, Op::Eq | Op::Ne, Bind::Bool(v)) if !f.field.nullable => {
            let negate = (f.op == Op::Ne) == *v;
            sql.push(&format!(" AND {}({col})", if negate { "NOT " } else { "" }));
        }
        (Kind::Keys, Op::Eq | Op::Contains, _) => {
            sql.push(&format!(" AND {col} @> jsonb_build_array("))
                .bind(f.value.clone())
                .push("::text)");
        }
        (Kind::Keys, Op::Ne, _) => {
            sql.push(&format!(" AND NOT coalesce({col} @> jsonb_build_array("))
                .bind(f.value.clone())
                .push("::text), false)");
        }
        (Kind::Keys, Op::In, _) => {
            sql.push(&format!(" AND {col} ?| ")).bind(f.value.clone());
        }
        (Kind::Tags, Op::Eq | Op::Contains, _) => {
            sql.push(&format!(" AND {col} @> ARRAY["))
                .bind(f.value.clone())
                .push("]::text[]");
        }
        (Kind::Tags, Op::Ne, _) => {
            sql.push(&format!(" AND NOT {col} @> ARRAY["))
                .bind(f.value.clone())
                .push("]::text[]");
        }
        (Kind::Tags, Op::In, _) => {
            sql.push(&format!(" AND {col} && ")).bind(f.value.clone());
        }
        (_, Op::In, _) => {
            sql.push(&format!(" AND {col} = ANY("))
                .bind(f.value.clone())
                .push(")");
        }
        (_, Op::Contains, _) => {
            let Bind::Text(t) = &f.value else { return sql };
            sql.push(&format!(" AND {col} ILIKE "))
                .bind(Bind::Text(format!("%{}%", like_escape(t))));
        }
        (_, Op::Eq, _) => cmp(&mut sql, "="),
        (_, Op::Ne, _) => {
            sql.push(&format!(" AND {col} IS DISTINCT FROM "))
                .bind(f.value.clone());
        }
        (_, Op::Gt, _) => cmp(&mut sql, ">"),
        (_, Op::Gte, _) => cmp(&mut sql, ">="),
        (_, Op::Lt, _) => cmp(&mut sql, "<"),
        (_, Op::Lte, _) => cmp(&mut sql, "<="),
    }
    sql
}

/// Rows strictly after the cursor in the list's order (nulls sort last in both directions).
pub(super) fn keyset_sql(sort: &[SortKey], values: &[Option<Bind>], id: Uuid) -> Sql {
    // A row comparison is false for nulls, so it only serves when no later row can be null:
    // every key non-nullable, or a single nullable key whose null tail is added back.
    let single_nullable = sort.len() == 1 && sort[0].field.nullable;
    let simple = values.iter().all(Option::is_some)
        && sort.iter().all(|k| k.desc == sort[0].desc)
        && (single_nullable || sort.iter().all(|k| !k.field.nullable));
    let mut sql = Sql::default();
    if simple {
        // One row comparison: the planner walks the (org_id, key, id) index straight from the cursor.
        let cols: Vec<&str> = sort.iter().map(|k| k.field.column.as_str()).collect();
        sql.push(&format!(
            " AND (({}, id) {} (",
            cols.join(", "),
            if sort[0].desc { "<" } else { ">" }
        ));
        for v in values.iter().flatten() {
            sql.bind(v.clone()).push(", ");
        }
        sql.bind(Bind::Uuid(id)).push(")");
        if single_nullable {
            sql.push(&format!(" OR {} IS NULL", sort[0].field.column));
        }
        sql.push(")");
        return sql;
    }
    let id_desc = sort.last().is_some_and(|k| k.desc);
    sql.push(" AND (FALSE");
    for i in 0..=sort.len() {
        let mut branch = Sql::new(" OR (TRUE");
        for (k, v) in sort.iter().zip(values).take(i) {
            match v {
                Some(v) => branch
                    .push(&format!(" AND {} = ", k.field.column))
                    .bind(v.clone()),
                None => branch.push(&format!(" AND {} IS NULL", k.field.column)),
            };
        }
        if i == sort.len() {
            branch
                .push(if id_desc { " AND id < " } else { " AND id > " })
                .bind(Bind::Uuid(id));
        } else {
            let k = &sort[i];
            match &values[i] {
                // Nothing sorts after a null (nulls last) within this key.
                None => continue,
                Some(v) => {
                    let col = k.field.column.as_str();
                    branch
                        .push(&format!(" AND ({col} {} ", if k.desc { "<" } else { ">" }))
                        .bind(v.clone());
                    branch.push(&if k.field.nullable {
                        format!(" OR {col} IS NULL)")
                    } else {
                        ")".to_string()
                    });
                }
            }
        }
        branch.push(")");
        sql.append(branch);
    }
    sql.push(")");
    sql
}

/// `ORDER BY`, nulls last. A non-nullable key gets no `NULLS LAST` (the order is the same): a
/// descending `NULLS LAST` does not match a backward scan of an ascending index, so PostgreSQL
/// would sort every matching row (all of an organization's contacts for `sort=-created_at`).
pub(super) fn order_by(sort: &[SortKey]) -> String {
    let mut keys: Vec<String> = sort
        .iter()
        .map(|k| {
            format!(
                "{} {}{}",
                k.field.column,
                if k.desc { "DESC" } else { "ASC" },
                if k.field.nullable { " NULLS LAST" } else { "" }
            )
        })
        .collect();
    keys.push(format!(
        "id {}",
        if sort.last().is_some_and(|k| k.desc) {
            "DESC"
        } else {
            "ASC"
        }
    ));
    format!(" ORDER BY {}", keys.join(", "))
}
