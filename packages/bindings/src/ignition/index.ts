/**
 * `@x402kit/bindings/ignition`: the x402kit Hardhat Ignition modules, plus what deploying them
 * without a Hardhat project takes: an artifact resolver over the bindings' artifacts, the CREATE2
 * salt, a CreateX installer for development nodes, and {@link deployX402Kit}.
 *
 * Needs the optional peer dependency `@nomicfoundation/ignition-core`.
 *
 * @packageDocumentation
 */

export {
  ArtifactNotFoundError,
  type ArtifactNotFoundErrorType,
  CreateXBytecodeMismatchError,
  type CreateXBytecodeMismatchErrorType,
  CreateXNotDeployedError,
  type CreateXNotDeployedErrorType,
  IgnitionDeploymentError,
  type IgnitionDeploymentErrorType,
} from "../errors/ignition.js";
export { artifacts } from "../generated/artifacts.js";
export {
  createXAddress,
  createXDeployedBytecodeHash,
  createXPresignedDeployer,
  createXPresignedTransaction,
} from "../generated/createx.js";
export { artifactResolver } from "./artifactResolver.js";
export { create2Salt } from "./constants.js";
export {
  type DeployX402KitErrorType,
  type DeployX402KitParameters,
  type DeployX402KitReturnType,
  deployX402Kit,
} from "./deployX402Kit.js";
export {
  type EnsureCreateXErrorType,
  type EnsureCreateXParameters,
  type EnsureCreateXReturnType,
  ensureCreateX,
} from "./ensureCreateX.js";
export { batchSettlementRouterModule } from "./modules/BatchSettlementRouter.js";
export { identityRegistryModule } from "./modules/IdentityRegistry.js";
export { reputationRegistryModule } from "./modules/ReputationRegistry.js";
export { testUsdcModule } from "./modules/TestUSDC.js";
export { validationRegistryModule } from "./modules/ValidationRegistry.js";
export { x402KitModule } from "./modules/X402Kit.js";
export { localParameters, testUsdcDefaults } from "./parameters.js";
