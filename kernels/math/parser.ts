// Recursive-descent parser from tokens to a Node tree. Depth is bounded (MAX_DEPTH); on any
// unexpected token it fails (parse error) instead of guessing. Grammar, loosest first:
// list (, ; and or) → relation (= < ≤ … \in) → union (\cup \cap \setminus) → sum (+ - \pm) →
// term (· / : and implicit products) → unary (- + \pm) → power (^) → postfix (! % °) → primary.
// Two numbers side by side are never a product: "3 4 1 2" is a sequence (a List marked `ordered`),
// except a whole number before a proper fraction, which is a mixed number ("2 1/2", "2\frac{1}{2}").
import { K, Node, RelOp, binary, unary } from "./ast";
import { Tok, Token, tokenize } from "./lexer";
import { bigFromDigits, bigPow10 } from "./bigint";
import { Rat, ratCmp, ratMake } from "./rational";

const MAX_DEPTH: i32 = 120;

const UNITS: string[] = [
  "cm", "mm", "km", "ft", "feet", "foot", "inch", "inches", "miles", "mile", "meters", "meter", "metres", "metre",
  "kg", "mg", "sec", "seconds", "second", "minutes", "minute", "mins", "hours", "hour", "hrs", "days", "day",
  "weeks", "week", "years", "year", "yuan", "dollars", "dollar", "cents", "cent", "units", "unit", "degrees",
  "degree", "deg", "liters", "litres", "liter", "ml", "mph", "sq", "square", "cubic", "pounds", "lbs", "oz",
  "grams", "gram", "kilograms", "yards", "yard", "yd", "euros", "euro", "rs", "rupees", "dm", "ha", "kw", "kwh",
  "mps", "km/h", "rad", "radians", "ways", "people", "students", "times",
];
const PERCENT_WORDS: string[] = ["percent", "pct", "percentage"];

function inList(list: string[], s: string): bool {
  for (let i = 0; i < list.length; i++) if (unchecked(list[i]) == s) return true;
  return false;
}

let shorthand = true;

/** Whether `\frac12` / `\sqrt2` shorthand (digits as unbraced arguments) is read (default) or refused. */
export function setShorthand(on: bool): void {
  shorthand = on;
}

/** Result flags of the last parse. */
export class ParseStatus {
  tooComplex: bool = false;
}

/** Parses an answer string into a tree; null when it cannot be parsed (see `status.tooComplex`). */
export function parseAnswer(s: string, status: ParseStatus): Node | null {
  const toks = tokenize(s);
  if (toks === null) {
    status.tooComplex = true;
    return null;
  }
  const p = new Parser(toks);
  const n = p.parseList();
  if (p.tooDeep) status.tooComplex = true;
  if (n === null || p.failed) return null;
  // trailing full stops and stray separators are fine; anything else is not
  while (p.peek().kind != Tok.End) {
    const t = p.peek();
    if (t.kind == Tok.Other && (t.text == "." || t.text == "?")) p.pos++;
    else return null;
  }
  return n;
}

class Parser {
  toks: Token[];
  pos: i32 = 0;
  depth: i32 = 0;
  failed: bool = false;
  tooDeep: bool = false;
  absDepth: i32 = 0;

  constructor(toks: Token[]) {
    this.toks = toks;
  }

  peek(): Token {
    return unchecked(this.toks[min(this.pos, this.toks.length - 1)]);
  }

  peekAt(k: i32): Token {
    return unchecked(this.toks[min(this.pos + k, this.toks.length - 1)]);
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }

  fail(): Node | null {
    this.failed = true;
    return null;
  }

  isSeparator(t: Token): bool {
    return t.kind == Tok.Comma || t.kind == Tok.Semi || (t.kind == Tok.Word && (t.text == "and" || t.text == "or"));
  }

