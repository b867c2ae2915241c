#!/usr/bin/env python3
"""Writes Bevaka's OpenAPI 3.1 document into Sources/BevakaServer/HTTP/OpenAPIDocument.swift.

The served text is the raw JSON literal in that Swift file; this script is how
it is made, so that the shared shapes (problems, case representations) are
written once. Edit the tables below, then:

    python3 Tests/Peers/openapi_document.py            # rewrites the literal
    python3 Tests/Peers/openapi_document.py --check    # exit 1 if the literal differs
    python3 Tests/Peers/openapi_document.py --print    # the JSON on standard output

OpenAPITests keeps the document's paths and methods equal to the router's;
Tests/Peers/schemathesis_run.sh checks a running daemon against it.
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SWIFT = ROOT / "Sources/BevakaServer/HTTP/OpenAPIDocument.swift"


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    """The schema, or null."""
    if isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties, required=None, extra=False, description=None):
    """A closed object whose members are all present (the representations always write every key)."""
    schema = {"type": "object", "required": sorted(properties) if required is None else required,
              "properties": properties, "additionalProperties": extra}
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
INSTANT = {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"}
LOCAL_INSTANT = {"type": "string", "format": "date-time",
                 "description": "Europe/Stockholm wall-clock time with its offset (2026-12-14T17:00:00+01:00)"}
DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
AMOUNT = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "kronor with two decimals (öre), as text"}
STRINGS = {"type": "array", "items": STRING}
ANY = {"description": "any JSON value"}

# Text a body may carry (RequestInput.checkText, InputLimits.textProblem): no control character other
# than tab, line feed and carriage return (C0, DEL, C1), no Unicode noncharacter. The pattern lists the
# Basic Multilingual Plane's; the noncharacters U+1FFFE…U+10FFFF of the other planes are refused too.
TEXT_PATTERN = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]*$"
# Names (an owner, a member name) are at most 200 characters; an owner needs one that is not a space or tab.
OWNER_PATTERN = (r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]*"
                 r"[^\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]"
                 r"[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]*$")

SCHEMAS = {
    "Text": {"type": "string", "maxLength": 10000, "pattern": TEXT_PATTERN,
             "description": "Free text as every string in a body must be: at most 10 000 characters, no control "
                            "character but tab, line feed and carriage return, no Unicode noncharacter."},
    "MemberName": {"type": "string", "maxLength": 200, "pattern": TEXT_PATTERN,
                   "description": "A member name in a body: text of at most 200 characters."},
    "StorableValue": {
        "description": "A JSON value every string of which (member names included) may be stored. "
                       "Which members and types a workflow takes is in GET /workflows/{name}.",
        "anyOf": [ref("Text"), {"type": "number"}, BOOLEAN, {"type": "null"},
                  {"type": "array", "items": ref("StorableValue")}, ref("StorableObject")],
    },
    "StorableObject": {"type": "object", "propertyNames": ref("MemberName"),
                       "additionalProperties": ref("StorableValue")},

    "OpenCase": obj({
        "workflow": {"allOf": [ref("Text")], "description": "the workflow's name (GET /workflows); its newest version opens the case"},
        "owner": {"type": "string", "maxLength": 200, "pattern": OWNER_PATTERN,
                  "description": "who owns the case: up to 200 characters, not only spaces"},
        "fields": nullable({"allOf": [ref("StorableObject")],
                            "description": "the workflow's fields settable at opening (its `fields`); null or absent: none"}),
        "people": nullable({"type": "object", "additionalProperties": {"type": "array", "maxItems": 20, "items": ref("CasePerson")},
                            "description": "the people the case names for its workflow's roles (role → people); "
                                           "notifications to a role go to them before the directory"}),
        "unit": nullable({"allOf": [ref("Text")],
                          "description": "the HSA-id of a unit in the register (GET /register/units): it fills the "
                                         "workflow's `enhet`, `vardgivare` and `listade` the body leaves out; null or absent: none"}),
        "contract": nullable({"allOf": [ref("Text")],
                              "description": "the id of a contract in the register (GET /register/contracts), of the unit's "
                                             "provider and listing the unit if it lists any: it fills `vardgivare` and "
                                             "`avtalsomrade`; null or absent: none"}),
    }, required=["owner", "workflow"]),
    "CasePerson": obj({"name": {"allOf": [ref("Text")]}, "email": {"type": "string", "format": "email", "maxLength": 254}},
                      description="a person named on a case for a role"),
    "ApplyEvent": obj({
        "event": {"allOf": [ref("Text")],
                  "description": "an event of the case's workflow (the case's `allowedEvents`), `checklist.tick` / `checklist.untick`, "
                                 "`case.people` (payload `{role, people}`), `case.reassign` (payload `{owner}`, with a reason) or "
                                 "`case.annul` (payload `{seq}`, with a reason; the workflow's `corrections` roles)"},
        "payload": nullable({"allOf": [ref("StorableObject")],
                             "description": "the event's payload fields; for checklist.tick `{checklist, item, note}`; null or absent: none"}),
        "reason": nullable({"allOf": [ref("Text")], "description": "why; required by events whose `reason` is `required`"}),
    }, required=["event"]),
    "LinkCases": obj({
        "case": {"allOf": [ref("Text")], "description": "the id of the case to link this one to (not this one)"},
        "relation": nullable({"type": "string", "maxLength": 10000, "pattern": "^[A-Za-z][A-Za-z0-9_-]*$",
                              "description": "a name: a letter, then letters, digits, '_' or '-' (other Unicode "
                                             "letters and digits are taken too); null or absent: `related`"}),
        "reason": nullable({"allOf": [ref("Text")]}),
    }, required=["case"]),

    "FieldProblem": obj({"field": STRING, "problem": STRING}),
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details. A refused request changed nothing.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "pattern": "^urn:bevaka:problem:[a-z0-9-]+$",
                     "description": "urn:bevaka:problem:SLUG"},
            "title": STRING,
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": STRING,
            "instance": {"type": "string", "description": "the request's path"},
            "errors": {"anyOf": [{"type": "array", "items": ref("FieldProblem")}, STRINGS],
                       "description": "what is wrong: member by member (invalid-request, invalid-payload, unknown-workflow), "
                                      "or one sentence per problem, an import's with its line (register-invalid)"},
            "accepted": {**STRINGS, "description": "the events the state accepts (event-not-accepted, unknown-event)"},
            "allowedRoles": {**STRINGS, "description": "the roles that may (role-not-allowed, role-needed, team-only)"},
            "role": STRING,
            "roles": {**STRINGS, "description": "the roles the caller holds (role-not-held)"},
            "event": STRING,
            "state": STRING,
            "conditions": {**STRINGS, "description": "the conditions that failed (condition-not-met)"},
            "reasons": {**STRINGS, "description": "why not (hand-over-refused)"},
            "checklist": STRING,
            "item": STRING,
            "known": {**STRINGS, "description": "the workflows that open cases (unknown-workflow)"},
            "limit": {"type": "integer", "minimum": 1, "description": "how many feeds may be active at once (calendar-feed-limit)"},
            "deliveryStatus": {"type": "string", "enum": ["pending", "delivered", "dead", "digest", "unconfigured"],
                               "description": "where the delivery stands (delivery-not-dead)"},
        },
        "additionalProperties": False,
    },

    "Health": obj({"status": {"const": "ok"}, "pendingTimers": {"type": "integer", "minimum": 0},
                   "workflows": {"type": "integer", "minimum": 0, "description": "loaded workflow versions"}}),
    "Ready": obj({"status": {"const": "ready"}}),

    "CaseSummary": obj({
        "id": STRING,
        "workflow": STRING,
        "workflowVersion": {"type": "integer", "minimum": 1},
        "state": STRING,
        "stateTitle": nullable(STRING),
        "final": BOOLEAN,
        "owner": STRING,
        "unit": nullable({"type": "string", "description": "the HSA-id of the register's unit the case names"}),
        "contract": nullable({"type": "string", "description": "the id of the register's contract the case names"}),
        "version": {"type": "integer", "minimum": 0, "description": "grows by one with every change"},
        "createdAt": INSTANT,
        "updatedAt": INSTANT,
        "overdue": {"type": "boolean", "description": "a deadline is already past"},
        "nextDueAt": nullable(INSTANT),
        "hiddenFields": {**STRINGS, "description": "the workflow's personal fields left out for this caller "
                                                   "(none of the roles named for them); absent when none is"},
    }, required=["contract", "createdAt", "final", "id", "nextDueAt", "overdue", "owner", "state", "stateTitle", "unit",
                 "updatedAt", "version", "workflow", "workflowVersion"]),
    "Deadline": obj({
        "name": STRING, "title": nullable(STRING), "dueAt": INSTANT, "dueAtLocal": LOCAL_INSTANT,
        "expired": BOOLEAN, "overdue": BOOLEAN, "raises": nullable(STRING),
    }),
    "EventDescription": obj({
        "event": STRING,
        "title": nullable(STRING),
        "roles": STRINGS,
        "payload": {"type": "object", "additionalProperties": {"enum": ["required", "optional"]},
                    "description": "payload field → required or optional"},
        "reason": {"enum": ["none", "optional", "required"]},
    }),
    "ChecklistSummary": obj({"name": STRING, "open": BOOLEAN, "done": {"type": "integer", "minimum": 0},
                             "total": {"type": "integer", "minimum": 0}}),
    "Accrual": obj({
        "name": STRING, "running": BOOLEAN, "currency": STRING,
        "rates": {"type": "array", "items": obj({"from": DATE, "until": nullable(DATE),
                                                 "rate": {"type": "string", "description": "a decimal, as text"}})},
        "quantities": {"type": "array", "items": obj({"from": nullable(DATE), "quantity": INTEGER})},
    }),
    "CaseDetail": {
        "description": "The case: its summary and fields, derived values, deadlines, what may happen next, checklists and accruals.",
    },
    "CaseList": obj({"items": {"type": "array", "items": ref("CaseSummary")},
                     "next": nullable({"type": "string", "description": "an opaque cursor to pass as `after` for the next "
                                                                        "page (with the same `order`); null: this is the last page"})}),
    "HistoryItem": obj({
        "seq": {"type": "integer", "minimum": 1}, "at": INSTANT, "actor": STRING, "role": STRING, "event": STRING,
        "fromState": nullable(STRING), "toState": STRING, "payload": ANY, "reason": nullable(STRING),
        "notes": STRINGS, "previousHash": STRING, "hash": STRING,
        "effectiveAt": nullable({**INSTANT, "description": "when the event took effect, where its workflow says (`at` is when it was registered)"}),
        "effectiveAtLocal": nullable({"type": "string", "description": "the same in Europe/Stockholm wall-clock time"}),
    }),
    "History": obj({"caseId": STRING, "chainIntact": {"type": "boolean", "description": "the hash chain recomputes"},
                    "items": {"type": "array", "items": ref("HistoryItem")}}),
    "Ledger": obj({
        "asOf": DATE, "currency": STRING, "total": AMOUNT,
        "months": {"type": "array", "items": obj({
            "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
            "amount": AMOUNT,
            "rows": {"type": "array", "items": obj({
                "accrual": STRING, "segment": INTEGER, "from": DATE, "through": DATE,
                "days": {"type": "integer", "minimum": 0}, "daysInMonth": {"type": "integer", "minimum": 28, "maximum": 31},
                "rate": STRING, "quantity": INTEGER, "amount": AMOUNT, "currency": STRING,
            })},
        })},
    }),
    "Notification": obj({
        "id": {"type": "integer", "minimum": 1}, "createdAt": INSTANT, "type": STRING, "recipients": STRINGS,
        "webhooks": STRINGS, "template": nullable(STRING), "urgent": BOOLEAN, "deadline": nullable(STRING),
        "dueAt": nullable(INSTANT), "event": nullable(STRING), "state": STRING,
        "status": {"enum": ["pending", "delivered", "dead", "unconfigured"],
                   "description": "over all its deliveries"},
        "data": ANY,
    }),
    "Notifications": obj({"caseId": STRING, "items": {"type": "array", "items": ref("Notification")}}),
    "ChecklistItem": obj({
        "id": STRING, "title": STRING, "roles": STRINGS, "group": nullable(STRING),
        "due": {"type": "string", "description": "as written in the workflow"},
        "status": {"enum": ["waiting", "open", "overdue", "done"]},
        "dueAt": nullable(INSTANT), "dueAtLocal": nullable(LOCAL_INSTANT), "tickedAt": nullable(INSTANT),
        "tickedBy": nullable(STRING), "tickedRole": nullable(STRING), "note": nullable(STRING),
        "reminders": {"type": "integer", "minimum": 0},
    }),
    "Checklist": obj({
        "name": STRING, "title": nullable(STRING), "open": BOOLEAN, "openedAt": nullable(INSTANT),
        "closedAt": nullable(INSTANT), "closedBecause": nullable(STRING), "total": {"type": "integer", "minimum": 0},
        "counts": obj({status: {"type": "integer", "minimum": 0} for status in ["done", "overdue", "open", "waiting"]}),
        "groups": {"type": "array", "items": obj({"name": STRING, "title": nullable(STRING), "when": STRING,
                                                  "openedAt": nullable(INSTANT)})},
        "items": {"type": "array", "items": ref("ChecklistItem")},
    }),
    "Checklists": obj({"caseId": STRING, "workflow": STRING, "state": STRING,
                       "items": {"type": "array", "items": ref("Checklist")}}),
    "Link": obj({"case": STRING, "relation": STRING, "createdAt": INSTANT}),
    "Links": obj({"caseId": STRING, "items": {"type": "array", "items": ref("Link")}}),

    "Delivery": obj({
        "id": {"type": "integer", "minimum": 1},
        "kind": {"enum": ["notification", "digest", "alert"]},
        "notificationId": nullable({"type": "integer", "minimum": 1}),
        "messageId": STRING,
        "caseId": nullable(STRING),
        "channel": {"enum": ["webhook", "email"]},
        "target": {"type": "string", "description": "endpoint name or email address"},
        "type": STRING,
        "urgent": BOOLEAN,
        "status": {"enum": ["pending", "delivered", "dead", "digest", "unconfigured"]},
        "attemptCount": {"type": "integer", "minimum": 0},
        "nextAttemptAt": nullable(INSTANT),
        "heldUntil": nullable(INSTANT),
        "lastError": nullable(STRING),
        "createdAt": INSTANT,
        "deliveredAt": nullable(INSTANT),
    }),
    "DeliveryDetail": {"description": "A delivery with every attempt."},
    "DeliveryAttempt": obj({
        "attempt": {"type": "integer", "minimum": 1}, "startedAt": INSTANT, "durationMs": {"type": "integer", "minimum": 0},
        "outcome": {"enum": ["delivered", "failed", "rejected", "gone", "not-sent"]},
        "statusCode": nullable({"type": "integer", "description": "HTTP status or SMTP reply code"}),
        "error": nullable(STRING),
    }),
    "DeliveryList": obj({
        "items": {"type": "array", "items": ref("Delivery")},
        "next": nullable({"type": "string", "pattern": "^[0-9]+$", "description": "the id to pass as `before` for the next page"}),
        "counts": {"type": "object", "description": "deliveries by status",
                   "propertyNames": {"enum": ["pending", "delivered", "dead", "digest", "unconfigured"]},
                   "additionalProperties": {"type": "integer", "minimum": 0}},
    }),
    "Webhook": obj({
        "name": STRING, "url": STRING, "types": STRINGS, "personalData": BOOLEAN, "officeHours": BOOLEAN,
        "secrets": {"type": "integer", "minimum": 0, "description": "how many signing secrets (never the secrets)"},
        "connections": {"type": "integer", "minimum": 1, "maximum": 16, "description": "requests to it at once at most"},
        "enabled": BOOLEAN, "disabledAt": nullable(INSTANT), "disabledBecause": nullable(STRING),
    }),
    "Webhooks": obj({"items": {"type": "array", "items": ref("Webhook")}}),
    "WebhookEnabled": obj({"name": STRING, "enabled": {"const": True},
                           "changed": {"type": "boolean", "description": "false if it was enabled already"}}),

    "WorkflowSummary": obj({"name": STRING, "version": {"type": "integer", "minimum": 1}, "title": STRING,
                            "versions": {"type": "array", "items": {"type": "integer", "minimum": 1}}}),
    "Workflows": obj({"items": {"type": "array", "items": ref("WorkflowSummary")}}),
    "Transition": obj({"if": nullable(STRING), "to": nullable(STRING),
                       "set": {"type": "object", "additionalProperties": STRING}}),
    "DeadlineDefinition": obj({
        "name": STRING, "title": nullable(STRING), "time": nullable(STRING), "remind": STRINGS, "raises": nullable(STRING),
        "at": {"type": "string", "description": "the date field it falls on"},
        "after": {"type": "string", "description": "a duration after entering the state, or after `from`"},
        "from": {"type": "string", "description": "the field `after` counts from"},
    }, required=["name", "raises", "remind", "time", "title"]),
    "WorkflowField": obj({
        "name": STRING,
        "type": {"enum": ["string", "integer", "decimal", "boolean", "date", "datetime", "duration", "enum", "list"]},
        "required": BOOLEAN, "personal": BOOLEAN, "values": STRINGS, "title": STRING,
        "valueTitles": {"type": "object", "additionalProperties": STRING,
                        "description": "an enum field's values as people read them (a value without a title is itself)"},
        "min": {"type": "string", "description": "a number, as text"}, "max": {"type": "string", "description": "a number, as text"},
        "default": ANY,
    }, required=["name", "personal", "required", "type"]),
    "WorkflowDetail": {"description": "One version of a workflow."},
}

CASE_DETAIL_MEMBERS = {
    "fields": {"type": "object", "additionalProperties": ANY, "description": "field → value"},
    "people": {"type": "object", "additionalProperties": {"type": "array", "items": ref("CasePerson")},
               "description": "role → the people the case names for it"},
    "derived": {"type": "object", "additionalProperties": ANY, "description": "derived value → value, at the time of the answer"},
    "stateEnteredAt": INSTANT,
    "deadlines": {"type": "array", "items": ref("Deadline")},
    "allowedEvents": {"type": "array", "items": ref("EventDescription")},
    "checklists": {"type": "array", "items": ref("ChecklistSummary")},
    "accruals": {"type": "array", "items": ref("Accrual")},
}
WORKFLOW_DETAIL_MEMBERS = {
    "description": nullable(STRING),
    "dueTime": {"type": "string", "description": "the time of day deadlines fall at (HH:MM)"},
    "timeZone": {"const": "Europe/Stockholm"},
    "roles": {"type": "object", "additionalProperties": STRING, "description": "role → title"},
    "fields": {"type": "array", "items": ref("WorkflowField")},
    "derived": {"type": "array", "items": obj({"name": STRING, "expression": STRING, "type": STRING})},
    "events": {"type": "array", "items": ref("EventDescription")},
    "states": {"type": "array", "items": obj({
        "name": STRING, "title": nullable(STRING), "initial": BOOLEAN, "final": BOOLEAN,
        "deadlines": {"type": "array", "items": ref("DeadlineDefinition")},
        "on": {"type": "object", "additionalProperties": {"type": "array", "items": ref("Transition")},
               "description": "event → transitions, first whose `if` holds"},
    })},
    "anyState": {"type": "object", "additionalProperties": {"type": "array", "items": ref("Transition")}},
    "accruals": {"type": "array", "items": obj({
        "name": STRING, "title": nullable(STRING), "in": STRINGS, "when": nullable(STRING), "from": STRING,
        "until": nullable(STRING), "rate": STRING, "times": nullable(STRING), "per": {"const": "month"},
        "proration": {"enum": ["days", "whole-months"]}, "onRateChange": {"enum": ["replace", "add"]},
        "quantityChangesFrom": {"enum": ["month-start", "event-date"]}, "currency": STRING,
    })},
}


def closed_extension(base, members, description):
    """`base`'s members plus `members`, in one closed object (a closed base cannot be extended through allOf)."""
    schema = SCHEMAS[base]
    return {"description": description, "type": "object", "properties": {**schema["properties"], **members},
            "required": sorted(set(schema["required"]) | set(members)), "additionalProperties": False}


