import { join } from "node:path";
import { HTTPFacilitatorClient } from "@x402/core/server";
import { BatchSettlementEvmScheme } from "@x402/evm/batch-settlement/server";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { paymentMiddlewareFromHTTPServer, x402HTTPResourceServer, x402ResourceServer } from "@x402/hono";
import {
  type ChannelScheduler,
  type ChannelTick,
  createChannelScheduler,
  createSqliteChannelStorage,
} from "@x402kit/facilitator/channels";
import { Hono } from "hono";
import { type Address, formatUnits, type LocalAccount, type PublicClient } from "viem";
import type { DevnetToken } from "./deployContracts.js";
import { listen } from "./internal/listen.js";

/** A priced route of the demo API. */
export type DemoRoute = {
  readonly method: "GET";
  readonly path: string;
  /** Price in test USDC atomic units (6 decimals). */
  readonly price: bigint;
  readonly description: string;
};

/** The demo API's paid routes. */
export const DEMO_ROUTES: readonly DemoRoute[] = [
  { method: "GET", path: "/weather", price: 1_000n, description: "Current weather in a made-up city" },
  { method: "GET", path: "/quote", price: 2_500n, description: "A quote for the day" },
  { method: "GET", path: "/report", price: 10_000n, description: "A one-paragraph market report" },
];

/**
 * The demo API's `batch-settlement` route: paid per request with a cumulative voucher over one channel (a deposit
 * on the first request), claimed and swept by x402kit's claim scheduler.
 */
export const DEMO_CHANNEL_ROUTE: DemoRoute = {
  method: "GET",
  path: "/stream",
  price: 1_000n,
  description: "One chunk of a metered stream, paid per request over a payment channel (batch-settlement)",
};
/** What a payer deposits into its channel on its first `/stream` request (the route's `extra.minDeposit`). */
export const DEMO_CHANNEL_DEPOSIT = 100n * DEMO_CHANNEL_ROUTE.price;
/** The channels' withdraw delay (seconds). */
export const DEMO_CHANNEL_WITHDRAW_DELAY = 900;

/** The `batch-settlement` part of the demo API. */
export type DemoChannelsParameters = {
  /** Signs the channels' claims and refunds (advertised to clients as `receiverAuthorizer`). */
  receiverAuthorizer: LocalAccount;
  /** Where the channels' vouchers are kept (SQLite, `@x402kit/facilitator/channels`): they survive a restart. */
  dataDir: string;
  /** Reads the channel contract (withdrawal requests) for the scheduler. */
  publicClient: PublicClient;
  /** X402BatchSettlement. */
  batchSettlement: Address;
};

/** The demo API's channels: claim them now (the scheduler also claims on its own, and everything on close). */
export type DemoChannels = {
  route: DemoRoute;
  scheduler: ChannelScheduler;
  /** Claims every channel's latest voucher and sweeps to `payTo`, now. */
  claimAll(): Promise<ChannelTick>;
};

export type StartDemoApiParameters = {
  /** Port on 127.0.0.1 (0 = a free one). */
  port: number;
  /** CAIP-2 network, e.g. `eip155:31337`. */
  network: `eip155:${number}`;
  token: DevnetToken;
  /** Who is paid: the demo agent's verified `agentWallet`. */
  payTo: Address;
  /** Our facilitator. */
  facilitatorUrl: string;
  /** Adds {@link DEMO_CHANNEL_ROUTE} (the token must have ERC-3009 `receiveWithAuthorization`). */
  channels?: DemoChannelsParameters | undefined;
  /**
   * How the `exact` routes are paid: `eip3009` (default), or `permit2` for a token without EIP-3009 (TestERC20):
   * `extra.assetTransferMethod: "permit2"`, settled through the `x402ExactPermit2Proxy`.
   */
  assetTransferMethod?: "eip3009" | "permit2" | undefined;
};

/** The running demo API. */
export type DemoApi = {
  url: string;
  routes: readonly DemoRoute[];
  /** The `batch-settlement` route and its claim scheduler, when `channels` was given. */
  channels: DemoChannels | undefined;
  /** Stops serving, claims what the channels still hold, closes their storage. */
  close(): Promise<void>;
};

/**
 * Starts the demo paid API: a Hono app behind the official `@x402/hono` payment middleware (x402 v2),
 * whose facilitator is ours over HTTP. `GET /` lists the routes and prices for free; every route of
 * {@link DEMO_ROUTES} answers 402 until paid in test USDC.
 *
 * @param parameters - {@link StartDemoApiParameters}
 * @returns The running API.
 * @throws {PortInUseError} When the port is taken.
 */
