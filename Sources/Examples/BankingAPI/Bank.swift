import Foundation

/// The bank behind BankingAPI: accounts, their balances and their transaction history.
///
/// Every operation runs on the actor, so a transfer moves money between two accounts as one step and concurrent
/// withdrawals can never overdraw an account. State is kept in memory for the life of the process.
public actor Bank {
    /// An account as the API shows it.
    public struct Account: Codable, Equatable, Sendable {
        public var accountId: String
        public var customerId: String
        public var balance: Decimal
        public var currency: String
        public var status: String

        /// Creates an account value.
        public init(accountId: String, customerId: String, balance: Decimal, currency: String, status: String) {
            self.accountId = accountId
            self.customerId = customerId
            self.balance = balance
            self.currency = currency
            self.status = status
        }
    }

    /// One entry of an account's history.
    public struct Transaction: Codable, Equatable, Sendable {
        public var transactionId: String
        public var type: TransactionType
        public var amount: Decimal
        public var balanceAfter: Decimal
        public var timestamp: Date
        public var relatedAccount: String?
    }

    /// What a transaction did to the account.
    public enum TransactionType: String, Codable, Sendable {
        case deposit
        case withdrawal
        case transferIn = "transfer_in"
        case transferOut = "transfer_out"
    }

    /// A completed transfer, with the sending account's new balance.
    public struct Transfer: Equatable, Sendable {
        public var transferId: String
        public var fromAccount: String
        public var toAccount: String
        public var amount: Decimal
        public var balance: Decimal

        /// Creates a transfer value.
        public init(transferId: String, fromAccount: String, toAccount: String, amount: Decimal, balance: Decimal) {
            self.transferId = transferId
            self.fromAccount = fromAccount
            self.toAccount = toAccount
            self.amount = amount
            self.balance = balance
        }
    }

    /// The currency every account is kept in.
    public static let currency = "USD"

    private var accounts: [String: Account] = [:]
    private var histories: [String: [Transaction]] = [:]
    private var nextAccountNumber = 1
    private var nextTransactionNumber = 1
    private var nextTransferNumber = 1
    private let clock: @Sendable () -> Date

    /// Creates an empty bank; `clock` stamps transactions (the tests fix it).
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Opens an account with a zero balance for a customer, under the next free number (`ACC001`, `ACC002`, …).
    public func openAccount(customerId: String) throws(BankError) -> Account {
        let customer = customerId.trimmingCharacters(in: .whitespaces)
        guard !customer.isEmpty, customer.count <= 64 else {
            throw .invalidRequest("customerId must be a non-empty string of at most 64 characters")
        }
        var id: String
        repeat {
            id = String(format: "ACC%03d", nextAccountNumber)
            nextAccountNumber += 1
        } while accounts[id] != nil
        let account = Account(accountId: id, customerId: customer, balance: 0, currency: Self.currency, status: "active")
        accounts[id] = account
        histories[id] = []
        return account
    }

    /// The account with this id.
    public func account(_ accountId: String) throws(BankError) -> Account {
        guard let account = accounts[accountId] else { throw .accountNotFound(accountId) }
        return account
    }

    /// The account's transactions, oldest first.
    public func history(_ accountId: String) throws(BankError) -> [Transaction] {
        guard accounts[accountId] != nil else { throw .accountNotFound(accountId) }
        return histories[accountId] ?? []
    }

    /// Adds money to an account.
    @discardableResult
    public func deposit(_ amount: Decimal, into accountId: String) throws(BankError) -> Transaction {
        try Self.validate(amount)
        var account = try account(accountId)
        account.balance += amount
        accounts[accountId] = account
        return record(.deposit, amount: amount, on: account, related: nil)
    }

    /// Takes money out of an account; refused when the balance does not cover it.
    @discardableResult
    public func withdraw(_ amount: Decimal, from accountId: String) throws(BankError) -> Transaction {
        try Self.validate(amount)
        var account = try account(accountId)
        guard account.balance >= amount else {
            throw .insufficientFunds(accountId: accountId, currentBalance: account.balance, requestedAmount: amount)
        }
        account.balance -= amount
        accounts[accountId] = account
        return record(.withdrawal, amount: amount, on: account, related: nil)
    }

    /// Moves money from one account to another: both balances change, or neither does.
    @discardableResult
    public func transfer(_ amount: Decimal, from fromId: String, to toId: String) throws(BankError) -> Transfer {
        try Self.validate(amount)
        guard fromId != toId else { throw .invalidRequest("fromAccount and toAccount must be different accounts") }
        var from = try account(fromId)
        var to = try account(toId)
        guard from.balance >= amount else {
            throw .insufficientFunds(accountId: fromId, currentBalance: from.balance, requestedAmount: amount)
        }
        from.balance -= amount
        to.balance += amount
        accounts[fromId] = from
        accounts[toId] = to
        record(.transferOut, amount: amount, on: from, related: toId)
        record(.transferIn, amount: amount, on: to, related: fromId)
        let id = String(format: "TRF%04d", nextTransferNumber)
        nextTransferNumber += 1
        return Transfer(transferId: id, fromAccount: fromId, toAccount: toId, amount: amount, balance: from.balance)
    }

    /// The sum of every balance; transfers never change it.
    public func totalBalance() -> Decimal {
        accounts.values.reduce(0) { $0 + $1.balance }
    }

    // MARK: Provider-state support

    /// Replaces an account (or creates it) with this balance and an empty history; used to set up provider states.
    public func setAccount(_ accountId: String, customerId: String = "CUST001", balance: Decimal) throws(BankError) {
        guard balance >= 0 else { throw .invalidRequest("a balance cannot be negative") }
        accounts[accountId] = Account(accountId: accountId, customerId: customerId, balance: balance, currency: Self.currency, status: "active")
        histories[accountId] = []
    }

    /// True when the account exists.
    public func hasAccount(_ accountId: String) -> Bool {
        accounts[accountId] != nil
    }

    /// Forgets every account and restarts the numbering.
    public func reset() {
        accounts = [:]
        histories = [:]
        nextAccountNumber = 1
        nextTransactionNumber = 1
        nextTransferNumber = 1
    }

    // MARK: Private

    @discardableResult
    private func record(_ type: TransactionType, amount: Decimal, on account: Account, related: String?) -> Transaction {
        let transaction = Transaction(transactionId: String(format: "TXN%04d", nextTransactionNumber), type: type, amount: amount,
                                      balanceAfter: account.balance, timestamp: clock(), relatedAccount: related)
        nextTransactionNumber += 1
        histories[account.accountId, default: []].append(transaction)
        return transaction
    }

    /// Amounts are positive, in cents at most, and below a trillion (so sums stay exact).
    static func validate(_ amount: Decimal) throws(BankError) {
        guard amount > 0 else { throw .invalidAmount("the amount must be greater than 0, not \(amount)") }
        guard amount < 1_000_000_000_000 else { throw .invalidAmount("the amount \(amount) is too large") }
        var scaled = amount * 100, rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled else { throw .invalidAmount("the amount \(amount) has more than two decimal places") }
    }
}
