// A small OData $filter evaluator for the forms documented on contacts:
//  emailAddresses/any(a:a/address eq '…')                                     (C-LIST)
//  singleValueExtendedProperties/any(ep: ep/id eq '…' and ep/value eq '…')    (XP; value compare is
//    case-insensitive, the Name part of the id case-sensitive; cast(ep/value, Edm.Int32) for numbers)
// plus eq/ne/gt/ge/lt/le, startswith/contains on scalar properties combined with and/or/not [U: Outlook
// supports more than the docs list; this subset is what a sync client reasonably sends].
import { badRequest } from "./errors";
import { normalizeExtendedPropertyId } from "./extended-properties";
import { isContactProperty, readProperty } from "./contact-shape";
import type { StoredContact } from "./state-types";

type Token = { kind: "punct"; text: string } | { kind: "string"; text: string } | { kind: "number"; value: number } | { kind: "word"; text: string };

const filterError = (message: string) => badRequest(`Invalid filter clause: ${message}`, "ErrorInvalidUrlQueryFilter");

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if ("(),:".includes(ch)) { tokens.push({ kind: "punct", text: ch }); i++; continue; }
    if (ch === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw filterError("unterminated string literal");
        if (text[i] === "'") {
          if (text[i + 1] === "'") { value += "'"; i += 2; continue; }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: "string", text: value });
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num && !/[A-Za-z_]/.test(text[i + num[0].length] ?? "")) {
      tokens.push({ kind: "number", value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_$./]*/.exec(text.slice(i));
    if (!word) throw filterError(`unexpected character '${ch}'`);
    tokens.push({ kind: "word", text: word[0] });
    i += word[0].length;
  }
  return tokens;
}

type Scope = Map<string, Record<string, unknown>>;
type Predicate = (contact: StoredContact, scope: Scope) => boolean;
type Operand = (contact: StoredContact, scope: Scope) => unknown;

const COMPARISONS = ["eq", "ne", "gt", "ge", "lt", "le"];

class Parser {
  private pos = 0;
  /** Lambda variables in scope, so unknown property names are rejected even on an empty folder. */
  private readonly bound: string[] = [];
  constructor(private readonly tokens: Token[]) {}

  parse(): Predicate {
    const p = this.orExpr();
    if (this.pos < this.tokens.length) throw filterError("unexpected trailing input");
    return p;
  }

  private peek(): Token | undefined { return this.tokens[this.pos]; }
  private isWord(text: string): boolean {
    const t = this.peek();
    return t?.kind === "word" && t.text.toLowerCase() === text;
  }
  private expectPunct(text: string): void {
    const t = this.tokens[this.pos++];
    if (t?.kind !== "punct" || t.text !== text) throw filterError(`expected '${text}'`);
  }

  private orExpr(): Predicate {
    let left = this.andExpr();
    while (this.isWord("or")) {
      this.pos++;
      const l = left, r = this.andExpr();
      left = (c, s) => l(c, s) || r(c, s);
    }
    return left;
  }
  private andExpr(): Predicate {
    let left = this.unary();
    while (this.isWord("and")) {
      this.pos++;
      const l = left, r = this.unary();
      left = (c, s) => l(c, s) && r(c, s);
    }
    return left;
  }
  private unary(): Predicate {
    if (this.isWord("not")) {
      this.pos++;
      const inner = this.unary();
      return (c, s) => !inner(c, s);
    }
    return this.primary();
  }
  private primary(): Predicate {
    const t = this.peek();
    if (t?.kind === "punct" && t.text === "(") {
      this.pos++;
      const inner = this.orExpr();
      this.expectPunct(")");
      return inner;
    }
    if (t?.kind === "word") {
      const lambda = /^(.+)\/(any|all)$/i.exec(t.text);
      if (lambda && this.tokens[this.pos + 1]?.kind === "punct") return this.lambda(lambda[1]!, lambda[2]!.toLowerCase());
      const fn = t.text.toLowerCase();
      if ((fn === "startswith" || fn === "contains" || fn === "endswith") && this.tokens[this.pos + 1]?.kind === "punct") {
        this.pos++;
        this.expectPunct("(");
        const a = this.operand();
        this.expectPunct(",");
        const b = this.operand();
        this.expectPunct(")");
        return (c, s) => {
          const x = a(c, s), y = b(c, s);
          if (typeof x !== "string" || typeof y !== "string") return false;
          const lx = x.toLowerCase(), ly = y.toLowerCase();
          return fn === "startswith" ? lx.startsWith(ly) : fn === "endswith" ? lx.endsWith(ly) : lx.includes(ly);
        };
      }
    }
    return this.comparison();
  }
  private lambda(collection: string, quantifier: string): Predicate {
    this.pos++;
    this.expectPunct("(");
    const v = this.tokens[this.pos++];
    if (v?.kind !== "word") throw filterError("expected a lambda variable");
    this.expectPunct(":");
    if (collection !== "singleValueExtendedProperties" && !isContactProperty(collection)) throw filterError(`unknown collection '${collection}'`);
    this.bound.push(v.text);
    const body = this.orExpr();
    this.bound.pop();
    this.expectPunct(")");
    const name = v.text;
    const items = collectionReader(collection);
    return (c, s) => {
      const list = items(c);
      const test = (item: Record<string, unknown>) => body(c, new Map(s).set(name, item));
      return quantifier === "any" ? list.some(test) : list.every(test);
    };
  }
  private comparison(): Predicate {
    const left = this.operand();
    const op = this.tokens[this.pos++];
    if (op?.kind !== "word" || !COMPARISONS.includes(op.text.toLowerCase())) throw filterError("expected a comparison operator");
    const right = this.operand();
    return compare(op.text.toLowerCase(), left, right);
  }
  private operand(): Operand {
    const t = this.tokens[this.pos++];
    if (!t) throw filterError("unexpected end of filter");
    if (t.kind === "string") { const v = t.text; return () => v; }
    if (t.kind === "number") { const v = t.value; return () => v; }
    if (t.kind === "punct") throw filterError(`unexpected '${t.text}'`);
    const lower = t.text.toLowerCase();
    if (lower === "null") return () => null;
    if (lower === "true" || lower === "false") { const v = lower === "true"; return () => v; }
    if (lower === "cast") {
      this.expectPunct("(");
      const inner = this.operand();
      this.expectPunct(",");
      const type = this.tokens[this.pos++];
      this.expectPunct(")");
      if (type?.kind !== "word" || !/^Edm\.(Int32|Int64|Double)$/i.test(type.text)) throw filterError("unsupported cast");
      return (c, s) => Number(inner(c, s));
    }
    const path = t.text;
    const head = path.split("/")[0]!;
    if (!this.bound.includes(head) && !isContactProperty(head)) {
      throw badRequest(`Could not find a property named '${head}' on type 'microsoft.graph.contact'.`, "RequestBroker--ParseUri");
    }
    const parts = path.split("/");
    return (c, s) => readPath(parts, c, s);
  }
}

