//! `#[patchable(XPatch, from = X, path = "/xs/{id}")]` on an entity's input struct: its PATCH
//! body and how it applies, and the input of a stored record, from the one field list.
//!
//! Generated next to the input:
//! - `XPatch`: every field optional; an optional field of the input becomes `Option<Option<T>>`
//!   (absent stays, `null` clears), `custom` a map of the values to change;
//! - `fn apply(&mut self, p: XPatch)` (or the name given as `apply = name`, for an entity whose
//!   own `apply` does more);
//! - `impl From<&X> for Input`, field by field (`crate::patch::Stored` takes a stored `T` into
//!   an input's `T` or `Option<T>`).
//!
//! `note = "…"` adds to the patch's description. Field options: `#[patch(skip)]` (not in the PATCH body: changed by its own endpoint),
//! `#[patch(keep)]` (an optional field a PATCH sets but never clears, e.g. the owner),
//! `#[patch(from = "expr")]` (the input's value from the stored record `r`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Field, Ident, ItemStruct, LitStr, Token, Type};

struct Args {
    patch: Ident,
    record: Ident,
    path: LitStr,
    apply: Ident,
    note: Option<LitStr>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let patch: Ident = input.parse()?;
        let (mut record, mut path, mut apply, mut note) = (None, None, None, None);
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "from" => record = Some(input.parse()?),
                "path" => path = Some(input.parse()?),
                "apply" => apply = Some(input.parse()?),
                "note" => note = Some(input.parse()?),
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        "expected from, path, apply or note",
                    ))
                }
            }
        }
        let missing =
            |what| syn::Error::new(patch.span(), format!("patchable needs `{what} = ..`"));
        Ok(Args {
            record: record.ok_or_else(|| missing("from"))?,
            path: path.ok_or_else(|| missing("path"))?,
            apply: apply.unwrap_or_else(|| format_ident!("apply")),
            note,
            patch,
        })
    }
}

#[derive(Default)]
struct Options {
    skip: bool,
    keep: bool,
    from: Option<syn::Expr>,
}

/// The field's `#[patch(..)]` options, removed from the field.
fn take_options(field: &mut Field) -> syn::Result<Options> {
    let mut options = Options::default();
    let mut error = None;
    field.attrs.retain(|attr| {
        if !attr.path().is_ident("patch") {
            return true;
        }
        let parsed = attr.parse_nested_meta(|m| {
            if m.path.is_ident("skip") {
                options.skip = true;
            } else if m.path.is_ident("keep") {
                options.keep = true;
            } else if m.path.is_ident("from") {
                let expr: LitStr = m.value()?.parse()?;
                options.from = Some(expr.parse()?);
            } else {
                return Err(m.error("expected skip, keep or from"));
            }
            Ok(())
        });
        if let Err(e) = parsed {
            error = Some(e);
        }
        false
    });
    match error {
        Some(e) => Err(e),
        None => Ok(options),
    }
}

/// `T` of an `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

pub fn expand(args: proc_macro::TokenStream, item: proc_macro::TokenStream) -> TokenStream {
    let args = match syn::parse::<Args>(args) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error(),
    };
    let mut item = match syn::parse::<ItemStruct>(item) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let (mut patch_fields, mut applies, mut froms) = (Vec::new(), Vec::new(), Vec::new());
    // Whether a `null` in the body clears something (an optional field, or a custom value).
    let mut clears = false;
    for field in item.fields.iter_mut() {
        let options = match take_options(field) {
            Ok(o) => o,
            Err(e) => return e.to_compile_error(),
        };
        let Some(name) = field.ident.clone() else {
            return syn::Error::new_spanned(field, "patchable needs named fields")
                .to_compile_error();
        };
        let ty = &field.ty;
        froms.push(match &options.from {
            Some(expr) => quote!(#name: #expr),
            None => quote!(#name: crate::patch::Stored::stored(&r.#name)),
        });
        if options.skip {
            continue;
        }
        if name == "custom" {
            patch_fields.push(quote! {
                /// Custom values to change, by key: absent keys stay, `null` clears.
                #[serde(default)]
                #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
                pub custom: Option<crate::custom::CustomValues>,
            });
            applies.push(quote!(crate::custom::merge(&mut self.custom, p.custom);));
            clears = true;
            continue;
        }
        match option_inner(ty) {
            Some(_) if options.keep => {
                patch_fields.push(quote!(pub #name: #ty,));
                applies.push(quote!(crate::fields::set(&mut self.#name, p.#name.map(Some));));
            }
            Some(_) => {
                clears = true;
                patch_fields.push(quote! {
                    #[serde(default, deserialize_with = "crate::patch::double_option")]
                    pub #name: Option<#ty>,
                });
                applies.push(quote!(crate::fields::set(&mut self.#name, p.#name);));
            }
            None => {
                patch_fields.push(quote!(pub #name: Option<#ty>,));
                applies.push(quote!(crate::fields::set(&mut self.#name, p.#name);));
            }
        }
    }
    let Args {
        patch,
        record,
        path,
        apply,
        note,
    } = args;
    let input = &item.ident;
    let vis = &item.vis;
    let mut patch_doc = format!(" `PATCH {}`: absent fields stay", path.value());
    patch_doc.push_str(if clears { ", `null` clears." } else { "." });
    if let Some(note) = note {
        patch_doc = format!("{patch_doc} {}", note.value());
    }
    let from_doc = format!(" The writable fields of a stored {record}.");
    quote! {
        #item

        #[doc = #patch_doc]
        #[derive(Debug, Clone, Default, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(deny_unknown_fields)]
        #vis struct #patch {
            #(#patch_fields)*
        }

        impl #input {
            /// Applies a PATCH: present fields replace, absent ones stay.
            pub fn #apply(&mut self, p: #patch) {
                #(#applies)*
            }
        }

        impl From<&#record> for #input {
            #[doc = #from_doc]
            fn from(r: &#record) -> Self {
                #input { #(#froms),* }
            }
        }
    }
}
