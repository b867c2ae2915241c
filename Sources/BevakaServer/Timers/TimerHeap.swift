import BevakaStore
import Foundation

/// A binary min-heap of timers ordered by due instant, then id.
struct TimerHeap {
    private var items: [ScheduledTimer] = []

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }
    var min: ScheduledTimer? { items.first }

    init(_ timers: [ScheduledTimer] = []) {
        for timer in timers { insert(timer) }
    }

    private static func less(_ a: ScheduledTimer, _ b: ScheduledTimer) -> Bool {
        (a.dueAt, a.id) < (b.dueAt, b.id)
    }

    mutating func insert(_ timer: ScheduledTimer) {
        items.append(timer)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> ScheduledTimer? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let min = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && Self.less(items[left], items[smallest]) { smallest = left }
            if right < items.count && Self.less(items[right], items[smallest]) { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return min
    }
}
