import BevakaCore
import BevakaDelivery
import BevakaStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Sends what the outbox holds: webhooks and email, at least once, with a
/// stable id, retried on a back-off schedule, and never on the writer's time.
///
/// Each round it (1) plans new outbox rows into deliveries (who, when: office
/// hours, digests), (2) queues the day's digests, (3) sends every delivery that
/// is due on its lane (``DeliveryLanes``: several per endpoint and for email,
/// side by side, each one message at a time on its own curl handle), recording
/// each attempt and its consequence (delivered, retry at, dead + alert, endpoint
/// disabled) in one transaction. A delivery is marked delivered only after the receiver said
/// so; killed in between, it is sent again after restart with the same id.
public final class DeliveryService: Service, Sendable {
    private let store: any WorkflowStore & CaseReadStore & DeliveryStore
    /// What a reload replaces: the configuration, the templates and the curl worker built from them.
    private struct Settings {
        var configuration: DeliveryConfiguration
        var planner: DeliveryPlanner
        var composer: MessageComposer
        /// One per lane, made when the lane first sends.
        var workers: [String: DeliveryWorker] = [:]

        init(_ configuration: DeliveryConfiguration, _ templates: TemplateSet) {
            self.configuration = configuration
            planner = DeliveryPlanner(configuration: configuration)
            composer = MessageComposer(templates: templates)
        }
    }
    private let settings: Mutex<Settings>
    private var configuration: DeliveryConfiguration { settings.withLock { $0.configuration } }
    private var planner: DeliveryPlanner { settings.withLock { $0.planner } }
    private var composer: MessageComposer { settings.withLock { $0.composer } }
    private func worker(for lane: String) -> DeliveryWorker {
        settings.withLock { settings in
            if let worker = settings.workers[lane] { return worker }
            let worker = DeliveryWorker(smtp: settings.configuration.email?.smtp)
            settings.workers[lane] = worker
            return worker
        }
    }
    private let bell: DeliveryBell
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private let random: @Sendable () -> Double
    private let baseURL: String
    private let logger: Logger
    private let lastDigestDay = Mutex<LocalDate?>(nil)
    /// Deliveries fetched per query while sending.
    private let batchSize = 32

    /// - Parameters:
    ///   - baseURL: how administrators reach the API, for the links in alerts.
    ///   - random: a number in 0..<1 for the jitter (fixed in tests).
    public init(store: any WorkflowStore & CaseReadStore & DeliveryStore, configuration: DeliveryConfiguration, templates: TemplateSet, bell: DeliveryBell,
                baseURL: String, clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                logger: Logger = Logger(label: "bevaka.deliveries")) {
        self.store = store
        self.settings = Mutex(Settings(configuration, templates))
        self.bell = bell
        self.clock = clock
        self.now = now
        self.random = random
        self.baseURL = baseURL
        self.logger = logger
    }

    /// Takes a new configuration and templates (SIGHUP); a message on the wire finishes with the old ones.
    public func update(configuration: DeliveryConfiguration, templates: TemplateSet) {
        let fresh = Settings(configuration, templates)
        settings.withLock { $0 = fresh }
        bell.ring()
    }

    /// The endpoints configured now (for `GET /webhooks`).
    public var webhooks: [String: WebhookEndpoint] { configuration.webhooks }

