// Diesel table definitions; they mirror migrations/ (the API tests exercise every column).

diesel::table! {
    organizations (id) {
        id -> Uuid,
        name -> Text,
        locale -> Text,
        created_at -> Timestamptz,
        neglect_days -> Int4,
    }
}

diesel::table! {
    departments (id) {
        id -> Uuid,
        org_id -> Uuid,
        parent_id -> Nullable<Uuid>,
        name -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        org_id -> Uuid,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        department_id -> Uuid,
        active -> Bool,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_login_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        org_id -> Uuid,
        user_id -> Uuid,
        family_id -> Uuid,
        token_hash -> Bytea,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Uuid,
        org_id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        prefix -> Text,
        secret_hash -> Bytea,
        scopes -> Array<Text>,
        created_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    accounts (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        name_key -> Text,
        credit_code -> Nullable<Text>,
        industry -> Nullable<Text>,
        employees -> Nullable<Int4>,
        annual_revenue -> Nullable<Numeric>,
        annual_revenue_currency -> Nullable<Text>,
        region -> Nullable<Text>,
        address -> Nullable<Text>,
        website -> Nullable<Text>,
        phone -> Nullable<Text>,
        source -> Nullable<Text>,
        class -> Text,
        owner_id -> Nullable<Uuid>,
        tags -> Array<Text>,
        search_text -> Text,
        search_grams -> Array<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        created_by -> Uuid,
        updated_by -> Uuid,
        deleted_at -> Nullable<Timestamptz>,
        deleted_by -> Nullable<Uuid>,
        last_activity_at -> Nullable<Timestamptz>,
        neglect_at -> Timestamptz,
        custom -> Jsonb,
        pool_id -> Nullable<Uuid>,
        recycle_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    contacts (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        title -> Nullable<Text>,
        account_id -> Nullable<Uuid>,
        phones -> Array<Text>,
        emails -> Array<Text>,
        wechat -> Nullable<Text>,
        birthday -> Nullable<Date>,
        owner_id -> Uuid,
        tags -> Array<Text>,
        search_text -> Text,
        search_grams -> Array<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        created_by -> Uuid,
        updated_by -> Uuid,
        deleted_at -> Nullable<Timestamptz>,
        deleted_by -> Nullable<Uuid>,
        custom -> Jsonb,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Uuid,
        org_id -> Uuid,
        entity -> Text,
        entity_id -> Uuid,
        action -> Text,
        actor_id -> Nullable<Uuid>,
        at -> Timestamptz,
        changes -> Jsonb,
        record -> Nullable<Jsonb>,
    }
}

diesel::table! {
    events (seq) {
        seq -> Int8,
        id -> Uuid,
        org_id -> Uuid,
        entity -> Text,
        entity_id -> Uuid,
        action -> Text,
        actor_id -> Nullable<Uuid>,
        at -> Timestamptz,
        changes -> Jsonb,
        txid -> Int8,
        record -> Nullable<Jsonb>,
    }
}

diesel::table! {
    list_views (id) {
        id -> Uuid,
        org_id -> Uuid,
        owner_id -> Uuid,
        entity -> Text,
        name -> Text,
        query -> Text,
        shown -> Array<Text>,
        shared -> Bool,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    custom_fields (id) {
        id -> Uuid,
        org_id -> Uuid,
        entity -> Text,
        key -> Text,
        field_type -> Text,
        label_zh -> Text,
        label_en -> Text,
        help_zh -> Nullable<Text>,
        help_en -> Nullable<Text>,
        required -> Bool,
        unique_values -> Bool,
        default_value -> Nullable<Jsonb>,
        min_value -> Nullable<Numeric>,
        max_value -> Nullable<Numeric>,
        min_length -> Nullable<Int4>,
        max_length -> Nullable<Int4>,
        options -> Jsonb,
        target -> Nullable<Text>,
        section -> Nullable<Text>,
        position -> Int4,
        filterable -> Bool,
        searchable -> Bool,
        active -> Bool,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        created_by -> Uuid,
        updated_by -> Uuid,
        formula -> Nullable<Text>,
        rollup -> Nullable<Jsonb>,
    }
}

diesel::table! {
    product_categories (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        parent_id -> Nullable<Uuid>,
        position -> Int4,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    products (id) {
        id -> Uuid,
        org_id -> Uuid,
        code -> Text,
        name -> Text,
        spec -> Nullable<Text>,
        model -> Nullable<Text>,
        unit -> Nullable<Text>,
        unit_price -> Nullable<Numeric>,
        currency -> Nullable<Text>,
        remarks -> Nullable<Text>,
        active -> Bool,
        category_id -> Nullable<Uuid>,
        custom -> Jsonb,
        search_text -> Text,
        search_grams -> Array<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        created_by -> Uuid,
        updated_by -> Uuid,
        deleted_at -> Nullable<Timestamptz>,
        deleted_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    idempotency_keys (org_id, user_id, key) {
        org_id -> Uuid,
        user_id -> Uuid,
        key -> Text,
        request_hash -> Bytea,
        status -> Int4,
        location -> Nullable<Text>,
        body -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    pipelines (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        is_default -> Bool,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    stages (id) {
        id -> Uuid,
        org_id -> Uuid,
        pipeline_id -> Uuid,
        name -> Text,
        position -> Int4,
        probability -> Int4,
        kind -> Text,
    }
}

diesel::table! {
    opportunities (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        account_id -> Uuid,
        contact_id -> Nullable<Uuid>,
        amount -> Nullable<Numeric>,
        currency -> Nullable<Text>,
        expected_close -> Nullable<Date>,
        pipeline_id -> Uuid,
        stage_id -> Uuid,
        status -> Text,
        probability -> Int4,
        probability_overridden -> Bool,
        source -> Nullable<Text>,
        campaign_id -> Nullable<Uuid>,
        competitors -> Array<Text>,
        close_reason -> Nullable<Text>,
        lost_reason -> Nullable<Text>,
        closed_at -> Nullable<Timestamptz>,
        owner_id -> Uuid,
        tags -> Array<Text>,
        search_text -> Text,
        search_grams -> Array<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        created_by -> Uuid,
        updated_by -> Uuid,
        deleted_at -> Nullable<Timestamptz>,
        deleted_by -> Nullable<Uuid>,
        custom -> Jsonb,
    }
}

diesel::table! {
    stage_changes (id) {
        id -> Uuid,
        org_id -> Uuid,
        opportunity_id -> Uuid,
        from_stage_id -> Nullable<Uuid>,
        to_stage_id -> Uuid,
        actor_id -> Uuid,
        at -> Timestamptz,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    picklists (org_id, name) {
        org_id -> Uuid,
        name -> Text,
        values -> Jsonb,
        version -> Int4,
        updated_at -> Timestamptz,
        updated_by -> Uuid,
    }
}

diesel::table! {
    regions (code) {
        code -> Text,
        parent_code -> Nullable<Text>,
        level -> Int2,
        name_zh -> Text,
        name_en -> Text,
    }
}

diesel::table! {
    leads (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        company -> Nullable<Text>,
        title -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        region -> Nullable<Text>,
        address -> Nullable<Text>,
        industry -> Nullable<Text>,
        source -> Nullable<Text>,
        description -> Nullable<Text>,
        status -> Text,
        disqualify_reason -> Nullable<Text>,
        converted_at -> Nullable<Timestamptz>,
        converted_by -> Nullable<Uuid>,
        account_id -> Nullable<Uuid>,
        contact_id -> Nullable<Uuid>,
        opportunity_id -> Nullable<Uuid>,
        owner_id -> Uuid,
        tags -> Array<Text>,
        search_text -> Text,
        search_grams -> Array<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        created_by -> Uuid,
        updated_by -> Uuid,
        deleted_at -> Nullable<Timestamptz>,
        deleted_by -> Nullable<Uuid>,
        custom -> Jsonb,
    }
}

diesel::table! {
    activities (id) {
        id -> Uuid,
        org_id -> Uuid,
        kind -> Text,
        subject -> Text,
        body -> Nullable<Text>,
        entity -> Text,
        entity_id -> Uuid,
        account_id -> Nullable<Uuid>,
        occurred_at -> Nullable<Timestamptz>,
        due_at -> Nullable<Timestamptz>,
        status -> Nullable<Text>,
        reminder_at -> Nullable<Timestamptz>,
        owner_id -> Uuid,
        tags -> Array<Text>,
        search_text -> Text,
        search_grams -> Array<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        created_by -> Uuid,
        updated_by -> Uuid,
        deleted_at -> Nullable<Timestamptz>,
        deleted_by -> Nullable<Uuid>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    departments,
    users,
    refresh_tokens,
    api_keys,
    accounts,
    contacts,
    pipelines,
    stages,
    opportunities,
    stage_changes,
    picklists,
    regions,
    leads,
    activities,
    audit_events,
    events,
    list_views,
    custom_fields,
    product_categories,
    products,
    idempotency_keys,
);

diesel::table! {
    auth_limits (key) {
        key -> Bytea,
        window_start -> Timestamptz,
        hits -> Int4,
    }
}

diesel::table! {
    search_reindex (table_name) {
        table_name -> Text,
        after_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    jobs (id) {
        id -> Uuid,
        org_id -> Nullable<Uuid>,
        kind -> Text,
        payload -> Jsonb,
        dedupe_key -> Nullable<Text>,
        state -> Text,
        run_at -> Timestamptz,
        attempt -> Int4,
        max_attempts -> Int4,
        last_error -> Nullable<Text>,
        claimed_by -> Nullable<Text>,
        lease_until -> Nullable<Timestamptz>,
        done -> Int8,
        total -> Nullable<Int8>,
        result -> Nullable<Jsonb>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Uuid,
        org_id -> Uuid,
        url -> Text,
        description -> Text,
        event_types -> Array<Text>,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_expires_at -> Nullable<Timestamptz>,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        version -> Int4,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        org_id -> Uuid,
        endpoint_id -> Uuid,
        message_id -> Uuid,
        event_type -> Text,
        event_seq -> Nullable<Int8>,
        entity_id -> Nullable<Uuid>,
        payload -> Nullable<Jsonb>,
        state -> Text,
        attempts -> Int4,
        next_at -> Timestamptz,
        leased_until -> Nullable<Timestamptz>,
        last_status -> Nullable<Int4>,
        last_error -> Nullable<Text>,
        last_latency_ms -> Nullable<Int4>,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    webhook_attempts (delivery_id, attempt) {
        delivery_id -> Uuid,
        attempt -> Int4,
        at -> Timestamptz,
        status -> Nullable<Int4>,
        latency_ms -> Int4,
        error -> Nullable<Text>,
        response -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    webhook_endpoints,
    webhook_deliveries,
    webhook_attempts
);

diesel::table! {
    job_schedules (id) {
        id -> Uuid,
        org_id -> Nullable<Uuid>,
        kind -> Text,
        payload -> Jsonb,
        cron -> Text,
        utc_offset_minutes -> Int4,
        next_run_at -> Timestamptz,
        last_queued_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        org_id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        entity -> Nullable<Text>,
        entity_id -> Nullable<Uuid>,
        params -> Jsonb,
        dedupe_key -> Text,
        read_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notification_preferences (user_id, kind, channel) {
        user_id -> Uuid,
        kind -> Text,
        channel -> Text,
        enabled -> Bool,
    }
}

diesel::table! {
    chat_bots (id) {
        id -> Uuid,
        org_id -> Uuid,
        platform -> Text,
        name -> Text,
        url -> Text,
        secret -> Nullable<Text>,
        kinds -> Array<Text>,
        enabled -> Bool,
        version -> Int4,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    chat_messages (id) {
        id -> Uuid,
        bot_id -> Uuid,
        notification_id -> Uuid,
        state -> Text,
        post_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    chat_posts (id) {
        id -> Uuid,
        bot_id -> Uuid,
        at -> Timestamptz,
        messages -> Int4,
        digest -> Bool,
        status -> Nullable<Int4>,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    account_pools (id) {
        id -> Uuid,
        org_id -> Uuid,
        name -> Text,
        department_id -> Nullable<Uuid>,
        rules -> Jsonb,
        warn_days -> Int4,
        daily_claims -> Int4,
        max_held -> Nullable<Int4>,
        reclaim_days -> Int4,
        rules_since -> Timestamptz,
        version -> Int4,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    pool_claims (id) {
        id -> Uuid,
        org_id -> Uuid,
        pool_id -> Uuid,
        account_id -> Uuid,
        user_id -> Uuid,
        by_id -> Uuid,
        at -> Timestamptz,
    }
}

diesel::table! {
    pool_releases (id) {
        id -> Uuid,
        org_id -> Uuid,
        pool_id -> Uuid,
        account_id -> Uuid,
        owner_id -> Uuid,
        by_id -> Nullable<Uuid>,
        reason -> Nullable<Text>,
        at -> Timestamptz,
    }
}

diesel::table! {
    workflow_rules (id) {
        id -> Uuid,
        org_id -> Uuid,
        entity -> Text,
        name -> Text,
        description -> Text,
        trigger -> Text,
        date_field -> Nullable<Text>,
        offset_days -> Int4,
        checked_until -> Nullable<Timestamptz>,
        fields -> Array<Text>,
        conditions -> Jsonb,
        changed -> Nullable<Jsonb>,
        actions -> Jsonb,
        enabled -> Bool,
        assigned -> Int8,
        version -> Int4,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    workflow_runs (id) {
        id -> Uuid,
        org_id -> Uuid,
        rule_id -> Uuid,
        event_seq -> Int8,
        entity -> Text,
        entity_id -> Uuid,
        action -> Text,
        changes -> Jsonb,
        depth -> Int4,
        state -> Text,
        effects -> Jsonb,
        error -> Nullable<Text>,
        attempts -> Int4,
        leased_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    mail_messages (id) {
        id -> Uuid,
        notification_id -> Uuid,
        user_id -> Uuid,
        state -> Text,
        attempts -> Int4,
        next_at -> Timestamptz,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    approval_processes (id) {
        id -> Uuid,
        org_id -> Uuid,
        entity -> Text,
        name -> Text,
        conditions -> Jsonb,
        guards -> Jsonb,
        fields -> Array<Text>,
        steps -> Jsonb,
        cc -> Array<Uuid>,
        enabled -> Bool,
        version -> Int4,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    approvals (id) {
        id -> Uuid,
        org_id -> Uuid,
        process_id -> Uuid,
        entity -> Text,
        entity_id -> Uuid,
        state -> Text,
        spent -> Bool,
        step -> Int4,
        steps -> Jsonb,
        cc -> Array<Uuid>,
        proposed -> Jsonb,
        holds -> Jsonb,
        submitted_by -> Uuid,
        submitted_at -> Timestamptz,
        decided_at -> Nullable<Timestamptz>,
        version -> Int4,
    }
}

diesel::table! {
    approval_tasks (id) {
        id -> Uuid,
        approval_id -> Uuid,
        step -> Int4,
        position -> Int4,
        approver_id -> Uuid,
        state -> Text,
        comment -> Nullable<Text>,
        acted_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    approval_events (id) {
        id -> Uuid,
        approval_id -> Uuid,
        action -> Text,
        actor_id -> Nullable<Uuid>,
        target_id -> Nullable<Uuid>,
        step -> Int4,
        comment -> Nullable<Text>,
        at -> Timestamptz,
    }
}
