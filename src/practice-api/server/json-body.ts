// The JSON body parser: before JSON.parse, one linear pass measures how deep the body nests and how
// many values it holds, so a body within the size limit cannot still cost seconds (a 4-million-deep
// array, half a million keys) in parsing and validation. The parse itself is Fastify's own
// (prototype-poisoning checks included).
import type { FastifyInstance } from "fastify";
import { ProblemError } from "./problem";

/** A contact nests 3 deep and a batch 5; anything near this is not a request this API understands. */
export const JSON_MAX_DEPTH = 16;
/** A batch of 100 full contacts holds a few thousand values. */
export const JSON_MAX_VALUES = 50_000;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_ARRAY = 91;
const OPEN_OBJECT = 123;
const CLOSE_ARRAY = 93;
const CLOSE_OBJECT = 125;
const COMMA = 44;

/** Throws a 400 naming the limit when `text` nests deeper or holds more values than allowed. */
export function checkJsonShape(text: string, maxDepth = JSON_MAX_DEPTH, maxValues = JSON_MAX_VALUES): void {
  let depth = 0;
  let values = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) throw new ProblemError(400, "invalid-json", `The body nests deeper than ${maxDepth} levels.`);
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
    else if (c === COMMA && ++values > maxValues)
      throw new ProblemError(400, "invalid-json", `The body holds more than ${maxValues} values.`);
  }
}

export function useGuardedJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    try {
      checkJsonShape(body as string);
    } catch (e) {
      done(e as Error, undefined);
      return;
    }
    parse(req, body as string, done);
  });
}
