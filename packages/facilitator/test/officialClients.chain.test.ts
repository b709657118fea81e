import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import { decodePaymentResponseHeader } from "@x402/core/http";
import { HTTPFacilitatorClient } from "@x402/core/server";
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402/express";
import { wrapFetchWithPayment } from "@x402/fetch";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import express from "express";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { paymentMiddleware as legacyPaymentMiddleware } from "x402-express";
import { wrapFetchWithPayment as legacyWrapFetchWithPayment } from "x402-fetch";
import { balanceOf, deployRouter, HARDHAT_KEYS, localChain, type Token } from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { TOKENS } from "./helpers/tokens.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const PRICE = 2_500n;
const modes = ["direct", "batched"] as const;
type Mode = (typeof modes)[number];

/**
 * The real official packages, not stubs: `@x402/fetch` paying an `@x402/express` route (v2), and the
 * legacy `x402-fetch` paying an `x402-express` route (v1), both resource servers using our facilitator
 * over HTTP, in both settlement modes (direct, and batched through the BatchSettlementRouter), on both tokens:
 * our TestUSDC and Circle's FiatToken v2.2 bytecode behind its proxy. Chain id 84532, because the legacy packages
 * only know named networks.
 */
for (const [tokenName, deployToken] of Object.entries(TOKENS)) {
  describe(`official x402 clients and servers with this facilitator (local chain 84532, ${tokenName})`, () => {
    let node: HardhatNode;
    let token: Token;
    const servers: Server[] = [];
    const stacks = new Map<Mode, { f: RunningFacilitator; v2Url: string; v1Url: string }>();
    const listen = async (app: express.Express): Promise<string> => {
      const server: Server = await new Promise((resolve) => {
        const s = app.listen(0, "127.0.0.1", () => resolve(s));
      });
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };

    /** Our facilitator in `mode`, an official v2 resource server and a legacy v1 one, both using it. */
    const startStack = async (mode: Mode, router: Address) => {
      const f = await startFacilitator({
        privateKeys: [mode === "direct" ? HARDHAT_KEYS[1] : HARDHAT_KEYS[2]],
        networks: [{ network: "eip155:84532", rpcUrl: node.rpcUrl, assets: [token.address], router }],
        mode,
        batch: { maxWaitMs: 50 },
      });
      const resourceServer = new x402ResourceServer(new HTTPFacilitatorClient({ url: f.url })).register(
        "eip155:84532",
        new ExactEvmServerScheme(),
      );
      const v2App = express();
      v2App.use(
        paymentMiddleware(
          {
            "GET /report": {
              accepts: {
                scheme: "exact",
                network: "eip155:84532",
                payTo,
                price: {
                  amount: PRICE.toString(),
                  asset: token.address,
                  extra: { name: token.name, version: token.version },
                },
              },
              description: "Weather report",
              mimeType: "application/json",
            },
          },
          resourceServer,
        ),
      );
      v2App.get("/report", (_req, res) => {
        res.json({ report: "sunny" });
      });

      const v1App = express();
      v1App.use(
        legacyPaymentMiddleware(
          payTo,
          {
            "GET /report": {
              price: {
                amount: PRICE.toString(),
                asset: { address: token.address, decimals: 6, eip712: { name: token.name, version: token.version } },
              },
              network: "base-sepolia",
              config: { description: "Weather report", mimeType: "application/json" },
            },
          },
          { url: f.url as `${string}://${string}` },
        ),
      );
      v1App.get("/report", (_req, res) => {
        res.json({ report: "sunny" });
      });
      stacks.set(mode, { f, v2Url: await listen(v2App), v1Url: await listen(v1App) });
    };
    const stack = (mode: Mode) => stacks.get(mode) as NonNullable<ReturnType<typeof stacks.get>>;

    before(async () => {
      node = await startHardhatNode({ chainId: 84532 });
      const chain = localChain(node.rpcUrl, node.chainId);
      token = await deployToken(chain, [payer.address]);
      const router = await deployRouter(chain);
      for (const mode of modes) await startStack(mode, router);
    });

    after(async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      for (const { f } of stacks.values()) await f.close();
      await node?.stop();
    });

    for (const mode of modes) {
      test(`default: @x402/fetch pays an @x402/express route (v2, ${mode}); the settlement carries proofOfPayment`, async () => {
        const client = new x402Client();
        registerExactEvmScheme(client, { signer: payer });
        client.setSpendControls({ allowedAssets: true });
        const pay = wrapFetchWithPayment(fetch, client);
        const before = await balanceOf(token, payTo);
        const response = await pay(`${stack(mode).v2Url}/report`);
        assert.equal(response.status, 200, await response.clone().text());
        assert.deepEqual(await response.json(), { report: "sunny" });
        const header = response.headers.get("PAYMENT-RESPONSE");
        assert.ok(header, "PAYMENT-RESPONSE header");
        const settlement = decodePaymentResponseHeader(header);
        assert.equal(settlement.success, true);
        assert.equal(settlement.network, "eip155:84532");
        assert.equal(settlement.payer, payer.address);
        assert.deepEqual((settlement.extensions as Record<string, unknown> | undefined)?.proofOfPayment, {
          fromAddress: payer.address,
          toAddress: payTo,
          chainId: 84532,
          txHash: settlement.transaction,
        });
        assert.equal(await balanceOf(token, payTo), before + PRICE);
        await assertCarrier(mode, settlement.transaction as Hex);
      });

      test(`default: legacy x402-fetch pays a legacy x402-express route (v1, ${mode})`, async () => {
        const pay = legacyWrapFetchWithPayment(fetch, payer, 10_000n);
        const before = await balanceOf(token, payTo);
        const response = await pay(`${stack(mode).v1Url}/report`);
        assert.equal(response.status, 200, await response.clone().text());
        assert.deepEqual(await response.json(), { report: "sunny" });
        const header = response.headers.get("X-PAYMENT-RESPONSE");
        assert.ok(header, "X-PAYMENT-RESPONSE header");
        const settlement = JSON.parse(Buffer.from(header, "base64").toString("utf8")) as Record<string, unknown>;
        assert.equal(settlement.success, true);
        assert.equal(settlement.network, "base-sepolia");
        assert.equal(settlement.payer, payer.address);
        assert.equal(await balanceOf(token, payTo), before + PRICE);
        await assertCarrier(mode, settlement.transaction as Hex);
      });
    }

    /** Direct mode pays through the token itself, batched mode through the router. */
    async function assertCarrier(mode: Mode, hash: Hex) {
      const tx = await localChain(node.rpcUrl, node.chainId).publicClient.getTransaction({ hash });
      const routerAddress = stack(mode).f.facilitator.config.networks[0]?.router;
      assert.equal(tx.to?.toLowerCase(), (mode === "direct" ? token.address : routerAddress)?.toLowerCase());
    }

    test("behavior: /supported lists the network in both spellings, the signers and the extensions", async () => {
      const supported = await stack("direct").f.get("/supported");
      assert.deepEqual(supported.body, {
        kinds: [
          { x402Version: 2, scheme: "exact", network: "eip155:84532" },
          { x402Version: 1, scheme: "exact", network: "base-sepolia" },
        ],
        extensions: [],
        signers: { "eip155:*": [privateKeyToAccount(HARDHAT_KEYS[1]).address] },
      });
    });
  });
}
