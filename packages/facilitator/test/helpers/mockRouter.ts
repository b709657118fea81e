import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Abi,
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  parseEventLogs,
  type TransactionReceipt,
} from "viem";
import type { ExactPayment } from "../../src/domain/types.js";
import type { BatchItemResult, BatchSubmitter } from "../../src/modes/batchSubmitter.js";
import { HARDHAT_KEYS, type LocalChain } from "./chain.js";

const source = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "MockBatchRouter.sol");

let compiled: { abi: Abi; bytecode: Hex } | undefined;

/** Compiles the test-only MockBatchRouter with the repo's pinned solc (WebAssembly, offline). */
export function compileMockRouter(): { abi: Abi; bytecode: Hex } {
  if (compiled) return compiled;
  const require = createRequire(import.meta.url);
  const solc = require("solc") as { compile(input: string): string };
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "MockBatchRouter.sol": { content: readFileSync(source, "utf8") } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          evmVersion: "prague",
          outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
        },
      }),
    ),
  ) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const contract = output.contracts["MockBatchRouter.sol"]?.MockBatchRouter;
  if (!contract) throw new Error("MockBatchRouter did not compile");
  compiled = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
  return compiled;
}

/** Deploys the mock router and returns its address. */
export async function deployMockRouter(chain: LocalChain): Promise<Address> {
  const { abi, bytecode } = compileMockRouter();
  const deployer = chain.wallet(HARDHAT_KEYS[0]);
  const hash = await deployer.deployContract({ abi, bytecode, account: deployer.account!, chain: deployer.chain });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  return getAddress(receipt.contractAddress as Address);
}

/**
 * A {@link BatchSubmitter} for the mock router: encodes `settleBatch(items)` and reads the per-item
 * `ItemSettled` / `ItemFailed` events.
 */
export function mockRouterSubmitter(router: Address, chainId: number, maxItems = 100): BatchSubmitter {
  const { abi } = compileMockRouter();
  return {
    maxItems,
    routerAddress: (id) => (id === chainId ? router : undefined),
    encode(payments: readonly ExactPayment[]) {
      return encodeFunctionData({
        abi,
        functionName: "settleBatch",
        args: [
          payments.map((p) => ({
            token: p.asset,
            from: p.authorization.from,
            to: p.authorization.to,
            value: p.authorization.value,
            validAfter: p.authorization.validAfter,
            validBefore: p.authorization.validBefore,
            nonce: p.authorization.nonce,
            signature: p.signature,
          })),
        ],
      });
    },
    decode(receipt: TransactionReceipt): BatchItemResult[] {
      const logs = receipt.logs.filter((l) => l.address.toLowerCase() === router.toLowerCase());
      return parseEventLogs({ abi, logs }).map((event) => {
        const args = event.args as { index: bigint; reason?: Hex };
        return event.eventName === "ItemSettled"
          ? { index: Number(args.index), status: "settled" as const }
          : { index: Number(args.index), status: "skipped" as const, reason: args.reason };
      });
    },
  };
}
