import Hummingbird

/// The API's contract, OpenAPI 3.1, served at `/openapi.json`.
/// `OpenAPITests` keeps its paths equal to the router's routes.
enum OpenAPIDocument {
    static let text = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Bevaka",
        "version": "1",
        "summary": "Contract follow-up cases as durable state machines: deadlines, notifications, sanctions.",
        "description": "Bodies are UTF-8 JSON sent as `Content-Type: application/json`. Every refusal is RFC 9457 `application/problem+json` with a `type` of `urn:bevaka:problem:SLUG`, and changes nothing. Instants are UTC (RFC 3339); `…Local` ones are Europe/Stockholm wall-clock time. Every answer carries `X-Content-Type-Options: nosniff`, `Cache-Control: no-store`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY` and `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`.\n\nWho acts depends on `auth.mode`: with `tokens` or `oidc` every operation but /healthz, /readyz, /metrics, /openapi.json, the sign-in pages and a calendar feed (whose address holds its secret) needs a bearer token (`bearerAuth`) or a browser session (`sessionCookie`, with `auth.oidc.web`); in the development mode `none` reads need nothing and the writes that record an actor (POST /cases, /cases/{id}/events, /cases/{id}/links) name who acts with `Bevaka-Actor` and `Bevaka-Role` (`developmentHeaders`).\n\nA case is visible to its owner, the holders of its workflow's roles and admins; to anyone else it does not exist (404), and lists leave it out. Personal fields are shown only to the roles the workflow names for them (`hiddenFields` names those left out). Deliveries and webhooks are for the `admin` role. The register and the reports are read by anyone signed in; the register is kept by the follow-up team's roles (`auth.teamRoles`) and admins, and the traffic light is the team's alone (403 team-only)."
      },
      "tags": [
        {"name": "cases", "description": "Cases, their events, history, ledger, notifications, checklists and links"},
        {"name": "deliveries", "description": "Emails and webhooks: what was sent, what waits, what died"},
        {"name": "workflows", "description": "The loaded workflow definitions"},
        {"name": "operations", "description": "Probes, metrics and this document; no authentication"},
        {"name": "access", "description": "Signing in, sessions and the access log"},
        {
          "name": "register",
          "description": "Boards, providers, units and contracts with their history, and the team's traffic light per provider"
        },
        {"name": "reports", "description": "The boards' report, finance's deductions and the care-referral statistics"},
        {
          "name": "calendar",
          "description": "iCalendar feeds of a person's or a team's deadlines and checklist items, at secret addresses that can be renewed and revoked"
        }
      ],
      "paths": {
        "/healthz": {
          "get": {
            "operationId": "getHealth",
            "summary": "Whether the process is alive",
            "tags": ["operations"],
            "security": [],
            "responses": {
              "200": {
                "description": "alive",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/readyz": {
          "get": {
            "operationId": "getReadiness",
            "summary": "Whether the daemon serves fully",
            "tags": ["operations"],
            "security": [],
            "responses": {
              "200": {
                "description": "the timers are loaded and the store answers and takes writes",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ready"}}}
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "503": {
                "description": "The timers are still loading, the disk has under 1 MiB free, or the last write failed for lack of space or an I/O error (until a write passes again) (not-ready, storage-unavailable)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:not-ready", "urn:bevaka:problem:storage-unavailable"]},
                        "status": {"const": 503}
                      }
                    }
                  }
                },
                "headers": {
                  "Retry-After": {
                    "description": "seconds after which the same request may succeed",
                    "schema": {"type": "string", "pattern": "^[0-9]+$"},
                    "required": false
                  }
                }
              }
            }
          }
        },
        "/metrics": {
          "get": {
            "operationId": "getMetrics",
            "summary": "Prometheus metrics",
            "tags": ["operations"],
            "security": [],
            "responses": {
              "200": {
                "description": "Prometheus text exposition format 0.0.4",
                "content": {"text/plain": {"schema": {"type": "string"}}}
              },
              "404": {
                "description": "The router was built without metrics (tests only) (metrics-off)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:metrics-off"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/openapi.json": {
          "get": {
            "operationId": "getOpenAPIDocument",
            "summary": "This document",
            "tags": ["operations"],
            "security": [],
            "responses": {
              "200": {
                "description": "the API's OpenAPI 3.1 contract",
                "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "info", "paths"]}}}
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"}
            }
          }
        },
        "/cases": {
          "post": {
            "operationId": "openCase",
            "summary": "Open a case",
            "tags": ["cases"],
            "description": "Opens a case of the workflow's newest version in its initial state, acting in the caller's role, which must be one of the workflow's.",
            "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/OpenCase"},
                  "examples": {
                    "kalmar": {
                      "summary": "a unit with 8000 listed patients",
                      "value": {
                        "workflow": "kalmar-sanktionstrappa",
                        "owner": "anna",
                        "fields": {"enhet": "Vårdcentralen Berga", "listade": 8000}
                      }
                    }
                  }
                }
              }
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "201": {
                "description": "opened; the body is the case",
                "headers": {
                  "Location": {
                    "description": "/cases/{id}",
                    "required": true,
                    "schema": {"type": "string", "pattern": "^/cases/[^/]+$"}
                  },
                  "Idempotent-Replayed": {"$ref": "#/components/headers/IdempotentReplayed"}
                },
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseDetail"}}}
              },
              "400": {
                "description": "The body is not a JSON object of this shape, a field is missing, unknown or of the wrong type for the workflow, no workflow of that name opens cases, `unit` or `contract` names nothing in the register or the unit is not the contract's, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request, invalid-payload, unknown-workflow, register-invalid)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:invalid-request",
                            "urn:bevaka:problem:invalid-payload",
                            "urn:bevaka:problem:unknown-workflow",
                            "urn:bevaka:problem:register-invalid"
                          ]
                        },
                        "status": {"const": 400}
                      }
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The acting role is not one of the workflow's roles, the caller holds several roles and names none with Bevaka-Role, or Bevaka-Role names a role not held (role-not-allowed, role-needed, role-not-held, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-not-allowed",
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "413": {"$ref": "#/components/responses/BodyTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "422": {
                "description": "The case's values do not allow the opening (an expression cannot be evaluated), or the Idempotency-Key was used for another request (evaluation-failed, idempotency-key-reused)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": ["urn:bevaka:problem:evaluation-failed", "urn:bevaka:problem:idempotency-key-reused"]
                        },
                        "status": {"const": 422}
                      }
                    }
                  }
                }
              },
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          },
          "get": {
            "operationId": "listCases",
            "summary": "List and search cases, in creation order or by what is due",
            "tags": ["cases"],
            "description": "Filters are and-ed. Besides `field.NAME`, any other query parameter is refused (400).",
            "parameters": [
              {
                "name": "workflow",
                "in": "query",
                "required": false,
                "description": "only cases of this workflow (its name; an unknown name is refused)",
                "schema": {"type": "string"}
              },
              {
                "name": "state",
                "in": "query",
                "required": false,
                "description": "only cases in this state",
                "schema": {"type": "string"}
              },
              {
                "name": "owner",
                "in": "query",
                "required": false,
                "description": "only cases with this owner",
                "schema": {"type": "string"}
              },
              {
                "name": "overdue",
                "in": "query",
                "required": false,
                "description": "true: only cases with a deadline already past",
                "schema": {"type": "boolean", "default": false}
              },
              {
                "name": "unit",
                "in": "query",
                "required": false,
                "description": "only cases naming this unit (its HSA-id)",
                "schema": {"type": "string"}
              },
              {
                "name": "provider",
                "in": "query",
                "required": false,
                "description": "only cases whose unit or contract is this provider's (its id)",
                "schema": {"type": "string"}
              },
              {
                "name": "contract",
                "in": "query",
                "required": false,
                "description": "only cases naming this contract (its id)",
                "schema": {"type": "string"}
              },
              {
                "name": "board",
                "in": "query",
                "required": false,
                "description": "only cases whose contract answers to this board (its code)",
                "schema": {"type": "string"}
              },
              {
                "name": "area",
                "in": "query",
                "required": false,
                "description": "only cases whose contract is of this area",
                "schema": {"type": "string"}
              },
              {
                "name": "role",
                "in": "query",
                "required": false,
                "description": "only cases that name someone for this role among their people",
                "schema": {"type": "string"}
              },
              {
                "name": "diarienummer",
                "in": "query",
                "required": false,
                "description": "only cases whose `diarienummer` field is exactly this (as `field.diarienummer`)",
                "schema": {"type": "string"}
              },
              {
                "name": "q",
                "in": "query",
                "required": false,
                "description": "only cases with this text in a field's value, their unit's name or their state's title (case-insensitive for ASCII letters); at most 200 characters",
                "schema": {"type": "string"}
              },
              {
                "name": "order",
                "in": "query",
                "required": false,
                "description": "`created`: oldest first; `due`: by the next thing due, overdue first, cases with nothing due last",
                "schema": {"enum": ["created", "due"], "default": "created"}
              },
              {
                "name": "field",
                "in": "query",
                "required": false,
                "description": "`field.NAME=VALUE`: only cases whose typed field NAME (any name of up to 100 characters after `field.`) is exactly VALUE; several are and-ed. Each is a query parameter of its own (an object, form-exploded), e.g. `?field.diarienummer=HSN%202026-0042`",
                "schema": {
                  "type": "object",
                  "propertyNames": {"type": "string", "pattern": "^field\\.[\\s\\S]{1,100}$"},
                  "additionalProperties": {"type": "string"}
                },
                "style": "form",
                "explode": true
              },
              {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "page size, 1 to 500",
                "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}
              },
              {
                "name": "after",
                "in": "query",
                "required": false,
                "description": "the `next` of the previous page (an opaque cursor, for the same `order`); in creation order a case's id is taken too: the cases opened after it",
                "schema": {"type": "string"}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "a page of cases",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseList"}}}
              },
              "400": {
                "description": "an unknown query parameter, or a value out of range, an unknown workflow, a `field.` with no name after it, a `q` longer than 200 characters, an `after` that is not a cursor of this order (nor a case's id), or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/cases/{id}": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the case's id (a lowercase UUID)",
              "schema": {"type": "string"},
              "example": "42dc0737-fb93-44fa-bc4f-91448e9daae9"
            }
          ],
          "get": {
            "operationId": "getCase",
            "summary": "One case",
            "tags": ["cases"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the case",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseDetail"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "404": {
                "description": "No case with that id that the caller may see (its owner, the holders of its workflow's roles and admins see it; to anyone else it does not exist) (case-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:case-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/cases/{id}/events": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the case's id (a lowercase UUID)",
              "schema": {"type": "string"},
              "example": "42dc0737-fb93-44fa-bc4f-91448e9daae9"
            }
          ],
          "post": {
            "operationId": "applyEvent",
            "summary": "Fire an event on a case",
            "tags": ["cases"],
            "description": "Applies the event as the caller, in their role. `checklist.tick` with payload `{checklist, item, note}` ticks a checklist item; `checklist.untick` (with a reason) takes a tick back.",
            "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/ApplyEvent"},
                  "examples": {
                    "classify": {
                      "summary": "an event with its payload",
                      "value": {
                        "event": "klassificera",
                        "payload": {
                          "allvarlighetsgrad": 2,
                          "avsteg": 3,
                          "beskrivning": "Bristande tillgänglighet i telefon"
                        }
                      }
                    },
                    "tick": {
                      "summary": "tick a checklist item",
                      "value": {
                        "event": "checklist.tick",
                        "payload": {"checklist": "startbesok", "item": "avtal", "note": "Genomgånget"}
                      }
                    },
                    "cancel": {
                      "summary": "an event that needs a reason",
                      "value": {"event": "avbryt", "reason": "Avtalet startar inte"}
                    }
                  }
                }
              }
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "applied; the body is the case after it",
                "headers": {"Idempotent-Replayed": {"$ref": "#/components/headers/IdempotentReplayed"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseDetail"}}}
              },
              "400": {
                "description": "The body is not a JSON object of this shape, the payload does not fit the event, the event is not one of the workflow's, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request, invalid-payload, unknown-event)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:invalid-request",
                            "urn:bevaka:problem:invalid-payload",
                            "urn:bevaka:problem:unknown-event"
                          ]
                        },
                        "status": {"const": 400}
                      }
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The acting role may not fire this event (or tick this item), or Bevaka-Role names a role not held (role-not-allowed, role-not-held, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-not-allowed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No case with that id that the caller may see (its owner, the holders of its workflow's roles and admins see it; to anyone else it does not exist) (case-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:case-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "409": {
                "description": "The case's state does not accept the event, no condition for it holds, the checklist or its item is not open, or the case cannot move into the workflow the event hands it to (event-not-accepted, condition-not-met, checklist-not-open, checklist-item-not-open, hand-over-refused)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:event-not-accepted",
                            "urn:bevaka:problem:condition-not-met",
                            "urn:bevaka:problem:checklist-not-open",
                            "urn:bevaka:problem:checklist-item-not-open",
                            "urn:bevaka:problem:hand-over-refused"
                          ]
                        },
                        "status": {"const": 409}
                      }
                    }
                  }
                }
              },
              "413": {"$ref": "#/components/responses/BodyTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "422": {
                "description": "The case's values do not allow this (an expression cannot be evaluated), or the Idempotency-Key was used for another request (evaluation-failed, idempotency-key-reused)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": ["urn:bevaka:problem:evaluation-failed", "urn:bevaka:problem:idempotency-key-reused"]
                        },
                        "status": {"const": 422}
                      }
                    }
                  }
                }
              },
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/cases/{id}/history": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the case's id (a lowercase UUID)",
              "schema": {"type": "string"},
              "example": "42dc0737-fb93-44fa-bc4f-91448e9daae9"
            }
          ],
          "get": {
            "operationId": "getCaseHistory",
            "summary": "The case's hash-chained history",
            "tags": ["cases"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "every history row with its hash",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/History"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "404": {
                "description": "No case with that id that the caller may see (its owner, the holders of its workflow's roles and admins see it; to anyone else it does not exist) (case-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:case-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/cases/{id}/ledger": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the case's id (a lowercase UUID)",
              "schema": {"type": "string"},
              "example": "42dc0737-fb93-44fa-bc4f-91448e9daae9"
            }
          ],
          "get": {
            "operationId": "getCaseLedger",
            "summary": "The case's sanction ledger per month",
            "tags": ["cases"],
            "parameters": [
              {
                "name": "asOf",
                "in": "query",
                "required": false,
                "description": "the day the ledger runs to, 1900-01-01 to 2199-12-31 (default: today in Europe/Stockholm)",
                "schema": {
                  "type": "string",
                  "format": "date",
                  "description": "YYYY-MM-DD",
                  "pattern": "^(19[0-9][0-9]|2[01][0-9][0-9])-"
                }
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the ledger as of `asOf`; `Accept: text/csv` gives it as CSV",
                "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/Ledger"}},
                  "text/csv": {"schema": {"type": "string"}}
                }
              },
              "400": {
                "description": "`asOf` is not a date YYYY-MM-DD, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "404": {
                "description": "No case with that id that the caller may see (its owner, the holders of its workflow's roles and admins see it; to anyone else it does not exist) (case-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:case-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/cases/{id}/notifications": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the case's id (a lowercase UUID)",
              "schema": {"type": "string"},
              "example": "42dc0737-fb93-44fa-bc4f-91448e9daae9"
            }
          ],
          "get": {
            "operationId": "getCaseNotifications",
            "summary": "The notifications recorded for the case",
            "tags": ["cases"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "its outbox rows",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notifications"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "404": {
                "description": "No case with that id that the caller may see (its owner, the holders of its workflow's roles and admins see it; to anyone else it does not exist) (case-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:case-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/cases/{id}/checklists": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the case's id (a lowercase UUID)",
              "schema": {"type": "string"},
              "example": "42dc0737-fb93-44fa-bc4f-91448e9daae9"
            }
          ],
          "get": {
            "operationId": "getCaseChecklists",
            "summary": "Every checklist opened on the case",
            "tags": ["cases"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the checklists with each item's status now",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Checklists"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "404": {
                "description": "No case with that id that the caller may see (its owner, the holders of its workflow's roles and admins see it; to anyone else it does not exist) (case-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:case-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/cases/{id}/links": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the case's id (a lowercase UUID)",
              "schema": {"type": "string"},
              "example": "42dc0737-fb93-44fa-bc4f-91448e9daae9"
            }
          ],
          "get": {
            "operationId": "getCaseLinks",
            "summary": "The cases linked to this one",
            "tags": ["cases"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the links",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Links"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "404": {
                "description": "No case with that id that the caller may see (its owner, the holders of its workflow's roles and admins see it; to anyone else it does not exist) (case-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:case-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          },
          "post": {
            "operationId": "linkCases",
            "summary": "Link two cases",
            "tags": ["cases"],
            "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/LinkCases"},
                  "examples": {
                    "related": {
                      "summary": "link to another case",
                      "value": {
                        "case": "42dc0737-fb93-44fa-bc4f-91448e9daae9",
                        "relation": "related",
                        "reason": "samma vårdgivare"
                      }
                    }
                  }
                }
              }
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "201": {
                "description": "linked; recorded as case.linked in both histories",
                "headers": {"Idempotent-Replayed": {"$ref": "#/components/headers/IdempotentReplayed"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Link"}}}
              },
              "400": {
                "description": "The body is not a JSON object of this shape, `case` names no case the caller may see, `relation` is not a name, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The acting role is not one of the case's workflow's roles, the caller holds several roles and names none with Bevaka-Role, or Bevaka-Role names a role not held (role-not-allowed, role-needed, role-not-held, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-not-allowed",
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No case with that id that the caller may see (its owner, the holders of its workflow's roles and admins see it; to anyone else it does not exist) (case-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:case-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "409": {
                "description": "The cases are linked already under this relation, or it is the same case (link-refused)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:link-refused"]}, "status": {"const": 409}}
                    }
                  }
                }
              },
              "413": {"$ref": "#/components/responses/BodyTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "422": {
                "description": "The Idempotency-Key was used for another request (idempotency-key-reused)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:idempotency-key-reused"]},
                        "status": {"const": 422}
                      }
                    }
                  }
                }
              },
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/deliveries": {
          "get": {
            "operationId": "listDeliveries",
            "summary": "Deliveries, newest first",
            "tags": ["deliveries"],
            "description": "Any other query parameter is refused (400). Only for callers acting as admin.",
            "parameters": [
              {
                "name": "status",
                "in": "query",
                "required": false,
                "description": "only deliveries in this status",
                "schema": {"enum": ["pending", "delivered", "dead", "digest", "unconfigured"]}
              },
              {
                "name": "case",
                "in": "query",
                "required": false,
                "description": "only deliveries for this case",
                "schema": {"type": "string"}
              },
              {
                "name": "before",
                "in": "query",
                "required": false,
                "description": "the `next` of the previous page: deliveries with a smaller id",
                "schema": {"type": "integer", "minimum": -9223372036854775808, "maximum": 9223372036854775807}
              },
              {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "page size, 1 to 500",
                "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "a page of deliveries and the counts by status",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeliveryList"}}}
              },
              "400": {
                "description": "an unknown query parameter, or a value out of range, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/AdminOnly"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/deliveries/{id}": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the delivery's id",
              "schema": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}
            }
          ],
          "get": {
            "operationId": "getDelivery",
            "summary": "One delivery with every attempt",
            "tags": ["deliveries"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the delivery",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeliveryDetail"}}}
              },
              "400": {
                "description": "The id is not a positive whole number, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/AdminOnly"},
              "404": {
                "description": "No delivery with that id (delivery-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:delivery-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            },
            "description": "Only for callers acting as admin."
          }
        },
        "/deliveries/{id}/retry": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the delivery's id",
              "schema": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}
            }
          ],
          "post": {
            "operationId": "retryDelivery",
            "summary": "Send a dead delivery again",
            "tags": ["deliveries"],
            "description": "Takes no body. Only for callers acting as admin.",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "202": {
                "description": "pending again, with a fresh round of attempts",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Delivery"}}}
              },
              "400": {
                "description": "The id is not a positive whole number, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "Bevaka-Role names a role the caller does not hold, the caller may not do this, or a browser session's request lacks its CSRF token (role-needed, role-not-held, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No delivery with that id (delivery-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:delivery-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "409": {
                "description": "Only a dead delivery can be retried (delivery-not-dead)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:delivery-not-dead"]}, "status": {"const": 409}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/webhooks": {
          "get": {
            "operationId": "listWebhooks",
            "summary": "The configured webhook endpoints",
            "tags": ["deliveries"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "every endpoint (never its secrets), enabled or disabled and why",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Webhooks"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/AdminOnly"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            },
            "description": "Only for callers acting as admin."
          }
        },
        "/webhooks/{name}/enable": {
          "parameters": [
            {
              "name": "name",
              "in": "path",
              "required": true,
              "description": "the endpoint's name in the configuration",
              "schema": {"type": "string"}
            }
          ],
          "post": {
            "operationId": "enableWebhook",
            "summary": "Enable an endpoint disabled by a 410",
            "tags": ["deliveries"],
            "description": "Takes no body. Only for callers acting as admin.",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "enabled",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookEnabled"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "Bevaka-Role names a role the caller does not hold, the caller may not do this, or a browser session's request lacks its CSRF token (role-needed, role-not-held, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No endpoint of that name is configured (webhook-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:webhook-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/workflows": {
          "get": {
            "operationId": "listWorkflows",
            "summary": "The loaded workflows",
            "tags": ["workflows"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "each workflow's newest version and all its versions",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Workflows"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"}
            }
          }
        },
        "/workflows/{name}": {
          "parameters": [
            {
              "name": "name",
              "in": "path",
              "required": true,
              "description": "the workflow's name",
              "schema": {"type": "string"}
            }
          ],
          "get": {
            "operationId": "getWorkflow",
            "summary": "One workflow",
            "tags": ["workflows"],
            "parameters": [
              {
                "name": "version",
                "in": "query",
                "required": false,
                "description": "a version (default: the newest)",
                "schema": {"type": "integer", "minimum": -9223372036854775808, "maximum": 9223372036854775807}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the workflow",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WorkflowDetail"}}}
              },
              "400": {
                "description": "`version` is not a whole number, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "404": {
                "description": "No workflow of that name, or not in that version (workflow-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:workflow-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"}
            }
          }
        },
        "/access-log": {
          "get": {
            "operationId": "getAccessLog",
            "summary": "The access log",
            "tags": ["access"],
            "parameters": [
              {
                "name": "case",
                "in": "query",
                "required": false,
                "description": "one case's reads",
                "schema": {"type": "string"}
              },
              {
                "name": "subject",
                "in": "query",
                "required": false,
                "description": "one person's or system's reads",
                "schema": {"type": "string"}
              },
              {
                "name": "from",
                "in": "query",
                "required": false,
                "description": "from this date (YYYY-MM-DD, Stockholm) or RFC 3339 instant",
                "schema": {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
              },
              {
                "name": "until",
                "in": "query",
                "required": false,
                "description": "before this date or instant",
                "schema": {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
              },
              {
                "name": "before",
                "in": "query",
                "required": false,
                "description": "entries with a smaller id (the previous page's `next`)",
                "schema": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807}
              },
              {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "page size, 1 to 1000",
                "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "reads of cases holding personal data, newest first",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AccessLog"}}}
              },
              "400": {
                "description": "an unknown query parameter, or a value out of range, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "Only the auditor role reads the access log (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/auth/login": {
          "get": {
            "operationId": "signIn",
            "summary": "Sign in with the region's identity provider",
            "tags": ["access"],
            "parameters": [
              {
                "name": "return",
                "in": "query",
                "required": false,
                "description": "a path on this site to come back to (anything else returns to /)",
                "schema": {"type": "string"}
              }
            ],
            "security": [],
            "responses": {
              "302": {
                "description": "to the provider's authorization endpoint (code flow with PKCE); sets the __Host-bevaka_login cookie binding the sign-in to this browser",
                "headers": {"Location": {"schema": {"type": "string"}, "required": true}}
              },
              "404": {
                "description": "Browser sign-in is not configured (auth.oidc.web) (sign-in-not-configured)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:sign-in-not-configured"]},
                        "status": {"const": 404}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "503": {
                "description": "The provider's discovery document cannot be read (identity-provider-unavailable)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:identity-provider-unavailable"]},
                        "status": {"const": 503}
                      }
                    }
                  }
                },
                "headers": {
                  "Retry-After": {
                    "description": "seconds after which the same request may succeed",
                    "schema": {"type": "string", "pattern": "^[0-9]+$"},
                    "required": false
                  }
                }
              }
            }
          }
        },
        "/auth/callback": {
          "get": {
            "operationId": "signInCallback",
            "summary": "Where the provider sends the browser back",
            "tags": ["access"],
            "parameters": [
              {
                "name": "code",
                "in": "query",
                "required": false,
                "description": "the authorization code",
                "schema": {"type": "string"}
              },
              {
                "name": "state",
                "in": "query",
                "required": false,
                "description": "the sign-in's state",
                "schema": {"type": "string"}
              },
              {
                "name": "error",
                "in": "query",
                "required": false,
                "description": "the provider's refusal",
                "schema": {"type": "string"}
              }
            ],
            "security": [],
            "responses": {
              "303": {
                "description": "signed in: a session begins (the __Host-bevaka_session cookie) and the browser goes to the path it asked for",
                "headers": {"Location": {"schema": {"type": "string"}, "required": true}}
              },
              "400": {
                "description": "The provider refused, the answer is not this browser's or is used already, or the ID token did not verify (sign-in-failed, sign-in-state-mismatch)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:sign-in-failed", "urn:bevaka:problem:sign-in-state-mismatch"]},
                        "status": {"const": 400}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "Browser sign-in is not configured (auth.oidc.web) (sign-in-not-configured)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:sign-in-not-configured"]},
                        "status": {"const": 404}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"}
            }
          }
        },
        "/auth/session": {
          "get": {
            "operationId": "getSession",
            "summary": "Who is signed in",
            "tags": ["access"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the caller, its roles, and for a browser session its CSRF token and end",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"}
            }
          }
        },
        "/auth/logout": {
          "post": {
            "operationId": "signOut",
            "summary": "Log out",
            "tags": ["access"],
            "description": "With a browser session: the form's `_csrf` field (or the X-CSRF-Token header) must carry the session's token.",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "303": {
                "description": "the session is revoked on the server; the browser goes to the provider's logout",
                "headers": {"Location": {"schema": {"type": "string"}, "required": true}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "Bevaka-Role names a role the caller does not hold, the caller may not do this, or a browser session's request lacks its CSRF token (role-not-held, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-not-held", "urn:bevaka:problem:csrf-token-missing"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "Browser sign-in is not configured (auth.oidc.web) (sign-in-not-configured)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:sign-in-not-configured"]},
                        "status": {"const": 404}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            },
            "requestBody": {
              "required": false,
              "content": {
                "application/x-www-form-urlencoded": {
                  "schema": {"type": "object", "properties": {"_csrf": {"type": "string"}}}
                }
              }
            }
          }
        },
        "/register/boards": {
          "get": {
            "operationId": "listBoards",
            "summary": "The register's boards",
            "tags": ["register"],
            "description": "Anyone acting in a role reads the register. Any other query parameter is refused (400).",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "every board",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BoardList"}}}
              },
              "400": {
                "description": "An unknown query parameter, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/boards/{key}": {
          "parameters": [
            {"name": "key", "in": "path", "required": true, "description": "the board's code", "schema": {"type": "string"}}
          ],
          "get": {
            "operationId": "getBoard",
            "summary": "One of the register's boards",
            "tags": ["register"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the board",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Board"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No board with that key in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          },
          "put": {
            "operationId": "putBoard",
            "summary": "Create or change one of the register's boards",
            "tags": ["register"],
            "description": "The follow-up team's roles (auth.teamRoles) and admins keep the register; each change is kept in the item's history. The key is the path's: text of at most 400 characters, not only spaces.",
            "parameters": [
              {
                "name": "key",
                "in": "path",
                "required": true,
                "description": "the board's code",
                "schema": {
                  "type": "string",
                  "maxLength": 400,
                  "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                  "description": "at most 400 characters, not only spaces"
                }
              }
            ],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PutBoard"}}}
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "changed (or the same already); the body is the board as stored",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Board"}}}
              },
              "201": {
                "description": "created; the body is the board as stored",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Board"}}}
              },
              "400": {
                "description": "The body is not a JSON object of this shape (a member unknown, missing, of the wrong type, empty or longer than 400 characters, a date not YYYY-MM-DD), the key is not text of at most 400 characters, what it refers to is not in the register (a provider, board or unit), a contract ends before it starts or lists another provider's unit, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request, register-invalid)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:invalid-request", "urn:bevaka:problem:register-invalid"]},
                        "status": {"const": 400}
                      }
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), Bevaka-Role names a role not held, or the role is not one of the follow-up team's (auth.teamRoles; an admin keeps the register but does not see the traffic light) (role-needed, role-not-held, team-only, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:team-only",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "413": {"$ref": "#/components/responses/BodyTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/boards/{key}/history": {
          "parameters": [
            {"name": "key", "in": "path", "required": true, "description": "the board's code", "schema": {"type": "string"}}
          ],
          "get": {
            "operationId": "getBoardHistory",
            "summary": "Every change to one of the register's boards",
            "tags": ["register"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the changes, oldest first",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RegisterHistory"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No board with that key in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/providers": {
          "get": {
            "operationId": "listProviders",
            "summary": "The register's providers",
            "tags": ["register"],
            "description": "Anyone acting in a role reads the register. Any other query parameter is refused (400).",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "every provider",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProviderList"}}}
              },
              "400": {
                "description": "An unknown query parameter, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/providers/{key}": {
          "parameters": [
            {
              "name": "key",
              "in": "path",
              "required": true,
              "description": "the provider's id",
              "schema": {"type": "string"}
            }
          ],
          "get": {
            "operationId": "getProvider",
            "summary": "One of the register's providers",
            "tags": ["register"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the provider",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Provider"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No provider with that key in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          },
          "put": {
            "operationId": "putProvider",
            "summary": "Create or change one of the register's providers",
            "tags": ["register"],
            "description": "The follow-up team's roles (auth.teamRoles) and admins keep the register; each change is kept in the item's history. The key is the path's: text of at most 400 characters, not only spaces.",
            "parameters": [
              {
                "name": "key",
                "in": "path",
                "required": true,
                "description": "the provider's id",
                "schema": {
                  "type": "string",
                  "maxLength": 400,
                  "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                  "description": "at most 400 characters, not only spaces"
                }
              }
            ],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PutProvider"}}}
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "changed (or the same already); the body is the provider as stored",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Provider"}}}
              },
              "201": {
                "description": "created; the body is the provider as stored",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Provider"}}}
              },
              "400": {
                "description": "The body is not a JSON object of this shape (a member unknown, missing, of the wrong type, empty or longer than 400 characters, a date not YYYY-MM-DD), the key is not text of at most 400 characters, what it refers to is not in the register (a provider, board or unit), a contract ends before it starts or lists another provider's unit, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request, register-invalid)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:invalid-request", "urn:bevaka:problem:register-invalid"]},
                        "status": {"const": 400}
                      }
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), Bevaka-Role names a role not held, or the role is not one of the follow-up team's (auth.teamRoles; an admin keeps the register but does not see the traffic light) (role-needed, role-not-held, team-only, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:team-only",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "413": {"$ref": "#/components/responses/BodyTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/providers/{key}/history": {
          "parameters": [
            {
              "name": "key",
              "in": "path",
              "required": true,
              "description": "the provider's id",
              "schema": {"type": "string"}
            }
          ],
          "get": {
            "operationId": "getProviderHistory",
            "summary": "Every change to one of the register's providers",
            "tags": ["register"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the changes, oldest first",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RegisterHistory"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No provider with that key in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/units": {
          "get": {
            "operationId": "listUnits",
            "summary": "The register's units",
            "tags": ["register"],
            "description": "Anyone acting in a role reads the register. Any other query parameter is refused (400).",
            "parameters": [
              {
                "name": "provider",
                "in": "query",
                "required": false,
                "description": "only this provider's units (its id)",
                "schema": {"type": "string"}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "every unit",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UnitList"}}}
              },
              "400": {
                "description": "An unknown query parameter, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/units/{key}": {
          "parameters": [
            {
              "name": "key",
              "in": "path",
              "required": true,
              "description": "the unit's HSA-id",
              "schema": {"type": "string"}
            }
          ],
          "get": {
            "operationId": "getUnit",
            "summary": "One of the register's units",
            "tags": ["register"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the unit",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unit"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No unit with that key in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          },
          "put": {
            "operationId": "putUnit",
            "summary": "Create or change one of the register's units",
            "tags": ["register"],
            "description": "The follow-up team's roles (auth.teamRoles) and admins keep the register; each change is kept in the item's history. The key is the path's: text of at most 400 characters, not only spaces.",
            "parameters": [
              {
                "name": "key",
                "in": "path",
                "required": true,
                "description": "the unit's HSA-id",
                "schema": {
                  "type": "string",
                  "maxLength": 400,
                  "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                  "description": "at most 400 characters, not only spaces"
                }
              }
            ],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PutUnit"}}}
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "changed (or the same already); the body is the unit as stored",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unit"}}}
              },
              "201": {
                "description": "created; the body is the unit as stored",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unit"}}}
              },
              "400": {
                "description": "The body is not a JSON object of this shape (a member unknown, missing, of the wrong type, empty or longer than 400 characters, a date not YYYY-MM-DD), the key is not text of at most 400 characters, what it refers to is not in the register (a provider, board or unit), a contract ends before it starts or lists another provider's unit, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request, register-invalid)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:invalid-request", "urn:bevaka:problem:register-invalid"]},
                        "status": {"const": 400}
                      }
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), Bevaka-Role names a role not held, or the role is not one of the follow-up team's (auth.teamRoles; an admin keeps the register but does not see the traffic light) (role-needed, role-not-held, team-only, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:team-only",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "413": {"$ref": "#/components/responses/BodyTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/units/{key}/history": {
          "parameters": [
            {
              "name": "key",
              "in": "path",
              "required": true,
              "description": "the unit's HSA-id",
              "schema": {"type": "string"}
            }
          ],
          "get": {
            "operationId": "getUnitHistory",
            "summary": "Every change to one of the register's units",
            "tags": ["register"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the changes, oldest first",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RegisterHistory"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No unit with that key in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/contracts": {
          "get": {
            "operationId": "listContracts",
            "summary": "The register's contracts",
            "tags": ["register"],
            "description": "Anyone acting in a role reads the register. Any other query parameter is refused (400).",
            "parameters": [
              {
                "name": "board",
                "in": "query",
                "required": false,
                "description": "only contracts answering to this board (its code)",
                "schema": {"type": "string"}
              },
              {
                "name": "area",
                "in": "query",
                "required": false,
                "description": "only contracts of this area",
                "schema": {"type": "string"}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "every contract",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ContractList"}}}
              },
              "400": {
                "description": "An unknown query parameter, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/contracts/{key}": {
          "parameters": [
            {
              "name": "key",
              "in": "path",
              "required": true,
              "description": "the contract's id",
              "schema": {"type": "string"}
            }
          ],
          "get": {
            "operationId": "getContract",
            "summary": "One of the register's contracts",
            "tags": ["register"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the contract",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Contract"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No contract with that key in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          },
          "put": {
            "operationId": "putContract",
            "summary": "Create or change one of the register's contracts",
            "tags": ["register"],
            "description": "The follow-up team's roles (auth.teamRoles) and admins keep the register; each change is kept in the item's history. The key is the path's: text of at most 400 characters, not only spaces.",
            "parameters": [
              {
                "name": "key",
                "in": "path",
                "required": true,
                "description": "the contract's id",
                "schema": {
                  "type": "string",
                  "maxLength": 400,
                  "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                  "description": "at most 400 characters, not only spaces"
                }
              }
            ],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PutContract"}}}
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "changed (or the same already); the body is the contract as stored",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Contract"}}}
              },
              "201": {
                "description": "created; the body is the contract as stored",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Contract"}}}
              },
              "400": {
                "description": "The body is not a JSON object of this shape (a member unknown, missing, of the wrong type, empty or longer than 400 characters, a date not YYYY-MM-DD), the key is not text of at most 400 characters, what it refers to is not in the register (a provider, board or unit), a contract ends before it starts or lists another provider's unit, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request, register-invalid)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:invalid-request", "urn:bevaka:problem:register-invalid"]},
                        "status": {"const": 400}
                      }
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), Bevaka-Role names a role not held, or the role is not one of the follow-up team's (auth.teamRoles; an admin keeps the register but does not see the traffic light) (role-needed, role-not-held, team-only, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:team-only",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "413": {"$ref": "#/components/responses/BodyTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/contracts/{key}/history": {
          "parameters": [
            {
              "name": "key",
              "in": "path",
              "required": true,
              "description": "the contract's id",
              "schema": {"type": "string"}
            }
          ],
          "get": {
            "operationId": "getContractHistory",
            "summary": "Every change to one of the register's contracts",
            "tags": ["register"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the changes, oldest first",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RegisterHistory"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No contract with that key in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/register/import": {
          "post": {
            "operationId": "importRegister",
            "summary": "Import boards, providers, units and contracts from CSV",
            "tags": ["register"],
            "description": "All or nothing. One header row naming its columns (`kind` and `key` needed; others: name, group, provider, area, board, start, end, team, units (HSA-ids separated by `;`), listed, listedFrom), then one row per board, provider, unit or contract (`kind`); a unit's listed patients over time are several rows of the unit, each with `listed` and `listedFrom`. The follow-up team's roles and admins import.",
            "parameters": [
              {
                "name": "dryRun",
                "in": "query",
                "required": false,
                "description": "true: check and count, write nothing",
                "schema": {"type": "boolean", "default": false}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "imported (or, with dryRun, checked): how many were created, changed and unchanged",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RegisterImport"}}}
              },
              "400": {
                "description": "`dryRun` is not true or false, an unknown query parameter, the body is not UTF-8 or holds a control character other than tab, line feed and carriage return (or a noncharacter), the file has problems (its header, a row's kind, cells or dates, what a row refers to: each problem with its line; nothing is written), or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request, register-invalid)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:invalid-request", "urn:bevaka:problem:register-invalid"]},
                        "status": {"const": 400}
                      }
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), Bevaka-Role names a role not held, or the role is not one of the follow-up team's (auth.teamRoles; an admin keeps the register but does not see the traffic light) (role-needed, role-not-held, team-only, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:team-only",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "413": {
                "description": "The file is larger than 16 MiB (body-too-large)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:body-too-large"]}, "status": {"const": 413}}
                    }
                  }
                }
              },
              "415": {
                "description": "The body is not sent as text/csv (unsupported-media-type)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:unsupported-media-type"]},
                        "status": {"const": 415}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            },
            "requestBody": {
              "required": true,
              "content": {
                "text/csv": {
                  "schema": {"type": "string", "description": "UTF-8 CSV (RFC 4180), at most 16 MiB"},
                  "example": "kind,key,name,group,provider,area,board,start,end,team,units,listed,listedFrom\r\nboard,HSNV,Hälso- och sjukvårdsnämnd Väst,,,,,,,,,,\r\nprovider,P1,Vårdbolaget AB,Koncernen,,,,,,,,,\r\nunit,SE2321000131-E000000000001,VC Nord,,P1,,,,,,,8000,2026-01-01\r\ncontract,A-2026-1,,,P1,VV Vårdcentral,HSNV,2026-01-01,,,SE2321000131-E000000000001,,\r\n"
                }
              }
            }
          }
        },
        "/traffic-lights": {
          "get": {
            "operationId": "listTrafficLights",
            "summary": "Every provider's traffic light",
            "tags": ["register"],
            "description": "Only for the follow-up team's roles (auth.teamRoles): the light is internal to the team.",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "each provider's current light and the red ones of its group",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TrafficLights"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), Bevaka-Role names a role not held, or the role is not one of the follow-up team's (auth.teamRoles; an admin keeps the register but does not see the traffic light) (role-needed, role-not-held, team-only)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:team-only"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/traffic-lights/{provider}": {
          "parameters": [
            {
              "name": "provider",
              "in": "path",
              "required": true,
              "description": "the provider's id in the register",
              "schema": {"type": "string"}
            }
          ],
          "get": {
            "operationId": "getTrafficLight",
            "summary": "One provider's traffic light and its history",
            "tags": ["register"],
            "description": "Only for the follow-up team's roles (auth.teamRoles): the light is internal to the team.",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the current light and every assessment",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProviderTrafficLight"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), Bevaka-Role names a role not held, or the role is not one of the follow-up team's (auth.teamRoles; an admin keeps the register but does not see the traffic light) (role-needed, role-not-held, team-only)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:team-only"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No provider with that id in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          },
          "post": {
            "operationId": "setTrafficLight",
            "summary": "Assess a provider",
            "tags": ["register"],
            "description": "Only for the follow-up team's roles (auth.teamRoles): the light is internal to the team.",
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SetTrafficLight"}}}
            },
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "201": {
                "description": "recorded; the history keeps every assessment",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TrafficLight"}}}
              },
              "400": {
                "description": "The body is not a JSON object of this shape (`colour` not rod, gul or gron, `assessedOn` not YYYY-MM-DD), `assessedOn` is in the future, the comment is empty, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request, register-invalid)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:invalid-request", "urn:bevaka:problem:register-invalid"]},
                        "status": {"const": 400}
                      }
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), Bevaka-Role names a role not held, or the role is not one of the follow-up team's (auth.teamRoles; an admin keeps the register but does not see the traffic light) (role-needed, role-not-held, team-only, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:team-only",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No provider with that id in the register (register-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:register-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "413": {"$ref": "#/components/responses/BodyTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/reports/boards": {
          "get": {
            "operationId": "getBoardReport",
            "summary": "The boards' report",
            "tags": ["reports"],
            "description": "Overview, measures per step, summary, per board and a detail list for the contracts that run during the period; decisions count by when they took effect. Reports hold no personal data: anyone signed in reads them. Any other query parameter is refused (400).",
            "parameters": [
              {
                "name": "from",
                "in": "query",
                "required": false,
                "description": "the first day (default: 1 January this year, Stockholm)",
                "schema": {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
              },
              {
                "name": "to",
                "in": "query",
                "required": false,
                "description": "the last day, not before `from` (default: 31 December this year)",
                "schema": {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
              },
              {
                "name": "board",
                "in": "query",
                "required": false,
                "description": "only contracts answering to this board (its code)",
                "schema": {"type": "string"}
              },
              {
                "name": "area",
                "in": "query",
                "required": false,
                "description": "only contracts of this area",
                "schema": {"type": "string"}
              },
              {
                "name": "format",
                "in": "query",
                "required": false,
                "description": "json (the default), csv (one table with its header row; several each after a line with its title) or html (a printable Swedish page)",
                "schema": {"enum": ["json", "csv", "html"], "default": "json"}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the report as JSON, CSV (`format=csv`, as an attachment) or a printable page (`format=html`)",
                "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/Report"}},
                  "text/csv": {"schema": {"type": "string"}},
                  "text/html": {"schema": {"type": "string"}}
                }
              },
              "400": {
                "description": "an unknown query parameter, or a value out of range (a date or month not so written, a period that ends before it starts, a format not json, csv or html), or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/reports/deductions": {
          "get": {
            "operationId": "getDeductionReport",
            "summary": "Finance's deductions per unit and month",
            "tags": ["reports"],
            "description": "Every running sanction per unit and month in kronor, and every month a payment was withheld. Reports hold no personal data: anyone signed in reads them. Any other query parameter is refused (400).",
            "parameters": [
              {
                "name": "from",
                "in": "query",
                "required": false,
                "description": "the first month (default: this month)",
                "schema": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "description": "YYYY-MM"}
              },
              {
                "name": "to",
                "in": "query",
                "required": false,
                "description": "the last month, not before `from` (default: this month)",
                "schema": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "description": "YYYY-MM"}
              },
              {
                "name": "format",
                "in": "query",
                "required": false,
                "description": "json (the default), csv (one table with its header row; several each after a line with its title) or html (a printable Swedish page)",
                "schema": {"enum": ["json", "csv", "html"], "default": "json"}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the report as JSON, CSV (`format=csv`, as an attachment) or a printable page (`format=html`)",
                "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/Report"}},
                  "text/csv": {"schema": {"type": "string"}},
                  "text/html": {"schema": {"type": "string"}}
                }
              },
              "400": {
                "description": "an unknown query parameter, or a value out of range (a date or month not so written, a period that ends before it starts, a format not json, csv or html), or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/reports/care-referral": {
          "get": {
            "operationId": "getCareReferralReport",
            "summary": "Care referral statistics",
            "tags": ["reports"],
            "description": "Handling times, answers within 14 days and offers by post, for referrals whose form came in during the period. Reports hold no personal data: anyone signed in reads them. Any other query parameter is refused (400).",
            "parameters": [
              {
                "name": "from",
                "in": "query",
                "required": false,
                "description": "the first day (default: 1 January this year, Stockholm)",
                "schema": {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
              },
              {
                "name": "to",
                "in": "query",
                "required": false,
                "description": "the last day, not before `from` (default: 31 December this year)",
                "schema": {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
              },
              {
                "name": "format",
                "in": "query",
                "required": false,
                "description": "json (the default), csv (one table with its header row; several each after a line with its title) or html (a printable Swedish page)",
                "schema": {"enum": ["json", "csv", "html"], "default": "json"}
              }
            ],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "the report as JSON, CSV (`format=csv`, as an attachment) or a printable page (`format=html`)",
                "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/Report"}},
                  "text/csv": {"schema": {"type": "string"}},
                  "text/html": {"schema": {"type": "string"}}
                }
              },
              "400": {
                "description": "an unknown query parameter, or a value out of range (a date or month not so written, a period that ends before it starts, a format not json, csv or html), or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "The caller acts in no role (holds several and names none with Bevaka-Role), or Bevaka-Role names a role not held (role-needed, role-not-held)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/calendar/feeds": {
          "post": {
            "operationId": "createCalendarFeed",
            "summary": "Make an iCalendar feed",
            "tags": ["calendar"],
            "description": "A person's own feed holds the deadlines and open checklist items of the cases they own or are named on; a team's feed (`team`) those that fall on the role (deadlines notifying it, items it is responsible for) in every case of the workflows that have it. The address holds a 256-bit secret; only its SHA-256 is kept.",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "201": {
                "description": "made; the body holds its address, which is shown only now",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalendarFeedWithURL"}}}
              },
              "400": {
                "description": "The body is not a JSON object of this shape, `team` is not a role of the loaded workflows, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "A team's feed needs its role (or admin); a system's token has no calendar; or Bevaka-Role names a role not held (role-needed, person-only, role-not-held, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:role-needed",
                            "urn:bevaka:problem:person-only",
                            "urn:bevaka:problem:role-not-held",
                            "urn:bevaka:problem:csrf-token-missing"
                          ]
                        },
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "409": {
                "description": "The person (or the maker of a team's feed) has 20 active feeds already: revoke one first (calendar-feed-limit)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:calendar-feed-limit"]}, "status": {"const": 409}}
                    }
                  }
                }
              },
              "413": {"$ref": "#/components/responses/BodyTooLarge"},
              "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            },
            "requestBody": {
              "required": false,
              "content": {
                "application/json": {
                  "schema": {"$ref": "#/components/schemas/CreateCalendarFeed"},
                  "examples": {
                    "own": {"summary": "my own feed", "value": {}},
                    "team": {"summary": "a team's feed", "value": {"team": "teamledare"}}
                  }
                }
              }
            }
          },
          "get": {
            "operationId": "listCalendarFeeds",
            "summary": "The caller's iCalendar feeds",
            "tags": ["calendar"],
            "description": "Takes no query parameter.",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "their feeds, active and revoked, never with their addresses",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalendarFeeds"}}}
              },
              "400": {
                "description": "an unknown query parameter, or a value out of range, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/RoleNotHeld"},
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/calendar/feeds/{id}/renew": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the feed's id (GET /calendar/feeds)",
              "schema": {"type": "string"}
            }
          ],
          "post": {
            "operationId": "renewCalendarFeed",
            "summary": "Give a feed a new address",
            "tags": ["calendar"],
            "description": "Takes no body. A person renewing their own feed brings the names they go by now.",
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "renewed: the old address answers 404 from now on; events keep their UIDs",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalendarFeedWithURL"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "Bevaka-Role names a role the caller does not hold, the caller may not do this, or a browser session's request lacks its CSRF token (role-not-held, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-not-held", "urn:bevaka:problem:csrf-token-missing"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No feed with that id that the caller may manage (their own, one they made for a team; admins any) (calendar-feed-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:calendar-feed-not-found"]},
                        "status": {"const": 404}
                      }
                    }
                  }
                }
              },
              "409": {
                "description": "The feed is revoked: make a new one (calendar-feed-revoked)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:calendar-feed-revoked"]},
                        "status": {"const": 409}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/calendar/feeds/{id}": {
          "parameters": [
            {
              "name": "id",
              "in": "path",
              "required": true,
              "description": "the feed's id (GET /calendar/feeds)",
              "schema": {"type": "string"}
            }
          ],
          "delete": {
            "operationId": "revokeCalendarFeed",
            "summary": "Revoke a feed",
            "tags": ["calendar"],
            "security": [{"bearerAuth": []}, {"sessionCookie": []}, {"developmentHeaders": []}],
            "responses": {
              "200": {
                "description": "revoked (again, if it was): its address answers 404 from now on",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalendarFeed"}}}
              },
              "400": {
                "description": "the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:invalid-request"]}, "status": {"const": 400}}
                    }
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "Bevaka-Role names a role the caller does not hold, the caller may not do this, or a browser session's request lacks its CSRF token (role-not-held, csrf-token-missing)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:role-not-held", "urn:bevaka:problem:csrf-token-missing"]},
                        "status": {"const": 403}
                      }
                    }
                  }
                }
              },
              "404": {
                "description": "No feed with that id that the caller may manage (their own, one they made for a team; admins any) (calendar-feed-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {"enum": ["urn:bevaka:problem:calendar-feed-not-found"]},
                        "status": {"const": 404}
                      }
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "429": {"$ref": "#/components/responses/TooManyAttempts"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        },
        "/calendar/{secret}.ics": {
          "parameters": [
            {
              "name": "secret",
              "in": "path",
              "required": true,
              "description": "the feed's secret, as its address holds it",
              "schema": {"type": "string", "maxLength": 200}
            }
          ],
          "get": {
            "operationId": "getCalendarFeed",
            "summary": "An iCalendar feed",
            "tags": ["calendar"],
            "description": "Needs no other authentication: the secret in the address is the credential, so calendar programs can subscribe to it.",
            "security": [],
            "responses": {
              "200": {
                "description": "RFC 5545: a VCALENDAR (METHOD:PUBLISH) with a VTIMEZONE for Europe/Stockholm and one VEVENT per deadline or open checklist item, its start as Stockholm wall-clock time, its summary the workflow's title and the case's reference; an event that moved keeps its UID with a higher SEQUENCE, one that ended is sent as STATUS:CANCELLED for 30 days. No personal data.",
                "content": {"text/calendar": {"schema": {"type": "string", "pattern": "^BEGIN:VCALENDAR\r\n"}}}
              },
              "404": {
                "description": "No active feed has this secret (never made, renewed or revoked: the answer does not say which) (calendar-not-found)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {"type": {"enum": ["urn:bevaka:problem:calendar-not-found"]}, "status": {"const": 404}}
                    }
                  }
                }
              },
              "421": {"$ref": "#/components/responses/MisdirectedRequest"},
              "503": {"$ref": "#/components/responses/StorageUnavailable"}
            }
          }
        }
      },
      "components": {
        "schemas": {
          "Text": {
            "type": "string",
            "maxLength": 10000,
            "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
            "description": "Free text as every string in a body must be: at most 10 000 characters, no control character but tab, line feed and carriage return, no Unicode noncharacter."
          },
          "MemberName": {
            "type": "string",
            "maxLength": 200,
            "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
            "description": "A member name in a body: text of at most 200 characters."
          },
          "StorableValue": {
            "description": "A JSON value every string of which (member names included) may be stored. Which members and types a workflow takes is in GET /workflows/{name}.",
            "anyOf": [
              {"$ref": "#/components/schemas/Text"},
              {"type": "number"},
              {"type": "boolean"},
              {"type": "null"},
              {"type": "array", "items": {"$ref": "#/components/schemas/StorableValue"}},
              {"$ref": "#/components/schemas/StorableObject"}
            ]
          },
          "StorableObject": {
            "type": "object",
            "propertyNames": {"$ref": "#/components/schemas/MemberName"},
            "additionalProperties": {"$ref": "#/components/schemas/StorableValue"}
          },
          "OpenCase": {
            "type": "object",
            "required": ["owner", "workflow"],
            "properties": {
              "workflow": {
                "allOf": [{"$ref": "#/components/schemas/Text"}],
                "description": "the workflow's name (GET /workflows); its newest version opens the case"
              },
              "owner": {
                "type": "string",
                "maxLength": 200,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "who owns the case: up to 200 characters, not only spaces"
              },
              "fields": {
                "anyOf": [
                  {
                    "allOf": [{"$ref": "#/components/schemas/StorableObject"}],
                    "description": "the workflow's fields settable at opening (its `fields`); null or absent: none"
                  },
                  {"type": "null"}
                ]
              },
              "people": {
                "type": ["object", "null"],
                "additionalProperties": {
                  "type": "array",
                  "maxItems": 20,
                  "items": {"$ref": "#/components/schemas/CasePerson"}
                },
                "description": "the people the case names for its workflow's roles (role → people); notifications to a role go to them before the directory"
              },
              "unit": {
                "anyOf": [
                  {
                    "allOf": [{"$ref": "#/components/schemas/Text"}],
                    "description": "the HSA-id of a unit in the register (GET /register/units): it fills the workflow's `enhet`, `vardgivare` and `listade` the body leaves out; null or absent: none"
                  },
                  {"type": "null"}
                ]
              },
              "contract": {
                "anyOf": [
                  {
                    "allOf": [{"$ref": "#/components/schemas/Text"}],
                    "description": "the id of a contract in the register (GET /register/contracts), of the unit's provider and listing the unit if it lists any: it fills `vardgivare` and `avtalsomrade`; null or absent: none"
                  },
                  {"type": "null"}
                ]
              }
            },
            "additionalProperties": false
          },
          "CasePerson": {
            "type": "object",
            "required": ["email", "name"],
            "properties": {
              "name": {"allOf": [{"$ref": "#/components/schemas/Text"}]},
              "email": {"type": "string", "format": "email", "maxLength": 254}
            },
            "additionalProperties": false,
            "description": "a person named on a case for a role"
          },
          "ApplyEvent": {
            "type": "object",
            "required": ["event"],
            "properties": {
              "event": {
                "allOf": [{"$ref": "#/components/schemas/Text"}],
                "description": "an event of the case's workflow (the case's `allowedEvents`), `checklist.tick` / `checklist.untick`, `case.people` (payload `{role, people}`), `case.reassign` (payload `{owner}`, with a reason) or `case.annul` (payload `{seq}`, with a reason; the workflow's `corrections` roles)"
              },
              "payload": {
                "anyOf": [
                  {
                    "allOf": [{"$ref": "#/components/schemas/StorableObject"}],
                    "description": "the event's payload fields; for checklist.tick `{checklist, item, note}`; null or absent: none"
                  },
                  {"type": "null"}
                ]
              },
              "reason": {
                "anyOf": [
                  {
                    "allOf": [{"$ref": "#/components/schemas/Text"}],
                    "description": "why; required by events whose `reason` is `required`"
                  },
                  {"type": "null"}
                ]
              }
            },
            "additionalProperties": false
          },
          "LinkCases": {
            "type": "object",
            "required": ["case"],
            "properties": {
              "case": {
                "allOf": [{"$ref": "#/components/schemas/Text"}],
                "description": "the id of the case to link this one to (not this one)"
              },
              "relation": {
                "type": ["string", "null"],
                "maxLength": 10000,
                "pattern": "^[A-Za-z][A-Za-z0-9_-]*$",
                "description": "a name: a letter, then letters, digits, '_' or '-' (other Unicode letters and digits are taken too); null or absent: `related`"
              },
              "reason": {"anyOf": [{"allOf": [{"$ref": "#/components/schemas/Text"}]}, {"type": "null"}]}
            },
            "additionalProperties": false
          },
          "FieldProblem": {
            "type": "object",
            "required": ["field", "problem"],
            "properties": {"field": {"type": "string"}, "problem": {"type": "string"}},
            "additionalProperties": false
          },
          "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details. A refused request changed nothing.",
            "required": ["type", "title", "status", "detail"],
            "properties": {
              "type": {
                "type": "string",
                "pattern": "^urn:bevaka:problem:[a-z0-9-]+$",
                "description": "urn:bevaka:problem:SLUG"
              },
              "title": {"type": "string"},
              "status": {"type": "integer", "minimum": 400, "maximum": 599},
              "detail": {"type": "string"},
              "instance": {"type": "string", "description": "the request's path"},
              "errors": {
                "anyOf": [
                  {"type": "array", "items": {"$ref": "#/components/schemas/FieldProblem"}},
                  {"type": "array", "items": {"type": "string"}}
                ],
                "description": "what is wrong: member by member (invalid-request, invalid-payload, unknown-workflow), or one sentence per problem, an import's with its line (register-invalid)"
              },
              "accepted": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the events the state accepts (event-not-accepted, unknown-event)"
              },
              "allowedRoles": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the roles that may (role-not-allowed, role-needed, team-only)"
              },
              "role": {"type": "string"},
              "roles": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the roles the caller holds (role-not-held)"
              },
              "event": {"type": "string"},
              "state": {"type": "string"},
              "conditions": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the conditions that failed (condition-not-met)"
              },
              "reasons": {"type": "array", "items": {"type": "string"}, "description": "why not (hand-over-refused)"},
              "checklist": {"type": "string"},
              "item": {"type": "string"},
              "known": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the workflows that open cases (unknown-workflow)"
              },
              "limit": {
                "type": "integer",
                "minimum": 1,
                "description": "how many feeds may be active at once (calendar-feed-limit)"
              },
              "deliveryStatus": {
                "type": "string",
                "enum": ["pending", "delivered", "dead", "digest", "unconfigured"],
                "description": "where the delivery stands (delivery-not-dead)"
              }
            },
            "additionalProperties": false
          },
          "Health": {
            "type": "object",
            "required": ["pendingTimers", "status", "workflows"],
            "properties": {
              "status": {"const": "ok"},
              "pendingTimers": {"type": "integer", "minimum": 0},
              "workflows": {"type": "integer", "minimum": 0, "description": "loaded workflow versions"}
            },
            "additionalProperties": false
          },
          "Ready": {
            "type": "object",
            "required": ["status"],
            "properties": {"status": {"const": "ready"}},
            "additionalProperties": false
          },
          "CaseSummary": {
            "type": "object",
            "required": [
              "contract",
              "createdAt",
              "final",
              "id",
              "nextDueAt",
              "overdue",
              "owner",
              "state",
              "stateTitle",
              "unit",
              "updatedAt",
              "version",
              "workflow",
              "workflowVersion"
            ],
            "properties": {
              "id": {"type": "string"},
              "workflow": {"type": "string"},
              "workflowVersion": {"type": "integer", "minimum": 1},
              "state": {"type": "string"},
              "stateTitle": {"type": ["string", "null"]},
              "final": {"type": "boolean"},
              "owner": {"type": "string"},
              "unit": {"type": ["string", "null"], "description": "the HSA-id of the register's unit the case names"},
              "contract": {"type": ["string", "null"], "description": "the id of the register's contract the case names"},
              "version": {"type": "integer", "minimum": 0, "description": "grows by one with every change"},
              "createdAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "updatedAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "overdue": {"type": "boolean", "description": "a deadline is already past"},
              "nextDueAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "hiddenFields": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the workflow's personal fields left out for this caller (none of the roles named for them); absent when none is"
              }
            },
            "additionalProperties": false
          },
          "Deadline": {
            "type": "object",
            "required": ["dueAt", "dueAtLocal", "expired", "name", "overdue", "raises", "title"],
            "properties": {
              "name": {"type": "string"},
              "title": {"type": ["string", "null"]},
              "dueAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "dueAtLocal": {
                "type": "string",
                "format": "date-time",
                "description": "Europe/Stockholm wall-clock time with its offset (2026-12-14T17:00:00+01:00)"
              },
              "expired": {"type": "boolean"},
              "overdue": {"type": "boolean"},
              "raises": {"type": ["string", "null"]}
            },
            "additionalProperties": false
          },
          "EventDescription": {
            "type": "object",
            "required": ["event", "payload", "reason", "roles", "title"],
            "properties": {
              "event": {"type": "string"},
              "title": {"type": ["string", "null"]},
              "roles": {"type": "array", "items": {"type": "string"}},
              "payload": {
                "type": "object",
                "additionalProperties": {"enum": ["required", "optional"]},
                "description": "payload field → required or optional"
              },
              "reason": {"enum": ["none", "optional", "required"]}
            },
            "additionalProperties": false
          },
          "ChecklistSummary": {
            "type": "object",
            "required": ["done", "name", "open", "total"],
            "properties": {
              "name": {"type": "string"},
              "open": {"type": "boolean"},
              "done": {"type": "integer", "minimum": 0},
              "total": {"type": "integer", "minimum": 0}
            },
            "additionalProperties": false
          },
          "Accrual": {
            "type": "object",
            "required": ["currency", "name", "quantities", "rates", "running"],
            "properties": {
              "name": {"type": "string"},
              "running": {"type": "boolean"},
              "currency": {"type": "string"},
              "rates": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["from", "rate", "until"],
                  "properties": {
                    "from": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
                    "until": {"type": ["string", "null"], "format": "date", "description": "YYYY-MM-DD"},
                    "rate": {"type": "string", "description": "a decimal, as text"}
                  },
                  "additionalProperties": false
                }
              },
              "quantities": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["from", "quantity"],
                  "properties": {
                    "from": {"type": ["string", "null"], "format": "date", "description": "YYYY-MM-DD"},
                    "quantity": {"type": "integer"}
                  },
                  "additionalProperties": false
                }
              }
            },
            "additionalProperties": false
          },
          "CaseDetail": {
            "description": "The case: its summary and fields, derived values, deadlines, what may happen next, checklists and accruals.",
            "type": "object",
            "properties": {
              "id": {"type": "string"},
              "workflow": {"type": "string"},
              "workflowVersion": {"type": "integer", "minimum": 1},
              "state": {"type": "string"},
              "stateTitle": {"type": ["string", "null"]},
              "final": {"type": "boolean"},
              "owner": {"type": "string"},
              "unit": {"type": ["string", "null"], "description": "the HSA-id of the register's unit the case names"},
              "contract": {"type": ["string", "null"], "description": "the id of the register's contract the case names"},
              "version": {"type": "integer", "minimum": 0, "description": "grows by one with every change"},
              "createdAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "updatedAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "overdue": {"type": "boolean", "description": "a deadline is already past"},
              "nextDueAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "hiddenFields": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the workflow's personal fields left out for this caller (none of the roles named for them); absent when none is"
              },
              "fields": {
                "type": "object",
                "additionalProperties": {"description": "any JSON value"},
                "description": "field → value"
              },
              "people": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/CasePerson"}},
                "description": "role → the people the case names for it"
              },
              "derived": {
                "type": "object",
                "additionalProperties": {"description": "any JSON value"},
                "description": "derived value → value, at the time of the answer"
              },
              "stateEnteredAt": {
                "type": "string",
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "deadlines": {"type": "array", "items": {"$ref": "#/components/schemas/Deadline"}},
              "allowedEvents": {"type": "array", "items": {"$ref": "#/components/schemas/EventDescription"}},
              "checklists": {"type": "array", "items": {"$ref": "#/components/schemas/ChecklistSummary"}},
              "accruals": {"type": "array", "items": {"$ref": "#/components/schemas/Accrual"}}
            },
            "required": [
              "accruals",
              "allowedEvents",
              "checklists",
              "contract",
              "createdAt",
              "deadlines",
              "derived",
              "fields",
              "final",
              "id",
              "nextDueAt",
              "overdue",
              "owner",
              "people",
              "state",
              "stateEnteredAt",
              "stateTitle",
              "unit",
              "updatedAt",
              "version",
              "workflow",
              "workflowVersion"
            ],
            "additionalProperties": false
          },
          "CaseList": {
            "type": "object",
            "required": ["items", "next"],
            "properties": {
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/CaseSummary"}},
              "next": {
                "type": ["string", "null"],
                "description": "an opaque cursor to pass as `after` for the next page (with the same `order`); null: this is the last page"
              }
            },
            "additionalProperties": false
          },
          "HistoryItem": {
            "type": "object",
            "required": [
              "actor",
              "at",
              "effectiveAt",
              "effectiveAtLocal",
              "event",
              "fromState",
              "hash",
              "notes",
              "payload",
              "previousHash",
              "reason",
              "role",
              "seq",
              "toState"
            ],
            "properties": {
              "seq": {"type": "integer", "minimum": 1},
              "at": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "actor": {"type": "string"},
              "role": {"type": "string"},
              "event": {"type": "string"},
              "fromState": {"type": ["string", "null"]},
              "toState": {"type": "string"},
              "payload": {"description": "any JSON value"},
              "reason": {"type": ["string", "null"]},
              "notes": {"type": "array", "items": {"type": "string"}},
              "previousHash": {"type": "string"},
              "hash": {"type": "string"},
              "effectiveAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "when the event took effect, where its workflow says (`at` is when it was registered)"
              },
              "effectiveAtLocal": {
                "type": ["string", "null"],
                "description": "the same in Europe/Stockholm wall-clock time"
              }
            },
            "additionalProperties": false
          },
          "History": {
            "type": "object",
            "required": ["caseId", "chainIntact", "items"],
            "properties": {
              "caseId": {"type": "string"},
              "chainIntact": {"type": "boolean", "description": "the hash chain recomputes"},
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/HistoryItem"}}
            },
            "additionalProperties": false
          },
          "Ledger": {
            "type": "object",
            "required": ["asOf", "currency", "months", "total"],
            "properties": {
              "asOf": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
              "currency": {"type": "string"},
              "total": {
                "type": "string",
                "pattern": "^-?[0-9]+\\.[0-9]{2}$",
                "description": "kronor with two decimals (öre), as text"
              },
              "months": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["amount", "month", "rows"],
                  "properties": {
                    "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                    "amount": {
                      "type": "string",
                      "pattern": "^-?[0-9]+\\.[0-9]{2}$",
                      "description": "kronor with two decimals (öre), as text"
                    },
                    "rows": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "required": [
                          "accrual",
                          "amount",
                          "currency",
                          "days",
                          "daysInMonth",
                          "from",
                          "quantity",
                          "rate",
                          "segment",
                          "through"
                        ],
                        "properties": {
                          "accrual": {"type": "string"},
                          "segment": {"type": "integer"},
                          "from": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
                          "through": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
                          "days": {"type": "integer", "minimum": 0},
                          "daysInMonth": {"type": "integer", "minimum": 28, "maximum": 31},
                          "rate": {"type": "string"},
                          "quantity": {"type": "integer"},
                          "amount": {
                            "type": "string",
                            "pattern": "^-?[0-9]+\\.[0-9]{2}$",
                            "description": "kronor with two decimals (öre), as text"
                          },
                          "currency": {"type": "string"}
                        },
                        "additionalProperties": false
                      }
                    }
                  },
                  "additionalProperties": false
                }
              }
            },
            "additionalProperties": false
          },
          "Notification": {
            "type": "object",
            "required": [
              "createdAt",
              "data",
              "deadline",
              "dueAt",
              "event",
              "id",
              "recipients",
              "state",
              "status",
              "template",
              "type",
              "urgent",
              "webhooks"
            ],
            "properties": {
              "id": {"type": "integer", "minimum": 1},
              "createdAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "type": {"type": "string"},
              "recipients": {"type": "array", "items": {"type": "string"}},
              "webhooks": {"type": "array", "items": {"type": "string"}},
              "template": {"type": ["string", "null"]},
              "urgent": {"type": "boolean"},
              "deadline": {"type": ["string", "null"]},
              "dueAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "event": {"type": ["string", "null"]},
              "state": {"type": "string"},
              "status": {"enum": ["pending", "delivered", "dead", "unconfigured"], "description": "over all its deliveries"},
              "data": {"description": "any JSON value"}
            },
            "additionalProperties": false
          },
          "Notifications": {
            "type": "object",
            "required": ["caseId", "items"],
            "properties": {
              "caseId": {"type": "string"},
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/Notification"}}
            },
            "additionalProperties": false
          },
          "ChecklistItem": {
            "type": "object",
            "required": [
              "due",
              "dueAt",
              "dueAtLocal",
              "group",
              "id",
              "note",
              "reminders",
              "roles",
              "status",
              "tickedAt",
              "tickedBy",
              "tickedRole",
              "title"
            ],
            "properties": {
              "id": {"type": "string"},
              "title": {"type": "string"},
              "roles": {"type": "array", "items": {"type": "string"}},
              "group": {"type": ["string", "null"]},
              "due": {"type": "string", "description": "as written in the workflow"},
              "status": {"enum": ["waiting", "open", "overdue", "done"]},
              "dueAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "dueAtLocal": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "Europe/Stockholm wall-clock time with its offset (2026-12-14T17:00:00+01:00)"
              },
              "tickedAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "tickedBy": {"type": ["string", "null"]},
              "tickedRole": {"type": ["string", "null"]},
              "note": {"type": ["string", "null"]},
              "reminders": {"type": "integer", "minimum": 0}
            },
            "additionalProperties": false
          },
          "Checklist": {
            "type": "object",
            "required": [
              "closedAt",
              "closedBecause",
              "counts",
              "groups",
              "items",
              "name",
              "open",
              "openedAt",
              "title",
              "total"
            ],
            "properties": {
              "name": {"type": "string"},
              "title": {"type": ["string", "null"]},
              "open": {"type": "boolean"},
              "openedAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "closedAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "closedBecause": {"type": ["string", "null"]},
              "total": {"type": "integer", "minimum": 0},
              "counts": {
                "type": "object",
                "required": ["done", "open", "overdue", "waiting"],
                "properties": {
                  "done": {"type": "integer", "minimum": 0},
                  "overdue": {"type": "integer", "minimum": 0},
                  "open": {"type": "integer", "minimum": 0},
                  "waiting": {"type": "integer", "minimum": 0}
                },
                "additionalProperties": false
              },
              "groups": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["name", "openedAt", "title", "when"],
                  "properties": {
                    "name": {"type": "string"},
                    "title": {"type": ["string", "null"]},
                    "when": {"type": "string"},
                    "openedAt": {
                      "type": ["string", "null"],
                      "format": "date-time",
                      "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/ChecklistItem"}}
            },
            "additionalProperties": false
          },
          "Checklists": {
            "type": "object",
            "required": ["caseId", "items", "state", "workflow"],
            "properties": {
              "caseId": {"type": "string"},
              "workflow": {"type": "string"},
              "state": {"type": "string"},
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/Checklist"}}
            },
            "additionalProperties": false
          },
          "Link": {
            "type": "object",
            "required": ["case", "createdAt", "relation"],
            "properties": {
              "case": {"type": "string"},
              "relation": {"type": "string"},
              "createdAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"}
            },
            "additionalProperties": false
          },
          "Links": {
            "type": "object",
            "required": ["caseId", "items"],
            "properties": {
              "caseId": {"type": "string"},
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}}
            },
            "additionalProperties": false
          },
          "Delivery": {
            "type": "object",
            "required": [
              "attemptCount",
              "caseId",
              "channel",
              "createdAt",
              "deliveredAt",
              "heldUntil",
              "id",
              "kind",
              "lastError",
              "messageId",
              "nextAttemptAt",
              "notificationId",
              "status",
              "target",
              "type",
              "urgent"
            ],
            "properties": {
              "id": {"type": "integer", "minimum": 1},
              "kind": {"enum": ["notification", "digest", "alert"]},
              "notificationId": {"type": ["integer", "null"], "minimum": 1},
              "messageId": {"type": "string"},
              "caseId": {"type": ["string", "null"]},
              "channel": {"enum": ["webhook", "email"]},
              "target": {"type": "string", "description": "endpoint name or email address"},
              "type": {"type": "string"},
              "urgent": {"type": "boolean"},
              "status": {"enum": ["pending", "delivered", "dead", "digest", "unconfigured"]},
              "attemptCount": {"type": "integer", "minimum": 0},
              "nextAttemptAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "heldUntil": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "lastError": {"type": ["string", "null"]},
              "createdAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "deliveredAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              }
            },
            "additionalProperties": false
          },
          "DeliveryDetail": {
            "description": "A delivery with every attempt.",
            "type": "object",
            "properties": {
              "id": {"type": "integer", "minimum": 1},
              "kind": {"enum": ["notification", "digest", "alert"]},
              "notificationId": {"type": ["integer", "null"], "minimum": 1},
              "messageId": {"type": "string"},
              "caseId": {"type": ["string", "null"]},
              "channel": {"enum": ["webhook", "email"]},
              "target": {"type": "string", "description": "endpoint name or email address"},
              "type": {"type": "string"},
              "urgent": {"type": "boolean"},
              "status": {"enum": ["pending", "delivered", "dead", "digest", "unconfigured"]},
              "attemptCount": {"type": "integer", "minimum": 0},
              "nextAttemptAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "heldUntil": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "lastError": {"type": ["string", "null"]},
              "createdAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "deliveredAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "attempts": {"type": "array", "items": {"$ref": "#/components/schemas/DeliveryAttempt"}}
            },
            "required": [
              "attemptCount",
              "attempts",
              "caseId",
              "channel",
              "createdAt",
              "deliveredAt",
              "heldUntil",
              "id",
              "kind",
              "lastError",
              "messageId",
              "nextAttemptAt",
              "notificationId",
              "status",
              "target",
              "type",
              "urgent"
            ],
            "additionalProperties": false
          },
          "DeliveryAttempt": {
            "type": "object",
            "required": ["attempt", "durationMs", "error", "outcome", "startedAt", "statusCode"],
            "properties": {
              "attempt": {"type": "integer", "minimum": 1},
              "startedAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "durationMs": {"type": "integer", "minimum": 0},
              "outcome": {"enum": ["delivered", "failed", "rejected", "gone", "not-sent"]},
              "statusCode": {"type": ["integer", "null"], "description": "HTTP status or SMTP reply code"},
              "error": {"type": ["string", "null"]}
            },
            "additionalProperties": false
          },
          "DeliveryList": {
            "type": "object",
            "required": ["counts", "items", "next"],
            "properties": {
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/Delivery"}},
              "next": {
                "type": ["string", "null"],
                "pattern": "^[0-9]+$",
                "description": "the id to pass as `before` for the next page"
              },
              "counts": {
                "type": "object",
                "description": "deliveries by status",
                "propertyNames": {"enum": ["pending", "delivered", "dead", "digest", "unconfigured"]},
                "additionalProperties": {"type": "integer", "minimum": 0}
              }
            },
            "additionalProperties": false
          },
          "Webhook": {
            "type": "object",
            "required": [
              "connections",
              "disabledAt",
              "disabledBecause",
              "enabled",
              "name",
              "officeHours",
              "personalData",
              "secrets",
              "types",
              "url"
            ],
            "properties": {
              "name": {"type": "string"},
              "url": {"type": "string"},
              "types": {"type": "array", "items": {"type": "string"}},
              "personalData": {"type": "boolean"},
              "officeHours": {"type": "boolean"},
              "secrets": {"type": "integer", "minimum": 0, "description": "how many signing secrets (never the secrets)"},
              "connections": {
                "type": "integer",
                "minimum": 1,
                "maximum": 16,
                "description": "requests to it at once at most"
              },
              "enabled": {"type": "boolean"},
              "disabledAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "disabledBecause": {"type": ["string", "null"]}
            },
            "additionalProperties": false
          },
          "Webhooks": {
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Webhook"}}},
            "additionalProperties": false
          },
          "WebhookEnabled": {
            "type": "object",
            "required": ["changed", "enabled", "name"],
            "properties": {
              "name": {"type": "string"},
              "enabled": {"const": true},
              "changed": {"type": "boolean", "description": "false if it was enabled already"}
            },
            "additionalProperties": false
          },
          "WorkflowSummary": {
            "type": "object",
            "required": ["name", "title", "version", "versions"],
            "properties": {
              "name": {"type": "string"},
              "version": {"type": "integer", "minimum": 1},
              "title": {"type": "string"},
              "versions": {"type": "array", "items": {"type": "integer", "minimum": 1}}
            },
            "additionalProperties": false
          },
          "Workflows": {
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/WorkflowSummary"}}},
            "additionalProperties": false
          },
          "Transition": {
            "type": "object",
            "required": ["if", "set", "to"],
            "properties": {
              "if": {"type": ["string", "null"]},
              "to": {"type": ["string", "null"]},
              "set": {"type": "object", "additionalProperties": {"type": "string"}}
            },
            "additionalProperties": false
          },
          "DeadlineDefinition": {
            "type": "object",
            "required": ["name", "raises", "remind", "time", "title"],
            "properties": {
              "name": {"type": "string"},
              "title": {"type": ["string", "null"]},
              "time": {"type": ["string", "null"]},
              "remind": {"type": "array", "items": {"type": "string"}},
              "raises": {"type": ["string", "null"]},
              "at": {"type": "string", "description": "the date field it falls on"},
              "after": {"type": "string", "description": "a duration after entering the state, or after `from`"},
              "from": {"type": "string", "description": "the field `after` counts from"}
            },
            "additionalProperties": false
          },
          "WorkflowField": {
            "type": "object",
            "required": ["name", "personal", "required", "type"],
            "properties": {
              "name": {"type": "string"},
              "type": {"enum": ["string", "integer", "decimal", "boolean", "date", "datetime", "duration", "enum", "list"]},
              "required": {"type": "boolean"},
              "personal": {"type": "boolean"},
              "values": {"type": "array", "items": {"type": "string"}},
              "title": {"type": "string"},
              "valueTitles": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "an enum field's values as people read them (a value without a title is itself)"
              },
              "min": {"type": "string", "description": "a number, as text"},
              "max": {"type": "string", "description": "a number, as text"},
              "default": {"description": "any JSON value"}
            },
            "additionalProperties": false
          },
          "WorkflowDetail": {
            "description": "One version of a workflow.",
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "version": {"type": "integer", "minimum": 1},
              "title": {"type": "string"},
              "versions": {"type": "array", "items": {"type": "integer", "minimum": 1}},
              "description": {"type": ["string", "null"]},
              "dueTime": {"type": "string", "description": "the time of day deadlines fall at (HH:MM)"},
              "timeZone": {"const": "Europe/Stockholm"},
              "roles": {"type": "object", "additionalProperties": {"type": "string"}, "description": "role → title"},
              "fields": {"type": "array", "items": {"$ref": "#/components/schemas/WorkflowField"}},
              "derived": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["expression", "name", "type"],
                  "properties": {"name": {"type": "string"}, "expression": {"type": "string"}, "type": {"type": "string"}},
                  "additionalProperties": false
                }
              },
              "events": {"type": "array", "items": {"$ref": "#/components/schemas/EventDescription"}},
              "states": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["deadlines", "final", "initial", "name", "on", "title"],
                  "properties": {
                    "name": {"type": "string"},
                    "title": {"type": ["string", "null"]},
                    "initial": {"type": "boolean"},
                    "final": {"type": "boolean"},
                    "deadlines": {"type": "array", "items": {"$ref": "#/components/schemas/DeadlineDefinition"}},
                    "on": {
                      "type": "object",
                      "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/Transition"}},
                      "description": "event → transitions, first whose `if` holds"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "anyState": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/Transition"}}
              },
              "accruals": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": [
                    "currency",
                    "from",
                    "in",
                    "name",
                    "onRateChange",
                    "per",
                    "proration",
                    "quantityChangesFrom",
                    "rate",
                    "times",
                    "title",
                    "until",
                    "when"
                  ],
                  "properties": {
                    "name": {"type": "string"},
                    "title": {"type": ["string", "null"]},
                    "in": {"type": "array", "items": {"type": "string"}},
                    "when": {"type": ["string", "null"]},
                    "from": {"type": "string"},
                    "until": {"type": ["string", "null"]},
                    "rate": {"type": "string"},
                    "times": {"type": ["string", "null"]},
                    "per": {"const": "month"},
                    "proration": {"enum": ["days", "whole-months"]},
                    "onRateChange": {"enum": ["replace", "add"]},
                    "quantityChangesFrom": {"enum": ["month-start", "event-date"]},
                    "currency": {"type": "string"}
                  },
                  "additionalProperties": false
                }
              }
            },
            "required": [
              "accruals",
              "anyState",
              "derived",
              "description",
              "dueTime",
              "events",
              "fields",
              "name",
              "roles",
              "states",
              "timeZone",
              "title",
              "version",
              "versions"
            ],
            "additionalProperties": false
          },
          "Session": {
            "type": "object",
            "required": ["kind", "name", "roles", "subject"],
            "properties": {
              "subject": {"type": "string"},
              "name": {"type": "string"},
              "kind": {"enum": ["person", "system", "development"]},
              "roles": {"type": "array", "items": {"type": "string"}},
              "csrfToken": {
                "type": "string",
                "description": "the token a browser session's changes must carry (X-CSRF-Token or _csrf)"
              },
              "expiresAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"}
            },
            "additionalProperties": false,
            "description": "Who is asking; a browser session also gives its CSRF token and when it ends"
          },
          "AccessLogEntry": {
            "type": "object",
            "required": ["action", "at", "caseId", "client", "id", "name", "personalShown", "role", "subject"],
            "properties": {
              "id": {"type": "integer", "minimum": 1},
              "at": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "subject": {"type": "string"},
              "name": {"type": "string"},
              "role": {"type": "string"},
              "caseId": {"type": "string"},
              "action": {"type": "string"},
              "client": {"type": "string"},
              "personalShown": {"type": "boolean"}
            },
            "additionalProperties": false,
            "description": "One read of a case holding personal data"
          },
          "AccessLog": {
            "type": "object",
            "required": ["items", "next"],
            "properties": {
              "items": {"type": "array", "items": {"$ref": "#/components/schemas/AccessLogEntry"}},
              "next": {"type": ["string", "null"], "description": "pass as `before` for the next page"}
            },
            "additionalProperties": false,
            "description": "The access log, newest first"
          },
          "Board": {
            "type": "object",
            "required": ["code", "name"],
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            "additionalProperties": false,
            "description": "A board (nämnd) that contracts answer to"
          },
          "Provider": {
            "type": "object",
            "required": ["group", "id", "name"],
            "properties": {
              "id": {"type": "string"},
              "name": {"type": "string"},
              "group": {"type": ["string", "null"], "description": "its group (koncern)"}
            },
            "additionalProperties": false,
            "description": "A care provider (vårdgivare)"
          },
          "ListedCount": {
            "type": "object",
            "required": ["from", "listed"],
            "properties": {
              "from": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
              "listed": {"type": "integer", "minimum": 0}
            },
            "additionalProperties": false,
            "description": "listed patients from a date on"
          },
          "Unit": {
            "type": "object",
            "required": ["hsaId", "listed", "name", "provider"],
            "properties": {
              "hsaId": {"type": "string"},
              "name": {"type": "string"},
              "provider": {"type": "string", "description": "its provider's id"},
              "listed": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ListedCount"},
                "description": "oldest first"
              }
            },
            "additionalProperties": false,
            "description": "A care unit (vårdenhet), keyed by its HSA-id, with its listed patients over time"
          },
          "Contract": {
            "type": "object",
            "required": ["area", "board", "end", "id", "provider", "start", "team", "units"],
            "properties": {
              "id": {"type": "string"},
              "provider": {"type": "string", "description": "its provider's id"},
              "area": {"type": "string"},
              "board": {"type": "string", "description": "its board's code"},
              "start": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
              "end": {"type": ["string", "null"], "format": "date", "description": "YYYY-MM-DD"},
              "team": {"type": ["string", "null"]},
              "units": {"type": "array", "items": {"type": "string"}, "description": "the HSA-ids of its units"}
            },
            "additionalProperties": false,
            "description": "A contract (avtal): its provider, area, board, period, team and units"
          },
          "BoardList": {
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Board"}}},
            "additionalProperties": false
          },
          "ProviderList": {
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Provider"}}},
            "additionalProperties": false
          },
          "UnitList": {
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}}},
            "additionalProperties": false
          },
          "ContractList": {
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Contract"}}},
            "additionalProperties": false
          },
          "PutBoard": {
            "type": "object",
            "required": ["name"],
            "properties": {
              "name": {
                "type": "string",
                "maxLength": 400,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "at most 400 characters, not only spaces"
              }
            },
            "additionalProperties": false
          },
          "PutProvider": {
            "type": "object",
            "required": ["name"],
            "properties": {
              "name": {
                "type": "string",
                "maxLength": 400,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "at most 400 characters, not only spaces"
              },
              "group": {
                "type": ["string", "null"],
                "maxLength": 400,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$"
              }
            },
            "additionalProperties": false
          },
          "PutUnit": {
            "type": "object",
            "required": ["name", "provider"],
            "properties": {
              "name": {
                "type": "string",
                "maxLength": 400,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "at most 400 characters, not only spaces"
              },
              "provider": {
                "type": "string",
                "maxLength": 400,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "the id of a provider in the register"
              },
              "listed": {
                "type": ["array", "null"],
                "maxItems": 1000,
                "items": {
                  "type": "object",
                  "required": ["from", "listed"],
                  "properties": {
                    "from": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
                    "listed": {"type": "integer", "minimum": 0, "maximum": 1000000000000}
                  },
                  "additionalProperties": false
                },
                "description": "counts to add or change (by `from`; each `from` once); the counts of other dates are kept"
              }
            },
            "additionalProperties": false
          },
          "PutContract": {
            "type": "object",
            "required": ["area", "board", "provider", "start"],
            "properties": {
              "provider": {
                "type": "string",
                "maxLength": 400,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "the id of a provider in the register"
              },
              "area": {
                "type": "string",
                "maxLength": 400,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "the contract's area (VV Vårdcentral, LOU, IOP, …)"
              },
              "board": {
                "type": "string",
                "maxLength": 400,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "the code of a board in the register"
              },
              "start": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
              "end": {
                "type": ["string", "null"],
                "format": "date",
                "description": "the last day (not before `start`); null or absent: open-ended"
              },
              "team": {
                "type": ["string", "null"],
                "maxLength": 400,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$"
              },
              "units": {
                "type": ["array", "null"],
                "maxItems": 1000,
                "uniqueItems": true,
                "items": {"$ref": "#/components/schemas/Text"},
                "description": "HSA-ids of the register's units of the contract's provider; the list replaces the contract's units"
              }
            },
            "additionalProperties": false
          },
          "RegisterChange": {
            "type": "object",
            "required": ["actor", "after", "at", "before", "change"],
            "properties": {
              "at": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "actor": {"type": "string"},
              "change": {"enum": ["created", "changed"]},
              "before": {"type": ["object", "null"], "description": "the item before (its stored members)"},
              "after": {"type": "object", "description": "the item after (its stored members)"}
            },
            "additionalProperties": false
          },
          "RegisterHistory": {
            "type": "object",
            "required": ["items"],
            "properties": {
              "items": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/RegisterChange"},
                "description": "oldest first"
              }
            },
            "additionalProperties": false
          },
          "RegisterImport": {
            "type": "object",
            "required": ["changed", "created", "dryRun", "unchanged"],
            "properties": {
              "created": {"type": "integer", "minimum": 0},
              "changed": {"type": "integer", "minimum": 0},
              "unchanged": {"type": "integer", "minimum": 0},
              "dryRun": {"type": "boolean", "description": "true: checked and counted, nothing written"}
            },
            "additionalProperties": false
          },
          "TrafficLight": {
            "type": "object",
            "required": ["actor", "assessedOn", "at", "colour", "colourTitle", "comment"],
            "properties": {
              "colour": {"enum": ["rod", "gul", "gron"]},
              "colourTitle": {"enum": ["röd", "gul", "grön"]},
              "assessedOn": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
              "comment": {"type": "string"},
              "actor": {"type": "string"},
              "at": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"}
            },
            "additionalProperties": false,
            "description": "The team's assessment of a provider"
          },
          "TrafficLights": {
            "type": "object",
            "required": ["items"],
            "properties": {
              "items": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["current", "group", "name", "provider", "redInGroup"],
                  "properties": {
                    "provider": {"type": "string"},
                    "name": {"type": "string"},
                    "group": {"type": ["string", "null"]},
                    "current": {
                      "anyOf": [
                        {"allOf": [{"$ref": "#/components/schemas/TrafficLight"}], "description": "null: not assessed"},
                        {"type": "null"}
                      ]
                    },
                    "redInGroup": {
                      "type": "array",
                      "items": {"type": "string"},
                      "description": "the other providers of its group whose light is red"
                    }
                  },
                  "additionalProperties": false
                },
                "description": "every provider, red first, then yellow, green and not assessed, by name"
              }
            },
            "additionalProperties": false
          },
          "ProviderTrafficLight": {
            "type": "object",
            "required": ["current", "history", "provider"],
            "properties": {
              "provider": {"type": "string"},
              "current": {
                "anyOf": [
                  {"allOf": [{"$ref": "#/components/schemas/TrafficLight"}], "description": "null: not assessed"},
                  {"type": "null"}
                ]
              },
              "history": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/TrafficLight"},
                "description": "every assessment, newest first"
              }
            },
            "additionalProperties": false
          },
          "SetTrafficLight": {
            "type": "object",
            "required": ["assessedOn", "colour", "comment"],
            "properties": {
              "colour": {"enum": ["rod", "gul", "gron"]},
              "assessedOn": {
                "type": "string",
                "format": "date",
                "description": "the day of the assessment (YYYY-MM-DD), not in the future"
              },
              "comment": {
                "type": "string",
                "maxLength": 10000,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*[^\\t\\n\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "why: text that is not only spaces and line breaks"
              }
            },
            "additionalProperties": false
          },
          "Report": {
            "type": "object",
            "required": ["id", "scope", "tables", "title"],
            "properties": {
              "id": {"type": "string", "description": "board-report, deductions or care-referral"},
              "title": {"type": "string"},
              "scope": {"type": "string", "description": "what it covers (the period, the board, the area)"},
              "tables": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["columns", "id", "rows", "title"],
                  "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "columns": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "required": ["id", "title"],
                        "properties": {"id": {"type": "string"}, "title": {"type": "string"}},
                        "additionalProperties": false
                      }
                    },
                    "rows": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": {"type": ["string", "integer"]},
                        "description": "column id → cell: text, a count, or kronor with two decimals as text"
                      }
                    }
                  },
                  "additionalProperties": false
                }
              }
            },
            "additionalProperties": false,
            "description": "A report: tables of cells"
          },
          "CalendarFeed": {
            "type": "object",
            "required": ["createdAt", "createdBy", "id", "kind", "renewedAt", "revokedAt", "status", "subject", "team"],
            "properties": {
              "id": {"type": "string", "pattern": "^[a-z2-9]{12}$", "description": "the feed's id (never its secret)"},
              "kind": {"enum": ["person", "team"]},
              "subject": {"type": ["string", "null"], "description": "the person whose cases it shows (a person's feed)"},
              "team": {
                "type": ["string", "null"],
                "description": "the role whose deadlines and checklist items it shows (a team's feed)"
              },
              "createdBy": {
                "type": "string",
                "description": "who made it: the person, or the operator (bevaka calendar create)"
              },
              "createdAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "renewedAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "revokedAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "status": {"enum": ["active", "revoked"]}
            },
            "additionalProperties": false,
            "description": "An iCalendar feed, never with its secret"
          },
          "CalendarFeedWithURL": {
            "type": "object",
            "required": [
              "createdAt",
              "createdBy",
              "id",
              "kind",
              "renewedAt",
              "revokedAt",
              "status",
              "subject",
              "team",
              "url"
            ],
            "properties": {
              "id": {"type": "string", "pattern": "^[a-z2-9]{12}$", "description": "the feed's id (never its secret)"},
              "kind": {"enum": ["person", "team"]},
              "subject": {"type": ["string", "null"], "description": "the person whose cases it shows (a person's feed)"},
              "team": {
                "type": ["string", "null"],
                "description": "the role whose deadlines and checklist items it shows (a team's feed)"
              },
              "createdBy": {
                "type": "string",
                "description": "who made it: the person, or the operator (bevaka calendar create)"
              },
              "createdAt": {"type": "string", "format": "date-time", "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"},
              "renewedAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "revokedAt": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "UTC, RFC 3339 (2026-11-22T20:52:07Z)"
              },
              "status": {"enum": ["active", "revoked"]},
              "url": {
                "type": "string",
                "format": "uri",
                "pattern": "^https?://[^/]+/calendar/[A-Za-z0-9_-]{43}[.]ics$",
                "description": "the feed's address, with its secret: shown only now, to be added to a calendar program (subscribe from the web / internet calendar)"
              }
            },
            "additionalProperties": false,
            "description": "A feed just made or renewed, with its address"
          },
          "CalendarFeeds": {
            "type": "object",
            "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/CalendarFeed"}}},
            "additionalProperties": false,
            "description": "The caller's feeds (made for them, or made by them for a team), newest first"
          },
          "CreateCalendarFeed": {
            "type": "object",
            "required": [],
            "properties": {
              "team": {
                "type": ["string", "null"],
                "minLength": 1,
                "maxLength": 200,
                "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$",
                "description": "a role of the loaded workflows: the team's feed (for those who hold the role, or admins); null or absent: the caller's own feed"
              }
            },
            "additionalProperties": false,
            "description": "What feed to make; `{}` (or no body at all) for the caller's own"
          }
        },
        "responses": {
          "Unauthorized": {
            "description": "No bearer token, or one that is unknown, expired, revoked, forged or not meant for this API (auth.mode tokens and oidc) (unauthorized)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "allOf": [{"$ref": "#/components/schemas/Problem"}],
                  "properties": {"type": {"enum": ["urn:bevaka:problem:unauthorized"]}, "status": {"const": 401}}
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {"description": "Bearer realm=\"bevaka\"", "schema": {"type": "string"}, "required": true}
            }
          },
          "MisdirectedRequest": {
            "description": "The Host header is not a loopback name, the bound address or one of server.allowedHosts (host-not-allowed)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "allOf": [{"$ref": "#/components/schemas/Problem"}],
                  "properties": {"type": {"enum": ["urn:bevaka:problem:host-not-allowed"]}, "status": {"const": 421}}
                }
              }
            }
          },
          "TooManyAttempts": {
            "description": "Ten refused tokens from this address within a minute: wait Retry-After seconds (too-many-attempts)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "allOf": [{"$ref": "#/components/schemas/Problem"}],
                  "properties": {"type": {"enum": ["urn:bevaka:problem:too-many-attempts"]}, "status": {"const": 429}}
                }
              }
            },
            "headers": {
              "Retry-After": {
                "description": "seconds after which the same request may succeed",
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
                "required": true
              }
            }
          },
          "RoleNotHeld": {
            "description": "Bevaka-Role names a role the caller does not hold (role-not-held)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "allOf": [{"$ref": "#/components/schemas/Problem"}],
                  "properties": {"type": {"enum": ["urn:bevaka:problem:role-not-held"]}, "status": {"const": 403}}
                }
              }
            }
          },
          "AdminOnly": {
            "description": "Deliveries and webhooks are the operators': the caller does not act as admin, or Bevaka-Role names a role not held (role-needed, role-not-held)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "allOf": [{"$ref": "#/components/schemas/Problem"}],
                  "properties": {
                    "type": {"enum": ["urn:bevaka:problem:role-needed", "urn:bevaka:problem:role-not-held"]},
                    "status": {"const": 403}
                  }
                }
              }
            }
          },
          "StorageUnavailable": {
            "description": "The database cannot read or take writes now (disk full, I/O error); nothing changed, retry after Retry-After seconds (storage-unavailable)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "allOf": [{"$ref": "#/components/schemas/Problem"}],
                  "properties": {"type": {"enum": ["urn:bevaka:problem:storage-unavailable"]}, "status": {"const": 503}}
                }
              }
            },
            "headers": {
              "Retry-After": {
                "description": "seconds after which the same request may succeed",
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
                "required": false
              }
            }
          },
          "BodyTooLarge": {
            "description": "The body is larger than 1 MiB (body-too-large)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "allOf": [{"$ref": "#/components/schemas/Problem"}],
                  "properties": {"type": {"enum": ["urn:bevaka:problem:body-too-large"]}, "status": {"const": 413}}
                }
              }
            }
          },
          "UnsupportedMediaType": {
            "description": "The body is not sent as application/json (or a +json type) in UTF-8 (unsupported-media-type)",
            "content": {
              "application/problem+json": {
                "schema": {
                  "allOf": [{"$ref": "#/components/schemas/Problem"}],
                  "properties": {"type": {"enum": ["urn:bevaka:problem:unsupported-media-type"]}, "status": {"const": 415}}
                }
              }
            }
          }
        },
        "parameters": {
          "IdempotencyKey": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": false,
            "description": "Makes the write happen once: the key, the answer and the change are committed together, so the same request sent again with the same key gets the first answer (`Idempotent-Replayed: true`) and changes nothing; the same key with another body, or in another role, is 422 idempotency-key-reused. Keys are kept 24 hours, per caller and path. 1 to 200 visible ASCII characters (a UUID, say), sent once.",
            "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[\\x21-\\x7E]+$"}
          }
        },
        "headers": {
          "IdempotentReplayed": {
            "description": "`true` when this is the kept answer to an earlier request with the same Idempotency-Key",
            "schema": {"const": "true"}
          }
        },
        "securitySchemes": {
          "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "`auth.mode: tokens` or `oidc`. A Bevaka API token (`bvk_…`, made by `bevaka token create`; it acts as `token:NAME` in its role: a workflow role, `admin` or `auditor`), or with `oidc` a JWT access token from the region's OpenID provider (issuer, audience, expiry and scope are checked; groups and client ids map to roles). One who holds several roles names the one they act in with the `Bevaka-Role` header (403 role-not-held for another); the `Bevaka-Actor` header is refused (400)."
          },
          "sessionCookie": {
            "type": "apiKey",
            "in": "cookie",
            "name": "__Host-bevaka_session",
            "description": "`auth.mode: oidc` with `auth.oidc.web`: a browser session begun at /auth/login. Requests that change something must carry the session's CSRF token (`X-CSRF-Token`, or the form field `_csrf`; GET /auth/session gives it), else 403 csrf-token-missing."
          },
          "developmentHeaders": {
            "type": "apiKey",
            "in": "header",
            "name": "Bevaka-Actor",
            "description": "Development mode only (`auth.mode: none`, the daemon listens on loopback only): `Bevaka-Actor` names who acts (at most 200 characters) and the `Bevaka-Role` header the role they act in (one role name); both are trusted as sent. Reads need neither."
          }
        }
      }
    }
    """#

    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
