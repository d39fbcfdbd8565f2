import SQLKit

/// Pacticipant labels, such as a team name, which webhooks can select pacticipants by.
extension Store {
    /// The pacticipant's labels, by name.
    func labels(pacticipantId: Int64) async throws -> [LabelRecord] {
        try await db.many(LabelRecord.self, "SELECT pacticipant_id, name, created_at FROM labels WHERE pacticipant_id = \(bind: pacticipantId) ORDER BY name")
    }

    /// The names of the pacticipant's labels, for a pacticipant named `name` (none for an unknown name).
    func labelNames(pacticipant name: String) async throws -> Set<String> {
        let rows = try await db.many(LabelRecord.self, """
            SELECT labels.pacticipant_id, labels.name, labels.created_at FROM labels JOIN pacticipants ON pacticipants.id = labels.pacticipant_id
            WHERE pacticipants.name = \(bind: Store.canonical(name))
            """)
        return Set(rows.map(\.name))
    }

    /// Adds a label; returns it and whether it was new.
    func addLabel(_ name: String, pacticipantId: Int64) async throws -> (LabelRecord, created: Bool) {
        // The insert says whether it created the row, so two concurrent PUTs never both answer "created".
        let created = try await db.value(Int64.self, "pacticipant_id", """
            INSERT INTO labels (pacticipant_id, name, created_at) VALUES (\(bind: pacticipantId), \(bind: name), \(bind: Clock.nowMillis()))
            ON CONFLICT (pacticipant_id, name) DO NOTHING RETURNING pacticipant_id
            """) != nil
        guard let saved = try await labels(pacticipantId: pacticipantId).first(where: { $0.name == name }) else { throw StoreError.vanished("label \(name)") }
        return (saved, created)
    }

    func deleteLabel(_ name: String, pacticipantId: Int64) async throws {
        try await db.exec("DELETE FROM labels WHERE pacticipant_id = \(bind: pacticipantId) AND name = \(bind: name)")
    }

    /// The pacticipants that carry a label, by name.
    func pacticipants(label: String) async throws -> [PacticipantRecord] {
        try await db.many(PacticipantRecord.self, """
            SELECT \(Store.pacticipantColumns) FROM pacticipants WHERE id IN (SELECT pacticipant_id FROM labels WHERE name = \(bind: label)) ORDER BY name
            """)
    }

    /// Every label name in use, once each, sorted.
    func labelNames() async throws -> [String] {
        try await db.values(String.self, "name", "SELECT DISTINCT name FROM labels ORDER BY name")
    }

    /// Every label, grouped by pacticipant id.
    func allLabels() async throws -> [Int64: [LabelRecord]] {
        let rows = try await db.many(LabelRecord.self, "SELECT pacticipant_id, name, created_at FROM labels ORDER BY name")
        return Dictionary(grouping: rows, by: \.pacticipantId)
    }
}
