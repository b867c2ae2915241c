/// The candidate closest to `name`, when it is close enough to be a likely typo.
func closestMatch(to name: String, in candidates: some Sequence<String>) -> String? {
    let lowered = name.lowercased()
    var best: (candidate: String, distance: Int)?
    for candidate in candidates where candidate != name {
        let distance = editDistance(lowered, candidate.lowercased())
        if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.candidate) {
            best = (candidate, distance)
        }
    }
    guard let best else { return nil }
    let limit = min(3, max(1, name.count / 3))
    return best.distance <= limit ? best.candidate : nil
}

/// Levenshtein distance, counting an adjacent transposition as one edit.
func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs)
    let b = Array(rhs)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], previousPrevious[j - 2] + 1)
            }
        }
        previousPrevious = previous
        previous = current
    }
    return previous[b.count]
}
