//! `/products` (the catalogue, on the generic record routes) and `/product-categories` (its
//! category tree: add, rename, move, delete; a move under the category itself or one of its
//! subcategories is a 422 `cycle`).

use super::records::{Resource, Versioned};
use super::{ApiError, Call, Reply};
use domain::product::{Product, ProductCategory, ProductCategoryInput};
use serde::Deserialize;

pub const PATH: &str = "/products";
pub const PRODUCTS: Resource<Product> = Resource::new(PATH);
const CATEGORIES: &str = "/product-categories";

impl Versioned for Product {
    fn version(&self) -> i32 {
        self.version
    }
}

impl Versioned for ProductCategory {
    fn version(&self) -> i32 {
        self.version
    }
}

#[derive(Deserialize)]
struct Items {
    data: Vec<ProductCategory>,
}

/// The whole tree, each parent before its children, siblings in order.
pub async fn categories() -> Result<Vec<ProductCategory>, ApiError> {
    Call::get(CATEGORIES)
        .send::<Items>()
        .await
        .map(|r| r.body.data)
}

pub async fn create_category(
    input: &ProductCategoryInput,
) -> Result<Reply<ProductCategory>, ApiError> {
    Call::post(CATEGORIES).json(input).send().await
}

/// A rename or move (`{"parent_id": null}` moves to the top), `If-Match` the version read.
pub async fn update_category(
    c: &ProductCategory,
    patch: &serde_json::Value,
) -> Result<Reply<ProductCategory>, ApiError> {
    Call::patch(&format!("{CATEGORIES}/{}", c.id))
        .if_match(&super::records::etag_of(c))
        .json(patch)
        .send()
        .await
}

/// Removes an empty category (one holding subcategories or products is a 409).
pub async fn delete_category(c: &ProductCategory) -> Result<(), ApiError> {
    Call::delete(&format!("{CATEGORIES}/{}", c.id))
        .if_match(&super::records::etag_of(c))
        .send_empty()
        .await
}
