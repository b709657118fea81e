/**
 * `batch-settlement` deposits through Permit2 with our facilitator, on a local Hardhat node set up as
 * `startDevnet({ token: "erc20" })` sets it up: Multicall3 and Permit2 at their canonical addresses, x402kit's
 * X402BatchSettlement and both deposit collectors at the official addresses, TestERC20 (no EIP-3009, with EIP-2612).
 *
 * - the official `@x402/fetch` batch-settlement client pays an official `@x402/express` route
 *   (`assetTransferMethod: "permit2"`) whose facilitator is ours: a Permit2 deposit, vouchers, one claim, one sweep;
 * - parity: the official facilitator (`@x402/core` + `@x402/evm` batch-settlement, in process) and ours answer the
 *   same refusals of a Permit2 deposit with the same reason, on verify and on settle (where nothing is sent);
 * - the EIP-2612 branch: a payer that never approved Permit2 deposits with a signed permit in the same call;
 * - idempotency: the same deposit twice is one transaction; another payload under its Permit2 nonce is refused;
 *   a deposit not mined in time is pending with its hash, and after a restart the retry answers that transaction.
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
import { BatchSettlementEvmScheme as BatchSettlementServerScheme } from "@x402/evm/batch-settlement/server";
import { paymentMiddleware, x402ResourceServer } from "@x402/express";
import { wrapFetchWithPayment } from "@x402/fetch";
import {
  BATCH_SETTLEMENT_ADDRESS,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
  ensureMulticall3,
  ensurePermit2,
  erc3009DepositCollectorAbi,
  erc3009DepositCollectorBytecode,
  PERMIT2_ADDRESS,
  PERMIT2_DEPOSIT_COLLECTOR_ADDRESS,
  permit2DepositCollectorAbi,
  permit2DepositCollectorBytecode,
  testErc20Abi,
  testErc20Bytecode,
  x402BatchSettlementAbi,
  x402BatchSettlementBytecode,
} from "@x402kit/bindings";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
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
  publicActions,
  toHex,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { HARDHAT_KEYS, type LocalChain, localChain } from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { officialSigner } from "./helpers/officialFacilitator.js";
import { STORES } from "./helpers/stores.js";

const NETWORK = "eip155:84532";
const CHAIN_ID = 84532;
const PRICE = 10_000n;
const DEPOSIT = 50_000n;
const FUNDS = 100_000_000n;
const WITHDRAW_DELAY = 900;
/** Pays the route through the official client (approved Permit2). */
const routePayer = privateKeyToAccount(HARDHAT_KEYS[7]);
/** Signs the hand-built payloads (approved Permit2). */
const paritySigner = privateKeyToAccount(HARDHAT_KEYS[9]);
/** Holds TestERC20 but never approved Permit2. */
const unapproved = privateKeyToAccount(HARDHAT_KEYS[8]);
const ourSender = privateKeyToAccount(HARDHAT_KEYS[2]);
const officialSender = privateKeyToAccount(HARDHAT_KEYS[3]);
const receiverAuthorizer = privateKeyToAccount(keccak256(toHex("batch-settlement permit2 test receiver authorizer")));
const payee = privateKeyToAccount(keccak256(toHex("batch-settlement permit2 test payee"))).address;
const stranger = privateKeyToAccount(keccak256(toHex("batch-settlement permit2 test stranger")));

type Token = { address: Address; name: string; version: string };

