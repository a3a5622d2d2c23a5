//! Pipelines and their stages: organization configuration, read by every opportunity write.

use crate::schema::{pipelines, stages};
use crate::StoreError;
use chrono::Utc;
use diesel::{ExpressionMethods, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::pipeline::{Pipeline, PipelineInput, Stage, StageKind, DEFAULT_STAGES};
use uuid::Uuid;

#[derive(Queryable, Selectable)]
#[diesel(table_name = pipelines)]
struct PipelineRow {
    id: Uuid,
    name: String,
    is_default: bool,
    version: i32,
    created_at: chrono::DateTime<Utc>,
    updated_at: chrono::DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = stages)]
struct StageRow {
    id: Uuid,
    pipeline_id: Uuid,
    name: String,
    position: i32,
    probability: i32,
    kind: String,
}

impl StageRow {
    fn stage(&self) -> Stage {
        Stage {
            id: self.id,
            name: self.name.clone(),
            position: self.position,
            probability: self.probability,
            kind: StageKind::parse(&self.kind).unwrap_or_default(),
        }
    }
}

/// The organization's pipelines with their stages in order, the default first.
pub async fn list(conn: &mut AsyncPgConnection, org_id: Uuid) -> Result<Vec<Pipeline>, StoreError> {
    let rows: Vec<PipelineRow> = pipelines::table
        .filter(pipelines::org_id.eq(org_id))
        .order((pipelines::is_default.desc(), pipelines::name, pipelines::id))
        .select(PipelineRow::as_select())
        .load(conn)
        .await?;
    let stage_rows: Vec<StageRow> = stages::table
        .filter(stages::org_id.eq(org_id))
        .order((stages::pipeline_id, stages::position))
        .select(StageRow::as_select())
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| Pipeline {
            stages: stage_rows
                .iter()
                .filter(|s| s.pipeline_id == p.id)
                .map(StageRow::stage)
                .collect(),
            id: p.id,
            name: p.name,
            is_default: p.is_default,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        })
        .collect())
}

pub async fn get(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Pipeline, StoreError> {
    list(conn, org_id)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(StoreError::NotFound)
}

/// A stage of the organization, with its pipeline's id.
pub async fn stage(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<(Uuid, Stage), StoreError> {
    let row: StageRow = stages::table
        .filter(stages::org_id.eq(org_id))
        .filter(stages::id.eq(id))
        .select(StageRow::as_select())
        .first(conn)
        .await?;
    Ok((row.pipeline_id, row.stage()))
}

/// Creates a pipeline with its stages; a new default replaces the old one.
pub async fn create(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    input: &PipelineInput,
) -> Result<Pipeline, StoreError> {
    if input.is_default {
        diesel::update(pipelines::table.filter(pipelines::org_id.eq(org_id)))
            .set(pipelines::is_default.eq(false))
            .execute(conn)
            .await?;
    }
    let now = Utc::now();
    let id = Uuid::now_v7();
    diesel::insert_into(pipelines::table)
        .values((
            pipelines::id.eq(id),
            pipelines::org_id.eq(org_id),
            pipelines::name.eq(&input.name),
            pipelines::is_default.eq(input.is_default),
            pipelines::created_at.eq(now),
            pipelines::updated_at.eq(now),
        ))
        .execute(conn)
        .await
        .map_err(|e| match crate::error::unique_violation(&e) {
            Some(_) => StoreError::taken("name", "a pipeline with this name exists"),
            None => e.into(),
        })?;
    let rows: Vec<_> = input
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                stages::id.eq(Uuid::now_v7()),
                stages::org_id.eq(org_id),
                stages::pipeline_id.eq(id),
                stages::name.eq(s.name.clone()),
                stages::position.eq(i as i32 + 1),
                stages::probability.eq(s.probability),
                stages::kind.eq(s.kind.as_str()),
            )
        })
        .collect();
    diesel::insert_into(stages::table)
        .values(rows)
        .execute(conn)
        .await?;
    get(conn, org_id, id).await
}

/// The default pipeline of a new organization, named in its language.
pub async fn create_default(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    locale: &str,
) -> Result<Pipeline, StoreError> {
    let en = locale == "en";
    let input = PipelineInput {
        name: if en {
            "Standard sales process"
        } else {
            "标准销售流程"
        }
        .into(),
        is_default: true,
        stages: DEFAULT_STAGES
            .iter()
            .map(
                |(_, zh, en_name, probability, kind)| domain::pipeline::StageInput {
                    name: if en { *en_name } else { *zh }.into(),
                    probability: *probability,
                    kind: *kind,
                },
            )
            .collect(),
    };
    create(conn, org_id, &input).await
}

/// The pipeline new opportunities go to.
pub async fn default_pipeline(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
) -> Result<Pipeline, StoreError> {
    list(conn, org_id)
        .await?
        .into_iter()
        .find(|p| p.is_default)
        .ok_or_else(|| StoreError::Conflict("the organization has no default pipeline".into()))
}
