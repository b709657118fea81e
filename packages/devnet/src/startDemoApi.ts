import { HTTPFacilitatorClient } from "@x402/core/server";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { paymentMiddlewareFromHTTPServer, x402HTTPResourceServer, x402ResourceServer } from "@x402/hono";
import { Hono } from "hono";
import { type Address, formatUnits } from "viem";
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
};

/** The running demo API. */
export type DemoApi = {
  url: string;
  routes: readonly DemoRoute[];
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
  const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: parameters.facilitatorUrl })).register(
    network,
    new ExactEvmScheme(),
  );
  const httpServer = new x402HTTPResourceServer(
    resourceServer,
    Object.fromEntries(
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
              extra: { name: token.name, version: token.version },
            },
          },
          description: route.description,
          mimeType: "application/json",
        },
      ]),
    ),
  );
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
      routes: DEMO_ROUTES.map((route) => ({
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

  const server = await listen({ fetch: app.fetch, port: parameters.port, service: "demo API" });
  return { url: server.url, routes: DEMO_ROUTES, close: server.close };
}
