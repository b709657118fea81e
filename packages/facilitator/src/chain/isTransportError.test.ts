import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CallExecutionError,
  ExecutionRevertedError,
  HttpRequestError,
  InternalRpcError,
  LimitExceededRpcError,
  ResourceUnavailableRpcError,
  RpcRequestError,
  SocketClosedError,
  WebSocketRequestError,
} from "viem";
import { isTransportError } from "./isTransportError.js";

const url = "wss://rpc.example";
const rpcError = (code: number, message: string) =>
  new RpcRequestError({ body: { method: "eth_call" }, error: { code, message }, url });

describe("isTransportError", () => {
  test("behavior: WebSocket failures are transport faults", () => {
    assert.equal(isTransportError(new WebSocketRequestError({ body: {}, url, details: "closed" })), true);
    assert.equal(isTransportError(new SocketClosedError({ url })), true);
    assert.equal(isTransportError(new CallExecutionError(new SocketClosedError({ url }), {})), true);
  });

  test("behavior: provider faults answered as JSON-RPC errors (-32603, -32005, -32002) are transport faults", () => {
    assert.equal(isTransportError(new InternalRpcError(rpcError(-32603, "internal error"))), true);
    assert.equal(isTransportError(new LimitExceededRpcError(rpcError(-32005, "limit exceeded"))), true);
    assert.equal(isTransportError(new ResourceUnavailableRpcError(rpcError(-32002, "unavailable"))), true);
    assert.equal(isTransportError(rpcError(-32005, "daily request limit reached")), true);
  });

  test("behavior: a revert is an answer, even when a node reports it as -32603", () => {
    assert.equal(isTransportError(rpcError(-32603, "execution reverted: paused")), false);
    const reverted = new ExecutionRevertedError({ cause: rpcError(-32603, "VM Exception"), message: "reverted" });
    assert.equal(isTransportError(new CallExecutionError(reverted, {})), false);
    assert.equal(isTransportError(rpcError(3, "execution reverted")), false);
    assert.equal(isTransportError(rpcError(-32000, "nonce too low")), false);
  });

  test("default: HTTP failures and 5xx/429 are transport faults; other HTTP answers are not", () => {
    assert.equal(isTransportError(new HttpRequestError({ url, details: "fetch failed" })), true);
    assert.equal(isTransportError(new HttpRequestError({ url, status: 503 })), true);
    assert.equal(isTransportError(new HttpRequestError({ url, status: 429 })), true);
    assert.equal(isTransportError(new HttpRequestError({ url, status: 400 })), false);
  });
});
