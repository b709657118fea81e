import assert from "node:assert/strict";
import { test } from "node:test";
import * as facilitator from "./index.js";

test("the public surface of @x402kit/facilitator", () => {
  assert.deepEqual(Object.keys(facilitator).sort(), [
    "ConfigError",
    "DEFAULT_HTTP_LIMITS",
    "DataDirLockedError",
    "FacilitatorConfig",
    "FacilitatorError",
    "InvalidTransitionError",
    "JournalLockedError",
    "NetworkConfig",
    "QueueFullError",
    "ROUTER_MAX_ITEMS",
    "Reason",
    "RouterMisconfiguredError",
    "RpcUnavailableError",
    "ShuttingDownError",
    "TransactionGasCapError",
    "allReasons",
    "canTransition",
    "classifyRouterFailure",
    "createApp",
    "createFacilitator",
    "createFacilitatorEvents",
    "createHttpServer",
    "createPostgresStore",
    "createRouterSubmitter",
    "createSettlementEngine",
    "createSqliteStore",
    "httpErrorBody",
    "httpLimitsOf",
    "listenFacilitator",
    "loadConfig",
    "observeStore",
    "parseConfig",
    "reasonCode",
    "reasonCodes",
    "redactConfig",
    "serveFacilitator",
    "toSettlementView",
    "transitions",
  ]);
});

test("exports: @x402kit/facilitator/channels", async () => {
  const channels = await import("./channels/index.js");
  assert.deepEqual(Object.keys(channels).sort(), [
    "ChannelRecordCorruptError",
    "InvalidChannelRecordError",
    "channelRecordSchema",
    "createChannelScheduler",
    "createSqliteChannelStorage",
    "normalizeChannelId",
    "planClaims",
    "unclaimedValue",
  ]);
});
