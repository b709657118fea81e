import { buildModule } from "@nomicfoundation/ignition-core";
import { identityRegistryModule } from "./IdentityRegistry.js";

/**
 * Ignition module `ReputationRegistry`: the ERC-8004 reputation registry behind an ERC-1967 (UUPS)
 * proxy, wired to the identity registry of {@link identityRegistryModule}.
 *
 * Futures: `ReputationRegistry#Implementation`, `ReputationRegistry#Proxy` (its constructor calls
 * `initialize(identityRegistry, owner)`), and `ReputationRegistry#ReputationRegistry` (the registry
 * ABI at the proxy address).
 *
 * The owner is the deployer, account 0, through the explicit-owner initializer (see
 * {@link identityRegistryModule} for why).
 */
export const reputationRegistryModule = buildModule("ReputationRegistry", (m) => {
  const owner = m.getAccount(0);
  const { identityRegistry } = m.useModule(identityRegistryModule);
  const implementation = m.contract("ReputationRegistry", [], { id: "Implementation" });
  const proxy = m.contract(
    "ERC1967Proxy",
    [
      implementation,
      m.encodeFunctionCall(implementation, "initialize(address,address)", [identityRegistry, owner], {
        id: "InitializeCall",
      }),
    ],
    { id: "Proxy" },
  );
  const reputationRegistry = m.contractAt("ReputationRegistry", proxy, { id: "ReputationRegistry" });
  return { reputationRegistry, implementation, proxy };
});
