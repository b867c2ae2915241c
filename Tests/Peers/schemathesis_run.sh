#!/usr/bin/env bash
# Checks a running daemon against its own OpenAPI document (/openapi.json) with
# schemathesis, every check on: status codes, content types, headers and bodies
# against the document, invalid input refused, valid input not refused for its
# shape, authentication enforced, and no 5xx. It must find nothing.
#
#   Tests/Peers/schemathesis_run.sh            (make schemathesis builds first)
#
# A daemon of .build/debug/bevaka (BEVAKA_BIN) serves the shipped workflows on a free
# loopback port from a fresh database in auth.mode tokens, with one API token
# (`bevaka token create --role handlaggare`, one of the follow-up team's roles) and a few
# cases, a link and their notifications, a person's calendar feed, a register (boards, providers, units, contracts,
# put one by one and imported as CSV), a traffic light and a case in the register made
# first, so that the answers checked hold real data. The run is
# bounded: SCHEMATHESIS_MAX_EXAMPLES test cases per operation and phase (default 100, about 30 s),
# SCHEMATHESIS_SEED fixes the data (default 1, so a failure can be re-run as it was).
# What the run is configured to tolerate, and why, is in schemathesis.toml beside this,
# and for the register, the traffic light and the reports in the entries written below.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION=4.32.5
BIN=${BEVAKA_BIN:-.build/debug/bevaka}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-100}
SEED=${SCHEMATHESIS_SEED:-1}
PEERS=$PWD/Tests/Peers

[ -x "$BIN" ] || { echo "schemathesis_run: no $BIN; build first (swift build --product bevaka)" >&2; exit 1; }
# The python3 that pip installed it for (make test-peers, .ci/run), whatever is on PATH.
installed=$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true)
if [ "$installed" != "$SCHEMATHESIS_VERSION" ]; then
    echo "schemathesis_run: schemathesis $SCHEMATHESIS_VERSION is needed (python3 -m pip install 'schemathesis==$SCHEMATHESIS_VERSION'), found: ${installed:-none}" >&2
    exit 1
fi

