// A hand-written recursive-descent parser after CPython 3.11's grammar (Grammar/python.gram).
// Functions return nullptr (or false) once an error is recorded; the first error wins, and
// tokenizer errors take precedence as CPython's do (see Parser::final_error).
#include "interp/parser.h"

#include <gmp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "interp/lexer.h"
#include "interp/str.h"

namespace aio {
namespace {

// Propagates a failure: `return {}` is nullptr for pointers and false for bools.
#define TRY(x)         \
  do {                 \
    if (!(x)) return {}; \
  } while (0)

// string_views, so that comparing a token against one checks its length before any bytes.
constexpr std::string_view kKeywords[] = {
    "False",  "None",     "True",  "and",    "as",     "assert", "async",  "await",
    "break",  "class",    "continue", "def", "del",    "elif",   "else",   "except",
    "finally", "for",     "from",  "global", "if",     "import", "in",     "is",
    "lambda", "nonlocal", "not",   "or",     "pass",   "raise",  "return", "try",
    "while",  "with",     "yield"};

// a == b, with the first byte compared inline: most candidates differ there, and the
// parser tests each token against several keywords and operators (so inlined everywhere).
[[gnu::always_inline]] inline bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || a[0] == b[0]) && a == b;
}

constexpr size_t kShortestKeyword = 2, kLongestKeyword = 8;

bool is_keyword(std::string_view s) {
  if (s.size() < kShortestKeyword || s.size() > kLongestKeyword) return false;
  for (std::string_view k : kKeywords)
    if (same(s, k)) return true;
  return false;
}

struct OpToken {
  std::string_view text;
  BinOpKind op;
};

// Binary operator levels from loosest to tightest: | ^ & shifts sums terms.
const std::vector<std::vector<OpToken>> kBinaryLevels = {
    {{"|", BinOpKind::BitOr}},
    {{"^", BinOpKind::BitXor}},
    {{"&", BinOpKind::BitAnd}},
    {{"<<", BinOpKind::LShift}, {">>", BinOpKind::RShift}},
    {{"+", BinOpKind::Add}, {"-", BinOpKind::Sub}},
    {{"*", BinOpKind::Mult},
     {"/", BinOpKind::Div},
     {"//", BinOpKind::FloorDiv},
     {"%", BinOpKind::Mod},
     {"@", BinOpKind::MatMult}},
};

constexpr OpToken kAugOps[] = {
    {"+=", BinOpKind::Add},       {"-=", BinOpKind::Sub},       {"*=", BinOpKind::Mult},
    {"@=", BinOpKind::MatMult},   {"/=", BinOpKind::Div},       {"//=", BinOpKind::FloorDiv},
    {"%=", BinOpKind::Mod},       {"**=", BinOpKind::Pow},      {"<<=", BinOpKind::LShift},
    {">>=", BinOpKind::RShift},   {"|=", BinOpKind::BitOr},     {"^=", BinOpKind::BitXor},
    {"&=", BinOpKind::BitAnd}};

struct CmpToken {
  std::string_view text;
  CmpOp op;
};
constexpr CmpToken kCmpOps[] = {{"==", CmpOp::Eq}, {"!=", CmpOp::NotEq}, {"<", CmpOp::Lt},
                                {"<=", CmpOp::LtE}, {">", CmpOp::Gt},     {">=", CmpOp::GtE}};

// How CPython names an expression in "cannot assign to %s" messages.
const char* expr_name(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Attribute: return "attribute";
    case ExprKind::Subscript: return "subscript";
    case ExprKind::Starred: return "starred";
    case ExprKind::Name: return "name";
    case ExprKind::List: return "list";
    case ExprKind::Tuple: return "tuple";
    case ExprKind::Lambda: return "lambda";
    case ExprKind::Call: return "function call";
    case ExprKind::BoolOp: case ExprKind::BinOp: case ExprKind::UnaryOp: return "expression";
    case ExprKind::GeneratorExp: return "generator expression";
    case ExprKind::Yield: case ExprKind::YieldFrom: return "yield expression";
    case ExprKind::Await: return "await expression";
    case ExprKind::ListComp: return "list comprehension";
    case ExprKind::SetComp: return "set comprehension";
    case ExprKind::DictComp: return "dict comprehension";
    case ExprKind::Dict: return "dict literal";
    case ExprKind::Set: return "set display";
    case ExprKind::JoinedStr: case ExprKind::FormattedValue: return "f-string expression";
    case ExprKind::Compare: return "comparison";
    case ExprKind::IfExp: return "conditional expression";
    case ExprKind::NamedExpr: return "named expression";
    case ExprKind::Slice: return "slice";
    case ExprKind::Constant:
      switch (static_cast<const Constant&>(e).ck) {
        case ConstKind::None: return "None";
        case ConstKind::True: return "True";
        case ConstKind::False: return "False";
        case ConstKind::Ellipsis: return "ellipsis";
        default: return "literal";
      }
    default: return "expression";
  }
}

// The first part of a would-be target that cannot be assigned (or deleted), or nullptr.
const Expr* invalid_target(const Expr& e, bool deleting) {
  switch (e.kind) {
    case ExprKind::Name: case ExprKind::Attribute: case ExprKind::Subscript: return nullptr;
    case ExprKind::Starred:
      return deleting ? &e : invalid_target(*static_cast<const UnaryExpr&>(e).value, false);
    case ExprKind::Tuple: case ExprKind::List:
      for (const ExprP& x : static_cast<const Sequence&>(e).elts)
        if (const Expr* bad = invalid_target(*x, deleting)) return bad;
      return nullptr;
    default: return &e;
  }
}

bool is_simple_target(const Expr& e) {
  return e.kind == ExprKind::Name || e.kind == ExprKind::Attribute ||
         e.kind == ExprKind::Subscript;
}

// A bitwise_or-level expression other than a display or a singleton: CPython suggests
// '==' when one of these stands before '='.
bool suggests_equality(const Expr& e) {
  switch (e.kind) {
    case ExprKind::List: case ExprKind::Tuple: case ExprKind::GeneratorExp: case ExprKind::BoolOp:
    case ExprKind::Compare: case ExprKind::IfExp: case ExprKind::Lambda:
    case ExprKind::NamedExpr: case ExprKind::Starred: case ExprKind::Yield:
    case ExprKind::YieldFrom:
      return false;
    case ExprKind::UnaryOp: return static_cast<const UnaryOp&>(e).op != UnaryOpKind::Not;
    case ExprKind::Constant: {
      ConstKind ck = static_cast<const Constant&>(e).ck;
      return ck != ConstKind::None && ck != ConstKind::True && ck != ConstKind::False;
    }
    default: return true;
  }
}

// The decimal digits of an integer literal too large for int64.
std::string big_decimal(const std::string& digits, int base) {
  mpz_t z;
  mpz_init_set_str(z, digits.c_str(), base);
  char* s = mpz_get_str(nullptr, 10, z);
  std::string out(s);
  void (*free_fn)(void*, size_t);
  mp_get_memory_functions(nullptr, nullptr, &free_fn);
  free_fn(s, std::strlen(s) + 1);
  mpz_clear(z);
  return out;
}

std::unique_ptr<Constant> number_constant(const std::string& text) {
  auto c = std::make_unique<Constant>();
  std::string s;
  for (char ch : text)
    if (ch != '_') s += ch;
  bool prefixed = s.size() > 1 && s[0] == '0' && std::isalpha(static_cast<unsigned char>(s[1]));
  char last = static_cast<char>(std::tolower(static_cast<unsigned char>(s.back())));
  if (last == 'j') {
    c->ck = ConstKind::Imag;
    c->f = std::strtod(s.substr(0, s.size() - 1).c_str(), nullptr);
  } else if (!prefixed && s.find_first_of(".eE") != std::string::npos) {
    c->ck = ConstKind::Float;
    c->f = std::strtod(s.c_str(), nullptr);
  } else {
    char r = prefixed ? static_cast<char>(std::tolower(static_cast<unsigned char>(s[1]))) : 'd';
    int base = r == 'x' ? 16 : r == 'o' ? 8 : r == 'b' ? 2 : 10;
    std::string digits = prefixed ? s.substr(2) : s;
    errno = 0;
    unsigned long long v = std::strtoull(digits.c_str(), nullptr, base);
    if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX)) {
      c->ck = ConstKind::BigInt;
      c->s = big_decimal(digits, base);
    } else {
      c->ck = ConstKind::Int;
      c->i = static_cast<int64_t>(v);
    }
  }
  return c;
}

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