  /** list := item (sep item)* — the top level of an answer. */
  parseList(): Node | null {
    const list = new Node(K.List);
    while (this.isSeparator(this.peek())) this.next();
    // item indexes after which a ';' separates
    const semis = new Array<i32>();
    while (!this.failed) {
      const item = this.parseRelation();
      if (item === null) return this.fail();
      list.kids.push(item);
      if (list.kids.length > 4096) {
        this.tooDeep = true;
        return this.fail();
      }
      if (this.takeSpaced()) {
        list.ordered = true;
        continue;
      }
      let sawSep = false;
      while (this.isSeparator(this.peek())) {
        if (this.peek().kind == Tok.Word && this.peek().text == "or") list.hedged = true;
        if (this.peek().kind == Tok.Semi && (semis.length == 0 || semis[semis.length - 1] != list.kids.length)) {
          semis.push(list.kids.length);
        }
        this.next();
        sawSep = true;
      }
      if (!sawSep) break;
      const t = this.peek();
      if (t.kind == Tok.End || (t.kind == Tok.Other && t.text == ".")) break;
    }
    if (list.ordered && list.kids.length > 1 && (list.hedged || semis.length > 0 || commaSeparated(this.toks))) {
      return this.fail(); // "1, 2 3": neither a list nor a sequence
    }
    if (semis.length > 0) {
      const grouped = labelledGroups(list, semis);
      if (grouped !== null) return grouped;
    }
    return list;
  }

  relOp(t: Token): i32 {
    switch (t.kind) {
      case Tok.Eq:
        return RelOp.Eq;
      case Tok.Lt:
        return RelOp.Lt;
      case Tok.Gt:
        return RelOp.Gt;
      case Tok.Le:
        return RelOp.Le;
      case Tok.Ge:
        return RelOp.Ge;
      case Tok.Ne:
        return RelOp.Ne;
      case Tok.Approx:
        return RelOp.Approx;
      case Tok.In:
        return RelOp.In;
    }
    return -1;
  }

  parseRelation(): Node | null {
    const first = this.parseUnion();
    if (first === null) return null;
    let op = this.relOp(this.peek());
    if (op < 0) return first;
    const rel = new Node(K.Rel);
    rel.kids.push(first);
    while (op >= 0 && !this.failed) {
      this.next();
      const rhs = this.parseUnion();
      if (rhs === null) return this.fail();
      rel.ops.push(op);
      rel.kids.push(rhs);
      if (rel.kids.length > 256) return this.fail();
      op = this.relOp(this.peek());
    }
    return rel;
  }

  parseUnion(): Node | null {
    const first = this.parseSum();
    if (first === null) return null;
    let t = this.peek().kind;
    if (t != Tok.Cup && t != Tok.Cap && t != Tok.SetMinus) return first;
    const u = new Node(K.Union);
    u.kids.push(first);
    while ((t == Tok.Cup || t == Tok.Cap || t == Tok.SetMinus) && !this.failed) {
      this.next();
      const rhs = this.parseSum();
      if (rhs === null) return this.fail();
      u.ops.push(t);
      u.kids.push(rhs);
      if (u.kids.length > 1024) return this.fail();
      t = this.peek().kind;
    }
    return u;
  }

  // set when a term stopped at a number right after a number: the next item of a sequence follows
  spaced: bool = false;

  /** Whether a term just stopped before a number that follows a number (then the next item is read). */
  takeSpaced(): bool {
    if (!this.spaced) return false;
    this.spaced = false;
    return this.peek().kind == Tok.Num;
  }

  /** "2 1/2" (the whole number already read as `whole`): the mixed number, or null. */
  mixedFraction(whole: Node): Node | null {
    if (!isWholeNumber(whole)) return null;
    const a = this.peekAt(0);
    const slash = this.peekAt(1);
    const b = this.peekAt(2);
    const after = this.peekAt(3).kind;
    if (a.kind != Tok.Num || slash.kind != Tok.Div || b.kind != Tok.Num || a.exp != 0 || b.exp != 0) return null;
    if (after == Tok.Num || after == Tok.Pow || after == Tok.Ident || after == Tok.Func || after == Tok.LParen) return null;
    const frac = binary(K.Div, numberNode(a.text, 0), numberNode(b.text, 0));
    if (!isProperFraction(frac)) return null;
    this.pos += 3;
    return mixedNumber(whole, frac);
  }

  enter(): bool {
    this.depth++;
    if (this.depth > MAX_DEPTH) {
      this.tooDeep = true;
      this.failed = true;
      return false;
    }
    return true;
  }

  parseSum(): Node | null {
    if (!this.enter()) return null;
    const r = this.parseSumInner();
    this.depth--;
    return r;
  }