/** Permit2, X402BatchSettlement and both collectors at their addresses; TestERC20 funded; Permit2 approved by some. */
async function installPermit2BatchStack(chain: LocalChain): Promise<Token> {
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
    [x402BatchSettlementAbi, x402BatchSettlementBytecode, BATCH_SETTLEMENT_ADDRESS],
    [erc3009DepositCollectorAbi, erc3009DepositCollectorBytecode, ERC3009_DEPOSIT_COLLECTOR_ADDRESS],
    [permit2DepositCollectorAbi, permit2DepositCollectorBytecode, PERMIT2_DEPOSIT_COLLECTOR_ADDRESS],
  ] as const) {
    const code = await chain.publicClient.getCode({ address: await deploy(abi as Abi, bytecode as Hex) });
    await testClient.setCode({ address: getAddress(official), bytecode: code as Hex });
  }
  const address = await deploy(testErc20Abi as Abi, testErc20Bytecode as Hex, ["Test ERC20", "TERC20", 6, 10n ** 12n]);
  for (const [key, approve] of [
    [HARDHAT_KEYS[7], true],
    [HARDHAT_KEYS[9], true],
    [HARDHAT_KEYS[8], false],
  ] as const) {
    const wallet = chain.wallet(key);
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
    await send("faucet", [wallet.account!.address, FUNDS]);
    if (approve) await send("approve", [PERMIT2_ADDRESS, maxUint256]);
  }
  return { address, name: "Test ERC20", version: "1" };
}

