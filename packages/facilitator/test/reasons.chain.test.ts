import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { erc1271WalletMockAbi, erc1271WalletMockBytecode } from "@x402kit/bindings";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { type Address, getAddress, type Hex, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { authorizationDigest } from "../src/chain/authorizationDigest.js";
import { reasonCode } from "../src/domain/reasons.js";
import { auditAnswers } from "./helpers/auditAnswers.js";
import {
  balanceOf,
  deployTestUsdc,
  HARDHAT_KEYS,
  type LocalChain,
  localChain,
  signPayment,
  type Token,
  v1Body,
  v2Body,
} from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { type OfficialFacilitator, officialFacilitator } from "./helpers/officialFacilitator.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const broke = privateKeyToAccount(HARDHAT_KEYS[7]);
const walletOwner = privateKeyToAccount(HARDHAT_KEYS[8]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const otherPayee = "0x000000000000000000000000000000000000dEaD" as Address;
const now = () => BigInt(Math.floor(Date.now() / 1000));

/**
 * Every reason code the facilitator emits is reachable through the HTTP API, with `payer` present and
 * the code spelled for the request's version.
 */
describe("reason codes over HTTP (local chain 84532)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let wallet: Address;
  let state: RunningFacilitator;
  let simulate: RunningFacilitator;
  let officialInstance: OfficialFacilitator | undefined;
  const official = () => {
    officialInstance ??= officialFacilitator(node.rpcUrl, node.chainId, HARDHAT_KEYS[3]);
    return officialInstance;
  };

  before(async () => {
    node = await startHardhatNode({ chainId: 84532 });
    chain = localChain(node.rpcUrl, node.chainId);
    // An ERC-1271 wallet owned by `walletOwner` that accepts its ECDSA signatures.
    const deployer = chain.wallet(HARDHAT_KEYS[0]);
    const hash = await deployer.deployContract({
      abi: erc1271WalletMockAbi,
      bytecode: erc1271WalletMockBytecode,
      args: [walletOwner.address, false],
      account: deployer.account!,
      chain: deployer.chain,
    });
    wallet = getAddress((await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address);
    token = await deployTestUsdc(chain, [payer.address, wallet]);
    state = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[1]],
      networks: [{ network: "eip155:84532", rpcUrl: node.rpcUrl, payees: [payTo] }],
    });
    simulate = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[2]],
      networks: [{ network: "base-sepolia", rpcUrl: node.rpcUrl }],
      verify: { chainCheck: "simulate" },
    });
  });
  after(async () => {
    await state?.close();
    await simulate?.close();
    await node?.stop();
  });

  const expectInvalid = async (f: RunningFacilitator, body: unknown, code: string, payerAddress: string) => {
    const verify = await f.post("/verify", body);
    assert.equal(verify.status, 200, JSON.stringify(verify.body));
    assert.equal(verify.body.isValid, false, JSON.stringify(verify.body));
    assert.equal(verify.body.invalidReason, code, JSON.stringify(verify.body));
    assert.equal(verify.body.payer, payerAddress);
    assert.equal(typeof verify.body.invalidMessage, "string");
    const settle = await f.post("/settle", body);
    assert.equal(settle.status, 200, JSON.stringify(settle.body));
    assert.equal(settle.body.success, false);
    assert.equal(settle.body.errorReason, code, JSON.stringify(settle.body));
    assert.equal(settle.body.transaction, "");
    assert.equal(settle.body.payer, payerAddress);
    const version = (body as { paymentPayload: { x402Version: number } }).paymentPayload.x402Version;
    const requirements = (body as { paymentRequirements: { network: string } }).paymentRequirements;
    assert.equal(settle.body.network, version === 3 ? requirements.network : requirements.network);
  };

  test("unsupported_scheme: a scheme other than exact", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 10n });
    const body = v2Body(token, payload, payTo, 10n);
    body.paymentRequirements = { ...body.paymentRequirements, scheme: "upto" };
    body.paymentPayload.accepted = body.paymentRequirements;
    await expectInvalid(state, body, "unsupported_scheme", payer.address);
  });

  test("invalid_network: a network this facilitator does not serve, or payload and requirements disagreeing", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 10n });
    await expectInvalid(
      state,
      v2Body(token, payload, payTo, 10n, { network: "eip155:1" }),
      "invalid_network",
      payer.address,
    );
    const mismatched = v2Body(token, payload, payTo, 10n);
    mismatched.paymentPayload.accepted = { ...mismatched.paymentRequirements, network: "eip155:8453" };
    await expectInvalid(state, mismatched, "invalid_network", payer.address);
  });

  test("invalid_x402_version: a payload version other than 1 and 2", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 10n });
    const body = v2Body(token, payload, payTo, 10n) as unknown as { paymentPayload: { x402Version: number } };
    body.paymentPayload.x402Version = 3;
    await expectInvalid(state, body, "invalid_x402_version", "");
  });

  test("invalid_payload: an authorization that is not EIP-3009", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 10n });
    const broken = { ...payload, authorization: { ...payload.authorization, nonce: "0x1234" } };
    await expectInvalid(state, v2Body(token, broken, payTo, 10n), "invalid_payload", payer.address);
  });

  test("invalid_payment_requirements: no EIP-712 domain in extra, or a payee off the allowlist", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 10n });
    await expectInvalid(
      state,
      v2Body(token, payload, payTo, 10n, { extra: null }),
      "invalid_payment_requirements",
      payer.address,
    );
    const elsewhere = await signPayment({ token, payer, payTo: otherPayee, value: 10n });
    await expectInvalid(
      state,
      v2Body(token, elsewhere, otherPayee, 10n),
      "invalid_payment_requirements",
      payer.address,
    );
  });

  /** The official facilitator's v2 reason for `body` (it must refuse it too). */
  const officialReason = async (body: ReturnType<typeof v2Body>) => {
    const theirs = await official().verify(body);
    assert.equal(theirs.isValid, false, JSON.stringify(theirs));
    return String(theirs.invalidReason);
  };

  test("invalid_exact_evm_signature: signed by someone else (v2 as the official facilitator, v1 the legacy name)", async () => {
    const payload = await signPayment({ token, payer: broke, payTo, value: 10n });
    const forged = { ...payload, authorization: { ...payload.authorization, from: payer.address } };
    const body = v2Body(token, forged, payTo, 10n);
    assert.equal(await officialReason(body), "invalid_exact_evm_signature");
    await expectInvalid(state, body, "invalid_exact_evm_signature", payer.address);
    await expectInvalid(
      state,
      v1Body(token, forged, payTo, 10n, "base-sepolia"),
      "invalid_exact_evm_payload_signature",
      payer.address,
    );
  });

  test("invalid_exact_evm_payload_undeployed_smart_wallet: a long signature from an account without code", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 10n });
    const long = { ...payload, signature: `${payload.signature}${"00".repeat(32)}` as Hex };
    await expectInvalid(
      state,
      v2Body(token, long, payTo, 10n),
      "invalid_exact_evm_payload_undeployed_smart_wallet",
      payer.address,
    );
  });

  test("invalid_exact_evm_recipient_mismatch: authorization.to is not payTo (v2 as the official facilitator)", async () => {
    const payload = await signPayment({ token, payer, payTo: otherPayee, value: 10n });
    const body = v2Body(token, payload, payTo, 10n);
    assert.equal(await officialReason(body), "invalid_exact_evm_recipient_mismatch");
    await expectInvalid(state, body, "invalid_exact_evm_recipient_mismatch", payer.address);
    await expectInvalid(
      state,
      v1Body(token, payload, payTo, 10n, "base-sepolia"),
      "invalid_exact_evm_payload_recipient_mismatch",
      payer.address,
    );
  });

  test("valid_before and valid_after: outside the validity window", async () => {
    const soon = await signPayment({ token, payer, payTo, value: 10n, validBefore: now() + 3n });
    await expectInvalid(
      state,
      v2Body(token, soon, payTo, 10n),
      "invalid_exact_evm_payload_authorization_valid_before",
      payer.address,
    );
    const later = await signPayment({ token, payer, payTo, value: 10n, validAfter: now() + 120n });
    await expectInvalid(
      state,
      v2Body(token, later, payTo, 10n),
      "invalid_exact_evm_payload_authorization_valid_after",
      payer.address,
    );
  });

  test("value mismatch: v2 and v1 spellings", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 11n });
    await expectInvalid(
      state,
      v2Body(token, payload, payTo, 10n),
      "invalid_exact_evm_payload_authorization_value_mismatch",
      payer.address,
    );
    await expectInvalid(
      state,
      v1Body(token, payload, payTo, 10n, "base-sepolia"),
      "invalid_exact_evm_payload_authorization_value",
      payer.address,
    );
  });

  test("insufficient_funds: the payer's balance is below the amount", async () => {
    const payload = await signPayment({ token, payer: broke, payTo, value: 10n });
    await expectInvalid(state, v2Body(token, payload, payTo, 10n), "insufficient_funds", broke.address);
  });

  test("nonce already used: a canceled authorization (v2 and v1 spellings)", async () => {
    const nonce = keccak256(toHex("to-cancel"));
    const payload = await signPayment({ token, payer, payTo, value: 10n, nonce });
    const cancel = await payer.signTypedData({
      domain: { name: token.name, version: token.version, chainId: 84532, verifyingContract: token.address },
      types: {
        CancelAuthorization: [
          { name: "authorizer", type: "address" },
          { name: "nonce", type: "bytes32" },
        ],
      },
      primaryType: "CancelAuthorization",
      message: { authorizer: payer.address, nonce },
    });
    const admin = chain.wallet(HARDHAT_KEYS[0]);
    const tx = await admin.writeContract({
      address: token.address,
      abi: token.abi,
      functionName: "cancelAuthorization",
      args: [payer.address, nonce, cancel],
      account: admin.account!,
      chain: admin.chain,
    });
    await chain.publicClient.waitForTransactionReceipt({ hash: tx });
    await expectInvalid(
      state,
      v2Body(token, payload, payTo, 10n),
      "invalid_exact_evm_nonce_already_used",
      payer.address,
    );
    await expectInvalid(
      state,
      v1Body(token, payload, payTo, 10n, "base-sepolia"),
      "invalid_transaction_state",
      payer.address,
    );
  });

  test("eip3009_not_supported: an asset without authorizationState", async () => {
    const fake: Token = { ...token, address: wallet };
    const payload = await signPayment({ token: fake, payer, payTo, value: 10n });
    const body = v2Body(fake, payload, payTo, 10n);
    await expectInvalid(state, body, "invalid_exact_evm_eip3009_not_supported", payer.address);
  });

  test("ERC-1271: a deployed smart wallet pays, and a wrong domain name is diagnosed by simulation", async () => {
    const authorization = {
      from: wallet,
      to: payTo,
      value: 25n,
      validAfter: now() - 600n,
      validBefore: now() + 300n,
      nonce: keccak256(toHex("wallet-payment")),
    };
    const wire = {
      from: wallet,
      to: payTo,
      value: "25",
      validAfter: authorization.validAfter.toString(),
      validBefore: authorization.validBefore.toString(),
      nonce: authorization.nonce,
    };
    const digest = authorizationDigest(
      { name: token.name, version: token.version, chainId: 84532, verifyingContract: token.address },
      authorization,
    );
    const good = { signature: await walletOwner.sign({ hash: digest }), authorization: wire };
    const settled = await simulate.post("/settle", v1Body(token, good, payTo, 25n, "base-sepolia"));
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    assert.equal(settled.body.payer, wallet);

    // The wallet owner signs over a domain named "USD Coin": the wallet accepts it, the token does not.
    const wrongDomain = { ...token, name: "USD Coin" };
    const other = { ...authorization, nonce: keccak256(toHex("wallet-wrong-domain")) };
    const wrongDigest = authorizationDigest(
      { name: "USD Coin", version: token.version, chainId: 84532, verifyingContract: token.address },
      other,
    );
    const wrong = {
      signature: await walletOwner.sign({ hash: wrongDigest }),
      authorization: { ...wire, nonce: other.nonce },
    };
    await expectInvalid(
      simulate,
      v2Body(wrongDomain, wrong, payTo, 25n, { network: "eip155:84532" }),
      "invalid_exact_evm_token_name_mismatch",
      wallet,
    );
    const wrongVersion = { ...token, version: "1" };
    const third = { ...authorization, nonce: keccak256(toHex("wallet-wrong-version")) };
    const versionDigest = authorizationDigest(
      { name: token.name, version: "1", chainId: 84532, verifyingContract: token.address },
      third,
    );
    const badVersion = {
      signature: await walletOwner.sign({ hash: versionDigest }),
      authorization: { ...wire, nonce: third.nonce },
    };
    await expectInvalid(
      simulate,
      v2Body(wrongVersion, badVersion, payTo, 25n, { network: "eip155:84532" }),
      "invalid_exact_evm_token_version_mismatch",
      wallet,
    );
  });

  test("transaction_simulation_failed: verify and settle say so for a paused token (state and simulate checks); the same payment settles after unpause", async () => {
    const admin = chain.wallet(HARDHAT_KEYS[0]);
    const toggle = async (functionName: "pause" | "unpause") => {
      const tx = await admin.writeContract({
        address: token.address,
        abi: token.abi,
        functionName,
        args: [],
        account: admin.account!,
        chain: admin.chain,
      });
      await chain.publicClient.waitForTransactionReceipt({ hash: tx });
    };
    const payload = await signPayment({ token, payer, payTo, value: 10n });
    const body = v2Body(token, payload, payTo, 10n, { network: "eip155:84532" });
    const before = await balanceOf(token, payTo);
    await toggle("pause");
    try {
      for (const f of [state, simulate]) {
        const verify = await f.post("/verify", body);
        assert.equal(verify.body.isValid, false, JSON.stringify(verify.body));
        assert.equal(verify.body.invalidReason, "invalid_exact_evm_transaction_simulation_failed");
        assert.match(verify.body.invalidMessage, /paused/);
        // Refused before it is admitted, as the official facilitator refuses it: nothing is kept for it.
        const settle = await f.post("/settle", body);
        assert.equal(settle.body.success, false, JSON.stringify(settle.body));
        assert.equal(settle.body.errorReason, "invalid_exact_evm_transaction_simulation_failed");
      }
    } finally {
      await toggle("unpause");
    }
    // A pause decides nothing for good: the same payment settles once the token runs again.
    const settled = await simulate.post("/settle", body);
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    assert.equal(await balanceOf(token, payTo), before + 10n);
  });

  test("duplicate_settlement: the same nonce with a different payload is refused, the first stands", async () => {
    const nonce = keccak256(toHex("duplicate-nonce"));
    const first = await signPayment({ token, payer, payTo, value: 30n, nonce });
    const settled = await state.post("/settle", v2Body(token, first, payTo, 30n));
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    const second = await signPayment({ token, payer, payTo, value: 31n, nonce });
    const refused = await state.post("/settle", v2Body(token, second, payTo, 31n));
    assert.equal(refused.status, 200);
    assert.equal(refused.body.success, false);
    assert.equal(refused.body.errorReason, reasonCode("duplicateSettlement", 2));
    assert.match(refused.body.errorMessage, /different payload/);
    assert.equal(refused.body.transaction, "");
    assert.equal(refused.body.payer, payer.address);
    // The first payload still answers its own success.
    assert.deepEqual((await state.post("/settle", v2Body(token, first, payTo, 30n))).body, settled.body);
  });
  test("audit: every settle answer agrees with the chain (no false success, no false failure)", async () => {
    const checked = await auditAnswers(token.chain.publicClient, [...state.settles, ...simulate.settles]);
    assert.ok(checked > 0);
  });
});
