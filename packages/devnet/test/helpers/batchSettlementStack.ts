/**
 * The official x402 `batch-settlement` stack (`@x402/core` + `@x402/evm` 2.27, unmodified) on a running devnet: the
 * official facilitator (`x402Facilitator` + the batch-settlement facilitator scheme, as the x402 examples wire it)
 * served over HTTP on 127.0.0.1, and an official `@x402/hono` resource server with one `GET /data` route paid with
 * `batch-settlement` in the devnet's token, its channels kept in `storage` (the official in-memory storage unless
 * given). Keys: none is a devnet account, so nothing else writes with them.
 */
import { x402Client } from "@x402/core/client";
import { x402Facilitator } from "@x402/core/facilitator";
import { HTTPFacilitatorClient } from "@x402/core/server";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { toClientEvmSigner, toFacilitatorEvmSigner } from "@x402/evm";
import {
  BatchSettlementEvmScheme as BatchSettlementClientScheme,
  computeChannelId,
} from "@x402/evm/batch-settlement/client";
import { BatchSettlementEvmScheme as BatchSettlementFacilitatorScheme } from "@x402/evm/batch-settlement/facilitator";
import {
  type BatchSettlementChannelManager,
  BatchSettlementEvmScheme as BatchSettlementServerScheme,
  type ChannelStorage,
} from "@x402/evm/batch-settlement/server";
import { wrapFetchWithPayment } from "@x402/fetch";
import { paymentMiddlewareFromHTTPServer, x402HTTPResourceServer, x402ResourceServer } from "@x402/hono";
import { Hono } from "hono";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  type LocalAccount,
  parseEther,
  publicActions,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Devnet } from "../../src/index.js";
import { listen } from "../../src/internal/listen.js";

export const PRICE = 10_000n; // 0.01 USDC per request
export const DEPOSIT = 50_000n; // each payer's one deposit: the route's announced minimum (`extra.minDeposit`)
export const WITHDRAW_DELAY = 900;

export const facilitatorAccount = privateKeyToAccount(keccak256(toHex("official batch-settlement facilitator")));
export const receiverAuthorizer = privateKeyToAccount(
  keccak256(toHex("official batch-settlement receiver authorizer")),
);
export const payee = privateKeyToAccount(keccak256(toHex("official batch-settlement payee"))).address;

const json = (value: unknown) =>
  new Response(
    JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    { headers: { "content-type": "application/json" } },
  );

/** The running stack. */
export type BatchSettlementStack = {
  facilitatorUrl: string;
  resourceUrl: string;
  /** The official channel manager of the resource server (claim, settle, refund). */
  manager: BatchSettlementChannelManager;
  /** A paying fetch for `payer`: the official batch-settlement client behind `@x402/fetch`. */
  payingFetch(payer: LocalAccount): {
    pay: typeof fetch;
    channelId: Hex;
    channelConfig: ReturnType<BatchSettlementClientScheme["buildChannelConfig"]>;
  };
  close(): Promise<void>;
};

/**
 * Starts the official facilitator and resource server on `devnet`.
 *
 * @param devnet - A running devnet (its chain, token and the batch-settlement contracts at the official addresses).
 * @param options - `storage`: the resource server's channel storage (default: the official in-memory one).
 * @returns The stack; `close()` stops both servers.
 */
export async function startBatchSettlementStack(
  devnet: Devnet,
  options: { storage?: ChannelStorage } = {},
): Promise<BatchSettlementStack> {
  const closers: (() => Promise<void>)[] = [];
  const client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
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
  const facilitator = new x402Facilitator().register(devnet.network, new BatchSettlementFacilitatorScheme(signer));
  const facilitatorApp = new Hono();
  type Body = { paymentPayload: PaymentPayload; paymentRequirements: PaymentRequirements };
  facilitatorApp.get("/supported", () => json(facilitator.getSupported()));
  facilitatorApp.post("/verify", async (c) => {
    const body = await c.req.json<Body>();
    return json(await facilitator.verify(body.paymentPayload, body.paymentRequirements));
  });
  facilitatorApp.post("/settle", async (c) => {
    const body = await c.req.json<Body>();
    return json(await facilitator.settle(body.paymentPayload, body.paymentRequirements));
  });
  try {
    const facilitatorServer = await listen({ fetch: facilitatorApp.fetch, port: 0, service: "official facilitator" });
    closers.push(facilitatorServer.close);

    const facilitatorClient = new HTTPFacilitatorClient({ url: facilitatorServer.url });
    const serverScheme = new BatchSettlementServerScheme(payee, {
      receiverAuthorizerSigner: receiverAuthorizer,
      withdrawDelay: WITHDRAW_DELAY,
      ...(options.storage === undefined ? {} : { storage: options.storage }),
    });
    const resourceServer = new x402ResourceServer(facilitatorClient).register(devnet.network, serverScheme);
    const token = devnet.contracts.token;
    const httpServer = new x402HTTPResourceServer(resourceServer, {
      "GET /data": {
        accepts: {
          scheme: "batch-settlement",
          network: devnet.network,
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
    });
    await httpServer.initialize();
    let served = 0;
    const app = new Hono();
    app.use(paymentMiddlewareFromHTTPServer(httpServer, undefined, undefined, false));
    app.get("/data", (c) => c.json({ served: ++served }));
    const resource = await listen({ fetch: app.fetch, port: 0, service: "resource server" });
    closers.push(resource.close);

    return {
      facilitatorUrl: facilitatorServer.url,
      resourceUrl: resource.url,
      manager: serverScheme.createChannelManager(facilitatorClient, devnet.network, token.address),
      payingFetch(payer) {
        const scheme = new BatchSettlementClientScheme(toClientEvmSigner(payer, client as never));
        const x402 = new x402Client()
          .setSpendControls({ allowedAssets: [{ network: devnet.network, asset: token.address }] })
          .register(devnet.network, scheme);
        const channelConfig = scheme.buildChannelConfig({
          scheme: "batch-settlement",
          network: devnet.network,
          asset: token.address,
          amount: PRICE.toString(),
          payTo: payee,
          maxTimeoutSeconds: 300,
          extra: { receiverAuthorizer: receiverAuthorizer.address, withdrawDelay: WITHDRAW_DELAY },
        });
        const channelId = computeChannelId(channelConfig, devnet.network);
        return { pay: wrapFetchWithPayment(fetch, x402), channelId, channelConfig };
      },
      async close() {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close();
    throw error;
  }
}
