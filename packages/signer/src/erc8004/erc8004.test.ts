import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Wallet } from "ethers";
import { getAddress, hashTypedData, keccak256, recoverTypedDataAddress, toBytes, toHex } from "viem";
import { accounts, payee, payer, privateKeys } from "../../test/constants.js";
import { InvalidAuthorizationError } from "../errors/signer.js";
import { HeaderDecodeError, SchemaValidationError } from "../errors/wire.js";
import {
  AGENT_REGISTRATION_DATA_URI_PREFIX,
  AGENT_REGISTRATION_FILE_TYPE,
  AGENT_WALLET_SET_TYPEHASH,
  agentWalletSetTypes,
  buildAgentRegistrationFile,
  buildAgentWalletSetTypedData,
  buildFeedbackFile,
  encodeAgentRegistrationDataUri,
  FeedbackFile,
  hashFeedbackFile,
  parseAgentRegistrationFile,
  proofOfPaymentFromSettlement,
  signAgentWalletSet,
} from "./index.js";

const identityRegistry = "0x8004A818BFB912233c491871b3d84c89A494BD9e" as const;
const wallet = accounts[2]!;
const TX = `0x${"ab".repeat(32)}` as const;

describe("AgentWalletSet", () => {
  test("behavior: the typehash is keccak256 of the type table's encoding", () => {
    const fields = agentWalletSetTypes.AgentWalletSet.map((f) => `${f.type} ${f.name}`).join(",");
    assert.equal(keccak256(toHex(`AgentWalletSet(${fields})`)), AGENT_WALLET_SET_TYPEHASH);
    assert.equal(fields, "uint256 agentId,address newWallet,address owner,uint256 deadline");
  });

  test("default: fixed key gives the exact signature (cross-checked with ethers)", async () => {
    const parameters = {
      identityRegistry,
      chainId: 84532,
      agentId: 7n,
      owner: payer.address,
      deadline: 1_700_000_240n,
    } as const;
    const result = await signAgentWalletSet({ ...parameters, signer: wallet, now: 1_700_000_000 });
    const expected =
      "0x9961c4f386cd4a97b5262465ce5f280514d94e4e7cbf152a3403d3492159a2be0bf225efdc58dd8466d498e150186b35a12adc9a8bc9f6b543cc6f28727b29c61b";
    assert.equal(result.signature, expected);
    assert.equal(result.newWallet, wallet.address);
    const typedData = buildAgentWalletSetTypedData({ ...parameters, newWallet: wallet.address });
    assert.deepEqual(typedData.domain, {
      name: "ERC8004IdentityRegistry",
      version: "1",
      chainId: 84532,
      verifyingContract: identityRegistry,
    });
    assert.equal(hashTypedData(typedData), "0x30151814bf3a8d7ec2b1efc2a3a64da4d251f8ba83c894c04042f202e2019bf9");
    assert.equal(await recoverTypedDataAddress({ ...typedData, signature: result.signature }), wallet.address);
    const ethers = await new Wallet(privateKeys[2]).signTypedData(
      typedData.domain,
      { AgentWalletSet: [...agentWalletSetTypes.AgentWalletSet] },
      typedData.message,
    );
    assert.equal(ethers, expected);
  });

  test("behavior: the deadline defaults inside the registry's 5-minute cap and is checked", async () => {
    const base = {
      signer: wallet,
      identityRegistry,
      chainId: 84532,
      agentId: 0n,
      owner: payer.address,
      now: 1_000,
    } as const;
    assert.equal((await signAgentWalletSet(base)).deadline, 1_240n);
    assert.equal((await signAgentWalletSet({ ...base, deadline: 1_300n })).deadline, 1_300n);
    for (const deadline of [999n, 1_301n]) {
      await assert.rejects(signAgentWalletSet({ ...base, deadline }), InvalidAuthorizationError);
    }
  });
});

