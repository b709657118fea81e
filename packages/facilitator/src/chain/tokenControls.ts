import { type Address, BaseError, ContractFunctionRevertedError, ContractFunctionZeroDataError, parseAbi } from "viem";
import { isTransportError } from "./isTransportError.js";
import type { NetworkRuntime } from "./networkRuntime.js";

/**
 * The views through which a stablecoin says it would refuse a transfer: FiatToken's `paused()` and
 * `isBlacklisted(account)` (USDC), and TestUSDC's `isBlocklisted(account)`. A token without them simply lacks them.
 */
export const tokenControlsAbi = parseAbi([
  "function paused() view returns (bool)",
  "function isBlacklisted(address account) view returns (bool)",
  "function isBlocklisted(address account) view returns (bool)",
]);

type ControlView = "paused" | "isBlacklisted" | "isBlocklisted";
const VIEWS: readonly ControlView[] = ["paused", "isBlacklisted", "isBlocklisted"];

/** What a token's controls say about one transfer. */
export type TokenControls = { paused: boolean; blockedFrom: boolean; blockedTo: boolean };

/** Which control views each token answers, learnt on first use (`chainId:asset` → views it has). */
const known = new Map<string, Set<ControlView>>();

/** Whether a read failed because the contract answered "no such function" or reverted (a fact about the token). */
function isRefusal(error: unknown): boolean {
  if (!(error instanceof BaseError) || isTransportError(error)) return false;
  return Boolean(
    error.walk((e) => e instanceof ContractFunctionRevertedError || e instanceof ContractFunctionZeroDataError),
  );
}

/**
 * Reads the token's pause and block-list state for a transfer `from` → `to`, in the same JSON-RPC batch as the
 * caller's other reads (call it in the same tick). The first time a token is seen every candidate view is tried
 * and the ones it lacks are remembered, so a token with no controls costs nothing afterwards. A transport failure
 * throws (nothing is learnt from it).
 *
 * @param network - The token's network.
 * @param asset - The token.
 * @param from - The payer.
 * @param to - The payee.
 * @returns The token's answer; `false` for what it has no view for.
 */
export async function readTokenControls(
  network: NetworkRuntime,
  asset: Address,
  from: Address,
  to: Address,
): Promise<TokenControls> {
  const key = `${network.chainId}:${asset.toLowerCase()}`;
  const views = known.get(key);
  const ask = views ? VIEWS.filter((v) => views.has(v)) : VIEWS;
  const read = (functionName: ControlView, args: readonly [] | readonly [Address]) =>
    network.client
      .readContract({ address: asset, abi: tokenControlsAbi, functionName, args } as never)
      .then((value) => ({ ok: true as const, value: value === true }))
      .catch((error: unknown) => {
        if (!isRefusal(error)) throw error;
        return { ok: false as const, value: false };
      });
  type Answer = { view: ControlView; who: "token" | "from" | "to"; ok: boolean; value: boolean };
  const asked: Promise<Answer>[] = [];
  for (const view of ask) {
    if (view === "paused") asked.push(read(view, []).then((a) => ({ view, who: "token", ...a })));
    else {
      asked.push(read(view, [from]).then((a) => ({ view, who: "from", ...a })));
      asked.push(read(view, [to]).then((a) => ({ view, who: "to", ...a })));
    }
  }
  const answers = await Promise.all(asked);
  if (!views) known.set(key, new Set(answers.filter((a) => a.ok).map((a) => a.view)));
  const said = (who: "token" | "from" | "to") => answers.some((a) => a.who === who && a.ok && a.value);
  return { paused: said("token"), blockedFrom: said("from"), blockedTo: said("to") };
}
