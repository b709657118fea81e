import { batchSettlementRouterAbi, identityRegistryAbi, reputationRegistryAbi, testUsdcAbi } from "@x402kit/bindings";
import { parseSettlementLogs } from "@x402kit/bindings/router";
import {
  type Abi,
  type Address,
  decodeEventLog,
  decodeFunctionData,
  getAddress,
  type Hash,
  type Log,
  type PublicClient,
  parseEventLogs,
} from "viem";
import type { AuthorizationOutcome, DecodedLog, TransactionView } from "../protocol/messages.js";
import { TransactionNotFoundError } from "./errors.js";

/** Parameters of {@link readTransactionView}. */
export type ReadTransactionViewParameters = {
  client: PublicClient;
  hash: Hash;
  /** The BatchSettlementRouter, to recognise and decode its calls. */
  router: Address | undefined;
  /** The payment token, to recognise direct `transferWithAuthorization` calls. */
  token: Address;
  /** The ERC-8004 registries, to name their logs. */
  identityRegistry?: Address | undefined;
  reputationRegistry?: Address | undefined;
};

type Known = { name: string; abi: Abi; address: Address | undefined };

const text = (value: unknown): string =>
  typeof value === "bigint" ? value.toString() : typeof value === "string" ? value : JSON.stringify(value, replacer);
const replacer = (_: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);
/** Names positional call arguments after the ABI's inputs (`from`, `to`, …), falling back to their index. */
const namedArgs = (abi: Abi, functionName: string, args: readonly unknown[]): Record<string, string> => {
  const item = abi.find(
    (entry) => entry.type === "function" && entry.name === functionName && entry.inputs.length === args.length,
  );
  const inputs = item && item.type === "function" ? item.inputs : [];
  return Object.fromEntries(args.map((value, i) => [inputs[i]?.name || String(i), text(value)]));
};
const argsOf = (args: unknown): Record<string, string> =>
  args && typeof args === "object" && !Array.isArray(args)
    ? Object.fromEntries(Object.entries(args).map(([k, v]) => [k, text(v)]))
    : Array.isArray(args)
      ? Object.fromEntries(args.map((v, i) => [String(i), text(v)]))
      : {};

/**
 * Reads a transaction, its receipt and its block from the chain and decodes them: the router's
 * `settle(batch, itemGasLimit)` (or a direct `transferWithAuthorization`), each authorization it carried with
 * its outcome (from the router's `AuthorizationSettled` / `AuthorizationFailed` logs and the token's
 * `AuthorizationUsed` / `Transfer` logs, with `parseSettlementLogs` of `@x402kit/bindings/router`), every log
 * by name, and the gas.
 *
 * @param parameters - {@link ReadTransactionViewParameters}
 * @returns The view.
 * @throws {TransactionNotFoundError} When the chain has no such transaction (or no receipt yet).
 */
