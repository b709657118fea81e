// The module is defined in @x402kit/bindings (so the devnet deploys the same one without Hardhat); this file
// exposes it to `npx hardhat ignition deploy ignition/modules/IdentityRegistry.ts`.
import { identityRegistryModule } from "../../packages/bindings/src/ignition/modules/IdentityRegistry.js";

export default identityRegistryModule;
