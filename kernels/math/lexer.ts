// Tokenizer for answers written in LaTeX or plain text. It folds the usual noise into nothing
// (\left, \right, \!, \,, \quad, $, \text and font wrappers, ^\circ) and maps synonyms onto one
// token (\dfrac/\tfrac/\cfrac → frac, \leq/\le/<=/≤ → LE, × → MUL, − → minus, full-width digits).

export enum Tok {
  End,
  Num, // text: digits with at most one '.', thousands separators removed; exp: decimal exponent
  Ident, // text: a one-letter name or a Greek/unknown command name
  Word, // text: a run of two or more plain letters
  Func, // text: function name (sin, log, sqrt, frac, binom, …)
  Plus,
  Minus,
  Mul,
  Div,
  Pow,
  Sub, // '_'
  LParen,
  RParen,
  LBrack,
  RBrack,
  LBrace, // '{' (a group)
  RBrace,
  SetOpen, // '\{'
  SetClose, // '\}'
  Comma,
  Semi,
  Bar, // '|'
  Bang,
  Percent,
  Eq,
  Lt,
  Gt,
  Le,
  Ge,
  Ne,
  Approx,
  In,
  Pm,
  Mp,
  Cup,
  Cap,
  SetMinus,
  Infty,
  EmptySet,
  Amp,
  RowSep,
  Begin, // text: environment name
  EndEnv, // text: environment name
  Colon,
  Degree,
  Floor, // text "l" or "r"
  Ceil,
  Other,
}

/** One token with its text (for numbers, names and environments). */
export class Token {
  kind: Tok;
  text: string;
  exp: i32 = 0;
  // read from inside \text{…} or a font command (words there are units or prose)
  fromText: bool = false;
  constructor(kind: Tok, text: string) {
    this.kind = kind;
    this.text = text;
  }
}

/** Most tokens an answer may have before it is declared too complex. */
export const MAX_TOKENS: i32 = 20000;

const FUNCS: string[] = [
  "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "log", "ln",
  "lg", "exp", "sqrt", "frac", "binom", "max", "min", "gcd", "lcm", "det", "arcsec", "arccsc", "arccot",
];
const SKIPPED_COMMANDS: string[] = [
  "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle", "textstyle",
  "quad", "qquad", "text", "textbf", "textit", "textrm", "textnormal", "mathrm", "mathbf", "mathit", "mathsf",
  "mbox", "operatorname", "boldsymbol", "bm", "mathcal", "mathbb", "vec", "overline", "overrightarrow", "hat",
  "bar", "tilde", "widehat", "limits", "nolimits", "hline", "mathord", "ensuremath", "rm", "bf", "it", "boxed",
  "fbox", "displaylines", "scriptstyle", "hspace", "vspace", "phantom", "cline", "noindent", "medskip",
];
const TEXT_COMMANDS: string[] = [
  "text", "textbf", "textit", "textrm", "textnormal", "mathrm", "mathbf", "mathit", "mathsf", "mbox", "operatorname",
  "textsf", "texttt",
];
let textDepth = 0;
const UNIT_MARKS: string[] = ["mathbf", "hat", "vec", "boldsymbol", "bm", "overrightarrow", "widehat", "mathbfit"];
let unitLetter = "";

/**
 * After a unit-vector mark at `j`: the index after its argument when that is i, j, k, \imath or
 * \jmath (braced or a lone letter; the letter goes to unitLetter), else `j`.
 */
function unitVectorEnd(s: string, j: i32): i32 {
  const n = s.length;
  let k = j;
  while (k < n && s.charCodeAt(k) == 32) k++;
  let arg = "";
  let end = k;
  if (k < n && s.charCodeAt(k) == 123) {
    end = readBraced(s, k);
    arg = s.substring(k + 1, end - 1).trim();
  } else if (k < n && k > j) {
    end = k + 1;
    arg = s.substring(k, end);
    if (end < n && isLetter(s.charCodeAt(end))) return j;
  }
  if (arg == "\\imath") arg = "i";
  else if (arg == "\\jmath") arg = "j";
  if (arg != "i" && arg != "j" && arg != "k") return j;
  unitLetter = arg;
  return end;
}
const GREEK: string[] = [
  "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
  "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma",
  "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
];

