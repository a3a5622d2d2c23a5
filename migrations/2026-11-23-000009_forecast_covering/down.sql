DROP INDEX opportunities_forecast_open;
DROP INDEX opportunities_forecast_won;
CREATE INDEX opportunities_forecast_open ON opportunities (org_id, expected_close) WHERE deleted_at IS NULL AND status = 'open';
CREATE INDEX opportunities_forecast_won ON opportunities (org_id, closed_at) WHERE deleted_at IS NULL AND status = 'won';
