/**
 * Shared helpers for the ERC-8004 registry flows: deployment behind ERC-1967 proxies (as in production) and the
 * canonical ABIs the registries must stay compatible with. The EIP-712 definition of the agent-wallet message comes
 * from `@x402kit/signer` (imported from its source), so the contracts and the SDK are tested against one definition.
 */
import { readFileSync } from "node:fs";
import type { ContractReturnType, HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import type { Abi, Address, TypedDataDomain } from "viem";
import { encodeFunctionData } from "viem";
import {
  IDENTITY_REGISTRY_EIP712_NAME,
  IDENTITY_REGISTRY_EIP712_VERSION,
} from "../../packages/signer/src/erc8004/constants.js";

/** The EIP-712 domain of an Identity Registry proxy (the canonical name and version). */
export function identityDomain(
  verifyingContract: Address,
  chainId: number,
): TypedDataDomain & { verifyingContract: Address } {
  return { name: IDENTITY_REGISTRY_EIP712_NAME, version: IDENTITY_REGISTRY_EIP712_VERSION, chainId, verifyingContract };
}

/** The canonical registries whose ABIs are pinned in `test/fixtures/erc8004-abis`. */
export type CanonicalRegistry = "IdentityRegistry" | "ReputationRegistry" | "ValidationRegistry";

/** Directory of the pinned canonical ABIs. */
export const canonicalAbiDirectory = new URL("../fixtures/erc8004-abis/", import.meta.url);

/** Loads the canonical ABI of `name` from the fixtures. */
export function loadCanonicalAbi(name: CanonicalRegistry): Abi {
  return JSON.parse(readFileSync(new URL(`${name}.json`, canonicalAbiDirectory), "utf8")) as Abi;
}

/** The three registries (typed at their proxies) and their implementation addresses. */
export type Erc8004Deployment = {
  identity: ContractReturnType<"IdentityRegistry">;
  reputation: ContractReturnType<"ReputationRegistry">;
  validation: ContractReturnType<"ValidationRegistry">;
  implementations: { identity: Address; reputation: Address; validation: Address };
};

/**
 * Deploys the three registries behind ERC-1967 proxies, initialised with `owner` as the account allowed to
 * upgrade them, as a deployment script would.
 */
export async function deployErc8004(viem: HardhatViemHelpers, owner: Address): Promise<Erc8004Deployment> {
  const identityImplementation = await viem.deployContract("IdentityRegistry");
  const identityProxy = await viem.deployContract("ERC1967Proxy", [
    identityImplementation.address,
    encodeFunctionData({ abi: identityImplementation.abi, functionName: "initialize", args: [owner] }),
  ]);
  const reputationImplementation = await viem.deployContract("ReputationRegistry");
  const reputationProxy = await viem.deployContract("ERC1967Proxy", [
    reputationImplementation.address,
    encodeFunctionData({
      abi: reputationImplementation.abi,
      functionName: "initialize",
      args: [identityProxy.address, owner],
    }),
  ]);
  const validationImplementation = await viem.deployContract("ValidationRegistry");
  const validationProxy = await viem.deployContract("ERC1967Proxy", [
    validationImplementation.address,
    encodeFunctionData({
      abi: validationImplementation.abi,
      functionName: "initialize",
      args: [identityProxy.address, owner],
    }),
  ]);
  return {
    identity: await viem.getContractAt("IdentityRegistry", identityProxy.address),
    reputation: await viem.getContractAt("ReputationRegistry", reputationProxy.address),
    validation: await viem.getContractAt("ValidationRegistry", validationProxy.address),
    implementations: {
      identity: identityImplementation.address,
      reputation: reputationImplementation.address,
      validation: validationImplementation.address,
    },
  };
}
