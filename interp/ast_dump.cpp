// The dump format: Kind(field, field, ...), lists in [...], a missing node as '-'.
#include "interp/ast_dump.h"

#include <cstdio>

namespace aio {
namespace {

constexpr const char* kBinOpNames[] = {"Add",    "Sub",    "Mult",  "MatMult", "Div",
                                       "FloorDiv", "Mod",  "Pow",   "LShift",  "RShift",
                                       "BitOr",  "BitXor", "BitAnd"};
constexpr const char* kUnaryNames[] = {"Not", "USub", "UAdd", "Invert"};
constexpr const char* kCmpNames[] = {"Eq", "NotEq", "Lt", "LtE", "Gt",
                                     "GtE", "Is", "IsNot", "In", "NotIn"};

class Dumper {
 public:
  explicit Dumper(bool positions) : positions_(positions) {}
  std::string out;

  void expr(const Expr* e) {
    if (!e) {
      out += '-';
      return;
    }
    expr_body(*e);
    pos(e->pos);
  }

  void stmt(const Stmt& s) {
    stmt_body(s);
    pos(s.pos);
  }

  void body(const Body& b) {
    out += '[';
    for (size_t i = 0; i < b.size(); ++i) {
      if (i) out += ", ";
      stmt(*b[i]);
    }
    out += ']';
  }

 private:
  // Patterns as CPython's ast names them (a capture, `_` and `as` are all MatchAs).
  void pattern(const Pattern& p) {
    auto bound = [&] { text(p.target ? static_cast<const Name&>(*p.target).id : ""); };
    auto patterns = [&](const std::vector<PatternP>& v) {
      out += '[';
      for (size_t i = 0; i < v.size(); ++i) {
        if (i) sep();
        pattern(*v[i]);
      }
      out += ']';
    };
    switch (p.kind) {
      case PatternKind::Value: open("MatchValue"), expr(p.value.get()); break;
      case PatternKind::Singleton: open("MatchSingleton"), expr(p.value.get()); break;
      case PatternKind::Capture: open("MatchAs"), out += "-, ", bound(); break;
      case PatternKind::As: open("MatchAs"), pattern(*p.items[0]), sep(), bound(); break;
      case PatternKind::Star: open("MatchStar"), bound(); break;
      case PatternKind::Sequence: open("MatchSequence"), patterns(p.items); break;
      case PatternKind::Or: open("MatchOr"), patterns(p.items); break;
      case PatternKind::Mapping: open("MatchMapping"), exprs(p.keys), sep(), patterns(p.items), sep(), bound(); break;
      case PatternKind::Class: {
        open("MatchClass"), expr(p.value.get()), sep(), patterns(p.items), out += ", [";
        for (size_t i = 0; i < p.attrs.size(); ++i) out += (i ? ", " : "") + p.attrs[i];
        out += "], ", patterns(p.kwd_patterns);
        break;
      }
    }
    out += ')';
    pos(p.pos);
  }

