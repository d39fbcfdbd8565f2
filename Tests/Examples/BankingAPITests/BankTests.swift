import BankingAPI
import Foundation
import Testing

/// The bank's rules, through its public API.
@Suite("Bank")
struct BankTests {
    @Test func opensNumberedAccountsWithAZeroBalance() async throws {
        let bank = Bank()
        let first = try await bank.openAccount(customerId: "CUST001")
        let second = try await bank.openAccount(customerId: "CUST002")
        #expect(first == Bank.Account(accountId: "ACC001", customerId: "CUST001", balance: 0, currency: "USD", status: "active"))
        #expect(second.accountId == "ACC002")
    }

    @Test func openingSkipsNumbersAlreadyTaken() async throws {
        let bank = Bank()
        try await bank.setAccount("ACC001", balance: 5)
        #expect(try await bank.openAccount(customerId: "C").accountId == "ACC002")
    }

    @Test func anEmptyCustomerIsRefused() async {
        await #expect(throws: BankError.invalidRequest("customerId must be a non-empty string of at most 64 characters")) {
            try await Bank().openAccount(customerId: "  ")
        }
    }

    @Test func depositsAndWithdrawalsMoveTheBalanceAndAreRecorded() async throws {
        let bank = Bank(clock: { Date(timeIntervalSince1970: 0) })
        let id = try await bank.openAccount(customerId: "C").accountId
        let deposit = try await bank.deposit(1000, into: id)
        let withdrawal = try await bank.withdraw(300, from: id)
        #expect(deposit.balanceAfter == 1000 && deposit.type == .deposit && deposit.transactionId == "TXN0001")
        #expect(withdrawal.balanceAfter == 700 && withdrawal.type == .withdrawal && withdrawal.transactionId == "TXN0002")
        #expect(try await bank.account(id).balance == 700)
        #expect(try await bank.history(id).map(\.type) == [.deposit, .withdrawal])
    }

    @Test func aWithdrawalBeyondTheBalanceIsRefusedAndChangesNothing() async throws {
        let bank = Bank()
        try await bank.setAccount("ACC001", balance: 700)
        await #expect(throws: BankError.insufficientFunds(accountId: "ACC001", currentBalance: 700, requestedAmount: 1000)) {
            try await bank.withdraw(1000, from: "ACC001")
        }
        #expect(try await bank.account("ACC001").balance == 700)
        #expect(try await bank.history("ACC001").isEmpty)
    }

    @Test(arguments: [Decimal(0), Decimal(-5), Decimal(string: "0.001")!, Decimal(string: "1e15")!])
    func amountsMustBePositiveWithAtMostTwoDecimals(amount: Decimal) async throws {
        let bank = Bank()
        try await bank.setAccount("ACC001", balance: 100)
        await #expect(throws: BankError.self) { try await bank.deposit(amount, into: "ACC001") }
        #expect(try await bank.account("ACC001").balance == 100)
    }

    @Test func centsAreKeptExactly() async throws {
        let bank = Bank()
        try await bank.setAccount("ACC001", balance: 0)
        for _ in 0..<10 { try await bank.deposit(Decimal(string: "0.10")!, into: "ACC001") }
        #expect(try await bank.account("ACC001").balance == 1)
    }

    @Test func unknownAccountsAreNotFound() async {
        await #expect(throws: BankError.accountNotFound("ACC404")) { try await Bank().account("ACC404") }
        await #expect(throws: BankError.accountNotFound("ACC404")) { try await Bank().history("ACC404") }
    }

    @Test func aTransferMovesMoneyBetweenAccountsAndRecordsBothSides() async throws {
        let bank = Bank()
        try await bank.setAccount("ACC001", balance: 700)
        try await bank.setAccount("ACC002", balance: 0)
        let transfer = try await bank.transfer(200, from: "ACC001", to: "ACC002")
        #expect(transfer == Bank.Transfer(transferId: "TRF0001", fromAccount: "ACC001", toAccount: "ACC002", amount: 200, balance: 500))
        #expect(try await bank.account("ACC002").balance == 200)
        #expect(try await bank.history("ACC001").map(\.type) == [.transferOut])
        #expect(try await bank.history("ACC002").map(\.relatedAccount) == ["ACC001"])
    }

    @Test func aRefusedTransferChangesNeitherAccount() async throws {
        let bank = Bank()
        try await bank.setAccount("ACC001", balance: 100)
        try await bank.setAccount("ACC002", balance: 0)
        await #expect(throws: BankError.insufficientFunds(accountId: "ACC001", currentBalance: 100, requestedAmount: 200)) {
            try await bank.transfer(200, from: "ACC001", to: "ACC002")
        }
        await #expect(throws: BankError.accountNotFound("ACC999")) { try await bank.transfer(50, from: "ACC001", to: "ACC999") }
        await #expect(throws: BankError.self) { try await bank.transfer(50, from: "ACC001", to: "ACC001") }
        #expect(try await bank.account("ACC001").balance == 100)
        #expect(try await bank.account("ACC002").balance == 0)
    }

    @Test func concurrentTransfersNeverOverdrawNorCreateMoney() async throws {
        let bank = Bank()
        try await bank.setAccount("ACC001", balance: 1000)
        try await bank.setAccount("ACC002", balance: 1000)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<400 {
                group.addTask {
                    let (from, to) = index.isMultiple(of: 2) ? ("ACC001", "ACC002") : ("ACC002", "ACC001")
                    return (try? await bank.transfer(Decimal(index % 7 * 100 + 50), from: from, to: to)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.contains(true))
        #expect(await bank.totalBalance() == 2000)
        let first = try await bank.account("ACC001").balance, second = try await bank.account("ACC002").balance
        #expect(first >= 0 && second >= 0)
        // Every recorded balance is what the one before it became, so no transfer was half-applied.
        for id in ["ACC001", "ACC002"] {
            var balance: Decimal = 1000
            for entry in try await bank.history(id) {
                balance += entry.type == .transferIn ? entry.amount : -entry.amount
                #expect(entry.balanceAfter == balance)
            }
        }
    }
}