SCHEMAS["Session"] = obj(
    {"subject": STRING, "name": STRING, "kind": {"enum": ["person", "system", "development"]}, "roles": STRINGS,
     "csrfToken": {**STRING, "description": "the token a browser session's changes must carry (X-CSRF-Token or _csrf)"},
     "expiresAt": INSTANT},
    required=["kind", "name", "roles", "subject"],
    description="Who is asking; a browser session also gives its CSRF token and when it ends")
SCHEMAS["AccessLogEntry"] = obj(
    {"id": {"type": "integer", "minimum": 1}, "at": INSTANT, "subject": STRING, "name": STRING, "role": STRING,
     "caseId": STRING, "action": STRING, "client": STRING, "personalShown": BOOLEAN},
    description="One read of a case holding personal data")
SCHEMAS["AccessLog"] = obj({"items": {"type": "array", "items": ref("AccessLogEntry")},
                            "next": {"type": ["string", "null"], "description": "pass as `before` for the next page"}},
                           description="The access log, newest first")
SCHEMAS["CaseDetail"] = closed_extension("CaseSummary", CASE_DETAIL_MEMBERS, SCHEMAS["CaseDetail"]["description"])
SCHEMAS["DeliveryDetail"] = closed_extension(
    "Delivery", {"attempts": {"type": "array", "items": ref("DeliveryAttempt")}}, SCHEMAS["DeliveryDetail"]["description"])
