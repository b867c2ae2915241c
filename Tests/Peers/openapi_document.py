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
            "errors": {"type": "array", "items": ref("FieldProblem"),
                       "description": "what is wrong, member by member (invalid-request, invalid-payload, unknown-workflow)"},
            "accepted": {**STRINGS, "description": "the events the state accepts (event-not-accepted, unknown-event)"},
            "allowedRoles": {**STRINGS, "description": "the roles that may (role-not-allowed)"},
            "role": STRING,
            "roles": {**STRINGS, "description": "the roles the caller holds (role-not-held)"},
            "event": STRING,
            "state": STRING,
            "conditions": {**STRINGS, "description": "the conditions that failed (condition-not-met)"},
            "reasons": {**STRINGS, "description": "why not (hand-over-refused)"},
            "checklist": STRING,
            "item": STRING,
            "known": {**STRINGS, "description": "the workflows that open cases (unknown-workflow)"},
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
        "version": {"type": "integer", "minimum": 0, "description": "grows by one with every change"},
        "createdAt": INSTANT,
        "updatedAt": INSTANT,
        "overdue": {"type": "boolean", "description": "a deadline is already past"},
        "nextDueAt": nullable(INSTANT),
        "hiddenFields": {**STRINGS, "description": "the workflow's personal fields left out for this caller "
                                                   "(none of the roles named for them); absent when none is"},
    }, required=["createdAt", "final", "id", "nextDueAt", "overdue", "owner", "state", "stateTitle", "updatedAt",
                 "version", "workflow", "workflowVersion"]),
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
                     "next": nullable({"type": "string", "description": "the id to pass as `after` for the next page"})}),
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
             "400": problem(400, ["invalid-request", "invalid-payload", "unknown-workflow"],
                            "The body is not a JSON object of this shape, a field is missing, unknown or of the wrong type "
                            "for the workflow, no workflow of that name opens cases, or " + ACTOR_400),
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
            "listCases", "List cases in creation order", "cases",
            {"200": {"description": "a page of cases", "content": json_content("CaseList")},
             "400": problem(400, ["invalid-request"],
                            QUERY_400 + ", an unknown workflow, an `after` that names no case, or " + ACTOR_400)},
            parameters=[
                query("workflow", "only cases of this workflow (its name; an unknown name is refused)", STRING),
                query("state", "only cases in this state", STRING),
                query("owner", "only cases with this owner", STRING),
                query("overdue", "true: only cases with a deadline already past", {"type": "boolean", "default": False}),
                LIMIT,
                query("after", "the `next` of the previous page: the cases opened after this one", STRING),
            ],
            description="Any other query parameter is refused (400)."),
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
        if method != "post" or not operation_object.get("security"):
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
            "/metrics, /openapi.json and the sign-in pages needs a bearer token (`bearerAuth`) or a browser session "
            "(`sessionCookie`, with `auth.oidc.web`); in the development mode `none` reads "
            "need nothing and the writes that record an actor (POST /cases, /cases/{id}/events, /cases/{id}/links) "
            "name who acts with `Bevaka-Actor` and `Bevaka-Role` (`developmentHeaders`).\n\n"
            "A case is visible to its owner, the holders of its workflow's roles and admins; to anyone else it does "
            "not exist (404), and lists leave it out. Personal fields are shown only to the roles the workflow names "
            "for them (`hiddenFields` names those left out). Deliveries and webhooks are for the `admin` role."),
    },
    "tags": [
        {"name": "cases", "description": "Cases, their events, history, ledger, notifications, checklists and links"},
        {"name": "deliveries", "description": "Emails and webhooks: what was sent, what waits, what died"},
        {"name": "workflows", "description": "The loaded workflow definitions"},
        {"name": "operations", "description": "Probes, metrics and this document; no authentication"},
        {"name": "access", "description": "Signing in, sessions and the access log"},
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