function collectionReader(collection: string): (c: StoredContact) => Array<Record<string, unknown>> {
  if (collection === "singleValueExtendedProperties") {
    return (c) => Object.entries(c.ext).map(([key, v]) => ({ id: { extendedPropertyKey: key }, value: v.value }));
  }
  return (c) => {
    const value = readProperty(c, collection);
    if (!Array.isArray(value)) throw filterError(`'${collection}' is not a collection`);
    return value.map((v) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : { $it: v }));
  };
}

function readPath(parts: string[], contact: StoredContact, scope: Scope): unknown {
  const [head, ...rest] = parts;
  const bound = scope.get(head!);
  if (bound) {
    if (rest.length === 0) return bound.$it ?? bound;
    return rest.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined), bound);
  }
  const value = readProperty(contact, head!);
  return rest.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined), value);
}

function compare(op: string, left: Operand, right: Operand): Predicate {
  return (c, s) => {
    const a = left(c, s), b = right(c, s);
    // ep/id compares on the normalized id: type, GUID and hex case-insensitively, the Name exactly (XP).
    const idSide = isIdKey(a) ? a : isIdKey(b) ? b : null;
    if (idSide) {
      const other = idSide === a ? b : a;
      if (typeof other !== "string") return op === "ne";
      const same = idSide.extendedPropertyKey === normalizedIdCached(other);
      if (op === "eq") return same;
      if (op === "ne") return !same;
      throw filterError("extended property ids support only eq and ne");
    }
    const x = typeof a === "string" ? a.toLowerCase() : a;
    const y = typeof b === "string" ? b.toLowerCase() : b;
    switch (op) {
      case "eq": return x === y || (x == null && y == null);
      case "ne": return !(x === y || (x == null && y == null));
      default: {
        if (x == null || y == null) return false;
        const xs = x as string | number, ys = y as string | number;
        return op === "gt" ? xs > ys : op === "ge" ? xs >= ys : op === "lt" ? xs < ys : xs <= ys;
      }
    }
  };
}

/** The literal side is the same for every contact: normalize it once per distinct text. */
const normalizedIds = new Map<string, string>();
function normalizedIdCached(text: string): string {
  let key = normalizedIds.get(text);
  if (key === undefined) {
    key = normalizeExtendedPropertyId(text);
    if (normalizedIds.size > 1000) normalizedIds.clear();
    normalizedIds.set(text, key);
  }
  return key;
}

function isIdKey(v: unknown): v is { extendedPropertyKey: string } {
  return typeof v === "object" && v !== null && "extendedPropertyKey" in v;
}

/** Compiles a $filter once per request; evaluation errors (unknown properties) surface as 400s. */
export function compileFilter(text: string | null): ((c: StoredContact) => boolean) | null {
  if (text === null || text.trim() === "") return null;
  const predicate = new Parser(tokenize(text)).parse();
  return (c) => predicate(c, new Map());
}
