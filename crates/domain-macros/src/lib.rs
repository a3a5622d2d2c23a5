//! The domain's attribute macros; `#[patchable]` is in `patch.rs`.
//!
//! `#[openapi_rules]`: states a struct's validation rules in its OpenAPI schema, so the document
//! says exactly what the server enforces. Each field's `#[validate(length(..))]` or
//! `#[validate(range(..))]` — the rule the server checks — becomes the matching schema keyword
//! (`minLength`/`maxLength` on text, `minItems`/`maxItems` on lists, `minimum`/`maximum` on
//! numbers), added as `#[cfg_attr(feature = "openapi", schema(..))]`. Put it above the derives.

mod patch;

use proc_macro::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{parse_macro_input, Field, ItemStruct, Lit, Type};

/// An entity input's PATCH body, `apply` and `From<&Record>`: see `patch.rs`.
#[proc_macro_attribute]
pub fn patchable(args: TokenStream, item: TokenStream) -> TokenStream {
    patch::expand(args, item).into()
}

#[proc_macro_attribute]
pub fn openapi_rules(args: TokenStream, item: TokenStream) -> TokenStream {
    if !args.is_empty() {
        return syn::Error::new(
            proc_macro2::Span::call_site(),
            "openapi_rules takes no arguments",
        )
        .to_compile_error()
        .into();
    }
    let mut item = parse_macro_input!(item as ItemStruct);
    for field in item.fields.iter_mut() {
        match schema_attr(field) {
            Ok(Some(attr)) => field.attrs.push(attr),
            Ok(None) => {}
            Err(e) => return e.to_compile_error().into(),
        }
    }
    quote!(#item).into()
}

/// The `min`/`max` of one `length(..)` or `range(..)`.
#[derive(Default)]
struct Bounds {
    min: Option<Lit>,
    max: Option<Lit>,
}

fn bounds(meta: &ParseNestedMeta) -> syn::Result<Bounds> {
    let mut b = Bounds::default();
    meta.parse_nested_meta(|m| {
        let value: Lit = m.value()?.parse()?;
        if m.path.is_ident("min") {
            b.min = Some(value);
        } else if m.path.is_ident("max") {
            b.max = Some(value);
        } else if m.path.is_ident("equal") {
            b.min = Some(value.clone());
            b.max = Some(value);
        }
        Ok(())
    })?;
    Ok(b)
}

/// Skips a nested rule this macro does not translate (`email`, `custom(..)`, …).
fn skip(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|m| {
            if m.input.peek(syn::Token![=]) {
                let _: syn::Expr = m.value()?.parse()?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Whether the field holds a list (`Vec<_>`, also inside `Option`), whose length is its items.
fn is_list(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let Some(last) = p.path.segments.last() else {
        return false;
    };
    if last.ident == "Vec" {
        return true;
    }
    if last.ident == "Option" {
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
            return args.args.iter().any(|a| match a {
                syn::GenericArgument::Type(t) => is_list(t),
                _ => false,
            });
        }
    }
    false
}

fn schema_attr(field: &Field) -> syn::Result<Option<syn::Attribute>> {
    let mut keywords = Vec::new();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("validate")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("length") {
                let b = bounds(&meta)?;
                let (min, max) = if is_list(&field.ty) {
                    (quote!(min_items), quote!(max_items))
                } else {
                    (quote!(min_length), quote!(max_length))
                };
                if let Some(v) = b.min {
                    keywords.push(quote!(#min = #v));
                }
                if let Some(v) = b.max {
                    keywords.push(quote!(#max = #v));
                }
            } else if meta.path.is_ident("range") {
                let b = bounds(&meta)?;
                if let Some(v) = b.min {
                    keywords.push(quote!(minimum = #v));
                }
                if let Some(v) = b.max {
                    keywords.push(quote!(maximum = #v));
                }
            } else {
                skip(&meta)?;
            }
            Ok(())
        })?;
    }
    if keywords.is_empty() {
        return Ok(None);
    }
    Ok(Some(syn::parse_quote!(
        #[cfg_attr(feature = "openapi", schema(#(#keywords),*))]
    )))
}
