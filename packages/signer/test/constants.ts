/**
 * Shared fixtures for the signer tests: fixed keys (Hardhat's well-known development accounts, never
 * funded anywhere real), token domains and requirement builders.
 */
import { privateKeyToAccount } from "viem/accounts";
import type {
  PaymentRequiredV1,
  PaymentRequiredV2,
  PaymentRequirementsV1,
  PaymentRequirementsV2,
} from "../src/wire/index.js";

/** Hardhat development private keys 0–3 (public knowledge; test only). */
export const privateKeys = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
] as const;

/** Local accounts for {@link privateKeys}. */
export const accounts = privateKeys.map((key) => privateKeyToAccount(key));

/** The payer in most tests. */
export const payer = accounts[0]!;
/** The payee (`payTo`) in most tests. */
export const payee = accounts[1]!;

/** Base Sepolia USDC and its EIP-712 domain (name "USDC", version "2"). */
export const baseSepoliaUsdc = {
  address: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  name: "USDC",
  version: "2",
  chainId: 84532,
} as const;

/** Base USDC and its EIP-712 domain (name "USD Coin", version "2"). */
export const baseUsdc = {
  address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
  name: "USD Coin",
  version: "2",
  chainId: 8453,
} as const;

/** A fixed nonce for deterministic vectors. */
export const fixedNonce = "0x5d0f7e1c3b2a4f6e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e" as const;

/**
 * Builds a v2 requirement for Base Sepolia USDC.
 *
 * @param overrides - Fields to replace.
 * @returns The requirement.
 */
export function buildRequirementsV2(overrides: Partial<PaymentRequirementsV2> = {}): PaymentRequirementsV2 {
  return {
    scheme: "exact",
    network: "eip155:84532",
    amount: "10000",
    asset: baseSepoliaUsdc.address,
    payTo: payee.address,
    maxTimeoutSeconds: 60,
    extra: { name: baseSepoliaUsdc.name, version: baseSepoliaUsdc.version },
    ...overrides,
  };
}

/**
 * Builds a v2 `PaymentRequired` with one requirement.
 *
 * @param overrides - Fields to replace.
 * @returns The `PaymentRequired`.
 */
export function buildPaymentRequiredV2(overrides: Partial<PaymentRequiredV2> = {}): PaymentRequiredV2 {
  return {
    x402Version: 2,
    error: "Payment required",
    resource: { url: "https://api.example.com/report", description: "Weather report", mimeType: "application/json" },
    accepts: [buildRequirementsV2()],
    ...overrides,
  };
}

/**
 * Builds a v1 requirement for Base Sepolia USDC.
 *
 * @param overrides - Fields to replace.
 * @returns The requirement.
 */
export function buildRequirementsV1(overrides: Partial<PaymentRequirementsV1> = {}): PaymentRequirementsV1 {
  return {
    scheme: "exact",
    network: "base-sepolia",
    maxAmountRequired: "10000",
    resource: "https://api.example.com/report",
    description: "Weather report",
    mimeType: "application/json",
    payTo: payee.address,
    maxTimeoutSeconds: 60,
    asset: baseSepoliaUsdc.address,
    extra: { name: baseSepoliaUsdc.name, version: baseSepoliaUsdc.version },
    ...overrides,
  };
}

/**
 * Builds a v1 402 body with one requirement.
 *
 * @param overrides - Fields to replace.
 * @returns The body.
 */
export function buildPaymentRequiredV1(overrides: Partial<PaymentRequiredV1> = {}): PaymentRequiredV1 {
  return {
    x402Version: 1,
    error: "X-PAYMENT header is required",
    accepts: [buildRequirementsV1()],
    ...overrides,
  };
}

/** The receiver authorizer of batch-settlement channels in tests (Hardhat account 2). */
export const receiverAuthorizer = accounts[2]!;

/**
 * Builds a v2 `batch-settlement` requirement for Base Sepolia USDC (0.001 USDC per request).
 *
 * @param overrides - Fields to replace.
 * @returns The requirement.
 */
export function batchSettlementRequirements(overrides: Partial<PaymentRequirementsV2> = {}): PaymentRequirementsV2 {
  return {
    scheme: "batch-settlement",
    network: "eip155:84532",
    amount: "1000",
    asset: baseSepoliaUsdc.address,
    payTo: payee.address,
    maxTimeoutSeconds: 300,
    extra: {
      name: baseSepoliaUsdc.name,
      version: baseSepoliaUsdc.version,
      receiverAuthorizer: receiverAuthorizer.address,
    },
    ...overrides,
  };
}