  parseSumInner(): Node | null {
    let left: Node | null;
    const t = this.peek().kind;
    if (t == Tok.Pm || t == Tok.Mp) {
      this.next();
      const x = this.parseTerm();
      if (x === null) return null;
      const pm = new Node(K.Pm);
      pm.b = x;
      pm.ops.push(t == Tok.Mp ? -1 : 1);
      left = pm;
    } else if (t == Tok.Minus) {
      this.next();
      const x = this.parseTerm();
      if (x === null) return null;
      left = unary(K.Neg, x);
    } else {
      if (t == Tok.Plus) this.next();
      left = this.parseTerm();
      if (left === null) return null;
    }
    let sum: Node | null = null;
    while (!this.failed) {
      const k = this.peek().kind;
      if (k != Tok.Plus && k != Tok.Minus && k != Tok.Pm && k != Tok.Mp) break;
      this.next();
      const right = this.parseTerm();
      if (right === null) return this.fail();
      if (k == Tok.Pm || k == Tok.Mp) {
        const base: Node = sum !== null ? sum : left!;
        const pm = new Node(K.Pm);
        pm.a = base;
        pm.b = right;
        pm.ops.push(k == Tok.Mp ? -1 : 1);
        left = pm;
        sum = null;
        continue;
      }
      if (sum === null) {
        sum = new Node(K.Add);
        sum.kids.push(left!);
      }
      sum.kids.push(k == Tok.Minus ? unary(K.Neg, right) : right);
      if (sum.kids.length > 4096) {
        this.tooDeep = true;
        return this.fail();
      }
    }
    return sum !== null ? sum : left;
  }

  startsPrimary(t: Token): bool {
    switch (t.kind) {
      case Tok.Num:
      case Tok.Ident:
      case Tok.Func:
      case Tok.LParen:
      case Tok.LBrace:
      case Tok.Infty:
      case Tok.Begin:
        return true;
      case Tok.Bar:
        return this.absDepth == 0;
      case Tok.Floor:
      case Tok.Ceil:
        return t.text == "l";
      case Tok.Word:
        return t.text != "and" && t.text != "or";
    }
    return false;
  }

  parseTerm(): Node | null {
    if (!this.enter()) return null;
    const r = this.parseTermInner();
    this.depth--;
    return r;
  }

  parseTermInner(): Node | null {
    let cur = this.parseUnary();
    if (cur === null) return null;
    let guard = 0;
    while (!this.failed && guard++ < 100000) {
      const t = this.peek();
      if (t.kind == Tok.Mul || t.kind == Tok.Div || t.kind == Tok.Colon) {
        this.next();
        const rhs = this.parseUnary();
        if (rhs === null) return this.fail();
        cur = t.kind == Tok.Mul ? mul(cur!, rhs) : binary(K.Div, cur!, rhs);
        continue;
      }
      if (t.kind == Tok.Word || (t.kind == Tok.Ident && t.fromText)) {
        const w = t.text.toLowerCase();
        if (w == "and" || w == "or") break;
        if (inList(PERCENT_WORDS, w)) {
          this.next();
          cur = unary(K.Percent, cur!);
          continue;
        }
        if (inList(UNITS, w) || t.fromText) {
          // a unit after a quantity: dropped, with its power (cm^2)
          this.next();
          if (this.peek().kind == Tok.Pow) {
            this.next();
            if (this.parsePrimary() === null) return this.fail();
          }
          continue;
        }
      }
      if (t.kind == Tok.Percent) {
        this.next();
        cur = unary(K.Percent, cur!);
        continue;
      }
      if (t.kind == Tok.Degree) {
        this.next();
        continue;
      }
      if (!this.startsPrimary(t)) break;
      const afterNumber = this.pos > 0 && unchecked(this.toks[this.pos - 1]).kind == Tok.Num;
      if (afterNumber && t.kind == Tok.Num) {
        // a space between two numbers is never a product: a mixed number or the next item of a sequence
        const mixed = this.mixedFraction(cur!);
        if (mixed !== null) {
          cur = mixed;
          continue;
        }
        this.spaced = true;
        break;
      }
      const rhs = this.parseUnary();
      if (rhs === null) return this.fail();
      if (afterNumber && t.kind == Tok.Func && t.text == "frac" && isWholeNumber(cur!) && isProperFraction(rhs)) {
        cur = mixedNumber(cur!, rhs); // 2\frac{1}{2} = 5/2
      } else cur = mul(cur!, rhs);
    }
    return cur;
  }

