/**
 * The official x402 facilitator, wired the obvious way: `@x402/core`'s `x402Facilitator` with the EVM
 * `exact` scheme from `@x402/evm` (v2) and its `batch-settlement` scheme, one key, every default, served by Express with the three routes
 * of the x402 example facilitator (`examples/typescript/facilitator`). Run as a child process by the
 * bench:
 *
 *   PORT=… EVM_PRIVATE_KEY=0x… EVM_RPC_URL=http://127.0.0.1:8545 EVM_NETWORK=eip155:31337 \
 *     BLOCK_TIME_MS=2000 node --import tsx src/facilitators/officialServer.ts
 *
 * The viem chain carries `blockTime`, as viem's definitions of Base and Base Sepolia do (2 s), so viem's
 * own defaults apply as they would there (receipt polling every blockTime / 2).
 */
import { x402Facilitator } from "@x402/core/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { BatchSettlementEvmScheme } from "@x402/evm/batch-settlement/facilitator";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import express from "express";
import { createWalletClient, defineChain, type Hex, http, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const env = process.env;
const network = (env.EVM_NETWORK ?? "eip155:31337") as `${string}:${string}`;
const chainId = Number(network.split(":")[1]);
const rpcUrl = env.EVM_RPC_URL ?? "http://127.0.0.1:8545";
const blockTime = Number(env.BLOCK_TIME_MS ?? "2000");

const account = privateKeyToAccount(env.EVM_PRIVATE_KEY as Hex);
const chain = defineChain({
  id: chainId,
  name: `local-${chainId}`,
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [rpcUrl] } },
  ...(blockTime > 0 ? { blockTime } : {}),
});
const viemClient = createWalletClient({ account, chain, transport: http() }).extend(publicActions);

const signer = toFacilitatorEvmSigner({
  address: account.address,
  getCode: (args) => viemClient.getCode(args),
  readContract: (args) => viemClient.readContract({ ...args, args: args.args ?? [] } as never),
  verifyTypedData: (args) => viemClient.verifyTypedData(args as never),
  writeContract: (args) => viemClient.writeContract({ ...args, args: args.args ?? [] } as never),
  sendTransaction: (args) => viemClient.sendTransaction(args),
  waitForTransactionReceipt: (args) => viemClient.waitForTransactionReceipt(args),
});

const facilitator = new x402Facilitator();
registerExactEvmScheme(facilitator, { signer, networks: network });
// The batch-settlement scheme too (used by the batch-settlement bench; it does not change `exact`'s path).
facilitator.register(network, new BatchSettlementEvmScheme(signer));

type Body = { paymentPayload?: PaymentPayload; paymentRequirements?: PaymentRequirements };

const app = express();
app.use(express.json());

app.post("/verify", async (req, res) => {
  try {
    const { paymentPayload, paymentRequirements } = req.body as Body;
    if (!paymentPayload || !paymentRequirements) {
      res.status(400).json({ error: "Missing paymentPayload or paymentRequirements" });
      return;
    }
    res.json(await facilitator.verify(paymentPayload, paymentRequirements));
  } catch (error) {
    res.status(500).json({ error: error instanceof Error ? error.message : "Unknown error" });
  }
});

app.post("/settle", async (req, res) => {
  try {
    const { paymentPayload, paymentRequirements } = req.body as Body;
    if (!paymentPayload || !paymentRequirements) {
      res.status(400).json({ error: "Missing paymentPayload or paymentRequirements" });
      return;
    }
    res.json(await facilitator.settle(paymentPayload, paymentRequirements));
  } catch (error) {
    res.status(500).json({ error: error instanceof Error ? error.message : "Unknown error" });
  }
});

app.get("/supported", (_req, res) => {
  res.json(facilitator.getSupported());
});

const server = app.listen(Number(env.PORT ?? "4022"), "127.0.0.1", () => {
  console.log(`Facilitator listening on http://127.0.0.1:${env.PORT}`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
