import ArgumentParser
import BevakaCore
import BevakaStore
import Foundation

extension Bevaka {
    /// `bevaka session list|revoke`: the browser sessions of people signed in (`auth.oidc.web`).
    struct SessionCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "session", abstract: "List and end the sessions of people signed in with a browser.",
            subcommands: [SessionList.self, SessionRevoke.self])
    }

    struct SessionList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the live sessions (never their secrets).")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let (store, _) = try await options.open()
            print("subject\tname\troles\tsigned in\tlast seen\tends")
            for session in try await store.liveSessions() {
                print([session.subject, session.name, session.roles.joined(separator: ","), SwedishCalendar.isoUTCString(session.createdAt),
                       SwedishCalendar.isoUTCString(session.lastSeenAt), SwedishCalendar.isoUTCString(session.expiresAt)].joined(separator: "\t"))
            }
        }
    }

    struct SessionRevoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "End a person's sessions at once (the running daemon refuses them from the next request on).")
        @OptionGroup var options: StoreOptions
        @Option(name: .long, help: "The person's subject at the identity provider (as `session list` shows it).") var subject: String?
        @Flag(name: .long, help: "End everyone's sessions.") var all = false

        func validate() throws {
            guard (subject != nil) != all else { throw ValidationError("give --subject SUBJECT or --all") }
        }

        func run() async throws {
            let (store, _) = try await options.open()
            let ended = try await store.revokeSessions(subject: all ? nil : subject)
            print("ended \(ended) session\(ended == 1 ? "" : "s")")
        }
    }
}