bool is_blank(std::string_view s) {
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

template <class T, class... A>
std::unique_ptr<T> make(Pos pos, A&&... args) {
  auto n = std::make_unique<T>(std::forward<A>(args)...);
  n->pos = pos;
  return n;
}

class Parser {
 public:
  Parser(LexResult lex, const std::string& filename, const std::vector<std::string>& lines)
      : toks_(std::move(lex.tokens)), lex_fail_(lex.fail), lex_error_(std::move(lex.error)),
        filename_(filename), lines_(lines) {
    if (toks_.empty() || toks_.back().kind != Tok::End) {
      Token end;  // stands for the place where the tokenizer gave up
      if (!toks_.empty()) {
        end.line = end.end_line = toks_.back().end_line;
        end.col = end.end_col = toks_.back().end_col;
      }
      toks_.push_back(end);
    }
  }

  std::unique_ptr<Module> module() {
    auto m = std::make_unique<Module>();
    while (!at(Tok::End))
      if (!statement(m->body)) return nullptr;
    return m;
  }

  ExprP fragment_expression() {
    ExprP e = at_kw("yield") ? yield_expr() : star_expressions();
    TRY(e);
    if (!at(Tok::End)) return close("", e.get()), nullptr;  // as if in parentheses
    return e;
  }

  // The error to report. A tokenizer error beats a parser error (CPython tokenizes the
  // rest of the file after a syntax error), except that an unclosed bracket only counts
  // when the parser got as far as the end of the input.
  std::optional<SyntaxErrorInfo> final_error() const {
    if (lex_fail_ == LexFail::None) return err_;
    bool parser_first = lex_fail_ == LexFail::EofInBracket && err_ && err_tok_ + 2 < toks_.size();
    return parser_first ? err_ : lex_error_;
  }
  // Whether the input may simply be unfinished (the REPL then asks for more lines).
  bool ended_early() const {
    if (lex_fail_ == LexFail::EofInBracket || lex_fail_ == LexFail::EofInString ||
        lex_fail_ == LexFail::EofAfterBackslash)
      return final_error()->msg == lex_error_.msg;
    return lex_fail_ == LexFail::None && err_ && err_tok_ + 1 >= toks_.size();
  }
  bool saw_indent() const {
    for (const Token& t : toks_)
      if (t.kind == Tok::Indent) return true;
    return false;
  }

 private:
  // ---- token access ----
  const Token& tok(size_t ahead = 0) const {
    return toks_[std::min(p_ + ahead, toks_.size() - 1)];
  }
  const Token& prev() const { return toks_[p_ == 0 ? 0 : p_ - 1]; }
  void advance() {
    if (p_ + 1 < toks_.size()) ++p_;
  }
  bool at(Tok k) const { return tok().kind == k; }
  bool at_op(std::string_view s) const { return tok().kind == Tok::Op && same(tok().text, s); }
  bool at_kw(std::string_view s) const { return tok().kind == Tok::Name && same(tok().text, s); }
  bool at_name() const { return tok().kind == Tok::Name && !is_keyword(tok().text); }
  bool accept(Tok k) {
    if (!at(k)) return false;
    advance();
    return true;
  }
  bool accept_op(std::string_view s) {
    if (!at_op(s)) return false;
    advance();
    return true;
  }
  bool accept_kw(std::string_view s) {
    if (!at_kw(s)) return false;
    advance();
    return true;
  }
  bool at_async(std::string_view what) const {
    return at_kw("async") && tok(1).kind == Tok::Name && same(tok(1).text, what);
  }
  bool at_comp_for() const { return at_kw("for") || at_async("for"); }

  Pos here() const { return Pos{tok().line, tok().col, tok().end_col}; }
  Pos upto(Pos start) const { return Pos{start.line, start.col, prev().end_col}; }
  // A compound statement ends where the last statement of its last block ends.
  Pos upto_block(Pos start) const {
    size_t i = p_;
    while (i > 0 && (toks_[i - 1].kind == Tok::Newline || toks_[i - 1].kind == Tok::Dedent)) --i;
    return Pos{start.line, start.col, i > 0 ? toks_[i - 1].end_col : 0};
  }

  // ---- errors (columns are 0-based bytes here, CPython's 1-based characters in the result) ----
  bool error(const char* type, std::string msg, int line, int col, int end_col) {
    if (err_) return false;
    SyntaxErrorInfo e;
    e.type = type;
    e.msg = std::move(msg);
    e.filename = filename_;
    e.line = line;
    if (line >= 1 && line <= static_cast<int>(lines_.size())) e.text = lines_[line - 1];
    e.col = col < 0 ? col : char_col(e.text, col) + 1;
    e.end_col = end_col < 0 ? end_col : char_col(e.text, end_col) + 1;
    err_ = std::move(e);
    err_tok_ = p_;
    return false;
  }
  bool error_at(const Token& t, std::string msg) {
    return error("SyntaxError", std::move(msg), t.line, t.col, t.end_col);
  }
  bool error_range(Pos a, Pos b, std::string msg) {
    return error("SyntaxError", std::move(msg), a.line, a.col, b.end_col);
  }
  bool error_node(const Expr& e, std::string msg) { return error_range(e.pos, e.pos, msg); }
  bool error_after_prev(std::string msg) {
    const Token& t = prev();
    return error("SyntaxError", std::move(msg), t.end_line, t.end_col, t.end_col);
  }
  bool invalid_syntax() {
    const Token& t = tok();
    if (t.kind == Tok::Indent)
      return error("IndentationError", "unexpected indent", t.line, t.end_col - 1, -1);
    if (t.kind == Tok::Dedent)
      return error("IndentationError", "unexpected unindent", t.line, t.col, -1);
    if (t.kind == Tok::Newline || t.kind == Tok::End)  // CPython points at the line's end
      return error("SyntaxError", "invalid syntax", t.line, t.col, t.col);
    return error_at(t, "invalid syntax");
  }
  bool expect_op(std::string_view s) { return accept_op(s) || invalid_syntax(); }
  bool colon() { return accept_op(":") || error_after_prev("expected ':'"); }

  // `if x = 1:` gets CPython's hint instead of "expected ':'".
  bool header_colon(const Expr& test) {
    if (!at_op("=")) return colon();
    advance();
    ExprP rhs = binary(0);
    TRY(rhs);
    if (test.kind == ExprKind::Name)
      return error_range(test.pos, rhs->pos,
                         "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    return error_node(test, std::string("cannot assign to ") + expr_name(test) +
                                " here. Maybe you meant '==' instead of '='?");
  }

  bool name(std::string& out) {
    if (!at_name()) return invalid_syntax();
    out = tok().text;
    advance();
    return true;
  }

  // A token that may start an expression juxtaposed to a previous one (a missing comma).
  bool starts_operand() const {
    const Token& t = tok();
    if (t.kind == Tok::Number || t.kind == Tok::String) return true;
    if (t.kind != Tok::Name) return false;
    return !is_keyword(t.text) || t.text == "True" || t.text == "False" || t.text == "None";
  }
  bool starts_expression() const {
    const Token& t = tok();
    if (t.kind == Tok::Number || t.kind == Tok::String) return true;
    if (t.kind == Tok::Name)
      return !is_keyword(t.text) || t.text == "not" || t.text == "lambda" ||
             t.text == "await" || t.text == "None" || t.text == "True" || t.text == "False";
    if (t.kind != Tok::Op) return false;
    for (std::string_view s : {"(", "[", "{", "-", "+", "~", "*", "..."})
      if (t.text == s) return true;
    return false;
  }

  // Closes a bracketed list whose last element was `last`; `a b` inside brackets is most
  // likely a forgotten comma.
  bool close(const char* bracket, const Expr* last) {
    if (accept_op(bracket)) return true;
    if (last && starts_operand() &&
        !(last->kind == ExprKind::Name && tok().kind == Tok::String)) {
      ExprP b = expression();
      TRY(b);
      return error_range(last->pos, b->pos, "invalid syntax. Perhaps you forgot a comma?");
    }
    return invalid_syntax();
  }

  // ---- statements ----
  bool statement(Body& body) {
    const Token& t = tok();
    if (t.kind == Tok::Op && same(t.text, "@")) return decorated(body);
    if (t.kind == Tok::Name) {
      std::string_view k = t.text;
      StmtP s;
      if (same(k, "if")) {
        s = if_stmt();
      } else if (same(k, "while")) {
        s = while_stmt();
      } else if (same(k, "for")) {
        s = for_stmt(here());
      } else if (same(k, "try")) {
        s = try_stmt();
      } else if (same(k, "with")) {
        s = with_stmt(here());
      } else if (same(k, "def")) {
        s = funcdef({}, here());
      } else if (same(k, "class")) {
        s = classdef({});
      } else if (same(k, "async")) {
        s = async_stmt();
      } else if (same(k, "match") && at_match_stmt()) {
        s = match_stmt();
      } else {
        return simple_stmts(body);
      }
      TRY(s);
      body.push_back(std::move(s));
      return true;
    }
    return simple_stmts(body);
  }

  StmtP async_stmt() {
    Pos start = here();
    const Token& next = tok(1);
    if (next.kind == Tok::Name && next.text == "def") return funcdef({}, start);
    if (next.kind == Tok::Name && next.text == "for") return for_stmt(start);
    if (next.kind == Tok::Name && next.text == "with") return with_stmt(start);
    advance();
    return invalid_syntax(), nullptr;
  }

  // After `:` of a compound statement: an indented block, or simple statements on the line.
  bool block(Body& out, const std::string& what, int header_line) {
    if (!accept(Tok::Newline)) return simple_stmts(out);
    if (!at(Tok::Indent)) {
      const Token& t = tok();
      int end = at(Tok::End) ? -1 : t.end_col;
      return error("IndentationError",
                   "expected an indented block after " + what + " on line " +
                       std::to_string(header_line),
                   t.line, t.col, end);
    }
    advance();
    while (!accept(Tok::Dedent)) {
      if (at(Tok::End)) break;
      TRY(statement(out));
    }
    return true;
  }

  bool simple_stmts(Body& out) {
    for (;;) {
      StmtP s = simple_stmt();
      TRY(s);
      out.push_back(std::move(s));
      if (!accept_op(";") || at(Tok::Newline)) break;
    }
    return accept(Tok::Newline) || invalid_syntax();
  }

  StmtP simple_stmt() {
    Pos start = here();
    if (tok().kind != Tok::Name) return expression_stmt();
    std::string_view k = tok().text;  // the token list never changes during a parse
    if (same(k, "pass") || same(k, "break") || same(k, "continue")) {
      advance();
      StmtKind kind = same(k, "pass") ? StmtKind::Pass : same(k, "break") ? StmtKind::Break
                                                                  : StmtKind::Continue;
      return make<SimpleStmt>(upto(start), kind);
    }
    if (same(k, "return")) {
      advance();
      auto r = std::make_unique<Return>();
      if (starts_expression()) TRY(r->value = star_expressions());
      r->pos = upto(start);
      return r;
    }
    if (same(k, "raise")) return raise_stmt(start);
    if (same(k, "global") || same(k, "nonlocal")) return names_stmt(start);
    if (same(k, "del")) return del_stmt(start);
    if (same(k, "assert")) {
      advance();
      auto a = std::make_unique<Assert>();
      TRY(a->test = expression());
      if (accept_op(",")) TRY(a->msg = expression());
      a->pos = upto(start);
      return a;
    }
    if (same(k, "import")) return import_stmt(start);
    if (same(k, "from")) return from_stmt(start);
    return expression_stmt();
  }

  StmtP raise_stmt(Pos start) {
    advance();
    auto r = std::make_unique<Raise>();
    if (starts_expression()) {
      TRY(r->exc = expression());
      if (accept_kw("from")) TRY(r->cause = expression());
    }
    r->pos = upto(start);
    return r;
  }

  StmtP names_stmt(Pos start) {
    auto s = std::make_unique<NamesStmt>(tok().text == "global" ? StmtKind::Global
                                                                : StmtKind::Nonlocal);
    advance();
    do {
      std::string n;
      TRY(name(n));
      s->names.push_back(n);
    } while (accept_op(","));
    s->pos = upto(start);
    return s;
  }

  StmtP del_stmt(Pos start) {
    advance();
    auto d = std::make_unique<Delete>();
    do {
      if (at(Tok::Newline) || at_op(";")) break;
      ExprP t = target();
      TRY(t);
      if (const Expr* bad = invalid_target(*t, true))
        return error_node(*bad, std::string("cannot delete ") + expr_name(*bad)), nullptr;
      d->targets.push_back(std::move(t));
    } while (accept_op(","));
    if (d->targets.empty()) return invalid_syntax(), nullptr;
    d->pos = upto(start);
    return d;
  }

  bool dotted_name(std::string& out) {
    TRY(name(out));
    while (accept_op(".")) {
      std::string part;
      TRY(name(part));
      out += "." + part;
    }
    return true;
  }

  StmtP import_stmt(Pos start) {
    advance();
    auto s = std::make_unique<Import>();
    do {
      Alias a;
      a.pos = here();
      TRY(dotted_name(a.name));
      if (accept_kw("as")) TRY(name(a.asname));
      a.pos = upto(a.pos);
      s->names.push_back(std::move(a));
    } while (accept_op(","));
    s->pos = upto(start);
    return s;
  }

  StmtP from_stmt(Pos start) {
    advance();
    auto s = std::make_unique<ImportFrom>();
    for (;;) {
      if (accept_op(".")) {
        s->level += 1;
      } else if (accept_op("...")) {
        s->level += 3;
      } else {
        break;
      }
    }
    if (!at_kw("import") || s->level == 0) TRY(dotted_name(s->module));
    if (!accept_kw("import")) return invalid_syntax(), nullptr;
    if (at_op("*")) {
      s->names.push_back(Alias{"*", "", here()});
      advance();
    } else {
      bool paren = accept_op("(");
      do {
        if (paren && at_op(")")) break;
        if (!paren && !s->names.empty() && !at_name())
          return error("SyntaxError", "trailing comma not allowed without surrounding parentheses",
                       tok().line, tok().col, tok().col),
                 nullptr;
        Alias a;
        a.pos = here();
        TRY(name(a.name));
        if (accept_kw("as")) TRY(name(a.asname));
        a.pos = upto(a.pos);
        s->names.push_back(std::move(a));
      } while (accept_op(","));
      if (paren) TRY(close(")", nullptr));
    }
    s->pos = upto(start);
    return s;
  }

  ExprP yield_or_star_expressions() { return at_kw("yield") ? yield_expr() : star_expressions(); }

  StmtP expression_stmt() {
    Pos start = here();
    ExprP first = yield_or_star_expressions();
    TRY(first);
    if (at_op("=")) return assignment(start, std::move(first));
    if (at_op(":")) return annotated(start, std::move(first));
    for (const OpToken& op : kAugOps)
      if (at_op(op.text)) return augmented(start, std::move(first), op.op);
    auto s = std::make_unique<ExprStmt>();
    s->value = std::move(first);
    s->pos = upto(start);
    return s;
  }

  StmtP assignment(Pos start, ExprP first) {
    auto s = std::make_unique<Assign>();
    s->targets.push_back(std::move(first));
    while (accept_op("=")) {
      ExprP rhs = yield_or_star_expressions();
      TRY(rhs);
      s->targets.push_back(std::move(rhs));
    }
    s->value = std::move(s->targets.back());
    s->targets.pop_back();
    for (const ExprP& t : s->targets) {
      if (t->kind == ExprKind::Yield || t->kind == ExprKind::YieldFrom)
        return error_node(*t, "assignment to yield expression not possible"), nullptr;
      const Expr* bad = invalid_target(*t, false);
      if (!bad) continue;
      if (s->targets.size() == 1 && suggests_equality(*t))
        return error_node(*t, std::string("cannot assign to ") + expr_name(*t) +
                                  " here. Maybe you meant '==' instead of '='?"),
               nullptr;
      return error_node(*bad, std::string("cannot assign to ") + expr_name(*bad)), nullptr;
    }
    s->pos = upto(start);
    return s;
  }

  StmtP annotated(Pos start, ExprP target) {
    if (target->kind == ExprKind::Tuple || target->kind == ExprKind::List)
      return error_node(*target, std::string("only single target (not ") +
                                     expr_name(*target) + ") can be annotated"),
             nullptr;
    if (!is_simple_target(*target))
      return error_node(*target, "illegal target for annotation"), nullptr;
    advance();
    auto s = std::make_unique<AnnAssign>();
    s->target = std::move(target);
    TRY(s->annotation = expression());
    if (accept_op("=")) TRY(s->value = yield_or_star_expressions());
    s->pos = upto(start);
    return s;
  }

  StmtP augmented(Pos start, ExprP target, BinOpKind op) {
    if (!is_simple_target(*target))
      return error_node(*target, std::string("'") + expr_name(*target) +
                                     "' is an illegal expression for augmented assignment"),
             nullptr;
    advance();
    auto s = std::make_unique<AugAssign>();
    s->target = std::move(target);
    s->op = op;
    TRY(s->value = yield_or_star_expressions());
    s->pos = upto(start);
    return s;
  }

  StmtP if_stmt() {
    Pos start = here();
    std::string what = "'" + tok().text + "' statement";  // 'if' or 'elif'
    advance();
    auto s = std::make_unique<If>();
    TRY(s->test = named_expression());
    TRY(header_colon(*s->test));
    s->pos = upto(start);
    TRY(block(s->body, what, start.line));
    if (at_kw("elif")) {
      StmtP e = if_stmt();
      TRY(e);
      s->orelse.push_back(std::move(e));
    } else {
      TRY(else_block(s->orelse));
    }
    s->pos = upto_block(start);
    return s;
  }

  bool else_block(Body& out) {
    if (!at_kw("else")) return true;
    int line = tok().line;
    advance();
    TRY(colon());
    return block(out, "'else' statement", line);
  }

  StmtP while_stmt() {
    Pos start = here();
    advance();
    auto s = std::make_unique<While>();
    TRY(s->test = named_expression());
    TRY(header_colon(*s->test));
    s->pos = upto(start);
    TRY(block(s->body, "'while' statement", start.line));
    TRY(else_block(s->orelse));
    s->pos = upto_block(start);
    return s;
  }

  StmtP for_stmt(Pos start) {
    auto s = std::make_unique<For>();
    s->is_async = accept_kw("async");
    advance();
    TRY(s->target = assign_target_list());
    if (!accept_kw("in")) return invalid_syntax(), nullptr;
    TRY(s->iter = star_expressions());
    TRY(colon());
    s->pos = upto(start);
    TRY(block(s->body, "'for' statement", start.line));
    TRY(else_block(s->orelse));
    s->pos = upto_block(start);
    return s;
  }

  StmtP try_stmt() {
    Pos start = here();
    advance();
    auto s = std::make_unique<Try>();
    TRY(colon());
    s->pos = upto(start);
    TRY(block(s->body, "'try' statement", start.line));
    while (at_kw("except")) {
      ExceptHandler h;
      h.pos = here();
      advance();
      h.star = accept_op("*");
      if (!s->handlers.empty() && h.star != s->handlers[0].star)
        return error_range(h.pos, upto(h.pos), "cannot have both 'except' and 'except*' on the same 'try'"), nullptr;
      if (h.star && at_op(":")) return error_at(tok(), "expected one or more exception types"), nullptr;
      if (!at_op(":")) {
        TRY(h.type = expression());
        if (at_op(","))
          return error_range(h.type->pos, h.type->pos,
                             "multiple exception types must be parenthesized"),
                 nullptr;
        if (accept_kw("as")) TRY(name(h.name));
      }
      TRY(colon());
      h.pos = upto(h.pos);
      TRY(block(h.body, "'except' statement", h.pos.line));
      h.pos = upto_block(h.pos);
      s->handlers.push_back(std::move(h));
    }
    if (!s->handlers.empty()) TRY(else_block(s->orelse));
    if (at_kw("finally")) {
      int line = tok().line;
      advance();
      TRY(colon());
      TRY(block(s->finalbody, "'finally' statement", line));
    } else if (s->handlers.empty()) {
      return error_at(tok(), "expected 'except' or 'finally' block"), nullptr;
    }
    s->pos = upto_block(start);
    return s;
  }

  // `with (a as b, c):` lists its items in parentheses when the ')' is followed by ':'.
  bool parenthesized_with_items() const {
    if (!at_op("(") || (tok(1).kind == Tok::Name && tok(1).text == "yield")) return false;
    int depth = 0;
    for (size_t i = p_; i < toks_.size(); ++i) {
      const Token& t = toks_[i];
      if (t.kind != Tok::Op) continue;
      if (t.text == "(" || t.text == "[" || t.text == "{") ++depth;
      if (t.text == ")" || t.text == "]" || t.text == "}") {
        if (--depth == 0)
          return i + 1 < toks_.size() && toks_[i + 1].kind == Tok::Op && toks_[i + 1].text == ":";
      }
    }
    return false;
  }

  bool with_item(std::vector<WithItem>& items) {
    WithItem item;
    TRY(item.context = expression());
    if (accept_kw("as")) {
      TRY(item.vars = target());
      if (const Expr* bad = invalid_target(*item.vars, false))
        return error_node(*bad, std::string("cannot assign to ") + expr_name(*bad));
    }
    items.push_back(std::move(item));
    return true;
  }

  StmtP with_stmt(Pos start) {
    auto s = std::make_unique<With>();
    s->is_async = accept_kw("async");
    advance();
    if (parenthesized_with_items()) {
      advance();
      do {
        if (at_op(")")) break;
        TRY(with_item(s->items));
      } while (accept_op(","));
      TRY(close(")", nullptr));
    } else {
      do {
        TRY(with_item(s->items));
      } while (accept_op(","));
    }
    TRY(colon());
    s->pos = upto(start);
    TRY(block(s->body, "'with' statement", start.line));
    s->pos = upto_block(start);
    return s;
  }

  bool decorated(Body& body) {
    std::vector<ExprP> decorators;
    while (accept_op("@")) {
      ExprP d = named_expression();
      TRY(d);
      decorators.push_back(std::move(d));
      if (!accept(Tok::Newline)) return invalid_syntax();
    }
    StmtP s;
    if (at_kw("def") || at_async("def")) {
      s = funcdef(std::move(decorators), here());
    } else if (at_kw("class")) {
      s = classdef(std::move(decorators));
    } else {
      return invalid_syntax();
    }
    TRY(s);
    body.push_back(std::move(s));
    return true;
  }

  StmtP funcdef(std::vector<ExprP> decorators, Pos start) {
    auto f = std::make_unique<FunctionDef>();
    f->decorators = std::move(decorators);
    f->is_async = accept_kw("async");
    advance();
    TRY(name(f->name));
    if (!accept_op("(")) return error_after_prev("expected '('"), nullptr;
    TRY(parameters(f->args, ")", true));
    TRY(close(")", nullptr));
    if (accept_op("->")) TRY(f->returns = expression());
    TRY(colon());
    f->pos = upto(start);
    TRY(block(f->body, "function definition", start.line));
    f->pos = upto_block(start);
    return f;
  }

  StmtP classdef(std::vector<ExprP> decorators) {
    Pos start = here();
    advance();
    auto c = std::make_unique<ClassDef>();
    c->decorators = std::move(decorators);
    TRY(name(c->name));
    if (accept_op("(")) TRY(call_args(c->bases, c->keywords));
    TRY(colon());
    c->pos = upto(start);
    TRY(block(c->body, "class definition", start.line));
    c->pos = upto_block(start);
    return c;
  }

  // ---- function parameters (def and lambda) ----
  bool param(Arg& a, bool annotated) {
    a.pos = here();
    TRY(name(a.name));
    if (annotated && accept_op(":")) TRY(a.annotation = expression());
    a.pos = upto(a.pos);
    return true;
  }

  bool parameters(Arguments& a, const char* close_tok, bool annotated) {
    bool star = false, seen_default = false;
    while (!at_op(close_tok)) {
      if (a.kwarg) return error_at(tok(), "arguments cannot follow var-keyword argument");
      if (at_op("/")) {
        if (star || !a.posonly.empty() || a.args.empty()) return invalid_syntax();
        advance();
        a.posonly = std::move(a.args);
        a.args.clear();
      } else if (at_op("*")) {
        const Token& st = tok();
        if (star) return error_at(st, "* argument may appear only once");
        advance();
        star = true;
        if (at_op(",") || at_op(close_tok)) {
          bool named_follows = at_op(",") && tok(1).kind == Tok::Name;
          if (!named_follows) return error_at(st, "named arguments must follow bare *");
        } else {
          Arg v;
          TRY(param(v, annotated));
          a.vararg = std::make_unique<Arg>(std::move(v));
        }
      } else if (accept_op("**")) {
        Arg k;
        TRY(param(k, annotated));
        a.kwarg = std::make_unique<Arg>(std::move(k));
      } else {
        Arg p;
        TRY(param(p, annotated));
        ExprP def;
        if (accept_op("=")) TRY(def = expression());
        if (star) {
          a.kwonly.push_back(std::move(p));
          a.kw_defaults.push_back(std::move(def));
        } else {
          if (def) {
            seen_default = true;
            a.defaults.push_back(std::move(def));
          } else if (seen_default) {
            return error("SyntaxError", "non-default argument follows default argument",
                         p.pos.line, p.pos.col, p.pos.end_col);
          }
          a.args.push_back(std::move(p));
        }
      }
      if (!accept_op(",")) break;
    }
    return true;
  }

  // ---- targets (for, with ... as, del, comprehension for) ----
  ExprP target() {
    Pos start = here();
    if (accept_op("*")) {
      auto s = std::make_unique<UnaryExpr>(ExprKind::Starred);
      TRY(s->value = binary(0));
      s->pos = upto(start);
      return s;
    }
    return binary(0);
  }

  ExprP target_list() {
    Pos start = here();
    ExprP first = target();
    TRY(first);
    if (!at_op(",")) return first;
    auto t = std::make_unique<Sequence>(ExprKind::Tuple);
    t->elts.push_back(std::move(first));
    while (accept_op(",")) {
      if (!starts_expression()) break;
      ExprP e = target();
      TRY(e);
      t->elts.push_back(std::move(e));
    }
    t->pos = upto(start);
    return t;
  }

  ExprP assign_target_list() {
    ExprP t = target_list();
    TRY(t);
    if (const Expr* bad = invalid_target(*t, false))
      return error_node(*bad, std::string("cannot assign to ") + expr_name(*bad)), nullptr;
    return t;
  }

  // ---- match statements (match and case are keywords only here) ----

  // `match <subject>:` followed by an indented block opening with `case`.
  bool at_match_stmt() const {
    int depth = 0;
    for (size_t i = p_ + 1; i < toks_.size(); ++i) {
      const Token& t = toks_[i];
      if (t.kind == Tok::Newline || t.kind == Tok::End) return false;
      if (t.kind != Tok::Op) continue;
      if (t.text == "(" || t.text == "[" || t.text == "{") ++depth;
      else if (t.text == ")" || t.text == "]" || t.text == "}") --depth;
      else if (t.text == ":" && depth == 0)
        return i > p_ + 1 && i + 3 < toks_.size() && toks_[i + 1].kind == Tok::Newline &&
               toks_[i + 2].kind == Tok::Indent && toks_[i + 3].kind == Tok::Name &&
               toks_[i + 3].text == "case";
    }
    return false;
  }

  StmtP match_stmt() {
    Pos start = here();
    advance();
    auto m = make<Match>(start);
    TRY(m->subject = star_expressions());
    TRY(colon());
    advance();  // NEWLINE and INDENT: at_match_stmt saw them
    advance();
    while (!accept(Tok::Dedent) && !at(Tok::End)) {
      if (!at_kw("case")) return invalid_syntax(), nullptr;
      MatchCase c;
      c.pos = here();
      advance();
      TRY(c.pattern = patterns());
      if (accept_kw("if")) TRY(c.guard = named_expression());
      TRY(colon());
      TRY(block(c.body, "'case' statement", c.pos.line));
      m->cases.push_back(std::move(c));
    }
    for (size_t i = 0; i + 1 < m->cases.size(); ++i)
      if (!m->cases[i].guard) TRY(reachable_after(*m->cases[i].pattern));
    m->pos = upto_block(start);
    return m;
  }

  // The capture or wildcard that makes p match anything, or nullptr.
  static const Pattern* irrefutable(const Pattern& p) {
    switch (p.kind) {
      case PatternKind::Capture: return &p;
      case PatternKind::As: return irrefutable(*p.items[0]);
      case PatternKind::Or: return irrefutable(*p.items.back());
      default: return nullptr;
    }
  }

  // An irrefutable pattern may not come before others (a case, or an alternative).
  bool reachable_after(const Pattern& p) {
    const Pattern* c = irrefutable(p);
    if (!c) return true;
    std::string what = c->target ? "name capture '" + static_cast<Name&>(*c->target).id + "'" : "wildcard";
    return error_range(c->pos, c->pos, what + " makes remaining patterns unreachable");
  }

  // The names a pattern binds, in order; false (raised) on a name bound twice.
  bool bound_names(const Pattern& p, std::vector<std::string>& out) {
    if (p.target) {
      const std::string& id = static_cast<Name&>(*p.target).id;
      if (std::find(out.begin(), out.end(), id) != out.end())
        return error_range(p.pos, p.pos, "multiple assignments to name '" + id + "' in pattern");
      out.push_back(id);
    }
    if (p.kind == PatternKind::Or) {  // every alternative binds the same names
      std::vector<std::string> first;
      for (size_t i = 0; i < p.items.size(); ++i) {
        std::vector<std::string> names;
        TRY(bound_names(*p.items[i], names));
        std::sort(names.begin(), names.end());
        if (i == 0) first = names;
        else if (names != first)
          return error_range(p.items[i]->pos, p.items[i]->pos, "alternative patterns bind different names");
      }
      for (auto& n : first) out.push_back(n);
      return true;
    }
    for (auto* group : {&p.items, &p.kwd_patterns})
      for (auto& sub : *group) TRY(bound_names(*sub, out));
    return true;
  }

  PatternP patterns() {
    Pos start = here();
    PatternP first = star_or_pattern();
    TRY(first);
    if (!at_op(",")) {
      if (first->kind == PatternKind::Star) return invalid_syntax(), nullptr;
      std::vector<std::string> names;
      TRY(bound_names(*first, names));
      return first;
    }
    auto seq = std::make_unique<Pattern>(PatternKind::Sequence);
    seq->items.push_back(std::move(first));
    while (accept_op(",") && !at_op(":") && !at_kw("if")) TRY(push(seq->items, star_or_pattern()));
    seq->pos = upto(start);
    std::vector<std::string> names;
    TRY(check_stars(*seq) && bound_names(*seq, names));
    return seq;
  }

  static bool push(std::vector<PatternP>& v, PatternP p) {
    if (!p) return false;
    v.push_back(std::move(p));
    return true;
  }

  bool check_stars(const Pattern& seq) {
    int stars = 0;
    for (auto& p : seq.items) stars += p->kind == PatternKind::Star;
    return stars < 2 || error_range(seq.pos, seq.pos, "multiple starred names in sequence pattern");
  }

  PatternP star_or_pattern() {
    if (!at_op("*")) return pattern();
    Pos start = here();
    advance();
    auto p = std::make_unique<Pattern>(PatternKind::Star);
    TRY(capture_target(*p, true));
    p->pos = upto(start);
    return p;
  }

  // A name to bind (or `_` when `wildcard_ok`: nothing is bound).
  bool capture_target(Pattern& p, bool wildcard_ok) {
    if (!at_name()) return invalid_syntax();
    if (tok().text == "_") {
      if (!wildcard_ok) return error_at(tok(), "cannot use '_' as a target");
      advance();
      return true;
    }
    auto n = make<Name>(here());
    n->id = tok().text;
    advance();
    p.target = std::move(n);
    return true;
  }

  PatternP pattern() {
    Pos start = here();
    PatternP p = or_pattern();
    TRY(p);
    if (!accept_kw("as")) return p;
    auto as = std::make_unique<Pattern>(PatternKind::As);
    as->items.push_back(std::move(p));
    TRY(capture_target(*as, false));
    as->pos = upto(start);
    return as;
  }

  PatternP or_pattern() {
    Pos start = here();
    PatternP p = closed_pattern();
    TRY(p);
    if (!at_op("|")) return p;
    auto alt = std::make_unique<Pattern>(PatternKind::Or);
    alt->items.push_back(std::move(p));
    while (accept_op("|")) TRY(push(alt->items, closed_pattern()));
    for (size_t i = 0; i + 1 < alt->items.size(); ++i) TRY(reachable_after(*alt->items[i]));
    alt->pos = upto(start);
    return alt;
  }

  PatternP closed_pattern() {
    Pos start = here();
    const Token& t = tok();
    if (t.kind == Tok::Number || (t.kind == Tok::Op && t.text == "-") || t.kind == Tok::String)
      return value_pattern(literal_expr(), start);
    if (t.kind == Tok::Op && t.text == "(") return group_pattern();
    if (t.kind == Tok::Op && t.text == "[") return sequence_pattern("[", "]");
    if (t.kind == Tok::Op && t.text == "{") return mapping_pattern();
    if (t.kind != Tok::Name) return invalid_syntax(), nullptr;
    if (t.text == "None" || t.text == "True" || t.text == "False") {
      auto p = std::make_unique<Pattern>(PatternKind::Singleton);
      p->value = atom();
      p->pos = upto(start);
      return p;
    }
    bool dotted = tok(1).kind == Tok::Op && tok(1).text == ".";
    bool called = tok(1).kind == Tok::Op && tok(1).text == "(";
    if (!dotted && !called) {
      auto p = std::make_unique<Pattern>(PatternKind::Capture);
      TRY(capture_target(*p, true));
      p->pos = upto(start);
      return p;
    }
    ExprP name = name_or_attr();
    TRY(name);
    if (at_op("(")) return class_pattern(std::move(name), start);
    return value_pattern(std::move(name), start);
  }

  PatternP value_pattern(ExprP value, Pos start) {
    TRY(value);
    auto p = std::make_unique<Pattern>(PatternKind::Value);
    p->value = std::move(value);
    p->pos = upto(start);
    return p;
  }

  // NAME ('.' NAME)*
  ExprP name_or_attr() {
    Pos start = here();
    if (!at_name()) return invalid_syntax(), nullptr;
    auto n = make<Name>(start);
    n->id = tok().text;
    advance();
    ExprP e = std::move(n);
    while (accept_op(".")) {
      auto a = make<Attribute>(start);
      a->value = std::move(e);
      TRY(name(a->attr));
      a->pos = upto(start);
      e = std::move(a);
    }
    return e;
  }

  // A number (with its sign, or a complex `a + bj`) or a string.
  ExprP literal_expr() {
    Pos start = here();
    if (at(Tok::String)) return strings();
    ExprP e = signed_number();
    TRY(e);
    if (!at_op("+") && !at_op("-")) return e;
    auto b = make<BinOp>(start);
    b->op = at_op("+") ? BinOpKind::Add : BinOpKind::Sub;
    advance();
    if (!at(Tok::Number)) return invalid_syntax(), nullptr;
    auto imag = number_constant(tok().text);
    imag->pos = here();
    if (imag->ck != ConstKind::Imag)
      return error_at(tok(), "imaginary number required in complex literal"), nullptr;
    advance();
    b->left = std::move(e);
    b->right = std::move(imag);
    b->pos = upto(start);
    return b;
  }

  ExprP signed_number() {
    Pos start = here();
    bool negative = accept_op("-");
    if (!at(Tok::Number)) return invalid_syntax(), nullptr;
    auto c = number_constant(tok().text);
    c->pos = here();
    advance();
    if (!negative) return c;
    auto u = make<UnaryOp>(start);
    u->op = UnaryOpKind::Neg;
    u->operand = std::move(c);
    u->pos = upto(start);
    return u;
  }

  // '(' pattern ')' groups; '(' ')' and '(' p ',' ... ')' are sequences.
  PatternP group_pattern() {
    Pos start = here();
    advance();
    if (at_op(")")) return sequence_rest(start, ")", {});
    PatternP first = star_or_pattern();
    TRY(first);
    if (accept_op(")")) {
      if (first->kind == PatternKind::Star) return invalid_syntax(), nullptr;
      return first;
    }
    if (!at_op(",")) return invalid_syntax(), nullptr;
    advance();
    std::vector<PatternP> items;
    items.push_back(std::move(first));
    return sequence_rest(start, ")", std::move(items));
  }

  PatternP sequence_pattern(const char* open, const char* close) {
    Pos start = here();
    TRY(accept_op(open));
    return sequence_rest(start, close, {});
  }

  // The elements up to `close`, after those already read.
  PatternP sequence_rest(Pos start, const char* close, std::vector<PatternP> items) {
    auto seq = std::make_unique<Pattern>(PatternKind::Sequence);
    seq->items = std::move(items);
    while (!accept_op(close)) {
      TRY(push(seq->items, star_or_pattern()));
      if (!accept_op(",")) {
        if (!accept_op(close)) return invalid_syntax(), nullptr;
        break;
      }
    }
    seq->pos = upto(start);
    TRY(check_stars(*seq));
    return seq;
  }

  PatternP mapping_pattern() {
    Pos start = here();
    advance();
    auto map = std::make_unique<Pattern>(PatternKind::Mapping);
    while (!accept_op("}")) {
      if (accept_op("**")) {
        TRY(capture_target(*map, false));
        accept_op(",");
        if (!accept_op("}")) return invalid_syntax(), nullptr;
        break;
      }
      ExprP key;
      if (at(Tok::Number) || at_op("-") || at(Tok::String)) {
        key = literal_expr();
      } else if (at_kw("None") || at_kw("True") || at_kw("False")) {
        key = atom();
      } else {
        key = name_or_attr();
        if (key && key->kind == ExprKind::Name) return invalid_syntax(), nullptr;
      }
      TRY(key);
      map->keys.push_back(std::move(key));
      if (!accept_op(":")) return invalid_syntax(), nullptr;
      TRY(push(map->items, pattern()));
      if (!accept_op(",") && !at_op("}")) return invalid_syntax(), nullptr;
    }
    map->pos = upto(start);
    TRY(distinct_keys(*map));
    return map;
  }

  // Literal str and int keys of a mapping pattern must differ (CPython's compile-time check).
  bool distinct_keys(const Pattern& map) {
    auto literal = [](const ExprP& k) {
      auto* c = k->kind == ExprKind::Constant ? static_cast<const Constant*>(k.get()) : nullptr;
      return c && (c->ck == ConstKind::Str || c->ck == ConstKind::Int) ? c : nullptr;
    };
    for (size_t i = 0; i < map.keys.size(); ++i) {
      const Constant* a = literal(map.keys[i]);
      for (size_t j = 0; a && j < i; ++j) {
        const Constant* b = literal(map.keys[j]);
        if (!b || b->ck != a->ck || b->s != a->s || b->i != a->i) continue;
        std::string shown = a->ck == ConstKind::Str ? str_repr(a->s) : std::to_string(a->i);
        return error_range(map.pos, map.pos, "mapping pattern checks duplicate key (" + shown + ")");
      }
    }
    return true;
  }

  PatternP class_pattern(ExprP cls, Pos start) {
    advance();  // (
    auto p = std::make_unique<Pattern>(PatternKind::Class);
    p->value = std::move(cls);
    while (!accept_op(")")) {
      if (at_name() && tok(1).kind == Tok::Op && tok(1).text == "=") {
        std::string attr = tok().text;
        bool repeated = std::find(p->attrs.begin(), p->attrs.end(), attr) != p->attrs.end();
        advance();
        advance();
        p->attrs.push_back(attr);
        TRY(push(p->kwd_patterns, pattern()));
        const Pos& at_pos = p->kwd_patterns.back()->pos;
        if (repeated) return error_range(at_pos, at_pos, "attribute name repeated in class pattern: " + attr), nullptr;
      } else {
        Pos at_pos = here();
        TRY(push(p->items, pattern()));
        if (!p->attrs.empty())
          return error_range(at_pos, p->items.back()->pos, "positional patterns follow keyword patterns"), nullptr;
      }
      if (!accept_op(",") && !at_op(")")) return invalid_syntax(), nullptr;
    }
    p->pos = upto(start);
    return p;
  }

  // ---- expressions, loosest first ----
  ExprP star_expressions() {
    Pos start = here();
    ExprP first = star_expression();
    TRY(first);
    if (!at_op(",")) return first;
    auto t = std::make_unique<Sequence>(ExprKind::Tuple);
    t->elts.push_back(std::move(first));
    while (accept_op(",")) {
      if (!starts_expression()) break;
      ExprP e = star_expression();
      TRY(e);
      t->elts.push_back(std::move(e));
    }
    t->pos = upto(start);
    return t;
  }

  ExprP starred(ExprP (Parser::*operand)()) {
    Pos start = here();
    advance();
    auto s = std::make_unique<UnaryExpr>(ExprKind::Starred);
    TRY(s->value = (this->*operand)());
    s->pos = upto(start);
    return s;
  }

  ExprP star_expression() {
    return at_op("*") ? starred(&Parser::binary0) : expression();
  }
  ExprP star_named_expression() {
    return at_op("*") ? starred(&Parser::binary0) : named_expression();
  }

  ExprP yield_expr() {
    Pos start = here();
    advance();
    if (accept_kw("from")) {
      auto y = std::make_unique<UnaryExpr>(ExprKind::YieldFrom);
      TRY(y->value = expression());
      y->pos = upto(start);
      return y;
    }
    auto y = std::make_unique<UnaryExpr>(ExprKind::Yield);
    if (starts_expression()) TRY(y->value = star_expressions());
    y->pos = upto(start);
    return y;
  }

  ExprP named_expression() {
    if (!(at_name() && tok(1).kind == Tok::Op && tok(1).text == ":=")) return expression();
    Pos start = here();
    auto n = std::make_unique<NamedExpr>();
    auto target = make<Name>(here());
    target->id = tok().text;
    advance();
    advance();
    n->target = std::move(target);
    TRY(n->value = expression());
    n->pos = upto(start);
    return n;
  }

  ExprP expression() {
    if (at_kw("lambda")) return lambdef();
    Pos start = here();
    ExprP body = disjunction();
    TRY(body);
    if (!at_kw("if")) return body;
    advance();
    auto e = std::make_unique<IfExp>();
    TRY(e->test = disjunction());
    if (!accept_kw("else"))
      return error_range(body->pos, e->test->pos, "expected 'else' after 'if' expression"),
             nullptr;
    e->body = std::move(body);
    TRY(e->orelse = expression());
    e->pos = upto(start);
    return e;
  }

  ExprP lambdef() {
    Pos start = here();
    advance();
    auto l = std::make_unique<Lambda>();
    TRY(parameters(l->args, ":", false));
    TRY(colon());
    TRY(l->body = expression());
    l->pos = upto(start);
    return l;
  }

  ExprP bool_op(bool is_and) {
    Pos start = here();
    const char* kw = is_and ? "and" : "or";
    ExprP first = is_and ? inversion() : bool_op(true);
    TRY(first);
    if (!at_kw(kw)) return first;
    auto b = std::make_unique<BoolOp>();
    b->is_and = is_and;
    b->values.push_back(std::move(first));
    while (accept_kw(kw)) {
      ExprP e = is_and ? inversion() : bool_op(true);
      TRY(e);
      b->values.push_back(std::move(e));
    }
    b->pos = upto(start);
    return b;
  }
  ExprP disjunction() { return bool_op(false); }

  ExprP inversion() {
    if (!at_kw("not")) return comparison();
    Pos start = here();
    advance();
    auto u = std::make_unique<UnaryOp>();
    u->op = UnaryOpKind::Not;
    TRY(u->operand = inversion());
    u->pos = upto(start);
    return u;
  }

  // The comparison operator at the current token, consuming it; false when there is none.
  bool cmp_op(CmpOp& op) {
    for (const CmpToken& c : kCmpOps)
      if (accept_op(c.text)) return op = c.op, true;
    if (accept_kw("in")) return op = CmpOp::In, true;
    if (at_kw("not") && tok(1).kind == Tok::Name && tok(1).text == "in") {
      advance(), advance();
      return op = CmpOp::NotIn, true;
    }
    if (accept_kw("is")) return op = accept_kw("not") ? CmpOp::IsNot : CmpOp::Is, true;
    return false;
  }

  ExprP comparison() {
    Pos start = here();
    ExprP left = binary(0);
    TRY(left);
    CmpOp op;
    if (!cmp_op(op)) return left;
    auto c = std::make_unique<Compare>();
    c->left = std::move(left);
    do {
      ExprP right = binary(0);
      TRY(right);
      c->ops.push_back(op);
      c->comparators.push_back(std::move(right));
    } while (cmp_op(op));
    c->pos = upto(start);
    return c;
  }

  ExprP binary0() { return binary(0); }

  // The operator of binary level `level` at the current token, or nullptr (every atom asks
  // each level, so the token's kind is tested once).
  const OpToken* binary_op(size_t level) const {
    if (!at(Tok::Op)) return nullptr;
    for (const OpToken& o : kBinaryLevels[level])
      if (same(tok().text, o.text)) return &o;
    return nullptr;
  }

  ExprP binary(size_t level) {
    if (level == kBinaryLevels.size()) return factor();
    Pos start = here();
    ExprP left = binary(level + 1);
    TRY(left);
    for (;;) {
      const OpToken* hit = binary_op(level);
      if (!hit) return left;
      advance();
      auto b = std::make_unique<BinOp>();
      b->op = hit->op;
      b->left = std::move(left);
      TRY(b->right = binary(level + 1));
      b->pos = upto(start);
      left = std::move(b);
    }
  }

  ExprP factor() {
    UnaryOpKind op;
    if (at_op("-")) {
      op = UnaryOpKind::Neg;
    } else if (at_op("+")) {
      op = UnaryOpKind::Pos;
    } else if (at_op("~")) {
      op = UnaryOpKind::Invert;
    } else {
      return power();
    }
    Pos start = here();
    advance();
    auto u = std::make_unique<UnaryOp>();
    u->op = op;
    TRY(u->operand = factor());
    u->pos = upto(start);
    return u;
  }

  // ** binds tighter than a unary on its left and looser than one on its right: -2**-1.
  ExprP power() {
    Pos start = here();
    ExprP base = await_primary();
    TRY(base);
    if (!accept_op("**")) return base;
    auto b = std::make_unique<BinOp>();
    b->op = BinOpKind::Pow;
    b->left = std::move(base);
    TRY(b->right = factor());
    b->pos = upto(start);
    return b;
  }

  ExprP await_primary() {
    if (!at_kw("await")) return primary();
    Pos start = here();
    advance();
    auto a = std::make_unique<UnaryExpr>(ExprKind::Await);
    TRY(a->value = primary());
    a->pos = upto(start);
    return a;
  }

  ExprP primary() {
    Pos start = here();
    ExprP e = atom();
    TRY(e);
    for (;;) {
      if (accept_op(".")) {
        auto a = std::make_unique<Attribute>();
        a->value = std::move(e);
        TRY(name(a->attr));
        a->pos = upto(start);
        e = std::move(a);
      } else if (accept_op("(")) {
        auto c = std::make_unique<Call>();
        c->func = std::move(e);
        TRY(call_args(c->args, c->keywords));
        c->pos = upto(start);
        e = std::move(c);
      } else if (at_op("[")) {
        TRY(e = subscript(std::move(e), start));
      } else {
        return e;
      }
    }
  }

  // Arguments after '(' up to and including ')'.
  bool call_args(std::vector<ExprP>& args, std::vector<Keyword>& kws) {
    Pos open = Pos{prev().line, prev().col, 0};
    bool double_star = false, sole_genexp = false;
    const Expr* last = nullptr;
    while (!at_op(")")) {
      Pos start = here();
      if (at_op("*")) {
        ExprP s = starred(&Parser::expression);
        TRY(s);
        if (double_star)
          return error_node(*s, "iterable argument unpacking follows keyword argument unpacking");
        last = s.get();
        args.push_back(std::move(s));
      } else if (accept_op("**")) {
        Keyword k;
        TRY(k.value = expression());
        k.pos = upto(start);
        last = k.value.get();
        kws.push_back(std::move(k));
        double_star = true;
      } else if (at_name() && tok(1).kind == Tok::Op && tok(1).text == "=") {
        Keyword k;
        k.name = tok().text;
        advance(), advance();
        TRY(k.value = expression());
        k.pos = upto(start);
        last = k.value.get();
        kws.push_back(std::move(k));
      } else {
        ExprP e = named_expression();
        TRY(e);
        if (at_comp_for()) {
          bool alone = args.empty() && kws.empty();
          TRY(e = comprehension(ExprKind::GeneratorExp, start, std::move(e), nullptr));
          if (!alone || (at_op(",") && !(tok(1).kind == Tok::Op && tok(1).text == ")")))
            return error_node(*e, "Generator expression must be parenthesized");
          sole_genexp = true;
        } else if (at_op("=")) {
          return error_node(*e, "expression cannot contain assignment, perhaps you meant \"==\"?");
        }
        if (!kws.empty()) {
          bool named = false;
          for (const Keyword& k : kws) named = named || !k.name.empty();
          return error_node(*e, named ? "positional argument follows keyword argument"
                                      : "positional argument follows keyword argument unpacking");
        }
        last = e.get();
        args.push_back(std::move(e));
      }
      if (!accept_op(",")) break;
    }
    TRY(close(")", last));
    if (sole_genexp) args[0]->pos = upto(open);  // f(x for x in y): the call's parentheses
    return true;
  }

  ExprP subscript(ExprP value, Pos start) {
    advance();
    auto s = std::make_unique<Subscript>();
    s->value = std::move(value);
    Pos istart = here();
    ExprP first = slice_item();
    TRY(first);
    if (at_op(",") || first->kind == ExprKind::Starred) {  // a[*b] indexes with a tuple
      auto t = std::make_unique<Sequence>(ExprKind::Tuple);
      t->elts.push_back(std::move(first));
      while (accept_op(",")) {
        if (at_op("]")) break;
        ExprP e = slice_item();
        TRY(e);
        t->elts.push_back(std::move(e));
      }
      t->pos = upto(istart);
      first = std::move(t);
    }
    const Expr* last = first->kind == ExprKind::Tuple ? nullptr : first.get();
    TRY(close("]", last));
    s->index = std::move(first);
    s->pos = upto(start);
    return s;
  }

  bool slice_bound_follows() const { return !at_op(":") && !at_op("]") && !at_op(","); }

  ExprP slice_item() {
    if (at_op("*")) return starred(&Parser::binary0);
    Pos start = here();
    ExprP lower;
    if (!at_op(":")) {
      TRY(lower = named_expression());
      if (!at_op(":")) return lower;
    }
    advance();
    auto s = std::make_unique<Slice>();
    s->lower = std::move(lower);
    if (slice_bound_follows()) TRY(s->upper = expression());
    if (accept_op(":") && slice_bound_follows()) TRY(s->step = expression());
    s->pos = upto(start);
    return s;
  }

  // ---- atoms ----
  ExprP atom() {
    const Token& t = tok();
    Pos start = here();
    switch (t.kind) {
      case Tok::Number: {
        auto c = number_constant(t.text);
        advance();
        c->pos = upto(start);
        return c;
      }
      case Tok::String: return strings();
      case Tok::Name: {
        ConstKind ck;
        if (same(t.text, "None")) {
          ck = ConstKind::None;
        } else if (same(t.text, "True")) {
          ck = ConstKind::True;
        } else if (same(t.text, "False")) {
          ck = ConstKind::False;
        } else if (!is_keyword(t.text)) {
          auto n = make<Name>(start);
          n->id = t.text;
          advance();
          return n;
        } else {
          return invalid_syntax(), nullptr;
        }
        advance();
        auto c = make<Constant>(start);
        c->ck = ck;
        return c;
      }
      case Tok::Op:
        if (same(t.text, "(")) return paren();
        if (same(t.text, "[")) return list();
        if (same(t.text, "{")) return brace();
        if (same(t.text, "...")) {
          advance();
          auto c = make<Constant>(start);
          c->ck = ConstKind::Ellipsis;
          return c;
        }
        break;
      default: break;
    }
    return invalid_syntax(), nullptr;
  }

  // Fills `seq` with star_named_expressions after `first`, up to and including `bracket`.
  bool elements(Sequence& seq, ExprP first, const char* bracket) {
    seq.elts.push_back(std::move(first));
    while (accept_op(",")) {
      if (at_op(bracket)) break;
      ExprP e = star_named_expression();
      TRY(e);
      seq.elts.push_back(std::move(e));
    }
    return close(bracket, seq.elts.back().get());
  }

  ExprP paren() {
    Pos start = here();
    advance();
    if (accept_op(")")) return make<Sequence>(upto(start), ExprKind::Tuple);
    if (at_kw("yield")) {
      ExprP y = yield_expr();
      TRY(y);
      TRY(close(")", nullptr));
      return y;
    }
    ExprP first = star_named_expression();
    TRY(first);
    if (at_comp_for()) {
      ExprP g = comprehension(ExprKind::GeneratorExp, start, std::move(first), nullptr);
      TRY(g);
      TRY(close(")", nullptr));
      g->pos = upto(start);
      return g;
    }
    if (!at_op(",")) {
      TRY(close(")", first.get()));
      if (first->kind == ExprKind::Starred)
        return error_node(*first, "cannot use starred expression here"), nullptr;
      return first;
    }
    auto t = std::make_unique<Sequence>(ExprKind::Tuple);
    TRY(elements(*t, std::move(first), ")"));
    t->pos = upto(start);
    return t;
  }

  ExprP list() {
    Pos start = here();
    advance();
    if (accept_op("]")) return make<Sequence>(upto(start), ExprKind::List);
    ExprP first = star_named_expression();
    TRY(first);
    if (at_comp_for()) {
      ExprP c = comprehension(ExprKind::ListComp, start, std::move(first), nullptr);
      TRY(c);
      TRY(close("]", nullptr));
      c->pos = upto(start);
      return c;
    }
    auto l = std::make_unique<Sequence>(ExprKind::List);
    TRY(elements(*l, std::move(first), "]"));
    l->pos = upto(start);
    return l;
  }

  ExprP brace() {
    Pos start = here();
    advance();
    if (accept_op("}")) return make<Dict>(upto(start));
    if (at_op("**")) return dict(start, nullptr);
    ExprP first = star_named_expression();
    TRY(first);
    if (at_op(":") && first->kind != ExprKind::Starred) return dict(start, std::move(first));
    if (at_comp_for()) {
      ExprP c = comprehension(ExprKind::SetComp, start, std::move(first), nullptr);
      TRY(c);
      TRY(close("}", nullptr));
      c->pos = upto(start);
      return c;
    }
    auto s = std::make_unique<Sequence>(ExprKind::Set);
    TRY(elements(*s, std::move(first), "}"));
    s->pos = upto(start);
    return s;
  }

  // One `key: value` or `**mapping` entry; `key` is already parsed when given.
  bool dict_entry(Dict& d, ExprP key) {
    if (!key && accept_op("**")) {
      d.keys.push_back(nullptr);
      ExprP v = binary(0);
      TRY(v);
      d.values.push_back(std::move(v));
      return true;
    }
    if (!key) TRY(key = expression());
    if (!accept_op(":"))
      return error("SyntaxError", "':' expected after dictionary key", key->pos.line,
                   key->pos.col, 0);
    ExprP v = expression();
    TRY(v);
    d.keys.push_back(std::move(key));
    d.values.push_back(std::move(v));
    return true;
  }

  ExprP dict(Pos start, ExprP first_key) {
    auto d = std::make_unique<Dict>();
    TRY(dict_entry(*d, std::move(first_key)));
    if (d->keys.back() && at_comp_for()) {
      auto c = std::make_unique<Comp>(ExprKind::DictComp);
      c->key = std::move(d->keys.back());
      c->value = std::move(d->values.back());
      TRY(for_if_clauses(c->generators));
      TRY(close("}", nullptr));
      c->pos = upto(start);
      return c;
    }
    while (accept_op(",")) {
      if (at_op("}")) break;
      TRY(dict_entry(*d, nullptr));
    }
    TRY(close("}", d->values.back().get()));
    d->pos = upto(start);
    return d;
  }

  ExprP comprehension(ExprKind kind, Pos start, ExprP elt, ExprP value) {
    auto c = std::make_unique<Comp>(kind);
    c->elt = std::move(elt);
    c->value = std::move(value);
    TRY(for_if_clauses(c->generators));
    c->pos = upto(start);
    return c;
  }

  bool for_if_clauses(std::vector<Comprehension>& gens) {
    while (at_comp_for()) {
      Comprehension c;
      c.is_async = accept_kw("async");
      advance();
      TRY(c.target = assign_target_list());
      if (!accept_kw("in")) return invalid_syntax();
      TRY(c.iter = disjunction());
      while (accept_kw("if")) {
        ExprP cond = disjunction();
        TRY(cond);
        c.ifs.push_back(std::move(cond));
      }
      gens.push_back(std::move(c));
    }
    return true;
  }

  // ---- strings: adjacent literals concatenate; any f-string makes a JoinedStr ----
  struct Pieces {
    std::vector<ExprP> parts;
    std::string lit;  // literal text not yet flushed into parts
    Pos pos;
    void flush() {
      if (lit.empty()) return;
      auto c = make<Constant>(pos);
      c->ck = ConstKind::Str;
      c->s = std::move(lit);
      lit.clear();
      parts.push_back(std::move(c));
    }
  };

  ExprP strings() {
    Pos start = here();
    const Token& first = tok();
    Pieces out;
    bool any_f = false, any_bytes = false, any_str = false;
    for (; at(Tok::String); advance()) {
      const Token& t = tok();
      size_t q = t.text.find_first_of("'\"");
      std::string prefix;
      for (size_t i = 0; i < q; ++i)
        prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(t.text[i])));
      bool raw = prefix.find('r') != std::string::npos;
      bool bytes = prefix.find('b') != std::string::npos;
      bool f = prefix.find('f') != std::string::npos;
      size_t ql = t.text.size() >= q + 6 && t.text[q + 1] == t.text[q] && t.text[q + 2] == t.text[q]
                      ? 3 : 1;
      std::string_view body = std::string_view(t.text).substr(q + ql, t.text.size() - q - 2 * ql);
      (bytes ? any_bytes : any_str) = true;
      if (any_bytes && any_str)
        return error_at(first, "cannot mix bytes and nonbytes literals"), nullptr;
      if (bytes && !is_ascii(body))
        return error_at(t, "bytes can only contain ASCII literal characters"), nullptr;
      if (f) {
        any_f = true;
        out.pos = start;
        size_t i = 0;
        FString fs{body, raw, t.line, t.col + static_cast<int>(q + ql), t.end_line, t.end_col};
        TRY(fstring_body(fs, i, out, false));
      } else {
        if (raw) {
          out.lit += body;
        } else {
          auto text = decode_escapes(body, bytes);
          if (!text) return error("SyntaxError", text.error(), t.end_line, t.end_col, t.end_col), nullptr;
          out.lit += *text;
        }
      }
    }
    Pos pos = upto(start);
    if (!any_f) {
      auto c = make<Constant>(pos);
      c->ck = any_bytes ? ConstKind::Bytes : ConstKind::Str;
      c->s = std::move(out.lit);
      return c;
    }
    out.pos = pos;
    out.flush();
    auto j = make<JoinedStr>(pos);
    j->parts = std::move(out.parts);
    for (ExprP& part : j->parts) {
      part->pos = pos;
      if (part->kind == ExprKind::FormattedValue) {
        auto& spec = static_cast<FormattedValue&>(*part).format_spec;
        if (spec) spec->pos = pos;
      }
    }
    return j;
  }

  struct FString {
    std::string_view body;
    bool raw;
    int line, col;  // where the body starts in the source
    int end_line, end_col;  // where the literal ends (bad escapes are reported there)
  };

  // Source line and column of body offset `off`.
  static std::pair<int, int> fstring_loc(const FString& fs, size_t off) {
    int line = fs.line, col = fs.col;
    for (size_t k = 0; k < off; ++k) {
      if (fs.body[k] == '\n') {
        ++line, col = 0;
      } else {
        ++col;
      }
    }
    return {line, col};
  }

  bool fstring_error(const FString& fs, size_t off, std::string msg) {
    auto [line, col] = fstring_loc(fs, off);
    return error("SyntaxError", "f-string: " + msg, line, col, col);
  }

  // Literal text and replacement fields from body[i]; in a format spec, stops at the
  // '}' that closes the field.
  bool fstring_body(const FString& fs, size_t& i, Pieces& out, bool in_spec) {
    std::string seg;  // literal source text, escapes still encoded
    auto flush_seg = [&] {
      tl::expected<std::string, std::string> text = seg;
      if (!fs.raw) text = decode_escapes(seg, false);
      if (!text) return error("SyntaxError", text.error(), fs.end_line, fs.end_col, fs.end_col);
      out.lit += *text;
      seg.clear();
      return true;
    };
    std::string_view b = fs.body;
    while (i < b.size()) {
      char c = b[i];
      if (c == '{' && !in_spec && i + 1 < b.size() && b[i + 1] == '{') {
        seg += '{', i += 2;
      } else if (c == '}' && in_spec) {
        break;
      } else if (c == '}') {
        if (i + 1 >= b.size() || b[i + 1] != '}')
          return fstring_error(fs, i, "single '}' is not allowed");
        seg += '}', i += 2;
      } else if (c == '{') {
        TRY(flush_seg());
        TRY(fstring_field(fs, i, out));
      } else if (c == '\\' && !fs.raw && i + 1 < b.size()) {
        size_t end = i + 2;
        if (b[i + 1] == 'N' && end < b.size() && b[end] == '{') {
          size_t close_brace = b.find('}', end);
          end = close_brace == std::string_view::npos ? b.size() : close_brace + 1;
        }
        seg += b.substr(i, end - i);
        i = end;
      } else {
        seg += c, ++i;
      }
    }
    TRY(flush_seg());
    return true;
  }

  // Where a replacement field's expression ends: at '}', '!', ':' or '=' outside brackets
  // and strings (but not at '!=', '==', '<=', '>=').
  static size_t fstring_expr_end(std::string_view b, size_t i) {
    int depth = 0;
    char quote = 0;
    for (; i < b.size(); ++i) {
      char c = b[i];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || (c == '}' && depth > 0)) {
        --depth;
      } else if (depth == 0) {
        char n = i + 1 < b.size() ? b[i + 1] : '\0';
        if ((c == '!' || c == '=' || c == '<' || c == '>') && n == '=') {
          ++i;
        } else if (c == '!' || c == ':' || c == '}' || c == '=' || c == '#') {
          return i;
        }
      }
    }
    return i;
  }

  bool fstring_field(const FString& fs, size_t& i, Pieces& out) {
    std::string_view b = fs.body;
    size_t start = ++i;
    i = fstring_expr_end(b, i);
    if (i < b.size() && b[i] == '#')
      return fstring_error(fs, i, "expression part cannot include '#'");
    std::string_view text = b.substr(start, i - start);
    if (is_blank(text)) return fstring_error(fs, i, "empty expression not allowed");
    if (i >= b.size()) return fstring_error(fs, i, "expecting '}'");
    auto fv = make<FormattedValue>(out.pos);
    auto [line, col] = fstring_loc(fs, start);
    TRY(fv->value = parse_fragment(text, line, col));
    std::string_view debug;
    if (b[i] == '=') {
      ++i;
      while (i < b.size() && std::isspace(static_cast<unsigned char>(b[i]))) ++i;
      debug = b.substr(start, i - start);
    }
    if (i < b.size() && b[i] == '!') {
      char conv = i + 1 < b.size() ? b[i + 1] : '\0';
      if (conv != 'r' && conv != 's' && conv != 'a')
        return fstring_error(fs, i + 1,
                             "invalid conversion character: expected 's', 'r', or 'a'");
      fv->conversion = conv;
      i += 2;
    }
    if (i < b.size() && b[i] == ':') {
      ++i;
      Pieces spec;
      spec.pos = out.pos;
      TRY(fstring_body(fs, i, spec, true));
      spec.flush();
      auto j = make<JoinedStr>(out.pos);
      j->parts = std::move(spec.parts);
      fv->format_spec = std::move(j);
    }
    if (i >= b.size() || b[i] != '}') return fstring_error(fs, i, "expecting '}'");
    ++i;
    if (!debug.empty()) {
      out.lit += debug;
      if (!fv->conversion && !fv->format_spec) fv->conversion = 'r';
    }
    out.flush();
    out.parts.push_back(std::move(fv));
    return true;
  }

  ExprP parse_fragment(std::string_view text, int line, int col) {
    Parser sub(tokenize_fragment(text, filename_, lines_, line, col), filename_, lines_);
    ExprP e = sub.fragment_expression();
    std::optional<SyntaxErrorInfo> err = sub.final_error();
    if (!err) return e;
    if (!err_) {
      err_ = std::move(*err);
      if (err_->msg.rfind("f-string: ", 0) != 0) err_->msg = "f-string: " + err_->msg;
      err_tok_ = p_;
    }
    return nullptr;
  }

  std::vector<Token> toks_;
  size_t p_ = 0;
  LexFail lex_fail_;
  SyntaxErrorInfo lex_error_;
  const std::string& filename_;
  const std::vector<std::string>& lines_;
  std::optional<SyntaxErrorInfo> err_;
  size_t err_tok_ = 0;
};