function isLetter(c: i32): bool {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

function contains(list: string[], s: string): bool {
  for (let i = 0; i < list.length; i++) if (unchecked(list[i]) == s) return true;
  return false;
}

/** Tokenizes `s`; returns null when it has more than MAX_TOKENS tokens. */
export function tokenize(src: string): Token[] | null {
  const s = foldFullWidth(src);
  const out = new Array<Token>();
  const n = s.length;
  let i = 0;
  while (i < n) {
    if (out.length > MAX_TOKENS) return null;
    let c = s.charCodeAt(i);
    // full-width ASCII forms
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    if (c == 32 || c == 9 || c == 10 || c == 13 || c == 0xa0 || c == 0x3000 || c == 36 || c == 126) {
      i++;
      continue;
    }
    if (isDigit(c) || (c == 46 && i + 1 < n && isDigit(s.charCodeAt(i + 1)))) {
      i = lexNumber(s, i, out);
      continue;
    }
    if (isLetter(c)) {
      let j = i;
      while (j < n && isLetter(s.charCodeAt(j))) j++;
      const word = s.substring(i, j);
      i = j;
      if (word.length == 1) out.push(new Token(Tok.Ident, word));
      else pushWord(word, out);
      continue;
    }
    if (c == 92) {
      i = lexCommand(s, i, out);
      continue;
    }
    i++;
    switch (c) {
      case 43:
        out.push(new Token(Tok.Plus, ""));
        break;
      case 45:
      case 0x2212:
      case 0x2013:
        out.push(new Token(Tok.Minus, ""));
        break;
      case 42:
      case 0xd7:
      case 0xb7:
      case 0x22c5:
        out.push(new Token(Tok.Mul, ""));
        break;
      case 47:
      case 0xf7:
        out.push(new Token(Tok.Div, ""));
        break;
      case 94:
        if (startsWithAt(s, i, "{\\circ}")) {
          i += 7;
          out.push(new Token(Tok.Degree, ""));
        } else if (startsWithAt(s, i, "\\circ")) {
          i += 5;
          out.push(new Token(Tok.Degree, ""));
        } else out.push(new Token(Tok.Pow, ""));
        break;
      case 95:
        out.push(new Token(Tok.Sub, ""));
        break;
      case 40:
        out.push(new Token(Tok.LParen, ""));
        break;
      case 41:
        out.push(new Token(Tok.RParen, ""));
        break;
      case 91:
        out.push(new Token(Tok.LBrack, ""));
        break;
      case 93:
        out.push(new Token(Tok.RBrack, ""));
        break;
      case 123:
        out.push(new Token(Tok.LBrace, ""));
        break;
      case 125:
        out.push(new Token(Tok.RBrace, ""));
        break;
      case 44:
      case 0xff0c:
        out.push(new Token(Tok.Comma, ""));
        break;
      case 59:
        out.push(new Token(Tok.Semi, ""));
        break;
      case 124:
        out.push(new Token(Tok.Bar, ""));
        break;
      case 33:
        if (i < n && s.charCodeAt(i) == 61) {
          i++;
          out.push(new Token(Tok.Ne, ""));
        } else out.push(new Token(Tok.Bang, ""));
        break;
      case 37:
        out.push(new Token(Tok.Percent, ""));
        break;
      case 61:
        if (i < n && s.charCodeAt(i) == 61) i++;
        if (i < n && s.charCodeAt(i) == 60) {
          i++;
          out.push(new Token(Tok.Le, ""));
        } else out.push(new Token(Tok.Eq, ""));
        break;
      case 60:
        if (i < n && s.charCodeAt(i) == 61) {
          i++;
          out.push(new Token(Tok.Le, ""));
        } else out.push(new Token(Tok.Lt, ""));
        break;
      case 62:
        if (i < n && s.charCodeAt(i) == 61) {
          i++;
          out.push(new Token(Tok.Ge, ""));
        } else out.push(new Token(Tok.Gt, ""));
        break;
      case 0x2264:
        out.push(new Token(Tok.Le, ""));
        break;
      case 0x2265:
        out.push(new Token(Tok.Ge, ""));
        break;
      case 0x2260:
        out.push(new Token(Tok.Ne, ""));
        break;
      case 0x2248:
        out.push(new Token(Tok.Approx, ""));
        break;
      case 0xb1:
        out.push(new Token(Tok.Pm, ""));
        break;
      case 0x222a:
        out.push(new Token(Tok.Cup, ""));
        break;
      case 0x2229:
        out.push(new Token(Tok.Cap, ""));
        break;
      case 0x221e:
        out.push(new Token(Tok.Infty, ""));
        break;
      case 0x2208:
        out.push(new Token(Tok.In, ""));
        break;
      case 0x2205:
        out.push(new Token(Tok.EmptySet, ""));
        break;
      case 0x3c0:
        out.push(new Token(Tok.Ident, "pi"));
        break;
      case 0x221a:
        out.push(new Token(Tok.Func, "sqrt"));
        break;
      case 0xb0:
        out.push(new Token(Tok.Degree, ""));
        break;
      case 38:
        out.push(new Token(Tok.Amp, ""));
        break;
      case 58:
        out.push(new Token(Tok.Colon, ""));
        break;
      case 39:
      case 0x2032:
        break; // primes are dropped
      default:
        out.push(new Token(Tok.Other, String.fromCharCode(c)));
    }
  }
  out.push(new Token(Tok.End, ""));
  return out;
}

function foldFullWidth(s: string): string {
  // full-width ASCII forms (１２, ＋) read as their ASCII twins
  let any = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) {
      any = true;
      break;
    }
  }
  if (!any) return s;
  const parts = new Array<string>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    parts.push(String.fromCharCode(c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c));
  }
  return parts.join("");
}

