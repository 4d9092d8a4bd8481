// SPDX-License-Identifier: Apache-2.0
// An ordered list of rules (matcher -> reply): the first rule that matches answers the request.
import { Action, StreamContext } from "@getwild/core/assembly";
import { Matcher } from "./match";
import { LocalReply } from "./reply";
import { RequestView } from "./request";

export class Rule {
  constructor(
    public readonly matcher: Matcher,
    public readonly reply: LocalReply,
  ) {}
}

/** No rule matched: `Responder.answer` returned this index. */
export const NO_RULE: i32 = -1;

export class Responder {
  readonly rules: Rule[] = [];

  /** Appends a rule; earlier rules win. */
  when(matcher: Matcher, reply: LocalReply): Responder {
    this.rules.push(new Rule(matcher, reply));
    return this;
  }

  /** Index of the first rule matching `request`, or NO_RULE. */
  find(request: RequestView): i32 {
    for (let i = 0, n = this.rules.length; i < n; i++) {
      if (unchecked(this.rules[i]).matcher.matches(request)) return i;
    }
    return NO_RULE;
  }

  /**
   * In onRequestHeaders: answers with the first matching rule's reply (returns Action.Pause), or
   * lets the request pass on when no rule matches (Action.Continue).
   */
  answer(context: StreamContext): Action {
    if (this.rules.length == 0) return Action.Continue;
    let index = this.find(RequestView.of(context.requestHeaders));
    if (index == NO_RULE) return Action.Continue;
    return unchecked(this.rules[index]).reply.send(context);
  }
}