describe("registration file", () => {
  const file = buildAgentRegistrationFile({
    name: "WeatherBot",
    description: "Forecasts, paid per call with x402.",
    image: "https://weather.example/logo.png",
    services: [
      { name: "web", endpoint: "https://weather.example" },
      { name: "MCP", endpoint: "https://weather.example/mcp", version: "2025-06-18" },
    ],
    x402Support: true,
    active: true,
    registrations: [
      { agentId: 0n, chainId: 84532, identityRegistry: identityRegistry.toLowerCase() as `0x${string}` },
      { agentId: 2n ** 64n, chainId: 1, identityRegistry },
    ],
    supportedTrust: ["reputation"],
  });

  test("default: the registration-v1 shape", () => {
    assert.equal(file.type, AGENT_REGISTRATION_FILE_TYPE);
    assert.deepEqual(file.registrations, [
      { agentId: 0, agentRegistry: `eip155:84532:${identityRegistry}` },
      { agentId: "18446744073709551616", agentRegistry: `eip155:1:${identityRegistry}` },
    ]);
  });

  test("behavior: data URI round trip, canonical and stable", () => {
    const uri = encodeAgentRegistrationDataUri({ file });
    assert.ok(uri.startsWith(AGENT_REGISTRATION_DATA_URI_PREFIX));
    assert.deepEqual(parseAgentRegistrationFile({ value: uri }), file);
    const reordered = Object.fromEntries(Object.entries(file).reverse()) as typeof file;
    assert.equal(encodeAgentRegistrationDataUri({ file: reordered }), uri);
    assert.deepEqual(parseAgentRegistrationFile({ value: JSON.stringify(file) }), file);
  });

  test("behavior: invalid files are rejected with typed errors", () => {
    assert.throws(() => buildAgentRegistrationFile({ name: "", description: "", services: [] }), SchemaValidationError);
    for (const value of [{ ...file, type: "other" }, { ...file, services: [{ name: "web" }] }, "not json", 42]) {
      assert.throws(() => parseAgentRegistrationFile({ value }), SchemaValidationError);
    }
    assert.throws(
      () => parseAgentRegistrationFile({ value: `${AGENT_REGISTRATION_DATA_URI_PREFIX}%%%` }),
      HeaderDecodeError,
    );
    assert.throws(
      () =>
        parseAgentRegistrationFile({ value: { ...file, registrations: [{ agentId: 1, agentRegistry: "eip155:1" }] } }),
      SchemaValidationError,
    );
  });
});

describe("feedback file", () => {
  const settlement = { success: true, transaction: TX, network: "base-sepolia", payer: payer.address.toLowerCase() };

  test("default: fields, canonical JSON and feedbackHash = keccak256(bytes)", () => {
    const proofOfPayment = proofOfPaymentFromSettlement({ settlement, payTo: payee.address });
    assert.deepEqual(proofOfPayment, {
      fromAddress: payer.address,
      toAddress: payee.address,
      chainId: "84532",
      txHash: TX,
    });
    const { file, json, feedbackHash } = buildFeedbackFile({
      agentRegistry: { chainId: 84532, identityRegistry },
      agentId: 7n,
      clientAddress: wallet.address,
      value: -32n,
      valueDecimals: 1,
      tag1: "tradingYield",
      tag2: "week",
      a2a: { taskId: "t-1" },
      proofOfPayment,
      createdAt: new Date("2026-11-22T12:00:00Z"),
    });
    assert.equal(
      json,
      `{"a2a":{"taskId":"t-1"},"agentId":7,"agentRegistry":"eip155:84532:${identityRegistry}","clientAddress":"eip155:84532:${getAddress(wallet.address)}","createdAt":"2026-11-22T12:00:00.000Z","proofOfPayment":{"chainId":"84532","fromAddress":"${payer.address}","toAddress":"${payee.address}","txHash":"${TX}"},"tag1":"tradingYield","tag2":"week","value":-32,"valueDecimals":1}`,
    );
    assert.equal(feedbackHash, keccak256(toBytes(json)));
    assert.equal(hashFeedbackFile({ content: toBytes(json) }), feedbackHash);
    assert.deepEqual(FeedbackFile.parse(JSON.parse(json)), file);
  });

  test("behavior: the hash depends on every byte and not on the order fields were given in", () => {
    const base = {
      agentRegistry: { chainId: 1, identityRegistry },
      agentId: 1n,
      clientAddress: payer.address,
      value: 87n,
      valueDecimals: 0,
      createdAt: new Date(0),
    } as const;
    const a = buildFeedbackFile({ ...base, tag1: "starred", endpoint: "https://x" });
    const b = buildFeedbackFile({ endpoint: "https://x", tag1: "starred", ...base });
    assert.equal(a.feedbackHash, b.feedbackHash);
    assert.notEqual(buildFeedbackFile({ ...base, value: 88n }).feedbackHash, a.feedbackHash);
    assert.equal(buildFeedbackFile({ ...base, value: 10n ** 30n }).file.value, (10n ** 30n).toString());
  });

  test("behavior: out-of-range values and bad proofs are rejected", () => {
    const base = {
      agentRegistry: { chainId: 1, identityRegistry },
      agentId: 1n,
      clientAddress: payer.address,
      value: 1n,
      valueDecimals: 0,
    };
    assert.throws(() => buildFeedbackFile({ ...base, valueDecimals: 19 }), SchemaValidationError);
    assert.throws(() => buildFeedbackFile({ ...base, value: 10n ** 38n + 1n }), SchemaValidationError);
    assert.throws(
      () =>
        buildFeedbackFile({
          ...base,
          proofOfPayment: { fromAddress: payer.address, toAddress: payee.address, chainId: "1", txHash: "0x12" },
        }),
      SchemaValidationError,
    );
    assert.throws(
      () => proofOfPaymentFromSettlement({ settlement: { ...settlement, success: false }, payTo: payee.address }),
      SchemaValidationError,
    );
    assert.throws(
      () => proofOfPaymentFromSettlement({ settlement: { ...settlement, transaction: "" }, payTo: payee.address }),
      SchemaValidationError,
    );
  });
});
