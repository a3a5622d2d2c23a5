//! Products: the organization's catalogue, on the generic write path (`records::Writable`), and
//! their category tree. Every member sees every product (the catalogue has no owner); codes are
//! unique among live products (the `products_code` index), categories never form a cycle.

use crate::custom_values;
use crate::locks::{self, Guard};
use crate::records::{self, Writable};
use crate::schema::{product_categories, products};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::PRODUCTS as SPEC;
use crate::StoreError;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::{
    ExpressionMethods, QueryDsl, Queryable, QueryableByName, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::custom::CustomValues;
use domain::product::{
    Product, ProductCategory, ProductCategoryInput, ProductCategoryPatch, ProductInput,
    ProductPatch,
};
use uuid::Uuid;

const ENTITY: &str = "products";

#[persistence_macros::stored(
    record = Product,
    input = ProductInput,
    values = ProductValues,
    table = products,
    entity = "product",
    spec = SPEC
)]
#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = products)]
pub struct ProductRow {
    id: Uuid,
    code: String,
    name: String,
    spec: Option<String>,
    model: Option<String>,
    unit: Option<String>,
    #[stored(money = "currency")]
    unit_price: Option<BigDecimal>,
    currency: Option<String>,
    remarks: Option<String>,
    active: bool,
    category_id: Option<Uuid>,
    custom: serde_json::Value,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    created_by: Uuid,
    updated_by: Uuid,
    deleted_at: Option<DateTime<Utc>>,
}

async fn check_category(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    category: Option<Uuid>,
) -> Result<(), StoreError> {
    let Some(id) = category else { return Ok(()) };
    category_row(conn, org_id, id, false)
        .await
        .map(|_| ())
        .map_err(|e| e.or_invalid("category_id", "no such product category"))
}

impl Writable for Product {
    type Input = ProductInput;
    type Patch = ProductPatch;

    async fn validate(
        conn: &mut AsyncPgConnection,
        scope: &Scope,
        before: Option<&CustomValues>,
        input: &mut ProductInput,
    ) -> Result<(), StoreError> {
        let mut errors = input.normalize().err().unwrap_or_default();
        custom_values::check(conn, scope, ENTITY, before, &mut input.custom, &mut errors).await?;
        if errors.is_empty() {
            check_category(conn, scope.org_id, input.category_id).await
        } else {
            Err(StoreError::Invalid(errors))
        }
    }

    async fn create(
        conn: &mut AsyncPgConnection,
        scope: &Scope,
        input: &ProductInput,
        _force: bool,
    ) -> Result<Product, StoreError> {
        let id = Uuid::now_v7();
        let written = custom_values::written(conn, scope, ENTITY, id, None, input).await?;
        crate::unique::refuse_taken::<Product>(conn, scope, input, None).await?;
        let now = Utc::now();
        let product = ProductValues::new(input, &written)
            .insert(conn, scope, id, now)
            .await?;
        records::created(conn, scope, &product, now).await?;
        Ok(product)
    }

    async fn update(
        conn: &mut AsyncPgConnection,
        scope: &Scope,
        id: Uuid,
        expected: Option<i32>,
        patch: ProductPatch,
        _force: bool,
    ) -> Result<Product, StoreError> {
        let before: Product = records::load(conn, scope, id, false, true).await?;
        StoreError::check_version(before.version, expected)?;
        let mut input = ProductInput::from(&before);
        input.apply(patch);
        Self::validate(conn, scope, Some(&before.custom), &mut input).await?;
        let written =
            custom_values::written(conn, scope, ENTITY, id, Some(&before.custom), &input).await?;
        crate::unique::refuse_taken(conn, scope, &input, Some(&before)).await?;
        let now = Utc::now();
        let after = ProductValues::new(&input, &written)
            .update(conn, scope, id, now)
            .await?;
        records::updated(conn, scope, &before, &after, now).await?;
        Ok(after)
    }
}

// --- categories ---------------------------------------------------------------------------