  void pos(const Pos& p) {
    if (positions_)
      out += "@" + std::to_string(p.line) + ":" + std::to_string(p.col) + "-" +
             std::to_string(p.end_col);
  }
  void sep() { out += ", "; }
  void open(const char* kind) {
    out += kind;
    out += '(';
  }
  void exprs(const std::vector<ExprP>& v) {
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) sep();
      expr(v[i].get());
    }
    out += ']';
  }
  void text(const std::string& s) {
    if (s.empty()) {
      out += '-';
    } else {
      out += s;
    }
  }
  void quoted(const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
      if (c == '\\' || c == '"') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20 || c == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '"';
  }
  void number(double f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", f);
    out += buf;
  }
  void keywords(const std::vector<Keyword>& ks) {
    out += '[';
    for (size_t i = 0; i < ks.size(); ++i) {
      if (i) sep();
      open("keyword");
      text(ks[i].name);
      sep();
      expr(ks[i].value.get());
      out += ')';
    }
    out += ']';
  }
  void arg(const Arg* a) {
    if (!a) {
      out += '-';
      return;
    }
    open("arg");
    out += a->name;
    sep();
    expr(a->annotation.get());
    out += ')';
  }
  void args(const std::vector<Arg>& v) {
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) sep();
      arg(&v[i]);
    }
    out += ']';
  }
  void arguments(const Arguments& a) {
    open("arguments");
    args(a.posonly), sep(), args(a.args), sep(), arg(a.vararg.get()), sep();
    args(a.kwonly), sep(), exprs(a.kw_defaults), sep(), arg(a.kwarg.get()), sep();
    exprs(a.defaults);
    out += ')';
  }
  void generators(const std::vector<Comprehension>& gens) {
    out += '[';
    for (size_t i = 0; i < gens.size(); ++i) {
      if (i) sep();
      open("comprehension");
      expr(gens[i].target.get()), sep(), expr(gens[i].iter.get()), sep(), exprs(gens[i].ifs);
      out += gens[i].is_async ? ", 1)" : ", 0)";
    }
    out += ']';
  }

  void constant(const Constant& c) {
    open("Constant");
    switch (c.ck) {
      case ConstKind::None: out += "None"; break;
      case ConstKind::True: out += "True"; break;
      case ConstKind::False: out += "False"; break;
      case ConstKind::Ellipsis: out += "Ellipsis"; break;
      case ConstKind::Int: out += "int " + std::to_string(c.i); break;
      case ConstKind::BigInt: out += "int " + c.s; break;
      case ConstKind::Float: out += "float ", number(c.f); break;
      case ConstKind::Imag: out += "imag ", number(c.f); break;
      case ConstKind::Str: out += "str ", quoted(c.s); break;
      case ConstKind::Bytes: out += "bytes ", quoted(c.s); break;
    }
    out += ')';
  }

  void expr_body(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Constant: return constant(static_cast<const Constant&>(e));
      case ExprKind::Name:
        open("Name"), out += static_cast<const Name&>(e).id;
        break;
      case ExprKind::JoinedStr:
        open("JoinedStr"), exprs(static_cast<const JoinedStr&>(e).parts);
        break;
      case ExprKind::FormattedValue: {
        auto& f = static_cast<const FormattedValue&>(e);
        open("FormattedValue"), expr(f.value.get()), sep();
        out += f.conversion ? f.conversion : '-';
        sep(), expr(f.format_spec.get());
        break;
      }
      case ExprKind::BinOp: {
        auto& b = static_cast<const BinOp&>(e);
        open("BinOp"), out += kBinOpNames[static_cast<int>(b.op)];
        sep(), expr(b.left.get()), sep(), expr(b.right.get());
        break;
      }
      case ExprKind::UnaryOp: {
        auto& u = static_cast<const UnaryOp&>(e);
        open("UnaryOp"), out += kUnaryNames[static_cast<int>(u.op)];
        sep(), expr(u.operand.get());
        break;
      }
      case ExprKind::BoolOp: {
        auto& b = static_cast<const BoolOp&>(e);
        open("BoolOp"), out += b.is_and ? "And" : "Or";
        sep(), exprs(b.values);
        break;
      }
      case ExprKind::Compare: {
        auto& c = static_cast<const Compare&>(e);
        open("Compare"), expr(c.left.get()), out += ", [";
        for (size_t i = 0; i < c.ops.size(); ++i) {
          if (i) sep();
          out += kCmpNames[static_cast<int>(c.ops[i])];
        }
        out += "], ", exprs(c.comparators);
        break;
      }
      case ExprKind::Call: {
        auto& c = static_cast<const Call&>(e);
        open("Call"), expr(c.func.get()), sep(), exprs(c.args), sep(), keywords(c.keywords);
        break;
      }
      case ExprKind::Attribute: {
        auto& a = static_cast<const Attribute&>(e);
        open("Attribute"), expr(a.value.get()), sep(), out += a.attr;
        break;
      }
      case ExprKind::Subscript: {
        auto& s = static_cast<const Subscript&>(e);
        open("Subscript"), expr(s.value.get()), sep(), expr(s.index.get());
        break;
      }
      case ExprKind::Slice: {
        auto& s = static_cast<const Slice&>(e);
        open("Slice"), expr(s.lower.get()), sep(), expr(s.upper.get()), sep(), expr(s.step.get());
        break;
      }
      case ExprKind::List: case ExprKind::Tuple: case ExprKind::Set:
        open(e.kind == ExprKind::List ? "List" : e.kind == ExprKind::Tuple ? "Tuple" : "Set");
        exprs(static_cast<const Sequence&>(e).elts);
        break;
      case ExprKind::Dict: {
        auto& d = static_cast<const Dict&>(e);
        open("Dict"), exprs(d.keys), sep(), exprs(d.values);
        break;
      }
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::GeneratorExp: {
        auto& c = static_cast<const Comp&>(e);
        open(e.kind == ExprKind::ListComp ? "ListComp"
             : e.kind == ExprKind::SetComp ? "SetComp" : "GeneratorExp");
        expr(c.elt.get()), sep(), generators(c.generators);
        break;
      }
      case ExprKind::DictComp: {
        auto& c = static_cast<const Comp&>(e);
        open("DictComp"), expr(c.key.get()), sep(), expr(c.value.get()), sep();
        generators(c.generators);
        break;
      }
      case ExprKind::Lambda: {
        auto& l = static_cast<const Lambda&>(e);
        open("Lambda"), arguments(l.args), sep(), expr(l.body.get());
        break;
      }
      case ExprKind::IfExp: {
        auto& i = static_cast<const IfExp&>(e);
        open("IfExp"), expr(i.test.get()), sep(), expr(i.body.get()), sep(), expr(i.orelse.get());
        break;
      }
      case ExprKind::NamedExpr: {
        auto& n = static_cast<const NamedExpr&>(e);
        open("NamedExpr"), expr(n.target.get()), sep(), expr(n.value.get());
        break;
      }
      case ExprKind::Await: case ExprKind::Yield: case ExprKind::YieldFrom:
      case ExprKind::Starred:
        open(e.kind == ExprKind::Await ? "Await" : e.kind == ExprKind::Yield ? "Yield"
             : e.kind == ExprKind::YieldFrom ? "YieldFrom" : "Starred");
        expr(static_cast<const UnaryExpr&>(e).value.get());
        break;
      default:
        open("Temp");
        break;
    }
    out += ')';
  }

  void stmt_body(const Stmt& s) {
    switch (s.kind) {
      case StmtKind::Expr:
        open("Expr"), expr(static_cast<const ExprStmt&>(s).value.get());
        break;
      case StmtKind::Assign: {
        auto& a = static_cast<const Assign&>(s);
        open("Assign"), exprs(a.targets), sep(), expr(a.value.get());
        break;
      }
      case StmtKind::AugAssign: {
        auto& a = static_cast<const AugAssign&>(s);
        open("AugAssign"), expr(a.target.get()), sep();
        out += kBinOpNames[static_cast<int>(a.op)];
        sep(), expr(a.value.get());
        break;
      }
      case StmtKind::AnnAssign: {
        auto& a = static_cast<const AnnAssign&>(s);
        open("AnnAssign"), expr(a.target.get()), sep(), expr(a.annotation.get()), sep();
        expr(a.value.get());
        break;
      }
      case StmtKind::If: case StmtKind::While: {
        auto& i = s.kind == StmtKind::If ? static_cast<const If&>(s).test
                                          : static_cast<const While&>(s).test;
        const Body& b = s.kind == StmtKind::If ? static_cast<const If&>(s).body
                                                : static_cast<const While&>(s).body;
        const Body& o = s.kind == StmtKind::If ? static_cast<const If&>(s).orelse
                                                : static_cast<const While&>(s).orelse;
        open(s.kind == StmtKind::If ? "If" : "While"), expr(i.get()), sep(), body(b), sep();
        body(o);
        break;
      }
      case StmtKind::For: {
        auto& f = static_cast<const For&>(s);
        open(f.is_async ? "AsyncFor" : "For"), expr(f.target.get()), sep(), expr(f.iter.get());
        sep(), body(f.body), sep(), body(f.orelse);
        break;
      }
      case StmtKind::Break: out += "Break"; return;
      case StmtKind::Continue: out += "Continue"; return;
      case StmtKind::Pass: out += "Pass"; return;
      case StmtKind::Return:
        open("Return"), expr(static_cast<const Return&>(s).value.get());
        break;
      case StmtKind::FunctionDef: {
        auto& f = static_cast<const FunctionDef&>(s);
        open(f.is_async ? "AsyncFunctionDef" : "FunctionDef"), out += f.name;
        sep(), arguments(f.args), sep(), body(f.body), sep(), exprs(f.decorators), sep();
        expr(f.returns.get());
        break;
      }
      case StmtKind::ClassDef: {
        auto& c = static_cast<const ClassDef&>(s);
        open("ClassDef"), out += c.name;
        sep(), exprs(c.bases), sep(), keywords(c.keywords), sep(), body(c.body), sep();
        exprs(c.decorators);
        break;
      }
      case StmtKind::Global: case StmtKind::Nonlocal: {
        auto& n = static_cast<const NamesStmt&>(s);
        open(s.kind == StmtKind::Global ? "Global" : "Nonlocal"), out += '[';
        for (size_t i = 0; i < n.names.size(); ++i) out += (i ? ", " : "") + n.names[i];
        out += ']';
        break;
      }
      case StmtKind::Delete:
        open("Delete"), exprs(static_cast<const Delete&>(s).targets);
        break;
      case StmtKind::Assert: {
        auto& a = static_cast<const Assert&>(s);
        open("Assert"), expr(a.test.get()), sep(), expr(a.msg.get());
        break;
      }
      case StmtKind::Raise: {
        auto& r = static_cast<const Raise&>(s);
        open("Raise"), expr(r.exc.get()), sep(), expr(r.cause.get());
        break;
      }
      case StmtKind::Try: {
        auto& t = static_cast<const Try&>(s);
        open("Try"), body(t.body), out += ", [";
        for (size_t i = 0; i < t.handlers.size(); ++i) {
          if (i) sep();
          open("ExceptHandler"), expr(t.handlers[i].type.get()), sep();
          text(t.handlers[i].name), sep(), body(t.handlers[i].body), out += ')';
        }
        out += "], ", body(t.orelse), sep(), body(t.finalbody);
        break;
      }
      case StmtKind::Match: {
        auto& m = static_cast<const Match&>(s);
        open("Match"), expr(m.subject.get()), out += ", [";
        for (size_t i = 0; i < m.cases.size(); ++i) {
          if (i) sep();
          open("match_case"), pattern(*m.cases[i].pattern), sep(), expr(m.cases[i].guard.get());
          sep(), body(m.cases[i].body), out += ')';
        }
        out += ']';
        break;
      }
      case StmtKind::With: {
        auto& w = static_cast<const With&>(s);
        open(w.is_async ? "AsyncWith" : "With"), out += '[';
        for (size_t i = 0; i < w.items.size(); ++i) {
          if (i) sep();
          open("withitem"), expr(w.items[i].context.get()), sep(), expr(w.items[i].vars.get());
          out += ')';
        }
        out += "], ", body(w.body);
        break;
      }
      case StmtKind::Import: case StmtKind::ImportFrom: {
        bool from = s.kind == StmtKind::ImportFrom;
        const auto& names = from ? static_cast<const ImportFrom&>(s).names
                                 : static_cast<const Import&>(s).names;
        open(from ? "ImportFrom" : "Import");
        if (from) text(static_cast<const ImportFrom&>(s).module), sep();
        out += '[';
        for (size_t i = 0; i < names.size(); ++i) {
          if (i) sep();
          open("alias"), out += names[i].name, sep(), text(names[i].asname), out += ')';
        }
        out += ']';
        if (from) out += ", " + std::to_string(static_cast<const ImportFrom&>(s).level);
        break;
      }
    }
    out += ')';
  }

  bool positions_;
};

}  // namespace

std::string dump(const Expr& e, bool positions) {
  Dumper d(positions);
  d.expr(&e);
  return d.out;
}

std::string dump(const Stmt& s, bool positions) {
  Dumper d(positions);
  d.stmt(s);
  return d.out;
}

std::string dump(const Module& m, bool positions) {
  Dumper d(positions);
  d.out += "Module(";
  d.body(m.body);
  d.out += ')';
  return d.out;
}

}  // namespace aio
