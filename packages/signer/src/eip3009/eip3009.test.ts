import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FEE_COMMITMENT_TYPEHASH, feeCommitmentTypes } from "@x402kit/bindings/router";
import { AbiCoder, keccak256 as ethersKeccak, TypedDataEncoder } from "ethers";
import { createWalletClient, custom, type Hex, isHex, size } from "viem";
import { baseSepoliaUsdc, fixedNonce, payee, payer } from "../../test/constants.js";
import { AccountNotFoundError, InvalidAuthorizationError, InvalidSignatureError } from "../errors/signer.js";
import { SchemaValidationError } from "../errors/wire.js";
import { buildAuthorizationTypedData } from "./buildAuthorizationTypedData.js";
import { computeFeeCommitmentNonce } from "./computeFeeCommitmentNonce.js";
import { createNonce } from "./createNonce.js";
import { fromWireAuthorization } from "./fromWireAuthorization.js";
import { getValidityWindow, VALID_AFTER_SKEW_SECONDS } from "./getValidityWindow.js";
import { signTransferWithAuthorization } from "./signTransferWithAuthorization.js";
import { splitSignature } from "./splitSignature.js";
import { toWireAuthorization } from "./toWireAuthorization.js";
import type { TransferAuthorization } from "./types.js";
import { verifyAuthorizationSignature } from "./verifyAuthorizationSignature.js";

const domain = {
  name: baseSepoliaUsdc.name,
  version: baseSepoliaUsdc.version,
  chainId: baseSepoliaUsdc.chainId,
  verifyingContract: baseSepoliaUsdc.address,
} as const;
const authorization: TransferAuthorization = {
  from: payer.address,
  to: payee.address,
  value: 10_000n,
  validAfter: 1_700_000_000n,
  validBefore: 1_700_000_060n,
  nonce: fixedNonce,
};
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("buildAuthorizationTypedData", () => {
  test("default: checksums addresses and keeps the types table", () => {
    const typedData = buildAuthorizationTypedData({
      primaryType: "TransferWithAuthorization",
      domain: { ...domain, verifyingContract: domain.verifyingContract.toLowerCase() as Hex, chainId: 84532n },
      message: { ...authorization, to: authorization.to.toLowerCase() as Hex },
    });
    assert.equal(typedData.domain.verifyingContract, baseSepoliaUsdc.address);
    assert.equal(typedData.domain.chainId, 84532);
    assert.equal(typedData.message.to, payee.address);
    assert.deepEqual(Object.keys(typedData.types), ["TransferWithAuthorization"]);
  });

  test("behavior: refuses what would make a useless or wrong authorization", () => {
    const bad: [string, Partial<TransferAuthorization>][] = [
      ["empty window", { validBefore: authorization.validAfter }],
      ["negative value", { value: -1n }],
      ["value above uint256", { value: 2n ** 256n }],
      ["short nonce", { nonce: "0x1234" }],
      ["odd nonce", { nonce: `0x${"1".repeat(63)}` }],
      ["bad address", { to: "0x1234" }],
    ];
    for (const [name, override] of bad) {
      assert.throws(
        () =>
          buildAuthorizationTypedData({
            primaryType: "TransferWithAuthorization",
            domain,
            message: { ...authorization, ...override },
          }),
        InvalidAuthorizationError,
        name,
      );
    }
    assert.throws(
      () =>
        buildAuthorizationTypedData({
          primaryType: "TransferWithAuthorization",
          domain: { ...domain, chainId: 0 },
          message: authorization,
        }),
      InvalidAuthorizationError,
    );
  });
});

describe("signers", () => {
  test("behavior: a WalletClient with a local account signs the same bytes as the account", async () => {
    const walletClient = createWalletClient({
      account: payer,
      transport: custom({ request: async () => assert.fail("a local account never calls the RPC") }),
    });
    const fromAccount = await signTransferWithAuthorization({ signer: payer, domain, authorization });
    const fromClient = await signTransferWithAuthorization({ signer: walletClient, domain, authorization });
    assert.equal(fromClient.signature, fromAccount.signature);
  });

  test("behavior: a WalletClient without an account is refused", async () => {
    const walletClient = createWalletClient({ transport: custom({ request: async () => null }) });
    await assert.rejects(
      signTransferWithAuthorization({ signer: walletClient, domain, authorization }),
      AccountNotFoundError,
    );
  });

  test("behavior: a bare JSON-RPC account (no wallet client) is refused with a typed error", async () => {
    const jsonRpcAccount = { address: payer.address, type: "json-rpc" } as unknown as typeof payer;
    await assert.rejects(
      signTransferWithAuthorization({ signer: jsonRpcAccount, domain, authorization }),
      (error: unknown) => error instanceof AccountNotFoundError && error.message.includes("JSON-RPC account"),
    );
  });

  test("behavior: from must be the signer", async () => {
    await assert.rejects(
      signTransferWithAuthorization({
        signer: payer,
        domain,
        authorization: { ...authorization, from: payee.address },
      }),
      InvalidAuthorizationError,
    );
  });
});

