import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type Address,
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  keccak256,
  type Log,
  parseAbi,
  toHex,
} from "viem";
import { iBatchSettlementRouterAbi } from "../generated/abis.js";
import { SettlementDecodingError } from "./errors.js";
import { failureReasons } from "./failureReasons.js";
import { parseSettlementLogs } from "./parseSettlementLogs.js";

const ROUTER: Address = "0x9000000000000000000000000000000000000009";
const TOKEN: Address = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const FROM: Address = "0x1000000000000000000000000000000000000001";
const TO: Address = "0x2000000000000000000000000000000000000002";
const tokenAbi = parseAbi([
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)",
]);

let logIndex = 0;
const log = (address: Address, topics: readonly unknown[], data: Hex): Log =>
  ({
    address,
    topics: topics as [Hex, ...Hex[]],
    data,
    logIndex: logIndex++,
    blockHash: `0x${"aa".repeat(32)}`,
    blockNumber: 1n,
    transactionHash: `0x${"bb".repeat(32)}`,
    transactionIndex: 0,
    removed: false,
  }) as Log;

const tokenLogs = (nonce: Hex, value: bigint): Log[] => [
  log(
    TOKEN,
    encodeEventTopics({ abi: tokenAbi, eventName: "AuthorizationUsed", args: { authorizer: FROM, nonce } }),
    "0x",
  ),
  log(
    TOKEN,
    encodeEventTopics({ abi: tokenAbi, eventName: "Transfer", args: { from: FROM, to: TO } }),
    encodeAbiParameters([{ type: "uint256" }], [value]),
  ),
];
const settled = (index: number, router = ROUTER) =>
  log(
    router,
    encodeEventTopics({ abi: iBatchSettlementRouterAbi, eventName: "AuthorizationSettled" }),
    encodeAbiParameters([{ type: "uint256" }], [BigInt(index)]),
  );
const SALT: Hex = `0x${"5a".repeat(32)}`;
const feeSettled = (index: number) =>
  log(
    ROUTER,
    encodeEventTopics({ abi: iBatchSettlementRouterAbi, eventName: "FeeAuthorizationSettled" }),
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "uint256" }, { type: "address" }, { type: "bytes32" }],
      [BigInt(index), TO, 7n, FROM, SALT],
    ),
  );
const failed = (index: number, nonce: Hex, reason: number, selector: Hex = "0x00000000") =>
  log(
    ROUTER,
    encodeEventTopics({
      abi: iBatchSettlementRouterAbi,
      eventName: "AuthorizationFailed",
      args: { token: TOKEN, from: FROM, nonce },
    }),
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "uint8" }, { type: "bytes4" }],
      [BigInt(index), reason, selector],
    ),
  );
const nonce = (i: number) => keccak256(toHex(`nonce ${i}`));

describe("parseSettlementLogs", () => {
  test("default: each settled item gets its own token logs; failed items their reason and key", () => {
    const logs = [
      ...tokenLogs(nonce(0), 10n),
      settled(0),
      failed(1, nonce(1), failureReasons.indexOf("Expired"), "0x12345678"),
      ...tokenLogs(nonce(2), 30n),
      settled(2),
    ];
    const outcomes = parseSettlementLogs({ logs, router: ROUTER, itemCount: 3 });
    assert.equal(outcomes.length, 3);
    assert.deepEqual(
      outcomes.map((o) => [o.index, o.status]),
      [
        [0, "settled"],
        [1, "failed"],
        [2, "settled"],
      ],
    );
    const [first, second, third] = outcomes;
    assert.ok(first?.status === "settled" && third?.status === "settled" && second?.status === "failed");
    assert.deepEqual(first.logs, logs.slice(0, 2));
    assert.deepEqual(third.logs, logs.slice(4, 6));
    assert.deepEqual(
      { reason: second.reason, errorSelector: second.errorSelector, token: second.token, from: second.from },
      { reason: "Expired", errorSelector: "0x12345678", token: TOKEN, from: FROM },
    );
    assert.equal(second.nonce, nonce(1));
  });

  test("behavior: fee mode, settled items carry the split and salt of FeeAuthorizationSettled", () => {
    const logs = [...tokenLogs(nonce(0), 10n), feeSettled(0), failed(1, nonce(1), failureReasons.indexOf("Paused"))];
    const [first, second] = parseSettlementLogs({ logs, router: ROUTER, itemCount: 2 });
    assert.ok(first?.status === "settled" && second?.status === "failed");
    assert.deepEqual(first.logs, logs.slice(0, 2));
    assert.deepEqual(first.fee, { payTo: TO, fee: 7n, feeRecipient: FROM, salt: SALT });
    assert.equal(second.reason, "Paused");
  });

  test("behavior: Permit2 mode, Permit2PaymentSettled settles an item like AuthorizationSettled", () => {
    const permit2Settled = (index: number) =>
      log(
        ROUTER,
        encodeEventTopics({ abi: iBatchSettlementRouterAbi, eventName: "Permit2PaymentSettled" }),
        encodeAbiParameters([{ type: "uint256" }], [BigInt(index)]),
      );
    const logs = [
      ...tokenLogs(nonce(0), 10n).slice(1),
      permit2Settled(0),
      failed(1, nonce(1), failureReasons.indexOf("InsufficientAllowance")),
    ];
    const [first, second] = parseSettlementLogs({ logs, router: ROUTER, itemCount: 2 });
    assert.ok(first?.status === "settled" && second?.status === "failed");
    assert.deepEqual(first.logs, logs.slice(0, 1));
    assert.equal(first.fee, undefined);
    assert.equal(second.reason, "InsufficientAllowance");
  });

  test("behavior: ignores events of another router address and accepts a lower-case router", () => {
    const logs = [...tokenLogs(nonce(0), 10n), settled(0, "0x8000000000000000000000000000000000000008"), settled(0)];
    const outcomes = parseSettlementLogs({ logs, router: ROUTER.toLowerCase() as Address });
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.status === "settled" && outcomes[0].logs.length, 3);
  });

  test("behavior: refuses repeated, backwards, out-of-range and missing items", () => {
    const cases: [Log[], number | undefined, string][] = [
      [[settled(0), settled(0)], undefined, "Cannot decode the result of settlement item 0: log"],
      [[settled(1), settled(0)], undefined, "Cannot decode the result of settlement item 0: log"],
      [[settled(0), settled(2)], 2, "Cannot decode the result of settlement item 2: log"],
      [[settled(0)], 2, "Cannot decode the settlement result: the logs report 1 of 2 items"],
      [[], 1, "Cannot decode the settlement result: the logs report 0 of 1 items"],
      [[failed(0, nonce(0), 0)], undefined, "Cannot decode the result of settlement item 0: unknown failure reason 0."],
      [
        [failed(0, nonce(0), 17)],
        undefined,
        "Cannot decode the result of settlement item 0: unknown failure reason 17.",
      ],
    ];
    for (const [logs, itemCount, message] of cases) {
      assert.throws(
        () => parseSettlementLogs({ logs, router: ROUTER, itemCount }),
        (error: unknown) => error instanceof SettlementDecodingError && error.shortMessage.startsWith(message),
        message,
      );
    }
  });
});
