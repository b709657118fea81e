import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { Abi, Address, Hex, LocalAccount } from "viem";
import { getAddress, keccak256, parseAbi, parseEventLogs, toFunctionSelector, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  computeFeeCommitment,
  decodeSettlementResults,
  encodeFeeSettlementBatch,
  encodeSettlementBatch,
  type FeeSettlementItem,
  failureReasons,
  type SettlementItem,
} from "../../../packages/bindings/src/router/index.js";
import { deployFiatToken, fiatTokenAbi } from "../../../packages/hardhat-node/src/fiatToken/index.js";
import type { Authorization } from "../../helpers/eip3009.js";
import {
  buildAuthorization,
  signCancelAuthorization,
  signReceiveAuthorization,
  signTransferAuthorization,
  tokenDomain,
} from "../../helpers/eip3009.js";

// Fixed keys keep the runs deterministic.
const payers: LocalAccount[] = Array.from({ length: 12 }, (_, i) =>
  privateKeyToAccount(keccak256(toHex(`router flows payer ${i}`))),
);
const INITIAL_BALANCE = 1_000_000_000n;
const VALUE = 10_000n; // 0.01 USDC
const FEE = 100n;
const ITEM_GAS = 150_000n;

const nameAbi = parseAbi(["function name() view returns (string)"]);
const reasonCode = (name: (typeof failureReasons)[number]) => failureReasons.indexOf(name);
let nonceCounter = 0;
/** A fresh deterministic nonce (or salt). */
const freshNonce = (): Hex => keccak256(toHex(`router flows nonce ${nonceCounter++}`));

