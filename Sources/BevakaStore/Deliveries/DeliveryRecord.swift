import BevakaCore
import Foundation
import GRDB

public enum DeliveryChannel: String, Sendable, CaseIterable {
    case webhook, email
}

public enum DeliveryKind: String, Sendable, CaseIterable {
    /// A notification from the outbox, to one endpoint or one mailbox.
    case notification
    /// A recipient's daily list of deadlines due today and overdue.
    case digest
    /// An email to the administrators that a delivery died or an endpoint was disabled.
    case alert
}

public enum DeliveryStatus: String, Sendable, CaseIterable {
    /// Waiting for its next attempt (`nextAttemptAt`), possibly held to office hours.
    case pending
    case delivered
    /// Every attempt failed, or it cannot be sent (e.g. no address); `POST /deliveries/{id}/retry` sends it again.
    case dead
    /// Not sent alone: its recipient reads their deadlines in the daily digest.
    case digest
    /// Not sent, and not an error: no configuration covers it (the daemon runs without email or webhooks).
    case unconfigured
}

/// What the planner decided for one outbox row and one target.
public struct PlannedDelivery: Sendable, Equatable {
    public var channel: DeliveryChannel
    /// Endpoint name (webhooks) or email address.
    public var target: String
    public var status: DeliveryStatus
    /// First attempt; later than the notification when held to office hours.
    public var notBefore: Date
    public var heldUntil: Date?
    /// Why it is dead from the start (e.g. no address for the owner).
    public var error: String?

    public init(channel: DeliveryChannel, target: String, status: DeliveryStatus = .pending, notBefore: Date,
                heldUntil: Date? = nil, error: String? = nil) {
        self.channel = channel
        self.target = target
        self.status = status
        self.notBefore = notBefore
        self.heldUntil = heldUntil
        self.error = error
    }
}

/// A message made in full by the daemon (digest, alert), stored with its delivery.
public struct ComposedEmail: Sendable, Equatable {
    public var target: String
    public var type: String
    public var subject: String
    public var body: String

    public init(target: String, type: String, subject: String, body: String) {
        self.target = target
        self.type = type
        self.subject = subject
        self.body = body
    }
}

public struct DeliveryRecord: Sendable, Equatable {
    public let id: Int64
    public let kind: DeliveryKind
    public let outboxID: Int64?
    public let caseID: String?
    public let channel: DeliveryChannel
    public let target: String
    public let type: String
    public let urgent: Bool
    public let status: DeliveryStatus
    public let attempts: Int
    /// Attempts since it was created or last retried by an operator: where it stands in the back-off schedule.
    public let attemptsThisRound: Int
    public let nextAttemptAt: Date?
    public let heldUntil: Date?
    public let lastError: String?
    public let subject: String?
    public let body: String?
    public let day: String?
    public let createdAt: Date
    public let updatedAt: Date
    public let deliveredAt: Date?
    /// Sent as `webhook-id` (`msg_…`) and in the email's `Message-ID`: the same on every
    /// attempt, unique across restores and instances (``MessageID``).
    public let messageID: String

    init(row: Row) throws {
        try self.init(id: row["id"], kind: row["kind"], outboxID: row["outbox_id"], caseID: row["case_id"], channel: row["channel"],
                      target: row["target"], type: row["type"], urgent: row["urgent"], status: row["status"], attempts: row["attempts"],
                      roundStart: row["round_start"], nextAttemptAt: row["next_attempt_at"], heldUntil: row["held_until"],
                      lastError: row["last_error"], subject: row["subject"], body: row["body"], day: row["day"],
                      createdAt: row["created_at"], updatedAt: row["updated_at"], deliveredAt: row["delivered_at"],
                      messageID: row["message_id"])
    }

    /// A delivery row's columns as stored (instants in milliseconds), whichever database they came from.
    package init(id: Int64, kind: String, outboxID: Int64?, caseID: String?, channel: String, target: String, type: String,
                 urgent: Bool, status: String, attempts: Int, roundStart: Int, nextAttemptAt: Int64?, heldUntil: Int64?,
                 lastError: String?, subject: String?, body: String?, day: String?, createdAt: Int64, updatedAt: Int64,
                 deliveredAt: Int64?, messageID: String) throws {
        guard let kind = DeliveryKind(rawValue: kind), let channel = DeliveryChannel(rawValue: channel),
              let status = DeliveryStatus(rawValue: status)
        else { throw StoreError.corrupt("delivery \(id) has an unknown kind, channel or status") }
        self.id = id
        self.kind = kind
        self.outboxID = outboxID
        self.caseID = caseID
        self.channel = channel
        self.target = target
        self.type = type
        self.urgent = urgent
        self.status = status
        self.attempts = attempts
        attemptsThisRound = attempts - roundStart
        self.nextAttemptAt = nextAttemptAt.map(Date.init(millis:))
        self.heldUntil = heldUntil.map(Date.init(millis:))
        self.lastError = lastError
        self.subject = subject
        self.body = body
        self.day = day
        self.createdAt = Date(millis: createdAt)
        self.updatedAt = Date(millis: updatedAt)
        self.deliveredAt = deliveredAt.map(Date.init(millis:))
        self.messageID = messageID
    }
}

/// One try at sending, kept for the API and for the operator.
public struct DeliveryAttempt: Sendable, Equatable {
    public let attempt: Int
    public let startedAt: Date
    public let durationMilliseconds: Int
    /// `delivered`, `failed`, `rejected` (permanent), `gone` (410) or `not-sent` (configuration).
    public let outcome: String
    /// HTTP status or SMTP reply code, when there was an answer.
    public let statusCode: Int?
    public let error: String?

    public init(attempt: Int, startedAt: Date, durationMilliseconds: Int, outcome: String, statusCode: Int?, error: String?) {
        self.attempt = attempt
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.outcome = outcome
        self.statusCode = statusCode
        self.error = error
    }
}

/// What to do with a delivery after an attempt.
public enum DeliveryDecision: Sendable, Equatable {
    case delivered
    case retry(at: Date)
    /// No more attempts; the alerts (to administrators) are queued in the same transaction.
    case dead(alerts: [ComposedEmail])
}

/// A deadline due by some instant on an open case, for the daily digest.
public struct DueDeadline: Sendable {
    public let caseID: String
    public let workflow: WorkflowKey
    public let state: String
    public let owner: String
    public let deadline: ActiveDeadline
    public let fields: [String: Value]

    package init(caseID: String, workflow: WorkflowKey, state: String, owner: String, deadline: ActiveDeadline, fields: [String: Value]) {
        self.caseID = caseID
        self.workflow = workflow
        self.state = state
        self.owner = owner
        self.deadline = deadline
        self.fields = fields
    }
}
