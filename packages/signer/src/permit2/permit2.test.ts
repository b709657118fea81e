/**
 * Permit2 payments signed by @x402kit/signer are the official `@x402/evm` clients' payloads byte for byte (`exact`
 * over Permit2 and `upto`, same key, nonce and deadline), the constants and EIP-712 types are the official ones, a
 * malformed requirement is refused, and the signature recovers to the payer over Permit2's domain.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  PERMIT2_ADDRESS as OFFICIAL_PERMIT2,
  permit2WitnessTypes,
  toClientEvmSigner,
  uptoPermit2WitnessTypes,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from "@x402/evm";
import { createPermit2ApprovalTx, ExactEvmScheme } from "@x402/evm/exact/client";
import { UptoEvmScheme } from "@x402/evm/upto/client";
import { decodeFunctionData, maxUint256, parseAbi, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { SchemaValidationError } from "../errors/wire.js";
import {
  buildPermit2ApprovalTransaction,
  buildPermit2TypedData,
  createPermit2Payload,
  exactPermit2Types,
  PERMIT2_ADDRESS,
  type Permit2Payload,
  uptoPermit2Types,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "./index.js";

const payer = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const token = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const payTo = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C" as const;
const facilitator = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;
const exactRequirements = {
  scheme: "exact",
  network: "eip155:84532",
  amount: "10000",
  asset: token,
  payTo,
  maxTimeoutSeconds: 300,
  extra: { assetTransferMethod: "permit2" },
};
const uptoRequirements = {
  scheme: "upto",
  network: "eip155:84532",
  amount: "250000",
  asset: token,
  payTo,
  maxTimeoutSeconds: 120,
  extra: { facilitatorAddress: facilitator },
};

describe("Permit2 payments", () => {
  test("constants and EIP-712 types are the official ones", () => {
    assert.equal(PERMIT2_ADDRESS, OFFICIAL_PERMIT2);
    assert.equal(X402_EXACT_PERMIT2_PROXY_ADDRESS, x402ExactPermit2ProxyAddress);
    assert.equal(X402_UPTO_PERMIT2_PROXY_ADDRESS, x402UptoPermit2ProxyAddress);
    assert.deepEqual(exactPermit2Types, permit2WitnessTypes);
    assert.deepEqual(uptoPermit2Types, uptoPermit2WitnessTypes);
  });

  for (const [scheme, requirements, official] of [
    ["exact", exactRequirements, new ExactEvmScheme(toClientEvmSigner(payer))],
    ["upto", uptoRequirements, new UptoEvmScheme(toClientEvmSigner(payer))],
  ] as const) {
    test(`${scheme}: the official client's payload, byte for byte`, async () => {
      const theirs = await official.createPaymentPayload(2, requirements as never);
      const theirPayload = theirs.payload as Permit2Payload;
      const { nonce, deadline } = theirPayload.permit2Authorization;
      const ours = await createPermit2Payload({
        signer: payer,
        requirements,
        nonce: BigInt(nonce),
        now: BigInt(deadline) - BigInt(requirements.maxTimeoutSeconds),
      });
      assert.equal(ours.scheme, scheme);
      assert.equal(JSON.stringify(ours.payload), JSON.stringify(theirPayload));
      const recovered = await recoverTypedDataAddress({
        ...buildPermit2TypedData({ scheme, chainId: 84532, authorization: ours.payload.permit2Authorization }),
        signature: ours.payload.signature,
      });
      assert.equal(recovered, payer.address);
    });
  }

  test("the witness binds payee, facilitator and amount: changing one changes the signer it recovers to", async () => {
    const { payload } = await createPermit2Payload({ signer: payer, requirements: uptoRequirements, nonce: 7n });
    const authorization = payload.permit2Authorization;
    for (const changed of [
      { ...authorization, witness: { ...authorization.witness, to: facilitator } },
      { ...authorization, witness: { ...authorization.witness, facilitator: payTo } },
      { ...authorization, permitted: { ...authorization.permitted, amount: "250001" } },
      { ...authorization, spender: X402_EXACT_PERMIT2_PROXY_ADDRESS },
    ]) {
      const recovered = await recoverTypedDataAddress({
        ...buildPermit2TypedData({ scheme: "upto", chainId: 84532, authorization: changed }),
        signature: payload.signature,
      });
      assert.notEqual(recovered, payer.address);
    }
    // Another chain: another domain.
    const elsewhere = await recoverTypedDataAddress({
      ...buildPermit2TypedData({ scheme: "upto", chainId: 8453, authorization }),
      signature: payload.signature,
    });
    assert.notEqual(elsewhere, payer.address);
  });

  test("refuses what is not a Permit2 requirement, with the field at fault", async () => {
    for (const requirements of [
      { ...exactRequirements, extra: { name: "USDC", version: "2" } }, // an EIP-3009 requirement
      { ...uptoRequirements, extra: {} }, // upto without a facilitator
      { ...exactRequirements, amount: "-1" },
      { ...exactRequirements, network: "solana:mainnet" },
      { ...exactRequirements, asset: "0x1234" },
      null,
    ]) {
      await assert.rejects(createPermit2Payload({ signer: payer, requirements }), SchemaValidationError);
    }
  });

  test("the one-time approval is the official client's transaction", () => {
    const ours = buildPermit2ApprovalTransaction(token);
    assert.deepEqual(ours, createPermit2ApprovalTx(token));
    const { functionName, args } = decodeFunctionData({
      abi: parseAbi(["function approve(address spender, uint256 amount)"]),
      data: ours.data,
    });
    assert.equal(functionName, "approve");
    assert.deepEqual(args, [PERMIT2_ADDRESS, maxUint256]);
  });
});