export async function readTransactionView(parameters: ReadTransactionViewParameters): Promise<TransactionView> {
  const { client, hash, router, token } = parameters;
  let transaction: Awaited<ReturnType<PublicClient["getTransaction"]>>;
  let receipt: Awaited<ReturnType<PublicClient["getTransactionReceipt"]>>;
  try {
    [transaction, receipt] = await Promise.all([
      client.getTransaction({ hash }),
      client.getTransactionReceipt({ hash }),
    ]);
  } catch (error) {
    throw new TransactionNotFoundError({ hash, cause: error });
  }
  const block = await client.getBlock({ blockNumber: receipt.blockNumber });
  const to = transaction.to?.toLowerCase();
  const target = router && to === router.toLowerCase() ? "router" : to === token.toLowerCase() ? "token" : "other";

  let call: TransactionView["call"];
  const abi = target === "router" ? batchSettlementRouterAbi : target === "token" ? testUsdcAbi : undefined;
  if (abi) {
    try {
      const decoded = decodeFunctionData({ abi: abi as Abi, data: transaction.input });
      const args = namedArgs(abi as Abi, decoded.functionName, (decoded.args ?? []) as readonly unknown[]);
      if (decoded.functionName === "settle" || decoded.functionName === "settleWithFees") {
        // The packed batch starts with its item count (2 bytes); the bytes themselves are shown by length.
        const batch = (decoded.args?.[0] as string | undefined) ?? "0x";
        args.batch = `${(batch.length - 2) / 2} bytes, ${batch.length >= 6 ? Number.parseInt(batch.slice(2, 6), 16) : 0} item(s)`;
      }
      call = { functionName: decoded.functionName, args };
    } catch {
      call = undefined;
    }
  }

  const authorizations: AuthorizationOutcome[] = [];
  if (target === "router" && router) {
    for (const item of parseSettlementLogs({ logs: receipt.logs, router })) {
      if (item.status === "failed") {
        authorizations.push({
          index: item.index,
          status: "failed",
          from: item.from,
          nonce: item.nonce,
          reason: item.reason,
        });
        continue;
      }
      const tokenLogs = parseEventLogs({ abi: testUsdcAbi, logs: item.logs, strict: false });
      const used = tokenLogs.find((l) => l.eventName === "AuthorizationUsed");
      const transfer = tokenLogs.find((l) => l.eventName === "Transfer");
      const usedArgs = (used?.args ?? {}) as { authorizer?: Address; nonce?: `0x${string}` };
      const transferArgs = (transfer?.args ?? {}) as { from?: Address; to?: Address; value?: bigint };
      authorizations.push({
        index: item.index,
        status: "settled",
        from: (usedArgs.authorizer ?? transferArgs.from ?? "0x0000000000000000000000000000000000000000") as Address,
        ...(transferArgs.to ? { to: transferArgs.to } : {}),
        ...(transferArgs.value !== undefined ? { value: transferArgs.value.toString() } : {}),
        nonce: usedArgs.nonce ?? "0x",
      });
    }
  } else if (target === "token" && call?.functionName === "transferWithAuthorization") {
    const a = call.args;
    authorizations.push({
      index: 0,
      status: receipt.status === "success" ? "settled" : "failed",
      from: a.from as Address,
      ...(a.to ? { to: a.to as Address } : {}),
      ...(a.value ? { value: a.value } : {}),
      nonce: (a.nonce ?? "0x") as `0x${string}`,
      ...(receipt.status === "success" ? {} : { reason: "reverted" }),
    });
  }

  const fee = receipt.gasUsed * receipt.effectiveGasPrice;
  return {
    hash,
    status: receipt.status,
    blockNumber: receipt.blockNumber.toString(),
    timestamp: Number(block.timestamp),
    from: getAddress(transaction.from),
    to: transaction.to ? getAddress(transaction.to) : null,
    target,
    ...(call ? { call } : {}),
    authorizations,
    logs: receipt.logs.map((log) =>
      decodeLog(log, [
        { name: "BatchSettlementRouter", abi: batchSettlementRouterAbi, address: router },
        { name: "Token", abi: testUsdcAbi, address: token },
        { name: "IdentityRegistry", abi: identityRegistryAbi, address: parameters.identityRegistry },
        { name: "ReputationRegistry", abi: reputationRegistryAbi, address: parameters.reputationRegistry },
      ]),
    ),
    gas: {
      used: receipt.gasUsed.toString(),
      limit: transaction.gas.toString(),
      effectiveGasPrice: receipt.effectiveGasPrice.toString(),
      fee: fee.toString(),
      ...(authorizations.length > 0
        ? { perAuthorization: (receipt.gasUsed / BigInt(authorizations.length)).toString() }
        : {}),
    },
    calldataBytes: (transaction.input.length - 2) / 2,
  };
}

/** Decodes a log with the ABI of the contract that emitted it (any known ABI for an unknown address). */
function decodeLog(log: Log, known: readonly Known[]): DecodedLog {
  const own = known.filter((k) => k.address?.toLowerCase() === log.address.toLowerCase());
  for (const { name, abi } of own.length > 0 ? own : known) {
    try {
      const decoded = decodeEventLog({ abi, data: log.data, topics: log.topics });
      return {
        index: log.logIndex ?? 0,
        address: log.address,
        name: `${name}.${decoded.eventName}`,
        args: argsOf(decoded.args),
      };
    } catch {
      // not this contract's event
    }
  }
  return { index: log.logIndex ?? 0, address: log.address, name: "unknown", args: { topic0: log.topics[0] ?? "" } };
}