    /// Runs until a graceful shutdown: a message on the wire is finished and recorded first.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let wakeAt: Date
                do {
                    wakeAt = try await self.round() ?? self.now().addingTimeInterval(3600)
                } catch {
                    self.logger.error("deliveries.round.failed", metadata: ["error": "\(error)"])
                    wakeAt = self.now().addingTimeInterval(1)
                }
                guard !Task.isCancelled else { break }
                await self.bell.wait(until: wakeAt, clock: self.clock, now: self.now)
            }
        }
    }

    /// One round; returns when the next delivery or digest is due (nil: nothing planned).
    func round() async throws -> Date? {
        while try await store.planDeliveries(now: now(), planner: planner.plan) > 0 {}
        try await queueDigests()
        let unrecorded = try await sendDue()
        if Task.isCancelled { return nil }
        var next = try await store.nextDeliveryDue()
        if !unrecorded.isEmpty, let soonest = next, soonest <= now() {
            next = now().addingTimeInterval(1)  // one could not be recorded: look again in a second, not at once
        }
        guard let digest = nextDigest() else { return next }
        return min(next ?? digest, digest)
    }

    // MARK: Lanes

    /// Sends every delivery due (and those planned meanwhile), each on its lane, lanes side by
    /// side; returns when no lane has work left. A delivery whose attempt could not be recorded
    /// stays due; it is skipped for the rest of the round rather than sent again in a tight
    /// loop, and returned.
    private func sendDue() async throws -> Set<Int64> {
        let lanes = DeliveryLanes(webhooks: configuration.webhooks)
        try await withThrowingDiscardingTaskGroup { group in
            while !Task.isCancelled {
                // Whether every lane was idle is read before the query: then each attempt was recorded
                // before it, and an empty answer means nothing is left. Read after, it could hide what a
                // lane recorded meanwhile (the alert about a delivery that just died was left for a later round).
                let idle = lanes.isIdle
                let skipped = lanes.skipped
                let due = try await store.dueDeliveries(at: now(), limit: batchSize, excluding: skipped.ids,
                                                        skippingWebhooks: skipped.webhooks, skippingEmail: skipped.email)
                let disabled = due.isEmpty ? [:] : try await store.disabledEndpoints()
                let started = lanes.enqueue(due.map { DeliveryLanes.Item(delivery: $0.0, outbox: $0.1, disabled: disabled) })
                for lane in started {
                    let worker = worker(for: lane)
                    group.addTask { await self.drain(lane, of: lanes, on: worker) }
                }
                if due.isEmpty && idle { break }
                if started.isEmpty {
                    // Every lane with work is busy: look again shortly, for deliveries planned meanwhile too.
                    try? await Task.sleep(for: .milliseconds(10))
                    if Task.isCancelled { break }
                    while try await store.planDeliveries(now: now(), planner: planner.plan) > 0 {}
                }
            }
        }
        return lanes.unrecorded
    }

    /// Attempts whose record a lane may have on its way to the disk while it sends on.
    static let recordsAhead = 32

    /// Sends a lane's deliveries one after another until its queue is empty (or a shutdown:
    /// the message on the wire is finished and recorded first). Each attempt's record goes to
    /// the writer while the lane sends the next one, so a lane is not held by the disk: sends
    /// stay in order, and a delivery is not fetched again until its record is committed (or
    /// could not be, when it is left for a later round).
    private func drain(_ lane: String, of lanes: DeliveryLanes, on worker: DeliveryWorker) async {
        await withTaskGroup(of: Void.self) { records in
            var ahead = 0
            while let item = lanes.next(on: lane) {
                let sent = await send(item.delivery, outbox: item.outbox, disabled: item.disabled, worker: worker)
                records.addTask {
                    let recorded = await self.record(sent)
                    lanes.finish(item.delivery.id, recorded: recorded)
                }
                ahead += 1
                if ahead >= Self.recordsAhead {
                    // Bounded: a disk slower than the receiver holds the lane back, not memory.
                    await records.next()
                    ahead -= 1
                }
                if Task.isCancelled {
                    lanes.abandon(lane)
                    break
                }
            }
            // The group waits for the records still on their way.
        }
    }

    // MARK: One attempt

    /// What one attempt came to.
    enum Attempt {
        case delivered(code: Int?)
        /// Worth trying again (connection refused, 5xx, SMTP 4xx, timeout); `retryAfter` from a 429/503.
        case failed(code: Int?, error: String, retryAfter: Int?)
        /// Will not succeed however often it is tried (SMTP 5xx such as an unknown mailbox).
        case rejected(code: Int?, error: String)
        /// The endpoint answered 410 Gone: it is disabled.
        case gone
        /// Not sent at all (configuration); no alert: the cause is reported elsewhere or at once.
        case notSent(error: String, alert: Bool)
    }

    /// One attempt made, to be recorded: what happened and what comes next.
    struct Sent: Sendable {
        let delivery: DeliveryRecord
        let attempt: DeliveryAttempt
        let decision: DeliveryDecision
        let finished: Date
    }

    /// Sends once; what to record.
    private func send(_ delivery: DeliveryRecord, outbox: OutboxRecord?, disabled: [String: (at: Date, reason: String)],
                      worker: DeliveryWorker) async -> Sent {
        let started = now()
        let timer = ContinuousClock.now
        let attempt: Attempt = switch delivery.channel {
        case .webhook: await sendWebhook(delivery, outbox: outbox, disabled: disabled, worker: worker)
        case .email: await sendEmail(delivery, outbox: outbox, worker: worker)
        }
        let elapsed = ContinuousClock.now - timer
        let finished = now()
        let record: DeliveryAttempt
        let decision: DeliveryDecision
        let number = delivery.attempts + 1
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        switch attempt {
        case .delivered(let code):
            record = DeliveryAttempt(attempt: number, startedAt: started, durationMilliseconds: milliseconds, outcome: "delivered",
                                     statusCode: code, error: nil)
            decision = .delivered
        case .failed(let code, let error, let retryAfter):
            record = DeliveryAttempt(attempt: number, startedAt: started, durationMilliseconds: milliseconds, outcome: "failed",
                                     statusCode: code, error: error)
            decision = nextStep(after: delivery, error: error, retryAfter: retryAfter, finished: finished)
        case .rejected(let code, let error):
            record = DeliveryAttempt(attempt: number, startedAt: started, durationMilliseconds: milliseconds, outcome: "rejected",
                                     statusCode: code, error: error)
            decision = .dead(alerts: alerts(for: delivery, error: error))
        case .gone:
            let error = "the endpoint answered 410 Gone; it is disabled"
            record = DeliveryAttempt(attempt: number, startedAt: started, durationMilliseconds: milliseconds, outcome: "gone",
                                     statusCode: 410, error: error)
            decision = .dead(alerts: [])
            let alerts = configuration.email?.administrators.map {
                MessageComposer.endpointDisabledAlert(endpoint: delivery.target, reason: "410 Gone", to: $0, baseURL: baseURL)
            } ?? []
            do {
                _ = try await Task { _ = try await self.store.disableEndpoint(delivery.target, reason: "410 Gone", now: finished, alerts: alerts) }.value
            } catch {
                logger.error("endpoint.disable.failed", metadata: ["endpoint": "\(delivery.target)", "error": "\(error)"])
            }
            logger.warning("endpoint.disabled", metadata: ["endpoint": "\(delivery.target)", "reason": "410 Gone"])
        case .notSent(let error, let alert):
            record = DeliveryAttempt(attempt: number, startedAt: started, durationMilliseconds: milliseconds, outcome: "not-sent",
                                     statusCode: nil, error: error)
            decision = .dead(alerts: alert ? alerts(for: delivery, error: error) : [])
        }
        return Sent(delivery: delivery, attempt: record, decision: decision, finished: finished)
    }

    /// Records an attempt and logs it; false if it could not be recorded.
    private func record(_ sent: Sent) async -> Bool {
        let (delivery, record, decision, number) = (sent.delivery, sent.attempt, sent.decision, sent.attempt.attempt)
        // Recorded even during a shutdown: an unstructured task does not inherit the cancellation.
        let store = self.store
        let recorded: Bool
        do {
            recorded = try await Task { try await store.recordAttempt(deliveryID: delivery.id, record, decision: decision, now: sent.finished) }.value
        } catch {
            // Not recorded: it stays pending and is sent again (at least once, same id).
            logger.error("delivery.record.failed", metadata: ["delivery.id": "\(delivery.id)", "error": "\(error)"])
            return false
        }
        guard recorded else { return false }
        var metadata: Logger.Metadata = [
            "delivery.id": "\(delivery.id)", "channel": "\(delivery.channel.rawValue)", "target": "\(delivery.target)",
            "attempt": "\(number)", "outcome": "\(record.outcome)",
        ]
        if let caseID = delivery.caseID { metadata["case.id"] = "\(caseID)" }
        if let error = record.error { metadata["error"] = "\(error)" }
        switch decision {
        case .delivered: logger.info("delivery.delivered", metadata: metadata)
        case .retry(let at):
            metadata["retry.at"] = "\(SwedishCalendar.isoUTCString(at))"
            logger.notice("delivery.retry", metadata: metadata)
        case .dead: logger.error("delivery.dead", metadata: metadata)
        }
        return true
    }

    /// The next wait from the schedule (with jitter, and at least a Retry-After), or dead after the last.
    func nextStep(after delivery: DeliveryRecord, error: String, retryAfter: Int?, finished: Date) -> DeliveryDecision {
        let index = delivery.attemptsThisRound + 1
        guard index < configuration.retrySchedule.count else {
            return .dead(alerts: alerts(for: delivery, error: error))
        }
        var wait = configuration.retrySchedule[index].timeInterval * (1 + configuration.jitter * (2 * random() - 1))
        if let retryAfter { wait = max(wait, Double(min(retryAfter, 86_400))) }
        return .retry(at: finished.addingTimeInterval(wait))
    }

    private func alerts(for delivery: DeliveryRecord, error: String) -> [ComposedEmail] {
        // An alert that dies is logged, not alerted again.
        guard delivery.kind != .alert else { return [] }
        return configuration.email?.administrators.map {
            MessageComposer.alert(for: delivery, error: error, to: $0, baseURL: baseURL)
        } ?? []
    }

    // MARK: Webhooks

    private func sendWebhook(_ delivery: DeliveryRecord, outbox: OutboxRecord?,
                             disabled: [String: (at: Date, reason: String)], worker: DeliveryWorker) async -> Attempt {
        guard let outbox else { return .notSent(error: "a webhook delivery needs its outbox row", alert: true) }
        guard let endpoint = configuration.webhooks[delivery.target] else {
            return .notSent(error: "webhook endpoint '\(delivery.target)' is not configured", alert: true)
        }
        if let off = disabled[delivery.target] {
            return .notSent(error: "endpoint '\(delivery.target)' is disabled since \(SwedishCalendar.isoUTCString(off.at)) (\(off.reason)); "
                            + "enable it with POST /webhooks/\(delivery.target)/enable", alert: false)
        }
        var personal: [String: JSONValue] = [:]
        if endpoint.personalData {
            do { personal = try await personalFields(of: outbox.caseID) } catch {
                return .failed(code: nil, error: "cannot read the case's personal fields: \(error)", retryAfter: nil)
            }
        }
        let body = composer.webhookBody(outbox, personalFields: personal)
        let headers = WebhookSigner.headers(id: "msg_" + delivery.messageID, timestamp: Int(now().timeIntervalSince1970), body: body,
                                            secrets: endpoint.secrets) + [("user-agent", "Bevaka")]
        switch await worker.post(url: endpoint.url, headers: headers, body: body, timeout: endpoint.timeout) {
        case .failure(let error):
            return .failed(code: nil, error: error.isTimeout ? "no answer within \(endpoint.timeout)" : error.description, retryAfter: nil)
        case .success(let reply):
            switch reply.status {
            case 200..<300: return .delivered(code: reply.status)
            case 410: return .gone
            case 429, 503:
                return .failed(code: reply.status, error: "HTTP \(reply.status)", retryAfter: reply.retryAfterSeconds)
            default: return .failed(code: reply.status, error: "HTTP \(reply.status)", retryAfter: nil)
            }
        }
    }

    private func personalFields(of caseID: String) async throws -> [String: JSONValue] {
        let record = try await store.caseRecord(id: caseID)
        let definition = try store.definition(record.workflow)
        var fields: [String: JSONValue] = [:]
        for field in definition.fields where field.personal {
            if let value = record.fields[field.name] { fields[field.name] = FieldValueCoder.encode(value) }
        }
        return fields
    }

    // MARK: Email

    private func sendEmail(_ delivery: DeliveryRecord, outbox: OutboxRecord?, worker: DeliveryWorker) async -> Attempt {
        guard let email = configuration.email else {
            return .notSent(error: "email is not configured (add 'email' to the configuration)", alert: false)
        }
        let recipient: MailAddress
        do { recipient = try MailAddress(parsing: delivery.target) } catch {
            return .notSent(error: "'\(delivery.target)' is not an email address: \(error)", alert: true)
        }
        let content: RenderedMail
        let messageID: String
        let domain = email.from.address.split(separator: "@").last.map(String.init) ?? "bevaka.invalid"
        if delivery.kind == .notification {
            guard let outbox else { return .notSent(error: "a notification needs its outbox row", alert: true) }
            let definition = outbox.data["workflow"]?.string.flatMap { name in
                outbox.data["workflowVersion"].flatMap { version -> WorkflowDefinition? in
                    guard case .int(let number) = version else { return nil }
                    return try? store.definition(WorkflowKey(name: name, version: number))
                }
            }
            let template = outbox.template ?? "standard"
            let language = configuration.directory.member(delivery.target).first?.language ?? "sv"
            let context = MessageComposer.templateContext(outbox, definition: definition, now: now())
            guard let rendered = composer.templates.render(template, language: language, context: context) else {
                return .notSent(error: "template '\(template)' is missing; run `bevaka validate` on the workflow folder", alert: true)
            }
            content = rendered
        } else {
            content = RenderedMail(subject: delivery.subject ?? "Bevaka", text: delivery.body ?? "", html: nil)
        }
        messageID = "bevaka.\(delivery.messageID)@\(domain)"
        let message = MailMessage(from: email.from, to: [recipient], subject: content.subject, text: content.text, html: content.html,
                                  date: now(), messageID: messageID, extraHeaders: [("Auto-Submitted", "auto-generated")])
        switch await worker.send(message, envelopeFrom: email.from.address, recipients: [recipient.address]) {
        case nil: return .notSent(error: "email is not configured", alert: false)
        case .success(let receipt)?: return .delivered(code: receipt.replyCode)
        case .failure(let error)?:
            return error.isPermanent ? .rejected(code: error.replyCode, error: error.description)
                : .failed(code: error.replyCode, error: error.description, retryAfter: nil)
        }
    }

    // MARK: Digests

    /// Queues today's digests once the digest hour has come on a working day.
    private func queueDigests() async throws {
        let recipients = configuration.directory.digestRecipients
        guard configuration.email != nil, !recipients.isEmpty else { return }
        let current = now()
        let hours = configuration.officeHours
        let today = hours.calendar.localDate(of: current)
        guard hours.calendar.isWorkingDay(today), current >= hours.calendar.instant(on: today, at: configuration.digestAt),
              lastDigestDay.withLock({ $0 }) != today
        else { return }
        let endOfDay = hours.calendar.instant(on: today.adding(days: 1), at: LocalTime(hour: 0, minute: 0))
        let due = try await store.deadlinesDue(by: endOfDay)
        for recipient in recipients {
            let mine = due.filter { item in
                // A deadline tells the roles it notifies; a checklist item its responsible roles.
                guard let watch = (try? store.definition(item.workflow))?.watch(named: item.deadline.name, in: item.state)
                else { return false }
                return watch.roles.contains { role in
                    configuration.directory.recipients(role: role, owner: item.owner).contains { $0.address == recipient.address }
                }
            }
            guard !mine.isEmpty else { continue }
            let digest = MessageComposer.digest(for: recipient.address, items: mine, catalog: { try? self.store.definition($0) },
                                                today: today, now: current)
            try await store.queueEmail(digest, kind: .digest, day: today.description, now: current)
        }
        lastDigestDay.withLock { $0 = today }
    }

    /// When the next digests are due (nil: nobody takes a digest).
    private func nextDigest() -> Date? {
        guard configuration.email != nil, !configuration.directory.digestRecipients.isEmpty else { return nil }
        let calendar = configuration.officeHours.calendar
        var day = calendar.localDate(of: now())
        if lastDigestDay.withLock({ $0 }) == day { day = day.adding(days: 1) }
        return calendar.instant(on: calendar.nextWorkingDay(onOrAfter: day), at: configuration.digestAt)
    }
}
