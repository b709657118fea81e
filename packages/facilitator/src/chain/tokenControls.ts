import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  type Hex,
  parseAbi,
} from "viem";
import { eip3009Abi } from "./eip3009Abi.js";
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

/** Which control views each token answers, learnt on first use (`chainId:asset` → the views it has). */
const known = new Map<string, Set<ControlView>>();

/** A read the token answered (`ok`), or refused (no such function, or a revert): a fact about the token. */
export type TokenRead<T> = { ok: true; value: T } | { ok: false };

/** What the token says about one transfer `from` → `to` of `nonce`. */
export type TokenState = {
  used: TokenRead<boolean>;
  balance: TokenRead<bigint>;
  /** `name()` and `version()`, when asked for. */
  name: TokenRead<string> | undefined;
  version: TokenRead<string> | undefined;
  paused: boolean;
  blockedFrom: boolean;
  blockedTo: boolean;
};

/** Whether a read failed because the contract answered "no" (it reverted, or returned no data): a fact about it. */
export function isContractRefusal(error: unknown): boolean {
  if (!(error instanceof BaseError) || isTransportError(error)) return false;
  return Boolean(
    error.walk((e) => e instanceof ContractFunctionRevertedError || e instanceof ContractFunctionZeroDataError),
  );
}

/**
 * Reads of `paused()` and of a payee's block-list entry in flight, shared: those answers are the same for every
 * payment of a token (or to a payee), so concurrent verifications ask once. Only while the read is in flight: an
 * answer is never reused after it arrived, so a pause is seen by every verification that starts after it is mined.
 */
const inFlight = new Map<string, Promise<TokenRead<boolean>>>();

/**
 * Reads what the token can say about one transfer, every read in the same JSON-RPC batch (one round trip):
 * `authorizationState`, `balanceOf`, the pause and block-list views (and `name`/`version` when `domain`). The first
 * time a token is seen every control view is tried and the ones it lacks are remembered, so a token without them
 * costs nothing more afterwards; concurrent reads of `paused()` and of the payee's entry are shared. A transport
 * failure throws: nothing is learnt from it.
 *
 * @param network - The token's network.
 * @param transfer - The token, payer, payee and authorization nonce.
 * @param options - `domain`: also read `name()` and `version()`.
 * @returns The token's answers.
 */
export async function readTokenState(
  network: NetworkRuntime,
  transfer: { asset: Address; from: Address; to: Address; nonce: Hex },
  options: { domain?: boolean } = {},
): Promise<TokenState> {
  const { asset, from, to, nonce } = transfer;
  const key = `${network.chainId}:${asset.toLowerCase()}`;
  const read = <T>(abi: typeof eip3009Abi | typeof tokenControlsAbi, functionName: string, args: readonly unknown[]) =>
    network.client
      .readContract({ address: asset, abi, functionName, args } as never)
      .then((value): TokenRead<T> => ({ ok: true, value: value as T }))
      .catch((error: unknown): TokenRead<T> => {
        if (!isContractRefusal(error)) throw error;
        return { ok: false };
      });
  const sharedRead = (functionName: ControlView, args: readonly Address[]) => {
    const id = `${key}:${functionName}:${args.join(",").toLowerCase()}`;
    const pending = inFlight.get(id);
    if (pending) return pending;
    const value = read<boolean>(tokenControlsAbi, functionName, args);
    inFlight.set(id, value);
    const done = () => {
      if (inFlight.get(id) === value) inFlight.delete(id);
    };
    value.then(done, done);
    return value;
  };
  const views = known.get(key);
  const ask = views ? VIEWS.filter((v) => views.has(v)) : VIEWS;
  type Control = { view: ControlView; who: "token" | "from" | "to"; read: Promise<TokenRead<boolean>> };
  const controls = ask.flatMap((view): Control[] =>
    view === "paused"
      ? [{ view, who: "token", read: sharedRead(view, []) }]
      : [
          { view, who: "from", read: read<boolean>(tokenControlsAbi, view, [from]) },
          { view, who: "to", read: sharedRead(view, [to]) },
        ],
  );
  const [used, balance, name, version, ...answers] = await Promise.all([
    read<boolean>(eip3009Abi, "authorizationState", [from, nonce]),
    read<bigint>(eip3009Abi, "balanceOf", [from]),
    options.domain ? read<string>(eip3009Abi, "name", []) : Promise.resolve(undefined),
    options.domain ? read<string>(eip3009Abi, "version", []) : Promise.resolve(undefined),
    ...controls.map((c) => c.read),
  ]);
  if (!views) known.set(key, new Set(controls.filter((_, i) => answers[i]?.ok).map((c) => c.view)));
  const said = (who: "token" | "from" | "to") =>
    controls.some((c, i) => {
      const a = answers[i];
      return c.who === who && a?.ok === true && a.value === true;
    });
  return {
    used: used as TokenRead<boolean>,
    balance: balance as TokenRead<bigint>,
    name: name as TokenRead<string> | undefined,
    version: version as TokenRead<string> | undefined,
    paused: said("token"),
    blockedFrom: said("from"),
    blockedTo: said("to"),
  };
}
