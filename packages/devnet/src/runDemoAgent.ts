import { x402Client } from "@x402/core/client";
import { decodePaymentResponseHeader } from "@x402/core/http";
import { toClientEvmSigner } from "@x402/evm";
import { BatchSettlementEvmScheme } from "@x402/evm/batch-settlement/client";
import { wrapFetchWithPayment as wrapFetchWithChannelPayment } from "@x402/fetch";
import { reputationRegistryAbi, testUsdcAbi } from "@x402kit/bindings";
import { buildFeedbackFile, type ProofOfPayment, proofOfPaymentFromSettlement } from "@x402kit/signer/erc8004";
import { type FetchWithPayment, getPaymentResult, wrapFetchWithPayment } from "@x402kit/signer/fetch";
import type { Address, Hash, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DevnetAccount } from "./accounts.js";
import { DevnetError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";
import { smartWalletAccount } from "./smartWallets.js";
import type { Devnet } from "./startDevnet.js";

export type RunDemoAgentParameters = {
  /** Paid calls to make. Default 20. */
  calls?: number | undefined;
  /** Calls in flight at once. Default `min(calls, 8)`. */
  concurrency?: number | undefined;
  /**
   * Paid calls to the `batch-settlement` route, all from `PAYER_1` over one channel (a deposit, then vouchers), then
   * claimed and swept at once. Default 0 (skipped; `pnpm start` makes 20); skipped too with smart-wallet payers.
   */
  channelCalls?: number | undefined;
  /** Submit ERC-8004 feedback for the demo agent afterwards. Default `true`. */
  feedback?: boolean | undefined;
  /** Called after every call. */
  onProgress?: ((progress: DemoProgress) => void) | undefined;
};

/** Progress of the demo run. */
export type DemoProgress = { done: number; total: number; paid: number; failed: number };

/** One paid call. */
export type DemoPayment = {
  route: string;
  payer: Address;
  /** Atomic units of test USDC. */
  amount: bigint;
  /** The settlement transaction. */
  transaction: Hash;
};

/** One settlement transaction and the payments it carried. */
export type DemoTransaction = { hash: Hash; payments: number; gasUsed: bigint; blockNumber: bigint };

/** Balances at one moment. */
export type DemoBalances = {
  /** Test USDC of each payer used. */
  payers: { address: Address; usdc: bigint }[];
  /** Test USDC of the demo agent's wallet (the `payTo`). */
  agentWallet: bigint;
  /** ETH of the facilitator's signers, summed (they pay the gas; one unless several instances share keys). */
  facilitatorEth: bigint;
};

/** The reputation feedback the demo client gave the demo agent. */
export type DemoFeedback = {
  transaction: Hash;
  /** The reviewer: `PAYER_1`, who paid. */
  clientAddress: Address;
  value: bigint;
  valueDecimals: number;
  tag1: string;
  tag2: string;
  endpoint: string;
  /** The feedback file as a base64 `data:` URI. */
  feedbackURI: string;
  /** keccak256 of the file's bytes. */
  feedbackHash: Hex;
  /** The x402 settlement behind the review. */
  proofOfPayment: ProofOfPayment;
  /** `getSummary(agentId, [clientAddress], tag1, "")` afterwards. */
  summary: { count: bigint; value: bigint; decimals: number };
};

/** What the `batch-settlement` part of the demo run did. */
export type DemoChannelReport = {
  route: string;
  payer: Address;
  /** Requests paid (the first with a deposit, the others with vouchers). */
  paid: number;
  failed: number;
  /** The first failure, if any. */
  firstError: string | undefined;
  /** Sum charged (token atomic units). */
  charged: bigint;
  /** The deposit transactions (sent by the facilitator's batch-settlement sender). */
  deposits: DemoTransaction[];
  /** Vouchers paid without a transaction. */
  vouchers: number;
  /** The `claimWithSignature` transactions and the sweep (`settle`) to `payTo`. */
  claims: DemoTransaction[];
  sweep: DemoTransaction | undefined;
  /** Gas of deposits, claims and the sweep. */
  gasUsed: bigint;
  /** `payTo`'s balance change over the channel part (must equal `charged`). */
  payeeDelta: bigint;
};

/** What the demo run did. */
export type DemoReport = {
  calls: number;
  payments: DemoPayment[];
  failures: { route: string; payer: Address; error: string }[];
  transactions: DemoTransaction[];
  /** Gas of every settlement transaction. */
  gasUsed: bigint;
  /** Test USDC paid in total. */
  totalPaid: bigint;
  before: DemoBalances;
  after: DemoBalances;
  /** The `batch-settlement` part, when it ran. */
  channels: DemoChannelReport | undefined;
  feedback: DemoFeedback | undefined;
  /** Why the feedback could not be given, when it was attempted and failed (the payments still stand). */
  feedbackError: string | undefined;
  durationMs: number;
};

/**
 * Runs the demo agent: our paying `fetch` (`wrapFetchWithPayment`, with a spending policy limited to
 * test USDC, 0.10 per call, and the demo agent's wallet as the only payee) makes `calls` paid calls to
 * the demo API, round-robin over its routes and the payers, then reads the settlement receipts and
 * balances, and `PAYER_1` gives the demo agent ERC-8004 feedback (`successRate`) whose file carries the
 * `proofOfPayment` of one of its settlements.
 *
 * @param devnet - A devnet started with `demo` enabled.
 * @param parameters - {@link RunDemoAgentParameters}
 * @returns The report.
 * @throws {DevnetError} When the devnet has no demo API.
 */
export async function runDemoAgent(devnet: Devnet, parameters: RunDemoAgentParameters = {}): Promise<DemoReport> {
  const startedAt = Date.now();
  const apiUrl = devnet.demoApiUrl;
  if (!apiUrl) throw new DevnetError("runDemoAgent needs a devnet started with the demo API (demo: true)");
  const calls = parameters.calls ?? 20;
  const concurrency = Math.max(1, Math.min(parameters.concurrency ?? 8, calls));
  const routes = devnet.demoRoutes;
  const owners = devnet.accounts.payers.slice(0, Math.max(1, Math.min(calls, devnet.accounts.payers.length)));
  // Who pays: each payer's key, or (smart-wallet payers) the counterfactual wallet it owns, signing ERC-6492.
  const smart = devnet.smartWallets;
  const payers = owners.map((owner, i) => {
    const wallet = smart?.wallets[i];
    return wallet && smart
      ? {
          owner,
          address: wallet.address,
          signer: smartWalletAccount({ factory: smart.factory, wallet, ownerPrivateKey: owner.privateKey }),
        }
      : { owner, address: owner.address, signer: privateKeyToAccount(owner.privateKey) };
  });
  const { token } = devnet.contracts;
  const reader = createDevnetClient({ rpcUrl: devnet.rpcUrl, chain: devnet.chain, account: devnet.accounts.deployer });

  const balances = async (): Promise<DemoBalances> => {
    const usdc = (address: Address) =>
      reader.readContract({ address: token.address, abi: testUsdcAbi, functionName: "balanceOf", args: [address] });
    return {
      payers: await Promise.all(
        payers.map(async (payer) => ({ address: payer.address, usdc: await usdc(payer.address) })),
      ),
      agentWallet: await usdc(devnet.agent.wallet),
      facilitatorEth: (
        await Promise.all(devnet.accounts.facilitatorSigners.map(({ address }) => reader.getBalance({ address })))
      ).reduce((sum, balance) => sum + balance, 0n),
    };
  };
  const before = await balances();

  const wallets = new Map<Address, FetchWithPayment>(
    payers.map((payer) => [
      payer.address,
      wrapFetchWithPayment(fetch, {
        signer: payer.signer,
        // TestERC20 (`--token erc20`): the demo API asks for Permit2; the payers approved it at start.
        permit2: true,
        policy: {
          assets: [
            {
              network: devnet.network,
              asset: token.address,
              maxAmountPerRequest: 100_000n,
              budgets: [{ amount: 1_000_000_000n, windowSeconds: 3_600 }],
            },
          ],
          payees: [devnet.agent.wallet],
        },
      }),
    ]),
  );

  const payments: DemoPayment[] = [];
  const failures: DemoReport["failures"] = [];
  const settlements = new Map<Address, Parameters<typeof proofOfPaymentFromSettlement>[0]>();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < calls) {
      const index = next++;
      const route = routes[index % routes.length] as (typeof routes)[number];
      const payer = payers[index % payers.length] as (typeof payers)[number];
      const pay = wallets.get(payer.address) as FetchWithPayment;
      try {
        const response = await pay(`${apiUrl}${route.path}`);
        const result = getPaymentResult({ response });
        await response.arrayBuffer();
        if (response.status !== 200 || result?.status !== "settled" || !result.settlement) {
          const reason = result?.settlement?.errorReason ?? `HTTP ${response.status}`;
          throw new Error(`not settled: ${reason}`);
        }
        payments.push({
          route: `${route.method} ${route.path}`,
          payer: payer.address,
          amount: BigInt(result.option.amount),
          transaction: result.settlement.transaction as Hash,
        });
        if (!settlements.has(payer.address)) {
          settlements.set(payer.address, { settlement: result.settlement, payTo: result.option.payTo as Address });
        }
      } catch (error) {
        failures.push({
          route: `${route.method} ${route.path}`,
          payer: payer.address,
          error:
            error instanceof Error
              ? ((error as { shortMessage?: string }).shortMessage ?? error.message)
              : String(error),
        });
      }
      done++;
      parameters.onProgress?.({ done, total: calls, paid: payments.length, failed: failures.length });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  const hashes = [...new Set(payments.map((payment) => payment.transaction))];
  const transactions: DemoTransaction[] = await Promise.all(
    hashes.map(async (hash) => {
      const receipt = await reader.getTransactionReceipt({ hash });
      return {
        hash,
        payments: payments.filter((payment) => payment.transaction === hash).length,
        gasUsed: receipt.gasUsed,
        blockNumber: receipt.blockNumber,
      };
    }),
  );
  transactions.sort((a, b) => (a.blockNumber === b.blockNumber ? 0 : a.blockNumber < b.blockNumber ? -1 : 1));

  const channelCalls = parameters.channelCalls ?? 0;
  const channels =
    devnet.demoChannels && channelCalls > 0 && !smart
      ? await payOverChannel({ devnet, apiUrl, calls: channelCalls, payer: payers[0]!.owner, reader })
      : undefined;
  const after = await balances();

  // Feedback comes after the payments: if it fails, the report of what was paid must still reach the user.
  let feedback: DemoFeedback | undefined;
  let feedbackError: string | undefined;
  // The first payer reviews (from its own key, with the proof of a payment it made, from its wallet if it has one).
  const first = payers[0] as (typeof payers)[number];
  const reviewer = first.owner;
  const settled = settlements.get(first.address);
  if ((parameters.feedback ?? true) && settled) {
    try {
      feedback = await giveDemoFeedback({
        devnet,
        reviewer,
        proofOfPayment: proofOfPaymentFromSettlement(settled),
        value: BigInt(Math.round((payments.length * 100) / calls)),
        endpoint: apiUrl,
      });
    } catch (error) {
      feedbackError = error instanceof Error ? error.message.split("\n")[0] : String(error);
    }
  }

  return {
    calls,
    payments,
    failures,
    transactions,
    gasUsed: transactions.reduce((sum, transaction) => sum + transaction.gasUsed, 0n),
    totalPaid: payments.reduce((sum, payment) => sum + payment.amount, 0n),
    before,
    after,
    channels,
    feedback,
    feedbackError,
    durationMs: Date.now() - startedAt,
  };
}

/**
 * The `batch-settlement` part: the official `@x402/evm` batch-settlement client behind `@x402/fetch` pays the demo
 * API's channel route `calls` times over one channel (whose facilitator is ours), then the API's claim scheduler
 * claims and sweeps; receipts and `payTo`'s balance are read from the chain.
 */
async function payOverChannel(parameters: {
  devnet: Devnet;
  apiUrl: string;
  calls: number;
  payer: DevnetAccount;
  reader: ReturnType<typeof createDevnetClient>;
}): Promise<DemoChannelReport> {
  const { devnet, apiUrl, calls, reader } = parameters;
  const channels = devnet.demoChannels!;
  const { token } = devnet.contracts;
  const payee = devnet.agent.wallet;
  const payeeBalance = () =>
    reader.readContract({ address: token.address, abi: testUsdcAbi, functionName: "balanceOf", args: [payee] });
  const payeeBefore = await payeeBalance();
  const account = privateKeyToAccount(parameters.payer.privateKey);
  const client = new x402Client()
    .setSpendControls({ allowedAssets: [{ network: devnet.network, asset: token.address }] })
    .register(devnet.network, new BatchSettlementEvmScheme(toClientEvmSigner(account, reader as never)));
  const pay = wrapFetchWithChannelPayment(fetch, client);
  const depositHashes: Hash[] = [];
  let paid = 0;
  let failed = 0;
  let firstError: string | undefined;
  let charged = 0n;
  for (let i = 0; i < calls; i++) {
    try {
      const response = await pay(`${apiUrl}${channels.route.path}`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      const header = response.headers.get("PAYMENT-RESPONSE");
      const settlement = header ? decodePaymentResponseHeader(header) : undefined;
      const transaction = settlement?.transaction;
      if (transaction && /^0x[0-9a-fA-F]{64}$/.test(transaction)) depositHashes.push(transaction as Hash);
      paid++;
      charged += channels.route.price;
    } catch (error) {
      failed++;
      firstError ??= error instanceof Error ? error.message.split("\n")[0] : String(error);
    }
  }
  const tick = await channels.claimAll();
  const transaction = async (hash: Hash, payments: number): Promise<DemoTransaction> => {
    const receipt = await reader.waitForTransactionReceipt({ hash });
    return { hash, payments, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber };
  };
  const deposits = await Promise.all([...new Set(depositHashes)].map((hash) => transaction(hash, 1)));
  const claims = await Promise.all(tick.transactions.map((hash) => transaction(hash as Hash, 0)));
  const sweep = tick.settled ? await transaction(tick.settled as Hash, 0) : undefined;
  const gasUsed = [...deposits, ...claims, ...(sweep ? [sweep] : [])].reduce((sum, t) => sum + t.gasUsed, 0n);
  return {
    route: `${channels.route.method} ${channels.route.path}`,
    payer: account.address,
    paid,
    failed,
    firstError,
    charged,
    deposits,
    vouchers: paid - deposits.length,
    claims,
    sweep,
    gasUsed,
    payeeDelta: (await payeeBalance()) - payeeBefore,
  };
}

async function giveDemoFeedback(parameters: {
  devnet: Devnet;
  reviewer: DevnetAccount;
  proofOfPayment: ProofOfPayment;
  value: bigint;
  endpoint: string;
}): Promise<DemoFeedback> {
  const { devnet, reviewer, value, endpoint, proofOfPayment } = parameters;
  const client = createDevnetClient({ rpcUrl: devnet.rpcUrl, chain: devnet.chain, account: reviewer });
  const tag1 = "successRate";
  const tag2 = "x402";
  const valueDecimals = 0;
  const { json, feedbackHash } = buildFeedbackFile({
    agentRegistry: { chainId: devnet.chainId, identityRegistry: devnet.contracts.identityRegistry },
    agentId: devnet.agent.agentId,
    clientAddress: reviewer.address,
    value,
    valueDecimals,
    tag1,
    tag2,
    endpoint,
    proofOfPayment,
  });
  const feedbackURI = `data:application/json;base64,${Buffer.from(json, "utf8").toString("base64")}`;
  const registry = devnet.contracts.reputationRegistry;
  const transaction = await client.writeContract({
    address: registry,
    abi: reputationRegistryAbi,
    functionName: "giveFeedback",
    args: [devnet.agent.agentId, value, valueDecimals, tag1, tag2, endpoint, feedbackURI, feedbackHash],
  });
  const receipt = await client.waitForTransactionReceipt({ hash: transaction });
  if (receipt.status !== "success") throw new DevnetError(`giveFeedback reverted (${transaction})`);
  const [count, summaryValue, decimals] = await client.readContract({
    address: registry,
    abi: reputationRegistryAbi,
    functionName: "getSummary",
    args: [devnet.agent.agentId, [reviewer.address], tag1, ""],
  });
  return {
    transaction,
    clientAddress: reviewer.address,
    value,
    valueDecimals,
    tag1,
    tag2,
    endpoint,
    feedbackURI,
    feedbackHash,
    proofOfPayment,
    summary: { count, value: summaryValue, decimals },
  };
}