function startsWithAt(s: string, i: i32, w: string): bool {
  const n = w.length;
  if (i + n > s.length) return false;
  for (let k = 0; k < n; k++) if (s.charCodeAt(i + k) != w.charCodeAt(k)) return false;
  return true;
}

function pushWord(word: string, out: Token[]): void {
  const lower = word.toLowerCase();
  if (contains(FUNCS, lower) && lower != "frac") out.push(new Token(Tok.Func, lower));
  else if (lower == "pi") out.push(new Token(Tok.Ident, "pi"));
  else if (lower == "inf" || lower == "infty" || lower == "infinity") out.push(new Token(Tok.Infty, ""));
  else out.push(new Token(Tok.Word, word));
}

// Reads digits with thousands separators (1,000 or 1{,}000 or 1,\!000), one decimal point and an
// exponent (1.5e-3). Returns the index after the number.
function lexNumber(s: string, i: i32, out: Token[]): i32 {
  const n = s.length;
  const parts = new Array<string>();
  let j = i;
  let groupStart = j;
  while (j < n && isDigit(s.charCodeAt(j))) j++;
  parts.push(s.substring(groupStart, j));
  let firstGroup = j - groupStart;
  // thousands separators: groups of exactly three digits after a first group of 1-3 digits
  if (firstGroup <= 3 && s.charCodeAt(i) != 48) {
    while (true) {
      let k = j;
      if (startsWithAt(s, k, "{,}")) k += 3;
      else if (k < n && s.charCodeAt(k) == 44) {
        k++;
        if (startsWithAt(s, k, "\\!")) {
          k += 2;
          while (k < n && s.charCodeAt(k) == 32) k++;
        }
      } else break;
      let d = k;
      while (d < n && isDigit(s.charCodeAt(d))) d++;
      if (d - k != 3) break;
      parts.push(s.substring(k, d));
      j = d;
    }
  }
  if (j + 1 < n && s.charCodeAt(j) == 46 && isDigit(s.charCodeAt(j + 1))) {
    const f = j;
    j++;
    while (j < n && isDigit(s.charCodeAt(j))) j++;
    parts.push(s.substring(f, j));
  } else if (j < n && s.charCodeAt(j) == 46 && !(j + 1 < n && isLetter(s.charCodeAt(j + 1)))) {
    j++; // "5." is 5
  }
  const tok = new Token(Tok.Num, parts.join(""));
  // exponent: 1e5, 2.5E-3 (only when digits follow)
  if (j < n && (s.charCodeAt(j) == 101 || s.charCodeAt(j) == 69)) {
    let k = j + 1;
    let neg = false;
    if (k < n && (s.charCodeAt(k) == 43 || s.charCodeAt(k) == 45)) {
      neg = s.charCodeAt(k) == 45;
      k++;
    }
    let d = k;
    let e = 0;
    while (d < n && isDigit(s.charCodeAt(d)) && d - k < 6) {
      e = e * 10 + (s.charCodeAt(d) - 48);
      d++;
    }
    if (d > k && !(d < n && isLetter(s.charCodeAt(d)))) {
      tok.exp = neg ? -e : e;
      j = d;
    }
  }
  out.push(tok);
  return j > i ? j : i + 1;
}

