/**
 * The pieces of the official `@x402/evm` 2.27 `batch-settlement` code that its public entry points do not export,
 * loaded from the installed package's `dist` so the contract tests run against exactly what the official
 * facilitator sends: the channel contract ABI (`batchSettlementABI`), the ERC-3009 collector data encoder
 * (`buildErc3009CollectorData`), and the receiver-authorizer signers (`signClaimBatch`, `signRefund`) with the
 * config normaliser `toContractChannelConfig`. The bundler puts each in a chunk with a hashed name, so the chunk is
 * found by the `export { … }` list that names the function, never by its file name.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Abi, Address, Hex } from "viem";

/** A channel config as the official SDK passes it around. */
export type OfficialChannelConfig = {
  payer: Address;
  payerAuthorizer: Address;
  receiver: Address;
  receiverAuthorizer: Address;
  token: Address;
  withdrawDelay: number;
  salt: Hex;
};

/** A claim as the official facilitator holds it (amounts as decimal strings). */
export type OfficialClaim = {
  voucher: { channel: OfficialChannelConfig; maxClaimableAmount: string };
  signature: Hex;
  totalClaimed: string;
};

/** The structural signer the official SDK signs with (a viem `LocalAccount` fits). */
export type OfficialSigner = {
  address: Address;
  signTypedData: (parameters: never) => Promise<Hex>;
};

export type OfficialInternals = {
  batchSettlementABI: Abi;
  buildErc3009CollectorData: (validAfter: string, validBefore: string, salt: string, signature: Hex) => Hex;
  signClaimBatch: (signer: OfficialSigner, claims: OfficialClaim[], network: string) => Promise<Hex>;
  signRefund: (signer: OfficialSigner, channelId: Hex, amount: string, nonce: string, network: string) => Promise<Hex>;
  toContractChannelConfig: (config: OfficialChannelConfig) => OfficialChannelConfig;
};

const distDirectory = dirname(fileURLToPath(import.meta.resolve("@x402/evm")));

/** The value a dist chunk of `@x402/evm` exports as `name` (see the file header). */
export async function loadOfficialExport(name: string): Promise<unknown> {
  const exportList = new RegExp(`export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`);
  for (const file of readdirSync(distDirectory)) {
    if (!file.startsWith("chunk-") || !file.endsWith(".mjs")) continue;
    const path = join(distDirectory, file);
    if (!exportList.test(readFileSync(path, "utf8"))) continue;
    const chunk = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    if (chunk[name] !== undefined) return chunk[name];
  }
  throw new Error(`@x402/evm dist has no chunk exporting ${name}`);
}

/** Loads the official internals (see the file header). */
export async function loadOfficialInternals(): Promise<OfficialInternals> {
  return {
    batchSettlementABI: (await loadOfficialExport("batchSettlementABI")) as Abi,
    buildErc3009CollectorData: (await loadOfficialExport(
      "buildErc3009CollectorData",
    )) as OfficialInternals["buildErc3009CollectorData"],
    signClaimBatch: (await loadOfficialExport("signClaimBatch")) as OfficialInternals["signClaimBatch"],
    signRefund: (await loadOfficialExport("signRefund")) as OfficialInternals["signRefund"],
    toContractChannelConfig: (await loadOfficialExport(
      "toContractChannelConfig",
    )) as OfficialInternals["toContractChannelConfig"],
  };
}
