/**
 * `startDevnet({ token: "usdc" })`: Circle's FiatToken v2.2 bytecode behind its FiatTokenProxy, initialised as Base
 * Sepolia USDC, is the payment token; the official x402 client pays the demo API through our facilitator in both
 * settlement modes, and the demo agent settles on it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import { decodePaymentResponseHeader } from "@x402/core/http";
import { registerExactEvmScheme } from "@x402/evm/exact/client";
import { wrapFetchWithPayment } from "@x402/fetch";
import { testUsdcAbi } from "@x402kit/bindings";
import { type Address, createPublicClient, type Hex, http, parseEventLogs, sliceHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Devnet, FIAT_TOKEN_PROXY_ADMIN, PAYER_USDC, runDemoAgent, startDevnet } from "../src/index.js";

/** ERC-1967 admin and implementation slots, where FiatTokenProxy (an AdminUpgradeabilityProxy) keeps them. */
const ADMIN_SLOT = "0x10d6a54a4754c8869d6886b5f5d7fbfa5b4522237ea5c60d11bc4e7a1ff9390b";
const IMPLEMENTATION_SLOT = "0x7050c9e0f4ca769c69bd3a8ef740bc37934f8e2c036e5a723fd8ee048ed3f8c3";

/** The FiatToken read functions the test needs beyond ERC-20 (`version()` and the pause flag). */
const fiatTokenAbi = [
  ...testUsdcAbi,
  { type: "function", name: "paused", stateMutability: "view", inputs: [], outputs: [{ type: "bool" }] },
  { type: "function", name: "currency", stateMutability: "view", inputs: [], outputs: [{ type: "string" }] },
] as const;

let batched: Devnet;
let direct: Devnet;

before(async () => {
  [batched, direct] = await Promise.all([
    startDevnet({ token: "usdc", demo: true, accounts: 2 }),
    startDevnet({ token: "usdc", demo: true, accounts: 2, mode: "direct" }),
  ]);
});
after(async () => {
  await Promise.all([batched?.stop(), direct?.stop()]);
});

const clientOf = (devnet: Devnet) => createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
const addressIn = (word: Hex | undefined): Address => sliceHex(word ?? "0x", 12) as Address;

/** Pays `GET /weather` with the official x402 v2 client; returns the settlement transaction and the price. */
async function payWeatherWithOfficialClient(devnet: Devnet, payerIndex: number) {
  const payer = devnet.accounts.payers[payerIndex];
  assert.ok(payer && devnet.demoApiUrl);
  // The official client pays only its default assets unless told otherwise; the devnet's USDC is not at Base
  // Sepolia's address, so it is listed, with a per-payment cap.
  const client = new x402Client().setSpendControls({
    allowedAssets: [{ network: devnet.network, asset: devnet.contracts.token.address, maxAmountPerPayment: "100000" }],
  });
  registerExactEvmScheme(client, { signer: privateKeyToAccount(payer.privateKey) });
  const response = await wrapFetchWithPayment(fetch, client)(`${devnet.demoApiUrl}/weather`);
  assert.equal(response.status, 200, await response.clone().text());
  const header = response.headers.get("PAYMENT-RESPONSE");
  assert.ok(header, "PAYMENT-RESPONSE header");
  const settled = decodePaymentResponseHeader(header);
  assert.equal(settled.success, true);
  const price = devnet.demoRoutes.find((route) => route.path === "/weather")?.price;
  assert.ok(price);
  return { payer: payer.address, transaction: settled.transaction as Hex, price };
}

describe("devnet on Circle's FiatToken v2.2 (--token usdc)", () => {
  test("default: the token is FiatToken v2.2 behind its proxy, initialised as Base Sepolia USDC", async () => {
    for (const devnet of [batched, direct]) {
      const client = clientOf(devnet);
      const token = devnet.contracts.token;
      assert.deepEqual(
        { kind: token.kind, name: token.name, symbol: token.symbol, version: token.version, decimals: token.decimals },
        { kind: "usdc", name: "USDC", symbol: "USDC", version: "2", decimals: 6 },
      );
      assert.notEqual(token.address.toLowerCase(), devnet.contracts.addresses.testUsdc.toLowerCase());
      const read = (functionName: "paused" | "currency") =>
        client.readContract({ address: token.address, abi: fiatTokenAbi, functionName });
      assert.equal(await read("currency"), "USD");
      assert.equal(await read("paused"), false);
      const admin = await client.getStorageAt({ address: token.address, slot: ADMIN_SLOT });
      assert.equal(addressIn(admin).toLowerCase(), FIAT_TOKEN_PROXY_ADMIN.toLowerCase());
      const implementation = addressIn(
        await client.getStorageAt({ address: token.address, slot: IMPLEMENTATION_SLOT }),
      );
      assert.match((await client.getCode({ address: implementation })) ?? "0x", /^0x[0-9a-f]{200,}$/);
      for (const payer of devnet.accounts.payers) {
        assert.equal(
          await client.readContract({
            address: token.address,
            abi: fiatTokenAbi,
            functionName: "balanceOf",
            args: [payer.address],
          }),
          PAYER_USDC,
        );
      }
      assert.equal(devnet.env.TOKEN_ADDRESS, token.address);
      assert.match(readFileSync(devnet.envFile, "utf8"), new RegExp(`^TOKEN_ADDRESS=${token.address}$`, "m"));
    }
  });

  test("behavior: the official x402 client pays the demo API in USDC, batched and direct", async () => {
    for (const devnet of [batched, direct]) {
      const client = clientOf(devnet);
      const paid = await payWeatherWithOfficialClient(devnet, 0);
      const receipt = await client.getTransactionReceipt({ hash: paid.transaction });
      assert.equal(receipt.status, "success");
      // Direct mode calls the token; batched mode the router, which calls the token.
      const expectedTo = devnet.mode === "direct" ? devnet.contracts.token.address : devnet.contracts.router;
      assert.equal(receipt.to?.toLowerCase(), expectedTo.toLowerCase(), devnet.mode);
      const transfers = parseEventLogs({ abi: testUsdcAbi, eventName: "Transfer", logs: receipt.logs }).filter(
        (log) => log.address.toLowerCase() === devnet.contracts.token.address.toLowerCase(),
      );
      assert.deepEqual(
        transfers.map(({ args }) => [args.from.toLowerCase(), args.to.toLowerCase(), args.value]),
        [[paid.payer.toLowerCase(), devnet.agent.wallet.toLowerCase(), paid.price]],
        devnet.mode,
      );
    }
  });

  test("behavior: the demo agent's paid calls settle on USDC", async () => {
    const report = await runDemoAgent(batched, { calls: 3, feedback: false });
    assert.equal(report.payments.length, 3, JSON.stringify(report.failures));
    const client = clientOf(batched);
    for (const payment of report.payments) {
      const receipt = await client.getTransactionReceipt({ hash: payment.transaction as Hex });
      assert.equal(receipt.status, "success");
      const transfers = parseEventLogs({ abi: testUsdcAbi, eventName: "Transfer", logs: receipt.logs });
      assert.ok(
        transfers.some((log) => log.address.toLowerCase() === batched.contracts.token.address.toLowerCase()),
        "a Transfer on the FiatToken",
      );
    }
  });
});
