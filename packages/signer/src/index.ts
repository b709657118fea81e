export {
  CANCEL_AUTHORIZATION_TYPEHASH,
  cancelAuthorizationTypes,
  RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
  receiveWithAuthorizationTypes,
  TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
  transferWithAuthorizationTypes,
} from "./eip3009/constants.js";