  parseUnary(): Node | null {
    if (!this.enter()) return null;
    let r: Node | null;
    const t = this.peek().kind;
    if (t == Tok.Minus) {
      this.next();
      const x = this.parseUnary();
      r = x === null ? null : unary(K.Neg, x);
    } else if (t == Tok.Plus) {
      this.next();
      r = this.parseUnary();
    } else if (t == Tok.Pm || t == Tok.Mp) {
      this.next();
      const x = this.parseUnary();
      if (x === null) r = null;
      else {
        const pm = new Node(K.Pm);
        pm.b = x;
        pm.ops.push(t == Tok.Mp ? -1 : 1);
        r = pm;
      }
    } else r = this.parsePower();
    this.depth--;
    return r;
  }

  parsePower(): Node | null {
    const base = this.parsePostfix();
    if (base === null) return null;
    if (this.peek().kind != Tok.Pow) return base;
    this.next();
    let exp: Node | null;
    if (this.peek().kind == Tok.Minus) {
      this.next();
      const e = this.parsePowerOperand();
      exp = e === null ? null : unary(K.Neg, e);
    } else exp = this.parsePowerOperand();
    if (exp === null) return this.fail();
    let r = binary(K.Pow, base, exp);
    while (this.peek().kind == Tok.Bang || this.peek().kind == Tok.Percent || this.peek().kind == Tok.Degree) {
      const k = this.next().kind;
      if (k == Tok.Bang) r = unary(K.Fact, r);
      else if (k == Tok.Percent) r = unary(K.Percent, r);
    }
    return r;
  }

  parsePowerOperand(): Node | null {
    if (!this.enter()) return null;
    const r = this.parsePower();
    this.depth--;
    return r;
  }

  parsePostfix(): Node | null {
    let p = this.parsePrimary();
    if (p === null) return null;
    while (true) {
      const k = this.peek().kind;
      if (k == Tok.Bang) {
        this.next();
        p = unary(K.Fact, p!);
      } else if (k == Tok.Sub) {
        // a subscript on something that is not a name: dropped
        this.next();
        if (this.parsePrimary() === null) return this.fail();
      } else break;
    }
    return p;
  }

  /** One argument of \frac, \sqrt, \binom: a braced group, or a single digit / letter / command. */
  parseArg(): Node | null {
    const t = this.peek();
    if (t.kind == Tok.Num && t.exp == 0 && t.text.length > 1 && t.text.indexOf(".") < 0) {
      if (!shorthand) return this.fail();
      const digit = t.text.substring(0, 1);
      t.text = t.text.substring(1);
      return numberNode(digit, 0);
    }
    return this.parsePrimary();
  }

  subscriptText(): string {
    // after '_': a braced group (its tokens joined) or one token
    if (this.peek().kind == Tok.LBrace) {
      this.next();
      const parts = new Array<string>();
      let depth = 1;
      let guard = 0;
      while (guard++ < 10000) {
        const t = this.next();
        if (t.kind == Tok.End) break;
        if (t.kind == Tok.LBrace) depth++;
        if (t.kind == Tok.RBrace) {
          depth--;
          if (depth == 0) break;
        }
        parts.push(t.text.length > 0 ? t.text : "#" + (<i32>t.kind).toString());
      }
      return parts.join("");
    }
    const t = this.next();
    if (t.kind == Tok.Num && t.text.length > 1) {
      const d = t.text.substring(0, 1);
      return d;
    }
    return t.text;
  }

  parsePrimary(): Node | null {
    if (!this.enter()) return null;
    const r = this.parsePrimaryInner();
    this.depth--;
    return r;
  }