bool is_compound(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::If: case StmtKind::While: case StmtKind::For: case StmtKind::Try:
    case StmtKind::With: case StmtKind::FunctionDef: case StmtKind::ClassDef: case StmtKind::Match:
      return true;
    default: return false;
  }
}

// Runs the parser; `incomplete` (when given) reports input that merely stopped early.
tl::expected<std::unique_ptr<Module>, SyntaxErrorInfo> parse(std::string_view source,
                                                             const std::string& filename,
                                                             bool* incomplete) {
  auto m = std::make_unique<Module>();
  m->filename = filename;
  std::string src = normalize_source(source);
  m->lines = split_lines(src);
  Parser parser(tokenize(src, filename), m->filename, m->lines);
  std::unique_ptr<Module> parsed = parser.module();
  std::optional<SyntaxErrorInfo> err = parser.final_error();
  if (incomplete && ((err && parser.ended_early()) ||
                     (!err && !parsed->body.empty() && is_compound(*parsed->body.back()) &&
                      !m->lines.empty() && !is_blank(m->lines.back()) && src.back() == '\n') ||
                     (!err && parser.saw_indent() && !is_blank(m->lines.back())))) {
    *incomplete = true;
    return m;
  }
  if (err) return tl::unexpected(std::move(*err));
  m->body = std::move(parsed->body);
  return m;
}

}  // namespace

tl::expected<std::unique_ptr<Module>, SyntaxErrorInfo> parse_module(std::string_view source,
                                                                   const std::string& filename) {
  return parse(source, filename, nullptr);
}

tl::expected<std::unique_ptr<Module>, SyntaxErrorInfo> parse_interactive(
    std::string_view source, const std::string& filename, bool& incomplete) {
  incomplete = false;
  return parse(source, filename, &incomplete);
}

}  // namespace aio
