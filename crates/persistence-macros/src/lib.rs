//! `#[stored(..)]` on an entity's row struct (the columns `Spec::select` reads): what every
//! stored record repeats, written from that one column list.
//!
//! ```text
//! #[stored(record = Product, input = ProductInput, values = ProductValues, table = products,
//!          entity = "product", spec = SPEC)]
//! #[derive(Queryable, QueryableByName, Selectable)]
//! #[diesel(table_name = products)]
//! pub struct ProductRow { id: Uuid, code: String, #[stored(money = "currency")] unit_price: .. }
//! ```
//!
//! Generates `From<Row> for Record`, `HasId` and `Record` for the record, and the `Values` struct
//! a create inserts and an update sets (`AsChangeset`, `Insertable`, nulls written as nulls) with
//! `Values::new(input, written, params..)`, `Values::insert` (a create's statement) and
//! `Values::update` (an update's). A column is, by default, written from the input's
//! field of the same name and read back into the record's. The platform columns (`id`,
//! `version`, `created_*`, `updated_*`, `deleted_at`) are read only; `custom` is the custom
//! values column; the search columns are written from the input's search text.
//!
//! Column options, `#[stored(..)]`:
//! - `read`: read only (set by another path: a conversion, a stage move, a trigger);
//! - `text_enum`: a domain enum kept as its text (`crate::columns::TextEnum`);
//! - `money = "currency_column"`: an `Option<Money>` kept as amount and currency columns;
//! - `param`: written from a parameter of `Values::new` (the owner the write resolved, a
//!   probability the stage decides), in column order.
//!
//! `write(name: Type, ..)` adds columns that are written but not read back (`name_key`), as
//! further parameters of `Values::new`; `insert(name: Type, ..)` columns a create alone writes
//! (an account's first `neglect_at`, a deal's pipeline and stage), as parameters of `insert`.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{parse_macro_input, Field, Ident, ItemStruct, LitStr, Token, Type};

#[proc_macro_attribute]
pub fn stored(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = parse_macro_input!(args as Args);
    let item = parse_macro_input!(item as ItemStruct);
    expand(args, item)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

/// A `name: Type` of `write(..)`.
struct Extra {
    name: Ident,
    ty: Type,
}

impl Parse for Extra {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name = input.parse()?;
        input.parse::<Token![:]>()?;
        Ok(Extra {
            name,
            ty: input.parse()?,
        })
    }
}