describe("BatchSettlementRouter", async () => {
  const { viem, networkHelpers } = await network.create();
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();

  /**
   * The tokens the token-dependent suites run on: our TestUSDC and Circle's FiatToken v2.2 bytecode behind its proxy
   * (as Base Sepolia USDC). FiatToken is driven through TestUSDC's ABI, which has its selectors for everything these
   * suites call except the blocklist; `failures` is how each token says why it refused (for the router's
   * `errorSelector`): custom errors for TestUSDC, `Error(string)` for FiatToken.
   */
  type Failure =
    | "usedOrCanceled"
    | "expired"
    | "notYetValid"
    | "invalidSignature"
    | "insufficientBalance"
    | "blocklisted"
    | "paused";
  const TOKENS = {
    TestUSDC: {
      deploy: async (name: string) => {
        const [admin] = await viem.getWalletClients();
        return viem.deployContract("TestUSDC", [name, name, "2", admin!.account.address]);
      },
      blocklist: (token: Address, account: Address) => asAdmin("TestUSDC", token, "blocklist", [account]),
      failures: {
        usedOrCanceled: "ERC3009AuthorizationUsedOrCanceled(address,bytes32)",
        expired: "ERC3009AuthorizationExpired(uint256,uint256)",
        notYetValid: "ERC3009AuthorizationNotYetValid(uint256,uint256)",
        invalidSignature: "ERC3009InvalidSignature(address,address)",
        insufficientBalance: "ERC20InsufficientBalance(address,uint256,uint256)",
        blocklisted: "TestUSDCBlocklisted(address)",
        paused: "EnforcedPause()",
      } satisfies Record<Failure, string>,
    },
    "FiatToken v2.2": {
      deploy: async () => {
        const [admin] = await viem.getWalletClients();
        const { address } = await deployFiatToken({ walletClient: admin!, publicClient });
        return viem.getContractAt("TestUSDC", address);
      },
      blocklist: (token: Address, account: Address) => asAdmin("FiatToken", token, "blacklist", [account]),
      failures: {
        usedOrCanceled: "Error(string)",
        expired: "Error(string)",
        notYetValid: "Error(string)",
        invalidSignature: "Error(string)",
        insufficientBalance: "Error(string)",
        blocklisted: "Error(string)",
        paused: "Error(string)",
      } satisfies Record<Failure, string>,
    },
  } as const;
  type TokenKind = keyof typeof TOKENS;

  /** Sends an admin-only token call (the blocklist) as account 0, which administers both tokens. */
  async function asAdmin(abi: "TestUSDC" | "FiatToken", token: Address, functionName: string, args: unknown[]) {
    const [admin] = await viem.getWalletClients();
    const hash = await admin!.writeContract({
      address: token,
      abi: abi === "FiatToken" ? fiatTokenAbi : ((await viem.getContractAt("TestUSDC", token)).abi as Abi),
      functionName,
      args,
    });
    assert.equal((await publicClient.waitForTransactionReceipt({ hash })).status, "success");
  }

  async function deployRouterFixture(kind: TokenKind) {
    const [admin, relayer, payee, payee2, feeRecipient] = await viem.getWalletClients();
    if (!admin || !relayer || !payee || !payee2 || !feeRecipient) throw new Error("need 5 accounts");
    const router = await viem.deployContract("BatchSettlementRouter");
    const usdc = await TOKENS[kind].deploy("USDC");
    const eurc = await TOKENS[kind].deploy("EURC");
    const wallet = await viem.deployContract("ERC1271WalletMock", [payers[11]!.address, false]);
    for (const token of [usdc, eurc]) {
      await token.write.configureMinter([admin.account.address, 2n ** 255n]);
      for (const payer of payers) await token.write.mint([payer.address, INITIAL_BALANCE]);
      await token.write.mint([wallet.address, INITIAL_BALANCE]);
    }
    return {
      kind,
      router,
      usdc,
      eurc,
      wallet,
      payee: payee.account.address,
      payee2: payee2.account.address,
      feeRecipient: feeRecipient.account.address,
      asRelayer: await viem.getContractAt("BatchSettlementRouter", router.address, { client: { wallet: relayer } }),
    };
  }
  // loadFixture snapshots per function, so each token gets its own.
  const FIXTURES: Record<TokenKind, () => ReturnType<typeof deployRouterFixture>> = {
    TestUSDC: () => deployRouterFixture("TestUSDC"),
    "FiatToken v2.2": () => deployRouterFixture("FiatToken v2.2"),
  };

  type Fixture = Awaited<ReturnType<typeof deployRouterFixture>>;

  async function now(): Promise<bigint> {
    return BigInt(await networkHelpers.time.latest());
  }

  /** An x402 `exact` authorization (`to == payTo`) signed with the signer package's types. */
  async function exactPayment(
    payer: LocalAccount,
    token: Address,
    to: Address,
    fields: Partial<Authorization> = {},
  ): Promise<SettlementItem> {
    const a = buildAuthorization(
      { from: payer.address, to, value: VALUE, nonce: freshNonce(), ...fields },
      await now(),
    );
    const name = await publicClient.readContract({ address: token, abi: nameAbi, functionName: "name" });
    return { token, ...a, signature: await signTransferAuthorization(payer, tokenDomain(token, chainId, name), a) };
  }

  /** A fee-mode payment: ReceiveWithAuthorization to the router, nonce = the split's commitment. */
  async function feePayment(
    f: Fixture,
    payer: LocalAccount,
    split: { payTo: Address; fee: bigint; feeRecipient: Address; salt?: Hex },
  ): Promise<FeeSettlementItem> {
    const salt = split.salt ?? freshNonce();
    const nonce = computeFeeCommitment({ chainId, router: f.router.address, ...split, salt });
    const a = buildAuthorization({ from: payer.address, to: f.router.address, value: VALUE, nonce }, await now());
    return {
      token: f.usdc.address,
      from: payer.address,
      value: VALUE,
      validAfter: a.validAfter,
      validBefore: a.validBefore,
      ...split,
      salt,
      signature: await signReceiveAuthorization(payer, tokenDomain(f.usdc.address, chainId), a),
    };
  }

  /** Simulates, then sends; returns the simulated results and the receipt's router logs. */
  async function settle(f: Fixture, items: SettlementItem[]) {
    const batch = encodeSettlementBatch(items);
    const { result } = await f.asRelayer.simulate.settle([batch, ITEM_GAS]);
    const hash = await f.asRelayer.write.settle([batch, ITEM_GAS]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    return {
      results: decodeSettlementResults(result),
      receipt,
      logs: parseEventLogs({ abi: f.router.abi, logs: receipt.logs }),
    };
  }

  async function settleWithFees(f: Fixture, items: FeeSettlementItem[]) {
    const batch = encodeFeeSettlementBatch(items);
    const { result } = await f.asRelayer.simulate.settleWithFees([batch, ITEM_GAS]);
    const hash = await f.asRelayer.write.settleWithFees([batch, ITEM_GAS]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    return {
      results: decodeSettlementResults(result),
      logs: parseEventLogs({ abi: f.router.abi, logs: receipt.logs }),
    };
  }

  for (const kind of Object.keys(TOKENS) as TokenKind[]) {
    describe(`settle on ${kind}`, () => {
      it("settles exact payments across tokens and payees in one transaction", async () => {
        const f = await networkHelpers.loadFixture(FIXTURES[kind]);
        const items = await Promise.all(
          payers.slice(0, 6).map((payer, i) =>
            exactPayment(payer, i % 2 ? f.eurc.address : f.usdc.address, i % 3 ? f.payee : f.payee2, {
              value: VALUE * BigInt(i + 1),
            }),
          ),
        );
        const { results, logs } = await settle(f, items);

        assert.deepEqual(results, Array(6).fill("None"));
        assert.deepEqual(
          logs.filter((l) => l.eventName === "AuthorizationSettled").map((l) => l.args),
          items.map((_, i) => ({ index: BigInt(i) })),
        );
        // usdc: items 0 (payee2), 2 (payee), 4 (payee); eurc: 1 (payee), 3 (payee2), 5 (payee).
        assert.equal(await f.usdc.read.balanceOf([f.payee2]), VALUE);
        assert.equal(await f.usdc.read.balanceOf([f.payee]), 3n * VALUE + 5n * VALUE);
        assert.equal(await f.eurc.read.balanceOf([f.payee]), 2n * VALUE + 6n * VALUE);
        assert.equal(await f.eurc.read.balanceOf([f.payee2]), 4n * VALUE);
        assert.equal(await f.usdc.read.balanceOf([f.router.address]), 0n);
        assert.equal(await f.eurc.read.balanceOf([f.router.address]), 0n);
      });

      // Issue: "One bad item ... must not revert the batch: the router skips it, emits a failure event with the
      // item index, the authorization key (token, from, nonce) and a decoded reason, and returns per-item results."
      it("skips each bad item, reports why, and settles the rest", async () => {
        const f = await networkHelpers.loadFixture(FIXTURES[kind]);
        const t = await now();
        const [p0, p1, p2, p3, p4, p5, p6, p7, p8, p9] = payers;
        const used = await exactPayment(p0!, f.usdc.address, f.payee);
        await settle(f, [used]);
        const canceled = await exactPayment(p1!, f.usdc.address, f.payee);
        await f.usdc.write.cancelAuthorization([
          canceled.from,
          canceled.nonce,
          await signCancelAuthorization(p1!, tokenDomain(f.usdc.address, chainId), {
            authorizer: canceled.from,
            nonce: canceled.nonce,
          }),
        ]);
        const frontRun = await exactPayment(p2!, f.usdc.address, f.payee);
        await f.usdc.write.transferWithAuthorization([
          frontRun.from,
          frontRun.to,
          frontRun.value,
          frontRun.validAfter,
          frontRun.validBefore,
          frontRun.nonce,
          frontRun.signature,
        ]);
        const expired = await exactPayment(p3!, f.usdc.address, f.payee, { validBefore: t + 1n });
        const early = await exactPayment(p4!, f.usdc.address, f.payee, { validAfter: t + 3600n });
        const forged = { ...(await exactPayment(p5!, f.usdc.address, f.payee)), from: p6!.address };
        const broke = await exactPayment(p6!, f.usdc.address, f.payee, { value: INITIAL_BALANCE + 1n });
        const blocked = await exactPayment(p7!, f.usdc.address, f.payee);
        await TOKENS[kind].blocklist(f.usdc.address, p7!.address);
        const paused = await exactPayment(p8!, f.eurc.address, f.payee);
        const good = await exactPayment(p9!, f.usdc.address, f.payee2);
        const items = [used, canceled, frontRun, expired, early, forged, broke, blocked, paused, good];
        await f.eurc.write.pause();
        await networkHelpers.time.increase(5); // `expired` is now past its validBefore

        const payee2Before = await f.usdc.read.balanceOf([f.payee2]);
        const { results, logs } = await settle(f, items);

        const expected = [
          "UsedOrCanceled",
          "UsedOrCanceled",
          "UsedOrCanceled",
          "Expired",
          "NotYetValid",
          "InvalidSignature",
          "InsufficientBalance",
          "Blocklisted",
          "Paused",
          "None",
        ] as const;
        assert.deepEqual(results, expected);
        const failed = logs.filter((l) => l.eventName === "AuthorizationFailed");
        const failures = TOKENS[kind].failures;
        const selectors = [
          failures.usedOrCanceled,
          failures.usedOrCanceled,
          failures.usedOrCanceled,
          failures.expired,
          failures.notYetValid,
          failures.invalidSignature,
          failures.insufficientBalance,
          failures.blocklisted,
          failures.paused,
        ].map((signature) => toFunctionSelector(signature));
        assert.deepEqual(
          failed.map((l) => l.args),
          items.slice(0, 9).map((item, index) => ({
            token: getAddress(item.token),
            from: getAddress(item.from),
            nonce: item.nonce,
            index: BigInt(index),
            reason: reasonCode(expected[index]!),
            errorSelector: selectors[index],
          })),
        );
        assert.equal(await f.usdc.read.balanceOf([f.payee2]), payee2Before + VALUE);
        // The front-run payment reached the payee once, directly.
        assert.equal(await f.usdc.read.authorizationState([frontRun.from, frontRun.nonce]), true);
        assert.equal(await f.usdc.read.balanceOf([frontRun.from]), INITIAL_BALANCE - VALUE);
      });

      it("accepts smart-wallet (ERC-1271) payers in either signature form", async () => {
        const f = await networkHelpers.loadFixture(FIXTURES[kind]);
        const owner = payers[11]!;
        const compact = await exactPayment(owner, f.usdc.address, f.payee, { from: f.wallet.address });
        const bytesForm = await exactPayment(owner, f.usdc.address, f.payee, { from: f.wallet.address });
        const batch = encodeSettlementBatch([bytesForm], { forceBytesSignatures: true });
        const { result } = await f.asRelayer.simulate.settle([batch, ITEM_GAS]);
        assert.deepEqual(decodeSettlementResults(result), ["None"]);
        await f.asRelayer.write.settle([batch, ITEM_GAS]);
        const { results } = await settle(f, [compact]);
        assert.deepEqual(results, ["None"]);
        assert.equal(await f.usdc.read.balanceOf([f.wallet.address]), INITIAL_BALANCE - 2n * VALUE);
      });
    });

    describe(`settleWithFees on ${kind}`, () => {
      it("pays payTo and the fee recipient from a receive authorization committed to the split", async () => {
        const f = await networkHelpers.loadFixture(FIXTURES[kind]);
        const item = await feePayment(f, payers[0]!, { payTo: f.payee, fee: FEE, feeRecipient: f.feeRecipient });
        const { results, logs } = await settleWithFees(f, [item]);
        assert.deepEqual(results, ["None"]);
        // The settled log carries what the token's logs lack (the split and the salt), so logs alone rebuild it.
        assert.deepEqual(
          logs.map((l) => l.eventName),
          ["FeeAuthorizationSettled"],
        );
        assert.deepEqual(logs[0]?.args, {
          index: 0n,
          payTo: getAddress(f.payee),
          fee: FEE,
          feeRecipient: getAddress(f.feeRecipient),
          salt: item.salt,
        });
        assert.equal(await f.usdc.read.balanceOf([f.payee]), VALUE - FEE);
        assert.equal(await f.usdc.read.balanceOf([f.feeRecipient]), FEE);
        assert.equal(await f.usdc.read.balanceOf([f.router.address]), 0n);
        const nonce = computeFeeCommitment({
          chainId,
          router: f.router.address,
          payTo: f.payee,
          fee: FEE,
          feeRecipient: f.feeRecipient,
          salt: item.salt,
        });
        assert.equal(await f.usdc.read.authorizationState([item.from, nonce]), true);
      });

      // Issue: "Nobody else can execute it (receive requires the caller to be `to`) and nobody can change the split."
      it("rejects a changed fee, payee or fee recipient", async () => {
        const f = await networkHelpers.loadFixture(FIXTURES[kind]);
        const split = { payTo: f.payee, fee: FEE, feeRecipient: f.feeRecipient };
        const items = [
          { ...(await feePayment(f, payers[0]!, split)), fee: FEE * 2n },
          { ...(await feePayment(f, payers[1]!, split)), payTo: f.payee2 },
          { ...(await feePayment(f, payers[2]!, split)), feeRecipient: f.payee2 },
          await feePayment(f, payers[3]!, split),
        ];
        const { results } = await settleWithFees(f, items);
        assert.deepEqual(results, ["InvalidSignature", "InvalidSignature", "InvalidSignature", "None"]);
        assert.equal(await f.usdc.read.balanceOf([f.payee2]), 0n);
        assert.equal(await f.usdc.read.balanceOf([f.payee]), VALUE - FEE);
      });

      // Issue: "Count what arrived by balance change, never by authorizationState."
      it("pays nothing when the payer canceled the nonce first (cancel-and-drain)", async () => {
        const f = await networkHelpers.loadFixture(FIXTURES[kind]);
        await f.usdc.write.mint([f.router.address, 5_000_000n]);
        const thief = privateKeyToAccount(keccak256(toHex("thief")));
        const loot = privateKeyToAccount(keccak256(toHex("loot"))).address;
        const item = await feePayment(f, thief, { payTo: loot, fee: 0n, feeRecipient: loot });
        const drain = { ...item, value: 5_000_000n };
        const nonce = computeFeeCommitment({
          chainId,
          router: f.router.address,
          payTo: loot,
          fee: 0n,
          feeRecipient: loot,
          salt: item.salt,
        });
        await f.usdc.write.cancelAuthorization([
          thief.address,
          nonce,
          await signCancelAuthorization(thief, tokenDomain(f.usdc.address, chainId), {
            authorizer: thief.address,
            nonce,
          }),
        ]);
        const { results } = await settleWithFees(f, [drain]);
        assert.deepEqual(results, ["UsedOrCanceled"]);
        assert.equal(await f.usdc.read.balanceOf([loot]), 0n);
        assert.equal(await f.usdc.read.balanceOf([f.router.address]), 5_000_000n);
      });
    });
  }

  describe("settle input", () => {
    it("reverts malformed batches with their values", async () => {
      const f = await networkHelpers.loadFixture(FIXTURES.TestUSDC);
      await viem.assertions.revertWithCustomError(
        f.asRelayer.write.settle(["0x00000000", ITEM_GAS]),
        f.router,
        "BatchSettlementEmptyBatch",
      );
      const batch = encodeSettlementBatch([await exactPayment(payers[0]!, f.usdc.address, f.payee)]);
      const cut = batch.slice(0, -2) as Hex;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.asRelayer.write.settle([cut, ITEM_GAS]),
        f.router,
        "BatchSettlementTruncated",
        [BigInt((batch.length - 2) / 2), BigInt((cut.length - 2) / 2)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.asRelayer.write.settle([`${batch}00`, ITEM_GAS]),
        f.router,
        "BatchSettlementLengthMismatch",
        [BigInt((batch.length - 2) / 2), BigInt((batch.length - 2) / 2 + 1)],
      );
    });
  });

  describe("feeCommitment", () => {
    it("equals the TS encoder for this deployment", async () => {
      const f = await networkHelpers.loadFixture(FIXTURES.TestUSDC);
      const salt = keccak256(toHex("salt"));
      assert.equal(
        await f.router.read.feeCommitment([f.payee, FEE, f.feeRecipient, salt]),
        computeFeeCommitment({
          chainId,
          router: f.router.address,
          payTo: f.payee,
          fee: FEE,
          feeRecipient: f.feeRecipient,
          salt,
        }),
      );
    });
  });
});
