import BevakaCore
import BevakaStore
import Foundation

/// Decides, once per outbox row, who gets it and when: one delivery per
/// webhook endpoint and one per mailbox. Pure: it reads only the configuration.
///
/// - Webhooks go to the endpoints the notification names and to those whose
///   `types` match, at once (systems have no office hours unless the endpoint says so).
/// - Email goes to each address its roles resolve to. Non-urgent email that
///   falls outside office hours waits for the next opening; a recipient who
///   chose the daily digest gets non-urgent notifications only there.
struct DeliveryPlanner: Sendable {
    let configuration: DeliveryConfiguration

    func plan(_ outbox: OutboxRecord) -> [PlannedDelivery] {
        let firstAttempt = outbox.createdAt.addingTimeInterval(configuration.retrySchedule.first.map(\.timeInterval) ?? 0)
        let opening = outbox.urgent ? firstAttempt : configuration.officeHours.nextOpening(from: firstAttempt)
        var planned: [PlannedDelivery] = []

        var endpoints = outbox.webhooks
        for (name, endpoint) in configuration.webhooks.sorted(by: { $0.key < $1.key })
        where endpoint.wants(outbox.type) && !endpoints.contains(name) {
            endpoints.append(name)
        }
        for name in endpoints {
            guard let endpoint = configuration.webhooks[name] else {
                // Without any webhooks configured (no configuration file, say) nothing is wrong with this one.
                planned.append(PlannedDelivery(channel: .webhook, target: name,
                                               status: configuration.webhooks.isEmpty ? .unconfigured : .dead, notBefore: firstAttempt,
                                               error: "webhook endpoint '\(name)' is not configured (add it under 'webhooks')"))
                continue
            }
            let held = endpoint.officeHours && opening > firstAttempt
            planned.append(PlannedDelivery(channel: .webhook, target: name, notBefore: held ? opening : firstAttempt,
                                           heldUntil: held ? opening : nil))
        }

        guard !outbox.recipients.isEmpty else { return planned }
        let owner = outbox.data["owner"]?.string ?? ""
        for role in outbox.recipients {
            // The people the case names for the role come first; the directory only for roles it does not name.
            let named = (outbox.data["people"]?[role]?.array ?? []).compactMap(\.string)
            let recipients = named.isEmpty ? configuration.directory.recipients(role: role, owner: owner)
                : named.flatMap { configuration.directory.member($0) }
            if configuration.email == nil {
                planned.append(PlannedDelivery(channel: .email, target: role == "owner" ? (owner.isEmpty ? "owner" : owner) : role,
                                               status: .unconfigured,
                                               notBefore: firstAttempt,
                                               error: "email is not configured (add 'email' to the configuration)"))
                continue
            }
            if recipients.isEmpty {
                let target = role == "owner" ? (owner.isEmpty ? "owner" : owner) : role
                let error = role == "owner"
                    ? "the case owner '\(owner)' has no email address: use an address as owner or add them under directory.people"
                    : "role '\(role)' has no members under directory.roles"
                planned.append(PlannedDelivery(channel: .email, target: target, status: .dead, notBefore: firstAttempt, error: error))
                continue
            }
            for recipient in recipients {
                if recipient.digest && !outbox.urgent {
                    planned.append(PlannedDelivery(channel: .email, target: recipient.address, status: .digest, notBefore: firstAttempt))
                } else {
                    planned.append(PlannedDelivery(channel: .email, target: recipient.address, notBefore: opening,
                                                   heldUntil: opening > firstAttempt ? opening : nil))
                }
            }
        }
        return planned
    }
}
