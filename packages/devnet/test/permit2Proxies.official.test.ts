/**
 * The official x402 `exact` (with `assetTransferMethod: "permit2"`) and `upto` schemes (`@x402/core` + `@x402/evm`
 * 2.27, unmodified) end to end on a devnet paying in TestERC20 (`token: "erc20"`: a plain ERC-20 without EIP-3009,
 * every payer's Permit2 approval done at start-up), against x402kit's Permit2 proxies at the official addresses and
 * Permit2 at its canonical address. The official client (`x402Client` with the `exact` and `upto` client schemes)
 * signs from the requirements a resource server would send; the official facilitator (`x402Facilitator` with
 * `registerExactEvmScheme` and the `upto` facilitator scheme) verifies, simulates and settles them, sending its
 * transactions to our proxies. Balances are read from the chain. The official facilitator's key is none of the
 * devnet's accounts, so nothing else writes with it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import { x402Facilitator } from "@x402/core/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import {
  toClientEvmSigner,
  toFacilitatorEvmSigner,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyAddress,
} from "@x402/evm";
import { ExactEvmScheme as ExactClientScheme } from "@x402/evm/exact/client";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import { UptoEvmScheme as UptoClientScheme } from "@x402/evm/upto/client";
import { UptoEvmScheme as UptoFacilitatorScheme } from "@x402/evm/upto/facilitator";
import { PERMIT2_ADDRESS, testErc20Abi, x402ExactPermit2ProxyAbi } from "@x402kit/bindings";
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  keccak256,
  type LocalAccount,
  maxUint256,
  parseEther,
  parseEventLogs,
  publicActions,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Devnet, PAYER_USDC, startDevnet, TEST_ERC20 } from "../src/index.js";

const facilitatorAccount = privateKeyToAccount(keccak256(toHex("official permit2 proxies facilitator")));
const payee = privateKeyToAccount(keccak256(toHex("official permit2 proxies payee"))).address;
const PRICE = 10_000n; // 0.01 TERC20
const UPTO_MAX = 1_000_000n; // the upto client authorises up to 1 TERC20 ...
const UPTO_USED = 123_456n; // ... and is charged its usage

describe("the official exact (permit2) and upto schemes on a devnet paying in TestERC20", () => {
  let devnet: Devnet;
  let client: ReturnType<typeof createPublicClient>;
  let facilitator: x402Facilitator;
  let payers: LocalAccount[];

  before(async () => {
    devnet = await startDevnet({ accounts: 2, token: "erc20" });
    client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    payers = devnet.accounts.payers.map((payer) => privateKeyToAccount(payer.privateKey));
    await createTestClient({ mode: "hardhat", chain: devnet.chain, transport: http(devnet.rpcUrl) }).setBalance({
      address: facilitatorAccount.address,
      value: parseEther("10"),
    });
    const wallet = createWalletClient({
      account: facilitatorAccount,
      chain: devnet.chain,
      transport: http(devnet.rpcUrl),
    }).extend(publicActions);
    const signer = toFacilitatorEvmSigner({
      address: facilitatorAccount.address,
      getCode: (args) => wallet.getCode(args),
      readContract: (args) => wallet.readContract({ ...args, args: args.args ?? [] } as never),
      verifyTypedData: (args) => wallet.verifyTypedData(args as never),
      writeContract: (args) => wallet.writeContract({ ...args, args: args.args ?? [] } as never),
      sendTransaction: (args) => wallet.sendTransaction(args),
      waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
    });
    facilitator = registerExactEvmScheme(new x402Facilitator(), { signer, networks: devnet.network }).register(
      devnet.network,
      new UptoFacilitatorScheme(signer),
    );
  });

  after(async () => {
    await devnet?.stop();
  });

  const balanceOf = (address: Address) =>
    client.readContract({
      address: devnet.contracts.token.address,
      abi: testErc20Abi,
      functionName: "balanceOf",
      args: [address],
    });

  /** What a resource server would ask for: the token as a custom asset, with its EIP-712 name and version. */
  const requirementsFor = (scheme: "exact" | "upto", amount: bigint): PaymentRequirements => ({
    scheme,
    network: devnet.network,
    asset: devnet.contracts.token.address,
    amount: amount.toString(),
    payTo: payee,
    maxTimeoutSeconds: 300,
    extra: {
      name: devnet.contracts.token.name,
      version: devnet.contracts.token.version,
      assetTransferMethod: "permit2",
      // The upto server scheme fills this from the facilitator's `getExtra()`.
      ...(scheme === "upto" ? { facilitatorAddress: facilitatorAccount.address } : {}),
    },
  });

  /** The official client's payload for `requirements`, as `@x402/fetch` would send it. */
  async function officialPayment(payer: LocalAccount, requirements: PaymentRequirements): Promise<PaymentPayload> {
    const signer = toClientEvmSigner(payer, client as never);
    const paying = new x402Client()
      .register(devnet.network, new ExactClientScheme(signer))
      .register(devnet.network, new UptoClientScheme(signer))
      // TestERC20 is no asset the client knows (Base USDC etc.).
      .setSpendControls({ allowedAssets: true });
    return paying.createPaymentPayload({
      x402Version: 2,
      resource: { url: "http://127.0.0.1/data", description: "test resource", mimeType: "application/json" },
      accepts: [requirements],
    } as never);
  }

  async function settledThrough(transaction: string, proxy: Address) {
    const receipt = await client.getTransactionReceipt({ hash: transaction as Hex });
    assert.equal(receipt.status, "success");
    assert.equal(getAddress(receipt.to ?? "0x"), getAddress(proxy), "sent to the proxy at the official address");
    const settled = parseEventLogs({ abi: x402ExactPermit2ProxyAbi, logs: receipt.logs, eventName: "Settled" });
    assert.equal(settled.length, 1, "the proxy logged Settled");
    assert.equal(getAddress(settled[0]?.address ?? "0x"), getAddress(proxy));
    return receipt;
  }

  test("behavior: the payers hold TestERC20 and approved Permit2 once; the token has no EIP-3009", async () => {
    const token = devnet.contracts.token;
    assert.deepEqual([token.kind, token.name, token.version, token.decimals], ["erc20", TEST_ERC20.name, "1", 6]);
    assert.equal(devnet.demoApiUrl, undefined, "no demo API: it pays with EIP-3009");
    for (const payer of payers) {
      assert.equal(await balanceOf(payer.address), PAYER_USDC);
      const allowance = await client.readContract({
        address: token.address,
        abi: testErc20Abi,
        functionName: "allowance",
        args: [payer.address, PERMIT2_ADDRESS],
      });
      assert.equal(allowance, maxUint256);
    }
    await assert.rejects(
      client.call({ to: token.address, data: "0xe3ee160e" }), // transferWithAuthorization(..., v, r, s)
      "TestERC20 has no transferWithAuthorization",
    );
  });

  test("behavior: exact with assetTransferMethod permit2 settles the price through our exact proxy", async (t) => {
    const [payer] = payers;
    if (!payer) throw new Error("no payer");
    const requirements = requirementsFor("exact", PRICE);
    const payload = await officialPayment(payer, requirements);
    const authorization = (payload.payload as { permit2Authorization: { spender: string; witness: { to: string } } })
      .permit2Authorization;
    assert.equal(getAddress(authorization.spender), getAddress(x402ExactPermit2ProxyAddress));
    assert.equal(getAddress(authorization.witness.to), payee);

    const before = { payer: await balanceOf(payer.address), payee: await balanceOf(payee) };
    const verified = await facilitator.verify(payload, requirements);
    assert.deepEqual([verified.isValid, verified.invalidReason], [true, undefined]);
    const settled = await facilitator.settle(payload, requirements);
    assert.equal(settled.success, true, JSON.stringify(settled));
    const receipt = await settledThrough(settled.transaction, devnet.contracts.exactPermit2Proxy);
    t.diagnostic(`exact permit2 settle: ${receipt.gasUsed} gas (transaction)`);
    assert.equal((await balanceOf(payee)) - before.payee, PRICE, "the payee received exactly the price");
    assert.equal(before.payer - (await balanceOf(payer.address)), PRICE, "the payer paid exactly the price");
    assert.equal(await balanceOf(devnet.contracts.exactPermit2Proxy), 0n, "nothing stays in the proxy");

    // The same payment again: Permit2's nonce is spent, nothing moves.
    const replay = await facilitator.settle(payload, requirements);
    assert.equal(replay.success, false, "a replayed payment does not settle twice");
    assert.equal((await balanceOf(payee)) - before.payee, PRICE);
  });

  test("behavior: upto settles the usage, less than the signed maximum, through our upto proxy", async (t) => {
    const [, payer] = payers;
    if (!payer) throw new Error("no payer");
    const requirements = requirementsFor("upto", UPTO_MAX);
    const payload = await officialPayment(payer, requirements);
    const authorization = (
      payload.payload as {
        permit2Authorization: { spender: string; permitted: { amount: string }; witness: { facilitator: string } };
      }
    ).permit2Authorization;
    assert.equal(getAddress(authorization.spender), getAddress(x402UptoPermit2ProxyAddress));
    assert.equal(BigInt(authorization.permitted.amount), UPTO_MAX);
    assert.equal(getAddress(authorization.witness.facilitator), facilitatorAccount.address);

    const before = { payer: await balanceOf(payer.address), payee: await balanceOf(payee) };
    const verified = await facilitator.verify(payload, requirements);
    assert.deepEqual([verified.isValid, verified.invalidReason], [true, undefined]);
    // The resource server settles what the request used: the same requirements with the actual amount.
    const settled = await facilitator.settle(payload, { ...requirements, amount: UPTO_USED.toString() });
    assert.equal(settled.success, true, JSON.stringify(settled));
    const receipt = await settledThrough(settled.transaction, devnet.contracts.uptoPermit2Proxy);
    t.diagnostic(`upto settle: ${receipt.gasUsed} gas (transaction)`);
    assert.equal((await balanceOf(payee)) - before.payee, UPTO_USED, "the payee received the usage");
    assert.equal(before.payer - (await balanceOf(payer.address)), UPTO_USED, "the payer paid the usage, not the max");
    assert.equal(await balanceOf(devnet.contracts.uptoPermit2Proxy), 0n, "nothing stays in the proxy");

    // One settlement per signature: a second charge on the same payload fails and moves nothing.
    const again = await facilitator.settle(payload, { ...requirements, amount: "1" });
    assert.equal(again.success, false, "a signature settles once");
    assert.equal((await balanceOf(payee)) - before.payee, UPTO_USED);
  });
});