function readBraced(s: string, i: i32): i32 {
  // returns the index after the matching '}' of the '{' at i (or i when there is none)
  if (i >= s.length || s.charCodeAt(i) != 123) return i;
  let depth = 0;
  for (let k = i; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c == 92) {
      k++;
      continue;
    }
    if (c == 123) depth++;
    else if (c == 125) {
      depth--;
      if (depth == 0) return k + 1;
    }
  }
  return s.length;
}

function lexCommand(s: string, i: i32, out: Token[]): i32 {
  const n = s.length;
  let j = i + 1;
  if (j >= n) return j;
  let c = s.charCodeAt(j);
  // "\\frac" (a doubly escaped command, as JSON-in-JSON leaves it) reads as "\frac"
  if (c == 92 && j + 1 < n && isLetter(s.charCodeAt(j + 1))) {
    j++;
    c = s.charCodeAt(j);
    i++;
  }
  if (!isLetter(c)) {
    j++;
    switch (c) {
      case 123:
        out.push(new Token(Tok.SetOpen, ""));
        break;
      case 125:
        out.push(new Token(Tok.SetClose, ""));
        break;
      case 92:
        out.push(new Token(Tok.RowSep, ""));
        break;
      case 37:
        out.push(new Token(Tok.Percent, ""));
        break;
      case 124:
        break; // \| norm bars: dropped
      default:
        break; // \! \, \; \: \  \$ and other spacing: dropped
    }
    return j;
  }
  while (j < n && isLetter(s.charCodeAt(j))) j++;
  const name = s.substring(i + 1, j);
  if (name == "dfrac" || name == "tfrac" || name == "cfrac" || name == "frac") {
    out.push(new Token(Tok.Func, "frac"));
  } else if (name == "dbinom" || name == "tbinom" || name == "binom") {
    out.push(new Token(Tok.Func, "binom"));
  } else if (contains(FUNCS, name)) {
    out.push(new Token(Tok.Func, name));
  } else if (name == "begin" || name == "end") {
    const close = readBraced(s, j);
    const env = close > j + 1 ? s.substring(j + 1, close - 1) : "";
    out.push(new Token(name == "begin" ? Tok.Begin : Tok.EndEnv, env));
    j = close;
    // array column spec: \begin{array}{cc}
    if (name == "begin" && env == "array") j = readBraced(s, j);
  } else if (name == "le" || name == "leq" || name == "leqslant" || name == "leqq") out.push(new Token(Tok.Le, ""));
  else if (name == "ge" || name == "geq" || name == "geqslant" || name == "geqq") out.push(new Token(Tok.Ge, ""));
  else if (name == "lt") out.push(new Token(Tok.Lt, ""));
  else if (name == "gt") out.push(new Token(Tok.Gt, ""));
  else if (name == "ne" || name == "neq") out.push(new Token(Tok.Ne, ""));
  else if (name == "approx" || name == "simeq" || name == "thickapprox") out.push(new Token(Tok.Approx, ""));
  else if (name == "equiv" || name == "coloneqq") out.push(new Token(Tok.Eq, ""));
  else if (name == "in") out.push(new Token(Tok.In, ""));
  else if (name == "pm") out.push(new Token(Tok.Pm, ""));
  else if (name == "mp") out.push(new Token(Tok.Mp, ""));
  else if (name == "cup") out.push(new Token(Tok.Cup, ""));
  else if (name == "cap") out.push(new Token(Tok.Cap, ""));
  else if (name == "setminus" || name == "backslash") out.push(new Token(Tok.SetMinus, ""));
  else if (name == "infty" || name == "infin") out.push(new Token(Tok.Infty, ""));
  else if (name == "emptyset" || name == "varnothing") out.push(new Token(Tok.EmptySet, ""));
  else if (name == "cdot" || name == "times" || name == "ast" || name == "cdotp") out.push(new Token(Tok.Mul, ""));
  else if (name == "div") out.push(new Token(Tok.Div, ""));
  else if (name == "lbrace") out.push(new Token(Tok.SetOpen, ""));
  else if (name == "rbrace") out.push(new Token(Tok.SetClose, ""));
  else if (name == "langle") out.push(new Token(Tok.LParen, ""));
  else if (name == "rangle") out.push(new Token(Tok.RParen, ""));
  else if (name == "lvert" || name == "rvert" || name == "vert") out.push(new Token(Tok.Bar, ""));
  else if (name == "lfloor" || name == "rfloor") out.push(new Token(Tok.Floor, name.charAt(0)));
  else if (name == "lceil" || name == "rceil") out.push(new Token(Tok.Ceil, name.charAt(0)));
  else if (name == "circ" || name == "degree") out.push(new Token(Tok.Degree, ""));
  else if (name == "colon" || name == "mid") out.push(new Token(Tok.Colon, ""));
  else if (name == "pi") out.push(new Token(Tok.Ident, "pi"));
  else if (name == "infinity") out.push(new Token(Tok.Infty, ""));
  else if (name == "percent") out.push(new Token(Tok.Percent, ""));
  else if (name == "prime" || name == "dots" || name == "ldots" || name == "cdots") {
    // dropped
  } else if (name == "and" || name == "or") out.push(new Token(Tok.Word, name));
  else if (contains(UNIT_MARKS, name) && unitVectorEnd(s, j) > j) {
    // \mathbf{i}, \hat{j}, \vec k, \hat{\imath}: a unit vector
    const end = unitVectorEnd(s, j);
    out.push(new Token(Tok.Ident, "unit_" + unitLetter));
    j = end;
  } else if (contains(TEXT_COMMANDS, name) && j < n && s.charCodeAt(j) == 123 && textDepth < 8) {
    // \text{…} and font commands: their content is read as if unwrapped
    const close = readBraced(s, j);
    textDepth++;
    const inner = tokenize(s.substring(j + 1, close - 1));
    textDepth--;
    if (inner !== null) {
      for (let k = 0; k < inner.length - 1; k++) {
        inner[k].fromText = true;
        out.push(inner[k]);
      }
    }
    j = close;
  } else if (contains(SKIPPED_COMMANDS, name)) {
    // font and spacing wrappers: their braces stay as a plain group
  } else if (contains(GREEK, name)) out.push(new Token(Tok.Ident, name));
  else out.push(new Token(Tok.Ident, name));
  return j;
}