struct Args {
    record: Ident,
    input: Ident,
    values: Ident,
    table: Ident,
    entity: LitStr,
    spec: Ident,
    extras: Vec<Extra>,
    on_insert: Vec<Extra>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (mut record, mut inp, mut values, mut table, mut entity, mut spec) =
            (None, None, None, None, None, None);
        let (mut extras, mut on_insert) = (Vec::new(), Vec::new());
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            if key == "write" || key == "insert" {
                let content;
                syn::parenthesized!(content in input);
                let list = Punctuated::<Extra, Token![,]>::parse_terminated(&content)?;
                if key == "write" {
                    &mut extras
                } else {
                    &mut on_insert
                }
                .extend(list);
            } else {
                input.parse::<Token![=]>()?;
                match key.to_string().as_str() {
                    "record" => record = Some(input.parse()?),
                    "input" => inp = Some(input.parse()?),
                    "values" => values = Some(input.parse()?),
                    "table" => table = Some(input.parse()?),
                    "entity" => entity = Some(input.parse()?),
                    "spec" => spec = Some(input.parse()?),
                    _ => return Err(syn::Error::new(key.span(), "unknown argument of stored")),
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let span = proc_macro2::Span::call_site();
        let missing = |what: &str| syn::Error::new(span, format!("stored needs `{what} = ..`"));
        Ok(Args {
            record: record.ok_or_else(|| missing("record"))?,
            input: inp.ok_or_else(|| missing("input"))?,
            values: values.ok_or_else(|| missing("values"))?,
            table: table.ok_or_else(|| missing("table"))?,
            entity: entity.ok_or_else(|| missing("entity"))?,
            spec: spec.ok_or_else(|| missing("spec"))?,
            extras,
            on_insert,
        })
    }
}

#[derive(Default)]
struct Options {
    read: bool,
    text_enum: bool,
    param: bool,
    money: Option<Ident>,
}

/// The column's `#[stored(..)]` options, removed from it.
fn take_options(field: &mut Field) -> syn::Result<Options> {
    let mut options = Options::default();
    let mut error = None;
    field.attrs.retain(|attr| {
        if !attr.path().is_ident("stored") {
            return true;
        }
        if let Err(e) = attr.parse_nested_meta(|m| {
            if m.path.is_ident("read") {
                options.read = true;
            } else if m.path.is_ident("text_enum") {
                options.text_enum = true;
            } else if m.path.is_ident("param") {
                options.param = true;
            } else if m.path.is_ident("money") {
                let column: LitStr = m.value()?.parse()?;
                options.money = Some(column.parse()?);
            } else {
                return Err(m.error("expected read, text_enum, param or money"));
            }
            Ok(())
        }) {
            error = Some(e);
        }
        false
    });
    error.map_or(Ok(options), Err)
}

const PLATFORM: &[&str] = &[
    "id",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "deleted_at",
];

fn expand(args: Args, mut row: ItemStruct) -> syn::Result<Tokens> {
    let mut options = Vec::new();
    for field in row.fields.iter_mut() {
        options.push(take_options(field)?);
    }
    let currencies: Vec<Ident> = options.iter().filter_map(|o| o.money.clone()).collect();
    let (mut reads, mut columns, mut writes, mut params) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut custom = false;
    for (field, o) in row.fields.iter().zip(&options) {
        let Some(name) = field.ident.clone() else {
            return Err(syn::Error::new_spanned(field, "stored needs named fields"));
        };
        let ty = &field.ty;
        if currencies.contains(&name) {
            continue; // read and written with its amount
        }
        if name == "custom" {
            custom = true;
            reads.push(quote!(custom: crate::custom_columns::from_column(r.custom)));
            columns.push(quote!(custom: serde_json::Value));
            writes.push(quote!(custom: written.column()));
            continue;
        }
        if let Some(currency) = &o.money {
            reads.push(quote!(#name: crate::columns::money(r.#name, r.#currency)));
            columns.push(quote!(#name: Option<bigdecimal::BigDecimal>));
            columns.push(quote!(#currency: Option<String>));
            writes.push(quote!(#name: crate::columns::amount(&input.#name)));
            writes.push(quote!(#currency: crate::columns::currency(&input.#name)));
            continue;
        }
        reads.push(if o.text_enum {
            quote!(#name: crate::columns::TextEnum::from_column(&r.#name))
        } else {
            quote!(#name: r.#name)
        });
        if o.read || PLATFORM.contains(&name.to_string().as_str()) {
            continue;
        }
        columns.push(quote!(#name: #ty));
        writes.push(if o.param {
            params.push(quote!(#name: #ty));
            quote!(#name)
        } else if o.text_enum {
            quote!(#name: crate::columns::TextEnum::to_column(&input.#name))
        } else {
            quote!(#name: ::core::clone::Clone::clone(&input.#name))
        });
    }
    if !custom {
        return Err(syn::Error::new_spanned(
            &row.ident,
            "stored records take custom fields: the row needs its `custom` column",
        ));
    }
    for Extra { name, ty } in &args.extras {
        columns.push(quote!(#name: #ty));
        params.push(quote!(#name: #ty));
        writes.push(quote!(#name));
    }
    let Args {
        record,
        input,
        values,
        table,
        entity,
        spec,
        on_insert,
        ..
    } = args;
    let insert_params = on_insert
        .iter()
        .map(|Extra { name, ty }| quote!(#name: #ty));
    let insert_columns = on_insert
        .iter()
        .map(|Extra { name, .. }| quote!(#table::#name.eq(#name)));
    let row_name = &row.ident;
    Ok(quote! {
        #row

        impl From<#row_name> for #record {
            fn from(r: #row_name) -> Self {
                #record { #(#reads),* }
            }
        }

        impl crate::list::HasId for #record {
            fn id(&self) -> uuid::Uuid {
                self.id
            }
        }

        impl crate::records::Record for #record {
            const ENTITY: &'static str = #entity;
            type Row = #row_name;
            fn spec() -> &'static crate::list::Spec {
                &#spec
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn search_text(&self) -> String {
                #input::from(self).search_text()
            }
            fn custom(&self) -> Option<&domain::custom::CustomValues> {
                Some(&self.custom)
            }
        }

        /// The stored form of validated input: its columns, search text and custom values.
        #[derive(diesel::AsChangeset, diesel::Insertable)]
        #[diesel(table_name = #table, treat_none_as_null = true)]
        struct #values {
            #(#columns,)*
            search_text: String,
            search_grams: Vec<String>,
        }

        impl #values {
            /// `written`: the custom values as stored, and their searchable text.
            #[allow(clippy::too_many_arguments)] // one per `param` and `write` column
            fn new(input: &#input, written: &crate::custom_values::Written, #(#params),*) -> Self {
                let search_text = written.search_text(input.search_text());
                #values {
                    #(#writes,)*
                    search_grams: domain::normalize::bigrams(&search_text),
                    search_text,
                }
            }

            /// Inserts the record `id` with these values into the caller's organization, by the
            /// caller, at `now`, and reads it back.
            #[allow(clippy::too_many_arguments)] // the columns a create alone writes
            async fn insert(
                self,
                conn: &mut diesel_async::AsyncPgConnection,
                scope: &crate::scope::Scope,
                id: uuid::Uuid,
                now: chrono::DateTime<chrono::Utc>,
                #(#insert_params),*
            ) -> Result<#record, crate::StoreError> {
                use diesel::{ExpressionMethods, SelectableHelper};
                use diesel_async::RunQueryDsl;
                let row: #row_name = diesel::insert_into(#table::table)
                    .values((
                        #table::id.eq(id),
                        #table::org_id.eq(scope.org_id),
                        self,
                        #(#insert_columns,)*
                        #table::created_at.eq(now),
                        #table::updated_at.eq(now),
                        #table::created_by.eq(scope.user_id),
                        #table::updated_by.eq(scope.user_id),
                    ))
                    .returning(#row_name::as_returning())
                    .get_result(conn)
                    .await?;
                Ok(row.into())
            }

            /// Writes these values over the record `id` of the caller's organization, one
            /// version up, and reads it back.
            async fn update(
                self,
                conn: &mut diesel_async::AsyncPgConnection,
                scope: &crate::scope::Scope,
                id: uuid::Uuid,
                now: chrono::DateTime<chrono::Utc>,
            ) -> Result<#record, crate::StoreError> {
                use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
                use diesel_async::RunQueryDsl;
                let row: #row_name = diesel::update(
                    #table::table
                        .filter(#table::id.eq(id))
                        .filter(#table::org_id.eq(scope.org_id)),
                )
                .set((
                    self,
                    #table::version.eq(#table::version + 1),
                    #table::updated_at.eq(now),
                    #table::updated_by.eq(scope.user_id),
                ))
                .returning(#row_name::as_returning())
                .get_result(conn)
                .await?;
                Ok(row.into())
            }
        }
    })
}
