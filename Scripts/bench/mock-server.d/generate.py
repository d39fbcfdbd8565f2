#!/usr/bin/env python3
"""Writes the pacts and request mixes of the mock-server benchmark (standard library only).

Usage: generate.py OUTPUT_DIR SIZE...

For each SIZE it writes OUTPUT_DIR/pact-SIZE.json, a V3 pact with SIZE banking interactions, and
OUTPUT_DIR/requests-SIZE.lua, the requests wrk sends (a Lua table that mock-server.d/load.lua reads).

Interaction n (1-based) is `GET /api/accounts/ACC{n:04}`, except every tenth, which is
`POST /api/accounts/ACC{n:04}/deposits` with a JSON body. Responses are ~500-byte JSON documents. Requests carry
matching rules (a regex on the bearer token, on ids and on the currency, type on the amount, a date format), so the
benchmark requests use values that differ from the examples and match only through the rules.
"""
import json
import os
import sys

CONSUMER = "BankingApp"
PROVIDER = "AccountsService"
EXAMPLE_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdXN0b21lci0wMDAxIn0.c2lnbmF0dXJl"
# The token the load generator and the start-up probe send: different from the example, matched by the regex rule.
# Scripts/bench/mock-server sends the same token in its start-up probe.
REQUEST_TOKEN = "bench-token-0123456789abcdef"
TOKEN_REGEX = r"^Bearer [A-Za-z0-9\-._~+/]+=*$"
TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"


def rule(*matchers):
    return {"matchers": list(matchers), "combine": "AND"}


def regex(expression):
    return {"match": "regex", "regex": expression}


def is_deposit(n):
    return n % 10 == 0


def account_interaction(n):
    account = f"ACC{n:04}"
    body = {
        "id": account,
        "iban": f"DE89370400440532{n:06}",
        "type": "CHECKING" if n % 3 else "SAVINGS",
        "status": "ACTIVE",
        "currency": "EUR",
        "balance": round(1000 + n * 13.37, 2),
        "availableBalance": round(900 + n * 13.37, 2),
        "overdraftLimit": 500,
        "owner": {
            "customerId": f"CUST-{n:06}",
            "name": f"Customer {n:04}",
            "email": f"customer{n:04}@example.com",
        },
        "branch": {"code": "BR-017", "city": "Frankfurt am Main"},
        "openedAt": "2019-03-14T09:26:53.000+01:00",
        "updatedAt": "2026-11-20T14:03:11.123+01:00",
        "links": {
            "self": f"/api/accounts/{account}",
            "transactions": f"/api/accounts/{account}/transactions",
        },
    }
    return {
        "description": f"a request for account {account}",
        "providerStates": [{"name": "an account exists", "params": {"accountId": account}}],
        "request": {
            "method": "GET",
            "path": f"/api/accounts/{account}",
            "headers": {"Accept": "application/json", "Authorization": f"Bearer {EXAMPLE_TOKEN}"},
            "matchingRules": {"header": {"Authorization": rule(regex(TOKEN_REGEX))}},
        },
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json; charset=utf-8"},
            "body": body,
            "matchingRules": {
                "header": {"Content-Type": rule(regex(r"application/json(;.*)?"))},
                "body": {
                    "$.id": rule(regex(r"ACC\d{4}")),
                    "$.iban": rule(regex(r"[A-Z]{2}\d{20}")),
                    "$.balance": rule({"match": "type"}),
                    "$.availableBalance": rule({"match": "type"}),
                    "$.overdraftLimit": rule({"match": "integer"}),
                    "$.owner.customerId": rule(regex(r"CUST-\d{6}")),
                    "$.openedAt": rule({"match": "timestamp", "timestamp": TIMESTAMP_FORMAT}),
                    "$.updatedAt": rule({"match": "timestamp", "timestamp": TIMESTAMP_FORMAT}),
                },
            },
        },
    }