SCHEMAS["WorkflowDetail"] = closed_extension("WorkflowSummary", WORKFLOW_DETAIL_MEMBERS, SCHEMAS["WorkflowDetail"]["description"])

# ---------------------------------------------------------------------------------------------------
# Problems: which slugs each status carries (Problem.swift, RequestInput.swift, the middlewares).

STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
               413: "Content Too Large", 415: "Unsupported Media Type", 421: "Misdirected Request",
               422: "Unprocessable Content", 429: "Too Many Requests", 503: "Service Unavailable"}

RETRY_AFTER = {"description": "seconds after which the same request may succeed",
               "schema": {"type": "string", "pattern": "^[0-9]+$"}}


def problem(status, slugs, description):
    schema = {"allOf": [ref("Problem")], "properties": {"type": {"enum": [f"urn:bevaka:problem:{s}" for s in slugs]},
                                                        "status": {"const": status}}}
    response = {"description": description + " (" + ", ".join(slugs) + ")",
                "content": {"application/problem+json": {"schema": schema}}}
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"description": 'Bearer realm="bevaka"', "schema": STRING, "required": True}}
    if status in (429, 503):
        response["headers"] = {"Retry-After": {**RETRY_AFTER, "required": status == 429}}
    return response


RESPONSES = {
    "Unauthorized": problem(401, ["unauthorized"],
                            "No bearer token, or one that is unknown, expired, revoked, forged or not meant for this API "
                            "(auth.mode tokens and oidc)"),
    "MisdirectedRequest": problem(421, ["host-not-allowed"],
                                  "The Host header is not a loopback name, the bound address or one of server.allowedHosts"),
    "TooManyAttempts": problem(429, ["too-many-attempts"],
                               "Ten refused tokens from this address within a minute: wait Retry-After seconds"),
    "RoleNotHeld": problem(403, ["role-not-held"], "Bevaka-Role names a role the caller does not hold"),
    "AdminOnly": problem(403, ["role-needed", "role-not-held"],
                         "Deliveries and webhooks are the operators': the caller does not act as admin, or Bevaka-Role "
                         "names a role not held"),
    "StorageUnavailable": problem(503, ["storage-unavailable"],
                                  "The database cannot read or take writes now (disk full, I/O error); nothing changed, "
                                  "retry after Retry-After seconds"),
    "BodyTooLarge": problem(413, ["body-too-large"], "The body is larger than 1 MiB"),
    "UnsupportedMediaType": problem(415, ["unsupported-media-type"],
                                    "The body is not sent as application/json (or a +json type) in UTF-8"),
}
ACTOR_400 = "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none)"
QUERY_400 = "an unknown query parameter, or a value out of range"


def shared(name):
    return {"$ref": f"#/components/responses/{name}"}


def json_content(schema_name):
    return {"application/json": {"schema": ref(schema_name)}}


AUTHENTICATED = [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}]
EXAMPLE_CASE = "42dc0737-fb93-44fa-bc4f-91448e9daae9"
EXAMPLES = {
    "OpenCase": {
        "kalmar": {"summary": "a unit with 8000 listed patients",
                   "value": {"workflow": "kalmar-sanktionstrappa", "owner": "anna",
                             "fields": {"enhet": "Vårdcentralen Berga", "listade": 8000}}},
    },
    "ApplyEvent": {
        "classify": {"summary": "an event with its payload",
                     "value": {"event": "klassificera",
                               "payload": {"allvarlighetsgrad": 2, "avsteg": 3, "beskrivning": "Bristande tillgänglighet i telefon"}}},
        "tick": {"summary": "tick a checklist item",
                 "value": {"event": "checklist.tick", "payload": {"checklist": "startbesok", "item": "avtal", "note": "Genomgånget"}}},
        "cancel": {"summary": "an event that needs a reason",
                   "value": {"event": "avbryt", "reason": "Avtalet startar inte"}},
    },
    "LinkCases": {
        "related": {"summary": "link to another case", "value": {"case": EXAMPLE_CASE, "relation": "related", "reason": "samma vårdgivare"}},
    },
}
IDEMPOTENCY_KEY = {"$ref": "#/components/parameters/IdempotencyKey"}
REPLAYED = {"Idempotent-Replayed": {"$ref": "#/components/headers/IdempotentReplayed"}}


def operation(operation_id, summary, tag, responses, *, authenticated=True, storage=True, parameters=None,
              body=None, description=None):
    """An operation; the problems every authenticated route can give are added here."""
    result = {"operationId": operation_id, "summary": summary, "tags": [tag]}
    if description:
        result["description"] = description
    if parameters:
        result["parameters"] = parameters
    if body:
        media = {"schema": ref(body)}
        if body in EXAMPLES:
            media["examples"] = EXAMPLES[body]
        result["requestBody"] = {"required": True, "content": {"application/json": media}}
    all_responses = dict(responses)
    if authenticated:
        all_responses.setdefault("400", problem(400, ["invalid-request"], ACTOR_400))
        all_responses["401"] = shared("Unauthorized")
        all_responses.setdefault("403", shared("RoleNotHeld"))
        all_responses["429"] = shared("TooManyAttempts")
        result["security"] = AUTHENTICATED
    else:
        result["security"] = []
    if body:
        all_responses["413"] = shared("BodyTooLarge")
        all_responses["415"] = shared("UnsupportedMediaType")
    all_responses["421"] = shared("MisdirectedRequest")
    if storage:
        all_responses.setdefault("503", shared("StorageUnavailable"))
    result["responses"] = dict(sorted(all_responses.items()))
    return result


