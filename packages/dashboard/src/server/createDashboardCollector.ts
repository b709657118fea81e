import { identityRegistryAbi, reputationRegistryAbi, testUsdcAbi } from "@x402kit/bindings";
import type { FacilitatorEvent, FacilitatorEvents } from "@x402kit/facilitator";
import { type Address, type Chain, createPublicClient, type Hash, http, type PublicClient, parseEventLogs } from "viem";
import type {
  AgentRow,
  BalanceRow,
  BatchRow,
  ChainInfo,
  DashboardDelta,
  DashboardSnapshot,
  FeedbackRow,
  LaneRow,
} from "../protocol/messages.js";
import { createPaymentBook } from "./createPaymentBook.js";

/** What the dashboard needs of a facilitator: its events and its signer lanes (`Facilitator` fits). */
export type DashboardFacilitator = {
  readonly events: Pick<FacilitatorEvents, "subscribe">;
  readonly engine: { lanes(): readonly { readonly address: Address; depth(): number }[] };
};

/** What the dashboard watches. */
export type DashboardSource = {
  facilitator: DashboardFacilitator;
  rpcUrl: string;
  chain: Chain;
  /** CAIP-2 id. */
  network: string;
  token: { address: Address; symbol: string; decimals: number };
  router?: Address | undefined;
  identityRegistry?: Address | undefined;
  reputationRegistry?: Address | undefined;
  /** Accounts whose token and ETH balances are shown, in order. */
  accounts: readonly { label: string; address: Address }[];
  facilitatorUrl?: string | undefined;
};

/** Parameters of {@link createDashboardCollector}. */
export type CreateDashboardCollectorParameters = DashboardSource & {
  /** How often the chain's block number is read (one loop per dashboard, whatever the number of tabs). Default 250 ms. */
  blockPollIntervalMs?: number | undefined;
  /** Changes are sent at most this often, together. Default 100 ms. */
  flushIntervalMs?: number | undefined;
  /** Payments and batches kept. Default 2,000 / 500. */
  limits?: { payments?: number | undefined; batches?: number | undefined } | undefined;
};

/** The dashboard's single source of state, fanned out to every browser tab. */
export type DashboardCollector = {
  snapshot(): DashboardSnapshot;
  /**
   * Registers a listener of coalesced changes.
   *
   * @returns A function that removes it.
   */
  subscribe(listener: (delta: DashboardDelta) => void): () => void;
  /** The public client it reads the chain with. */
  readonly client: PublicClient;
  /** Reads balances, lanes and agents once, then follows the chain until {@link DashboardCollector.stop}. */
  start(): Promise<void>;
  stop(): void;
};

/**
 * Creates the collector: subscribes to the facilitator's events (payments, journal states, mined
 * transactions), follows the chain's blocks with one bounded polling loop (balances, signer nonces, ERC-8004
 * agents and feedback are re-read on each new block), and sends every listener one coalesced delta per
 * `flushIntervalMs` when something changed.
 *
 * @param parameters - {@link CreateDashboardCollectorParameters}
 * @returns The collector; call `start()`.
 */
