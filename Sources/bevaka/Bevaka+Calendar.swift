import ArgumentParser
import BevakaApplication
import BevakaCore
import BevakaStore
import Foundation

extension Bevaka {
    /// `bevaka calendar create|list|renew|revoke`: people's and teams' iCalendar feeds, as an operator.
    struct CalendarCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calendar", abstract: "Make, list, renew and revoke the iCalendar feeds of people and teams.",
            subcommands: [CalendarCreate.self, CalendarList.self, CalendarRenew.self, CalendarRevoke.self])
    }

    /// What the operator's commands act as: an admin at the server's command line.
    static func calendarCaller(_ actor: String) -> CaseService.Caller {
        CaseService.Caller(.operator(actor), from: "command-line")
    }

    struct CalendarCreate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Make a feed and print its address once: only a hash of its secret is kept.",
            discussion: """
                A person's feed (--subject) holds the deadlines and open checklist items of the cases the person owns or is \
                named on, by their subject or any --identifier (user name, e-mail); a team's feed (--team ROLE) those that \
                fall on the role in every case of the workflows that have it.
                """)

        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: "The person's subject at the identity provider.") var subject: String?
        @Option(name: .long, help: "Another name cases use for the person (user name, e-mail); repeat for more.") var identifier: [String] = []
        @Option(name: .long, help: "A role: the team's feed.") var team: String?
        @Option(name: .long, help: "Bevaka's address, e.g. https://bevaka.region.se (default: print the path only).") var baseURL: String?
        @Option(name: .long, help: "Who makes it, as the feed records it.") var actor = "operator"

        func validate() throws {
            guard (subject != nil) != (team != nil) else { throw ValidationError("give --subject SUBJECT or --team ROLE") }
            if team != nil && !identifier.isEmpty { throw ValidationError("--identifier is for a person's feed (--subject)") }
            for name in [subject, team].compactMap({ $0 }) + identifier + [actor] {
                if let problem = InputLimits.textProblem(name, maximumLength: 200) ?? (name.trimmingCharacters(in: .whitespaces).isEmpty ? "is empty" : nil) {
                    throw ValidationError("'\(name.prefix(60))': \(problem)")
                }
            }
            if let baseURL, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) {
                throw ValidationError("--base-url must start with https:// (or http:// for a test on loopback)")
            }
        }

        func run() async throws {
            let (store, _) = try await options.open()
            let service = CalendarService(store: store)
            let owner: AccessPolicy.CalendarOwner = team.map { .team(role: $0) } ?? .person(subject: subject!, identifiers: Set(identifier))
            do {
                let (feed, secret) = try await service.create(owner, by: Bevaka.calendarCaller(actor))
                let base = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
                print("\(base)/calendar/\(secret).ics")
                FileHandle.standardError.write(Data("calendar feed \(feed.id) for \(feed.team.map { "role \($0)" } ?? feed.subject ?? ""); the address is shown only now\n".utf8))
            } catch let error as UnknownCalendarTeam {
                throw ValidationError("--team: \(error)")
            } catch let error as CalendarFeedError {
                FileHandle.standardError.write(Data("bevaka calendar create: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct CalendarList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List every feed (never its secret).")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let (store, _) = try await options.open()
            print("id\tfor\tmade by\tcreated\trenewed\tstatus")
            for feed in try await CalendarService(store: store).allFeeds(by: Bevaka.calendarCaller("operator")) {
                print([feed.id, feed.team.map { "team:\($0)" } ?? feed.subject ?? "", feed.createdBy, SwedishCalendar.isoUTCString(feed.createdAt),
                       feed.renewedAt.map(SwedishCalendar.isoUTCString) ?? "-", feed.isActive ? "active" : "revoked"].joined(separator: "\t"))
            }
        }
    }

    struct CalendarRenew: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "renew", abstract: "Give a feed a new address (the old one stops working at once) and print it once.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The feed's id (as `calendar list` shows it).") var id: String
        @Option(name: .long, help: "Bevaka's address, e.g. https://bevaka.region.se (default: print the path only).") var baseURL: String?

        func run() async throws {
            let (store, _) = try await options.open()
            do {
                let (_, secret) = try await CalendarService(store: store).renew(id, by: Bevaka.calendarCaller("operator"))
                let base = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
                print("\(base)/calendar/\(secret).ics")
            } catch let error as CalendarFeedError {
                FileHandle.standardError.write(Data("bevaka calendar renew: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct CalendarRevoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a feed at once (its address answers 404 from the daemon's next request on).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The feed's id (as `calendar list` shows it).") var id: String

        func run() async throws {
            let (store, _) = try await options.open()
            do {
                let feed = try await CalendarService(store: store).revoke(id, by: Bevaka.calendarCaller("operator"))
                print("revoked \(feed.id)")
            } catch let error as CalendarFeedError {
                FileHandle.standardError.write(Data("bevaka calendar revoke: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
