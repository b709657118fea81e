import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ContractFunctionExecutionError,
  ContractFunctionZeroDataError,
  InvalidParamsRpcError,
  parseAbi,
  RpcRequestError,
} from "viem";
import type { NetworkRuntime } from "../chain/networkRuntime.js";
import { RpcUnavailableError } from "../domain/errors.js";
import { Reason } from "../domain/reasons.js";
import type { ExactPayment } from "../domain/types.js";
import { diagnose } from "./verifyPayment.js";

const payment: ExactPayment = {
  x402Version: 2,
  network: "eip155:84532",
  caip2: "eip155:84532",
  chainId: 84532,
  asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  payTo: "0x2000000000000000000000000000000000000002",
  amount: 10_000n,
  domain: { name: "USDC", version: "2" },
  authorization: {
    from: "0x1000000000000000000000000000000000000001",
    to: "0x2000000000000000000000000000000000000002",
    value: 10_000n,
    validAfter: 1_700_000_000n,
    validBefore: 1_700_000_600n,
    nonce: `0x${"ab".repeat(32)}`,
  },
  signature: `0x${"11".repeat(65)}`,
};

/** A network whose every contract read fails with `error`. */
const failing = (error: Error): NetworkRuntime =>
  ({
    caip2: "eip155:84532",
    client: { readContract: () => Promise.reject(error), getBlock: () => Promise.resolve({ timestamp: 0n }) },
  }) as unknown as NetworkRuntime;

const abi = parseAbi(["function authorizationState(address, bytes32) view returns (bool)"]);
const url = "http://rpc.example";

describe("diagnose", () => {
  test("default: a token that answers no data for authorizationState does not implement EIP-3009", async () => {
    const error = new ContractFunctionExecutionError(
      new ContractFunctionZeroDataError({ functionName: "authorizationState" }),
      { abi, functionName: "authorizationState", args: [payment.authorization.from, payment.authorization.nonce] },
    );
    const diagnosis = await diagnose(failing(error), payment, { stateOnly: true });
    assert.equal(diagnosis?.reason, Reason.eip3009NotSupported);
  });

  test("behavior: a provider fault (-32005 limit exceeded) is a retryable fault, never 'not supported'", async () => {
    const error = new RpcRequestError({ body: {}, error: { code: -32005, message: "limit exceeded" }, url });
    await assert.rejects(diagnose(failing(error), payment), RpcUnavailableError);
  });

  test("behavior: any other RPC error is not read as a fact about the token", async () => {
    const error = new InvalidParamsRpcError(
      new RpcRequestError({ body: {}, error: { code: -32602, message: "bad params" }, url }),
    );
    await assert.rejects(diagnose(failing(error), payment), InvalidParamsRpcError);
  });
});
