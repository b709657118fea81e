import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { Address, Hex, LocalAccount } from "viem";
import { createWalletClient, custom, getAddress, keccak256, maxUint256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { ensurePermit2 } from "../../../packages/bindings/src/permit2.js";
import {
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "../../../packages/bindings/src/permit2Proxies/officialAddresses.js";
import {
  computeUptoSettlerNonce,
  decodeSettlementResults,
  failureReasons,
  parseSettlementLogs,
} from "../../../packages/bindings/src/router/index.js";
import { PERMIT2_ADDRESS } from "../../../packages/signer/src/permit2/constants.js";
import { createPermit2Payload } from "../../../packages/signer/src/permit2/createPermit2Payload.js";
import type { Permit2Payload } from "../../../packages/signer/src/permit2/types.js";

/**
 * `BatchSettlementRouter.settlePermit2` end to end on the in-process chain: Permit2 at its canonical address
 * (`ensurePermit2`), x402kit's proxies at the official addresses (`hardhat_setCode`, as the devnet does), a plain
 * ERC-20 (TestERC20), and payments signed by `@x402kit/signer`'s `createPermit2Payload`, as the official client signs
 * them. The facilitator-side flow: simulate, drop nothing, send, read the per-item outcomes from the logs.
 */
const payers: LocalAccount[] = Array.from({ length: 4 }, (_, i) =>
  privateKeyToAccount(keccak256(toHex(`router permit2 flows payer ${i}`))),
);
const FUNDS = 1_000_000_000n;
const PRICE = 10_000n;
const UPTO_MAX = 1_000_000n;
const UPTO_USED = 12_345n;
const ITEM_GAS = 150_000n;
const reasonCode = (name: (typeof failureReasons)[number]) => failureReasons.indexOf(name);

/** A signed payload as the router's item struct. */
function exactItem(payload: Permit2Payload) {
  const a = payload.permit2Authorization;
  return {
    permit: {
      permitted: { token: a.permitted.token, amount: BigInt(a.permitted.amount) },
      nonce: BigInt(a.nonce),
      deadline: BigInt(a.deadline),
    },
    owner: a.from,
    witness: { to: a.witness.to, validAfter: BigInt(a.witness.validAfter) },
    signature: payload.signature,
  };
}

function uptoItem(payload: Permit2Payload, amount: bigint, salt: Hex) {
  const { permit, owner, signature } = exactItem(payload);
  const w = payload.permit2Authorization.witness;
  const facilitator = w.facilitator as Address;
  return {
    permit,
    amount,
    owner,
    witness: { to: w.to, facilitator, validAfter: BigInt(w.validAfter) },
    salt,
    signature,
  };
}

describe("BatchSettlementRouter.settlePermit2", async () => {
  const { viem, networkHelpers, provider } = await network.create();
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  const caip2 = `eip155:${chainId}`;

  async function permit2RouterFixture() {
    const [admin, facilitator, stranger, payee] = await viem.getWalletClients();
    if (!admin || !facilitator || !stranger || !payee) throw new Error("need 4 accounts");
    await ensurePermit2({ provider });
    for (const [name, official] of [
      ["X402ExactPermit2Proxy", X402_EXACT_PERMIT2_PROXY_ADDRESS],
      ["X402UptoPermit2Proxy", X402_UPTO_PERMIT2_PROXY_ADDRESS],
    ] as const) {
      const deployed = await viem.deployContract(name);
      await networkHelpers.setCode(official, (await publicClient.getCode({ address: deployed.address })) as Hex);
    }
    const router = await viem.deployContract("BatchSettlementRouter");
    const token = await viem.deployContract("TestERC20", ["Test ERC20", "TERC20", 6, FUNDS]);
    for (const [i, payer] of payers.entries()) {
      await token.write.faucet([payer.address, FUNDS]);
      await networkHelpers.setBalance(payer.address, 10n ** 18n);
      // Payer 3 never approved Permit2: its item fails alone.
      if (i !== 3) {
        const wallet = createWalletClient({
          account: payer,
          chain: { ...hardhat, id: chainId },
          transport: custom(provider),
        });
        const approval = await wallet.writeContract({
          address: token.address,
          abi: token.abi,
          functionName: "approve",
          args: [PERMIT2_ADDRESS, maxUint256],
        });
        await publicClient.waitForTransactionReceipt({ hash: approval });
      }
    }
    const asFacilitator = await viem.getContractAt("BatchSettlementRouter", router.address, {
      client: { wallet: facilitator },
    });
    const asStranger = await viem.getContractAt("BatchSettlementRouter", router.address, {
      client: { wallet: stranger },
    });
    return { router, token, asFacilitator, asStranger, facilitator, payee: payee.account.address };
  }

  async function now() {
    return (await publicClient.getBlock()).timestamp;
  }

  it("settles exact payments in one transaction, isolating the payer without a Permit2 allowance", async () => {
    const { router, token, asFacilitator, payee } = await networkHelpers.loadFixture(permit2RouterFixture);
    const requirements = {
      scheme: "exact",
      network: caip2,
      amount: PRICE.toString(),
      asset: token.address,
      payTo: payee,
      maxTimeoutSeconds: 300,
      extra: { assetTransferMethod: "permit2" },
    };
    const t = await now();
    const items = await Promise.all(
      payers.map(async (signer) => exactItem((await createPermit2Payload({ signer, requirements, now: t })).payload)),
    );
    // What a facilitator does first: simulate, and read which items would fail.
    const { result } = await asFacilitator.simulate.settlePermit2([items, [], ITEM_GAS]);
    const expected = [0, 0, 0, reasonCode("InsufficientAllowance")];
    assert.deepEqual(
      decodeSettlementResults(result).map((r) => reasonCode(r)),
      expected,
    );

    const before = await token.read.balanceOf([payee]);
    const hash = await asFacilitator.write.settlePermit2([items, [], ITEM_GAS]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    const outcomes = parseSettlementLogs({ logs: receipt.logs, router: router.address, itemCount: items.length });
    assert.deepEqual(
      outcomes.map((o) => (o.status === "settled" ? "settled" : o.reason)),
      ["settled", "settled", "settled", "InsufficientAllowance"],
    );
    const failed = outcomes[3];
    assert.ok(failed?.status === "failed");
    assert.equal(getAddress(failed.from), payers[3]!.address);
    assert.equal(BigInt(failed.nonce), items[3]!.permit.nonce);
    assert.equal((await token.read.balanceOf([payee])) - before, 3n * PRICE);
    assert.equal(await token.read.balanceOf([payers[3]!.address]), FUNDS, "the failed payer was not charged");
  });

  it("settles upto payments for the settler their nonce commits to, and no one else", async () => {
    const { router, token, asFacilitator, asStranger, facilitator, payee } =
      await networkHelpers.loadFixture(permit2RouterFixture);
    // The payer names the router as the upto facilitator and commits to the real settler in the Permit2 nonce.
    const requirements = {
      scheme: "upto",
      network: caip2,
      amount: UPTO_MAX.toString(),
      asset: token.address,
      payTo: payee,
      maxTimeoutSeconds: 300,
      extra: { facilitatorAddress: router.address },
    };
    const salt = keccak256(toHex("router permit2 flows salt"));
    const nonce = computeUptoSettlerNonce({
      chainId,
      router: router.address,
      settler: facilitator.account.address,
      salt,
    });
    assert.equal(await router.read.uptoSettlerNonce([facilitator.account.address, salt]), nonce);
    const { payload } = await createPermit2Payload({ signer: payers[0]!, requirements, nonce, now: await now() });
    const item = uptoItem(payload, UPTO_USED, salt);

    const refused = await asStranger.simulate.settlePermit2([[], [item], ITEM_GAS]);
    assert.deepEqual([...decodeSettlementResults(refused.result)], ["UnauthorizedSettler"]);

    const before = await token.read.balanceOf([payers[0]!.address]);
    const hash = await asFacilitator.write.settlePermit2([[], [item], ITEM_GAS]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [outcome] = parseSettlementLogs({ logs: receipt.logs, router: router.address, itemCount: 1 });
    assert.equal(outcome?.status, "settled");
    assert.equal(before - (await token.read.balanceOf([payers[0]!.address])), UPTO_USED, "charged the usage");
  });
});
