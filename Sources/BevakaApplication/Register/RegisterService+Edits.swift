import BevakaCore
import BevakaStore
import Foundation

/// The small changes the register's page makes: one unit's listed patients from a date
/// and one provider's name and group. Each is checked as any register change is (the
/// store's rules, `RegisterProblems` when broken) and changes nothing when refused.
extension RegisterService {
    /// Sets how many patients are listed at a unit from `day` on (the count Kalmar's
    /// sanction is reckoned on): the count from that day is replaced, or added beside
    /// the unit's other counts, which are kept.
    public func setListed(unit hsaId: String, from day: LocalDate, listed: Int, by caller: CaseService.Caller) async throws -> CareUnit {
        try keeping(caller)
        guard case .unit(var unit)? = try await store.registerItem(kind: "unit", key: hsaId) else {
            throw RegisterProblems(["unit: no unit '\(hsaId.prefix(80))' in the register"])
        }
        unit.listed.removeAll { $0.from == day }
        unit.listed.append(ListedCount(from: day, listed: listed))
        unit.listed.sort { $0.from < $1.from }
        guard case .unit(let stored) = try await put(.unit(unit), by: caller).item else { return unit }
        return stored
    }

    /// Renames a provider or moves it to another group (nil or blank: none). The provider must be in the register.
    public func editProvider(_ id: String, name: String, group: String?, by caller: CaseService.Caller) async throws -> Provider {
        try keeping(caller)
        guard try await store.registerItem(kind: "provider", key: id) != nil else {
            throw RegisterProblems(["provider: no provider '\(id.prefix(80))' in the register"])
        }
        let group = group.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        guard case .provider(let stored) = try await put(.provider(Provider(id: id, name: name, group: group)), by: caller).item else {
            throw RegisterProblems(["provider '\(id.prefix(80))' was not stored"])
        }
        return stored
    }
}
