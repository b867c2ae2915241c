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
        "description": "Bodies are UTF-8 JSON sent as `Content-Type: application/json`. Every refusal is RFC 9457 `application/problem+json` with a `type` of `urn:bevaka:problem:SLUG`, and changes nothing. Instants are UTC (RFC 3339); `…Local` ones are Europe/Stockholm wall-clock time. Every answer carries `X-Content-Type-Options: nosniff`, `Cache-Control: no-store`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY` and `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`.\n\nWho acts depends on `auth.mode`: with `tokens` or `oidc` every operation but /healthz, /readyz, /metrics, /openapi.json and the sign-in pages needs a bearer token (`bearerAuth`) or a browser session (`sessionCookie`, with `auth.oidc.web`); in the development mode `none` reads need nothing and the writes that record an actor (POST /cases, /cases/{id}/events, /cases/{id}/links) name who acts with `Bevaka-Actor` and `Bevaka-Role` (`developmentHeaders`).\n\nA case is visible to its owner, the holders of its workflow's roles and admins; to anyone else it does not exist (404), and lists leave it out. Personal fields are shown only to the roles the workflow names for them (`hiddenFields` names those left out). Deliveries and webhooks are for the `admin` role."
      },
      "tags": [
        {"name": "cases", "description": "Cases, their events, history, ledger, notifications, checklists and links"},
        {"name": "deliveries", "description": "Emails and webhooks: what was sent, what waits, what died"},
        {"name": "workflows", "description": "The loaded workflow definitions"},
        {"name": "operations", "description": "Probes, metrics and this document; no authentication"},
        {"name": "access", "description": "Signing in, sessions and the access log"}
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
                "description": "The body is not a JSON object of this shape, a field is missing, unknown or of the wrong type for the workflow, no workflow of that name opens cases, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request, invalid-payload, unknown-workflow)",
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "allOf": [{"$ref": "#/components/schemas/Problem"}],
                      "properties": {
                        "type": {
                          "enum": [
                            "urn:bevaka:problem:invalid-request",
                            "urn:bevaka:problem:invalid-payload",
                            "urn:bevaka:problem:unknown-workflow"
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
            "summary": "List cases in creation order",
            "tags": ["cases"],
            "description": "Any other query parameter is refused (400).",
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
                "description": "the `next` of the previous page: the cases opened after this one",
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
                "description": "an unknown query parameter, or a value out of range, an unknown workflow, an `after` that names no case, or the actor headers are sent with a bearer token (tokens, oidc), or are missing or wrong (none) (invalid-request)",
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
                "type": "array",
                "items": {"$ref": "#/components/schemas/FieldProblem"},
                "description": "what is wrong, member by member (invalid-request, invalid-payload, unknown-workflow)"
              },
              "accepted": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the events the state accepts (event-not-accepted, unknown-event)"
              },
              "allowedRoles": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the roles that may (role-not-allowed)"
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
              "createdAt",
              "final",
              "id",
              "nextDueAt",
              "overdue",
              "owner",
              "state",
              "stateTitle",
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
              "next": {"type": ["string", "null"], "description": "the id to pass as `after` for the next page"}
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