  parsePrimaryInner(): Node | null {
    const t = this.next();
    switch (t.kind) {
      case Tok.Num:
        return numberNode(t.text, t.exp);
      case Tok.Ident: {
        let name = t.text;
        if (this.peek().kind == Tok.Sub) {
          this.next();
          name = name + "_" + this.subscriptText();
          const s = new Node(K.Sym);
          s.name = name;
          return s;
        }
        if (name == "pi") return new Node(K.Pi);
        if (name == "e" && !t.fromText) return new Node(K.E);
        if (name == "i") return new Node(K.I);
        const s = new Node(K.Sym);
        s.name = name;
        return s;
      }
      case Tok.Word: {
        // a run of letters outside \text: a product of one-letter variables (xy = x·y)
        let prod: Node | null = null;
        for (let i = 0; i < t.text.length && i < 64; i++) {
          const s = new Node(K.Sym);
          s.name = t.text.charAt(i);
          prod = prod === null ? s : mul(prod, s);
        }
        return prod;
      }
      case Tok.Infty:
        return new Node(K.Inf);
      case Tok.EmptySet:
        return new Node(K.Empty);
      case Tok.Func:
        return this.parseFunction(t.text);
      case Tok.LParen:
        return this.parseBracketed(Tok.LParen);
      case Tok.LBrack:
        return this.parseBracketed(Tok.LBrack);
      case Tok.LBrace: {
        const items = this.parseItemsUntil(Tok.RBrace, Tok.RBrace);
        if (items === null) return this.fail();
        if (items.length == 1) return items[0];
        const set = new Node(items.length == 0 ? K.Empty : K.Set);
        set.kids = items;
        return set;
      }
      case Tok.SetOpen: {
        const items = this.parseItemsUntil(Tok.SetClose, Tok.SetClose);
        if (items === null) return this.fail();
        const set = new Node(items.length == 0 ? K.Empty : K.Set);
        set.kids = items;
        return set;
      }
      case Tok.Bar: {
        this.absDepth++;
        const inner = this.parseSum();
        this.absDepth--;
        if (inner === null || this.next().kind != Tok.Bar) return this.fail();
        return unary(K.Abs, inner);
      }
      case Tok.Floor:
      case Tok.Ceil: {
        const inner = this.parseSum();
        const close = this.next();
        if (inner === null || close.kind != t.kind || close.text != "r") return this.fail();
        return unary(t.kind == Tok.Floor ? K.Floor : K.Ceil, inner);
      }
      case Tok.Begin:
        return this.parseEnvironment(t.text);
    }
    return this.fail();
  }

  parseItemsUntil(close1: Tok, close2: Tok): Node[] | null {
    const items = new Array<Node>();
    if (this.peek().kind == close1 || this.peek().kind == close2) {
      this.next();
      return items;
    }
    while (!this.failed) {
      const item = this.parseRelation();
      if (item === null) return null;
      items.push(item);
      if (items.length > 4096) {
        this.tooDeep = true;
        return null;
      }
      if (this.takeSpaced()) continue;
      const t = this.next();
      if (t.kind == close1 || t.kind == close2) {
        this.lastClose = t.kind;
        return items;
      }
      if (!this.isSeparator(t)) return null;
    }
    return null;
  }

  lastClose: Tok = Tok.End;

  parseBracketed(open: Tok): Node | null {
    this.lastClose = Tok.End;
    const items = this.parseItemsUntil(Tok.RParen, Tok.RBrack);
    if (items === null) return this.fail();
    const close = this.lastClose;
    const openCh = open == Tok.LParen ? 40 : 91;
    const closeCh = close == Tok.RParen ? 41 : 93;
    if (items.length == 1 && ((openCh == 40 && closeCh == 41) || (openCh == 91 && closeCh == 93))) return items[0];
    const tup = new Node(K.Tuple);
    tup.kids = items;
    tup.open = openCh;
    tup.close = closeCh;
    return tup;
  }

