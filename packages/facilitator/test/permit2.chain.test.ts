/**
 * The Permit2 schemes of our facilitator (`exact` with `assetTransferMethod: "permit2"`, and `upto`) on a local
 * Hardhat node set up as `startDevnet({ token: "erc20" })` sets it up: Multicall3 and Permit2 at their canonical
 * addresses, x402kit's Permit2 proxies at the official addresses, TestERC20 (no EIP-3009), payers that approved
 * Permit2.
 *
 * - the official `@x402/fetch` client pays official `@x402/express` routes whose facilitator is ours: `exact` charges
 *   the price, `upto` the usage the route reports (less than the signed maximum); balances read from the chain;
 * - parity: the official facilitator (`@x402/core` + `@x402/evm` exact and upto, in process) and ours answer the
 *   same refusals with the same `isValid` / reason, on the same chain;
 * - idempotency: the same settle twice, and ten at once, is one transaction with one answer.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import { x402Facilitator } from "@x402/core/facilitator";
import { decodePaymentResponseHeader, decodePaymentSignatureHeader } from "@x402/core/http";
import { HTTPFacilitatorClient } from "@x402/core/server";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { toClientEvmSigner } from "@x402/evm";
import { ExactEvmScheme as ExactClientScheme } from "@x402/evm/exact/client";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import { ExactEvmScheme as ExactServerScheme } from "@x402/evm/exact/server";
import { UptoEvmScheme as UptoClientScheme } from "@x402/evm/upto/client";
import { UptoEvmScheme as UptoFacilitatorScheme } from "@x402/evm/upto/facilitator";
import { UptoEvmScheme as UptoServerScheme } from "@x402/evm/upto/server";
import { paymentMiddleware, setSettlementOverrides, x402ResourceServer } from "@x402/express";
import { wrapFetchWithPayment } from "@x402/fetch";
import {
  ensureMulticall3,
  ensurePermit2,
  PERMIT2_ADDRESS,
  permit2Abi,
  testErc20Abi,
  testErc20Bytecode,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402ExactPermit2ProxyAbi,
  x402ExactPermit2ProxyBytecode,
  x402UptoPermit2ProxyAbi,
  x402UptoPermit2ProxyBytecode,
} from "@x402kit/bindings";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { createSpendLedger, getPaymentResult, wrapFetchWithPayment as wrapOurFetch } from "@x402kit/signer/fetch";
import { buildPermit2TypedData, createPermit2Payload, type Permit2Authorization } from "@x402kit/signer/permit2";
import express from "express";
import {
  type Abi,
  type Address,
  createTestClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  keccak256,
  type LocalAccount,
  maxUint256,
  parseEventLogs,
  publicActions,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { HARDHAT_KEYS, type LocalChain, localChain } from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { officialSigner } from "./helpers/officialFacilitator.js";
import { startCountingRpcProxy } from "./helpers/rpcProxy.js";
import { STORES } from "./helpers/stores.js";
import { untilTrue } from "./helpers/until.js";

const NETWORK = "eip155:84532";
const PRICE = 10_000n;
const UPTO_MAX = 1_000_000n;
const UPTO_USED = 123_456n;
const FUNDS = 100_000_000n;
const payers = [privateKeyToAccount(HARDHAT_KEYS[6]), privateKeyToAccount(HARDHAT_KEYS[7])];
/** Holds TestERC20 but never approved Permit2. */
const unapproved = privateKeyToAccount(HARDHAT_KEYS[8]);
const ourSender = privateKeyToAccount(HARDHAT_KEYS[2]);
const officialSender = privateKeyToAccount(HARDHAT_KEYS[3]);
const payee = privateKeyToAccount(keccak256(toHex("permit2 test payee"))).address;
/** A route's `eip2612GasSponsoring` declaration, as `declareEip2612GasSponsoringExtension()` (`@x402/extensions`) writes it. */
const EIP2612_DECLARATION = {
  eip2612GasSponsoring: {
    info: {
      description: "The facilitator accepts EIP-2612 gasless Permit to `Permit2` canonical contract.",
      version: "1",
    },
    schema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      required: ["from", "asset", "spender", "amount", "nonce", "deadline", "signature", "version"],
    },
  },
};
const otherPayee = privateKeyToAccount(keccak256(toHex("permit2 test other payee"))).address;

type Token = { address: Address; name: string; version: string };

