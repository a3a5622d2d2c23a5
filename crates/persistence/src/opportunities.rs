//! Opportunities: deals in a pipeline. Stages change only through `move_stage`, which records
//! every change (who, when, from, to, why). The forecast over them is [`crate::forecast`].

use crate::custom_values;
use crate::list::{Field, Kind, ListRequest, Spec};
use crate::records;
use crate::references::{self, Ref};
use crate::schema::{opportunities, stage_changes};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::OPPORTUNITIES as SPEC;
use crate::{pipelines, StoreError};
use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::sql_types;
use diesel::{
    ExpressionMethods, QueryDsl, Queryable, QueryableByName, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::account::Account;
use domain::activity::EntityType;
use domain::contact::Contact;
use domain::custom::CustomValues;
use domain::list::Page;
use domain::opportunity::{
    MoveRequest, Opportunity, OpportunityInput, OpportunityPatch, StageChange,
};
use domain::pipeline::{Stage, StageKind};
use uuid::Uuid;

// Where `plans` (and other callers of old) find the forecast's SQL.

/// The collection, as custom field definitions name it.
const ENTITY: &str = "opportunities";

/// Stage changes of one opportunity, newest first.
pub static STAGE_HISTORY: Spec = Spec {
    table: "stage_changes",
    select: "id, opportunity_id, from_stage_id, to_stage_id, actor_id, at, reason",
    fields: &[
        Field::new("at", Kind::Timestamp).sortable(),
        Field::new("actor_id", Kind::Uuid),
        Field::new("to_stage_id", Kind::Uuid),
    ],
    default_sort: "-at",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[persistence_macros::stored(
    record = Opportunity,
    input = OpportunityInput,
    values = OpportunityValues,
    table = opportunities,
    entity = "opportunity",
    spec = SPEC,
    insert(pipeline_id: Uuid, stage_id: Uuid, status: String)
)]
#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = opportunities)]
pub struct OpportunityRow {
    id: Uuid,
    name: String,
    account_id: Uuid,
    contact_id: Option<Uuid>,
    #[stored(money = "currency")]
    amount: Option<BigDecimal>,
    currency: Option<String>,
    expected_close: Option<NaiveDate>,
    #[stored(read)]
    pipeline_id: Uuid,
    #[stored(read)]
    stage_id: Uuid,
    #[stored(read, text_enum)]
    status: String,
    #[stored(param)]
    probability: i32,
    #[stored(param)]
    probability_overridden: bool,
    source: Option<String>,
    campaign_id: Option<Uuid>,
    competitors: Vec<String>,
    #[stored(read)]
    close_reason: Option<String>,
    #[stored(read)]
    lost_reason: Option<String>,
    #[stored(read)]
    closed_at: Option<DateTime<Utc>>,
    #[stored(param)]
    owner_id: Uuid,
    tags: Vec<String>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    created_by: Uuid,
    updated_by: Uuid,
    deleted_at: Option<DateTime<Utc>>,
    custom: serde_json::Value,
}

#[derive(QueryableByName)]
pub struct StageChangeRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    opportunity_id: Uuid,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    from_stage_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Uuid)]
    to_stage_id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    actor_id: Uuid,
    #[diesel(sql_type = sql_types::Timestamptz)]
    at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    reason: Option<String>,
}

impl From<StageChangeRow> for StageChange {
    fn from(r: StageChangeRow) -> Self {
        StageChange {
            id: r.id,
            opportunity_id: r.opportunity_id,
            from_stage_id: r.from_stage_id,
            to_stage_id: r.to_stage_id,
            actor_id: r.actor_id,
            at: r.at,
            reason: r.reason,
        }
    }
}