  parseFunction(name: string): Node | null {
    if (name == "frac") {
      const a = this.parseArg();
      if (a === null) return this.fail();
      const b = this.parseArg();
      if (b === null) return this.fail();
      return binary(K.Div, a, b);
    }
    if (name == "binom") {
      const a = this.parseArg();
      if (a === null) return this.fail();
      const b = this.parseArg();
      if (b === null) return this.fail();
      const f = new Node(K.Func);
      f.name = "binom";
      f.kids.push(a);
      f.kids.push(b);
      return f;
    }
    if (name == "sqrt") {
      let index: Node | null = null;
      if (this.peek().kind == Tok.LBrack) {
        this.next();
        index = this.parseSum();
        if (index === null || this.next().kind != Tok.RBrack) return this.fail();
      }
      const a = this.parseArg();
      if (a === null) return this.fail();
      if (index !== null) return binary(K.Pow, a, binary(K.Div, numberNode("1", 0), index));
      const f = new Node(K.Func);
      f.name = "sqrt";
      f.kids.push(a);
      return f;
    }
    const f = new Node(K.Func);
    f.name = name;
    let base: Node | null = null;
    let power: Node | null = null;
    for (let k = 0; k < 2; k++) {
      if (this.peek().kind == Tok.Sub && base === null) {
        this.next();
        base = this.parseArg();
        if (base === null) return this.fail();
      } else if (this.peek().kind == Tok.Pow && power === null) {
        this.next();
        if (this.peek().kind == Tok.Minus) {
          this.next();
          const e = this.parseArg();
          if (e === null) return this.fail();
          power = unary(K.Neg, e);
        } else power = this.parseArg();
        if (power === null) return this.fail();
      }
    }
    if (name == "max" || name == "min" || name == "gcd" || name == "lcm") {
      if (this.peek().kind != Tok.LParen) return this.fail();
      this.next();
      const items = this.parseItemsUntil(Tok.RParen, Tok.RParen);
      if (items === null) return this.fail();
      f.kids = items;
    } else {
      let arg: Node | null;
      if (this.peek().kind == Tok.LParen || this.peek().kind == Tok.LBrace) arg = this.parsePower();
      else arg = this.parseFuncArgument();
      if (arg === null) return this.fail();
      f.kids.push(arg);
      if (base !== null) f.kids.push(base);
    }
    if (power !== null) {
      // sin^{-1} is arcsin; other powers apply to the value
      if (power.kind == K.Neg && power.a !== null && power.a!.kind == K.Num && name.length == 3) {
        f.name = "arc" + name;
        return f;
      }
      return binary(K.Pow, f, power);
    }
    return f;
  }

  /** The argument of \sin x, \log 2x: a product of powers, stopping at the next function. */
  parseFuncArgument(): Node | null {
    let cur = this.parsePower();
    if (cur === null) return null;
    let guard = 0;
    while (guard++ < 1000) {
      const t = this.peek();
      if (t.kind == Tok.Func || !this.startsPrimary(t) || t.kind == Tok.LParen) break;
      if (t.kind == Tok.Word) break;
      const rhs = this.parsePower();
      if (rhs === null) return this.fail();
      cur = mul(cur!, rhs);
    }
    return cur;
  }

  parseEnvironment(env: string): Node | null {
    const isMatrix = env.endsWith("matrix") || env == "array";
    const rows = new Array<Node>();
    let row = new Node(K.Tuple);
    row.open = 40;
    row.close = 41;
    let guard = 0;
    while (!this.failed && guard++ < 100000) {
      const t = this.peek();
      if (t.kind == Tok.EndEnv) {
        this.next();
        break;
      }
      if (t.kind == Tok.End) return this.fail();
      if (t.kind == Tok.Amp) {
        this.next();
        continue;
      }
      if (t.kind == Tok.RowSep) {
        this.next();
        if (row.kids.length > 0) rows.push(row);
        row = new Node(K.Tuple);
        row.open = 40;
        row.close = 41;
        continue;
      }
      const cell = this.parseRelation();
      if (cell === null) return this.fail();
      row.kids.push(cell);
      if (rows.length * 64 + row.kids.length > 10000) {
        this.tooDeep = true;
        return this.fail();
      }
    }
    if (row.kids.length > 0) rows.push(row);
    if (!isMatrix) {
      const list = new Node(K.List);
      for (let i = 0; i < rows.length; i++) for (let j = 0; j < rows[i].kids.length; j++) list.kids.push(rows[i].kids[j]);
      return list.kids.length == 1 ? list.kids[0] : list;
    }
    const m = new Node(K.Matrix);
    m.kids = rows;
    m.cols = rows.length > 0 ? rows[0].kids.length : 0;
    return m;
  }
}

/** A whole number literal, or its negation (-2 in "-2 1/2"). */
function isWholeNumber(n: Node): bool {
  const v = n.kind == K.Neg && n.a !== null ? n.a! : n;
  return v.kind == K.Num && !v.decimal && v.rat !== null && v.rat!.isInteger() && v.name != "huge";
}

