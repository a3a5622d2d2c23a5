//! A list's totals row (合计): under the table, the sums of its number and money columns over
//! every record matching the list's filters, as the API computed them (`totals=` of the first
//! page), not only over the rows loaded. Money sums per currency.

use super::ListState;
use crate::i18n::{format_decimal, format_money, use_i18n, Locale, K};
use domain::list::Total;
use domain::money::Money;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Per summed field (`amount`, `custom.budget`), its sums: one per currency for money.
pub type Sums = BTreeMap<String, Vec<Total>>;

/// A field's sums as text: numbers exactly with digit grouping, money per currency
/// (`¥12,500.00 + US$300.00`); `—` when no matching record has a value.
pub fn sum_text(totals: &[Total], locale: Locale) -> String {
    if totals.is_empty() {
        return "—".to_string();
    }
    totals
        .iter()
        .map(|t| match &t.currency {
            Some(currency) => format_money(
                &Money {
                    amount: t.sum.clone(),
                    currency: currency.clone(),
                },
                locale,
            ),
            None => format_decimal(&t.sum.to_string()),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The sums of `field` in `sums` as text (tracked); empty when the list did not sum it.
pub fn field_sums(sums: RwSignal<Option<Sums>>, field: &str, locale: Locale) -> String {
    sums.with(|s| {
        s.as_ref()
            .and_then(|m| m.get(field))
            .map(|t| sum_text(t, locale))
            .unwrap_or_default()
    })
}

/// The totals row, in a table's `<tfoot>`: the caption in the first column, then `children`
/// (one cell per further column: a [`SumCell`] under a summed one, an empty `<td>` otherwise).
/// Shown when the list sums something and has rows.
#[component]
pub fn SumsRow<T>(list: ListState<T>, children: ChildrenFn) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let i = use_i18n();
    let shown = move || {
        list.sums
            .with(|s| s.as_ref().is_some_and(|m| !m.is_empty()))
            && list.items.with(|v| !v.is_empty())
    };
    view! {
        <Show when=shown>
            <tr class="sums" id="list-sums">
                <th scope="row" class="name" title=move || i.t(K::ListSumsHint)>
                    {move || i.t(K::ListSums)}
                </th>
                {children()}
            </tr>
        </Show>
    }
}

/// The cell of the totals row under a built-in column (`field` as the API names it, `label`
/// its header).
#[component]
pub fn SumCell(
    sums: RwSignal<Option<Sums>>,
    field: &'static str,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <td class="num sum" data-column=field data-label=label>
            {move || field_sums(sums, field, i.locale())}
        </td>
    }
}