describe("verifyAuthorizationSignature", () => {
  const verify = (overrides: { message?: Partial<TransferAuthorization>; signature?: Hex } = {}) =>
    signTransferWithAuthorization({ signer: payer, domain, authorization }).then(({ signature }) =>
      verifyAuthorizationSignature({
        primaryType: "TransferWithAuthorization",
        domain,
        message: { ...authorization, ...overrides.message },
        signature: overrides.signature ?? signature,
      }),
    );

  test("default: the payer's signature is valid", async () => {
    assert.equal(await verify(), true);
  });

  test("behavior: any changed field invalidates it", async () => {
    for (const message of [
      { value: 10_001n },
      { to: payer.address },
      { validBefore: 1_700_000_061n },
      { nonce: `0x${"0".repeat(64)}` as Hex },
    ]) {
      assert.equal(
        await verify({ message }),
        false,
        JSON.stringify(message, (_, v) => (typeof v === "bigint" ? `${v}` : v)),
      );
    }
  });

  test("behavior: the malleable (high-s) twin is refused, as OpenZeppelin's ECDSA refuses it", async () => {
    const { signature } = await signTransferWithAuthorization({ signer: payer, domain, authorization });
    const { r, s, yParity } = splitSignature({ signature });
    const highS = (SECP256K1_N - BigInt(s)).toString(16).padStart(64, "0");
    const twin = `${r}${highS}${yParity === 0 ? "1c" : "1b"}` as Hex;
    assert.equal(await verify({ signature: twin }), false);
  });

  test("behavior: v as 0/1 is accepted (settled through the v,r,s overload with v normalised)", async () => {
    const { signature } = await signTransferWithAuthorization({ signer: payer, domain, authorization });
    const yParityForm = `${signature.slice(0, 130)}${signature.endsWith("1b") ? "00" : "01"}` as Hex;
    assert.equal(await verify({ signature: yParityForm }), true);
  });

  test("behavior: non-ECDSA signatures without a client are invalid, not errors", async () => {
    assert.equal(await verify({ signature: `0x${"11".repeat(64)}` }), false);
    assert.equal(await verify({ signature: `0x${"11".repeat(200)}` }), false);
    assert.equal(await verify({ signature: `0x${"00".repeat(65)}` }), false);
  });
});

describe("splitSignature", () => {
  test("default", async () => {
    const { signature } = await signTransferWithAuthorization({ signer: payer, domain, authorization });
    const parts = splitSignature({ signature });
    assert.equal(`${parts.r}${parts.s.slice(2)}${parts.v.toString(16)}`, signature);
    assert.equal(parts.yParity, parts.v - 27);
  });

  test("behavior: refuses wrong length, bad v and high s with InvalidSignatureError", () => {
    const r = `0x${"11".repeat(32)}`;
    const lowS = "22".repeat(32);
    const cases: [Hex, string][] = [
      [`0x${"11".repeat(64)}`, "length"],
      [`${r}${lowS}1b00` as Hex, "length"],
      [`${r}${lowS}1d` as Hex, "v"],
      [`${r}${"ff".repeat(32)}1b` as Hex, "high_s"],
    ];
    for (const [signature, reason] of cases) {
      assert.throws(
        () => splitSignature({ signature }),
        (error: unknown) => error instanceof InvalidSignatureError && error.reason === reason,
      );
    }
  });

  test("behavior: error text never carries the full signature", () => {
    const signature = `0x${"ab".repeat(32)}${"ff".repeat(32)}1b` as Hex;
    assert.throws(
      () => splitSignature({ signature }),
      (error: unknown) => error instanceof InvalidSignatureError && !error.message.includes(signature.slice(2, 40)),
    );
  });
});

