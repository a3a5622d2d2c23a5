//! A set of users (who a rule assigns in turn or tells, a step's approvers, who is copied on an
//! approval): the chosen ones by name, each removable, and the owner picker to add one.

use crate::components::OwnerSelect;
use crate::i18n::{use_i18n, Wf, K};
use crate::session::use_auth;
use leptos::prelude::*;
use uuid::Uuid;

/// `value` in the order they were added; `on_change` gets the new set. `id` names the add
/// picker (`{id}-add`) and the list (`{id}`).
#[component]
pub fn UserSet(
    #[prop(into)] id: String,
    #[prop(into)] value: Signal<Vec<Uuid>>,
    on_change: Callback<Vec<Uuid>>,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let adding = RwSignal::new(String::new());
    // The picker adds as soon as a user is chosen, then offers the next.
    Effect::new(move |_| {
        let Ok(user) = adding.get().parse::<Uuid>() else {
            return;
        };
        let mut next = value.get_untracked();
        if !next.contains(&user) {
            next.push(user);
            on_change.run(next);
        }
        adding.set(String::new());
    });
    let chosen = move || {
        value
            .get()
            .into_iter()
            .map(|u| {
                view! {
                    <li class="chip" data-user=u.to_string()>
                        {move || auth.user_name(u, i.t(K::Mine))}
                        <button
                            type="button"
                            class="link remove-user"
                            disabled=disabled
                            aria-label=move || i.t(Wf::Remove)
                            on:click=move |_| {
                                let next = value.get_untracked().into_iter().filter(|x| *x != u).collect();
                                on_change.run(next);
                            }
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let add_id = format!("{id}-add");
    view! {
        <div class="user-set">
            <ul class="chips" id=id>{chosen}</ul>
            {(!disabled).then(|| view! {
                <OwnerSelect id=add_id value=adding blank_is_me=false blank=Wf::AddUser.into() />
            })}
        </div>
    }
}