/** p/q with whole numbers 0 < p < q. */
function isProperFraction(n: Node): bool {
  if (n.kind != K.Div || n.a === null || n.b === null) return false;
  const a = n.a!;
  const b = n.b!;
  if (!isWholeNumber(a) || !isWholeNumber(b) || a.kind != K.Num || b.kind != K.Num) return false;
  return !a.rat!.isZero() && ratCmp(a.rat!, b.rat!) < 0;
}

/** w p/q = w + p/q (and -w p/q = -(w + p/q)). */
function mixedNumber(whole: Node, frac: Node): Node {
  const neg = whole.kind == K.Neg;
  const sum = new Node(K.Add);
  sum.kids.push(neg ? whole.a! : whole);
  sum.kids.push(frac);
  return neg ? unary(K.Neg, sum) : sum;
}

/** Whether the answer's top level has a comma or semicolon outside brackets. */
function commaSeparated(toks: Token[]): bool {
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const k = unchecked(toks[i]).kind;
    if (k == Tok.LParen || k == Tok.LBrack || k == Tok.LBrace || k == Tok.SetOpen || k == Tok.Begin) depth++;
    else if (k == Tok.RParen || k == Tok.RBrack || k == Tok.RBrace || k == Tok.SetClose || k == Tok.EndEnv) depth--;
    else if (depth <= 0 && (k == Tok.Comma || k == Tok.Semi)) return true;
  }
  return false;
}

function mul(a: Node, b: Node): Node {
  if (a.kind == K.Mul) {
    a.kids.push(b);
    return a;
  }
  const m = new Node(K.Mul);
  m.kids.push(a);
  m.kids.push(b);
  return m;
}

/** A number literal: digits with an optional '.', times 10^exp, as an exact rational. */
export function numberNode(text: string, exp: i32): Node {
  const n = new Node(K.Num);
  const dot = text.indexOf(".");
  let digits: string;
  let scale = 0;
  if (dot >= 0) {
    digits = text.substring(0, dot) + text.substring(dot + 1);
    scale = text.length - dot - 1;
    n.decimal = true;
  } else digits = text;
  scale -= exp;
  if (scale > 0) n.decimal = true;
  const mant = bigFromDigits(digits, 0, digits.length);
  if (scale > 4000 || scale < -4000) {
    n.rat = new Rat(false, [], [1]);
    n.name = "huge";
    return n;
  }
  if (scale >= 0) n.rat = ratMake(false, mant, bigPow10(scale));
  else n.rat = ratMake(false, bigMulPow10(mant, -scale), [1]);
  return n;
}

function bigMulPow10(a: u32[], k: i32): u32[] {
  return bigMulBig(a, bigPow10(k));
}

import { bigMul as bigMulBig } from "./bigint";

/** The label of "p = 5" (a lone name on the left of one '='), or "". */
function labelOf(n: Node): string {
  if (n.kind != K.Rel || n.ops.length != 1 || n.ops[0] != RelOp.Eq || n.kids[0].kind != K.Sym) return "";
  return n.kids[0].name;
}

/**
 * "p=5, q=2; p=7, q=2": groups split by ';' whose items are labelled values with the same labels in
 * the same order become a list of tuples ((5, 2), (7, 2)); null for any other shape.
 */
function labelledGroups(list: Node, semis: i32[]): Node | null {
  const n = list.kids.length;
  const size = semis[0];
  if (size < 2 || n % size != 0) return null;
  for (let i = 0; i < semis.length; i++) if (semis[i] != size * (i + 1) && semis[i] != n) return null;
  if (semis.length < n / size - 1) return null;
  for (let i = 0; i < n; i++) {
    const label = labelOf(list.kids[i]);
    if (label.length == 0 || label != labelOf(list.kids[i % size])) return null;
  }
  for (let i = 0; i < size; i++) for (let j = 0; j < i; j++) if (labelOf(list.kids[i]) == labelOf(list.kids[j])) return null;
  const out = new Node(K.List);
  out.hedged = list.hedged;
  for (let g = 0; g < n; g += size) {
    const t = new Node(K.Tuple);
    t.open = 40;
    t.close = 41;
    for (let k = 0; k < size; k++) t.kids.push(list.kids[g + k].kids[1]);
    out.kids.push(t);
  }
  return out;
}
