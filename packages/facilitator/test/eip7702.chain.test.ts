/**
 * EIP-7702 payers: an EOA that delegates its code to a contract still signs `TransferWithAuthorization` with its key.
 * The official facilitator (viem's `verifyTypedData`) then takes the account's ERC-1271 answer, as FiatToken v2.2
 * does (it reads the signer's code before trying ECDSA). Ours detects the delegation and does the same, in both
 * modes and on both tokens, with the official facilitator beside it: a delegate that accepts its key's signatures
 * pays; one that refuses is refused for the official reason, before anything is sent.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { erc1271WalletMockAbi, erc1271WalletMockBytecode } from "@x402kit/bindings";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { type Address, getAddress, type Hex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { isEip7702Delegation } from "../src/verify/verifyPayment.js";
import {
  balanceOf,
  deployRouter,
  deployTestUsdc,
  HARDHAT_KEYS,
  type LocalChain,
  localChain,
  signPayment,
  type Token,
  v2Body,
} from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { deployFiatToken } from "./helpers/fiatToken.js";
import { type OfficialFacilitator, officialFacilitator } from "./helpers/officialFacilitator.js";
import { finalSettle } from "./helpers/until.js";

const modes = ["direct", "batched"] as const;
/** Delegates to a contract whose ERC-1271 accepts its own key's signatures. */
const accepting = privateKeyToAccount(HARDHAT_KEYS[7]);
/** Delegates to a contract whose ERC-1271 refuses everything. */
const refusing = privateKeyToAccount(HARDHAT_KEYS[8]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;

describe("EIP-7702 payers (real delegations on the Hardhat network, TestUSDC and FiatToken v2.2)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let tokens: { testUsdc: Token; fiatToken: Token };
  let ours: Record<(typeof modes)[number], RunningFacilitator>;
  let official: OfficialFacilitator;
  let value = 5_000n;

  /** Deploys an ERC-1271 wallet contract (owner = `owner`) and makes it `owner`'s EIP-7702 delegate. */
  const delegate = async (owner: PrivateKeyAccount, refuseAll: boolean): Promise<Address> => {
    const deployer = chain.wallet(HARDHAT_KEYS[0]);
    const hash = await deployer.deployContract({
      abi: erc1271WalletMockAbi,
      bytecode: erc1271WalletMockBytecode,
      args: [owner.address, refuseAll],
      account: deployer.account!,
      chain: deployer.chain,
    });
    const target = getAddress(
      (await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address,
    );
    const wallet = chain.wallet(HARDHAT_KEYS[owner === accepting ? 7 : 8]);
    const authorization = await wallet.signAuthorization({
      account: wallet.account!,
      contractAddress: target,
      executor: "self",
    });
    const tx = await wallet.sendTransaction({
      account: wallet.account!,
      chain: wallet.chain,
      // Any call carries the authorization; not one to the account itself (its new code has no fallback).
      to: "0x000000000000000000000000000000000000dEaD",
      data: "0x",
      authorizationList: [authorization],
    });
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash: tx });
    assert.equal(receipt.status, "success");
    return target;
  };

  before(async () => {
    node = await startHardhatNode();
    chain = localChain(node.rpcUrl, node.chainId);
    const holders = [accepting.address, refusing.address];
    tokens = { testUsdc: await deployTestUsdc(chain, holders), fiatToken: await deployFiatToken(chain, holders) };
    const router = await deployRouter(chain);
    await delegate(accepting, false);
    await delegate(refusing, true);
    const network = { network: "eip155:31337", rpcUrl: node.rpcUrl, router };
    ours = {
      direct: await startFacilitator({ privateKeys: [HARDHAT_KEYS[1]], networks: [network], mode: "direct" }),
      batched: await startFacilitator({ privateKeys: [HARDHAT_KEYS[2]], networks: [network], mode: "batched" }),
    };
    official = officialFacilitator(node.rpcUrl, node.chainId, HARDHAT_KEYS[3]);
  });
  after(async () => {
    await ours?.direct.close();
    await ours?.batched.close();
    await node?.stop();
  });

  const sign = async (token: Token, payer: PrivateKeyAccount) => {
    value += 1n;
    return v2Body(token, await signPayment({ token, payer, payTo, value }), payTo, value);
  };

  test("default: the payers hold EIP-7702 delegation designators, and sign with their keys", async () => {
    for (const payer of [accepting, refusing]) {
      const code = (await chain.publicClient.getCode({ address: payer.address })) as Hex;
      assert.equal(isEip7702Delegation(code), true, code);
    }
    assert.equal(isEip7702Delegation("0x"), false);
    assert.equal(isEip7702Delegation(erc1271WalletMockBytecode), false);
  });

  for (const name of ["testUsdc", "fiatToken"] as const) {
    for (const mode of modes) {
      test(`behavior: a 7702 payer whose delegate accepts its signatures settles once on ${name} (${mode})`, async () => {
        const token = tokens[name];
        const body = await sign(token, accepting);
        const before = await balanceOf(token, payTo);
        assert.equal((await official.verify(body)).isValid, true);
        const verify = await ours[mode].post("/verify", body);
        assert.equal(verify.body.isValid, true, JSON.stringify(verify.body));
        const settle = await finalSettle(ours[mode], body);
        assert.equal(settle.body.success, true, JSON.stringify(settle.body));
        assert.equal(await balanceOf(token, payTo), before + BigInt(body.paymentRequirements.amount));
        // Once: the same payment again is the same answer, and nothing more moves.
        const again = await ours[mode].post("/settle", body);
        assert.equal(again.body.transaction, settle.body.transaction);
        assert.equal(await balanceOf(token, payTo), before + BigInt(body.paymentRequirements.amount));
      });
    }
  }

  for (const name of ["testUsdc", "fiatToken"] as const) {
    test(`error: a 7702 payer whose delegate refuses ERC-1271 is refused on ${name} at /verify and /settle for the official reason, nothing sent`, async () => {
      const token = tokens[name];
      const body = await sign(token, refusing);
      const before = await balanceOf(token, payTo);
      const theirs = await official.verify(body);
      assert.equal(theirs.isValid, false, JSON.stringify(theirs));
      for (const mode of modes) {
        const nonce = await chain.publicClient.getTransactionCount({
          address: privateKeyToAccount(HARDHAT_KEYS[mode === "direct" ? 1 : 2]).address,
        });
        const verify = await ours[mode].post("/verify", body);
        assert.equal(verify.body.isValid, false, JSON.stringify(verify.body));
        assert.equal(verify.body.invalidReason, theirs.invalidReason, `${mode}: ${JSON.stringify(verify.body)}`);
        assert.match(String(verify.body.invalidMessage), /EIP-7702 delegate 0x[0-9a-f]{40} of .* refuses/);
        const settle = await ours[mode].post("/settle", body);
        assert.equal(settle.body.success, false, JSON.stringify(settle.body));
        assert.equal(settle.body.errorReason, theirs.invalidReason, `${mode}: ${JSON.stringify(settle.body)}`);
        assert.equal(settle.body.transaction, "");
        assert.equal(
          await chain.publicClient.getTransactionCount({
            address: privateKeyToAccount(HARDHAT_KEYS[mode === "direct" ? 1 : 2]).address,
          }),
          nonce,
          `${mode}: no transaction was sent`,
        );
      }
      assert.equal(await balanceOf(token, payTo), before);
    });
  }
});