def deposit_interaction(n):
    account = f"ACC{n:04}"
    body = {
        "transactionId": f"TX-{n:04}-000001",
        "accountId": account,
        "type": "DEPOSIT",
        "status": "BOOKED",
        "amount": 250.00,
        "currency": "EUR",
        "balanceAfter": round(1250 + n * 13.37, 2),
        "reference": f"DEP-{n:04}-0001",
        "valueDate": "2026-11-20",
        "channel": "SEPA_CREDIT",
        "remittanceInformation": "Salary November 2026",
        "bookedAt": "2026-11-20T14:03:11.123+01:00",
        "counterparty": {"name": "Payroll Example GmbH", "iban": "DE02120300000000202051"},
        "links": {
            "self": f"/api/accounts/{account}/transactions/TX-{n:04}-000001",
            "account": f"/api/accounts/{account}",
        },
    }
    return {
        "description": f"a deposit to account {account}",
        "providerStates": [{"name": "an account exists", "params": {"accountId": account}}],
        "request": {
            "method": "POST",
            "path": f"/api/accounts/{account}/deposits",
            "headers": {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {EXAMPLE_TOKEN}",
            },
            "body": {"amount": 250.00, "currency": "EUR", "reference": f"DEP-{n:04}-0001", "valueDate": "2026-11-20"},
            "matchingRules": {
                "header": {"Authorization": rule(regex(TOKEN_REGEX))},
                "body": {
                    "$.amount": rule({"match": "type"}),
                    "$.currency": rule(regex(r"[A-Z]{3}")),
                    "$.reference": rule(regex(r"DEP-\d{4}-\d{4}")),
                    "$.valueDate": rule({"match": "date", "date": "yyyy-MM-dd"}),
                },
            },
        },
        "response": {
            "status": 201,
            "headers": {"Content-Type": "application/json; charset=utf-8", "Location": body["links"]["self"]},
            "body": body,
            "matchingRules": {
                "body": {
                    "$.transactionId": rule(regex(r"TX-\d{4}-\d{6}")),
                    "$.amount": rule({"match": "type"}),
                    "$.balanceAfter": rule({"match": "type"}),
                    "$.bookedAt": rule({"match": "timestamp", "timestamp": TIMESTAMP_FORMAT}),
                },
            },
        },
    }


def pact(size):
    interactions = [deposit_interaction(n) if is_deposit(n) else account_interaction(n) for n in range(1, size + 1)]
    return {
        "consumer": {"name": CONSUMER},
        "provider": {"name": PROVIDER},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def request_mix(size):
    """Accounts spread over the whole pact, so a server that scans interactions in order pays for the far ones too.

    Thirteen GETs and, for pacts of ten or more interactions, six POST deposits in between.
    """
    requests = []
    for k in range(13):
        n = max(1, round(size * k / 12))
        if is_deposit(n):
            n -= 1
        requests.append({
            "method": "GET",
            "path": f"/api/accounts/ACC{n:04}",
            "headers": {"Accept": "application/json", "Authorization": f"Bearer {REQUEST_TOKEN}"},
        })
        deposit = max(10, round(size * k / 12) // 10 * 10)
        if k % 2 == 1 and deposit <= size:
            body = {"amount": 99.5 + k, "currency": "USD", "reference": f"DEP-{deposit:04}-{7000 + k:04}",
                    "valueDate": "2026-12-01"}
            requests.append({
                "method": "POST",
                "path": f"/api/accounts/ACC{deposit:04}/deposits",
                "headers": {"Content-Type": "application/json", "Authorization": f"Bearer {REQUEST_TOKEN}"},
                "body": json.dumps(body, separators=(",", ":")),
            })
    seen, unique = set(), []
    for request in requests:
        key = (request["method"], request["path"])
        if key not in seen:
            seen.add(key)
            unique.append(request)
    return unique


def lua_string(text):
    return json.dumps(text)  # a JSON string of ASCII text is a valid Lua string literal


def lua_table(requests):
    lines = ["return {"]
    for request in requests:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in request["headers"].items())
        body = lua_string(request["body"]) if "body" in request else "nil"
        lines.append(f"  {{ method = {lua_string(request['method'])}, path = {lua_string(request['path'])}, "
                     f"headers = {{ {headers} }}, body = {body} }},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(arguments):
    if len(arguments) < 2:
        sys.exit("usage: generate.py OUTPUT_DIR SIZE...")
    output = arguments[0]
    os.makedirs(output, exist_ok=True)
    for size in map(int, arguments[1:]):
        with open(os.path.join(output, f"pact-{size}.json"), "w", encoding="utf-8") as file:
            json.dump(pact(size), file, indent=2)
            file.write("\n")
        with open(os.path.join(output, f"requests-{size}.lua"), "w", encoding="utf-8") as file:
            file.write(lua_table(request_mix(size)))


if __name__ == "__main__":
    main(sys.argv[1:])
