import type { PublicClient } from "viem";

/** EIP-1559 fee parameters of a transaction. */
export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

/** Fee policy of a network. */
export type FeePolicy = {
  /** `maxFeePerGas = baseFee × baseFeeMultiplier + tip`: headroom for base-fee rises while queued (default 2). */
  baseFeeMultiplier: number;
  /** Tip in wei; `undefined` asks the node (`eth_maxPriorityFeePerGas`). */
  priorityFeePerGas: bigint | undefined;
  /** Hard ceiling on `maxFeePerGas` in wei; `undefined` for none. */
  maxFeePerGasCap: bigint | undefined;
  /** Minimum bump of a replacement, in percent (nodes require at least 10). */
  replacementBumpPercent: number;
};

/** Reads current fees, cached briefly so that a burst of settlements asks the node once. */
export type FeeOracle = {
  current(): Promise<Fees>;
  /**
   * Fees for replacing a stuck transaction: at least `bump`% above the old ones, and current; `undefined`
   * when that would exceed the fee ceiling.
   */
  replacement(previous: Fees): Promise<Fees | undefined>;
};

/**
 * Creates the fee oracle of one network.
 *
 * @param client - The network's public client.
 * @param policy - Fee policy.
 * @param cacheMs - How long one reading is reused (default 1 s).
 * @returns A {@link FeeOracle}.
 */
export function createFeeOracle(client: PublicClient, policy: FeePolicy, cacheMs = 1000): FeeOracle {
  let cached: { at: number; fees: Promise<Fees> } | undefined;
  const cap = (value: bigint) =>
    policy.maxFeePerGasCap !== undefined && value > policy.maxFeePerGasCap ? policy.maxFeePerGasCap : value;

  const read = async (): Promise<Fees> => {
    const [block, tip] = await Promise.all([
      client.getBlock({ blockTag: "latest" }),
      policy.priorityFeePerGas !== undefined
        ? Promise.resolve(policy.priorityFeePerGas)
        : client.estimateMaxPriorityFeePerGas().catch(() => 1_000_000n),
    ]);
    const baseFee = block.baseFeePerGas ?? 0n;
    const multiplier = BigInt(Math.round(policy.baseFeeMultiplier * 1000));
    const maxFeePerGas = cap((baseFee * multiplier) / 1000n + tip);
    return { maxFeePerGas, maxPriorityFeePerGas: min(tip, maxFeePerGas) };
  };

  const current = (): Promise<Fees> => {
    const now = Date.now();
    if (!cached || now - cached.at > cacheMs) {
      const fees = read();
      cached = { at: now, fees };
      fees.catch(() => {
        if (cached?.fees === fees) cached = undefined;
      });
    }
    return cached.fees;
  };

  return {
    current,
    async replacement(previous) {
      const fresh = await current();
      const bump = (value: bigint) => (value * BigInt(100 + policy.replacementBumpPercent) + 99n) / 100n;
      const maxPriorityFeePerGas = max(fresh.maxPriorityFeePerGas, bump(previous.maxPriorityFeePerGas));
      const maxFeePerGas = max(fresh.maxFeePerGas, bump(previous.maxFeePerGas), maxPriorityFeePerGas);
      // Over the operator's ceiling there is no replacement: the transaction waits for the base fee to fall.
      if (policy.maxFeePerGasCap !== undefined && maxFeePerGas > policy.maxFeePerGasCap) return undefined;
      return { maxFeePerGas, maxPriorityFeePerGas };
    },
  };
}

// biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
const max = (...values: bigint[]): bigint => values.reduce((a, b) => (a > b ? a : b));
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
