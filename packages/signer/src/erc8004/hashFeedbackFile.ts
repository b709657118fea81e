import { type Hex, keccak256, toBytes } from "viem";

export type HashFeedbackFileParameters = {
  /** The exact bytes published at `feedbackURI` (text is UTF-8 encoded). */
  content: string | Uint8Array;
};
export type HashFeedbackFileReturnType = Hex;

/**
 * The ERC-8004 `feedbackHash`: `keccak256` of the content behind `feedbackURI`, byte for byte. Hash
 * exactly what is served; `buildFeedbackFile` returns canonical JSON text and its hash together.
 *
 * @param parameters - {@link HashFeedbackFileParameters}
 * @returns The 32-byte hash for `giveFeedback`.
 *
 * @example
 * ```ts
 * import { hashFeedbackFile } from "@x402kit/signer/erc8004";
 * const body = await (await fetch(feedbackURI)).text();
 * if (hashFeedbackFile({ content: body }) !== feedbackHash) throw new Error("file changed");
 * ```
 */
export function hashFeedbackFile(parameters: HashFeedbackFileParameters): HashFeedbackFileReturnType {
  const { content } = parameters;
  return keccak256(typeof content === "string" ? toBytes(content) : content);
}
