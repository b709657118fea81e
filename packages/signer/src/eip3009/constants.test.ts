import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { keccak256, toHex } from "viem";
import {
  CANCEL_AUTHORIZATION_TYPEHASH,
  cancelAuthorizationTypes,
  RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
  receiveWithAuthorizationTypes,
  TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
  transferWithAuthorizationTypes,
} from "./constants.js";

/** EIP-712 `encodeType` for a struct without nested types. */
function encodeFlatType(primaryType: string, fields: readonly { name: string; type: string }[]): string {
  return `${primaryType}(${fields.map((f) => `${f.type} ${f.name}`).join(",")})`;
}

describe("eip3009 constants", () => {
  test("behavior: typehashes equal keccak256 of the encoded type tables", () => {
    const cases = [
      [
        "TransferWithAuthorization",
        transferWithAuthorizationTypes.TransferWithAuthorization,
        TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
      ],
      [
        "ReceiveWithAuthorization",
        receiveWithAuthorizationTypes.ReceiveWithAuthorization,
        RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
      ],
      ["CancelAuthorization", cancelAuthorizationTypes.CancelAuthorization, CANCEL_AUTHORIZATION_TYPEHASH],
    ] as const;
    for (const [primaryType, fields, typehash] of cases) {
      assert.equal(keccak256(toHex(encodeFlatType(primaryType, fields))), typehash, primaryType);
    }
  });
});
