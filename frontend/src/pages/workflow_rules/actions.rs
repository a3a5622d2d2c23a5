//! A rule's actions, in order, as rows: each of one type — set a field to a value, assign an
//! owner (several users: each in turn), create a task (for the owner or chosen users, due some
//! days after the run), notify (the owner or chosen users, with a message), or send the record
//! to one of the organization's webhook endpoints. A row is edited as a
//! flat draft ([`ActionDraft`]) and read back into an [`Action`] on save; what is missing is
//! reported on the row (`actions[1].subject`).

use crate::api;
use crate::form::{FieldErrors, FormErrors};
use crate::i18n::{use_i18n, Wf};
use crate::workflow::conditions::{FieldSelect, ValueInput};
use crate::workflow::users::UserSet;
use crate::workflow::{edit_row, remove_row, Schema};
use domain::webhook::WebhookEndpoint;
use domain::workflow::{Action, Recipient};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

/// The action types, in the order the form offers them.
const KINDS: [(&str, Wf); 5] = [
    ("set_field", Wf::ActionSetField),
    ("assign", Wf::ActionAssign),
    ("create_task", Wf::ActionCreateTask),
    ("notify", Wf::ActionNotify),
    ("call_webhook", Wf::ActionCallWebhook),
];

/// One action as the form holds it: the parts of every type, the type's in use.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionDraft {
    pub kind: String,
    pub field: String,
    pub value: String,
    pub users: Vec<Uuid>,
    pub subject: String,
    pub due_in_days: String,
    /// For tasks and notices: to the record's owner (else to `users`).
    pub to_owner: bool,
    pub message: String,
    /// The webhook endpoint a call goes to (its id).
    pub endpoint: String,
}

impl Default for ActionDraft {
    /// A new row: a notice to the owner.
    fn default() -> Self {
        ActionDraft {
            kind: "notify".into(),
            field: String::new(),
            value: String::new(),
            users: Vec::new(),
            subject: String::new(),
            due_in_days: "1".into(),
            to_owner: true,
            message: String::new(),
            endpoint: String::new(),
        }
    }
}

impl ActionDraft {
    pub fn of(a: &Action) -> ActionDraft {
        let d = ActionDraft::default();
        let to = |r: &Recipient| match r {
            Recipient::Owner => (true, Vec::new()),
            Recipient::Users { user_ids } => (false, user_ids.clone()),
        };
        match a {
            Action::SetField { field, value } => ActionDraft {
                kind: "set_field".into(),
                field: field.clone(),
                value: Schema::input_text(value),
                ..d
            },
            Action::Assign { user_ids } => ActionDraft {
                kind: "assign".into(),
                users: user_ids.clone(),
                ..d
            },
            Action::CreateTask {
                subject,
                due_in_days,
                to: r,
            } => {
                let (to_owner, users) = to(r);
                ActionDraft {
                    kind: "create_task".into(),
                    subject: subject.clone(),
                    due_in_days: due_in_days.to_string(),
                    to_owner,
                    users,
                    ..d
                }
            }
            Action::CallWebhook { endpoint_id } => ActionDraft {
                kind: "call_webhook".into(),
                endpoint: endpoint_id.to_string(),
                ..d
            },
            Action::Notify { to: r, message } => {
                let (to_owner, users) = to(r);
                ActionDraft {
                    kind: "notify".into(),
                    message: message.clone(),
                    to_owner,
                    users,
                    ..d
                }
            }
        }
    }

    fn recipient(&self) -> Recipient {
        if self.to_owner {
            Recipient::Owner
        } else {
            Recipient::Users {
                user_ids: self.users.clone(),
            }
        }
    }