impl crate::list::HasId for StageChange {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// A write's values: the probability is the stage's unless overridden while the deal is open.
fn values(
    input: &OpportunityInput,
    owner_id: Uuid,
    stage: &Stage,
    written: &custom_values::Written,
) -> OpportunityValues {
    OpportunityValues::new(
        input,
        written,
        probability(input.probability, stage),
        input.probability.is_some() && stage.kind == StageKind::Open,
        owner_id,
    )
}

/// A closed deal is certain either way; an open one takes the override or its stage's default.
fn probability(overridden: Option<i32>, stage: &Stage) -> i32 {
    match stage.kind {
        StageKind::Won => 100,
        StageKind::Lost => 0,
        StageKind::Open => overridden.unwrap_or(stage.probability),
    }
}

/// The account and contact must be live and visible to the caller.
async fn check_links(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    account: Uuid,
    contact: Option<Uuid>,
) -> Result<(), StoreError> {
    if let Err(StoreError::NotFound) = records::get::<Account>(conn, scope, account).await {
        return Err(StoreError::invalid(
            "account_id",
            "account",
            "no such account visible to you",
        ));
    }
    if let Some(contact) = contact {
        if let Err(StoreError::NotFound) = records::get::<Contact>(conn, scope, contact).await {
            return Err(StoreError::invalid(
                "contact_id",
                "contact",
                "no such contact visible to you",
            ));
        }
    }
    Ok(())
}

async fn record_stage_change(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    opportunity_id: Uuid,
    from: Option<Uuid>,
    to: Uuid,
    at: DateTime<Utc>,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    diesel::insert_into(stage_changes::table)
        .values((
            stage_changes::id.eq(Uuid::now_v7()),
            stage_changes::org_id.eq(scope.org_id),
            stage_changes::opportunity_id.eq(opportunity_id),
            stage_changes::from_stage_id.eq(from),
            stage_changes::to_stage_id.eq(to),
            stage_changes::actor_id.eq(scope.user_id),
            stage_changes::at.eq(at),
            stage_changes::reason.eq(reason),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Normalizes `input` and checks its source against the picklist: every bad field at once.
pub async fn validate(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    before: Option<&CustomValues>,
    input: &mut OpportunityInput,
) -> Result<(), StoreError> {
    let mut errors = input.normalize().err().unwrap_or_default();
    custom_values::check(conn, scope, ENTITY, before, &mut input.custom, &mut errors).await?;
    let refs = [
        Ref::Pick {
            field: "source",
            list: "source",
            key: input.source.as_deref(),
        },
        Ref::Campaign {
            field: "campaign_id",
            id: input.campaign_id,
        },
    ];
    references::check(conn, scope.org_id, errors, &refs).await
}

/// Creates an opportunity in an open stage (the pipeline's first unless given).
pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &OpportunityInput,
) -> Result<Opportunity, StoreError> {
    let owner = input.owner_id.unwrap_or(scope.user_id);
    records::check_owner(conn, scope, owner).await?;
    check_links(conn, scope, input.account_id, input.contact_id).await?;
    let pipeline = match input.pipeline_id {
        Some(id) => pipelines::get(conn, scope.org_id, id)
            .await
            .map_err(|_| StoreError::invalid("pipeline_id", "pipeline", "no such pipeline"))?,
        None => pipelines::default_pipeline(conn, scope.org_id).await?,
    };
    let stage = match input.stage_id {
        Some(id) => pipeline
            .stages
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or_else(|| {
                StoreError::invalid("stage_id", "stage", "not a stage of the pipeline")
            })?,
        None => pipeline
            .stages
            .iter()
            .find(|s| s.kind == StageKind::Open)
            .cloned()
            .ok_or_else(|| StoreError::Conflict("the pipeline has no open stage".into()))?,
    };
    if stage.kind != StageKind::Open {
        return Err(StoreError::invalid(
            "stage_id",
            "stage",
            "new opportunities start in an open stage; close them with /move",
        ));
    }
    let now = Utc::now();
    let id = Uuid::now_v7();
    let written = custom_values::written(conn, scope, ENTITY, id, None, input).await?;
    let opportunity = values(input, owner, &stage, &written)
        .insert(
            conn,
            scope,
            id,
            now,
            pipeline.id,
            stage.id,
            stage.kind.as_str().to_string(),
        )
        .await?;
    record_stage_change(conn, scope, id, None, stage.id, now, None).await?;
    records::created(conn, scope, &opportunity, now).await?;
    Ok(opportunity)
}

/// Applies a patch at `expected` version (`None`: `If-Match: *`). Run inside a transaction.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: OpportunityPatch,
) -> Result<Opportunity, StoreError> {
    let before: Opportunity = records::load(conn, scope, id, false, true).await?;
    StoreError::check_version(before.version, expected)?;
    let mut input = OpportunityInput::from(&before);
    input.apply(patch);
    validate(conn, scope, Some(&before.custom), &mut input).await?;
    let owner = input.owner_id.unwrap_or(before.owner_id);
    if owner != before.owner_id {
        records::check_owner(conn, scope, owner).await?;
    }
    let written =
        custom_values::written(conn, scope, ENTITY, id, Some(&before.custom), &input).await?;
    if input.account_id != before.account_id || input.contact_id != before.contact_id {
        check_links(conn, scope, input.account_id, input.contact_id).await?;
    }
    let (_, stage) = pipelines::stage(conn, scope.org_id, before.stage_id).await?;
    let now = Utc::now();
    let after = values(&input, owner, &stage, &written)
        .update(conn, scope, id, now)
        .await?;
    if after.account_id != before.account_id {
        crate::activities::moved(
            conn,
            scope,
            EntityType::OPPORTUNITY,
            id,
            Some(before.account_id),
            Some(after.account_id),
        )
        .await?;
    }
    records::updated(conn, scope, &before, &after, now).await?;
    Ok(after)
}

/// Moves the deal to another stage (of any of the organization's pipelines). Winning or losing
/// needs a reason; reopening clears the close. Run inside a transaction.
pub async fn move_stage(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    req: &MoveRequest,
) -> Result<Opportunity, StoreError> {
    let before: Opportunity = records::load(conn, scope, id, false, true).await?;
    StoreError::check_version(before.version, expected)?;
    let (pipeline_id, stage) = pipelines::stage(conn, scope.org_id, req.stage_id)
        .await
        .map_err(|_| StoreError::invalid("stage_id", "stage", "no such stage"))?;
    if stage.id == before.stage_id {
        return Err(StoreError::Conflict(format!(
            "the opportunity is already in stage `{}`",
            stage.name
        )));
    }
    let reason = req
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let closing = stage.kind != StageKind::Open;
    if closing && reason.is_none() {
        return Err(StoreError::invalid(
            "reason",
            "required",
            "say why the deal was won or lost",
        ));
    }
    let lost_reason = req.lost_reason.as_deref().map(str::trim);
    if lost_reason.is_some() && stage.kind != StageKind::Lost {
        return Err(StoreError::invalid(
            "lost_reason",
            "stage",
            "only a deal moved to a lost stage has a lost reason",
        ));
    }
    references::check(
        conn,
        scope.org_id,
        Vec::new(),
        &[Ref::Pick {
            field: "lost_reason",
            list: "lost_reason",
            key: lost_reason,
        }],
    )
    .await?;
    let overridden = (before.probability_overridden && !closing).then_some(before.probability);
    let now = Utc::now();
    let row: OpportunityRow = diesel::update(
        opportunities::table
            .filter(opportunities::id.eq(id))
            .filter(opportunities::org_id.eq(scope.org_id)),
    )
    .set((
        opportunities::pipeline_id.eq(pipeline_id),
        opportunities::stage_id.eq(stage.id),
        opportunities::status.eq(stage.kind.as_str()),
        opportunities::probability.eq(probability(overridden, &stage)),
        opportunities::probability_overridden.eq(overridden.is_some()),
        opportunities::close_reason.eq(if closing { reason } else { None }),
        opportunities::lost_reason.eq(lost_reason),
        opportunities::closed_at.eq(closing.then_some(now)),
        opportunities::version.eq(opportunities::version + 1),
        opportunities::updated_at.eq(now),
        opportunities::updated_by.eq(scope.user_id),
    ))
    .returning(OpportunityRow::as_returning())
    .get_result(conn)
    .await?;
    record_stage_change(
        conn,
        scope,
        id,
        Some(before.stage_id),
        stage.id,
        now,
        reason,
    )
    .await?;
    let after: Opportunity = row.into();
    records::updated(conn, scope, &before, &after, now).await?;
    Ok(after)
}

/// The stage changes of an opportunity the caller can see, newest first.
pub async fn stage_history(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    req: &ListRequest,
) -> Result<Page<StageChange>, StoreError> {
    records::get::<Opportunity>(conn, scope, id).await?;
    let mut only = Sql::new(" AND opportunity_id = ");
    only.bind(Bind::Uuid(id));
    // Visibility was checked on the opportunity; the changes themselves carry no owner.
    crate::list::fetch::<StageChangeRow, StageChange>(conn, &STAGE_HISTORY, scope, req, Some(only))
        .await
}

/// `AND account_id = …`: narrows an opportunity list to one account.
pub fn at_account(account_id: Uuid) -> Sql {
    let mut sql = Sql::new(" AND account_id = ");
    sql.bind(Bind::Uuid(account_id));
    sql
}

crate::writable_by_module!(
    Opportunity,
    OpportunityInput,
    OpportunityPatch,
    without_force
);
