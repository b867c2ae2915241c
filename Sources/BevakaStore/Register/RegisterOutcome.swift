import Foundation

/// What putting one item into the register did, or in a dry run would do: a page shows
/// the people who keep the register which rows of an import create or change something
/// before they import it.
public struct RegisterOutcome: Sendable, Equatable {
    public enum Change: String, Sendable {
        case created, changed, same
    }

    public var item: RegisterItem
    public var change: Change
    /// Where the item came from (an import's "line 12"), when the caller said.
    public var line: String?

    public init(item: RegisterItem, change: Change, line: String?) {
        self.item = item
        self.change = change
        self.line = line
    }
}
