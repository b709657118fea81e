import { buildModule } from "@nomicfoundation/ignition-core";
import { identityRegistryModule } from "./IdentityRegistry.js";

/**
 * Ignition module `ValidationRegistry`: the ERC-8004 validation registry behind an ERC-1967 (UUPS)
 * proxy, wired to the identity registry of {@link identityRegistryModule}.
 *
 * Futures: `ValidationRegistry#Implementation`, `ValidationRegistry#Proxy` (its constructor calls
 * `initialize(identityRegistry, owner)`), and `ValidationRegistry#ValidationRegistry` (the registry
 * ABI at the proxy address).
 *
 * The owner is the deployer, account 0, through the explicit-owner initializer (see
 * {@link identityRegistryModule} for why).
 */
export const validationRegistryModule = buildModule("ValidationRegistry", (m) => {
  const owner = m.getAccount(0);
  const { identityRegistry } = m.useModule(identityRegistryModule);
  const implementation = m.contract("ValidationRegistry", [], { id: "Implementation" });
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
  const validationRegistry = m.contractAt("ValidationRegistry", proxy, { id: "ValidationRegistry" });
  return { validationRegistry, implementation, proxy };
});