/** What `startDevnet({ token: "erc20" })` installs, on a bare node: Permit2, the proxies, TestERC20, approvals. */
async function installPermit2Stack(chain: LocalChain): Promise<Token> {
  await ensureMulticall3({ provider: chain.publicClient as never });
  await ensurePermit2({ provider: chain.publicClient as never });
  const deployer = chain.wallet(HARDHAT_KEYS[0]);
  const testClient = createTestClient({ mode: "hardhat", transport: http(chain.url) });
  const deploy = async (abi: Abi, bytecode: Hex, args: readonly unknown[] = []) => {
    const hash = await deployer.deployContract({
      abi,
      bytecode,
      args,
      account: deployer.account!,
      chain: deployer.chain,
    });
    return (await chain.publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address;
  };
  for (const [abi, bytecode, official] of [
    [x402ExactPermit2ProxyAbi, x402ExactPermit2ProxyBytecode, X402_EXACT_PERMIT2_PROXY_ADDRESS],
    [x402UptoPermit2ProxyAbi, x402UptoPermit2ProxyBytecode, X402_UPTO_PERMIT2_PROXY_ADDRESS],
  ] as const) {
    const deployed = await deploy(abi as Abi, bytecode as Hex);
    const code = await chain.publicClient.getCode({ address: deployed });
    await testClient.setCode({ address: getAddress(official), bytecode: code as Hex });
  }
  const address = await deploy(testErc20Abi as Abi, testErc20Bytecode as Hex, ["Test ERC20", "TERC20", 6, 10n ** 12n]);
  for (const holder of [...payers, unapproved]) {
    const wallet = chain.wallet(HARDHAT_KEYS[[...payers, unapproved].indexOf(holder) + 6] as Hex);
    const send = async (functionName: "faucet" | "approve", args: readonly unknown[]) => {
      const hash = await wallet.writeContract({
        address,
        abi: testErc20Abi,
        functionName,
        args: args as never,
        account: wallet.account!,
        chain: wallet.chain,
      });
      await chain.publicClient.waitForTransactionReceipt({ hash });
    };
    await send("faucet", [holder.address, FUNDS]);
    if (holder !== unapproved) await send("approve", [PERMIT2_ADDRESS, maxUint256]);
  }
  return { address, name: "Test ERC20", version: "1" };
}

describe("Permit2 exact and upto with this facilitator (local chain 84532, TestERC20)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let ours: RunningFacilitator;
  let official: x402Facilitator;
  let officialUpto: x402Facilitator;
  let resourceUrl: string;
  const servers: Server[] = [];

  const balanceOf = (account: Address) =>
    chain.publicClient.readContract({
      address: token.address,
      abi: testErc20Abi,
      functionName: "balanceOf",
      args: [account],
    });
  const sentBy = (address: Address) => chain.publicClient.getTransactionCount({ address });

  /** Requirements as the official servers build them for our `/supported`. */
  const requirementsFor = (scheme: "exact" | "upto", amount: bigint, overrides: Partial<PaymentRequirements> = {}) =>
    ({
      scheme,
      network: NETWORK,
      asset: token.address,
      amount: amount.toString(),
      payTo: payee,
      maxTimeoutSeconds: 300,
      extra: {
        name: token.name,
        version: token.version,
        assetTransferMethod: "permit2",
        ...(scheme === "upto" ? { facilitatorAddress: ourSender.address } : {}),
      },
      ...overrides,
    }) as PaymentRequirements;

  /** The official client's payload for `requirements`, as `@x402/fetch` would send it. */
  async function officialPayment(
    payer: LocalAccount,
    requirements: PaymentRequirements,
    extensions?: Record<string, unknown>,
  ): Promise<PaymentPayload> {
    const signer = toClientEvmSigner(payer, chain.publicClient as never);
    return new x402Client()
      .register(NETWORK, new ExactClientScheme(signer))
      .register(NETWORK, new UptoClientScheme(signer))
      .setSpendControls({ allowedAssets: true })
      .createPaymentPayload({
        x402Version: 2,
        resource: { url: "http://127.0.0.1/data", description: "test resource", mimeType: "application/json" },
        accepts: [requirements],
        ...(extensions ? { extensions } : {}),
      } as never);
  }

  const body = (payload: PaymentPayload, requirements: PaymentRequirements) => ({
    x402Version: 2,
    paymentPayload: payload,
    paymentRequirements: requirements,
  });
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const officialFor = (requirements: PaymentRequirements) => (requirements.scheme === "upto" ? officialUpto : official);

  /** Both facilitators' `/verify` on the same request: `[isValid, invalidReason]` of each. */
  async function verifyBoth(payload: PaymentPayload, requirements: PaymentRequirements) {
    const theirs = plain(await officialFor(requirements).verify(payload, requirements));
    const { status, body: mine } = await ours.post("/verify", body(payload, requirements));
    assert.equal(status, 200, JSON.stringify(mine));
    return { ours: [mine.isValid, mine.invalidReason], official: [theirs.isValid, theirs.invalidReason] };
  }

  /** Both facilitators' `/settle` on a request that must be refused before anything is sent. */
  async function settleBoth(payload: PaymentPayload, requirements: PaymentRequirements) {
    const sent = { ours: await sentBy(ourSender.address), official: await sentBy(officialSender.address) };
    const theirs = plain(await officialFor(requirements).settle(payload, requirements));
    const { status, body: mine } = await ours.post("/settle", body(payload, requirements));
    assert.equal(status, 200, JSON.stringify(mine));
    assert.deepEqual(
      [await sentBy(ourSender.address), await sentBy(officialSender.address)],
      [sent.ours, sent.official],
      "a refusal sends nothing",
    );
    return { ours: [mine.success, mine.errorReason], official: [theirs.success, theirs.errorReason] };
  }

  /** Re-signs an authorization (after a change) as the payer, on `chainId`. */
  async function resign(
    payer: LocalAccount,
    payload: PaymentPayload,
    change: (auth: Permit2Authorization) => Permit2Authorization,
    chainId = node.chainId,
  ): Promise<PaymentPayload> {
    const raw = payload.payload as { permit2Authorization: Permit2Authorization };
    const authorization = change(structuredClone(raw.permit2Authorization));
    const scheme = payload.accepted.scheme as "exact" | "upto";
    const signature = await payer.signTypedData(buildPermit2TypedData({ scheme, chainId, authorization }) as never);
    return { ...payload, payload: { signature, permit2Authorization: authorization } };
  }

  before(async () => {
    node = await startHardhatNode({ chainId: 84532 });
    chain = localChain(node.rpcUrl, node.chainId);
    token = await installPermit2Stack(chain);
    ours = await startFacilitator(
      {
        privateKeys: [HARDHAT_KEYS[1]],
        networks: [{ network: NETWORK, rpcUrl: node.rpcUrl, assets: [token.address] }],
      },
      { permit2: { account: ourSender } },
    );
    const wallet = (account: LocalAccount) =>
      createWalletClient({ account, chain: chain.publicClient.chain, transport: http(chain.url) }).extend(
        publicActions,
      );
    official = registerExactEvmScheme(new x402Facilitator(), {
      signer: officialSigner(wallet(officialSender)),
      networks: NETWORK,
    });
    // An upto payment names one facilitator, ours: the official upto facilitator checks with our sender's address.
    // It only refuses here (its refusals send nothing, which settleBoth checks); it never settles.
    officialUpto = new x402Facilitator().register(
      NETWORK,
      new UptoFacilitatorScheme(officialSigner(wallet(ourSender))),
    );

    const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: ours.url }))
      .register(NETWORK, new ExactServerScheme())
      .register(NETWORK, new UptoServerScheme());
    const app = express();
    const price = (amount: bigint) => ({
      amount: amount.toString(),
      asset: token.address,
      extra: { name: token.name, version: token.version, assetTransferMethod: "permit2" },
    });
    app.use(
      paymentMiddleware(
        {
          "GET /exact": {
            accepts: { scheme: "exact", network: NETWORK, payTo: payee, price: price(PRICE) },
            description: "A priced resource",
            mimeType: "application/json",
          },
          "GET /exact-gasless": {
            accepts: { scheme: "exact", network: NETWORK, payTo: payee, price: price(PRICE) },
            description: "A priced resource whose facilitator sponsors the approval of Permit2 (EIP-2612)",
            mimeType: "application/json",
            extensions: EIP2612_DECLARATION,
          },
          "GET /upto-gasless": {
            accepts: { scheme: "upto", network: NETWORK, payTo: payee, price: price(UPTO_MAX) },
            description: "A metered resource whose facilitator sponsors the approval of Permit2 (EIP-2612)",
            mimeType: "application/json",
            extensions: EIP2612_DECLARATION,
          },
          "GET /upto": {
            accepts: { scheme: "upto", network: NETWORK, payTo: payee, price: price(UPTO_MAX) },
            description: "A metered resource",
            mimeType: "application/json",
          },
        },
        resourceServer,
      ),
    );
    app.get("/exact", (_req, res) => {
      res.json({ ok: true });
    });
    app.get("/exact-gasless", (_req, res) => {
      res.json({ ok: true });
    });
    app.get("/upto-gasless", (_req, res) => {
      setSettlementOverrides(res, { amount: UPTO_USED.toString() });
      res.json({ used: UPTO_USED.toString() });
    });
    app.get("/upto", (_req, res) => {
      setSettlementOverrides(res, { amount: UPTO_USED.toString() });
      res.json({ used: UPTO_USED.toString() });
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    servers.push(server);
    resourceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await ours?.close();
    await node?.stop();
  });

  test("default: /supported lists upto on the network with our sender as facilitatorAddress, and our sender", async () => {
    const { body: supported } = await ours.get("/supported");
    const kinds = supported.kinds.filter((k: { network: string; x402Version: number }) => k.network === NETWORK);
    assert.deepEqual(
      kinds.map((k: { scheme: string; extra?: unknown }) => [k.scheme, k.extra]),
      [
        ["exact", undefined],
        ["upto", { facilitatorAddress: ourSender.address }],
      ],
    );
    assert.ok(supported.signers["eip155:*"].includes(ourSender.address));
  });

  async function pay(payer: LocalAccount, path: string) {
    const signer = toClientEvmSigner(payer, chain.publicClient as never);
    const client = new x402Client()
      .setSpendControls({ allowedAssets: [{ network: NETWORK, asset: token.address }] })
      .register(NETWORK, new ExactClientScheme(signer))
      .register(NETWORK, new UptoClientScheme(signer));
    const response = await wrapFetchWithPayment(fetch, client)(`${resourceUrl}${path}`);
    assert.equal(response.status, 200, await response.clone().text());
    const header = response.headers.get("PAYMENT-RESPONSE");
    assert.ok(header, "the route answered with a settlement");
    const settlement = decodePaymentResponseHeader(header);
    assert.equal(settlement.success, true, JSON.stringify(settlement));
    return settlement;
  }

  async function settledThrough(transaction: string, proxy: string) {
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: transaction as Hex });
    assert.equal(receipt.status, "success");
    assert.equal(getAddress(receipt.to ?? "0x"), getAddress(proxy), "sent to the proxy at the official address");
    assert.equal(getAddress(receipt.from), ourSender.address, "sent by our Permit2 sender");
    const settled = parseEventLogs({ abi: x402ExactPermit2ProxyAbi, logs: receipt.logs, eventName: "Settled" });
    assert.equal(settled.length, 1, "the proxy logged Settled");
  }

  test("behavior: @x402/fetch pays an @x402/express exact route over Permit2; the payee gets the price", async () => {
    const [payer] = payers;
    if (!payer) throw new Error("no payer");
    const before = { payer: await balanceOf(payer.address), payee: await balanceOf(payee) };
    const settlement = await pay(payer, "/exact");
    await settledThrough(settlement.transaction, X402_EXACT_PERMIT2_PROXY_ADDRESS);
    assert.equal((await balanceOf(payee)) - before.payee, PRICE, "the payee received exactly the price");
    assert.equal(before.payer - (await balanceOf(payer.address)), PRICE, "the payer paid exactly the price");
  });

  test("behavior: @x402/fetch pays an @x402/express upto route; the payer is charged the usage, not the maximum", async () => {
    const [, payer] = payers;
    if (!payer) throw new Error("no payer");
    const before = { payer: await balanceOf(payer.address), payee: await balanceOf(payee) };
    const settlement = await pay(payer, "/upto");
    await settledThrough(settlement.transaction, X402_UPTO_PERMIT2_PROXY_ADDRESS);
    assert.equal(settlement.amount, UPTO_USED.toString());
    assert.equal((await balanceOf(payee)) - before.payee, UPTO_USED, "the payee received the usage");
    assert.equal(before.payer - (await balanceOf(payer.address)), UPTO_USED, "the payer paid the usage");
  });

  test("behavior: @x402kit/signer's paying fetch pays both routes too (permit2: true)", async () => {
    const [payer] = payers;
    if (!payer) throw new Error("no payer");
    for (const [path, proxy, charged] of [
      ["/exact", X402_EXACT_PERMIT2_PROXY_ADDRESS, PRICE],
      ["/upto", X402_UPTO_PERMIT2_PROXY_ADDRESS, UPTO_USED],
    ] as const) {
      const before = await balanceOf(payee);
      const ledger = createSpendLedger();
      const payWithOurs = wrapOurFetch(fetch, {
        signer: payer,
        permit2: true,
        ledger,
        policy: { assets: [{ network: NETWORK, asset: token.address, maxAmountPerRequest: 10n ** 12n }] },
      });
      const response = await payWithOurs(`${resourceUrl}${path}`);
      assert.equal(response.status, 200, await response.clone().text());
      const result = getPaymentResult({ response });
      assert.equal(result?.status, "settled", JSON.stringify(result?.settlement));
      assert.equal(result?.option.assetTransferMethod, "permit2");
      await settledThrough(result?.settlement?.transaction as string, proxy);
      assert.equal((await balanceOf(payee)) - before, charged, `${path}: the payee got what was charged`);
    }
  });

  describe("parity with the official facilitator", () => {
    for (const scheme of ["exact", "upto"] as const) {
      const amount = scheme === "exact" ? PRICE : UPTO_MAX;

      test(`behavior: ${scheme}: @x402kit/signer's payload verifies and settles on the official facilitator`, async () => {
        const [payer] = payers;
        if (!payer) throw new Error("no payer");
        const requirements = requirementsFor(scheme, amount);
        const { payload: signed } = await createPermit2Payload({ signer: payer, requirements });
        const payload = { x402Version: 2, accepted: requirements, payload: signed } as unknown as PaymentPayload;
        const verified = plain(await officialFor(requirements).verify(payload, requirements));
        assert.equal(verified.isValid, true, JSON.stringify(verified));
        const charged = scheme === "exact" ? PRICE : UPTO_USED;
        const before = await balanceOf(payee);
        const settled = plain(
          await officialFor(requirements).settle(payload, { ...requirements, amount: charged.toString() }),
        );
        assert.equal(settled.success, true, JSON.stringify(settled));
        const receipt = await chain.publicClient.getTransactionReceipt({ hash: settled.transaction as Hex });
        assert.equal(receipt.status, "success");
        assert.equal(
          getAddress(receipt.to ?? "0x"),
          getAddress(scheme === "exact" ? X402_EXACT_PERMIT2_PROXY_ADDRESS : X402_UPTO_PERMIT2_PROXY_ADDRESS),
        );
        assert.equal((await balanceOf(payee)) - before, charged, "the payee got what was charged");
      });

      test(`behavior: ${scheme}: a payer without a Permit2 allowance is refused alike`, async () => {
        const requirements = requirementsFor(scheme, amount);
        const payload = await officialPayment(unapproved, requirements);
        const verified = await verifyBoth(payload, requirements);
        assert.deepEqual(verified.ours, verified.official);
        assert.deepEqual(verified.ours, [false, "permit2_allowance_required"]);
      });

      test(`behavior: ${scheme}: a witness that does not match payTo, or a permitted amount that does not match, is refused alike`, async () => {
        const [payer] = payers;
        if (!payer) throw new Error("no payer");
        const requirements = requirementsFor(scheme, amount);
        const payload = await officialPayment(payer, requirements);
        for (const [other, reason] of [
          [requirementsFor(scheme, amount, { payTo: otherPayee }), "invalid_permit2_recipient_mismatch"],
          [requirementsFor(scheme, amount + 1n), "permit2_amount_mismatch"],
        ] as const) {
          const verified = await verifyBoth({ ...payload, accepted: other }, other);
          assert.deepEqual(verified.ours, verified.official);
          assert.deepEqual(verified.ours, [false, reason]);
        }
      });

      test(`behavior: ${scheme}: a passed deadline is refused alike`, async () => {
        const [payer] = payers;
        if (!payer) throw new Error("no payer");
        const requirements = requirementsFor(scheme, amount);
        const payload = await resign(payer, await officialPayment(payer, requirements), (auth) => ({
          ...auth,
          deadline: `${Math.floor(Date.now() / 1000) - 60}`,
        }));
        const verified = await verifyBoth(payload, requirements);
        assert.deepEqual(verified.ours, verified.official);
        assert.deepEqual(verified.ours, [false, "permit2_deadline_expired"]);
        const settled = await settleBoth(payload, requirements);
        assert.deepEqual(settled.ours, settled.official);
        assert.deepEqual(settled.ours, [false, "permit2_deadline_expired"]);
      });

      test(`behavior: ${scheme}: a payment signed for another chain is refused alike`, async () => {
        const [payer] = payers;
        if (!payer) throw new Error("no payer");
        const requirements = requirementsFor(scheme, amount);
        const payload = await resign(payer, await officialPayment(payer, requirements), (auth) => auth, 1);
        const verified = await verifyBoth(payload, requirements);
        assert.deepEqual(verified.ours, verified.official);
        assert.deepEqual(verified.ours, [false, "invalid_permit2_signature"]);
        const settled = await settleBoth(payload, requirements);
        assert.deepEqual(settled.ours, settled.official);
        assert.deepEqual(settled.ours, [false, "invalid_permit2_signature"]);
      });

      test(`behavior: ${scheme}: a Permit2 nonce already used is refused alike`, async () => {
        const [payer] = payers;
        if (!payer) throw new Error("no payer");
        const requirements = requirementsFor(scheme, amount);
        const payload = await officialPayment(payer, requirements);
        // The payer spends the nonce elsewhere: Permit2's invalidateUnorderedNonces, as a wallet would cancel it.
        const nonce = BigInt(
          (payload.payload as { permit2Authorization: Permit2Authorization }).permit2Authorization.nonce,
        );
        const wallet = chain.wallet(HARDHAT_KEYS[6]);
        const hash = await wallet.writeContract({
          address: PERMIT2_ADDRESS,
          abi: permit2Abi,
          functionName: "invalidateUnorderedNonces",
          args: [nonce >> 8n, 1n << (nonce & 255n)],
          account: wallet.account!,
          chain: wallet.chain,
        });
        await chain.publicClient.waitForTransactionReceipt({ hash });
        const verified = await verifyBoth(payload, requirements);
        assert.deepEqual(verified.ours, verified.official);
        assert.deepEqual(verified.ours, [false, "permit2_simulation_failed"]);
        // The official facilitator appends the node's message to this reason; the code is the part before it.
        const settled = await settleBoth(payload, requirements);
        const officialReason = String(settled.official[1]).split(":")[0];
        assert.deepEqual(settled.ours, [settled.official[0], officialReason]);
        assert.deepEqual(settled.ours, [
          false,
          scheme === "exact" ? "invalid_exact_evm_transaction_failed" : "permit2_simulation_failed",
        ]);
      });
    }

    test("behavior: upto: a settlement over the signed maximum is refused alike", async () => {
      const [payer] = payers;
      if (!payer) throw new Error("no payer");
      const requirements = requirementsFor("upto", UPTO_MAX);
      const payload = await officialPayment(payer, requirements);
      const settled = await settleBoth(payload, { ...requirements, amount: (UPTO_MAX + 1n).toString() });
      assert.deepEqual(settled.ours, settled.official);
      assert.deepEqual(settled.ours, [false, "invalid_upto_evm_payload_settlement_exceeds_amount"]);
    });
  });

  test("behavior: exact with the EIP-2612 extension settles through settleWithPermit for a payer without allowance", async () => {
    // The server declares eip2612GasSponsoring; the official client then signs the token's permit for Permit2.
    const requirements = requirementsFor("exact", PRICE);
    const payload = await officialPayment(unapproved, requirements, { eip2612GasSponsoring: {} });
    assert.ok((payload.extensions as { eip2612GasSponsoring?: { info?: unknown } })?.eip2612GasSponsoring?.info);
    const verified = await verifyBoth(payload, requirements);
    assert.deepEqual(verified.ours, verified.official);
    assert.deepEqual(verified.ours, [true, undefined]);
    const before = { payer: await balanceOf(unapproved.address), payee: await balanceOf(payee) };
    const settled = (await ours.post("/settle", body(payload, requirements))).body;
    assert.equal(settled.success, true, JSON.stringify(settled));
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: settled.transaction });
    assert.equal(getAddress(receipt.to ?? "0x"), getAddress(X402_EXACT_PERMIT2_PROXY_ADDRESS));
    const events = parseEventLogs({
      abi: x402ExactPermit2ProxyAbi,
      logs: receipt.logs,
      eventName: "SettledWithPermit",
    });
    assert.equal(events.length, 1, "settled with the permit");
    assert.equal((await balanceOf(payee)) - before.payee, PRICE);
    assert.equal(before.payer - (await balanceOf(unapproved.address)), PRICE);
  });

  describe("EIP-2612 gas sponsoring with @x402kit/signer's paying fetch", () => {
    const permit2Allowance = (owner: Address) =>
      chain.publicClient.readContract({
        address: token.address,
        abi: testErc20Abi,
        functionName: "allowance",
        args: [owner, PERMIT2_ADDRESS],
      });
    const gaslessFetch = (innerFetch: typeof fetch) =>
      wrapOurFetch(innerFetch, {
        signer: unapproved,
        permit2: true,
        eip2612GasSponsoring: { client: chain.publicClient },
        policy: { assets: [{ network: NETWORK, asset: token.address, maxAmountPerRequest: PRICE }] },
      });
    const settledWithPermit = async (transaction: string) => {
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: transaction as Hex });
      assert.equal(receipt.status, "success");
      assert.equal(getAddress(receipt.to ?? "0x"), getAddress(X402_EXACT_PERMIT2_PROXY_ADDRESS));
      const events = parseEventLogs({
        abi: x402ExactPermit2ProxyAbi,
        logs: receipt.logs,
        eventName: "SettledWithPermit",
      });
      assert.equal(events.length, 1, "settled with the permit");
      return receipt;
    };

    test("behavior: pays an @x402/express exact route declaring eip2612GasSponsoring through this facilitator, for a payer that never approved Permit2", async () => {
      assert.equal(await permit2Allowance(unapproved.address), 0n, "no Permit2 allowance");
      const before = {
        payer: await balanceOf(unapproved.address),
        payee: await balanceOf(payee),
        sent: await sentBy(unapproved.address),
      };
      const response = await gaslessFetch(fetch)(`${resourceUrl}/exact-gasless`);
      assert.equal(response.status, 200, await response.clone().text());
      const result = getPaymentResult({ response });
      assert.equal(result?.status, "settled", JSON.stringify(result?.settlement));
      const info = (result?.paymentPayload.extensions as { eip2612GasSponsoring?: { info?: Record<string, unknown> } })
        ?.eip2612GasSponsoring?.info;
      assert.equal(info?.spender, PERMIT2_ADDRESS);
      assert.equal(info?.amount, PRICE.toString());
      const receipt = await settledWithPermit(result?.settlement?.transaction as string);
      assert.equal(getAddress(receipt.from), ourSender.address, "sent by our Permit2 sender");
      assert.equal((await balanceOf(payee)) - before.payee, PRICE, "the payee received exactly the price");
      assert.equal(before.payer - (await balanceOf(unapproved.address)), PRICE, "the payer paid exactly the price");
      assert.equal(await sentBy(unapproved.address), before.sent, "the payer sent no transaction (no approval)");
      assert.equal(await permit2Allowance(unapproved.address), 0n, "the permit covered the payment and no more");
    });

    test("behavior: parity: the payload the paying fetch builds verifies and settles on the official facilitator", async () => {
      // Capture the paid request our fetch sends to the route instead of letting the route settle it.
      let header: string | null = null;
      const capture: typeof fetch = async (input, init) => {
        const request = new Request(input, init);
        header = request.headers.get("PAYMENT-SIGNATURE");
        return header ? new Response("{}", { status: 200 }) : fetch(request);
      };
      await gaslessFetch(capture)(`${resourceUrl}/exact-gasless`);
      assert.ok(header, "the fetch sent a payment");
      const payload = decodePaymentSignatureHeader(header);
      const requirements = payload.accepted;
      const verified = await verifyBoth(payload, requirements);
      assert.deepEqual(verified.ours, verified.official);
      assert.deepEqual(verified.official, [true, undefined]);
      const before = { payer: await balanceOf(unapproved.address), payee: await balanceOf(payee) };
      const settled = plain(await official.settle(payload, requirements));
      assert.equal(settled.success, true, JSON.stringify(settled));
      const receipt = await settledWithPermit(settled.transaction as string);
      assert.equal(getAddress(receipt.from), officialSender.address, "sent by the official facilitator");
      assert.equal((await balanceOf(payee)) - before.payee, PRICE);
      assert.equal(before.payer - (await balanceOf(unapproved.address)), PRICE);
    });

    test("behavior: pays an upto route declaring eip2612GasSponsoring the same way: the permit allows the maximum, the usage is charged", async () => {
      assert.equal(await permit2Allowance(unapproved.address), 0n, "no Permit2 allowance");
      const before = {
        payer: await balanceOf(unapproved.address),
        payee: await balanceOf(payee),
        sent: await sentBy(unapproved.address),
      };
      const response = await wrapOurFetch(fetch, {
        signer: unapproved,
        permit2: true,
        eip2612GasSponsoring: { client: (network) => (network === NETWORK ? chain.publicClient : undefined) },
        policy: { assets: [{ network: NETWORK, asset: token.address, maxAmountPerRequest: UPTO_MAX }] },
      })(`${resourceUrl}/upto-gasless`);
      assert.equal(response.status, 200, await response.clone().text());
      const result = getPaymentResult({ response });
      assert.equal(result?.status, "settled", JSON.stringify(result?.settlement));
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: result?.settlement?.transaction as Hex });
      assert.equal(receipt.status, "success");
      assert.equal(getAddress(receipt.to ?? "0x"), getAddress(X402_UPTO_PERMIT2_PROXY_ADDRESS));
      assert.equal((await balanceOf(payee)) - before.payee, UPTO_USED, "the payee received the usage");
      assert.equal(before.payer - (await balanceOf(unapproved.address)), UPTO_USED, "the payer paid the usage");
      assert.equal(await sentBy(unapproved.address), before.sent, "the payer sent no transaction (no approval)");
      assert.equal(
        await permit2Allowance(unapproved.address),
        UPTO_MAX - UPTO_USED,
        "the permit allowed the maximum; Permit2 moved the usage",
      );
    });
  });

  describe("idempotency", () => {
    for (const scheme of ["exact", "upto"] as const) {
      test(`behavior: ${scheme}: the same settle twice, then ten at once, is one transaction with one answer`, async () => {
        const [payer] = payers;
        if (!payer) throw new Error("no payer");
        const requirements = requirementsFor(scheme, scheme === "exact" ? PRICE : UPTO_MAX);
        const payload = await officialPayment(payer, requirements);
        const settleRequirements = scheme === "upto" ? { ...requirements, amount: UPTO_USED.toString() } : requirements;
        const charged = scheme === "upto" ? UPTO_USED : PRICE;
        const before = { payee: await balanceOf(payee), sent: await sentBy(ourSender.address) };
        const first = await ours.post("/settle", body(payload, settleRequirements));
        assert.equal(first.body.success, true, JSON.stringify(first.body));
        const second = await ours.post("/settle", body(payload, settleRequirements));
        assert.deepEqual(second.body, first.body, "the stored answer");
        const many = await Promise.all(
          Array.from({ length: 10 }, () => ours.post("/settle", body(payload, settleRequirements))),
        );
        for (const answer of many) assert.deepEqual(answer.body, first.body);
        assert.equal(await sentBy(ourSender.address), before.sent + 1, "one transaction");
        assert.equal((await balanceOf(payee)) - before.payee, charged, "charged once");
        // Another payload under the same Permit2 nonce is a conflict, never a second transfer.
        const changed = await ours.post("/settle", body(payload, { ...settleRequirements, payTo: otherPayee }));
        assert.equal(changed.body.success, false);
        assert.equal(await sentBy(ourSender.address), before.sent + 1);
      });
    }

    test("behavior: ten concurrent first settles of one payment are one transaction", async () => {
      const [, payer] = payers;
      if (!payer) throw new Error("no payer");
      const requirements = requirementsFor("exact", PRICE);
      const payload = await officialPayment(payer, requirements);
      const sent = await sentBy(ourSender.address);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => ours.post("/settle", body(payload, requirements))),
      );
      assert.equal(answers[0]?.body.success, true, JSON.stringify(answers[0]?.body));
      for (const answer of answers) assert.deepEqual(answer.body, answers[0]?.body);
      assert.equal(await sentBy(ourSender.address), sent + 1);
    });
  });

  test("behavior: exact Permit2 payments of different payers waiting together share one transaction; one cancelled before the block fails alone", async () => {
    const [first, second] = payers;
    if (!first || !second) throw new Error("no payers");
    const proxy = await startCountingRpcProxy(node.rpcUrl);
    const sender = privateKeyToAccount(keccak256(toHex("permit2 test coalescing sender")));
    const testClient = createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) });
    await testClient.setBalance({ address: sender.address, value: 10n ** 19n });
    const coalescing = await startFacilitator(
      {
        privateKeys: [keccak256(toHex("permit2 test coalescing lane"))],
        networks: [{ network: NETWORK, rpcUrl: proxy.url, assets: [token.address] }],
      },
      { permit2: { account: sender } },
    );
    const nonceOf = () => chain.publicClient.getTransactionCount({ address: sender.address, blockTag: "pending" });
    const requirements = requirementsFor("exact", PRICE);
    const before = await balanceOf(requirements.payTo as Address);
    try {
      const start = await nonceOf();
      await testClient.setAutomine(false);
      // The first payment holds the sender's lock while its gas estimate is slow; the next two wait for it.
      proxy.delay("eth_estimateGas", 400);
      const estimates = proxy.count("eth_estimateGas");
      const lone = coalescing.post("/settle", body(await officialPayment(first, requirements), requirements));
      await untilTrue(async () => proxy.count("eth_estimateGas") > estimates, "the first estimate");
      const [a, b] = await Promise.all([officialPayment(first, requirements), officialPayment(second, requirements)]);
      const answers = [a, b].map((payload) => coalescing.post("/settle", body(payload, requirements)));
      await untilTrue(async () => (await nonceOf()) === start + 2, "two transactions in the pool");
      proxy.delay("eth_estimateGas", 0);
      // Before the block, `second` invalidates b's Permit2 nonce with a higher tip: b's call in the shared transaction
      // fails, a's does not.
      const nonce = BigInt((b.payload as { permit2Authorization: { nonce: string } }).permit2Authorization.nonce);
      await chain.wallet(HARDHAT_KEYS[7]).writeContract({
        address: PERMIT2_ADDRESS,
        abi: permit2Abi,
        functionName: "invalidateUnorderedNonces",
        args: [nonce >> 8n, 1n << (nonce & 0xffn)],
        account: second,
        chain: chain.publicClient.chain,
        gas: 100_000n,
        maxPriorityFeePerGas: 100n * 10n ** 9n,
        maxFeePerGas: 200n * 10n ** 9n,
      });
      await testClient.mine({ blocks: 1 });
      await testClient.setAutomine(true);
      const [loneAnswer, aAnswer, bAnswer] = (await Promise.all([lone, ...answers])).map((r) => r.body);
      for (const answer of [loneAnswer, aAnswer]) assert.equal(answer.success, true, JSON.stringify(answer));
      assert.notEqual(aAnswer.transaction, loneAnswer.transaction);
      assert.equal(bAnswer.success, false, JSON.stringify(bAnswer));
      assert.equal(bAnswer.errorReason, "invalid_exact_evm_transaction_failed");
      assert.equal(bAnswer.transaction, aAnswer.transaction, "b was in a's transaction");
      assert.equal(await chain.publicClient.getTransactionCount({ address: sender.address }), start + 2);
      assert.equal(await balanceOf(requirements.payTo as Address), before + 2n * PRICE, "two payments moved");
    } finally {
      proxy.delay("eth_estimateGas", 0);
      await testClient.setAutomine(true);
      await coalescing.close();
      await proxy.close();
    }
  });

  // Switched on by the configuration (`permit2.privateKey`, X402KIT_PERMIT2_KEY), on each journal backend.
  for (const [storeName, backendOf] of Object.entries(STORES)) {
    const backend = backendOf();
    before(() => backend.setup());
    after(() => backend.teardown());
    test(`behavior: a settle not mined in time is pending with its hash; a restart rebroadcasts the journaled bytes and the retry answers from the chain (${storeName})`, async () => {
      const sender = privateKeyToAccount(HARDHAT_KEYS[4]);
      const journal = await backend.fresh();
      const start = () =>
        startFacilitator({
          privateKeys: [HARDHAT_KEYS[5]],
          networks: [{ network: NETWORK, rpcUrl: node.rpcUrl, assets: [token.address] }],
          ...journal.config,
          settleTimeoutMs: 500,
          permit2: { privateKey: HARDHAT_KEYS[4] },
        });
      const [payer] = payers;
      if (!payer) throw new Error("no payer");
      const requirements = requirementsFor("exact", PRICE);
      const payload = await officialPayment(payer, requirements);
      const testClient = createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) });
      const before = { sent: await sentBy(sender.address), payee: await balanceOf(payee) };
      let second: RunningFacilitator | undefined;
      try {
        let first: RunningFacilitator | undefined = await start();
        await testClient.setAutomine(false);
        const pending = (await first.post("/settle", body(payload, requirements))).body;
        assert.deepEqual(
          [pending.success, pending.errorReason],
          [false, "settlement_pending"],
          JSON.stringify(pending),
        );
        assert.match(pending.transaction, /^0x[0-9a-f]{64}$/);
        await first.close();
        first = undefined;
        // The node loses the transaction (a restart of ours and a mempool that forgot it): only the journal has it.
        await testClient.dropTransaction({ hash: pending.transaction });
        second = await start(); // rebroadcasts the journaled bytes
        await testClient.mine({ blocks: 1 });
        const mined = await chain.publicClient.getTransactionReceipt({ hash: pending.transaction });
        assert.equal(mined.status, "success", "mined from the bytes the start-up sent again, before any retry");
        await testClient.setAutomine(true);
        const settled = (await second.post("/settle", body(payload, requirements))).body;
        assert.equal(settled.success, true, JSON.stringify(settled));
        assert.equal(settled.transaction, pending.transaction, "the same transaction, not a second one");
        assert.equal(await sentBy(sender.address), before.sent + 1);
        assert.equal((await balanceOf(payee)) - before.payee, PRICE);
      } finally {
        await testClient.setAutomine(true);
        await second?.close();
      }
    });
  }
});
