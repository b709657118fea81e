/**
 * Pins the public surface of every entry point, so adding or removing an export is a deliberate,
 * reviewed change (like viem's `src/index.test.ts`), and checks that the library sources use no
 * Node-only API, so every entry point runs in browsers.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import * as batchSettlement from "./batch-settlement/index.js";
import * as batchSettlementNode from "./batch-settlement/node/index.js";
import * as erc8004 from "./erc8004/index.js";
import * as fetchEntry from "./fetch/index.js";
import * as main from "./index.js";
import * as permit2 from "./permit2/index.js";
import * as wire from "./wire/index.js";

describe("exports", () => {
  test("@x402kit/signer", () => {
    assert.deepEqual(Object.keys(main).sort(), [
      "AccountNotFoundError",
      "BaseError",
      "CANCEL_AUTHORIZATION_TYPEHASH",
      "FEE_COMMITMENT_TYPEHASH",
      "InvalidAuthorizationError",
      "InvalidSignatureError",
      "PaymentRefusedError",
      "RECEIVE_WITH_AUTHORIZATION_TYPEHASH",
      "TRANSFER_WITH_AUTHORIZATION_TYPEHASH",
      "VALID_AFTER_SKEW_SECONDS",
      "buildAuthorizationTypedData",
      "cancelAuthorizationTypes",
      "computeFeeCommitmentNonce",
      "createNonce",
      "createPaymentPayload",
      "feeCommitmentTypes",
      "fromWireAuthorization",
      "getPaymentOptions",
      "getValidityWindow",
      "hashAuthorization",
      "receiveWithAuthorizationTypes",
      "selectPaymentRequirements",
      "signCancelAuthorization",
      "signReceiveWithAuthorization",
      "signTransferWithAuthorization",
      "splitSignature",
      "toWireAuthorization",
      "transferWithAuthorizationTypes",
      "verifyAuthorizationSignature",
    ]);
  });

  test("@x402kit/signer/wire", () => {
    assert.deepEqual(Object.keys(wire).sort(), [
      "Address",
      "Bytes32Hex",
      "Caip2Network",
      "Eip155Network",
      "ExactEvmAuthorization",
      "ExactEvmExtra",
      "ExactEvmPayload",
      "ExactEvmPaymentPayloadV1",
      "ExactEvmPaymentPayloadV2",
      "ExactEvmPaymentRequirementsV1",
      "ExactEvmPaymentRequirementsV2",
      "HeaderDecodeError",
      "HexSignature",
      "JsonObject",
      "MAX_HEADER_VALUE_LENGTH",
      "NonEmptyString",
      "PAYMENT_REQUIRED_HEADER",
      "PAYMENT_RESPONSE_HEADER",
      "PAYMENT_SIGNATURE_HEADER",
      "PaymentPayload",
      "PaymentPayloadV1",
      "PaymentPayloadV2",
      "PaymentRequired",
      "PaymentRequiredV1",
      "PaymentRequiredV2",
      "PaymentRequirements",
      "PaymentRequirementsV1",
      "PaymentRequirementsV2",
      "ResourceInfo",
      "SchemaValidationError",
      "SettleRequest",
      "SettleRequestV1",
      "SettleRequestV2",
      "SettleResponse",
      "SupportedKind",
      "SupportedResponse",
      "Uint256String",
      "UnknownNetworkError",
      "V1_EVM_NETWORKS",
      "V1_SOLANA_NETWORKS",
      "VerifyRequest",
      "VerifyRequestV1",
      "VerifyRequestV2",
      "VerifyResponse",
      "X_PAYMENT_HEADER",
      "X_PAYMENT_RESPONSE_HEADER",
      "decodePaymentRequiredHeader",
      "decodePaymentResponseHeader",
      "decodePaymentSignatureHeader",
      "encodePaymentRequiredHeader",
      "encodePaymentResponseHeader",
      "encodePaymentSignatureHeader",
      "networkToChainId",
      "toCaip2Network",
      "toV1Network",
    ]);
  });

  test("@x402kit/signer/fetch", () => {
    assert.deepEqual(Object.keys(fetchEntry).sort(), [
      "DEFAULT_DEPOSIT_MULTIPLIER",
      "DEFAULT_MAX_RESENDS",
      "InvalidPaymentRequiredError",
      "InvalidPolicyError",
      "PaymentAlreadyAttemptedError",
      "PaymentRefusedError",
      "PaymentTransportError",
      "createSpendLedger",
      "getPaymentResult",
      "refundChannel",
      "wrapFetchWithPayment",
    ]);
  });

  test("@x402kit/signer/erc8004", () => {
    assert.deepEqual(Object.keys(erc8004).sort(), [
      "AGENT_REGISTRATION_DATA_URI_PREFIX",
      "AGENT_REGISTRATION_FILE_TYPE",
      "AGENT_WALLET_SET_TYPEHASH",
      "AgentRegistrationEntry",
      "AgentRegistrationFile",
      "AgentService",
      "Caip10Address",
      "DEFAULT_AGENT_WALLET_DEADLINE_SECONDS",
      "FeedbackFile",
      "IDENTITY_REGISTRY_EIP712_NAME",
      "IDENTITY_REGISTRY_EIP712_VERSION",
      "MAX_AGENT_WALLET_DEADLINE_DELAY_SECONDS",
      "ProofOfPayment",
      "UintJson",
      "agentWalletSetTypes",
      "buildAgentRegistrationFile",
      "buildAgentWalletSetTypedData",
      "buildFeedbackFile",
      "encodeAgentRegistrationDataUri",
      "hashFeedbackFile",
      "parseAgentRegistrationFile",
      "proofOfPaymentFromSettlement",
      "signAgentWalletSet",
    ]);
  });

  test("@x402kit/signer/permit2", () => {
    assert.deepEqual(Object.keys(permit2).sort(), [
      "EIP2612_GAS_SPONSORING_KEY",
      "Eip2612DomainMissingError",
      "Eip2612GasSponsoringInfo",
      "Eip2612NonceReadError",
      "ExactPermit2PaymentRequirements",
      "PERMIT2_ADDRESS",
      "Permit2PayloadSchema",
      "UptoPaymentRequirements",
      "X402_EXACT_PERMIT2_PROXY_ADDRESS",
      "X402_UPTO_PERMIT2_PROXY_ADDRESS",
      "buildPermit2ApprovalTransaction",
      "buildPermit2TypedData",
      "createEip2612GasSponsoringExtension",
      "createPermit2Nonce",
      "createPermit2Payload",
      "eip2612PermitTypes",
      "exactPermit2Types",
      "readPermit2Allowance",
      "uptoPermit2Types",
    ]);
  });

  test("@x402kit/signer/batch-settlement", () => {
    assert.deepEqual(Object.keys(batchSettlement).sort(), [
      "BATCH_SETTLEMENT_ADDRESS",
      "BATCH_SETTLEMENT_DOMAIN",
      "BATCH_SETTLEMENT_SCHEME",
      "BatchSettlementDepositPayloadSchema",
      "BatchSettlementPayloadSchema",
      "BatchSettlementPaymentRequirements",
      "BatchSettlementRefundPayloadSchema",
      "BatchSettlementVoucherPayloadSchema",
      "CUMULATIVE_AMOUNT_MISMATCH",
      "ChannelConfigSchema",
      "ChannelStoreError",
      "DEFAULT_CHANNEL_SALT",
      "DepositLimitExceededError",
      "ERC3009_DEPOSIT_COLLECTOR_ADDRESS",
      "InvalidChannelConfigError",
      "MAX_UINT128",
      "MAX_WITHDRAW_DELAY",
      "MIN_WITHDRAW_DELAY",
      "VoucherRegressionError",
      "VoucherSchema",
      "buildChannelConfig",
      "buildErc3009DepositNonce",
      "buildVoucherTypedData",
      "channelConfigTypes",
      "computeChannelId",
      "createChannelPayer",
      "createDepositPayload",
      "createMemoryChannelStore",
      "createRefundPayload",
      "createVoucherPayload",
      "defaultDepositAmount",
      "getBatchSettlementDomain",
      "refundTypes",
      "signVoucher",
      "verifyVoucherSignature",
      "voucherTypes",
    ]);
  });

  test("@x402kit/signer/batch-settlement/node", () => {
    assert.deepEqual(Object.keys(batchSettlementNode).sort(), ["createFileChannelStore"]);
  });

  test("behavior: package.json exports exactly the pinned entry points, each with types first", () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")) as {
      exports: Record<string, string | { types: string; default: string }>;
    };
    assert.deepEqual(Object.keys(manifest.exports), [
      ".",
      "./wire",
      "./fetch",
      "./erc8004",
      "./permit2",
      "./batch-settlement",
      "./batch-settlement/node",
      "./package.json",
    ]);
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === "./package.json") continue;
      assert.ok(typeof target === "object", subpath);
      assert.deepEqual(Object.keys(target), ["types", "default"], subpath);
      const entry = subpath === "." ? "index" : `${subpath.slice(2)}/index`;
      assert.equal(target.types, `./dist/${entry}.d.ts`, subpath);
      assert.equal(target.default, `./dist/${entry}.js`, subpath);
      // Each export is built from a barrel in src (the node one by its own tsconfig, with Node types).
      assert.ok(existsSync(join(import.meta.dirname, `${entry}.ts`)), `src/${entry}.ts`);
    }
    const build = (name: string) =>
      JSON.parse(readFileSync(join(import.meta.dirname, "..", name), "utf8")) as {
        include: string[];
        exclude: string[];
        compilerOptions: { types: string[] };
      };
    assert.deepEqual(build("tsconfig.build.json").compilerOptions.types, []);
    assert.ok(build("tsconfig.build.json").exclude.includes("src/**/node/**"));
    assert.deepEqual(build("tsconfig.build.node.json").include, ["src/**/node/**/*.ts"]);
  });

  test("behavior: every exported error is a BaseError subclass", () => {
    for (const entry of [main, wire, fetchEntry, erc8004, permit2, batchSettlement]) {
      for (const [name, value] of Object.entries(entry)) {
        if (!name.endsWith("Error") || name === "BaseError") continue;
        assert.ok(typeof value === "function" && value.prototype instanceof main.BaseError, name);
      }
    }
  });
});

describe("runs in browsers", () => {
  test("behavior: library sources import no node: module and use no Buffer or process", () => {
    const offenders: string[] = [];
    const nodeOnly = join(import.meta.dirname, "batch-settlement", "node");
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        // `batch-settlement/node` is the one Node-only entry point (its own subpath, never imported by the others).
        if (entry.isDirectory()) {
          if (path !== nodeOnly) visit(path);
        } else if (/\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name)) {
          const source = readFileSync(path, "utf8")
            .replace(/\/\*[\s\S]*?\*\//g, "")
            .replace(/\/\/.*$/gm, "");
          if (/from "node:|require\(|\bBuffer\b|\bprocess\./.test(source)) offenders.push(path);
          if (/from "\.\/node\/|from "\.\.\/batch-settlement\/node\//.test(source)) offenders.push(path);
        }
      }
    };
    visit(join(import.meta.dirname));
    assert.deepEqual(offenders, []);
    assert.ok(readdirSync(nodeOnly).length > 0);
  });
});