#[derive(Queryable, Selectable)]
#[diesel(table_name = product_categories)]
struct CategoryRow {
    id: Uuid,
    name: String,
    parent_id: Option<Uuid>,
    position: i32,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<CategoryRow> for ProductCategory {
    fn from(r: CategoryRow) -> Self {
        ProductCategory {
            id: r.id,
            name: r.name,
            parent_id: r.parent_id,
            position: r.position,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

async fn category_row(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
    lock: bool,
) -> Result<CategoryRow, StoreError> {
    let q = product_categories::table
        .filter(product_categories::org_id.eq(org_id))
        .filter(product_categories::id.eq(id))
        .select(CategoryRow::as_select());
    Ok(if lock {
        q.for_update().first(conn).await?
    } else {
        q.first(conn).await?
    })
}

/// The organization's categories, parents before children in tree order.
pub async fn categories(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
) -> Result<Vec<ProductCategory>, StoreError> {
    let rows: Vec<CategoryRow> = product_categories::table
        .filter(product_categories::org_id.eq(org_id))
        .order((
            product_categories::position,
            product_categories::name,
            product_categories::id,
        ))
        .select(CategoryRow::as_select())
        .load(conn)
        .await?;
    let mut out: Vec<ProductCategory> = Vec::new();
    fn place(
        rows: &[CategoryRow],
        parent: Option<Uuid>,
        out: &mut Vec<ProductCategory>,
        depth: u8,
    ) {
        for r in rows.iter().filter(|r| r.parent_id == parent) {
            out.push(ProductCategory::from(CategoryRow {
                name: r.name.clone(),
                ..*r
            }));
            if depth < 32 {
                place(rows, Some(r.id), out, depth + 1);
            }
        }
    }
    place(&rows, None, &mut out, 0);
    Ok(out)
}

fn name_taken(e: diesel::result::Error, name: &str) -> StoreError {
    match crate::error::unique_violation(&e) {
        Some("product_categories_name") => StoreError::taken(
            "name",
            format!("the parent category already has a category named {name}"),
        ),
        _ => e.into(),
    }
}

/// Whether `node` is `ancestor` or below it (the tree is read under the organization's lock).
async fn within(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    node: Uuid,
    ancestor: Uuid,
) -> Result<bool, StoreError> {
    let mut sql = Sql::new(
        "WITH RECURSIVE up(id, parent_id, depth) AS (SELECT id, parent_id, 0 FROM product_categories WHERE org_id = ",
    );
    sql.bind(Bind::Uuid(org_id))
        .push(" AND id = ")
        .bind(Bind::Uuid(node))
        .push(
            " UNION SELECT c.id, c.parent_id, up.depth + 1 FROM product_categories c JOIN up ON c.id = up.parent_id \
             WHERE up.depth < 64) SELECT count(*) AS n FROM up WHERE id = ",
        )
        .bind(Bind::Uuid(ancestor));
    Ok(sql.count(conn).await? > 0)
}

/// Adds a category (at the top, or under `parent_id`). Run inside a transaction.
pub async fn create_category(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    mut input: ProductCategoryInput,
) -> Result<ProductCategory, StoreError> {
    input.normalize().map_err(StoreError::Invalid)?;
    locks::org(conn, scope.org_id, Guard::Categories).await?;
    if let Some(parent) = input.parent_id {
        category_row(conn, scope.org_id, parent, false)
            .await
            .map_err(|e| e.or_invalid("parent_id", "no such product category"))?;
    }
    let now = Utc::now();
    let row: CategoryRow = diesel::insert_into(product_categories::table)
        .values((
            product_categories::id.eq(Uuid::now_v7()),
            product_categories::org_id.eq(scope.org_id),
            product_categories::name.eq(&input.name),
            product_categories::parent_id.eq(input.parent_id),
            product_categories::position.eq(input.position),
            product_categories::created_at.eq(now),
            product_categories::updated_at.eq(now),
        ))
        .returning(CategoryRow::as_returning())
        .get_result(conn)
        .await
        .map_err(|e| name_taken(e, &input.name))?;
    Ok(row.into())
}

/// Renames, moves or reorders a category at `expected` version. A move under itself or one of
/// its descendants is a 422 (`cycle`, as for departments): the tree never holds a cycle, however many moves run at once (they
/// take the organization's category lock in turn). Run inside a transaction.
pub async fn update_category(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: ProductCategoryPatch,
) -> Result<ProductCategory, StoreError> {
    locks::org(conn, scope.org_id, Guard::Categories).await?;
    let before = category_row(conn, scope.org_id, id, true).await?;
    StoreError::check_version(before.version, expected)?;
    let mut input = ProductCategoryInput {
        name: patch.name.unwrap_or(before.name.clone()),
        parent_id: patch.parent_id.unwrap_or(before.parent_id),
        position: patch.position.unwrap_or(before.position),
    };
    input.normalize().map_err(StoreError::Invalid)?;
    if let Some(parent) = input.parent_id.filter(|p| Some(*p) != before.parent_id) {
        category_row(conn, scope.org_id, parent, false)
            .await
            .map_err(|e| e.or_invalid("parent_id", "no such product category"))?;
        if within(conn, scope.org_id, parent, id).await? {
            return Err(StoreError::invalid(
                "parent_id",
                "cycle",
                "a category cannot move under itself or one of its subcategories",
            ));
        }
    }
    let row: CategoryRow = diesel::update(
        product_categories::table
            .filter(product_categories::org_id.eq(scope.org_id))
            .filter(product_categories::id.eq(id)),
    )
    .set((
        product_categories::name.eq(&input.name),
        product_categories::parent_id.eq(input.parent_id),
        product_categories::position.eq(input.position),
        product_categories::version.eq(product_categories::version + 1),
        product_categories::updated_at.eq(Utc::now()),
    ))
    .returning(CategoryRow::as_returning())
    .get_result(conn)
    .await
    .map_err(|e| name_taken(e, &input.name))?;
    Ok(row.into())
}

/// Removes an empty category: one with subcategories or products (live or in the recycle bin)
/// is a 409. Run inside a transaction.
pub async fn delete_category(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
) -> Result<(), StoreError> {
    locks::org(conn, scope.org_id, Guard::Categories).await?;
    let before = category_row(conn, scope.org_id, id, true).await?;
    StoreError::check_version(before.version, expected)?;
    let children: i64 = product_categories::table
        .filter(product_categories::org_id.eq(scope.org_id))
        .filter(product_categories::parent_id.eq(id))
        .count()
        .get_result(conn)
        .await?;
    let products: i64 = products::table
        .filter(products::org_id.eq(scope.org_id))
        .filter(products::category_id.eq(id))
        .count()
        .get_result(conn)
        .await?;
    if children + products > 0 {
        return Err(StoreError::Conflict(format!(
            "the category holds {children} subcategories and {products} products; move them first"
        )));
    }
    diesel::delete(
        product_categories::table
            .filter(product_categories::org_id.eq(scope.org_id))
            .filter(product_categories::id.eq(id)),
    )
    .execute(conn)
    .await?;
    Ok(())
}