work=$(mktemp -d /tmp/bevaka-schemathesis.XXXXXX)
daemon=""
cleanup() {
    if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
database="$work/bevaka.sqlite"
# trustedProxies: see schemathesis_hooks.py (each test case comes from an address of its own).
# A webhook endpoint on a closed loopback port, tried twice: its deliveries die within
# seconds, so /webhooks, /deliveries and a retry answer with real data.
echo "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" > "$work/webhook.secret"
cat > "$work/bevaka.yaml" <<YAML
auth: { mode: tokens }
server: { trustedProxies: [127.0.0.1] }
delivery: { retry: [0s, 1s], jitter: 0 }
webhooks:
  arendesystem: { url: "http://127.0.0.1:9/hooks", secretFiles: ["$work/webhook.secret"], types: ["case.*"], officeHours: false }
YAML

token=$("$BIN" token create --name schemathesis --role handlaggare --database "$database" --workflows Workflows 2>/dev/null)
# Deliveries and webhooks are the admin's: their operations are called with this one.
admin_token=$("$BIN" token create --name schemathesis-admin --role admin --database "$database" --workflows Workflows 2>/dev/null)
# A person's calendar feed (a token has no calendar of its own, so an operator makes it), for GET /calendar/{secret}.ics:
# anna owns the first case seeded below, so her feed holds its deadline.
calendar=$("$BIN" calendar create --subject anna --database "$database" --workflows Workflows 2>/dev/null)
calendar_secret=${calendar#/calendar/}
calendar_secret=${calendar_secret%.ics}
"$BIN" serve --config "$work/bevaka.yaml" --workflows Workflows --database "$database" --host 127.0.0.1 --port "$port" \
    --log-level warning 2> "$work/daemon.log" &
daemon=$!

# Wait for it, then make the data the answers are checked with.
python3 - "$base" "$token" "$admin_token" "$work/dictionaries.toml" "$calendar_secret" <<'PY'
import json, sys, time, urllib.error, urllib.request

base, token, admin_token, dictionaries_file, calendar_secret = sys.argv[1:6]
for _ in range(300):
    try:
        urllib.request.urlopen(base + "/healthz", timeout=1)
        break
    except (urllib.error.URLError, OSError):
        time.sleep(0.1)
else:
    sys.exit("schemathesis_run: the daemon did not answer /healthz")

def call(method, path, body=None, expect=(200, 201), bearer=token):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + bearer, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    if status not in expect:
        sys.exit(f"schemathesis_run: seeding {method} {path} answered {status}: {text[:500]!r}")
    return json.loads(text)

kalmar = "kalmar-sanktionstrappa"
first = call("POST", "/cases", {"workflow": kalmar, "owner": "anna", "fields": {"enhet": "VC Berga", "listade": 8000}})["id"]
call("POST", f"/cases/{first}/events", {"event": "klassificera", "payload": {"allvarlighetsgrad": 2, "avsteg": 3}})
call("POST", f"/cases/{first}/events",
     {"event": "skickaBegaranOmRattelse", "payload": {"begaranSkickad": time.strftime("%Y-%m-%d"), "planSenast": "2099-12-14"}})
second = call("POST", "/cases", {"workflow": kalmar, "owner": "bo", "fields": {"enhet": "VC Torsås", "listade": 3000}})["id"]
call("POST", f"/cases/{first}/links", {"case": second, "relation": "related", "reason": "samma vårdgivare"})
third = call("POST", "/cases", {"workflow": "vgr-ny-vardgivare", "owner": "cecilia",
                                "fields": {"vardgivare": "Vårdbolaget AB", "enhet": "VC Nord", "driftstart": "2099-03-01"}})["id"]
call("POST", f"/cases/{third}/events", {"event": "bokaStartbesok", "payload": {"startbesokDatum": "2099-02-01"}})
call("POST", f"/cases/{third}/events", {"event": "checklist.tick", "payload": {"checklist": "startbesok", "item": "avtal", "note": "ok"}})

# The register: one of each put by key, more imported as CSV (a key that is not ASCII among
# them, asked for percent-encoded), a traffic light, and a case naming a unit and a contract.
unit, contract = "SE2321000131-E000000000001", "A-2026-1"
call("PUT", "/register/boards/HSNV", {"name": "Hälso- och sjukvårdsnämnden Väst"})
call("PUT", "/register/providers/P1", {"name": "Vårdbolaget AB", "group": "Koncernen"})
call("PUT", f"/register/units/{unit}", {"name": "VC Nord", "provider": "P1", "listed": [{"from": "2026-01-01", "listed": 8000}]})
call("PUT", f"/register/contracts/{contract}",
     {"provider": "P1", "area": "VV Vårdcentral", "board": "HSNV", "start": "2026-01-01", "units": [unit]})
csv = ("kind,key,name,group,provider,area,board,start,end,team,units,listed,listedFrom\r\n"
       "board,HSNÖ,Hälso- och sjukvårdsnämnden Öst,,,,,,,,,,\r\n"
       "provider,P2,Vårdbolaget Syd AB,Koncernen,,,,,,,,,\r\n"
       "unit,SE2321000131-E000000000002,VC Syd,,P2,,,,,,,3000,2026-01-01\r\n"
       "unit,SE2321000131-E000000000002,VC Syd,,P2,,,,,,,3200,2026-07-01\r\n"
       "contract,Avtal Öst 2026,,,P2,LOU,HSNÖ,2026-01-01,2099-12-31,team-ost,SE2321000131-E000000000002,,\r\n")
for dry in ("true", "false"):
    request = urllib.request.Request(base + f"/register/import?dryRun={dry}", method="POST", data=csv.encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "text/csv; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=10) as response:
        counts = json.loads(response.read())
    if counts["created"] != 4:
        sys.exit(f"schemathesis_run: seeding the register import (dryRun={dry}) answered {counts}")
call("POST", "/traffic-lights/P1", {"colour": "rod", "assessedOn": time.strftime("%Y-%m-%d"), "comment": "Brister i tillgängligheten"})
call("POST", "/cases", {"workflow": kalmar, "owner": "dan", "unit": unit, "contract": contract})

# The values schemathesis draws from besides its own (dictionaries in its configuration).
workflows = [item["name"] for item in call("GET", "/workflows")["items"]]
events = sorted({event["event"] for name in workflows for event in call("GET", f"/workflows/{name}")["events"]}
                | {"checklist.tick", "checklist.untick"})
deliveries = []
for _ in range(50):  # the endpoint's deliveries die after two attempts a second apart
    deliveries = [item["id"] for item in call("GET", "/deliveries?status=dead", bearer=admin_token)["items"]]
    if deliveries:
        break
    time.sleep(0.2)
dictionaries = {"cases": [first, second, third], "workflows": workflows, "events": events,
                "deliveries": deliveries or [1], "webhooks": ["arendesystem"],
                "boards": ["HSNV", "HSNÖ"], "providers": ["P1", "P2"], "units": [unit, "SE2321000131-E000000000002"],
                "contracts": [contract, "Avtal Öst 2026"], "calendars": [calendar_secret],
                "roles": sorted({role for name in workflows for role in call("GET", f"/workflows/{name}")["roles"]})}
with open(dictionaries_file, "w") as out:
    for name, values in dictionaries.items():
        out.write(f"\n[dictionaries.{name}]\nvalues = {json.dumps(values, ensure_ascii=False)}\n")
    # The register's keys, drawn often. Well-formed data the register refuses is its documented
    # answer, not a defect: a unit or contract naming a provider, board or unit it does not hold
    # (400 register-invalid), a traffic light assessed on a day still to come (400), a CSV whose
    # rows are not the register's (400), a report period that ends before it starts (400 invalid-request).
    data_statuses = '["2xx", "400", "401", "403", "404", "409", "429"]'
    for collection in ("boards", "providers", "units", "contracts"):
        body = {"units": {"body.provider": "providers"},
                "contracts": {"body.provider": "providers", "body.board": "boards"}}.get(collection, {})
        parameters = ", ".join([f'"path.key" = {{ dictionary = "{collection}", probability = 0.8 }}']
                               + [f'"{name}" = {{ dictionary = "{values}", probability = 0.8 }}' for name, values in body.items()])
        out.write(f'\n[[operations]]\ninclude-path-regex = "^/register/{collection}/"\nparameters = {{ {parameters} }}\n'
                  f"checks.positive_data_acceptance.expected-statuses = {data_statuses}\n")
    out.write('\n[[operations]]\ninclude-path-regex = "^/traffic-lights/"\n'
              'parameters = { "path.provider" = { dictionary = "providers", probability = 0.8 } }\n'
              f"checks.positive_data_acceptance.expected-statuses = {data_statuses}\n")
    out.write('\n[[operations]]\ninclude-operation-id = "importRegister"\n'
              f"checks.positive_data_acceptance.expected-statuses = {data_statuses}\n")
    out.write('\n[[operations]]\ninclude-operation-id = "getCalendarFeed"\n'
              'parameters = { "path.secret" = { dictionary = "calendars", probability = 0.8 } }\n')
    # A team's feed names a role: which roles the workflows have is data (400 invalid-request for
    # another); the run's token is a system's, which has no calendar of its own (403 person-only).
    out.write('\n[[operations]]\ninclude-operation-id = "createCalendarFeed"\n'
              'parameters = { "body.team" = { dictionary = "roles", probability = 0.8 } }\n'
              f"checks.positive_data_acceptance.expected-statuses = {data_statuses}\n")
    out.write('\n[[operations]]\ninclude-path-regex = "^/reports/"\n'
              f"checks.positive_data_acceptance.expected-statuses = {data_statuses}\n")
PY

echo "schemathesis $SCHEMATHESIS_VERSION against $base (daemon log: kept in $work/daemon.log during the run)"
started=$(date +%s)
status=0
cat "$PEERS/schemathesis.toml" "$work/dictionaries.toml" > "$work/schemathesis.toml"
# Run from the scratch folder: schemathesis keeps a .schemathesis cache where it runs.
(cd "$work" && BEVAKA_TOKEN=$token BEVAKA_ADMIN_TOKEN=$admin_token SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$PEERS${PYTHONPATH:+:$PYTHONPATH}" \
    python3 -m schemathesis.cli --config-file "$work/schemathesis.toml" run "$base/openapi.json" --checks all \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 1 --no-color "$@") || status=$?
echo "schemathesis took $(( $(date +%s) - started )) s"
if [ "$status" -ne 0 ]; then
    echo "--- the daemon's log (warnings and errors) ---"
    tail -n 50 "$work/daemon.log"
fi
exit "$status"
