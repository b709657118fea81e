// The module is defined in @x402kit/bindings (so the devnet deploys the same one without Hardhat); this file
// exposes it to `npx hardhat ignition deploy ignition/modules/X402Kit.ts`.
import { x402KitModule } from "../../packages/bindings/src/ignition/modules/X402Kit.js";

export default x402KitModule;