    /// The action of row `n`; its missing parts are reported on the row.
    pub fn action(&self, n: usize, schema: Schema, errors: FormErrors) -> Option<Action> {
        let missing =
            |part: &str| errors.push(&format!("actions[{n}].{part}"), "required", "required");
        let to_users = match self.kind.as_str() {
            "assign" => true,
            "create_task" | "notify" => !self.to_owner,
            _ => false,
        };
        if to_users && self.users.is_empty() {
            missing("users");
        }
        Some(match self.kind.as_str() {
            "set_field" if self.field.is_empty() => {
                missing("field");
                return None;
            }
            "set_field" => Action::SetField {
                field: self.field.clone(),
                value: schema.value_of(&self.field, &self.value),
            },
            "assign" => Action::Assign {
                user_ids: self.users.clone(),
            },
            "create_task" => {
                let Ok(days) = self.due_in_days.trim().parse::<i32>() else {
                    errors.push(
                        &format!("actions[{n}].due_in_days"),
                        "integer",
                        "not a whole number",
                    );
                    return None;
                };
                Action::CreateTask {
                    subject: self.subject.trim().to_string(),
                    due_in_days: days,
                    to: self.recipient(),
                }
            }
            "call_webhook" => match self.endpoint.parse() {
                Ok(endpoint_id) => Action::CallWebhook { endpoint_id },
                Err(_) => {
                    missing("endpoint");
                    return None;
                }
            },
            _ => Action::Notify {
                to: self.recipient(),
                message: self.message.trim().to_string(),
            },
        })
    }
}