def path_parameter(name, description, schema=None):
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema or STRING}


def query(name, description, schema):
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


CASE_ID = {**path_parameter("id", "the case's id (a lowercase UUID)"), "example": EXAMPLE_CASE}
DELIVERY_ID = path_parameter("id", "the delivery's id", {"type": "integer", "minimum": 1, "maximum": 9223372036854775807})
CASE_404 = problem(404, ["case-not-found"], "No case with that id that the caller may see (its owner, the holders of "
                                              "its workflow's roles and admins see it; to anyone else it does not exist)")
LIMIT = query("limit", "page size, 1 to 500", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50})

PATHS = {
    "/healthz": {"get": operation(
        "getHealth", "Whether the process is alive", "operations",
        {"200": {"description": "alive", "content": json_content("Health")}}, authenticated=False)},
    "/readyz": {"get": operation(
        "getReadiness", "Whether the daemon serves fully", "operations",
        {"200": {"description": "the timers are loaded and the store answers and takes writes", "content": json_content("Ready")},
         "503": {**problem(503, ["not-ready", "storage-unavailable"],
                           "The timers are still loading, the disk has under 1 MiB free, or the last write failed "
                           "for lack of space or an I/O error (until a write passes again)")}},
        authenticated=False)},
    "/metrics": {"get": operation(
        "getMetrics", "Prometheus metrics", "operations",
        {"200": {"description": "Prometheus text exposition format 0.0.4",
                 "content": {"text/plain": {"schema": STRING}}},
         "404": problem(404, ["metrics-off"], "The router was built without metrics (tests only)")},
        authenticated=False)},
    "/openapi.json": {"get": operation(
        "getOpenAPIDocument", "This document", "operations",
        {"200": {"description": "the API's OpenAPI 3.1 contract",
                 "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "info", "paths"]}}}}},
        authenticated=False, storage=False)},
    "/cases": {
        "post": operation(
            "openCase", "Open a case", "cases",
            {"201": {"description": "opened; the body is the case",
                     "headers": {"Location": {"description": "/cases/{id}", "required": True,
                                              "schema": {"type": "string", "pattern": "^/cases/[^/]+$"}}, **REPLAYED},
                     "content": json_content("CaseDetail")},
             "400": problem(400, ["invalid-request", "invalid-payload", "unknown-workflow", "register-invalid"],
                            "The body is not a JSON object of this shape, a field is missing, unknown or of the wrong type "
                            "for the workflow, no workflow of that name opens cases, `unit` or `contract` names nothing in "
                            "the register or the unit is not the contract's, or " + ACTOR_400),
             "403": problem(403, ["role-not-allowed", "role-needed", "role-not-held"],
                            "The acting role is not one of the workflow's roles, the caller holds several roles and "
                            "names none with Bevaka-Role, or Bevaka-Role names a role not held"),
             "422": problem(422, ["evaluation-failed", "idempotency-key-reused"],
                            "The case's values do not allow the opening (an expression cannot be evaluated), or the "
                            "Idempotency-Key was used for another request")},
            parameters=[IDEMPOTENCY_KEY], body="OpenCase",
            description="Opens a case of the workflow's newest version in its initial state, acting in the caller's role, "
                        "which must be one of the workflow's."),
        "get": operation(
            "listCases", "List and search cases, in creation order or by what is due", "cases",
            {"200": {"description": "a page of cases", "content": json_content("CaseList")},
             "400": problem(400, ["invalid-request"],
                            QUERY_400 + ", an unknown workflow, a `field.` with no name after it, a `q` longer than "
                            "200 characters, an `after` that is not a cursor of this order (nor a case's id), or " + ACTOR_400)},
            parameters=[
                query("workflow", "only cases of this workflow (its name; an unknown name is refused)", STRING),
                query("state", "only cases in this state", STRING),
                query("owner", "only cases with this owner", STRING),
                query("overdue", "true: only cases with a deadline already past", {"type": "boolean", "default": False}),
                query("unit", "only cases naming this unit (its HSA-id)", STRING),
                query("provider", "only cases whose unit or contract is this provider's (its id)", STRING),
                query("contract", "only cases naming this contract (its id)", STRING),
                query("board", "only cases whose contract answers to this board (its code)", STRING),
                query("area", "only cases whose contract is of this area", STRING),
                query("role", "only cases that name someone for this role among their people", STRING),
                query("diarienummer", "only cases whose `diarienummer` field is exactly this (as `field.diarienummer`)", STRING),
                query("q", "only cases with this text in a field's value, their unit's name or their state's title "
                           "(case-insensitive for ASCII letters); at most 200 characters", STRING),
                query("order", "`created`: oldest first; `due`: by the next thing due, overdue first, cases with "
                               "nothing due last", {"enum": ["created", "due"], "default": "created"}),
                {**query("field", "`field.NAME=VALUE`: only cases whose typed field NAME (any name of up to 100 "
                                  "characters after `field.`) is exactly VALUE; several are and-ed. Each is a query "
                                  "parameter of its own (an object, form-exploded), e.g. `?field.diarienummer=HSN%202026-0042`",
                         {"type": "object", "propertyNames": {"type": "string", "pattern": "^field\\.[\\s\\S]{1,100}$"},
                          "additionalProperties": STRING}),
                 "style": "form", "explode": True},
                LIMIT,
                query("after", "the `next` of the previous page (an opaque cursor, for the same `order`); in creation "
                               "order a case's id is taken too: the cases opened after it", STRING),
            ],
            description="Filters are and-ed. Besides `field.NAME`, any other query parameter is refused (400)."),
    },
    "/cases/{id}": {"parameters": [CASE_ID], "get": operation(
        "getCase", "One case", "cases",
        {"200": {"description": "the case", "content": json_content("CaseDetail")}, "404": CASE_404})},
    "/cases/{id}/events": {"parameters": [CASE_ID], "post": operation(
        "applyEvent", "Fire an event on a case", "cases",
        {"200": {"description": "applied; the body is the case after it", "headers": REPLAYED,
                 "content": json_content("CaseDetail")},
         "400": problem(400, ["invalid-request", "invalid-payload", "unknown-event"],
                        "The body is not a JSON object of this shape, the payload does not fit the event, the event is "
                        "not one of the workflow's, or " + ACTOR_400),
         "403": problem(403, ["role-not-allowed", "role-not-held"],
                        "The acting role may not fire this event (or tick this item), or Bevaka-Role names a role not held"),
         "404": CASE_404,
         "409": problem(409, ["event-not-accepted", "condition-not-met", "checklist-not-open", "checklist-item-not-open",
                              "hand-over-refused"],
                        "The case's state does not accept the event, no condition for it holds, the checklist or its "
                        "item is not open, or the case cannot move into the workflow the event hands it to"),
         "422": problem(422, ["evaluation-failed", "idempotency-key-reused"],
                        "The case's values do not allow this (an expression cannot be evaluated), or the "
                        "Idempotency-Key was used for another request")},
        parameters=[IDEMPOTENCY_KEY], body="ApplyEvent",
        description="Applies the event as the caller, in their role. `checklist.tick` with payload "
                    "`{checklist, item, note}` ticks a checklist item; `checklist.untick` (with a reason) takes a tick back.")},
    "/cases/{id}/history": {"parameters": [CASE_ID], "get": operation(
        "getCaseHistory", "The case's hash-chained history", "cases",
        {"200": {"description": "every history row with its hash", "content": json_content("History")}, "404": CASE_404})},
    "/cases/{id}/ledger": {"parameters": [CASE_ID], "get": operation(
        "getCaseLedger", "The case's sanction ledger per month", "cases",
        {"200": {"description": "the ledger as of `asOf`; `Accept: text/csv` gives it as CSV",
                 "content": {"application/json": {"schema": ref("Ledger")},
                             "text/csv": {"schema": {"type": "string"}}}},
         "400": problem(400, ["invalid-request"], "`asOf` is not a date YYYY-MM-DD, or " + ACTOR_400),
         "404": CASE_404},
        parameters=[query("asOf", "the day the ledger runs to, 1900-01-01 to 2199-12-31 (default: today in Europe/Stockholm)",
                          {**DATE, "pattern": "^(19[0-9][0-9]|2[01][0-9][0-9])-"})])},
    "/cases/{id}/notifications": {"parameters": [CASE_ID], "get": operation(
        "getCaseNotifications", "The notifications recorded for the case", "cases",
        {"200": {"description": "its outbox rows", "content": json_content("Notifications")}, "404": CASE_404})},
    "/cases/{id}/checklists": {"parameters": [CASE_ID], "get": operation(
        "getCaseChecklists", "Every checklist opened on the case", "cases",
        {"200": {"description": "the checklists with each item's status now", "content": json_content("Checklists")},
         "404": CASE_404})},
    "/cases/{id}/links": {
        "parameters": [CASE_ID],
        "get": operation(
            "getCaseLinks", "The cases linked to this one", "cases",
            {"200": {"description": "the links", "content": json_content("Links")}, "404": CASE_404}),
        "post": operation(
            "linkCases", "Link two cases", "cases",
            {"201": {"description": "linked; recorded as case.linked in both histories", "headers": REPLAYED,
                     "content": json_content("Link")},
             "400": problem(400, ["invalid-request"],
                            "The body is not a JSON object of this shape, `case` names no case the caller may see, "
                            "`relation` is not a name, or " + ACTOR_400),
             "403": problem(403, ["role-not-allowed", "role-needed", "role-not-held"],
                            "The acting role is not one of the case's workflow's roles, the caller holds several roles "
                            "and names none with Bevaka-Role, or Bevaka-Role names a role not held"),
             "404": CASE_404,
             "409": problem(409, ["link-refused"], "The cases are linked already under this relation, or it is the same case"),
             "422": problem(422, ["idempotency-key-reused"], "The Idempotency-Key was used for another request")},
            parameters=[IDEMPOTENCY_KEY], body="LinkCases"),
    },
    "/deliveries": {"get": operation(
        "listDeliveries", "Deliveries, newest first", "deliveries",
        {"200": {"description": "a page of deliveries and the counts by status", "content": json_content("DeliveryList")},
         "400": problem(400, ["invalid-request"], QUERY_400 + ", or " + ACTOR_400)},
        parameters=[
            query("status", "only deliveries in this status",
                  {"enum": ["pending", "delivered", "dead", "digest", "unconfigured"]}),
            query("case", "only deliveries for this case", STRING),
            query("before", "the `next` of the previous page: deliveries with a smaller id",
                  {"type": "integer", "minimum": -9223372036854775808, "maximum": 9223372036854775807}),
            LIMIT,
        ],
        description="Any other query parameter is refused (400).")},
    "/deliveries/{id}": {"parameters": [DELIVERY_ID], "get": operation(
        "getDelivery", "One delivery with every attempt", "deliveries",
        {"200": {"description": "the delivery", "content": json_content("DeliveryDetail")},
         "400": problem(400, ["invalid-request"], "The id is not a positive whole number, or " + ACTOR_400),
         "404": problem(404, ["delivery-not-found"], "No delivery with that id")})},
    "/deliveries/{id}/retry": {"parameters": [DELIVERY_ID], "post": operation(
        "retryDelivery", "Send a dead delivery again", "deliveries",
        {"202": {"description": "pending again, with a fresh round of attempts", "content": json_content("Delivery")},
         "400": problem(400, ["invalid-request"], "The id is not a positive whole number, or " + ACTOR_400),
         "404": problem(404, ["delivery-not-found"], "No delivery with that id"),
         "409": problem(409, ["delivery-not-dead"], "Only a dead delivery can be retried")},
        description="Takes no body.")},
    "/webhooks": {"get": operation(
        "listWebhooks", "The configured webhook endpoints", "deliveries",
        {"200": {"description": "every endpoint (never its secrets), enabled or disabled and why",
                 "content": json_content("Webhooks")}})},
    "/webhooks/{name}/enable": {
        "parameters": [path_parameter("name", "the endpoint's name in the configuration")],
        "post": operation(
            "enableWebhook", "Enable an endpoint disabled by a 410", "deliveries",
            {"200": {"description": "enabled", "content": json_content("WebhookEnabled")},
             "404": problem(404, ["webhook-not-found"], "No endpoint of that name is configured")},
            description="Takes no body.")},
    "/workflows": {"get": operation(
        "listWorkflows", "The loaded workflows", "workflows",
        {"200": {"description": "each workflow's newest version and all its versions", "content": json_content("Workflows")}},
        storage=False)},
    "/workflows/{name}": {
        "parameters": [path_parameter("name", "the workflow's name")],
        "get": operation(
            "getWorkflow", "One workflow", "workflows",
            {"200": {"description": "the workflow", "content": json_content("WorkflowDetail")},
             "400": problem(400, ["invalid-request"], "`version` is not a whole number, or " + ACTOR_400),
             "404": problem(404, ["workflow-not-found"], "No workflow of that name, or not in that version")},
            parameters=[query("version", "a version (default: the newest)",
                              {"type": "integer", "minimum": -9223372036854775808, "maximum": 9223372036854775807})],
            storage=False)},
    "/access-log": {"get": operation(
        "getAccessLog", "The access log", "access",
        {"200": {"description": "reads of cases holding personal data, newest first", "content": json_content("AccessLog")},
         "400": problem(400, ["invalid-request"], QUERY_400 + ", or " + ACTOR_400),
         "403": problem(403, ["role-needed", "role-not-held"], "Only the auditor role reads the access log")},
        parameters=[query("case", "one case's reads", STRING), query("subject", "one person's or system's reads", STRING),
                    query("from", "from this date (YYYY-MM-DD, Stockholm) or RFC 3339 instant",
                          {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}),
                    query("until", "before this date or instant",
                          {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}),
                    query("before", "entries with a smaller id (the previous page's `next`)",
                          {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}),
                    query("limit", "page size, 1 to 1000", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100})])},
    "/auth/login": {"get": operation(
        "signIn", "Sign in with the region's identity provider", "access",
        {"302": {"description": "to the provider's authorization endpoint (code flow with PKCE); sets the "
                                "__Host-bevaka_login cookie binding the sign-in to this browser",
                 "headers": {"Location": {"schema": STRING, "required": True}}},
         "404": problem(404, ["sign-in-not-configured"], "Browser sign-in is not configured (auth.oidc.web)"),
         "503": problem(503, ["identity-provider-unavailable"], "The provider's discovery document cannot be read")},
        authenticated=False, storage=False,
        parameters=[query("return", "a path on this site to come back to (anything else returns to /)", STRING)])},
    "/auth/callback": {"get": operation(
        "signInCallback", "Where the provider sends the browser back", "access",
        {"303": {"description": "signed in: a session begins (the __Host-bevaka_session cookie) and the browser goes to "
                                "the path it asked for",
                 "headers": {"Location": {"schema": STRING, "required": True}}},
         "400": problem(400, ["sign-in-failed", "sign-in-state-mismatch"],
                        "The provider refused, the answer is not this browser's or is used already, or the ID token "
                        "did not verify"),
         "404": problem(404, ["sign-in-not-configured"], "Browser sign-in is not configured (auth.oidc.web)"),
         "429": shared("TooManyAttempts")},
        authenticated=False, storage=False,
        parameters=[query("code", "the authorization code", STRING), query("state", "the sign-in's state", STRING),
                    query("error", "the provider's refusal", STRING)])},
    "/auth/session": {"get": operation(
        "getSession", "Who is signed in", "access",
        {"200": {"description": "the caller, its roles, and for a browser session its CSRF token and end",
                 "content": json_content("Session")}},
        storage=False)},
    "/auth/logout": {"post": {**operation(
        "signOut", "Log out", "access",
        {"303": {"description": "the session is revoked on the server; the browser goes to the provider's logout",
                 "headers": {"Location": {"schema": STRING, "required": True}}},
         "404": problem(404, ["sign-in-not-configured"], "Browser sign-in is not configured (auth.oidc.web)")},
        description="With a browser session: the form's `_csrf` field (or the X-CSRF-Token header) must carry the "
                    "session's token."),
        "requestBody": {"required": False, "content": {"application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {"_csrf": STRING}}}}}}},
}

# ---------------------------------------------------------------------------------------------------
# The register, the traffic light and the reports (RegisterRoutes.swift, ReportRoutes.swift).

# A register text in a PUT body: at most 400 characters; a required one not only spaces.
REGISTER_TEXT = {"type": "string", "maxLength": 400, "pattern": TEXT_PATTERN}
REGISTER_NAME = {"type": "string", "maxLength": 400, "pattern": OWNER_PATTERN,
                 "description": "at most 400 characters, not only spaces"}
LISTED = {"type": "integer", "minimum": 0, "maximum": 1000000000000}

SCHEMAS.update({
    "Board": obj({"code": STRING, "name": STRING}, description="A board (nämnd) that contracts answer to"),
    "Provider": obj({"id": STRING, "name": STRING, "group": nullable({"type": "string", "description": "its group (koncern)"})},
                    description="A care provider (vårdgivare)"),
    "ListedCount": obj({"from": DATE, "listed": {"type": "integer", "minimum": 0}},
                       description="listed patients from a date on"),
    "Unit": obj({"hsaId": STRING, "name": STRING, "provider": {"type": "string", "description": "its provider's id"},
                 "listed": {"type": "array", "items": ref("ListedCount"), "description": "oldest first"}},
                description="A care unit (vårdenhet), keyed by its HSA-id, with its listed patients over time"),
    "Contract": obj({"id": STRING, "provider": {"type": "string", "description": "its provider's id"}, "area": STRING,
                     "board": {"type": "string", "description": "its board's code"}, "start": DATE, "end": nullable(DATE),
                     "team": nullable(STRING), "units": {**STRINGS, "description": "the HSA-ids of its units"}},
                    description="A contract (avtal): its provider, area, board, period, team and units"),
    "BoardList": obj({"items": {"type": "array", "items": ref("Board")}}),
    "ProviderList": obj({"items": {"type": "array", "items": ref("Provider")}}),
    "UnitList": obj({"items": {"type": "array", "items": ref("Unit")}}),
    "ContractList": obj({"items": {"type": "array", "items": ref("Contract")}}),
    "PutBoard": obj({"name": REGISTER_NAME}),
    "PutProvider": obj({"name": REGISTER_NAME, "group": nullable(REGISTER_TEXT)}, required=["name"]),
    "PutUnit": obj({
        "name": REGISTER_NAME,
        "provider": {**REGISTER_NAME, "description": "the id of a provider in the register"},
        "listed": nullable({"type": "array", "maxItems": 1000,
                            "items": obj({"from": DATE, "listed": LISTED}),
                            "description": "counts to add or change (by `from`; each `from` once); the counts of "
                                           "other dates are kept"}),
    }, required=["name", "provider"]),
    "PutContract": obj({
        "provider": {**REGISTER_NAME, "description": "the id of a provider in the register"},
        "area": {**REGISTER_NAME, "description": "the contract's area (VV Vårdcentral, LOU, IOP, …)"},
        "board": {**REGISTER_NAME, "description": "the code of a board in the register"},
        "start": DATE,
        "end": nullable({**DATE, "description": "the last day (not before `start`); null or absent: open-ended"}),
        "team": nullable(REGISTER_TEXT),
        "units": nullable({"type": "array", "maxItems": 1000, "uniqueItems": True, "items": ref("Text"),
                           "description": "HSA-ids of the register's units of the contract's provider; the list "
                                          "replaces the contract's units"}),
    }, required=["area", "board", "provider", "start"]),
    "RegisterChange": obj({
        "at": INSTANT, "actor": STRING, "change": {"enum": ["created", "changed"]},
        "before": nullable({"type": "object", "description": "the item before (its stored members)"}),
        "after": {"type": "object", "description": "the item after (its stored members)"},
    }),
    "RegisterHistory": obj({"items": {"type": "array", "items": ref("RegisterChange"), "description": "oldest first"}}),
    "RegisterImport": obj({
        "created": {"type": "integer", "minimum": 0}, "changed": {"type": "integer", "minimum": 0},
        "unchanged": {"type": "integer", "minimum": 0},
        "dryRun": {"type": "boolean", "description": "true: checked and counted, nothing written"},
    }),
    "TrafficLight": obj({
        "colour": {"enum": ["rod", "gul", "gron"]}, "colourTitle": {"enum": ["röd", "gul", "grön"]},
        "assessedOn": DATE, "comment": STRING, "actor": STRING, "at": INSTANT,
    }, description="The team's assessment of a provider"),
    "TrafficLights": obj({"items": {"type": "array", "items": obj({
        "provider": STRING, "name": STRING, "group": nullable(STRING),
        "current": nullable({"allOf": [ref("TrafficLight")], "description": "null: not assessed"}),
        "redInGroup": {**STRINGS, "description": "the other providers of its group whose light is red"},
    }), "description": "every provider, red first, then yellow, green and not assessed, by name"}}),
    "ProviderTrafficLight": obj({
        "provider": STRING,
        "current": nullable({"allOf": [ref("TrafficLight")], "description": "null: not assessed"}),
        "history": {"type": "array", "items": ref("TrafficLight"), "description": "every assessment, newest first"},
    }),
    "SetTrafficLight": obj({
        "colour": {"enum": ["rod", "gul", "gron"]},
        "assessedOn": {**DATE, "description": "the day of the assessment (YYYY-MM-DD), not in the future"},
        "comment": {"type": "string", "maxLength": 10000,
                    "pattern": r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]*"
                               r"[^\t\n\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]"
                               r"[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]*$",
                    "description": "why: text that is not only spaces and line breaks"},
    }),
    "Report": obj({
        "id": {"type": "string", "description": "board-report, deductions or care-referral"},
        "title": STRING,
        "scope": {"type": "string", "description": "what it covers (the period, the board, the area)"},
        "tables": {"type": "array", "items": obj({
            "id": STRING, "title": STRING,
            "columns": {"type": "array", "items": obj({"id": STRING, "title": STRING})},
            "rows": {"type": "array", "items": {
                "type": "object", "additionalProperties": {"type": ["string", "integer"]},
                "description": "column id → cell: text, a count, or kronor with two decimals as text"}},
        })},
    }, description="A report: tables of cells"),
})

def team_403():
    """A fresh object each time: the CSRF step below extends a write's 403 in place."""
    return problem(403, ["role-needed", "role-not-held", "team-only"],
                   "The caller acts in no role (holds several and names none with Bevaka-Role), Bevaka-Role names a role "
                   "not held, or the role is not one of the follow-up team's (auth.teamRoles; an admin keeps the register "
                   "but does not see the traffic light)")


def role_403():
    return problem(403, ["role-needed", "role-not-held"],
                   "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a "
                   "role not held")
COLLECTIONS = [
    # path name, schema, operation-id noun, key description, list filters
    ("boards", "Board", "Board", "the board's code", []),
    ("providers", "Provider", "Provider", "the provider's id", []),
    ("units", "Unit", "Unit", "the unit's HSA-id", [query("provider", "only this provider's units (its id)", STRING)]),
    ("contracts", "Contract", "Contract", "the contract's id",
     [query("board", "only contracts answering to this board (its code)", STRING),
      query("area", "only contracts of this area", STRING)]),
]
REGISTER_PATHS = {}
for collection, schema, noun, key_description, filters in COLLECTIONS:
    key = path_parameter("key", key_description)
    not_found = problem(404, ["register-not-found"], f"No {noun.lower()} with that key in the register")
    REGISTER_PATHS[f"/register/{collection}"] = {"get": operation(
        f"list{noun}s", f"The register's {collection}", "register",
        {"200": {"description": f"every {noun.lower()}", "content": json_content(f"{noun}List")},
         "400": problem(400, ["invalid-request"], "An unknown query parameter, or " + ACTOR_400),
         "403": role_403()},
        parameters=filters or None,
        description="Anyone acting in a role reads the register. Any other query parameter is refused (400).")}
    REGISTER_PATHS[f"/register/{collection}/{{key}}"] = {
        "parameters": [key],
        "get": operation(f"get{noun}", f"One of the register's {collection}", "register",
                         {"200": {"description": f"the {noun.lower()}", "content": json_content(schema)},
                          "403": role_403(), "404": not_found}),
        "put": operation(
            f"put{noun}", f"Create or change one of the register's {collection}", "register",
            {"200": {"description": f"changed (or the same already); the body is the {noun.lower()} as stored",
                     "content": json_content(schema)},
             "201": {"description": f"created; the body is the {noun.lower()} as stored", "content": json_content(schema)},
             "400": problem(400, ["invalid-request", "register-invalid"],
                            "The body is not a JSON object of this shape (a member unknown, missing, of the wrong type, "
                            "empty or longer than 400 characters, a date not YYYY-MM-DD), the key is not text of at most "
                            "400 characters, what it refers to is not in the register (a provider, board or unit), a "
                            "contract ends before it starts or lists another provider's unit, or " + ACTOR_400),
             "403": team_403()},
            body=f"Put{noun}", parameters=[{**key, "schema": REGISTER_NAME}],
            description="The follow-up team's roles (auth.teamRoles) and admins keep the register; each change is "
                        "kept in the item's history. The key is the path's: text of at most 400 characters, not "
                        "only spaces.")}
    REGISTER_PATHS[f"/register/{collection}/{{key}}/history"] = {
        "parameters": [key],
        "get": operation(f"get{noun}History", f"Every change to one of the register's {collection}", "register",
                         {"200": {"description": "the changes, oldest first", "content": json_content("RegisterHistory")},
                          "403": role_403(), "404": not_found})}

REGISTER_PATHS["/register/import"] = {"post": {**operation(
    "importRegister", "Import boards, providers, units and contracts from CSV", "register",
    {"200": {"description": "imported (or, with dryRun, checked): how many were created, changed and unchanged",
             "content": json_content("RegisterImport")},
     "400": problem(400, ["invalid-request", "register-invalid"],
                    "`dryRun` is not true or false, an unknown query parameter, the body is not UTF-8 or holds a control "
                    "character other than tab, line feed and carriage return (or a noncharacter), the file has "
                    "problems (its header, a row's kind, cells or dates, what a row refers to: each problem with its "
                    "line; nothing is written), or " + ACTOR_400),
     "403": team_403(),
     "413": problem(413, ["body-too-large"], "The file is larger than 16 MiB"),
     "415": problem(415, ["unsupported-media-type"], "The body is not sent as text/csv")},
    parameters=[query("dryRun", "true: check and count, write nothing", {"type": "boolean", "default": False})],
    description="All or nothing. One header row naming its columns (`kind` and `key` needed; others: name, group, "
                "provider, area, board, start, end, team, units (HSA-ids separated by `;`), listed, listedFrom), then one "
                "row per board, provider, unit or contract (`kind`); a unit's listed patients over time are several "
                "rows of the unit, each with `listed` and `listedFrom`. The follow-up team's roles and admins import."),
    "requestBody": {"required": True, "content": {"text/csv": {
        "schema": {"type": "string", "description": "UTF-8 CSV (RFC 4180), at most 16 MiB"},
        "example": "kind,key,name,group,provider,area,board,start,end,team,units,listed,listedFrom\r\n"
                   "board,HSNV,Hälso- och sjukvårdsnämnd Väst,,,,,,,,,,\r\n"
                   "provider,P1,Vårdbolaget AB,Koncernen,,,,,,,,,\r\n"
                   "unit,SE2321000131-E000000000001,VC Nord,,P1,,,,,,,8000,2026-01-01\r\n"
                   "contract,A-2026-1,,,P1,VV Vårdcentral,HSNV,2026-01-01,,,SE2321000131-E000000000001,,\r\n"}}}}}

PROVIDER = path_parameter("provider", "the provider's id in the register")
PROVIDER_404 = problem(404, ["register-not-found"], "No provider with that id in the register")
TRAFFIC_LIGHT_NOTE = "Only for the follow-up team's roles (auth.teamRoles): the light is internal to the team."
REGISTER_PATHS["/traffic-lights"] = {"get": operation(
    "listTrafficLights", "Every provider's traffic light", "register",
    {"200": {"description": "each provider's current light and the red ones of its group", "content": json_content("TrafficLights")},
     "403": team_403()},
    description=TRAFFIC_LIGHT_NOTE)}
REGISTER_PATHS["/traffic-lights/{provider}"] = {
    "parameters": [PROVIDER],
    "get": operation(
        "getTrafficLight", "One provider's traffic light and its history", "register",
        {"200": {"description": "the current light and every assessment", "content": json_content("ProviderTrafficLight")},
         "403": team_403(), "404": PROVIDER_404},
        description=TRAFFIC_LIGHT_NOTE),
    "post": operation(
        "setTrafficLight", "Assess a provider", "register",
        {"201": {"description": "recorded; the history keeps every assessment", "content": json_content("TrafficLight")},
         "400": problem(400, ["invalid-request", "register-invalid"],
                        "The body is not a JSON object of this shape (`colour` not rod, gul or gron, `assessedOn` not "
                        "YYYY-MM-DD), `assessedOn` is in the future, the comment is empty, or " + ACTOR_400),
         "403": team_403(), "404": PROVIDER_404},
        body="SetTrafficLight", description=TRAFFIC_LIGHT_NOTE)}

FORMAT = query("format", "json (the default), csv (one table with its header row; several each after a line with "
                         "its title) or html (a printable Swedish page)",
               {"enum": ["json", "csv", "html"], "default": "json"})
PERIOD = [query("from", "the first day (default: 1 January this year, Stockholm)", DATE),
          query("to", "the last day, not before `from` (default: 31 December this year)", DATE)]
MONTH = {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "description": "YYYY-MM"}


def report(operation_id, summary, parameters, description):
    return {"get": operation(
        operation_id, summary, "reports",
        {"200": {"description": "the report as JSON, CSV (`format=csv`, as an attachment) or a printable page (`format=html`)",
                 "content": {"application/json": {"schema": ref("Report")}, "text/csv": {"schema": STRING},
                             "text/html": {"schema": STRING}}},
         "400": problem(400, ["invalid-request"],
                        QUERY_400 + " (a date or month not so written, a period that ends before it starts, a format "
                        "not json, csv or html), or " + ACTOR_400),
         "403": role_403()},
        parameters=parameters + [FORMAT],
        description=description + " Reports hold no personal data: anyone signed in reads them. Any other "
                                   "query parameter is refused (400).")}


REPORT_PATHS = {
    "/reports/boards": report(
        "getBoardReport", "The boards' report", PERIOD + [
            query("board", "only contracts answering to this board (its code)", STRING),
            query("area", "only contracts of this area", STRING)],
        "Overview, measures per step, summary, per board and a detail list for the contracts that run during the "
        "period; decisions count by when they took effect."),
    "/reports/deductions": report(
        "getDeductionReport", "Finance's deductions per unit and month",
        [query("from", "the first month (default: this month)", MONTH),
         query("to", "the last month, not before `from` (default: this month)", MONTH)],
        "Every running sanction per unit and month in kronor, and every month a payment was withheld."),
    "/reports/care-referral": report(
        "getCareReferralReport", "Care referral statistics", PERIOD,
        "Handling times, answers within 14 days and offers by post, for referrals whose form came in during the period."),
}
PATHS.update(REGISTER_PATHS)
PATHS.update(REPORT_PATHS)

# ---------------------------------------------------------------------------------------------------
# Calendars (CalendarRoutes.swift): a person's or a team's iCalendar feed at a secret URL.

CALENDAR_FEED_MEMBERS = {
    "id": {"type": "string", "pattern": "^[a-z2-9]{12}$", "description": "the feed's id (never its secret)"},
    "kind": {"enum": ["person", "team"]},
    "subject": nullable({"type": "string", "description": "the person whose cases it shows (a person's feed)"}),
    "team": nullable({"type": "string", "description": "the role whose deadlines and checklist items it shows (a team's feed)"}),
    "createdBy": {"type": "string", "description": "who made it: the person, or the operator (bevaka calendar create)"},
    "createdAt": INSTANT,
    "renewedAt": nullable(INSTANT),
    "revokedAt": nullable(INSTANT),
    "status": {"enum": ["active", "revoked"]},
}
SCHEMAS["CalendarFeed"] = obj(CALENDAR_FEED_MEMBERS, description="An iCalendar feed, never with its secret")
SCHEMAS["CalendarFeedWithURL"] = obj(
    {**CALENDAR_FEED_MEMBERS,
     "url": {"type": "string", "format": "uri", "pattern": "^https?://[^/]+/calendar/[A-Za-z0-9_-]{43}[.]ics$",
             "description": "the feed's address, with its secret: shown only now, to be added to a calendar program "
                            "(subscribe from the web / internet calendar)"}},
    description="A feed just made or renewed, with its address")
SCHEMAS["CalendarFeeds"] = obj({"items": {"type": "array", "items": ref("CalendarFeed")}},
                               description="The caller's feeds (made for them, or made by them for a team), newest first")
SCHEMAS["CreateCalendarFeed"] = obj(
    {"team": nullable({"type": "string", "minLength": 1, "maxLength": 200, "pattern": TEXT_PATTERN,
                       "description": "a role of the loaded workflows: the team's feed (for those who hold the role, "
                                      "or admins); null or absent: the caller's own feed"})},
    required=[], description="What feed to make; `{}` (or no body at all) for the caller's own")
FEED_ID = path_parameter("id", "the feed's id (GET /calendar/feeds)")
FEED_404 = problem(404, ["calendar-feed-not-found"], "No feed with that id that the caller may manage (their own, one "
                                                      "they made for a team; admins any)")
CALENDAR_PATHS = {
    "/calendar/feeds": {
        "post": {**operation(
            "createCalendarFeed", "Make an iCalendar feed", "calendar",
            {"201": {"description": "made; the body holds its address, which is shown only now",
                     "content": json_content("CalendarFeedWithURL")},
             "400": problem(400, ["invalid-request"],
                            "The body is not a JSON object of this shape, `team` is not a role of the loaded workflows, "
                            "or " + ACTOR_400),
             "403": problem(403, ["role-needed", "person-only", "role-not-held"],
                            "A team's feed needs its role (or admin); a system's token has no calendar; or Bevaka-Role "
                            "names a role not held"),
             "409": problem(409, ["calendar-feed-limit"], "The person (or the maker of a team's feed) has 20 active "
                                                          "feeds already: revoke one first"),
             "413": shared("BodyTooLarge"), "415": shared("UnsupportedMediaType")},
            description="A person's own feed holds the deadlines and open checklist items of the cases they own or "
                        "are named on; a team's feed (`team`) those that fall on the role (deadlines notifying it, "
                        "items it is responsible for) in every case of the workflows that have it. The address holds "
                        "a 256-bit secret; only its SHA-256 is kept."),
            "requestBody": {"required": False, "content": {"application/json": {
                "schema": ref("CreateCalendarFeed"),
                "examples": {"own": {"summary": "my own feed", "value": {}},
                             "team": {"summary": "a team's feed", "value": {"team": "teamledare"}}}}}}},
        "get": operation(
            "listCalendarFeeds", "The caller's iCalendar feeds", "calendar",
            {"200": {"description": "their feeds, active and revoked, never with their addresses",
                     "content": json_content("CalendarFeeds")},
             "400": problem(400, ["invalid-request"], QUERY_400 + ", or " + ACTOR_400)},
            description="Takes no query parameter."),
    },
    "/calendar/feeds/{id}/renew": {"parameters": [FEED_ID], "post": operation(
        "renewCalendarFeed", "Give a feed a new address", "calendar",
        {"200": {"description": "renewed: the old address answers 404 from now on; events keep their UIDs",
                 "content": json_content("CalendarFeedWithURL")},
         "404": FEED_404,
         "409": problem(409, ["calendar-feed-revoked"], "The feed is revoked: make a new one")},
        description="Takes no body. A person renewing their own feed brings the names they go by now.")},
    "/calendar/feeds/{id}": {"parameters": [FEED_ID], "delete": operation(
        "revokeCalendarFeed", "Revoke a feed", "calendar",
        {"200": {"description": "revoked (again, if it was): its address answers 404 from now on",
                 "content": json_content("CalendarFeed")},
         "404": FEED_404})},
    "/calendar/{secret}.ics": {
        "parameters": [path_parameter("secret", "the feed's secret, as its address holds it", {"type": "string", "maxLength": 200})],
        "get": operation(
            "getCalendarFeed", "An iCalendar feed", "calendar",
            {"200": {"description": "RFC 5545: a VCALENDAR (METHOD:PUBLISH) with a VTIMEZONE for Europe/Stockholm and "
                                    "one VEVENT per deadline or open checklist item, its start as Stockholm wall-clock "
                                    "time, its summary the workflow's title and the case's reference; an event that "
                                    "moved keeps its UID with a higher SEQUENCE, one that ended is sent as STATUS:CANCELLED "
                                    "for 30 days. No personal data.",
                     "content": {"text/calendar": {"schema": {"type": "string", "pattern": "^BEGIN:VCALENDAR\r\n"}}}},
             "404": problem(404, ["calendar-not-found"], "No active feed has this secret (never made, renewed or "
                                                         "revoked: the answer does not say which)")},
            authenticated=False,
            description="Needs no other authentication: the secret in the address is the credential, so calendar "
                        "programs can subscribe to it."),
    },
}
PATHS.update(CALENDAR_PATHS)

# Deliveries and webhooks are the operators' (OperatorPathsMiddleware: AccessPolicy.mayOperate).
for path, item in PATHS.items():
    if path.startswith(("/deliveries", "/webhooks")):
        for method, operation_object in item.items():
            if method != "parameters":
                operation_object["responses"]["403"] = shared("AdminOnly")
                operation_object["description"] = (operation_object.get("description", "") + " Only for callers acting as admin.").strip()

# A browser session's changes must carry its CSRF token (AuthenticationMiddleware.csrfMatches).
CSRF_403 = "csrf-token-missing"
for path, item in PATHS.items():
    for method, operation_object in item.items():
        if method not in ("post", "put", "delete") or not operation_object.get("security"):
            continue
        forbidden = operation_object["responses"].get("403")
        if forbidden is None or "$ref" in forbidden:
            slugs = {shared("RoleNotHeld")["$ref"]: ["role-not-held"], shared("AdminOnly")["$ref"]: ["role-needed", "role-not-held"]}
            base = slugs.get((forbidden or {}).get("$ref"), [])
            operation_object["responses"]["403"] = problem(
                403, base + [CSRF_403], "Bevaka-Role names a role the caller does not hold, the caller may not do this, or "
                                        "a browser session's request lacks its CSRF token")
        else:
            forbidden["content"]["application/problem+json"]["schema"]["properties"]["type"]["enum"].append(
                f"urn:bevaka:problem:{CSRF_403}")
            forbidden["description"] = forbidden["description"][:-1] + ", " + CSRF_403 + ")"

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Bevaka",
        "version": "1",
        "summary": "Contract follow-up cases as durable state machines: deadlines, notifications, sanctions.",
        "description": (
            "Bodies are UTF-8 JSON sent as `Content-Type: application/json`. Every refusal is RFC 9457 "
            "`application/problem+json` with a `type` of `urn:bevaka:problem:SLUG`, and changes nothing. "
            "Instants are UTC (RFC 3339); `…Local` ones are Europe/Stockholm wall-clock time. "
            "Every answer carries `X-Content-Type-Options: nosniff`, `Cache-Control: no-store`, "
            "`Referrer-Policy: no-referrer`, `X-Frame-Options: DENY` and `Content-Security-Policy: "
            "default-src 'none'; frame-ancestors 'none'`.\n\n"
            "Who acts depends on `auth.mode`: with `tokens` or `oidc` every operation but /healthz, /readyz, "
            "/metrics, /openapi.json, the sign-in pages and a calendar feed (whose address holds its secret) needs a bearer token (`bearerAuth`) or a browser session "
            "(`sessionCookie`, with `auth.oidc.web`); in the development mode `none` reads "
            "need nothing and the writes that record an actor (POST /cases, /cases/{id}/events, /cases/{id}/links) "
            "name who acts with `Bevaka-Actor` and `Bevaka-Role` (`developmentHeaders`).\n\n"
            "A case is visible to its owner, the holders of its workflow's roles and admins; to anyone else it does "
            "not exist (404), and lists leave it out. Personal fields are shown only to the roles the workflow names "
            "for them (`hiddenFields` names those left out). Deliveries and webhooks are for the `admin` role. "
            "The register and the reports are read by anyone signed in; the register is kept by the follow-up "
            "team's roles (`auth.teamRoles`) and admins, and the traffic light is the team's alone (403 team-only)."),
    },
    "tags": [
        {"name": "cases", "description": "Cases, their events, history, ledger, notifications, checklists and links"},
        {"name": "deliveries", "description": "Emails and webhooks: what was sent, what waits, what died"},
        {"name": "workflows", "description": "The loaded workflow definitions"},
        {"name": "operations", "description": "Probes, metrics and this document; no authentication"},
        {"name": "access", "description": "Signing in, sessions and the access log"},
        {"name": "register", "description": "Boards, providers, units and contracts with their history, and the team's "
                                            "traffic light per provider"},
        {"name": "reports", "description": "The boards' report, finance's deductions and the care-referral statistics"},
        {"name": "calendar", "description": "iCalendar feeds of a person's or a team's deadlines and checklist items, at "
                                            "secret addresses that can be renewed and revoked"},
    ],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": RESPONSES,
        "parameters": {
            "IdempotencyKey": {
                "name": "Idempotency-Key", "in": "header", "required": False,
                "description": "Makes the write happen once: the key, the answer and the change are committed together, "
                               "so the same request sent again with the same key gets the first answer "
                               "(`Idempotent-Replayed: true`) and changes nothing; the same key with another body, or "
                               "in another role, is 422 idempotency-key-reused. Keys are kept 24 hours, per caller "
                               "and path. 1 to 200 visible ASCII characters (a UUID, say), sent once.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[\\x21-\\x7E]+$"},
            },
        },
        "headers": {
            "IdempotentReplayed": {
                "description": "`true` when this is the kept answer to an earlier request with the same Idempotency-Key",
                "schema": {"const": "true"},
            },
        },
        "securitySchemes": {
            "bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "`auth.mode: tokens` or `oidc`. A Bevaka API token (`bvk_…`, made by `bevaka token "
                               "create`; it acts as `token:NAME` in its role: a workflow role, `admin` or `auditor`), or with `oidc` a JWT access token from "
                               "the region's OpenID provider (issuer, audience, expiry and scope are checked; groups "
                               "and client ids map to roles). One who holds several roles names the one they act in "
                               "with the `Bevaka-Role` header (403 role-not-held for another); the `Bevaka-Actor` "
                               "header is refused (400).",
            },
            "sessionCookie": {
                "type": "apiKey", "in": "cookie", "name": "__Host-bevaka_session",
                "description": "`auth.mode: oidc` with `auth.oidc.web`: a browser session begun at /auth/login. "
                               "Requests that change something must carry the session's CSRF token "
                               "(`X-CSRF-Token`, or the form field `_csrf`; GET /auth/session gives it), else 403 "
                               "csrf-token-missing.",
            },
            "developmentHeaders": {
                "type": "apiKey", "in": "header", "name": "Bevaka-Actor",
                "description": "Development mode only (`auth.mode: none`, the daemon listens on loopback only): "
                               "`Bevaka-Actor` names who acts (at most 200 characters) and the `Bevaka-Role` header "
                               "the role they act in (one role name); both are trusted as sent. Reads need neither.",
            },
        },
    },
}


