import { buildModule } from "@nomicfoundation/ignition-core";

/**
 * Ignition module `IdentityRegistry`: the ERC-8004 identity registry behind an ERC-1967 (UUPS) proxy.
 *
 * Futures: `IdentityRegistry#Implementation`, `IdentityRegistry#Proxy` (an OpenZeppelin
 * `ERC1967Proxy` whose constructor calls `initialize(owner)`), and `IdentityRegistry#IdentityRegistry`
 * (the registry ABI at the proxy address: the address integrators use).
 *
 * The owner (who may upgrade) is the deployer, account 0. The explicit-owner initializer is used on
 * purpose: under the CREATE2 strategy the proxy is created by the CreateX factory, which the
 * parameterless `initialize()` would make the owner.
 */
export const identityRegistryModule = buildModule("IdentityRegistry", (m) => {
  const owner = m.getAccount(0);
  const implementation = m.contract("IdentityRegistry", [], { id: "Implementation" });
  const proxy = m.contract(
    "ERC1967Proxy",
    [implementation, m.encodeFunctionCall(implementation, "initialize(address)", [owner], { id: "InitializeCall" })],
    { id: "Proxy" },
  );
  const identityRegistry = m.contractAt("IdentityRegistry", proxy, { id: "IdentityRegistry" });
  return { identityRegistry, implementation, proxy };
});
