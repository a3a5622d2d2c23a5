#!/usr/bin/env bash
# `make bench`: seed a generated dataset (once per scale; KEHU_BENCH_SCALE, default large), start
# the release server on it, and in one run measure each scenario with wrk on 127.0.0.1 and — for
# reads — the same SQL with pgbench against the same database, then write BENCHMARKS.md.
# Also EXPLAINs every list and search query and fails on a sequential scan of a big table.
#
# Environment: KEHU_BENCH_SCALE (demo|small|medium|large), KEHU_BENCH_PORT (8085),
# KEHU_BENCH_SECONDS (10 per scenario under load), KEHU_BENCH_SECONDS_ONE (5, one connection),
# KEHU_BENCH_CONNECTIONS (8), KEHU_BENCH_OUT (BENCHMARKS.md).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scale=${KEHU_BENCH_SCALE:-large}
port=${KEHU_BENCH_PORT:-8085}
secs=${KEHU_BENCH_SECONDS:-10}
secs1=${KEHU_BENCH_SECONDS_ONE:-5}
conns=${KEHU_BENCH_CONNECTIONS:-8}
out=${KEHU_BENCH_OUT:-BENCHMARKS.md}
work=$root/target/bench
mkdir -p "$work"
rm -f "$work"/*.lua "$work"/*.sql "$work"/pgbench_log.*

say() { echo "bench: $*" >&2; }

# --- tools -----------------------------------------------------------------------------------
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
missing=()
command -v wrk >/dev/null || missing+=(wrk)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] && [ -x "$pgbin/pgbench" ] || missing+=(postgresql-contrib postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
psql="$pgbin/psql"
pgbench="$pgbin/pgbench"

# --- database --------------------------------------------------------------------------------
cargo build --release --locked -q
kehu=${CARGO_TARGET_DIR:-$root/target}/release/kehu
admin_url=$(scripts/pg.sh ensure run)
db="kehu_bench_$scale"
url="${admin_url%/*}/$db"
q() { "$psql" "$url" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
exists=$("$psql" "$admin_url" -XAtq -c "SELECT 1 FROM pg_database WHERE datname = '$db'")
[ "$exists" = 1 ] || "$psql" "$admin_url" -XAtq -c "CREATE DATABASE $db"
seed_log="$work/seed-$scale.log"
if [ "$(DATABASE_URL=$url "$kehu" migrate >/dev/null 2>&1; q "SELECT count(*) FROM organizations")" = 0 ]; then
  say "seeding scale $scale into $db (once; later runs reuse it)"
  DATABASE_URL=$url RUST_LOG=warn "$kehu" seed --scale "$scale" | tee "$seed_log" >&2
else
  say "reusing $db (drop the database to seed again)"
fi
db_size=$(q "SELECT pg_size_pretty(pg_database_size(current_database()))")

# --- server ----------------------------------------------------------------------------------
base="http://127.0.0.1:$port"
# Private targets: the webhook receiver below listens on 127.0.0.1.
KEHU_BIND=127.0.0.1:$port DATABASE_URL=$url KEHU_ACCESS_TTL_SECS=7200 RUST_LOG=warn \
  KEHU_LOGIN_PER_ADDRESS=1000 KEHU_WEBHOOK_PRIVATE_TARGETS=true "$kehu" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.2
done
kill -0 $server || { cat "$work/server.log" >&2; exit 1; }
token=$(curl -fs "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"demo@kehu.local","password":"kehu-demo-2026"}' | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { say "cannot sign in as demo@kehu.local"; exit 1; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
rss_max=$(rss_kb)

# --- sample values (the main organization, live records) -------------------------------------
org=$(q "SELECT org_id FROM users WHERE email = 'demo@kehu.local'")
ids() { q "SELECT id FROM $1 WHERE org_id = '$org' AND deleted_at IS NULL ORDER BY md5(id::text) LIMIT 64"; }
mapfile -t account_ids < <(ids accounts)
mapfile -t contact_ids < <(ids contacts)
owner=$(q "SELECT owner_id FROM contacts WHERE org_id = '$org' AND deleted_at IS NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
contacts_total=$(q "SELECT count(*) FROM contacts WHERE org_id = '$org' AND deleted_at IS NULL")
deep=$((contacts_total * 6 / 10))
IFS='|' read -r deep_name deep_id < <(q "SELECT name, id FROM contacts WHERE org_id = '$org' AND deleted_at IS NULL ORDER BY name, id OFFSET $deep LIMIT 1")
# The API's cursor: base64url of {"s": sort, "v": [values], "id": id}.
cursor=$(printf '{"s":"name","v":[%s],"id":"%s"}' "$(printf '%s' "$deep_name" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" "$deep_id" \
  | base64 -w0 | tr '+/' '-_' | tr -d '=')
timeline_account=$(q "SELECT account_id FROM contacts WHERE org_id = '$org' AND deleted_at IS NULL AND account_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
year=$(date -u +%Y); month=$(date -u +%-m)
qstart=$(printf '%s-%02d-01' "$year" $(( (month - 1) / 3 * 3 + 1 )))
qend=$(date -u -d "$qstart +3 months -1 day" +%F)
urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

# --- custom fields ---------------------------------------------------------------------------
# Adding a field to the entity with the most rows: a definition row, never a change of the table.
api() { curl -fsS "$base/api/v1/$2" -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "${@:3}"; }
add_ms=()
for i in 1 2 3 4 5; do
  ms=$(api POST custom-fields -o /dev/null -w '%{time_total}' \
    -d "{\"entity\":\"contacts\",\"key\":\"bench_add_$i\",\"type\":\"text\",\"label\":{\"zh\":\"字段$i\",\"en\":\"Field $i\"}}" \
    | awk '{printf "%.1f", $1 * 1000}')
  add_ms+=("$ms")
done
q "DELETE FROM custom_fields WHERE org_id = '$org' AND key LIKE 'bench\_add\_%'" >/dev/null
# A filterable number field with a value on every contact of the organization (set once, in SQL),
# and its index built by the server before the list is measured.
level_id=$(q "SELECT id FROM custom_fields WHERE org_id = '$org' AND entity = 'contacts' AND key = 'level'")
if [ -z "$level_id" ]; then
  level_id=$(api POST custom-fields -d '{"entity":"contacts","key":"level","type":"number","filterable":true,"label":{"zh":"等级分","en":"Level"}}' \
    | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
fi
index_started=$(date +%s)
until api GET "custom-fields/$level_id" | grep -q '"index":"ready"'; do
  [ $(( $(date +%s) - index_started )) -lt 900 ] || { say "the custom.level index was not built in 15 min"; exit 1; }
  sleep 1
done
index_secs=$(( $(date +%s) - index_started ))
if [ "$(q "SELECT EXISTS (SELECT FROM contacts WHERE org_id = '$org' AND custom ? 'level')")" = f ]; then
  # After the index is built: a VACUUM waits for the concurrent build, which waits for it.
  say "setting custom.level on every contact of the organization (once)"
  q "UPDATE contacts SET custom = jsonb_build_object('level', (abs(hashtext(id::text)) % 1000)::text) WHERE org_id = '$org'" >/dev/null
  q "VACUUM ANALYZE contacts" >/dev/null
fi

# --- SQL the API runs for each read: `kehu sql` prints the statements the API builds ---------
acct_cols="id, name, credit_code, industry, employees, annual_revenue, annual_revenue_currency, region, address, website, phone, source, class, owner_id, tags, version, created_at, updated_at, created_by, updated_by, deleted_at"
cont_cols="id, name, title, account_id, phones, emails, wechat, birthday, owner_id, tags, version, created_at, updated_at, created_by, updated_by, deleted_at"
live="org_id = '$org' AND deleted_at IS NULL"
sqlof() { DATABASE_URL=$url RUST_LOG=warn "$kehu" sql "$1"; }

# scenario name | method | paths (one per line) | SQL (pgbench script; empty for writes)
names=(); methods=(); paths=(); sqls=()
add() { names+=("$1"); methods+=("$2"); paths+=("$3"); sqls+=("$4"); }
gen_paths() { local p="$1"; shift; for id in "$@"; do echo "$p/$id"; done; }
gen_sql_ids() { # table cols ids...
  local t=$1 cols=$2; shift 2
  local list; list=$(printf "'%s'," "$@"); list=${list%,}
  echo "$t|$cols|$list"
}
add "GET account by id" GET "$(gen_paths /api/v1/accounts "${account_ids[@]}")" "ids:$(gen_sql_ids accounts "$acct_cols" "${account_ids[@]}")"
add "GET contact by id" GET "$(gen_paths /api/v1/contacts "${contact_ids[@]}")" "ids:$(gen_sql_ids contacts "$cont_cols" "${contact_ids[@]}")"
add "contacts: owner filter, sort -updated_at, first page" GET \
  "/api/v1/contacts?owner_id=$owner&sort=-updated_at&limit=50" \
  "$(sqlof "/contacts?owner_id=$owner&sort=-updated_at&limit=50")"
add "contacts: sort name, deep cursor page (row $deep)" GET \
  "/api/v1/contacts?sort=name&limit=50&cursor=$cursor" \
  "$(sqlof "/contacts?sort=name&limit=50&cursor=$cursor")"
add "contacts: custom field filter custom.level[gte]=990, sort -custom.level" GET \
  "/api/v1/contacts?custom.level%5Bgte%5D=990&sort=-custom.level&limit=50" \
  "$(sqlof "/contacts?custom.level[gte]=990&sort=-custom.level&limit=50")"
for term in 王芳 smith; do
  add "quick search contacts q=$term" GET "/api/v1/contacts?q=$(urlenc "$term")&limit=50" \
    "$(sqlof "/contacts?q=$term&limit=50")"
done
for term in 丰泽 华信科技 acme "pacific rim"; do
  add "global search q=$term" GET "/api/v1/search?q=$(urlenc "$term")" "$(sqlof "/search?q=$term")"
done
add "forecast this quarter by owner" GET "/api/v1/forecast?from=$qstart&to=$qend&by=owner" \
  "$(sqlof "/forecast?from=$qstart&to=$qend&by=owner")"
if curl -fs -o /dev/null "$base/api/v1/accounts/$timeline_account/timeline" -H "Authorization: Bearer $token"; then
  add "account timeline (busiest account)" GET "/api/v1/accounts/$timeline_account/timeline?limit=50" ""
fi
add "POST /accounts (create)" POST "/api/v1/accounts" ""
add "POST /contacts (create)" POST "/api/v1/contacts" ""

# --- EXPLAIN: every list, search and forecast query must use an index at this scale ----------
# `kehu plans` EXPLAINs the SQL the API builds (every sort of every list, quick and global
# search, the timeline, the forecast) as the demo admin; it fails on a sequential scan.
explain_fail=0
DATABASE_URL=$url "$kehu" plans >"$work/explain.txt" 2>&1 || explain_fail=1
plans_summary=$(tail -n 1 "$work/explain.txt")
[ $explain_fail = 0 ] || { say "sequential scans:"; cat "$work/explain.txt" >&2; }

# --- measurements ----------------------------------------------------------------------------
to_ms() { # wrk latency like 1.23ms / 456.00us / 1.20s -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
rows=()
for i in "${!names[@]}"; do
  name=${names[$i]}; method=${methods[$i]}
  lua="$work/s$i.lua"
  python3 - "$method" "$token" "$i" >"$lua" <<PY
import json, sys
method, token, idx = sys.argv[1], sys.argv[2], sys.argv[3]
paths = """${paths[$i]}""".strip().split("\n")
print("local paths = " + json.dumps(paths).replace("[", "{").replace("]", "}"))
print('wrk.headers["Authorization"] = "Bearer %s"' % token)
print('wrk.headers["Content-Type"] = "application/json"')
print("local n = 0")
# Unique per wrk run (the loaded run and the one-connection run, and every bench run), so
# created names and phones never collide with earlier ones.
print("math.randomseed(os.time())")
print("local tid = tostring((os.time() % 100000) * 1000 + math.random(0, 999))")
if method == "GET":
    print("request = function() return wrk.format('GET', paths[math.random(#paths)]) end")
elif "/accounts" in paths[0]:
    print("""request = function()
  n = n + 1
  local body = '{"name":"基准测试客户' .. tid .. 'x' .. n .. '有限公司","region":"440300","phone":"0755-8' .. string.format('%07d', n % 10000000) .. '"}'
  return wrk.format('POST', paths[1], nil, body)
end""")
else:
    print("""request = function()
  n = n + 1
  local body = '{"name":"基准联系人' .. n .. '","phones":["166' .. string.format('%08d', (tid * 7 + n) % 100000000) .. '"],"emails":["bench' .. tid .. '.' .. n .. '@example.com"]}'
  return wrk.format('POST', paths[1], nil, body)
end""")
print("""done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status, summary.requests) .. string.char(10))
end""")
PY
  say "$name"
  [ "$name" = "POST /contacts (create)" ] && contacts_lua=$lua
  res=$(wrk -t1 -c"$conns" -d"${secs}s" -s "$lua" "$base" | grep '^RESULT' || true)
  read -r _ rps p50 p99 errors total <<<"$res"
  # The same requests one at a time: what a user waits with nobody else on the machine.
  res=$(wrk -t1 -c1 -d"${secs1}s" -s "$lua" "$base" | grep '^RESULT' || true)
  read -r _ _ p50_1 p99_1 errors_1 total_1 <<<"$res"
  errors=$((errors + errors_1)); total=$((total + total_1))
  rss=$(rss_kb); [ "$rss" -gt "$rss_max" ] && rss_max=$rss
  ratio="—"; pg_tps="—"; pg_p50="—"; pg_p99="—"
  sql=${sqls[$i]}
  if [ -n "$sql" ]; then
    pgdir="$work/pg$i"; rm -rf "$pgdir"; mkdir -p "$pgdir"
    files=()
    if [[ $sql == ids:* ]]; then
      IFS='|' read -r t cols list <<<"${sql#ids:}"
      IFS=',' read -ra idl <<<"$list"
      for k in "${!idl[@]}"; do
        echo "SELECT $cols FROM $t WHERE $live AND id = ${idl[$k]};" >"$pgdir/q$k.sql"
        files+=(-f "$pgdir/q$k.sql")
      done
    else
      echo "$sql" >"$pgdir/q.sql"; files+=(-f "$pgdir/q.sql")
    fi
    (cd "$pgdir" && "$pgbench" -n -M extended -c "$conns" -j 1 -T "$secs" -l "${files[@]}" "$url" >"$pgdir/out.txt" 2>&1) || { say "pgbench failed"; cat "$pgdir/out.txt" >&2; }
    pg_tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$pgdir/out.txt" | head -n 1)
    read -r pg_p50 pg_p99 < <(cat "$pgdir"/pgbench_log.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000}')
    ratio=$(awk -v a="$rps" -v b="$pg_tps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "—" }')
  fi
  rows+=("| $name | $p50_1 | $p99_1 | $(printf '%.0f' "$rps") | $p50 | $p99 | $(printf '%s' "$pg_tps" | awk '{printf "%.0f", $1}') | $pg_p50 | $pg_p99 | $ratio | $((rss / 1024)) | $errors/$total |")
done
rss_idle_end=$(rss_kb)

# --- webhooks: the outbox's cost on a write, and event-to-delivery lag under load --------------
# Contacts created under load (as above) with the outbox trigger off (the write as it was
# before the outbox), on with no endpoint, and on with an endpoint subscribed to them whose
# receiver (127.0.0.1) logs each message's arrival against its event time.
write_run() { wrk -t1 -c"$conns" -d"${secs}s" -s "$contacts_lua" "$base" | grep '^RESULT' || true; }
q "ALTER TABLE audit_events DISABLE TRIGGER audit_events_outbox" >/dev/null
read -r _ off_rps off_p50 off_p99 _ _ <<<"$(write_run)"
q "ALTER TABLE audit_events ENABLE TRIGGER audit_events_outbox" >/dev/null
read -r _ on_rps on_p50 on_p99 _ _ <<<"$(write_run)"
hook_port=$((port + 1))
hook_log="$work/webhook-arrivals.txt"; : >"$hook_log"
# asyncio with keep-alive: a receiver that answers in well under a millisecond, so the lag
# measured is Kehu's, not the receiver's.
python3 - "$hook_port" "$hook_log" <<'PY' &
import asyncio, json, sys, time, datetime
port, log = int(sys.argv[1]), open(sys.argv[2], "a", buffering=1)
async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = await reader.readexactly(length) if length else b""
            if body:
                stamp = json.loads(body)["timestamp"].replace("Z", "+00:00")
                at = datetime.datetime.fromisoformat(stamp).timestamp()
                log.write("%.3f %.3f\n" % (time.time(), at))
            writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", port)
    await server.serve_forever()
asyncio.run(main())
PY
hook=$!
trap 'kill $server $hook 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$hook_port/" && break; sleep 0.1; done
endpoint=$(api POST webhooks -d "{\"url\":\"http://127.0.0.1:$hook_port/kehu\",\"event_types\":[\"contact.created\"],\"description\":\"bench\"}" \
  | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1)
read -r _ hook_rps hook_p50 hook_p99 _ hook_total <<<"$(write_run)"
drain_started=$(date +%s)
while [ "$(q "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = '$endpoint' AND state = 'pending'")" != 0 ]; do
  [ $(( $(date +%s) - drain_started )) -lt 120 ] || break
  sleep 0.2
done
pending_left=$(q "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = '$endpoint' AND state = 'pending'")
read -r lag_n lag_p50 lag_p99 lag_max lag_rate < <(python3 - "$hook_log" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
lags = sorted((r - a) * 1000 for r, a in rows)
span = max(r for r, _ in rows) - min(r for r, _ in rows) if len(rows) > 1 else 0
pick = lambda p: lags[min(len(lags) - 1, int(len(lags) * p))] if lags else 0
print(len(lags), "%.1f" % pick(0.5), "%.1f" % pick(0.99), "%.1f" % (lags[-1] if lags else 0),
      "%.0f" % (len(lags) / span if span else 0))
PY
)
api DELETE "webhooks/$endpoint" >/dev/null
kill $hook 2>/dev/null || true
overhead() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%+.1f%%", (a / b - 1) * 100; else print "—" }'; }

# --- report ----------------------------------------------------------------------------------
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
mem=$(free -g | awk '/Mem:/ {print $2}')
pgver=$("$psql" "$url" -XAtq -c "SHOW server_version")
shared=$("$psql" "$url" -XAtq -c "SHOW shared_buffers")
counts=$(q "SELECT string_agg(t || ' ' || n, ', ') FROM (SELECT 'organizations' AS t, count(*) AS n FROM organizations UNION ALL SELECT 'users', count(*) FROM users UNION ALL SELECT 'accounts', count(*) FROM accounts UNION ALL SELECT 'contacts', count(*) FROM contacts UNION ALL SELECT 'leads', count(*) FROM leads UNION ALL SELECT 'opportunities', count(*) FROM opportunities UNION ALL SELECT 'stage_changes', count(*) FROM stage_changes) x")
if q "SELECT to_regclass('activities') IS NOT NULL" | grep -q t; then
  counts="$counts, activities $(q 'SELECT count(*) FROM activities')"
fi
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (scripts/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)."
  echo
  echo "## Machine and dataset"
  echo
  echo "- $(nproc) cores ($cpu), ${mem} GiB RAM, $(uname -sr); shared with other work while measured."
  echo "- PostgreSQL $pgver (shared_buffers $shared, as scripts/pg.sh sizes the private \`run\` cluster: a quarter of RAM, at most 4 GB), same machine, TCP on 127.0.0.1."
  echo "- Dataset: \`kehu seed --scale $scale\` (database $db, $db_size): $counts."
  if [ -s "$seed_log" ]; then
    echo "- Load (\`kehu seed\`, COPY): $(head -n 1 "$seed_log")"
    echo
    echo '```'
    tail -n +2 "$seed_log"
    echo '```'
  fi
  echo "- Each scenario: wrk, 1 thread, $conns connections, ${secs} s, as the demo admin (sees the whole organization),"
  echo "  then one connection for ${secs1} s (\"1 conn\": one user's wait on an otherwise idle server);"
  echo "  then pgbench with the SQL the API runs for it, same connections and duration, \`-M extended\`."
  echo "  Ratio = API req/s ÷ pgbench transactions/s (the API also checks the token, and looks the caller up once per 10 s)."
  echo "- Server RSS (MiB) is read after each scenario; at the end $((rss_idle_end / 1024)) MiB, peak $((rss_max / 1024)) MiB."
  echo
  echo "## Results"
  echo
  echo "| scenario | 1 conn p50 ms | 1 conn p99 ms | API req/s | p50 ms | p99 ms | pgbench tps | pg p50 ms | pg p99 ms | API/pgbench | RSS MiB | non-2xx/requests |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "## Webhooks and the outbox"
  echo
  echo "POST /contacts under the same load as above ($conns connections, ${secs} s), three ways:"
  echo
  echo "| writes | req/s | p50 ms | p99 ms | p50 vs outbox off |"
  echo "|---|---:|---:|---:|---:|"
  echo "| outbox trigger off (the write before the outbox) | $(printf '%.0f' "$off_rps") | $off_p50 | $off_p99 | — |"
  echo "| outbox on, no endpoint | $(printf '%.0f' "$on_rps") | $on_p50 | $on_p99 | $(overhead "$on_p50" "$off_p50") |"
  echo "| outbox on, an endpoint subscribed (deliveries queued and sent meanwhile) | $(printf '%.0f' "$hook_rps") | $hook_p50 | $hook_p99 | $(overhead "$hook_p50" "$off_p50") |"
  echo
  echo "- Event-to-webhook lag (the receiver's arrival time minus the event's time, receiver on 127.0.0.1):"
  echo "  $lag_n messages for $hook_total writes, p50 $lag_p50 ms, p99 $lag_p99 ms, max $lag_max ms;"
  echo "  delivered at $lag_rate messages/s; $pending_left still pending 2 min after the load (0 = it kept up)."
  echo
  echo "## Custom fields"
  echo
  echo "- Adding a field to contacts ($contacts_total rows in the organization; POST /custom-fields, five fields one after another): ${add_ms[*]} ms."
  echo "- The index of a filterable number field on those contacts was ready ${index_secs} s after the bench looked (built concurrently by the server; 0 when an earlier run built it)."
  echo
  echo "## Query plans"
  echo
  if [ $explain_fail = 0 ]; then
    echo "\`kehu plans\` on this dataset (every sort of every list in both directions, quick and global"
    echo "search, the timeline and the forecast, as the API builds them): $plans_summary."
    echo "The plans are in target/bench/explain.txt."
  else
    echo "**Sequential scans found:**"
    echo
    echo '```'
    cat "$work/explain.txt"
    echo '```'
  fi
  # Hand-written analysis below the marker survives re-runs.
  marker='<!-- notes: kept by make bench -->'
  echo
  echo "$marker"
  if [ -f "$out" ] && grep -qF "$marker" "$out"; then
    sed -n "/$marker/,\$p" "$out" | tail -n +2
  fi
} >"$out.tmp"
mv "$out.tmp" "$out"
say "wrote $out"
cat "$out" >&2
exit $explain_fail