/// The rows of actions, and adding one.
#[component]
pub fn ActionRows(
    schema: Schema,
    rows: RwSignal<Vec<ActionDraft>>,
    errors: FormErrors,
) -> impl IntoView {
    let i = use_i18n();
    let part = move |n: usize, get: fn(&ActionDraft) -> String| {
        Signal::derive(move || rows.with(|v| v.get(n).map(get).unwrap_or_default()))
    };
    let settable = Signal::derive(move || schema.settable());
    // The endpoints a call may go to (admins see them all).
    let endpoints = RwSignal::new(Vec::<WebhookEndpoint>::new());
    spawn_local(async move {
        if let Ok(page) = api::webhooks::list(None).await {
            let _ = endpoints.try_set(page.data);
        }
    });
    let row = move |n: usize| {
        let kind = part(n, |a| a.kind.clone());
        let is = move |k: &'static str| move || kind.get() == k;
        let field = part(n, |a| a.field.clone());
        let to_owner = Signal::derive(move || rows.with(|v| v.get(n).is_some_and(|a| a.to_owner)));
        let users = Signal::derive(move || {
            rows.with(|v| v.get(n).map(|a| a.users.clone()).unwrap_or_default())
        });
        let set_users = Callback::new(move |u: Vec<Uuid>| edit_row(rows, n, |a| a.users = u));
        let text_input = move |class: &'static str,
                               get: fn(&ActionDraft) -> String,
                               set: fn(&mut ActionDraft, String)| {
            view! {
                <input
                    type="text"
                    class=class
                    prop:value=part(n, get)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit_row(rows, n, |a| set(a, v));
                    }
                />
            }
        };
        let recipient = move || {
            view! {
                <select
                    class="action-to"
                    aria-label=move || i.t(Wf::Recipient)
                    prop:value=move || if to_owner.get() { "owner" } else { "users" }
                    on:change=move |ev| {
                        let owner = event_target_value(&ev) == "owner";
                        edit_row(rows, n, |a| a.to_owner = owner);
                    }
                >
                    <option value="owner" selected=move || to_owner.get()>{move || i.t(Wf::ToOwner)}</option>
                    <option value="users" selected=move || !to_owner.get()>{move || i.t(Wf::ToUsers)}</option>
                </select>
                <Show when=move || !to_owner.get()>
                    <UserSet id=format!("action-{n}-users") value=users on_change=set_users />
                </Show>
            }
        };
        view! {
            <li class="action-row" class:invalid=move || errors.has(&format!("actions[{n}]")) data-index=n data-type=move || kind.get()>
                <select
                    class="action-type"
                    aria-label=move || i.t(Wf::ActionType)
                    prop:value=move || kind.get()
                    on:change=move |ev| {
                        let k = event_target_value(&ev);
                        edit_row(rows, n, |a| a.kind = k);
                    }
                >
                    {KINDS.into_iter().map(|(k, label)| view! {
                        <option value=k selected=move || kind.get() == k>{move || i.t(label)}</option>
                    }).collect_view()}
                </select>
                <Show when=is("set_field")>
                    <FieldSelect
                        schema
                        fields=settable
                        value=field
                        class="action-field"
                        on_change=Callback::new(move |f: String| edit_row(rows, n, |a| { a.field = f; a.value.clear(); }))
                    />
                    <span class="hint">{move || i.t(Wf::SetTo)}</span>
                    <ValueInput
                        schema
                        field
                        value=part(n, |a| a.value.clone())
                        class="action-value"
                        on_change=Callback::new(move |v: String| edit_row(rows, n, |a| a.value = v))
                    />
                </Show>
                <Show when=is("assign")>
                    <UserSet id=format!("action-{n}-users") value=users on_change=set_users />
                    <small class="hint">{move || i.t(Wf::AssignHint)}</small>
                </Show>
                <Show when=is("create_task")>
                    <label class="inline">{move || i.t(Wf::TaskSubject)} {text_input("action-subject", |a| a.subject.clone(), |a, v| a.subject = v)}</label>
                    <label class="inline">{move || i.t(Wf::DueInDays)} {text_input("action-due", |a| a.due_in_days.clone(), |a, v| a.due_in_days = v)}</label>
                    {recipient}
                </Show>
                <Show when=is("notify")>
                    {recipient}
                    <label class="inline wide">{move || i.t(Wf::Message)} {text_input("action-message", |a| a.message.clone(), |a, v| a.message = v)}</label>
                </Show>
                <Show when=is("call_webhook")>
                    <select
                        class="action-endpoint"
                        aria-label=move || i.t(Wf::Endpoint)
                        prop:value=part(n, |a| a.endpoint.clone())
                        on:change=move |ev| {
                            let e = event_target_value(&ev);
                            edit_row(rows, n, |a| a.endpoint = e);
                        }
                    >
                        <option value="">{move || i.t(Wf::ChooseEndpoint)}</option>
                        {move || endpoints.get().into_iter().map(|e| {
                            let id = e.id.to_string();
                            let sel = id.clone();
                            let text = if e.description.is_empty() { e.url } else { format!("{} · {}", e.description, e.url) };
                            view! { <option value=id selected=move || part(n, |a| a.endpoint.clone()).get() == sel>{text}</option> }
                        }).collect_view()}
                    </select>
                </Show>
                <button
                    type="button"
                    class="link danger remove-action"
                    on:click=move |_| remove_row(rows, n)
                >
                    {move || i.t(Wf::Remove)}
                </button>
                <FieldErrors errors field=format!("actions[{n}]") />
            </li>
        }
    };
    view! {
        <ol class="rule-rows action-rows" id="f-actions">
            <For each=move || 0..rows.with(Vec::len) key=|n| *n children=row />
        </ol>
        <button type="button" id="add-action" on:click=move |_| rows.update(|v| v.push(ActionDraft::default()))>
            {move || i.t(Wf::AddAction)}
        </button>
        <FieldErrors errors field="actions" exact=true />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_reads_back_as_the_same_draft() {
        let u = Uuid::from_u128(3);
        let actions = [
            Action::Assign { user_ids: vec![u] },
            Action::CreateTask {
                subject: "回访".into(),
                due_in_days: 3,
                to: Recipient::Owner,
            },
            Action::Notify {
                to: Recipient::Users { user_ids: vec![u] },
                message: "大单".into(),
            },
        ];
        for a in actions {
            let d = ActionDraft::of(&a);
            let back = match d.kind.as_str() {
                "assign" => Action::Assign {
                    user_ids: d.users.clone(),
                },
                "create_task" => Action::CreateTask {
                    subject: d.subject.clone(),
                    due_in_days: d.due_in_days.parse().unwrap_or_default(),
                    to: d.recipient(),
                },
                _ => Action::Notify {
                    to: d.recipient(),
                    message: d.message.clone(),
                },
            };
            assert_eq!(back, a);
        }
    }
}