def dump(value, indent=0, prefix=0, width=120):
    """JSON with a value on one line when it fits in `width` (after `prefix` characters), else one member per line."""
    flat = json.dumps(value, ensure_ascii=False)
    if indent + prefix + len(flat) <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key)}: {dump(item, indent + 2, len(json.dumps(key)) + 2, width)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [inner + dump(item, indent + 2, 0, width) for item in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def render():
    return dump(DOCUMENT) + "\n"


def literal(text):
    return "".join(("    " + line if line else line) + "\n" for line in text.splitlines())


def main():
    text = render()
    json.loads(text)
    if "\"\"\"#" in text:
        raise SystemExit("the document would close the Swift raw string literal")
    if "--print" in sys.argv:
        sys.stdout.write(text)
        return
    swift = SWIFT.read_text()
    pattern = re.compile(r'(static let text = #"""\n)(.*?)(    """#)', re.S)
    match = pattern.search(swift)
    if not match:
        raise SystemExit(f"{SWIFT}: no `static let text = #\"\"\"` literal found")
    updated = swift[:match.start(2)] + literal(text) + swift[match.end(2):]
    if "--check" in sys.argv:
        if updated != swift:
            raise SystemExit(f"{SWIFT} differs from {pathlib.Path(__file__).name}; run it to rewrite the literal")
        return
    SWIFT.write_text(updated)


if __name__ == "__main__":
    main()