export function createDashboardCollector(parameters: CreateDashboardCollectorParameters): DashboardCollector {
  const { facilitator, token } = parameters;
  const client = createPublicClient({
    chain: parameters.chain,
    transport: http(parameters.rpcUrl, { batch: { wait: 0 }, retryCount: 0, timeout: 5_000 }),
  }) as PublicClient;
  const blockPollIntervalMs = parameters.blockPollIntervalMs ?? 250;
  const flushIntervalMs = parameters.flushIntervalMs ?? 100;
  const batchLimit = parameters.limits?.batches ?? 500;
  const book = createPaymentBook({ limit: parameters.limits?.payments });
  const batches = new Map<string, BatchRow>();
  let lanes: LaneRow[] = [];
  let balances: BalanceRow[] = [];
  let agents: AgentRow[] = [];
  let chain: ChainInfo = {
    chainId: parameters.chain.id,
    network: parameters.network,
    rpcUrl: parameters.rpcUrl,
    blockNumber: "0",
    token,
    ...(parameters.router ? { router: parameters.router } : {}),
    ...(parameters.facilitatorUrl ? { facilitatorUrl: parameters.facilitatorUrl } : {}),
  };
  const chainNonces = new Map<Address, { nonce: number; pending: number; balance: bigint }>();

  const listeners = new Set<(delta: DashboardDelta) => void>();
  let pending: DashboardDelta = {};
  let dirty = false;
  let flushTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = () => {
    dirty = true;
    if (flushTimer || stopped) return;
    flushTimer = setTimeout(flush, flushIntervalMs);
  };
  const flush = () => {
    flushTimer = undefined;
    if (!dirty) return;
    dirty = false;
    const delta = pending;
    pending = {};
    for (const listener of [...listeners]) {
      try {
        listener(delta);
      } catch {
        // one broken tab must not stop the others
      }
    }
  };
  const upsert = <K extends "payments" | "batches">(key: K, rows: NonNullable<DashboardDelta[K]>) => {
    if (rows.length === 0) return;
    const list = (pending[key] ?? []) as NonNullable<DashboardDelta[K]>;
    pending[key] = [...list, ...rows] as DashboardDelta[K];
    schedule();
  };

  const laneRows = (): LaneRow[] => {
    const inFlight = new Map<string, Hash>();
    for (const row of book.rows()) {
      if (row.signer && row.transaction && (row.journalState === "submitted" || row.journalState === "unknown")) {
        inFlight.set(row.signer.toLowerCase(), row.transaction as Hash);
      }
    }
    return facilitator.engine.lanes().map((lane) => {
      const seen = chainNonces.get(lane.address);
      const tx = inFlight.get(lane.address.toLowerCase());
      return {
        address: lane.address,
        nonce: seen?.nonce ?? 0,
        inFlight: seen ? Math.max(0, seen.pending - seen.nonce) : 0,
        ...(tx ? { inFlightTransaction: tx } : {}),
        queueDepth: lane.depth(),
        gasBalance: (seen?.balance ?? 0n).toString(),
      };
    });
  };
  const refreshLanes = () => {
    const next = laneRows();
    if (JSON.stringify(next) !== JSON.stringify(lanes)) {
      lanes = next;
      pending.lanes = lanes;
      schedule();
    }
  };

  const onMined = async (event: Extract<FacilitatorEvent, { type: "transactionMined" }>) => {
    let calldataBytes = 0;
    try {
      const transaction = await client.getTransaction({ hash: event.hash });
      calldataBytes = (transaction.input.length - 2) / 2;
    } catch {
      // shown as 0 when the node cannot say
    }
    const gasUsed = BigInt(event.gasUsed);
    const row: BatchRow = {
      hash: event.hash,
      at: event.at,
      kind: event.kind,
      status: event.status,
      size: event.items,
      gasUsed: event.gasUsed,
      gasPerPayment: (gasUsed / BigInt(Math.max(1, event.items))).toString(),
      calldataBytes,
      blockNumber: event.blockNumber,
      from: event.from,
    };
    batches.set(row.hash, row);
    while (batches.size > batchLimit) batches.delete(batches.keys().next().value as string);
    upsert("batches", [row]);
  };

  const unsubscribe = facilitator.events.subscribe((event) => {
    if (stopped) return;
    upsert("payments", book.apply(event));
    if (event.type === "transactionMined") void onMined(event);
    if (event.type === "settlement") refreshLanes();
  });

  const readBalances = async (): Promise<BalanceRow[]> =>
    Promise.all(
      parameters.accounts.map(async ({ label, address }) => {
        const [tokenBalance, eth] = await Promise.all([
          client.readContract({ address: token.address, abi: testUsdcAbi, functionName: "balanceOf", args: [address] }),
          client.getBalance({ address }),
        ]);
        return { label, address, token: tokenBalance.toString(), eth: eth.toString() };
      }),
    );

  const readLaneNonces = async () => {
    await Promise.all(
      facilitator.engine.lanes().map(async (lane) => {
        const [nonce, pendingNonce, balance] = await Promise.all([
          client.getTransactionCount({ address: lane.address, blockTag: "latest" }),
          client.getTransactionCount({ address: lane.address, blockTag: "pending" }),
          client.getBalance({ address: lane.address }),
        ]);
        chainNonces.set(lane.address, { nonce, pending: pendingNonce, balance });
      }),
    );
  };

  const readAgents = async (): Promise<AgentRow[]> => {
    const identity = parameters.identityRegistry;
    const reputation = parameters.reputationRegistry;
    if (!identity) return [];
    const registered = parseEventLogs({
      abi: identityRegistryAbi,
      eventName: "Registered",
      logs: await client.getLogs({ address: identity, fromBlock: 0n, toBlock: "latest" }),
    });
    const feedbackLogs = reputation
      ? parseEventLogs({
          abi: reputationRegistryAbi,
          eventName: "NewFeedback",
          logs: await client.getLogs({ address: reputation, fromBlock: 0n, toBlock: "latest" }),
        })
      : [];
    return Promise.all(
      registered.map(async (log): Promise<AgentRow> => {
        const agentId = log.args.agentId;
        const [owner, agentURI, wallet] = await Promise.all([
          client.readContract({
            address: identity,
            abi: identityRegistryAbi,
            functionName: "ownerOf",
            args: [agentId],
          }),
          client.readContract({
            address: identity,
            abi: identityRegistryAbi,
            functionName: "tokenURI",
            args: [agentId],
          }),
          client
            .readContract({
              address: identity,
              abi: identityRegistryAbi,
              functionName: "getAgentWallet",
              args: [agentId],
            })
            .catch(() => undefined),
        ]);
        const feedback: FeedbackRow[] = feedbackLogs
          .filter((f) => f.args.agentId === agentId)
          .map((f) => ({
            client: f.args.clientAddress,
            index: f.args.feedbackIndex.toString(),
            value: f.args.value.toString(),
            valueDecimals: f.args.valueDecimals,
            tag1: f.args.tag1,
            tag2: f.args.tag2,
            endpoint: f.args.endpoint,
            transaction: f.transactionHash,
          }));
        const clients = [...new Set(feedback.map((f) => f.client as Address))];
        let summary: AgentRow["summary"] = { count: "0", value: "0", decimals: 0 };
        if (reputation && clients.length > 0) {
          const [count, value, decimals] = await client.readContract({
            address: reputation,
            abi: reputationRegistryAbi,
            functionName: "getSummary",
            args: [agentId, clients, "", ""],
          });
          summary = { count: count.toString(), value: value.toString(), decimals };
        }
        const card = parseCard(agentURI);
        return {
          agentId: agentId.toString(),
          owner,
          ...(wallet && wallet !== "0x0000000000000000000000000000000000000000" ? { wallet } : {}),
          agentURI: agentURI.length > 200 ? `${agentURI.slice(0, 200)}…` : agentURI,
          ...(card ? { card } : {}),
          feedback,
          summary,
        };
      }),
    );
  };

  let lastBlock = -1n;
  let lastAgentsAt = 0;
  const onBlock = async (blockNumber: bigint) => {
    chain = { ...chain, blockNumber: blockNumber.toString() };
    pending.chain = chain;
    schedule();
    const [nextBalances] = await Promise.all([readBalances(), readLaneNonces()]);
    if (JSON.stringify(nextBalances) !== JSON.stringify(balances)) {
      balances = nextBalances;
      pending.balances = balances;
      schedule();
    }
    refreshLanes();
    agentsStale = true;
    await refreshAgents();
  };
  // Registry reads are heavier: at most one per second, and a block that came sooner is read on a later tick.
  let agentsStale = true;
  const refreshAgents = async () => {
    if (!agentsStale || Date.now() - lastAgentsAt < 1_000) return;
    agentsStale = false;
    lastAgentsAt = Date.now();
    let nextAgents: AgentRow[];
    try {
      nextAgents = await readAgents();
    } catch (error) {
      agentsStale = true; // read again on a later tick
      throw error;
    }
    if (JSON.stringify(nextAgents) !== JSON.stringify(agents)) {
      agents = nextAgents;
      pending.agents = agents;
      schedule();
    }
  };

  let loop: NodeJS.Timeout | undefined;
  const tick = async () => {
    loop = undefined;
    if (stopped) return;
    try {
      const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
      if (blockNumber !== lastBlock) {
        lastBlock = blockNumber;
        await onBlock(blockNumber);
      } else {
        refreshLanes();
        await refreshAgents();
      }
    } catch {
      // the node is busy or gone: try again next tick (the devnet stops us when it stops)
    }
    if (!stopped) loop = setTimeout(tick, blockPollIntervalMs);
  };

  return {
    client,
    snapshot: () => ({
      chain,
      payments: book.rows(),
      batches: [...batches.values()],
      lanes,
      balances,
      agents,
    }),
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async start() {
      await tick();
    },
    stop() {
      stopped = true;
      unsubscribe();
      if (loop) clearTimeout(loop);
      if (flushTimer) clearTimeout(flushTimer);
      listeners.clear();
    },
  };
}

/** The agent's registration file, when its URI is a base64 or percent-encoded JSON `data:` URI. */
function parseCard(uri: string): AgentRow["card"] | undefined {
  const match = /^data:application\/json(;base64)?,(.*)$/s.exec(uri);
  if (!match) return undefined;
  try {
    const json = match[1] ? Buffer.from(match[2] ?? "", "base64").toString("utf8") : decodeURIComponent(match[2] ?? "");
    const file = JSON.parse(json) as Record<string, unknown>;
    const services = Array.isArray(file.services)
      ? file.services.flatMap((s: unknown) => {
          const o = s as { name?: unknown; endpoint?: unknown };
          return typeof o?.name === "string" && typeof o.endpoint === "string"
            ? [{ name: o.name, endpoint: o.endpoint }]
            : [];
        })
      : undefined;
    return {
      ...(typeof file.name === "string" ? { name: file.name } : {}),
      ...(typeof file.description === "string" ? { description: file.description } : {}),
      ...(services ? { services } : {}),
      ...(typeof file.x402Support === "boolean" ? { x402Support: file.x402Support } : {}),
    };
  } catch {
    return undefined;
  }
}
