/**
 * The `batch-settlement` scheme of our facilitator on a local Hardhat node, with x402kit's X402BatchSettlement and
 * ERC3009DepositCollector at the official addresses:
 *
 * - the official `@x402/fetch` batch-settlement client pays an official `@x402/express` route whose facilitator is
 *   ours (deposit, vouchers, one claim batch, sweep, refund), balances read from the chain;
 * - parity: the official facilitator (`@x402/core` + `@x402/evm` batch-settlement, in process) and ours answer the
 *   same refusals with the same reason, on the same chain;
 * - idempotency: the same write twice (and concurrently) is one transaction.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import { x402Facilitator } from "@x402/core/facilitator";
import { decodePaymentResponseHeader } from "@x402/core/http";
import { HTTPFacilitatorClient } from "@x402/core/server";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { toClientEvmSigner } from "@x402/evm";
import {
  BatchSettlementEvmScheme as BatchSettlementClientScheme,
  computeChannelId,
} from "@x402/evm/batch-settlement/client";
import { BatchSettlementEvmScheme as BatchSettlementFacilitatorScheme } from "@x402/evm/batch-settlement/facilitator";
import {
  type BatchSettlementChannelManager,
  BatchSettlementEvmScheme as BatchSettlementServerScheme,
} from "@x402/evm/batch-settlement/server";
import { paymentMiddleware, x402ResourceServer } from "@x402/express";
import { wrapFetchWithPayment } from "@x402/fetch";
import {
  BATCH_SETTLEMENT_ADDRESS,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
  ensureMulticall3,
  erc3009DepositCollectorAbi,
  erc3009DepositCollectorBytecode,
  testUsdcAbi,
  x402BatchSettlementAbi,
  x402BatchSettlementBytecode,
} from "@x402kit/bindings";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { startEmbeddedPostgres as startPostgres } from "@x402kit/hardhat-node/postgres";
import { cancelAuthorizationTypes, receiveWithAuthorizationTypes } from "@x402kit/signer";
import express from "express";
import pg from "pg";
import {
  type Abi,
  type Address,
  createTestClient,
  createWalletClient,
  encodeAbiParameters,
  getAddress,
  type Hex,
  http,
  keccak256,
  publicActions,
  toHex,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { balanceOf, deployTestUsdc, HARDHAT_KEYS, type LocalChain, localChain, type Token } from "./helpers/chain.js";
import {
  type ChildFacilitator,
  type RunningFacilitator,
  spawnFacilitator,
  startFacilitator,
} from "./helpers/facilitatorHarness.js";
import { officialSigner } from "./helpers/officialFacilitator.js";
import { startCountingRpcProxy } from "./helpers/rpcProxy.js";
import { STORES } from "./helpers/stores.js";
import { until, untilTrue } from "./helpers/until.js";

const NETWORK = "eip155:84532";
const PRICE = 10_000n;
const DEPOSIT = 50_000n;
const WITHDRAW_DELAY = 900;
const payers = [privateKeyToAccount(HARDHAT_KEYS[7]), privateKeyToAccount(HARDHAT_KEYS[8])];
const paritySigner = privateKeyToAccount(HARDHAT_KEYS[9]);
const ourSender = privateKeyToAccount(HARDHAT_KEYS[2]);
const officialSender = privateKeyToAccount(HARDHAT_KEYS[3]);
const receiverAuthorizer = privateKeyToAccount(keccak256(toHex("batch-settlement test receiver authorizer")));
const payee = privateKeyToAccount(keccak256(toHex("batch-settlement test payee"))).address;
const otherPayee = privateKeyToAccount(keccak256(toHex("batch-settlement test other payee"))).address;
const stranger = privateKeyToAccount(keccak256(toHex("batch-settlement test stranger")));

/** Copies X402BatchSettlement and the ERC-3009 collector to the official addresses (no immutables, no storage). */
async function installBatchSettlement(chain: LocalChain): Promise<void> {
  const deployer = chain.wallet(HARDHAT_KEYS[0]);
  const test = createTestClient({ mode: "hardhat", transport: http(chain.url) });
  for (const [abi, bytecode, official] of [
    [x402BatchSettlementAbi, x402BatchSettlementBytecode, BATCH_SETTLEMENT_ADDRESS],
    [erc3009DepositCollectorAbi, erc3009DepositCollectorBytecode, ERC3009_DEPOSIT_COLLECTOR_ADDRESS],
  ] as const) {
    const hash = await deployer.deployContract({
      abi: abi as Abi,
      bytecode: bytecode as Hex,
      account: deployer.account!,
      chain: deployer.chain,
    });
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    const code = await chain.publicClient.getCode({ address: receipt.contractAddress as Address });
    await test.setCode({ address: getAddress(official), bytecode: code as Hex });
  }
}

