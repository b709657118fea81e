/**
 * `@x402kit/hardhat-node`: start and stop a local `hardhat node` (Hardhat 3 / EDR) from Node.js, for
 * devnets and tests, without a Hardhat project.
 *
 * @packageDocumentation
 */

export { type AssertPortFreeParameters, assertPortFree } from "./assertPortFree.js";
export {
  HardhatNodeError,
  type HardhatNodeErrorParameters,
  HardhatNodeStartError,
  lastLines,
  PortInUseError,
} from "./errors.js";
export { type FreePortParameters, freePort } from "./freePort.js";
export { isPortFree } from "./isPortFree.js";
export { isProcessAlive } from "./isProcessAlive.js";
export {
  DEFAULT_HARDHAT_MNEMONIC,
  type HardhatNode,
  type HardhatNodeExit,
  type StartHardhatNodeErrorType,
  type StartHardhatNodeParameters,
  startHardhatNode,
} from "./startHardhatNode.js";
