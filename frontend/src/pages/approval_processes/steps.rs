//! The rows of a process: its guards (a field moving to one of some values needs approval; the
//! values chosen among the field's when it has a few, else typed) and its steps in order (a
//! name, the approvers — users, everyone of a role, or the department head — and how they
//! decide: all, any one, each in turn). Rows are edited in place by position; a 422 names them
//! `steps[1].name`.

use crate::form::{split_list, FieldErrors, FormErrors};
use crate::i18n::{use_i18n, Ap, Wf};
use crate::workflow::conditions::FieldSelect;
use crate::workflow::users::UserSet;
use crate::workflow::{edit_row, remove_row, Schema};
use domain::approval::{Approvers, Guard, Mode, Step};
use domain::role::Role;
use leptos::prelude::*;
use uuid::Uuid;

pub fn role_label(r: Role) -> Ap {
    match r {
        Role::Admin => Ap::RoleAdmin,
        Role::Manager => Ap::RoleManager,
        Role::Sales => Ap::RoleSales,
        Role::Service => Ap::RoleService,
        Role::Marketing => Ap::RoleMarketing,
        Role::Finance => Ap::RoleFinance,
        Role::Readonly => Ap::RoleReadonly,
    }
}

pub fn mode_label(m: Mode) -> Ap {
    match m {
        Mode::All => Ap::ModeAll,
        Mode::Any => Ap::ModeAny,
        Mode::Sequential => Ap::ModeSequential,
    }
}

const MODES: [Mode; 3] = [Mode::Any, Mode::All, Mode::Sequential];

fn mode_key(m: Mode) -> &'static str {
    match m {
        Mode::All => "all",
        Mode::Any => "any",
        Mode::Sequential => "sequential",
    }
}

/// A guard as the form holds it: the field and the values, as their inputs show them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GuardDraft {
    pub field: String,
    pub to: Vec<String>,
}

impl GuardDraft {
    pub fn of(g: &Guard) -> GuardDraft {
        GuardDraft {
            field: g.field.clone(),
            to: g.to.iter().map(Schema::input_text).collect(),
        }
    }

    pub fn guard(&self, schema: Schema) -> Guard {
        Guard {
            field: self.field.clone(),
            to: self
                .to
                .iter()
                .map(|v| schema.value_of(&self.field, v))
                .collect(),
        }
    }
}

/// A new step: the department head, any one of them.
pub fn new_step() -> Step {
    Step {
        name: String::new(),
        approvers: Approvers::DepartmentHead,
        mode: Mode::Any,
    }
}

#[component]
pub fn GuardRows(
    schema: Schema,
    rows: RwSignal<Vec<GuardDraft>>,
    errors: FormErrors,
    disabled: bool,
) -> impl IntoView {
    let i = use_i18n();
    let fields = Signal::derive(move || schema.changeable());
    let row = move |n: usize| {
        let field = Signal::derive(move || {
            rows.with(|v| v.get(n).map(|g| g.field.clone()).unwrap_or_default())
        });
        let to = move || rows.with(|v| v.get(n).map(|g| g.to.clone()).unwrap_or_default());
        let values = move || match schema.choices(&field.get(), i) {
            Some(choices) => choices
                .into_iter()
                .map(|(key, label)| {
                    let (has, on) = (key.clone(), key.clone());
                    view! {
                        <label class="kind-choice">
                            <input
                                type="checkbox"
                                class="guard-value"
                                data-value=key
                                disabled=disabled
                                prop:checked=move || to().contains(&has)
                                on:change=move |ev| {
                                    let checked = event_target_checked(&ev);
                                    edit_row(rows, n, |g| {
                                        g.to.retain(|x| *x != on);
                                        if checked {
                                            g.to.push(on.clone());
                                        }
                                    });
                                }
                            />
                            " " {label}
                        </label>
                    }
                })
                .collect_view()
                .into_any(),
            None => view! {
                <input
                    type="text"
                    class="guard-values"
                    disabled=disabled
                    placeholder=move || i.t(Ap::GuardValuesHint)
                    prop:value=move || to().join(", ")
                    on:change=move |ev| {
                        let typed = split_list(&event_target_value(&ev));
                        edit_row(rows, n, |g| g.to = typed);
                    }
                />
            }
            .into_any(),
        };
        view! {
            <li class="guard-row" class:invalid=move || errors.has(&format!("guards[{n}]")) data-index=n>
                <FieldSelect
                    schema
                    fields
                    value=field
                    class="guard-field"
                    disabled
                    on_change=Callback::new(move |f: String| edit_row(rows, n, |g| { g.field = f; g.to.clear(); }))
                />
                <span class="hint">{move || i.t(Ap::MovesTo)}</span>
                <span class="kind-choices guard-choices">{values}</span>
                {(!disabled).then(|| view! {
                    <button type="button" class="link danger remove-guard" on:click=move |_| remove_row(rows, n)>
                        {move || i.t(Wf::Remove)}
                    </button>
                })}
                <FieldErrors errors field=format!("guards[{n}]") />
            </li>
        }
    };
    view! {
        <ol class="rule-rows guard-rows" id="f-guards">
            <For each=move || 0..rows.with(Vec::len) key=|n| *n children=row />
        </ol>
        {(!disabled).then(|| view! {
            <button type="button" id="add-guard" on:click=move |_| rows.update(|v| v.push(GuardDraft::default()))>
                {move || i.t(Ap::AddGuard)}
            </button>
        })}
        <FieldErrors errors field="guards" exact=true />
    }
}

