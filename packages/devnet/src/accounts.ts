import { pbkdf2Sync } from "node:crypto";
import { type Address, bytesToHex, type Hex } from "viem";
import { HDKey, privateKeyToAddress } from "viem/accounts";

/** A funded devnet account. The keys are derived from a public mnemonic: test only. */
export type DevnetAccount = {
  readonly address: Address;
  /** TEST ONLY: derived from a publicly known mnemonic. */
  readonly privateKey: Hex;
};

/** The accounts of a devnet, by role. */
export type DevnetAccounts = {
  /** Hardhat account #0: deploys every contract, admin of TestUSDC and owner of the registries. */
  readonly deployer: DevnetAccount;
  /** #1: the facilitator's signer (pays settlement gas). */
  readonly facilitator: DevnetAccount;
  /** #2: owns the demo agent's ERC-8004 identity. */
  readonly agentOwner: DevnetAccount;
  /** #3: the demo agent's verified `agentWallet`, the `payTo` of the demo API. */
  readonly agentWallet: DevnetAccount;
  /** #4…: test accounts funded with ETH and test USDC (`PAYER_1` is `payers[0]`). */
  readonly payers: readonly DevnetAccount[];
  /**
   * #2000: sends the facilitator's `batch-settlement` transactions (deposits, claims, sweeps, refunds); an account of
   * its own beside `facilitator`'s lane (one writer per account nonce). Funded with ETH at start.
   */
  readonly channelSender: DevnetAccount;
  /** #2001: the demo API's receiver authorizer: signs the claims and refunds of its `batch-settlement` channels. */
  readonly receiverAuthorizer: DevnetAccount;
  /**
   * The signer keys several facilitator instances share under signer leases, one per instance: `facilitator` (#1)
   * first, then #2002, #2003, … (`facilitatorSigners` of {@link deriveDevnetAccounts}; one by default).
   */
  readonly facilitatorSigners: readonly DevnetAccount[];
};

/** Index of the batch-settlement sender in the mnemonic's accounts (above the last payer, #1003). */
export const CHANNEL_SENDER_INDEX = 2_000;

/** Index of the second facilitator signer key (the first is #1), above the receiver authorizer. */
export const EXTRA_FACILITATOR_SIGNER_INDEX = CHANNEL_SENDER_INDEX + 2;

/** Index of the first payer in the mnemonic's accounts. */
export const FIRST_PAYER_INDEX = 4;

/**
 * Derives the devnet accounts (BIP-44 `m/44'/60'/0'/0/i`) from `mnemonic`, computing the BIP-39 seed
 * once (PBKDF2 in `node:crypto`).
 *
 * @param parameters - The mnemonic, the number of payers and of facilitator signer keys (default 1).
 * @returns The accounts by role.
 */
export function deriveDevnetAccounts(parameters: {
  mnemonic: string;
  payers: number;
  facilitatorSigners?: number | undefined;
}): DevnetAccounts {
  const seed = pbkdf2Sync(parameters.mnemonic.normalize("NFKD"), "mnemonic", 2048, 64, "sha512");
  const root = HDKey.fromMasterSeed(seed);
  const account = (index: number): DevnetAccount => {
    const key = root.derive(`m/44'/60'/0'/0/${index}`).privateKey;
    if (!key) throw new Error(`no private key at index ${index}`);
    const privateKey = bytesToHex(key);
    return { address: privateKeyToAddress(privateKey), privateKey };
  };
  const facilitator = account(1);
  return {
    deployer: account(0),
    facilitator,
    agentOwner: account(2),
    agentWallet: account(3),
    payers: Array.from({ length: parameters.payers }, (_, i) => account(FIRST_PAYER_INDEX + i)),
    channelSender: account(CHANNEL_SENDER_INDEX),
    receiverAuthorizer: account(CHANNEL_SENDER_INDEX + 1),
    facilitatorSigners: [
      facilitator,
      ...Array.from({ length: Math.max(0, (parameters.facilitatorSigners ?? 1) - 1) }, (_, i) =>
        account(EXTRA_FACILITATOR_SIGNER_INDEX + i),
      ),
    ],
  };
}
