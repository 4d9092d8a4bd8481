// SPDX-License-Identifier: Apache-2.0
// The Get Wild reply: 418 I'm a teapot, a `powered-by` header and an ASCII-art body, ready to send.
//
//   onRequestHeaders(...): Action { return GET_WILD.send(this); }
import { LocalReply, reply } from "./reply";

/** Value of the `powered-by` header of the Get Wild reply. */
export const GET_WILD_POWERED_BY = "getwild";

/** The body of the Get Wild reply (ASCII only, ends with a newline). */
export const GET_WILD_ART: string = [
  "",
  "   ###   #####  #####      #   #  ###  #      ####",
  "  #      #        #        #   #   #   #      #   #",
  "  # ###  ####     #        # # #   #   #      #   #",
  "  #   #  #        #        ## ##   #   #      #   #",
  "   ###   #####    #        #   #  ###  #####  ####",
  "",
  "                    _",
  "                  _(_)_",
  "       .-.  .---'       '---.",
  "      ( (  /                 \\  ___",
  "       \\ \\|    418  I'M A     |/ _/",
  "        '-|      TEAPOT       |_/",
  "           \\                 /",
  "            '-.___________.-'",
  "",
  "  Get Wild and Tough: answered by the filter, no upstream involved.",
  "",
].join("\n");

/** A new Get Wild reply (change it freely; GET_WILD is the shared one). */
export function getWildReply(): LocalReply {
  return reply(418)
    .header("powered-by", GET_WILD_POWERED_BY)
    .header("content-type", "text/plain; charset=us-ascii")
    .text(GET_WILD_ART)
    .withDetails("getwild_teapot");
}

/** The Get Wild reply, built once per VM. Shared: use getWildReply() or clone() to change it. */
export const GET_WILD: LocalReply = getWildReply();