/** The official facilitator, in process, answering as its HTTP routes would serialise. */
function officialBatchFacilitator(chain: LocalChain) {
  const wallet = createWalletClient({
    account: officialSender,
    chain: chain.publicClient.chain,
    transport: http(chain.url),
  }).extend(publicActions);
  const signer = officialSigner(wallet);
  const facilitator = new x402Facilitator().register(NETWORK, new BatchSettlementFacilitatorScheme(signer));
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}` : v)));
  type Body = { paymentPayload: unknown; paymentRequirements: unknown };
  return {
    verify: async (body: Body) =>
      plain(
        await facilitator.verify(
          body.paymentPayload as PaymentPayload,
          body.paymentRequirements as PaymentRequirements,
        ),
      ),
    settle: async (body: Body) =>
      plain(
        await facilitator.settle(
          body.paymentPayload as PaymentPayload,
          body.paymentRequirements as PaymentRequirements,
        ),
      ),
  };
}

describe("batch-settlement with this facilitator (local chain 84532)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let ours: RunningFacilitator;
  let official: ReturnType<typeof officialBatchFacilitator>;
  let resourceUrl: string;
  let manager: BatchSettlementChannelManager;
  const servers: Server[] = [];

  const requirements = (overrides: Record<string, unknown> = {}) => ({
    scheme: "batch-settlement",
    network: NETWORK,
    asset: token.address,
    amount: PRICE.toString(),
    payTo: payee,
    maxTimeoutSeconds: 300,
    extra: {
      name: token.name,
      version: token.version,
      receiverAuthorizer: receiverAuthorizer.address,
      withdrawDelay: WITHDRAW_DELAY,
    },
    ...overrides,
  });
  const body = (payload: unknown, reqs = requirements(), accepted: Record<string, unknown> = {}) => ({
    x402Version: 2,
    paymentPayload: { x402Version: 2, accepted: { ...reqs, ...accepted }, payload },
    paymentRequirements: reqs,
  });
  const sentBy = (address: Address) => chain.publicClient.getTransactionCount({ address });

  before(async () => {
    node = await startHardhatNode({ chainId: 84532 });
    chain = localChain(node.rpcUrl, node.chainId);
    token = await deployTestUsdc(chain, [...payers.map((p) => p.address), paritySigner.address]);
    await installBatchSettlement(chain);
    await ensureMulticall3({ provider: chain.publicClient as never });
    ours = await startFacilitator(
      {
        privateKeys: [HARDHAT_KEYS[1]],
        networks: [{ network: NETWORK, rpcUrl: node.rpcUrl, assets: [token.address] }],
      },
      { batchSettlement: { account: ourSender } },
    );
    official = officialBatchFacilitator(chain);

    const facilitatorClient = new HTTPFacilitatorClient({ url: ours.url });
    const serverScheme = new BatchSettlementServerScheme(payee, {
      receiverAuthorizerSigner: receiverAuthorizer,
      withdrawDelay: WITHDRAW_DELAY,
    });
    const resourceServer = new x402ResourceServer(facilitatorClient).register(NETWORK, serverScheme);
    const app = express();
    let served = 0;
    app.use(
      paymentMiddleware(
        {
          "GET /data": {
            accepts: {
              scheme: "batch-settlement",
              network: NETWORK,
              payTo: payee,
              price: {
                amount: PRICE.toString(),
                asset: token.address,
                extra: { name: token.name, version: token.version },
              },
              extra: { minDeposit: DEPOSIT.toString() },
            },
            description: "A metered resource",
            mimeType: "application/json",
          },
        },
        resourceServer,
      ),
    );
    app.get("/data", (_req, res) => {
      res.json({ served: ++served });
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    servers.push(server);
    resourceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    manager = serverScheme.createChannelManager(facilitatorClient, NETWORK, token.address);
  });

  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await ours?.close();
    await node?.stop();
  });

  test("default: /supported names batch-settlement on the network and our sender among the signers", async () => {
    const { body: supported } = await ours.get("/supported");
    assert.ok(
      supported.kinds.some(
        (k: { scheme: string; network: string; x402Version: number }) =>
          k.scheme === "batch-settlement" && k.network === NETWORK && k.x402Version === 2,
      ),
    );
    assert.ok(supported.signers["eip155:*"].includes(ourSender.address));
  });

  test("behavior: @x402/fetch pays an @x402/express route: deposit, vouchers, one claim, sweep, refund", async () => {
    const requests = [3, 2];
    const before = {
      payers: await Promise.all(payers.map((p) => balanceOf(token, p.address))),
      payee: await balanceOf(token, payee),
    };
    const channelIds: Hex[] = [];
    for (const [i, payer] of payers.entries()) {
      const scheme = new BatchSettlementClientScheme(toClientEvmSigner(payer, chain.publicClient as never));
      const client = new x402Client()
        .setSpendControls({ allowedAssets: [{ network: NETWORK, asset: token.address }] })
        .register(NETWORK, scheme);
      const pay = wrapFetchWithPayment(fetch, client);
      for (let r = 0; r < (requests[i] ?? 0); r++) {
        const response = await pay(`${resourceUrl}/data`);
        assert.equal(response.status, 200, await response.clone().text());
        const header = response.headers.get("PAYMENT-RESPONSE");
        assert.ok(header);
        assert.equal(decodePaymentResponseHeader(header).success, true);
      }
      channelIds.push(
        computeChannelId(
          scheme.buildChannelConfig({
            scheme: "batch-settlement",
            network: NETWORK,
            asset: token.address,
            amount: PRICE.toString(),
            payTo: payee,
            maxTimeoutSeconds: 300,
            extra: { receiverAuthorizer: receiverAuthorizer.address, withdrawDelay: WITHDRAW_DELAY },
          }),
          NETWORK,
        ),
      );
    }
    for (const [i, payer] of payers.entries()) {
      assert.equal(await balanceOf(token, payer.address), (before.payers[i] ?? 0n) - DEPOSIT, "one deposit each");
    }
    const sent = await sentBy(ourSender.address);
    const { claims, settle } = await manager.claimAndSettle();
    assert.equal(claims.length, 1, "one claim batch");
    assert.equal(claims[0]?.vouchers, payers.length);
    assert.ok(settle);
    assert.equal(await sentBy(ourSender.address), sent + 2, "one claimWithSignature for both channels, one settle");
    const paid = requests.map((n) => PRICE * BigInt(n));
    const total = paid.reduce((a, b) => a + b, 0n);
    assert.equal(await balanceOf(token, payee), before.payee + total, "the payee got exactly the sum paid");

    const refunds = await manager.refund(channelIds);
    assert.equal(refunds.length, payers.length);
    for (const [i, payer] of payers.entries()) {
      assert.equal(await balanceOf(token, payer.address), (before.payers[i] ?? 0n) - (paid[i] ?? 0n), `payer ${i}`);
    }
  });

  test("behavior: with our receiver authorizer advertised, the server sends claims and refunds unsigned and we sign them", async () => {
    const authorizer = privateKeyToAccount(keccak256(toHex("batch-settlement test facilitator authorizer")));
    const laneKey = keccak256(toHex("batch-settlement test second facilitator lane"));
    const sender = privateKeyToAccount(keccak256(toHex("batch-settlement test second facilitator sender")));
    const testClient = createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) });
    await testClient.setBalance({ address: sender.address, value: 10n ** 19n });
    const second = await startFacilitator(
      { privateKeys: [laneKey], networks: [{ network: NETWORK, rpcUrl: node.rpcUrl, assets: [token.address] }] },
      { batchSettlement: { account: sender, receiverAuthorizer: authorizer } },
    );
    try {
      const { body: supported } = await second.get("/supported");
      const kind = supported.kinds.find((k: { scheme: string }) => k.scheme === "batch-settlement");
      assert.deepEqual(kind?.extra, { receiverAuthorizer: authorizer.address });
      const facilitatorClient = new HTTPFacilitatorClient({ url: second.url });
      const serverScheme = new BatchSettlementServerScheme(payee, { withdrawDelay: WITHDRAW_DELAY }); // no signer
      const resourceServer = new x402ResourceServer(facilitatorClient).register(NETWORK, serverScheme);
      const app = express();
      app.use(
        paymentMiddleware(
          {
            "GET /data": {
              accepts: {
                scheme: "batch-settlement",
                network: NETWORK,
                payTo: payee,
                price: {
                  amount: PRICE.toString(),
                  asset: token.address,
                  extra: { name: token.name, version: token.version },
                },
                extra: { minDeposit: DEPOSIT.toString() },
              },
              description: "A metered resource",
              mimeType: "application/json",
            },
          },
          resourceServer,
        ),
      );
      app.get("/data", (_req, res) => {
        res.json({ ok: true });
      });
      const server: Server = await new Promise((resolve) => {
        const srv = app.listen(0, "127.0.0.1", () => resolve(srv));
      });
      servers.push(server);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const payer = paritySigner;
      const scheme = new BatchSettlementClientScheme(toClientEvmSigner(payer, chain.publicClient as never));
      const pay = wrapFetchWithPayment(
        fetch,
        new x402Client()
          .setSpendControls({ allowedAssets: [{ network: NETWORK, asset: token.address }] })
          .register(NETWORK, scheme),
      );
      const before = { payer: await balanceOf(token, payer.address), payee: await balanceOf(token, payee) };
      for (let r = 0; r < 2; r++) {
        const response = await pay(`${url}/data`);
        assert.equal(response.status, 200, await response.clone().text());
      }
      const manager = serverScheme.createChannelManager(facilitatorClient, NETWORK, token.address);
      const { claims, settle } = await manager.claimAndSettle();
      assert.equal(claims.length, 1);
      assert.ok(settle);
      assert.equal(await balanceOf(token, payee), before.payee + 2n * PRICE);
      const channelId = computeChannelId(
        scheme.buildChannelConfig({
          scheme: "batch-settlement",
          network: NETWORK,
          asset: token.address,
          amount: PRICE.toString(),
          payTo: payee,
          maxTimeoutSeconds: 300,
          extra: { receiverAuthorizer: authorizer.address, withdrawDelay: WITHDRAW_DELAY },
        }),
        NETWORK,
      );
      const refunds = await manager.refund([channelId]);
      assert.equal(refunds.length, 1);
      assert.equal(await balanceOf(token, payer.address), before.payer - 2n * PRICE, "paid exactly two requests");
    } finally {
      await second.close();
    }
  });

  // Payloads built by hand, signed by `paritySigner`, for the parity and idempotency cases.
  const salt = (n: number) => toHex(n, { size: 32 });
  const channelConfig = (n: number, overrides: Record<string, unknown> = {}) => ({
    payer: paritySigner.address,
    payerAuthorizer: zeroAddress,
    receiver: payee,
    receiverAuthorizer: receiverAuthorizer.address,
    token: token.address,
    withdrawDelay: WITHDRAW_DELAY,
    salt: salt(n),
    ...overrides,
  });
  const idOf = (config: ReturnType<typeof channelConfig>) => computeChannelId(config as never, NETWORK) as Hex;
  /** A channel's `[balance, totalClaimed]` on chain. */
  const channelOf = async (config: ReturnType<typeof channelConfig>) =>
    (await chain.publicClient.readContract({
      address: BATCH_SETTLEMENT_ADDRESS,
      abi: x402BatchSettlementAbi,
      functionName: "channels",
      args: [idOf(config)],
    })) as readonly [bigint, bigint];
  const domain = {
    name: "x402 Batch Settlement",
    version: "1",
    chainId: 84532,
    verifyingContract: BATCH_SETTLEMENT_ADDRESS,
  } as const;
  const signVoucher = (channelId: Hex, max: bigint, by = paritySigner) =>
    by.signTypedData({
      domain,
      types: {
        Voucher: [
          { name: "channelId", type: "bytes32" },
          { name: "maxClaimableAmount", type: "uint128" },
        ],
      },
      primaryType: "Voucher",
      message: { channelId, maxClaimableAmount: max },
    });
  const depositPayload = async (
    config: ReturnType<typeof channelConfig>,
    options: { amount?: bigint; max?: bigint; voucherBy?: typeof paritySigner; authBy?: typeof paritySigner } = {},
  ) => {
    const channelId = idOf(config);
    const amount = options.amount ?? DEPOSIT;
    const authSalt = BigInt(keccak256(toHex(`${channelId}:${amount}`)));
    const validBefore = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const nonce = keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [channelId, authSalt]));
    const signature = await (options.authBy ?? paritySigner).signTypedData({
      domain: { name: token.name, version: token.version, chainId: 84532, verifyingContract: token.address },
      types: receiveWithAuthorizationTypes,
      primaryType: "ReceiveWithAuthorization",
      message: {
        from: paritySigner.address,
        to: ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
        value: amount,
        validAfter: 0n,
        validBefore,
        nonce,
      },
    });
    const max = options.max ?? PRICE;
    return {
      type: "deposit",
      channelConfig: config,
      voucher: {
        channelId,
        maxClaimableAmount: max.toString(),
        signature: await signVoucher(channelId, max, options.voucherBy),
      },
      deposit: {
        amount: amount.toString(),
        authorization: {
          erc3009Authorization: {
            validAfter: "0",
            validBefore: validBefore.toString(),
            salt: authSalt.toString(),
            signature,
          },
        },
      },
    };
  };
  const voucherPayload = async (config: ReturnType<typeof channelConfig>, max: bigint, type = "voucher") => ({
    type,
    channelConfig: config,
    voucher: {
      channelId: idOf(config),
      maxClaimableAmount: max.toString(),
      signature: await signVoucher(idOf(config), max),
    },
  });
  const claimPayload = async (entries: { config: ReturnType<typeof channelConfig>; max: bigint; total: bigint }[]) => {
    const claims = await Promise.all(
      entries.map(async (e) => ({
        voucher: { channel: e.config, maxClaimableAmount: e.max.toString() },
        signature: await signVoucher(idOf(e.config), e.max),
        totalClaimed: e.total.toString(),
      })),
    );
    const claimAuthorizerSignature = await receiverAuthorizer.signTypedData({
      domain,
      types: {
        ClaimBatch: [{ name: "claims", type: "ClaimEntry[]" }],
        ClaimEntry: [
          { name: "channelId", type: "bytes32" },
          { name: "maxClaimableAmount", type: "uint128" },
          { name: "totalClaimed", type: "uint128" },
        ],
      },
      primaryType: "ClaimBatch",
      message: {
        claims: entries.map((e) => ({ channelId: idOf(e.config), maxClaimableAmount: e.max, totalClaimed: e.total })),
      },
    });
    return { type: "claim", claims, claimAuthorizerSignature };
  };

  /** Both facilitators verify the same body; the reason (and validity, payer) must agree. */
  const sameVerify = async (label: string, request: ReturnType<typeof body>, expected: string | undefined) => {
    const theirs = await official.verify(request);
    const { status, body: mine } = await ours.post("/verify", request);
    assert.equal(status, 200, label);
    assert.equal(theirs.invalidReason, expected, `${label}: official ${JSON.stringify(theirs)}`);
    assert.equal(mine.invalidReason, theirs.invalidReason, `${label}: ours ${JSON.stringify(mine)}`);
    assert.equal(mine.isValid, theirs.isValid, label);
    assert.equal(mine.payer, theirs.payer, label);
    if (theirs.isValid) assert.deepEqual(mine.extra, theirs.extra, label);
  };
  /** Both facilitators settle a body that must be refused before any broadcast; the reason must agree. */
  const sameSettleRefusal = async (label: string, request: ReturnType<typeof body>, expected: string) => {
    const before = [await sentBy(ourSender.address), await sentBy(officialSender.address)];
    const theirs = await official.settle(request);
    const { body: mine } = await ours.post("/settle", request);
    assert.equal(theirs.errorReason, expected, `${label}: official ${JSON.stringify(theirs)}`);
    assert.equal(mine.errorReason, theirs.errorReason, `${label}: ours ${JSON.stringify(mine)}`);
    assert.equal(mine.success, false, label);
    assert.equal(mine.transaction, "", label);
    assert.deepEqual([await sentBy(ourSender.address), await sentBy(officialSender.address)], before, label);
  };

  test("behavior: parity of verify refusals with the official facilitator (deposit, voucher, refund)", async () => {
    const A = channelConfig(1);
    await sameVerify("valid deposit", body(await depositPayload(A)), undefined);
    await sameVerify(
      "bad voucher signature",
      body(await depositPayload(A, { voucherBy: stranger })),
      "invalid_batch_settlement_evm_voucher_signature",
    );
    await sameVerify(
      "bad receive authorization",
      body(await depositPayload(A, { authBy: stranger })),
      "invalid_batch_settlement_evm_receive_authorization_signature",
    );
    await sameVerify(
      "voucher over the deposit",
      body(await depositPayload(A, { max: DEPOSIT + 1n })),
      "invalid_batch_settlement_evm_cumulative_exceeds_balance",
    );
    await sameVerify(
      "deposit over the payer's balance",
      body(await depositPayload(A, { amount: 10n ** 15n })),
      "invalid_batch_settlement_evm_insufficient_balance",
    );
    await sameVerify(
      "receiver mismatch",
      body(await depositPayload(A), requirements({ payTo: otherPayee })),
      "invalid_batch_settlement_evm_receiver_mismatch",
    );
    await sameVerify(
      "token mismatch",
      body(await depositPayload(channelConfig(1, { token: otherPayee }))),
      "invalid_batch_settlement_evm_token_mismatch",
    );
    await sameVerify(
      "withdraw delay mismatch",
      body(await depositPayload(channelConfig(2, { withdrawDelay: 1000 }))),
      "invalid_batch_settlement_evm_withdraw_delay_mismatch",
    );
    await sameVerify(
      "wrong network in accepted",
      body(await depositPayload(A), requirements(), { network: "eip155:1" }),
      "invalid_batch_settlement_evm_network_mismatch",
    );
    await sameVerify(
      "bad payload type",
      body({ ...(await voucherPayload(A, PRICE)), type: "bogus" }),
      "invalid_batch_settlement_evm_payload_type",
    );
    await sameVerify(
      "claim is not verifiable",
      body(await claimPayload([{ config: A, max: PRICE, total: PRICE }])),
      "invalid_batch_settlement_evm_payload_type",
    );
    await sameVerify(
      "voucher on an unfunded channel",
      body(await voucherPayload(channelConfig(3), PRICE)),
      "invalid_batch_settlement_evm_channel_not_found",
    );

    // Fund channel A through our facilitator, claim PRICE, then compare voucher and refund answers.
    const deposited = await ours.post("/settle", body(await depositPayload(A)));
    assert.equal(deposited.body.success, true, JSON.stringify(deposited.body));
    assert.equal(deposited.body.amount, DEPOSIT.toString());
    assert.equal(deposited.body.extra.channelState.balance, DEPOSIT.toString());
    await sameVerify("valid voucher", body(await voucherPayload(A, 2n * PRICE)), undefined);
    await sameVerify(
      "voucher over the balance",
      body(await voucherPayload(A, DEPOSIT + 1n)),
      "invalid_batch_settlement_evm_cumulative_exceeds_balance",
    );
    const claimed = await ours.post(
      "/settle",
      body(await claimPayload([{ config: A, max: 2n * PRICE, total: 2n * PRICE }])),
    );
    assert.equal(claimed.body.success, true, JSON.stringify(claimed.body));
    await sameVerify(
      "voucher at the claimed total",
      body(await voucherPayload(A, 2n * PRICE)),
      "invalid_batch_settlement_evm_cumulative_below_claimed",
    );
    await sameVerify(
      "voucher below the claimed total",
      body(await voucherPayload(A, PRICE)),
      "invalid_batch_settlement_evm_cumulative_below_claimed",
    );
    await sameVerify(
      "refund voucher at the claimed total",
      body(await voucherPayload(A, 2n * PRICE, "refund")),
      undefined,
    );
    await sameVerify(
      "refund voucher below the claimed total",
      body(await voucherPayload(A, PRICE, "refund")),
      "invalid_batch_settlement_evm_cumulative_below_claimed",
    );
  });

  test("behavior: parity of settle refusals with the official facilitator (claim, settle, refund, type)", async () => {
    const A = channelConfig(1); // funded with DEPOSIT, 2 * PRICE claimed (previous test)
    await sameSettleRefusal("bad payload type", body({ type: "bogus" }), "invalid_batch_settlement_evm_payload_type");
    await sameSettleRefusal(
      "voucher is not settled by a facilitator",
      body(await voucherPayload(A, 3n * PRICE)),
      "invalid_batch_settlement_evm_payload_type",
    );
    await sameSettleRefusal(
      "nothing to settle",
      body({ type: "settle", receiver: otherPayee, token: token.address }),
      "invalid_batch_settlement_evm_nothing_to_settle",
    );
    const unsigned = await claimPayload([{ config: A, max: 3n * PRICE, total: 3n * PRICE }]);
    await sameSettleRefusal(
      "claim without authorizer signature",
      body({ ...unsigned, claimAuthorizerSignature: undefined }),
      "invalid_batch_settlement_evm_authorizer_not_configured",
    );
    const forged = await claimPayload([{ config: A, max: 3n * PRICE, total: 4n * PRICE }]);
    await sameSettleRefusal(
      "claim over its voucher",
      body({ ...forged, claimAuthorizerSignature: unsigned.claimAuthorizerSignature }),
      "invalid_batch_settlement_evm_claim_simulation_failed",
    );
    const refund = { ...(await voucherPayload(A, 2n * PRICE, "refund")), amount: "1000", refundNonce: "0", claims: [] };
    await sameSettleRefusal(
      "refund without authorizer signature",
      body(refund),
      "invalid_batch_settlement_evm_authorizer_not_configured",
    );
    const drained = await claimPayload([{ config: A, max: DEPOSIT, total: DEPOSIT }]);
    await sameSettleRefusal(
      "refund of a fully claimed channel",
      body({ ...refund, claims: drained.claims, claimAuthorizerSignature: drained.claimAuthorizerSignature }),
      "invalid_batch_settlement_evm_refund_no_balance",
    );
    await sameSettleRefusal(
      "refund with a bad authorizer signature",
      body({ ...refund, refundAuthorizerSignature: await signVoucher(idOf(A), 1n, stranger) }),
      "invalid_batch_settlement_evm_refund_simulation_failed",
    );
  });

  test("behavior: the same write twice, or ten times at once, is one transaction with one answer", async () => {
    const B = channelConfig(10);
    const C = channelConfig(11);
    const deposit = body(await depositPayload(B));
    const sent = await sentBy(ourSender.address);
    const [first, second] = [await ours.post("/settle", deposit), await ours.post("/settle", deposit)];
    assert.equal(first.body.success, true, JSON.stringify(first.body));
    assert.deepEqual(second.body, first.body);
    assert.equal(await sentBy(ourSender.address), sent + 1, "one deposit transaction");
    assert.equal((await ours.post("/settle", body(await depositPayload(C)))).body.success, true);

    // Two channels' vouchers in one claim payload: one claimWithSignature, however often it is asked for.
    const claim = body(
      await claimPayload([
        { config: B, max: PRICE, total: PRICE },
        { config: C, max: 2n * PRICE, total: 2n * PRICE },
      ]),
    );
    const beforeClaim = await sentBy(ourSender.address);
    const answers = await Promise.all(Array.from({ length: 10 }, () => ours.post("/settle", claim)));
    assert.equal(answers[0]?.body.success, true, JSON.stringify(answers[0]?.body));
    for (const a of answers) assert.deepEqual(a.body, answers[0]?.body);
    assert.equal(await sentBy(ourSender.address), beforeClaim + 1, "one claim transaction for both channels");

    const payeeBefore = await balanceOf(token, payee);
    const sweep = body({ type: "settle", receiver: payee, token: token.address });
    const beforeSweep = await sentBy(ourSender.address);
    const s1 = await ours.post("/settle", sweep);
    const s2 = await ours.post("/settle", sweep);
    assert.equal(s1.body.success, true, JSON.stringify(s1.body));
    assert.deepEqual(s2.body, s1.body, "the same sweep answers the same");
    assert.equal(await sentBy(ourSender.address), beforeSweep + 1, "one settle transaction");
    assert.equal(await balanceOf(token, payee), payeeBefore + BigInt(s1.body.amount));
    assert.ok(BigInt(s1.body.amount) >= 3n * PRICE);

    // A different payload under the same key (same ERC-3009 nonce, other voucher) is refused, not sent.
    const conflicting = body(await depositPayload(B, { max: 2n * PRICE }));
    const beforeConflict = await sentBy(ourSender.address);
    const refused = await ours.post("/settle", conflicting);
    assert.equal(refused.body.success, false);
    assert.equal(refused.body.errorReason, "invalid_batch_settlement_evm_idempotency_conflict");
    assert.equal(await sentBy(ourSender.address), beforeConflict);
  });

  // Switched on by the configuration (X402KIT_BATCH_SETTLEMENT_KEY), on each journal backend.
  for (const [storeName, backendOf] of Object.entries(STORES)) {
    const backend = backendOf();
    before(() => backend.setup());
    after(() => backend.teardown());
    test(`behavior: a claim not mined in time is pending with its hash; after a restart the retry answers from the chain (${storeName})`, async () => {
      const sender = privateKeyToAccount(HARDHAT_KEYS[4]);
      const journal = await backend.fresh();
      const start = () =>
        startFacilitator({
          privateKeys: [HARDHAT_KEYS[5]],
          networks: [{ network: NETWORK, rpcUrl: node.rpcUrl, assets: [token.address] }],
          ...journal.config,
          settleTimeoutMs: 500,
          batchSettlement: { privateKey: HARDHAT_KEYS[4] },
        });
      const D = channelConfig(storeName === "SQLite" ? 20 : 21);
      assert.equal((await ours.post("/settle", body(await depositPayload(D)))).body.success, true);
      const claim = body(await claimPayload([{ config: D, max: PRICE, total: PRICE }]));
      const testClient = createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) });
      const sent = await sentBy(sender.address);
      let second: RunningFacilitator | undefined;
      try {
        let first: RunningFacilitator | undefined = await start();
        await testClient.setAutomine(false);
        const pending = (await first.post("/settle", claim)).body;
        assert.equal(pending.success, false);
        assert.equal(pending.errorReason, "settlement_pending", JSON.stringify(pending));
        assert.match(pending.transaction, /^0x[0-9a-f]{64}$/);
        await first.close();
        first = undefined;
        second = await start(); // rebroadcasts the journaled bytes
        await testClient.mine({ blocks: 1 });
        await testClient.setAutomine(true);
        const settled = (await second.post("/settle", claim)).body;
        assert.equal(settled.success, true, JSON.stringify(settled));
        assert.equal(settled.transaction, pending.transaction, "the same transaction, not a second one");
        assert.equal(await sentBy(sender.address), sent + 1);
        const [, totalClaimed] = (await chain.publicClient.readContract({
          address: BATCH_SETTLEMENT_ADDRESS,
          abi: x402BatchSettlementAbi,
          functionName: "channels",
          args: [idOf(D)],
        })) as readonly [bigint, bigint];
        assert.equal(totalClaimed, PRICE);
      } finally {
        await testClient.setAutomine(true);
        await second?.close();
      }
    });
  }

  test("behavior: vouchers of one block share one channel read; a deposit sent by another facilitator is seen at once", async () => {
    const counting = await startCountingRpcProxy(node.rpcUrl);
    const sender = privateKeyToAccount(keccak256(toHex("batch-settlement test cache sender")));
    await createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) }).setBalance({
      address: sender.address,
      value: 10n ** 19n,
    });
    // A head learnt once a minute: without the re-read before a refusal, the deposit below would stay unseen.
    const cached = await startFacilitator(
      {
        privateKeys: [keccak256(toHex("batch-settlement test cache lane"))],
        networks: [{ network: NETWORK, rpcUrl: counting.url, assets: [token.address] }],
        blockPollIntervalMs: 60_000,
      },
      { batchSettlement: { account: sender } },
    );
    try {
      const E = channelConfig(40);
      const unfunded = (await cached.post("/verify", body(await voucherPayload(E, PRICE)))).body;
      assert.equal(unfunded.invalidReason, "invalid_batch_settlement_evm_channel_not_found");
      const funded = await official.settle(body(await depositPayload(E)));
      assert.equal(funded.success, true, JSON.stringify(funded));
      const first = (await cached.post("/verify", body(await voucherPayload(E, PRICE)))).body;
      assert.equal(first.isValid, true, JSON.stringify(first));
      assert.equal(first.extra.balance, DEPOSIT.toString());

      const vouchers = await Promise.all(Array.from({ length: 40 }, (_, i) => voucherPayload(E, PRICE + BigInt(i))));
      const calls = counting.count("eth_call");
      const answers = await Promise.all(vouchers.map(async (v) => (await cached.post("/verify", body(v))).body));
      assert.deepEqual(
        answers.map((a) => a.isValid),
        vouchers.map(() => true),
      );
      assert.equal(counting.count("eth_call") - calls, 0, "40 vouchers of the same block read nothing more");

      // Our own write forgets what was read: a claim through this facilitator is seen by the next voucher.
      const claimed = await cached.post(
        "/settle",
        body(await claimPayload([{ config: E, max: 2n * PRICE, total: 2n * PRICE }])),
      );
      assert.equal(claimed.body.success, true, JSON.stringify(claimed.body));
      const below = (await cached.post("/verify", body(await voucherPayload(E, 2n * PRICE)))).body;
      assert.equal(below.invalidReason, "invalid_batch_settlement_evm_cumulative_below_claimed");
    } finally {
      await cached.close();
      await counting.close();
    }
  });

  test("behavior: deposits waiting together share one transaction; one that fails on chain fails alone", async () => {
    const proxy = await startCountingRpcProxy(node.rpcUrl);
    const sender = privateKeyToAccount(keccak256(toHex("batch-settlement test coalescing sender")));
    const testClient = createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) });
    await testClient.setBalance({ address: sender.address, value: 10n ** 19n });
    const coalescing = await startFacilitator(
      {
        privateKeys: [keccak256(toHex("batch-settlement test coalescing lane"))],
        networks: [{ network: NETWORK, rpcUrl: proxy.url, assets: [token.address] }],
      },
      { batchSettlement: { account: sender } },
    );
    const [W, A, B, Z] = [70, 71, 72, 73].map((n) => channelConfig(n)) as [
      ReturnType<typeof channelConfig>,
      ReturnType<typeof channelConfig>,
      ReturnType<typeof channelConfig>,
      ReturnType<typeof channelConfig>,
    ];
    const nonceOf = () => chain.publicClient.getTransactionCount({ address: sender.address, blockTag: "pending" });
    try {
      const start = await nonceOf();
      await testClient.setAutomine(false);
      // W holds the sender's lock while its gas estimate is slow; A, B and Z are checked meanwhile and wait for it.
      proxy.delay("eth_estimateGas", 400);
      const estimates = proxy.count("eth_estimateGas");
      const w = coalescing.post("/settle", body(await depositPayload(W)));
      await untilTrue(async () => proxy.count("eth_estimateGas") > estimates, "W's estimate");
      const rest = await Promise.all([A, B, Z].map((c) => depositPayload(c)));
      const answers = rest.map((payload) => coalescing.post("/settle", body(payload)));
      await untilTrue(async () => (await nonceOf()) === start + 2, "two transactions in the pool");
      proxy.delay("eth_estimateGas", 0);
      // Before the block, the payer cancels Z's authorization with a higher tip: Z's call in the shared transaction
      // fails, A's and B's do not.
      const zId = idOf(Z);
      const zNonce = keccak256(
        encodeAbiParameters(
          [{ type: "bytes32" }, { type: "uint256" }],
          [zId, BigInt(keccak256(toHex(`${zId}:${DEPOSIT}`)))],
        ),
      );
      const cancel = await paritySigner.signTypedData({
        domain: { name: token.name, version: token.version, chainId: 84532, verifyingContract: token.address },
        types: cancelAuthorizationTypes,
        primaryType: "CancelAuthorization",
        message: { authorizer: paritySigner.address, nonce: zNonce },
      });
      await chain.wallet(HARDHAT_KEYS[0]).writeContract({
        address: token.address,
        abi: testUsdcAbi,
        functionName: "cancelAuthorization",
        args: [paritySigner.address, zNonce, cancel],
        account: privateKeyToAccount(HARDHAT_KEYS[0]),
        chain: chain.publicClient.chain,
        gas: 150_000n, // not estimated: an estimate would run after the pool, where Z already used the nonce
        maxPriorityFeePerGas: 100n * 10n ** 9n,
        maxFeePerGas: 200n * 10n ** 9n,
      });
      await testClient.mine({ blocks: 1 });
      await testClient.setAutomine(true);
      const [wAnswer, aAnswer, bAnswer, zAnswer] = (await Promise.all([w, ...answers])).map((r) => r.body);
      assert.equal(wAnswer.success, true, JSON.stringify(wAnswer));
      assert.equal(aAnswer.success, true, JSON.stringify(aAnswer));
      assert.equal(bAnswer.success, true, JSON.stringify(bAnswer));
      assert.equal(aAnswer.transaction, bAnswer.transaction, "A and B in one transaction");
      assert.notEqual(aAnswer.transaction, wAnswer.transaction);
      assert.equal(zAnswer.success, false, JSON.stringify(zAnswer));
      assert.equal(zAnswer.errorReason, "invalid_batch_settlement_evm_deposit_transaction_failed");
      assert.equal(zAnswer.transaction, aAnswer.transaction, "Z was in the same transaction");
      assert.equal(await chain.publicClient.getTransactionCount({ address: sender.address }), start + 2);
      const balanceOfChannel = async (config: ReturnType<typeof channelConfig>) => (await channelOf(config))[0];
      assert.deepEqual(
        await Promise.all([W, A, B, Z].map(balanceOfChannel)),
        [DEPOSIT, DEPOSIT, DEPOSIT, 0n],
        "each channel holds what its own call moved",
      );
      // Asked again, each deposit answers what it answered: the journal holds every key of the shared transaction.
      const again = await coalescing.post("/settle", body(rest[1]));
      assert.deepEqual(again.body, bAnswer);
    } finally {
      proxy.delay("eth_estimateGas", 0);
      await testClient.setAutomine(true);
      await coalescing.close();
      await proxy.close();
    }
  });

  test("behavior: under signer leases the sender's lease holder sends; SIGKILLed, the survivor takes the sender over after expiry, reconciles and sends on; nothing twice", {
    timeout: 180_000,
  }, async () => {
    const postgres = await startPostgres();
    const url = await postgres.database();
    const senderKey = keccak256(toHex("batch-settlement test leased sender"));
    const sender = privateKeyToAccount(senderKey).address;
    const testClient = createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) });
    await testClient.setBalance({ address: sender, value: 10n ** 19n });
    const children: ChildFacilitator[] = [];
    const spawn = async (lane: string) => {
      const child = await spawnFacilitator({
        PORT: "0",
        EVM_PRIVATE_KEYS: keccak256(toHex(`batch-settlement test leased lane ${lane}`)),
        EVM_NETWORK: NETWORK,
        EVM_RPC_URL: node.rpcUrl,
        X402KIT_ASSETS: token.address,
        DATABASE_URL: url,
        X402KIT_SIGNER_LEASES: "1",
        X402KIT_LEASE_TTL_MS: "3000",
        X402KIT_BATCH_SETTLEMENT_KEY: senderKey,
      });
      children.push(child);
      return child;
    };
    const post = async (child: ChildFacilitator, path: string, payload: unknown) => {
      const response = await fetch(`${child.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
      });
      const answer = (await response.json()) as {
        success?: boolean;
        isValid?: boolean;
        reason?: string;
        transaction?: string;
      };
      return { status: response.status, retryAfter: response.headers.get("retry-after"), body: answer };
    };
    const holds = async (child: ChildFacilitator) =>
      (((await (await fetch(`${child.url}/health`)).json()) as { leases?: { signer: string }[] }).leases ?? []).some(
        (l) => l.signer.toLowerCase() === sender.toLowerCase(),
      );
    const leaseRow = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT holder, token FROM signer_leases WHERE signer = $1", [
          sender.toLowerCase(),
        ]);
        return rows[0] as { holder: string; token: string } | undefined;
      } finally {
        await client.end();
      }
    };
    const channel = channelOf;
    const [F, G] = [channelConfig(60), channelConfig(61)];
    const [depositF, depositG] = [body(await depositPayload(F)), body(await depositPayload(G))];
    const sent = await sentBy(sender);
    try {
      const a = await spawn("a");
      await until(async () => ((await holds(a)) ? true : undefined), "a holds the sender's lease");
      const b = await spawn("b");
      await until(async () => ((await (await fetch(`${b.url}/health`)).ok) ? true : undefined), "b serving");
      assert.equal(await holds(b), false, "the sender is a's");

      // The holder settles a deposit; the other instance verifies but does not send (503 not_writer).
      const first = await post(a, "/settle", depositF);
      assert.equal(first.body.success, true, JSON.stringify(first.body));
      assert.equal((await post(b, "/verify", depositG)).body.isValid, true, "verify works on every instance");
      const refused = await post(b, "/settle", depositG);
      assert.deepEqual([refused.status, refused.body.reason, refused.retryAfter], [503, "not_writer", "2"]);
      assert.equal(await sentBy(sender), sent + 1, "b sent nothing");

      // a journals and broadcasts G's deposit, and dies before it is mined.
      await testClient.setAutomine(false);
      const pendingBefore = await chain.publicClient.getTransactionCount({ address: sender, blockTag: "pending" });
      const lost = post(a, "/settle", depositG);
      lost.catch(() => undefined); // awaited below, after the kill
      await until(
        async () =>
          (await chain.publicClient.getTransactionCount({ address: sender, blockTag: "pending" })) > pendingBefore
            ? true
            : undefined,
        "a broadcast the deposit",
      );
      a.child.kill("SIGKILL");
      assert.equal(await a.exited, "SIGKILL");
      await assert.rejects(lost, "a's caller lost its connection");
      // Dropped from the mempool too: only b's reconciliation (the journaled bytes re-sent) can get it mined.
      const [pending] = (await chain.publicClient.request({
        method: "eth_pendingTransactions" as never,
      })) as unknown as { hash: Hex }[];
      assert.ok(pending, "the deposit waits in the mempool");
      await testClient.dropTransaction({ hash: pending.hash });

      await until(async () => ((await holds(b)) ? true : undefined), "b takes the sender over", 30_000);
      assert.match(b.output(), /took over an expired signer lease/);
      assert.equal((await leaseRow())?.token, "2", "one acquisition after a's");
      const metrics = await (await fetch(`${b.url}/metrics`)).text();
      assert.match(metrics, /x402kit_signer_leases_held 2/, "its lane's lease and the sender's");
      await until(
        async () =>
          (await chain.publicClient.getTransactionCount({ address: sender, blockTag: "pending" })) > pendingBefore
            ? true
            : undefined,
        "b re-sent the journaled deposit",
      );
      await testClient.setAutomine(true);
      await testClient.mine({ blocks: 1 });

      // The retry through b answers from the journaled transaction; the next write goes out through b.
      const retried = await post(b, "/settle", depositG);
      assert.equal(retried.body.success, true, JSON.stringify(retried.body));
      const claim = await post(
        b,
        "/settle",
        body(
          await claimPayload([
            { config: F, max: PRICE, total: PRICE },
            { config: G, max: PRICE, total: PRICE },
          ]),
        ),
      );
      assert.equal(claim.body.success, true, JSON.stringify(claim.body));
      assert.equal(await sentBy(sender), sent + 3, "two deposits and one claim: nothing sent twice");
      assert.deepEqual(await channel(F), [DEPOSIT, PRICE]);
      assert.deepEqual(await channel(G), [DEPOSIT, PRICE], "G deposited once");

      // A graceful stop hands the sender's lease back.
      b.child.kill("SIGTERM");
      assert.equal(await b.exited, 0, b.output());
      assert.equal((await leaseRow())?.holder, "", "handed back");
    } catch (error) {
      for (const [i, child] of children.entries()) console.log(`# instance ${i}:\n${child.output().slice(-6_000)}`);
      throw error;
    } finally {
      await testClient.setAutomine(true);
      for (const child of children) child.child.kill("SIGKILL");
      await Promise.all(children.map((c) => c.exited));
      await postgres.stop();
    }
  });
});