/** The official facilitator, in process, answering as its HTTP routes would serialise. */
function officialBatchFacilitator(chain: LocalChain) {
  const wallet = createWalletClient({
    account: officialSender,
    chain: chain.publicClient.chain,
    transport: http(chain.url),
  }).extend(publicActions);
  const facilitator = new x402Facilitator().register(
    NETWORK,
    new BatchSettlementFacilitatorScheme(officialSigner(wallet)),
  );
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

/** `PermitWitnessTransferFrom` with the deposit witness, as the official batch-settlement client signs it. */
const depositPermit2Types = {
  PermitWitnessTransferFrom: [
    { name: "permitted", type: "TokenPermissions" },
    { name: "spender", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
    { name: "witness", type: "DepositWitness" },
  ],
  TokenPermissions: [
    { name: "token", type: "address" },
    { name: "amount", type: "uint256" },
  ],
  DepositWitness: [{ name: "channelId", type: "bytes32" }],
} as const;

describe("batch-settlement Permit2 deposits with this facilitator (local chain 84532, TestERC20)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let ours: RunningFacilitator;
  let official: ReturnType<typeof officialBatchFacilitator>;
  let resourceUrl: string;
  let serverScheme: BatchSettlementServerScheme;
  let facilitatorClient: HTTPFacilitatorClient;
  const servers: Server[] = [];

  const balanceOf = (account: Address) =>
    chain.publicClient.readContract({
      address: token.address,
      abi: testErc20Abi,
      functionName: "balanceOf",
      args: [account],
    });
  const sentBy = (address: Address) => chain.publicClient.getTransactionCount({ address });
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
      assetTransferMethod: "permit2",
      receiverAuthorizer: receiverAuthorizer.address,
      withdrawDelay: WITHDRAW_DELAY,
    },
    ...overrides,
  });
  const body = (payload: unknown, extensions?: Record<string, unknown>, reqs = requirements()) => ({
    x402Version: 2,
    paymentPayload: { x402Version: 2, accepted: reqs, payload, ...(extensions ? { extensions } : {}) },
    paymentRequirements: reqs,
  });

  before(async () => {
    node = await startHardhatNode({ chainId: CHAIN_ID });
    chain = localChain(node.rpcUrl, node.chainId);
    token = await installPermit2BatchStack(chain);
    ours = await startFacilitator(
      {
        privateKeys: [HARDHAT_KEYS[1]],
        networks: [{ network: NETWORK, rpcUrl: node.rpcUrl, assets: [token.address] }],
      },
      { batchSettlement: { account: ourSender } },
    );
    official = officialBatchFacilitator(chain);

    facilitatorClient = new HTTPFacilitatorClient({ url: ours.url });
    serverScheme = new BatchSettlementServerScheme(payee, {
      receiverAuthorizerSigner: receiverAuthorizer,
      withdrawDelay: WITHDRAW_DELAY,
    });
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
                extra: { name: token.name, version: token.version, assetTransferMethod: "permit2" },
              },
              extra: { minDeposit: DEPOSIT.toString() },
            },
            description: "A metered resource paid in any ERC-20",
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

  test("behavior: @x402/fetch pays an @x402/express route over a Permit2 deposit: vouchers, one claim, one sweep", async () => {
    const REQUESTS = 3;
    const before = { payer: await balanceOf(routePayer.address), payee: await balanceOf(payee) };
    const sent = await sentBy(ourSender.address);
    const scheme = new BatchSettlementClientScheme(toClientEvmSigner(routePayer, chain.publicClient as never));
    const pay = wrapFetchWithPayment(
      fetch,
      new x402Client()
        .setSpendControls({ allowedAssets: [{ network: NETWORK, asset: token.address }] })
        .register(NETWORK, scheme),
    );
    for (let r = 0; r < REQUESTS; r++) {
      const response = await pay(`${resourceUrl}/data`);
      assert.equal(response.status, 200, await response.clone().text());
      const header = response.headers.get("PAYMENT-RESPONSE");
      assert.ok(header);
      assert.equal(decodePaymentResponseHeader(header).success, true);
    }
    assert.equal(await balanceOf(routePayer.address), before.payer - DEPOSIT, "one Permit2 deposit");
    assert.equal(await sentBy(ourSender.address), sent + 1, "one deposit transaction, then vouchers only");
    const channelId = computeChannelId(
      scheme.buildChannelConfig({
        ...requirements(),
        extra: { receiverAuthorizer: receiverAuthorizer.address, withdrawDelay: WITHDRAW_DELAY },
      } as never),
      NETWORK,
    ) as Hex;
    const [balance] = (await chain.publicClient.readContract({
      address: BATCH_SETTLEMENT_ADDRESS,
      abi: x402BatchSettlementAbi,
      functionName: "channels",
      args: [channelId],
    })) as readonly [bigint, bigint];
    assert.equal(balance, DEPOSIT, "the channel holds the deposit");

    const manager = serverScheme.createChannelManager(facilitatorClient, NETWORK, token.address);
    const { claims, settle } = await manager.claimAndSettle();
    assert.equal(claims.length, 1, "one claim batch");
    assert.ok(settle);
    assert.equal(await sentBy(ourSender.address), sent + 3, "deposit, claimWithSignature, settle");
    assert.equal(await balanceOf(payee), before.payee + PRICE * BigInt(REQUESTS), "the payee got exactly the sum paid");
  });

  // Payloads built by hand (or by the official client for the EIP-2612 branch), for parity and idempotency.
  const channelConfig = (n: number, payer: Address = paritySigner.address) => ({
    payer,
    payerAuthorizer: zeroAddress,
    receiver: payee,
    receiverAuthorizer: receiverAuthorizer.address,
    token: token.address,
    withdrawDelay: WITHDRAW_DELAY,
    salt: toHex(n, { size: 32 }),
  });
  const idOf = (config: ReturnType<typeof channelConfig>) => computeChannelId(config as never, NETWORK) as Hex;
  const signVoucher = (channelId: Hex, max: bigint, by: LocalAccount) =>
    by.signTypedData({
      domain: {
        name: "x402 Batch Settlement",
        version: "1",
        chainId: CHAIN_ID,
        verifyingContract: BATCH_SETTLEMENT_ADDRESS,
      },
      types: {
        Voucher: [
          { name: "channelId", type: "bytes32" },
          { name: "maxClaimableAmount", type: "uint128" },
        ],
      },
      primaryType: "Voucher",
      message: { channelId, maxClaimableAmount: max },
    });
  let nonceSeq = 0n;
  const depositPayload = async (
    config: ReturnType<typeof channelConfig>,
    options: {
      by?: LocalAccount;
      amount?: bigint;
      permitted?: bigint;
      permittedToken?: Address;
      deadline?: bigint;
      spender?: Address;
      witness?: Hex;
      signer?: LocalAccount;
      max?: bigint;
      nonce?: bigint;
    } = {},
  ) => {
    const by = options.by ?? paritySigner;
    const channelId = idOf(config);
    const amount = options.amount ?? DEPOSIT;
    const authorization = {
      from: by.address,
      permitted: { token: options.permittedToken ?? token.address, amount: (options.permitted ?? amount).toString() },
      spender: options.spender ?? getAddress(PERMIT2_DEPOSIT_COLLECTOR_ADDRESS),
      nonce: (options.nonce ?? BigInt(keccak256(toHex(`permit2 deposit nonce ${++nonceSeq}`)))).toString(),
      deadline: (options.deadline ?? BigInt(Math.floor(Date.now() / 1000) + 3600)).toString(),
      witness: { channelId: options.witness ?? channelId },
    };
    const signature = await (options.signer ?? by).signTypedData({
      domain: { name: "Permit2", chainId: CHAIN_ID, verifyingContract: PERMIT2_ADDRESS },
      types: depositPermit2Types,
      primaryType: "PermitWitnessTransferFrom",
      message: {
        permitted: { token: authorization.permitted.token, amount: BigInt(authorization.permitted.amount) },
        spender: authorization.spender,
        nonce: BigInt(authorization.nonce),
        deadline: BigInt(authorization.deadline),
        witness: { channelId: authorization.witness.channelId },
      },
    });
    const max = options.max ?? PRICE;
    return {
      type: "deposit",
      channelConfig: config,
      voucher: { channelId, maxClaimableAmount: max.toString(), signature: await signVoucher(channelId, max, by) },
      deposit: { amount: amount.toString(), authorization: { permit2Authorization: { ...authorization, signature } } },
    };
  };
  /** The official client's deposit payload (and extensions) for a fresh channel of `payer`, with `eip2612GasSponsoring`. */
  const officialDeposit = async (payer: LocalAccount, salt: number) => {
    const scheme = new BatchSettlementClientScheme(toClientEvmSigner(payer, chain.publicClient as never), {
      salt: toHex(salt, { size: 32 }),
      depositPolicy: { depositMultiplier: 5 },
    } as never);
    const payment = await new x402Client()
      .setSpendControls({ allowedAssets: true })
      .register(NETWORK, scheme)
      .createPaymentPayload({
        x402Version: 2,
        resource: { url: "http://127.0.0.1/data", description: "test resource", mimeType: "application/json" },
        accepts: [requirements()],
        extensions: { eip2612GasSponsoring: {} },
      } as never);
    return payment as PaymentPayload & { payload: Awaited<ReturnType<typeof depositPayload>> };
  };

  /** Both facilitators verify the same body; validity, reason and payer must agree. */
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

  /** The refusals of a Permit2 deposit, each with the official facilitator's reason. */
  const refusals = async (): Promise<[string, ReturnType<typeof body>, string][]> => {
    const A = channelConfig(1);
    const now = BigInt(Math.floor(Date.now() / 1000));
    return [
      [
        "no Permit2 allowance",
        body(await depositPayload(channelConfig(2, unapproved.address), { by: unapproved })),
        "invalid_batch_settlement_evm_permit2_allowance_required",
      ],
      [
        "permitted amount is not the deposit",
        body(await depositPayload(A, { permitted: DEPOSIT + 1n })),
        "invalid_batch_settlement_evm_permit2_amount_mismatch",
      ],
      [
        "deadline expired",
        body(await depositPayload(A, { deadline: now - 1n })),
        "invalid_batch_settlement_evm_permit2_deadline_expired",
      ],
      [
        "deadline inside the 6 s margin",
        body(await depositPayload(A, { deadline: now + 3n })),
        "invalid_batch_settlement_evm_permit2_deadline_expired",
      ],
      [
        "signed by someone else",
        body(await depositPayload(A, { signer: stranger })),
        "invalid_batch_settlement_evm_permit2_invalid_signature",
      ],
      [
        "spender is not the Permit2 deposit collector",
        body(await depositPayload(A, { spender: getAddress(ERC3009_DEPOSIT_COLLECTOR_ADDRESS) })),
        "invalid_batch_settlement_evm_permit2_invalid_spender",
      ],
      [
        "witness is another channel",
        body(await depositPayload(A, { witness: idOf(channelConfig(3)) })),
        "invalid_batch_settlement_evm_channel_id_mismatch",
      ],
      [
        "from is not the channel's payer",
        body(await depositPayload(channelConfig(4, routePayer.address), { by: paritySigner })),
        "invalid_batch_settlement_evm_permit2_invalid_signature",
      ],
      [
        "voucher over the deposit",
        body(await depositPayload(A, { max: DEPOSIT + 1n })),
        "invalid_batch_settlement_evm_cumulative_exceeds_balance",
      ],
      [
        "deposit over the payer's balance",
        body(await depositPayload(A, { amount: FUNDS + 1n })),
        "invalid_batch_settlement_evm_insufficient_balance",
      ],
      [
        "permitted token is not the asset",
        body(await depositPayload(A, { permittedToken: payee })),
        "invalid_batch_settlement_evm_token_mismatch",
      ],
      [
        "ERC-20 approval gas sponsoring (not offered)",
        body(await depositPayload(channelConfig(2, unapproved.address), { by: unapproved }), {
          erc20ApprovalGasSponsoring: {
            info: {
              from: unapproved.address,
              asset: token.address,
              spender: PERMIT2_ADDRESS,
              amount: DEPOSIT.toString(),
              signedTransaction: "0x02",
              version: "1",
            },
          },
        }),
        "invalid_batch_settlement_evm_erc20_approval_unavailable",
      ],
      [
        "permit2 method without a Permit2 authorization",
        body({ ...(await depositPayload(A)), deposit: { amount: DEPOSIT.toString(), authorization: {} } }),
        "invalid_batch_settlement_evm_payload_type",
      ],
    ];
  };

  test("behavior: parity of Permit2 deposit verify refusals with the official facilitator", async () => {
    await sameVerify("valid Permit2 deposit", body(await depositPayload(channelConfig(1))), undefined);
    for (const [label, request, reason] of await refusals()) await sameVerify(label, request, reason);
  });

  test("behavior: parity of Permit2 deposit settle refusals with the official facilitator (nothing sent)", async () => {
    for (const [label, request, reason] of await refusals()) await sameSettleRefusal(label, request, reason);
  });

  test("behavior: EIP-2612 branch: a payer without Permit2 allowance deposits with a permit in the same call", async () => {
    const payment = await officialDeposit(unapproved, 50);
    const info = (
      payment.extensions as { eip2612GasSponsoring?: { info?: { amount: string } & Record<string, string> } }
    )?.eip2612GasSponsoring?.info;
    assert.ok(info, "the official client signed the token's permit for Permit2");
    const request = body(payment.payload, payment.extensions as Record<string, unknown>);
    await sameVerify("valid EIP-2612 deposit", request, undefined);
    await sameVerify(
      "EIP-2612 amount is not the deposit",
      body(payment.payload, { eip2612GasSponsoring: { info: { ...info, amount: `${BigInt(info.amount) + 1n}` } } }),
      "invalid_batch_settlement_evm_eip2612_amount_mismatch",
    );
    await sameVerify(
      "EIP-2612 permit of another spender",
      body(payment.payload, { eip2612GasSponsoring: { info: { ...info, spender: payee } } }),
      "eip2612_spender_not_permit2",
    );
    await sameVerify(
      "EIP-2612 permit malformed",
      body(payment.payload, { eip2612GasSponsoring: { info: { ...info, amount: "-1" } } }),
      "invalid_eip2612_extension_format",
    );
    const amount = BigInt(payment.payload.deposit.amount);
    const before = await balanceOf(unapproved.address);
    const sent = await sentBy(ourSender.address);
    const [first, second] = [await ours.post("/settle", request), await ours.post("/settle", request)];
    assert.equal(first.body.success, true, JSON.stringify(first.body));
    assert.equal(first.body.amount, amount.toString());
    assert.equal(first.body.extra.channelState.balance, amount.toString());
    assert.deepEqual(second.body, first.body, "the same deposit answers the same");
    assert.equal(await sentBy(ourSender.address), sent + 1, "one deposit transaction");
    assert.equal(await balanceOf(unapproved.address), before - amount);
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: first.body.transaction });
    assert.equal(getAddress(receipt.to ?? zeroAddress), getAddress(BATCH_SETTLEMENT_ADDRESS));
  });

  test("behavior: the same Permit2 deposit twice is one transaction; another payload under its nonce is refused", async () => {
    const B = channelConfig(10);
    const nonce = BigInt(keccak256(toHex("permit2 deposit idempotency nonce")));
    const deposit = body(await depositPayload(B, { nonce }));
    const before = await balanceOf(paritySigner.address);
    const sent = await sentBy(ourSender.address);
    const answers = await Promise.all(Array.from({ length: 5 }, () => ours.post("/settle", deposit)));
    assert.equal(answers[0]?.body.success, true, JSON.stringify(answers[0]?.body));
    for (const a of answers) assert.deepEqual(a.body, answers[0]?.body);
    assert.equal(await sentBy(ourSender.address), sent + 1, "one deposit transaction");
    assert.equal(await balanceOf(paritySigner.address), before - DEPOSIT);

    // Same Permit2 nonce (Permit2's replay key), another voucher: refused before anything is signed.
    const conflicting = body(await depositPayload(B, { nonce, max: 2n * PRICE }));
    const refused = await ours.post("/settle", conflicting);
    assert.equal(refused.body.success, false);
    assert.equal(refused.body.errorReason, "invalid_batch_settlement_evm_idempotency_conflict");
    assert.equal(await sentBy(ourSender.address), sent + 1);
  });
  test("behavior: a Permit2 deposit not mined in time is pending with its hash; after a restart the retry answers from the chain", async () => {
    const backend = STORES.SQLite?.();
    assert.ok(backend, "the SQLite journal backend");
    await backend.setup();
    const journal = await backend.fresh();
    const sender = privateKeyToAccount(HARDHAT_KEYS[4]);
    const start = () =>
      startFacilitator({
        privateKeys: [HARDHAT_KEYS[5]],
        networks: [{ network: NETWORK, rpcUrl: node.rpcUrl, assets: [token.address] }],
        ...journal.config,
        settleTimeoutMs: 500,
        batchSettlement: { privateKey: HARDHAT_KEYS[4] },
      });
    const deposit = body(await depositPayload(channelConfig(20)));
    const testClient = createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) });
    const sent = await sentBy(sender.address);
    const before = await balanceOf(paritySigner.address);
    let first: RunningFacilitator | undefined;
    let second: RunningFacilitator | undefined;
    try {
      first = await start();
      await testClient.setAutomine(false);
      const pending = (await first.post("/settle", deposit)).body;
      assert.equal(pending.success, false);
      assert.equal(pending.errorReason, "settlement_pending", JSON.stringify(pending));
      assert.match(pending.transaction, /^0x[0-9a-f]{64}$/);
      await first.close();
      first = undefined;
      second = await start(); // rebroadcasts the journaled bytes
      await testClient.mine({ blocks: 1 });
      await testClient.setAutomine(true);
      const settled = (await second.post("/settle", deposit)).body;
      assert.equal(settled.success, true, JSON.stringify(settled));
      assert.equal(settled.transaction, pending.transaction, "the same transaction, not a second one");
      assert.equal(await sentBy(sender.address), sent + 1);
      assert.equal(await balanceOf(paritySigner.address), before - DEPOSIT, "deposited once");
    } finally {
      await testClient.setAutomine(true);
      await first?.close();
      await second?.close();
      await backend.teardown();
    }
  });
});
