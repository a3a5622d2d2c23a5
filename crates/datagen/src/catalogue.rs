//! Every generated organization's product catalogue: a small category tree (大类 > 小类) and the
//! products a consumer-goods company like 丰泽 sells, written through the API's own write path.

use crate::Error;
use diesel_async::AsyncPgConnection;
use domain::money::Money;
use domain::product::{Product, ProductCategoryInput, ProductInput};
use persistence::records::Writable;
use persistence::{products, Scope};

/// (category zh, en; subcategories: (zh, en; products: (code, zh, en, spec, unit, price)))
type Sub = (
    &'static str,
    &'static str,
    &'static [(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    )],
);
const CATALOGUE: &[(&str, &str, &[Sub])] = &[
    (
        "日化用品",
        "Household",
        &[
            (
                "香皂",
                "Soap",
                &[
                    (
                        "FZ-SOAP-100",
                        "丰泽香皂 100克",
                        "Fengze soap 100 g",
                        "100g×72块/箱",
                        "箱",
                        "86.40",
                    ),
                    (
                        "FZ-SOAP-200",
                        "丰泽香皂 200克",
                        "Fengze soap 200 g",
                        "200g×48块/箱",
                        "箱",
                        "96.00",
                    ),
                ],
            ),
            (
                "洗衣用品",
                "Laundry",
                &[
                    (
                        "FZ-DET-1K",
                        "丰泽洗衣粉 1千克",
                        "Fengze detergent 1 kg",
                        "1kg×12袋/箱",
                        "箱",
                        "118.80",
                    ),
                    (
                        "FZ-LIQ-2L",
                        "丰泽洗衣液 2升",
                        "Fengze laundry liquid 2 L",
                        "2L×6瓶/箱",
                        "箱",
                        "149.00",
                    ),
                ],
            ),
            (
                "口腔护理",
                "Oral care",
                &[
                    (
                        "FZ-TP-120",
                        "丰泽牙膏 120克",
                        "Fengze toothpaste 120 g",
                        "120g×60支/箱",
                        "箱",
                        "210.00",
                    ),
                    (
                        "FZ-TB-SOFT",
                        "丰泽软毛牙刷",
                        "Fengze soft toothbrush",
                        "12支/盒",
                        "盒",
                        "36.00",
                    ),
                ],
            ),
        ],
    ),
    (
        "食品饮料",
        "Food & drink",
        &[
            (
                "茶叶",
                "Tea",
                &[(
                    "FZ-TEA-250",
                    "丰泽乌龙茶 250克",
                    "Fengze oolong 250 g",
                    "250g/罐",
                    "罐",
                    "68.00",
                )],
            ),
            (
                "饮用水",
                "Water",
                &[(
                    "FZ-WTR-550",
                    "丰泽饮用水 550毫升",
                    "Fengze water 550 ml",
                    "550ml×24瓶/箱",
                    "箱",
                    "28.80",
                )],
            ),
        ],
    ),
];

/// Creates the catalogue in the organization of `scope` (its admin), in its language.
pub async fn create(c: &mut AsyncPgConnection, scope: &Scope, zh: bool) -> Result<(), Error> {
    let pick = |zh_name: &str, en_name: &str| if zh { zh_name } else { en_name }.to_string();
    for (position, (top_zh, top_en, subs)) in CATALOGUE.iter().enumerate() {
        let input = ProductCategoryInput {
            name: pick(top_zh, top_en),
            parent_id: None,
            position: position as i32,
        };
        let top = products::create_category(c, scope, input).await?;
        for (position, (sub_zh, sub_en, items)) in subs.iter().enumerate() {
            let input = ProductCategoryInput {
                name: pick(sub_zh, sub_en),
                parent_id: Some(top.id),
                position: position as i32,
            };
            let sub = products::create_category(c, scope, input).await?;
            for (code, name_zh, name_en, spec, unit, price) in items.iter() {
                let mut input = ProductInput {
                    code: code.to_string(),
                    name: pick(name_zh, name_en),
                    spec: Some(spec.to_string()),
                    unit: Some(unit.to_string()),
                    unit_price: Some(Money {
                        amount: price.parse().map_err(|_| "catalogue price")?,
                        currency: "CNY".into(),
                    }),
                    active: true,
                    category_id: Some(sub.id),
                    ..Default::default()
                };
                Product::validate(c, scope, None, &mut input).await?;
                Product::create(c, scope, &input, false).await?;
            }
        }
    }
    Ok(())
}
