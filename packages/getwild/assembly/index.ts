// SPDX-License-Identifier: Apache-2.0
// Public API of @getwild/getwild: answer requests from the filter with fixed local replies.
export { LocalReply, reply, GRPC_STATUS_MAX, REPLY_DETAILS } from "./reply";
export { RequestView } from "./request";
export {
  Matcher,
  MethodMatcher,
  PathMatcher,
  PathPrefixMatcher,
  HeaderPresentMatcher,
  HeaderEqualsMatcher,
  AllOf,
  AnyOf,
  NotMatcher,
  anyRequest,
  methodIs,
  methodIn,
  pathIs,
  pathStartsWith,
  headerPresent,
  headerEquals,
  allOf,
  anyOf,
  not,
} from "./match";
export { Rule, Responder, NO_RULE } from "./responder";
export {
  ResponderConfig,
  parseResponderConfig,
  parseResponderConfigText,
  MIN_RULE_STATUS,
  MAX_RULE_STATUS,
} from "./config";
export { ResponderRoot, ResponderStream } from "./responder_plugin";
export { GET_WILD, GET_WILD_ART, GET_WILD_POWERED_BY, getWildReply } from "./getwild";
