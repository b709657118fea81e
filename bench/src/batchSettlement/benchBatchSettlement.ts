/**
 * `pnpm bench batch`: the `batch-settlement` scheme end to end, the official facilitator and ours in the same run on
 * the same chain set-up and contracts (x402kit's X402BatchSettlement and ERC3009DepositCollector at the official
 * addresses): at each level, C channels paying N requests each, all channels at once, through an official resource
 * server and the official client. Reports vouchers per second, voucher and deposit latency, and on-chain gas per
 * payment (deposits + claims + sweep over all payments), next to `exact` from `gas.json`.
 */
import { ensureMulticall3 } from "@x402kit/bindings";
import { installBatchSettlement } from "@x402kit/devnet";
import { startHardhatNode } from "@x402kit/hardhat-node";
import { privateKeyToAccount } from "viem/accounts";
import { CHANNEL_SENDER_KEY, DEPLOYER_KEY, FACILITATOR_KEY, setupChain } from "../chain/setupChain.js";
import { FacilitatorUnavailableError, startFacilitator } from "../facilitators/startFacilitator.js";
import { describeMachine, type Machine } from "../machine.js";
import { type BatchSettlementRun, runBatchSettlement } from "./runBatchSettlement.js";

/** One level: C channels × N payments per channel, the channels opened one after another or all at once. */
export type BatchSettlementLevel = {
  channels: number;
  paymentsPerChannel: number;
  opening: "sequential" | "concurrent";
};

export type BatchSettlementParameters = {
  levels: BatchSettlementLevel[];
  /** Token units per request. */
  price: number;
  requestTimeoutMs: number;
  /** Voucher `/verify` straight at the facilitator: closed-loop concurrency, open-loop rate, time of each. */
  direct: { concurrency: number; offeredPerSecond: number; durationMs: number };
};

/** One facilitator at one level. */
export type BatchSettlementOutcome =
  | ({ status: "measured" } & BatchSettlementRun)
  | { status: "not supported" | "error"; note: string };

/** `bench/results/batch-settlement.json`. */
export type BatchSettlementResults = {
  description: string;
  machine: Machine;
  parameters: BatchSettlementParameters;
  levels: { level: BatchSettlementLevel; official: BatchSettlementOutcome; ours: BatchSettlementOutcome }[];
};

async function runOne(
  kind: "official" | "batched",
  level: BatchSettlementLevel,
  parameters: BatchSettlementParameters,
): Promise<BatchSettlementOutcome> {
  const node = await startHardhatNode();
  try {
    const chain = await setupChain(node.rpcUrl, node.chainId, {
      payers: level.channels,
      payees: 1,
      fundsPerPayer: BigInt(parameters.price) * BigInt(level.paymentsPerChannel) * 2n,
      blockTimeMs: 0,
    });
    const deployer = privateKeyToAccount(DEPLOYER_KEY);
    await ensureMulticall3({ provider: chain.publicClient });
    await installBatchSettlement({
      rpcUrl: node.rpcUrl,
      chain: chain.chain,
      deployer: { address: deployer.address, privateKey: DEPLOYER_KEY },
    });
    let facilitator: Awaited<ReturnType<typeof startFacilitator>>;
    try {
      facilitator = await startFacilitator(kind, {
        rpcUrl: node.rpcUrl,
        chainId: node.chainId,
        privateKey: FACILITATOR_KEY,
        signer: privateKeyToAccount(FACILITATOR_KEY).address,
        router: chain.router,
        blockTimeMs: 0,
        batchSettlementKey: CHANNEL_SENDER_KEY,
      });
    } catch (error) {
      if (error instanceof FacilitatorUnavailableError) return { status: "not supported", note: error.message };
      throw error;
    }
    try {
      const supported = (await (await fetch(`${facilitator.url}/supported`)).json()) as {
        kinds?: { scheme?: string; x402Version?: number }[];
      };
      if (!supported.kinds?.some((k) => k.scheme === "batch-settlement" && k.x402Version === 2)) {
        return { status: "not supported", note: "/supported lists no batch-settlement kind" };
      }
      const run = await runBatchSettlement({
        rpcUrl: node.rpcUrl,
        network: `eip155:${node.chainId}`,
        publicClient: chain.publicClient,
        token: chain.token,
        facilitatorUrl: facilitator.url,
        payers: chain.payers,
        paymentsPerChannel: level.paymentsPerChannel,
        opening: level.opening,
        price: BigInt(parameters.price),
        requestTimeoutMs: parameters.requestTimeoutMs,
        facilitatorPid: facilitator.child.process.pid,
        direct: parameters.direct,
      });
      return { status: "measured", ...run };
    } finally {
      await facilitator.stop();
    }
  } catch (error) {
    return { status: "error", note: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  } finally {
    await node.stop();
  }
}

export async function benchBatchSettlement(
  parameters: BatchSettlementParameters,
  log: (line: string) => void,
): Promise<BatchSettlementResults> {
  const levels: BatchSettlementResults["levels"] = [];
  for (const level of parameters.levels) {
    const name = `${level.channels} channels × ${level.paymentsPerChannel} payments, opened ${level.opening === "concurrent" ? "all at once" : "one by one"}`;
    log(`  ${name}: official …`);
    const official = await runOne("official", level, parameters);
    log(`  ${name}: ours …`);
    const ours = await runOne("batched", level, parameters);
    levels.push({ level, official, ours });
  }
  return {
    description:
      "batch-settlement end to end: C channels × N paid requests through an official @x402/hono resource server and the official client, facilitator under test; gas = deposits + claims + sweep over all payments",
    machine: describeMachine(),
    parameters,
    levels,
  };
}
