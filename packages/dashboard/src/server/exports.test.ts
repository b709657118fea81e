/** Pins the public surface, so adding or removing an export is a deliberate, reviewed change. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as protocol from "../protocol/index.js";
import * as main from "./index.js";

test("exports: @x402kit/dashboard", () => {
  assert.deepEqual(Object.keys(main).sort(), [
    "DASHBOARD_WEB_ROOT",
    "DashboardAssetsMissingError",
    "DashboardError",
    "TransactionNotFoundError",
    "createDashboardCollector",
    "createDashboardServer",
    "createPaymentBook",
    "loadWebAssets",
    "readTransactionView",
  ]);
});

test("exports: @x402kit/dashboard/protocol", () => {
  assert.deepEqual(Object.keys(protocol).sort(), [
    "AgentRow",
    "AuthorizationOutcome",
    "BalanceRow",
    "BatchRow",
    "ChainInfo",
    "DashboardDelta",
    "DashboardSnapshot",
    "DecodedLog",
    "FeedbackRow",
    "LaneRow",
    "PaymentRow",
    "PaymentState",
    "TransactionView",
  ]);
});