#[component]
pub fn StepRows(rows: RwSignal<Vec<Step>>, errors: FormErrors) -> impl IntoView {
    let i = use_i18n();
    let row = move |n: usize| {
        let step = move || rows.with(|v| v.get(n).cloned()).unwrap_or_else(new_step);
        let kind = move || match step().approvers {
            Approvers::Users { .. } => "users",
            Approvers::Role { .. } => "role",
            Approvers::DepartmentHead => "department_head",
        };
        let users = Signal::derive(move || match step().approvers {
            Approvers::Users { user_ids } => user_ids,
            _ => Vec::new(),
        });
        let role = move || match step().approvers {
            Approvers::Role { role } => Some(role),
            _ => None,
        };
        let set_kind = move |k: String| {
            edit_row(rows, n, |s| {
                s.approvers = match k.as_str() {
                    "users" => Approvers::Users {
                        user_ids: Vec::new(),
                    },
                    "role" => Approvers::Role {
                        role: Role::Manager,
                    },
                    _ => Approvers::DepartmentHead,
                }
            })
        };
        let kinds = [
            ("department_head", Ap::DepartmentHead),
            ("users", Ap::ChosenUsers),
            ("role", Ap::EveryoneOfRole),
        ];
        view! {
            <li class="step-row" class:invalid=move || errors.has(&format!("steps[{n}]")) data-index=n>
                <span class="step-number">{move || i.t_n(Ap::StepN, (n + 1) as i64)}</span>
                <input
                    type="text"
                    class="step-name"
                    maxlength="100"
                    aria-label=move || i.t(Ap::StepName)
                    placeholder=move || i.t(Ap::StepName)
                    prop:value=move || step().name
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit_row(rows, n, |s| s.name = v);
                    }
                />
                <select class="step-approvers" aria-label=move || i.t(Ap::Approvers) prop:value=kind on:change=move |ev| set_kind(event_target_value(&ev))>
                    {kinds.into_iter().map(|(k, label)| view! {
                        <option value=k selected=move || kind() == k>{move || i.t(label)}</option>
                    }).collect_view()}
                </select>
                <Show when=move || kind() == "role">
                    <select
                        class="step-role"
                        aria-label=move || i.t(Ap::Role)
                        prop:value=move || role().map(Role::as_str).unwrap_or_default()
                        on:change=move |ev| {
                            if let Ok(r) = event_target_value(&ev).parse::<Role>() {
                                edit_row(rows, n, |s| s.approvers = Approvers::Role { role: r });
                            }
                        }
                    >
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role() == Some(r)>{move || i.t(role_label(r))}</option>
                        }).collect_view()}
                    </select>
                </Show>
                <Show when=move || kind() == "users">
                    <UserSet
                        id=format!("step-{n}-users")
                        value=users
                        on_change=Callback::new(move |u: Vec<Uuid>| edit_row(rows, n, |s| s.approvers = Approvers::Users { user_ids: u }))
                    />
                </Show>
                <select
                    class="step-mode"
                    aria-label=move || i.t(Ap::Mode)
                    prop:value=move || mode_key(step().mode)
                    on:change=move |ev| {
                        let key = event_target_value(&ev);
                        if let Some(m) = MODES.into_iter().find(|m| mode_key(*m) == key) {
                            edit_row(rows, n, |s| s.mode = m);
                        }
                    }
                >
                    {MODES.into_iter().map(|m| view! {
                        <option value=mode_key(m) selected=move || step().mode == m>{move || i.t(mode_label(m))}</option>
                    }).collect_view()}
                </select>
                <button type="button" class="link danger remove-step" on:click=move |_| remove_row(rows, n)>
                    {move || i.t(Wf::Remove)}
                </button>
                <FieldErrors errors field=format!("steps[{n}]") />
            </li>
        }
    };
    view! {
        <ol class="rule-rows step-rows" id="f-steps">
            <For each=move || 0..rows.with(Vec::len) key=|n| *n children=row />
        </ol>
        <button type="button" id="add-step" on:click=move |_| rows.update(|v| v.push(new_step()))>
            {move || i.t(Ap::AddStep)}
        </button>
        <FieldErrors errors field="steps" exact=true />
    }
}
