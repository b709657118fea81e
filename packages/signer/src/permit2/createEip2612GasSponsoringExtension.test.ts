/**
 * The EIP-2612 gas-sponsoring extension signed by @x402kit/signer is the official `@x402/evm` clients' extension byte
 * for byte (`exact` over Permit2 and `upto`, same key, nonce and deadline), its signature recovers to the payer over
 * the token's domain, and what cannot be signed fails with a typed error.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { toClientEvmSigner } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { UptoEvmScheme } from "@x402/evm/upto/client";
import { recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { Eip2612DomainMissingError, Eip2612NonceReadError } from "../errors/permit2.js";
import { SchemaValidationError } from "../errors/wire.js";
import {
  type ContractReader,
  createEip2612GasSponsoringExtension,
  createPermit2Payload,
  EIP2612_GAS_SPONSORING_KEY,
  eip2612PermitTypes,
  PERMIT2_ADDRESS,
} from "./index.js";

const payer = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const token = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const payTo = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C" as const;
const facilitator = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;
const domainExtra = { name: "Test ERC20", version: "1" };
const exactRequirements = {
  scheme: "exact",
  network: "eip155:84532",
  amount: "10000",
  asset: token,
  payTo,
  maxTimeoutSeconds: 300,
  extra: { ...domainExtra, assetTransferMethod: "permit2" },
};
const uptoRequirements = {
  scheme: "upto",
  network: "eip155:84532",
  amount: "250000",
  asset: token,
  payTo,
  maxTimeoutSeconds: 120,
  extra: { ...domainExtra, facilitatorAddress: facilitator },
};
const TOKEN_NONCE = 3n;

/** The chain as the payer sees it: no Permit2 allowance, the token's nonce for the payer is {@link TOKEN_NONCE}. */
const chain = {
  readContract: async ({ functionName }: { functionName: string }) => (functionName === "nonces" ? TOKEN_NONCE : 0n),
} as unknown as ContractReader;

describe("createEip2612GasSponsoringExtension", () => {
  test("default: the permit types are EIP-2612's", () => {
    assert.deepEqual(eip2612PermitTypes, {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    });
  });

  for (const [scheme, requirements, official] of [
    ["exact", exactRequirements, new ExactEvmScheme(toClientEvmSigner(payer, chain as never))],
    ["upto", uptoRequirements, new UptoEvmScheme(toClientEvmSigner(payer, chain as never))],
  ] as const) {
    test(`behavior: ${scheme}: the official client's extension, byte for byte`, async () => {
      const theirs = await official.createPaymentPayload(2, requirements as never, {
        extensions: { [EIP2612_GAS_SPONSORING_KEY]: {} },
      });
      assert.ok(theirs.extensions, "the official client signed the extension");
      const { deadline } = (theirs.payload as { permit2Authorization: { deadline: string } }).permit2Authorization;
      const ours = await createEip2612GasSponsoringExtension({ signer: payer, requirements, client: chain, deadline });
      assert.equal(JSON.stringify(ours), JSON.stringify(theirs.extensions));

      const { info } = ours.eip2612GasSponsoring;
      assert.equal(info.spender, PERMIT2_ADDRESS);
      assert.equal(info.amount, requirements.amount, "the amount, for upto the maximum");
      assert.equal(info.nonce, TOKEN_NONCE.toString());
      const recovered = await recoverTypedDataAddress({
        domain: { ...domainExtra, chainId: 84532, verifyingContract: token },
        types: eip2612PermitTypes,
        primaryType: "Permit",
        message: {
          owner: payer.address,
          spender: PERMIT2_ADDRESS,
          value: BigInt(info.amount),
          nonce: TOKEN_NONCE,
          deadline: BigInt(info.deadline),
        },
        signature: info.signature,
      });
      assert.equal(recovered, payer.address);
    });
  }

  test("behavior: the deadline defaults to now + maxTimeoutSeconds, as a Permit2 payload signed at that time", async () => {
    const now = 1_750_000_000;
    const { payload } = await createPermit2Payload({ signer: payer, requirements: exactRequirements, now });
    const ours = await createEip2612GasSponsoringExtension({
      signer: payer,
      requirements: exactRequirements,
      nonce: TOKEN_NONCE,
      now,
    });
    assert.equal(ours.eip2612GasSponsoring.info.deadline, payload.permit2Authorization.deadline);
    assert.equal(ours.eip2612GasSponsoring.info.deadline, `${now + 300}`);
  });

  test("behavior: a given nonce, name and version replace the chain's and extra's", async () => {
    const requirements = { ...exactRequirements, extra: { assetTransferMethod: "permit2" } };
    const ours = await createEip2612GasSponsoringExtension({
      signer: payer,
      requirements,
      nonce: 9n,
      deadline: 2_000_000_000n,
      name: "USDC",
      version: "2",
    });
    const { info } = ours.eip2612GasSponsoring;
    assert.equal(info.nonce, "9");
    const recovered = await recoverTypedDataAddress({
      domain: { name: "USDC", version: "2", chainId: 84532, verifyingContract: token },
      types: eip2612PermitTypes,
      primaryType: "Permit",
      message: { owner: payer.address, spender: PERMIT2_ADDRESS, value: 10_000n, nonce: 9n, deadline: 2_000_000_000n },
      signature: info.signature,
    });
    assert.equal(recovered, payer.address);
  });

  test("behavior: without the token's name or version, Eip2612DomainMissingError", async () => {
    await assert.rejects(
      createEip2612GasSponsoringExtension({
        signer: payer,
        requirements: { ...exactRequirements, extra: { assetTransferMethod: "permit2", version: "1" } },
        client: chain,
      }),
      (error: unknown) => {
        assert.ok(error instanceof Eip2612DomainMissingError);
        assert.equal(error.shortMessage, `The EIP-712 domain of ${token} is unknown: no token name.`);
        return true;
      },
    );
  });

  test("behavior: a nonce that cannot be read, or no client and no nonce, is Eip2612NonceReadError", async () => {
    const failing = {
      readContract: async () => {
        throw new Error("execution reverted");
      },
    } as unknown as ContractReader;
    for (const client of [failing, undefined]) {
      await assert.rejects(
        createEip2612GasSponsoringExtension({ signer: payer, requirements: exactRequirements, client }),
        (error: unknown) => {
          assert.ok(error instanceof Eip2612NonceReadError);
          assert.equal(error.shortMessage, `Could not read nonces(${payer.address}) of ${token}.`);
          return true;
        },
      );
    }
  });

  test("behavior: refuses what is not a Permit2 requirement", async () => {
    for (const requirements of [
      { ...exactRequirements, extra: domainExtra }, // an EIP-3009 requirement
      { ...uptoRequirements, extra: domainExtra }, // upto without a facilitator
      { ...exactRequirements, amount: "-1" },
      null,
    ]) {
      await assert.rejects(
        createEip2612GasSponsoringExtension({ signer: payer, requirements, nonce: 0n }),
        SchemaValidationError,
      );
    }
  });
});
