import Foundation
import Hummingbird

/// Where people reach Bevaka, for the addresses it hands out to be used elsewhere (a
/// calendar feed's URL, and the case links inside it): the API's `/calendar/feeds` and the
/// `/kalender` page build them alike from here.
struct PublicAddress: Sendable {
    /// With browser sign-in, Bevaka's own address (its redirect URI's origin) is where links point.
    let web: WebSignInSettings?

    /// A feed's address: `BASE/calendar/SECRET.ics`.
    func calendarURL(_ secret: String, _ request: Request) -> String { "\(baseURL(request))/calendar/\(secret).ics" }

    /// Where Bevaka is reached: the origin of the sign-in redirect URI when configured, else
    /// the request's own host (http on loopback, https behind the proxy everywhere else).
    func baseURL(_ request: Request) -> String {
        if let redirect = web?.redirectURI, let parts = URLComponents(string: redirect), let scheme = parts.scheme, let host = parts.host {
            return "\(scheme)://\(host)\(parts.port.map { ":\($0)" } ?? "")"
        }
        var authority = request.head.authority ?? ""
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        if authority.isEmpty || authority.count > 255 || !authority.allSatisfy(allowed.contains) { authority = "localhost" }
        let scheme = AuthenticationMode.isLoopback(AllowedHosts.stripPort(authority)) ? "http" : "https"
        return "\(scheme)://\(authority)"
    }
}
