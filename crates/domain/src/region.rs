//! Regions (地区): China's administrative divisions, province > city > district/county.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Region {
    /// GB/T 2260 six-digit code.
    #[cfg_attr(feature = "openapi", schema(example = "440305"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(example = "440300"))]
    pub parent_code: Option<String>,
    /// 1 province, 2 city, 3 district or county.
    #[cfg_attr(feature = "openapi", schema(example = 3))]
    pub level: i16,
    #[cfg_attr(feature = "openapi", schema(example = "南山区"))]
    pub name_zh: String,
    #[cfg_attr(feature = "openapi", schema(example = "Nanshan District"))]
    pub name_en: String,
}