describe("createNonce", () => {
  test("default: 32 random bytes", () => {
    const nonces = new Set(Array.from({ length: 64 }, () => createNonce()));
    assert.equal(nonces.size, 64);
    for (const nonce of nonces) assert.ok(isHex(nonce) && size(nonce) === 32 && /^0x[0-9a-f]{64}$/.test(nonce));
  });
});

describe("getValidityWindow", () => {
  test("default: now − 600 … now + maxTimeoutSeconds, as the official client signs", () => {
    assert.deepEqual(getValidityWindow({ maxTimeoutSeconds: 60, now: 1_700_000_000 }), {
      validAfter: 1_700_000_000n - BigInt(VALID_AFTER_SKEW_SECONDS),
      validBefore: 1_700_000_060n,
    });
  });

  test("behavior: uses the system clock by default", () => {
    const before = BigInt(Math.floor(Date.now() / 1000));
    const { validAfter, validBefore } = getValidityWindow({ maxTimeoutSeconds: 30 });
    const after = BigInt(Math.floor(Date.now() / 1000));
    assert.ok(validBefore >= before + 30n && validBefore <= after + 30n);
    assert.equal(validBefore - validAfter, 630n);
  });

  test("behavior: clamps validAfter at 0 and refuses bad timeouts", () => {
    assert.equal(getValidityWindow({ maxTimeoutSeconds: 5, now: 100 }).validAfter, 0n);
    for (const maxTimeoutSeconds of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => getValidityWindow({ maxTimeoutSeconds }), InvalidAuthorizationError);
    }
  });
});

describe("computeFeeCommitmentNonce", () => {
  // BatchSettlementRouter's pinned vector (test/solidity/settlement/BatchSettlementRouterFees.t.sol).
  const vector = {
    chainId: 84532,
    router: "0x1000000000000000000000000000000000000001",
    payTo: "0x2000000000000000000000000000000000000002",
    fee: 1000n,
    feeRecipient: "0x3000000000000000000000000000000000000003",
    salt: "0x0000000000000000000000000000000000000000000000000000000000000001",
  } as const;
  const expected = "0xea49826df16298f2e6d817e34e83f7b482b3b3a381c10694dc692f47df4dfed6";

  test("default: the router's vector, the EIP-712 hashStruct of FeeCommitment (checked with ethers)", () => {
    assert.equal(computeFeeCommitmentNonce(vector), expected);
    assert.equal(FEE_COMMITMENT_TYPEHASH, "0x2c9d7c90201b05ba941666737535c2e3341bbde3b079df1a8030d4d6e515e260");
    assert.equal(
      TypedDataEncoder.hashStruct("FeeCommitment", { FeeCommitment: [...feeCommitmentTypes.FeeCommitment] }, vector),
      expected,
    );
    assert.equal(
      ethersKeccak(
        AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "uint256", "address", "address", "uint256", "address", "bytes32"],
          [
            FEE_COMMITMENT_TYPEHASH,
            vector.chainId,
            vector.router,
            vector.payTo,
            vector.fee,
            vector.feeRecipient,
            vector.salt,
          ],
        ),
      ),
      expected,
    );
  });

  test("behavior: every field changes the nonce", () => {
    const nonce = computeFeeCommitmentNonce(vector);
    for (const change of [
      { chainId: 8453 },
      { router: payer.address },
      { payTo: payer.address },
      { fee: 1001n },
      { feeRecipient: payee.address },
      { salt: createNonce() },
    ]) {
      assert.notEqual(computeFeeCommitmentNonce({ ...vector, ...change }), nonce);
    }
  });
});

describe("wire authorization", () => {
  test("default: round trip", () => {
    const wire = toWireAuthorization({ authorization });
    assert.deepEqual(wire, {
      from: payer.address,
      to: payee.address,
      value: "10000",
      validAfter: "1700000000",
      validBefore: "1700000060",
      nonce: fixedNonce,
    });
    assert.deepEqual(fromWireAuthorization({ authorization: wire }), authorization);
  });

  test("behavior: malformed wire authorizations raise SchemaValidationError", () => {
    const wire = toWireAuthorization({ authorization });
    for (const bad of [{ ...wire, value: "1.5" }, { ...wire, validBefore: wire.validAfter }, null, "x"]) {
      assert.throws(() => fromWireAuthorization({ authorization: bad }), SchemaValidationError);
    }
  });
});
