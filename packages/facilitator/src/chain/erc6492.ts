import { MULTICALL3_ADDRESS } from "@x402kit/bindings";
import {
  type Address,
  encodeFunctionData,
  type Hex,
  isAddressEqual,
  isErc6492Signature,
  parseAbi,
  parseErc6492Signature,
  zeroAddress,
} from "viem";

/** What an ERC-6492 signature says about deploying its wallet: call `factory` with `calldata`. */
export type WalletDeployment = { factory: Address; calldata: Hex };

/**
 * The parts of a signature: the signature the wallet itself checks (unwrapped from ERC-6492 when wrapped) and, when
 * the wrapper names one, the factory call that deploys the wallet.
 *
 * @param signature - A payment's signature, ERC-6492-wrapped or not.
 * @returns The inner signature and the deployment, if any.
 */
export function signatureParts(signature: Hex): { signature: Hex; deployment: WalletDeployment | undefined } {
  if (!isErc6492Signature(signature)) return { signature, deployment: undefined };
  const parsed = parseErc6492Signature(signature);
  const deployment =
    parsed.address && parsed.data && parsed.data !== "0x" && !isAddressEqual(parsed.address, zeroAddress)
      ? { factory: parsed.address, calldata: parsed.data }
      : undefined;
  return { signature: parsed.signature, deployment };
}

const multicall3Abi = parseAbi([
  "struct Call3 { address target; bool allowFailure; bytes callData; }",
  "struct Result { bool success; bytes returnData; }",
  "function aggregate3(Call3[] calls) payable returns (Result[] returnData)",
]);

/**
 * One transaction that deploys a counterfactual wallet and then makes its payment: Multicall3's `aggregate3` of the
 * factory call (allowed to fail: someone may have deployed the wallet already) and the token call (not allowed to
 * fail, so a refused transfer reverts the whole, and no wallet is deployed at the facilitator's cost for nothing).
 *
 * @param deployment - The factory call.
 * @param token - The token.
 * @param transferCalldata - The token's `transferWithAuthorization` calldata (with the inner signature).
 * @returns The call to send.
 */
export function deployAndCall(
  deployment: WalletDeployment,
  token: Address,
  transferCalldata: Hex,
): { to: Address; data: Hex } {
  return {
    to: MULTICALL3_ADDRESS,
    data: encodeFunctionData({
      abi: multicall3Abi,
      functionName: "aggregate3",
      args: [
        [
          { target: deployment.factory, allowFailure: true, callData: deployment.calldata },
          { target: token, allowFailure: false, callData: transferCalldata },
        ],
      ],
    }),
  };
}