export async function startDemoApi(parameters: StartDemoApiParameters): Promise<DemoApi> {
  const { network, token, payTo } = parameters;
  const facilitatorClient = new HTTPFacilitatorClient({ url: parameters.facilitatorUrl });
  const resourceServer = new x402ResourceServer(facilitatorClient).register(network, new ExactEvmScheme());
  const channelOptions = parameters.channels;
  const storage = channelOptions
    ? createSqliteChannelStorage({ path: join(channelOptions.dataDir, "channels.sqlite") })
    : undefined;
  const channelScheme =
    channelOptions && storage
      ? new BatchSettlementEvmScheme(payTo, {
          receiverAuthorizerSigner: channelOptions.receiverAuthorizer,
          withdrawDelay: DEMO_CHANNEL_WITHDRAW_DELAY,
          storage,
        })
      : undefined;
  if (channelScheme) resourceServer.register(network, channelScheme);
  const channelRoute = channelScheme
    ? {
        [`${DEMO_CHANNEL_ROUTE.method} ${DEMO_CHANNEL_ROUTE.path}`]: {
          accepts: {
            scheme: "batch-settlement",
            network,
            payTo,
            price: {
              amount: DEMO_CHANNEL_ROUTE.price.toString(),
              asset: token.address,
              extra: { name: token.name, version: token.version },
            },
            extra: { minDeposit: DEMO_CHANNEL_DEPOSIT.toString() },
          },
          description: DEMO_CHANNEL_ROUTE.description,
          mimeType: "application/json",
        },
      }
    : {};
  const httpServer = new x402HTTPResourceServer(resourceServer, {
    ...channelRoute,
    ...Object.fromEntries(
      DEMO_ROUTES.map((route) => [
        `${route.method} ${route.path}`,
        {
          accepts: {
            scheme: "exact",
            network,
            payTo,
            // A custom token: the amount in atomic units and its EIP-712 name and version.
            price: {
              amount: route.price.toString(),
              asset: token.address,
              extra:
                parameters.assetTransferMethod === "permit2"
                  ? { assetTransferMethod: "permit2" }
                  : { name: token.name, version: token.version },
            },
          },
          description: route.description,
          mimeType: "application/json",
        },
      ]),
    ),
  });
  // Fetch /supported now, so a facilitator that does not know the network fails start-up, not a request.
  await httpServer.initialize();

  let served = 0;
  const app = new Hono();
  app.get("/", (c) =>
    c.json({
      name: "x402kit demo API",
      network,
      payTo,
      asset: token.address,
      routes: [...DEMO_ROUTES, ...(channelScheme ? [DEMO_CHANNEL_ROUTE] : [])].map((route) => ({
        route: `${route.method} ${route.path}`,
        price: `${formatUnits(route.price, token.decimals)} ${token.symbol}`,
        description: route.description,
      })),
    }),
  );
  app.use(paymentMiddlewareFromHTTPServer(httpServer, undefined, undefined, false));
  app.get("/weather", (c) => {
    served++;
    return c.json({ city: "Devnet City", temperatureC: 18 + (served % 7), sky: served % 2 ? "clear" : "cloudy" });
  });
  app.get("/quote", (c) => {
    served++;
    const quotes = ["Pay per call, not per month.", "Every request is a receipt.", "402 is a feature."];
    return c.json({ quote: quotes[served % quotes.length] });
  });
  app.get("/report", (c) => {
    served++;
    return c.json({ report: `Request #${served}: settlement volume is up; gas per payment is down.` });
  });

  app.get(DEMO_CHANNEL_ROUTE.path, (c) => {
    served++;
    return c.json({ chunk: served, data: `tick ${served}: ${"▁▂▃▅▇"[served % 5]}` });
  });

  let channels: DemoChannels | undefined;
  if (channelScheme && channelOptions && storage) {
    const scheduler = createChannelScheduler({
      manager: channelScheme.createChannelManager(facilitatorClient, network, token.address),
      storage,
      // Claim a channel once it holds 50 requests' worth, or when its payer asks to withdraw; the rest on close.
      policy: { channelThreshold: 50n * DEMO_CHANNEL_ROUTE.price },
      chain: { publicClient: channelOptions.publicClient, batchSettlement: channelOptions.batchSettlement },
    });
    scheduler.start();
    channels = { route: DEMO_CHANNEL_ROUTE, scheduler, claimAll: () => scheduler.tick({ flush: true }) };
  }
  let server: Awaited<ReturnType<typeof listen>>;
  try {
    server = await listen({ fetch: app.fetch, port: parameters.port, service: "demo API" });
  } catch (error) {
    await channels?.scheduler.stop({ flush: false });
    storage?.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    routes: DEMO_ROUTES,
    channels,
    close() {
      closing ??= (async () => {
        await server.close();
        // What the channels still hold is claimed before the facilitator stops (the devnet closes it later).
        await channels?.scheduler.stop({ flush: true }).catch(() => undefined);
        storage?.close();
      })();
      return closing;
    },
  };
}
