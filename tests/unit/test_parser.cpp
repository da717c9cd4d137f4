// The parser: tree shapes (the expected dumps are CPython's ast for the same source, in the
// format of interp/ast_dump.h), positions, syntax errors with CPython's messages and places,
// and REPL incompleteness.
#include <catch2/catch.hpp>

#include "interp/ast_dump.h"
#include "interp/parser.h"

using namespace aio;

namespace {

// The dump of a module, or "Type: message @line:col-end_col" for a syntax error.
std::string parse(const std::string& src, bool positions = false) {
  auto r = parse_module(src, "t.py");
  if (!r) {
    const SyntaxErrorInfo& e = r.error();
    return e.type + ": " + e.msg + " @" + std::to_string(e.line) + ":" + std::to_string(e.col) +
           "-" + std::to_string(e.end_col);
  }
  return dump(**r, positions);
}

// "incomplete", "ok" or the error message, for one interactive input.
std::string interactive(const std::string& src) {
  bool incomplete = false;
  auto r = parse_interactive(src, "<stdin>", incomplete);
  if (incomplete) return "incomplete";
  return r ? "ok" : r.error().msg;
}

}  // namespace

TEST_CASE("operator precedence", "[test_parser]") {
  CHECK(parse("x = 1 + 2 * 3") ==
        "Module([Assign([Name(x)], BinOp(Add, Constant(int 1), BinOp(Mult, Constant(int 2), Constant(int 3))))])");
  CHECK(parse("-2**2") ==
        "Module([Expr(UnaryOp(USub, BinOp(Pow, Constant(int 2), Constant(int 2))))])");
  CHECK(parse("not a and b or c") ==
        "Module([Expr(BoolOp(Or, [BoolOp(And, [UnaryOp(Not, Name(a)), Name(b)]), Name(c)]))])");
  CHECK(parse("a | b ^ c & d << e + f * g") ==
        "Module([Expr(BinOp(BitOr, Name(a), BinOp(BitXor, Name(b), BinOp(BitAnd, Name(c), BinOp(LShift, Name(d), BinOp(Add, Name(e), BinOp(Mult, Name(f), Name(g))))))))])");
  CHECK(parse("a @ b // c % d / e - f") ==
        "Module([Expr(BinOp(Sub, BinOp(Div, BinOp(Mod, BinOp(FloorDiv, BinOp(MatMult, Name(a), Name(b)), Name(c)), Name(d)), Name(e)), Name(f)))])");
  CHECK(parse("~a >> b") ==
        "Module([Expr(BinOp(RShift, UnaryOp(Invert, Name(a)), Name(b)))])");
  CHECK(parse("await x ** 2") ==
        "Module([Expr(BinOp(Pow, Await(Name(x)), Constant(int 2)))])");
  CHECK(parse("a if b else c if d else e") ==
        "Module([Expr(IfExp(Name(b), Name(a), IfExp(Name(d), Name(c), Name(e))))])");
  CHECK(parse("lambda x: a if x else b") ==
        "Module([Expr(Lambda(arguments([], [arg(x, -)], -, [], [], -, []), IfExp(Name(x), Name(a), Name(b))))])");
  CHECK(parse("2**3**4") ==
        "Module([Expr(BinOp(Pow, Constant(int 2), BinOp(Pow, Constant(int 3), Constant(int 4))))])");
  CHECK(parse("-x**-y") ==
        "Module([Expr(UnaryOp(USub, BinOp(Pow, Name(x), UnaryOp(USub, Name(y)))))])");
  CHECK(parse("(n := 10) > 5") ==
        "Module([Expr(Compare(NamedExpr(Name(n), Constant(int 10)), [Gt], [Constant(int 5)]))])");
}

TEST_CASE("assignment forms", "[test_parser]") {
  CHECK(parse("a = b = c") ==
        "Module([Assign([Name(a), Name(b)], Name(c))])");
  CHECK(parse("a, *b = c") ==
        "Module([Assign([Tuple([Name(a), Starred(Name(b))])], Name(c))])");
  CHECK(parse("x.y[1:2, ::3] = z") ==
        "Module([Assign([Subscript(Attribute(Name(x), y), Tuple([Slice(Constant(int 1), Constant(int 2), -), Slice(-, -, Constant(int 3))]))], Name(z))])");
  CHECK(parse("x += 1; y //= 2; z **= 3; w @= 4") ==
        "Module([AugAssign(Name(x), Add, Constant(int 1)), AugAssign(Name(y), FloorDiv, Constant(int 2)), AugAssign(Name(z), Pow, Constant(int 3)), AugAssign(Name(w), MatMult, Constant(int 4))])");
  CHECK(parse("x: int = 5") ==
        "Module([AnnAssign(Name(x), Name(int), Constant(int 5))])");
  CHECK(parse("y: list[int]") ==
        "Module([AnnAssign(Name(y), Subscript(Name(list), Name(int)), -)])");
  CHECK(parse("[a, b], c = d") ==
        "Module([Assign([Tuple([List([Name(a), Name(b)]), Name(c)])], Name(d))])");
  CHECK(parse("for x, in y: pass") ==
        "Module([For(Tuple([Name(x)]), Name(y), [Pass], [])])");
  CHECK(parse("x = yield") ==
        "Module([Assign([Name(x)], Yield(-))])");
  CHECK(parse("t = 1, 2, *c") ==
        "Module([Assign([Name(t)], Tuple([Constant(int 1), Constant(int 2), Starred(Name(c))]))])");
}

TEST_CASE("chained comparisons", "[test_parser]") {
  CHECK(parse("a < b <= c not in d is not e") ==
        "Module([Expr(Compare(Name(a), [Lt, LtE, NotIn, IsNot], [Name(b), Name(c), Name(d), Name(e)]))])");
  CHECK(parse("a is b in c != d == e >= f > g") ==
        "Module([Expr(Compare(Name(a), [Is, In, NotEq, Eq, GtE, Gt], [Name(b), Name(c), Name(d), Name(e), Name(f), Name(g)]))])");
}

TEST_CASE("calls and trailers", "[test_parser]") {
  CHECK(parse("f(*a, **k)") ==
        "Module([Expr(Call(Name(f), [Starred(Name(a))], [keyword(-, Name(k))]))])");
  CHECK(parse("print(*a, sep='')") ==
        "Module([Expr(Call(Name(print), [Starred(Name(a))], [keyword(sep, Constant(str \"\"))]))])");
  CHECK(parse("f(a, *b, c=1, **d)") ==
        "Module([Expr(Call(Name(f), [Name(a), Starred(Name(b))], [keyword(c, Constant(int 1)), keyword(-, Name(d))]))])");
  CHECK(parse("f(x for x in y)") ==
        "Module([Expr(Call(Name(f), [GeneratorExp(Name(x), [comprehension(Name(x), Name(y), [], 0)])], []))])");
  CHECK(parse("f(a)(b).c[d]") ==
        "Module([Expr(Subscript(Attribute(Call(Call(Name(f), [Name(a)], []), [Name(b)], []), c), Name(d)))])");
  CHECK(parse("class A(**k): pass") ==
        "Module([ClassDef(A, [], [keyword(-, Name(k))], [Pass], [])])");
}

TEST_CASE("displays and slices", "[test_parser]") {
  CHECK(parse("[1, *a]") ==
        "Module([Expr(List([Constant(int 1), Starred(Name(a))]))])");
  CHECK(parse("(1,)") ==
        "Module([Expr(Tuple([Constant(int 1)]))])");
  CHECK(parse("()") ==
        "Module([Expr(Tuple([]))])");
  CHECK(parse("(1)") ==
        "Module([Expr(Constant(int 1))])");
  CHECK(parse("{**a, 'b': 1}") ==
        "Module([Expr(Dict([-, Constant(str \"b\")], [Name(a), Constant(int 1)]))])");
  CHECK(parse("{1, 2}") ==
        "Module([Expr(Set([Constant(int 1), Constant(int 2)]))])");
  CHECK(parse("{}") ==
        "Module([Expr(Dict([], []))])");
  CHECK(parse("{*a, 1}") ==
        "Module([Expr(Set([Starred(Name(a)), Constant(int 1)]))])");
  CHECK(parse("a[1, 2]") ==
        "Module([Expr(Subscript(Name(a), Tuple([Constant(int 1), Constant(int 2)])))])");
  CHECK(parse("a[::2]") ==
        "Module([Expr(Subscript(Name(a), Slice(-, -, Constant(int 2))))])");
  CHECK(parse("a[1:2:3]") ==
        "Module([Expr(Subscript(Name(a), Slice(Constant(int 1), Constant(int 2), Constant(int 3))))])");
  CHECK(parse("a[:]") ==
        "Module([Expr(Subscript(Name(a), Slice(-, -, -)))])");
  CHECK(parse("a[*b]") ==
        "Module([Expr(Subscript(Name(a), Tuple([Starred(Name(b))])))])");
  CHECK(parse("x = 1,") ==
        "Module([Assign([Name(x)], Tuple([Constant(int 1)]))])");
  CHECK(parse("...") ==
        "Module([Expr(Constant(Ellipsis))])");
  CHECK(parse("x = [\n  1,\n  2,\n]") ==
        "Module([Assign([Name(x)], List([Constant(int 1), Constant(int 2)]))])");
}

TEST_CASE("comprehensions", "[test_parser]") {
  CHECK(parse("[x for x in y if x if z for w in x]") ==
        "Module([Expr(ListComp(Name(x), [comprehension(Name(x), Name(y), [Name(x), Name(z)], 0), comprehension(Name(w), Name(x), [], 0)]))])");
  CHECK(parse("{k: v for k, v in d}") ==
        "Module([Expr(DictComp(Name(k), Name(v), [comprehension(Tuple([Name(k), Name(v)]), Name(d), [], 0)]))])");
  CHECK(parse("{x async for x in y}") ==
        "Module([Expr(SetComp(Name(x), [comprehension(Name(x), Name(y), [], 1)]))])");
  CHECK(parse("(x for x in y)") ==
        "Module([Expr(GeneratorExp(Name(x), [comprehension(Name(x), Name(y), [], 0)]))])");
  CHECK(parse("[await a for a in b]") ==
        "Module([Expr(ListComp(Await(Name(a)), [comprehension(Name(a), Name(b), [], 0)]))])");
}

TEST_CASE("number literal values", "[test_parser]") {
  CHECK(parse("0x1F, 0o17, 0b101, 1_000, 1.5, .5, 1., 1e10, 1_000.5, 1j, 2.5J, 1E-3") ==
        "Module([Expr(Tuple([Constant(int 31), Constant(int 15), Constant(int 5), Constant(int 1000), Constant(float 1.5), Constant(float 0.5), Constant(float 1), Constant(float 10000000000), Constant(float 1000.5), Constant(imag 1), Constant(imag 2.5), Constant(float 0.001)]))])");
  CHECK(parse("99999999999999999999, 0xFFFFFFFFFFFFFFFFFFFF, 9223372036854775807, 9223372036854775808") ==
        "Module([Expr(Tuple([Constant(int 99999999999999999999), Constant(int 1208925819614629174706175), Constant(int 9223372036854775807), Constant(int 9223372036854775808)]))])");
}

TEST_CASE("string literal values", "[test_parser]") {
  CHECK(parse("'a' \"b\" r'\\n' '\\x41\\n'") ==
        "Module([Expr(Constant(str \"ab\\\\nA\\x0a\"))])");
  CHECK(parse("b'\\x00' rb'\\d'") ==
        "Module([Expr(Constant(bytes \"\\x00\\\\d\"))])");
  CHECK(parse("'''multi\nline'''") ==
        "Module([Expr(Constant(str \"multi\\x0aline\"))])");
  CHECK(parse("'\\u00e9\\U0001F600\\101\\q'") ==
        "Module([Expr(Constant(str \"é😀A\\\\q\"))])");
  CHECK(parse("u'x' R'\\y'") ==
        "Module([Expr(Constant(str \"x\\\\y\"))])");
  CHECK(parse("BR'\\z'") ==
        "Module([Expr(Constant(bytes \"\\\\z\"))])");
}

TEST_CASE("f-strings", "[test_parser]") {
  CHECK(parse("f'a{x}b{y!r}c{z:>10}'") ==
        "Module([Expr(JoinedStr([Constant(str \"a\"), FormattedValue(Name(x), -, -), Constant(str \"b\"), FormattedValue(Name(y), r, -), Constant(str \"c\"), FormattedValue(Name(z), -, JoinedStr([Constant(str \">10\")]))]))])");
  CHECK(parse("f'{x=}'") ==
        "Module([Expr(JoinedStr([Constant(str \"x=\"), FormattedValue(Name(x), r, -)]))])");
  CHECK(parse("f'{y = }'") ==
        "Module([Expr(JoinedStr([Constant(str \"y = \"), FormattedValue(Name(y), r, -)]))])");
  CHECK(parse("f'{z=!s}'") ==
        "Module([Expr(JoinedStr([Constant(str \"z=\"), FormattedValue(Name(z), s, -)]))])");
  CHECK(parse("f'{w=:>5}'") ==
        "Module([Expr(JoinedStr([Constant(str \"w=\"), FormattedValue(Name(w), -, JoinedStr([Constant(str \">5\")]))]))])");
  CHECK(parse("f'{{a}} {\"n\"} {x[\"k\"]}'") ==
        "Module([Expr(JoinedStr([Constant(str \"{a} \"), FormattedValue(Constant(str \"n\"), -, -), Constant(str \" \"), FormattedValue(Subscript(Name(x), Constant(str \"k\")), -, -)]))])");
  CHECK(parse("f'{a:{b}.{c}}'") ==
        "Module([Expr(JoinedStr([FormattedValue(Name(a), -, JoinedStr([FormattedValue(Name(b), -, -), Constant(str \".\"), FormattedValue(Name(c), -, -)]))]))])");
  CHECK(parse("f'{a}' 'plain' f'{b}'") ==
        "Module([Expr(JoinedStr([FormattedValue(Name(a), -, -), Constant(str \"plain\"), FormattedValue(Name(b), -, -)]))])");
  CHECK(parse("f''") ==
        "Module([Expr(JoinedStr([]))])");
  CHECK(parse("f'{a!r:^{n}}'") ==
        "Module([Expr(JoinedStr([FormattedValue(Name(a), r, JoinedStr([Constant(str \"^\"), FormattedValue(Name(n), -, -)]))]))])");
  CHECK(parse("rf'\\d{x}' fr'{y}\\n'") ==
        "Module([Expr(JoinedStr([Constant(str \"\\\\d\"), FormattedValue(Name(x), -, -), FormattedValue(Name(y), -, -), Constant(str \"\\\\n\")]))])");
  CHECK(parse("f'{a, b}'") ==
        "Module([Expr(JoinedStr([FormattedValue(Tuple([Name(a), Name(b)]), -, -)]))])");
  CHECK(parse("f'{x:%H:%M}'") ==
        "Module([Expr(JoinedStr([FormattedValue(Name(x), -, JoinedStr([Constant(str \"%H:%M\")]))]))])");
  CHECK(parse("f'{a if b else c}'") ==
        "Module([Expr(JoinedStr([FormattedValue(IfExp(Name(b), Name(a), Name(c)), -, -)]))])");
  CHECK(parse("f'{a != b}' f'{a == b}'") ==
        "Module([Expr(JoinedStr([FormattedValue(Compare(Name(a), [NotEq], [Name(b)]), -, -), FormattedValue(Compare(Name(a), [Eq], [Name(b)]), -, -)]))])");
  CHECK(parse("f'{x}\\n{y}'") ==
        "Module([Expr(JoinedStr([FormattedValue(Name(x), -, -), Constant(str \"\\x0a\"), FormattedValue(Name(y), -, -)]))])");
}

TEST_CASE("compound statements", "[test_parser]") {
  CHECK(parse("if a:\n    pass\nelif b:\n    x\nelse:\n    z") ==
        "Module([If(Name(a), [Pass], [If(Name(b), [Expr(Name(x))], [Expr(Name(z))])])])");
  CHECK(parse("while x:\n    break\nelse:\n    continue") ==
        "Module([While(Name(x), [Break], [Continue])])");
  CHECK(parse("for i, j in k:\n    pass\nelse:\n    pass") ==
        "Module([For(Tuple([Name(i), Name(j)]), Name(k), [Pass], [Pass])])");
  CHECK(parse("try:\n    pass\nexcept E:\n    pass\nexcept (A, B) as e:\n    pass\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass") ==
        "Module([Try([Pass], [ExceptHandler(Name(E), -, [Pass]), ExceptHandler(Tuple([Name(A), Name(B)]), e, [Pass]), ExceptHandler(-, -, [Pass])], [Pass], [Pass])])");
  CHECK(parse("with a as b, c as (d, e):\n    pass") ==
        "Module([With([withitem(Name(a), Name(b)), withitem(Name(c), Tuple([Name(d), Name(e)]))], [Pass])])");
  CHECK(parse("with (a as b, c as d,):\n    pass") ==
        "Module([With([withitem(Name(a), Name(b)), withitem(Name(c), Name(d))], [Pass])])");
  CHECK(parse("with (a, b) as c:\n    pass") ==
        "Module([With([withitem(Tuple([Name(a), Name(b)]), Name(c))], [Pass])])");
  CHECK(parse("if x: a; b") ==
        "Module([If(Name(x), [Expr(Name(a)), Expr(Name(b))], [])])");
}

TEST_CASE("functions, lambdas and classes", "[test_parser]") {
  CHECK(parse("def f(a, b=1, *args, c, d=2, **kw) -> int:\n    return a") ==
        "Module([FunctionDef(f, arguments([], [arg(a, -), arg(b, -)], arg(args, -), [arg(c, -), arg(d, -)], [-, Constant(int 2)], arg(kw, -), [Constant(int 1)]), [Return(Name(a))], [], Name(int))])");
  CHECK(parse("def f(a, /, b, *, c):\n    pass") ==
        "Module([FunctionDef(f, arguments([arg(a, -)], [arg(b, -)], -, [arg(c, -)], [-], -, []), [Pass], [], -)])");
  CHECK(parse("def f(a: int = 1, *args: str, b: 'x' = 2, **kw: dict): pass") ==
        "Module([FunctionDef(f, arguments([], [arg(a, Name(int))], arg(args, Name(str)), [arg(b, Constant(str \"x\"))], [Constant(int 2)], arg(kw, Name(dict)), [Constant(int 1)]), [Pass], [], -)])");
  CHECK(parse("lambda x, y=1, *a, z, **k: x") ==
        "Module([Expr(Lambda(arguments([], [arg(x, -), arg(y, -)], arg(a, -), [arg(z, -)], [-], arg(k, -), [Constant(int 1)]), Name(x)))])");
  CHECK(parse("lambda *, a: a") ==
        "Module([Expr(Lambda(arguments([], [], -, [arg(a, -)], [-], -, []), Name(a)))])");
  CHECK(parse("lambda: 0") ==
        "Module([Expr(Lambda(arguments([], [], -, [], [], -, []), Constant(int 0)))])");
  CHECK(parse("@dec\n@dec2(1)\n@a.b.c\nclass C(B, metaclass=M):\n    x = 1\n    def m(self): pass") ==
        "Module([ClassDef(C, [Name(B)], [keyword(metaclass, Name(M))], [Assign([Name(x)], Constant(int 1)), FunctionDef(m, arguments([], [arg(self, -)], -, [], [], -, []), [Pass], [], -)], [Name(dec), Call(Name(dec2), [Constant(int 1)], []), Attribute(Attribute(Name(a), b), c)])])");
  CHECK(parse("async def f():\n    async for x in y:\n        await z\n    async with a as b:\n        pass\n    return await g()") ==
        "Module([AsyncFunctionDef(f, arguments([], [], -, [], [], -, []), [AsyncFor(Name(x), Name(y), [Expr(Await(Name(z)))], []), AsyncWith([withitem(Name(a), Name(b))], [Pass]), Return(Await(Call(Name(g), [], [])))], [], -)])");
  CHECK(parse("def g():\n    y = yield 1\n    z = yield from w\n    yield a, b") ==
        "Module([FunctionDef(g, arguments([], [], -, [], [], -, []), [Assign([Name(y)], Yield(Constant(int 1))), Assign([Name(z)], YieldFrom(Name(w))), Expr(Yield(Tuple([Name(a), Name(b)])))], [], -)])");
}

TEST_CASE("simple statements", "[test_parser]") {
  CHECK(parse("global a, b\nnonlocal c") ==
        "Module([Global([a, b]), Nonlocal([c])])");
  CHECK(parse("del a, b[0], c.d") ==
        "Module([Delete([Name(a), Subscript(Name(b), Constant(int 0)), Attribute(Name(c), d)])])");
  CHECK(parse("assert x, 'msg'") ==
        "Module([Assert(Name(x), Constant(str \"msg\"))])");
  CHECK(parse("raise\nraise X\nraise X from Y") ==
        "Module([Raise(-, -), Raise(Name(X), -), Raise(Name(X), Name(Y))])");
  CHECK(parse("import a.b.c as d, e\nfrom x.y import (a as b, c)\nfrom . import x\nfrom ...m import z\nfrom x import *") ==
        "Module([Import([alias(a.b.c, d), alias(e, -)]), ImportFrom(x.y, [alias(a, b), alias(c, -)], 0), ImportFrom(-, [alias(x, -)], 1), ImportFrom(m, [alias(z, -)], 3), ImportFrom(x, [alias(*, -)], 0)])");
  CHECK(parse("return\nreturn 1, 2") ==
        "Module([Return(-), Return(Tuple([Constant(int 1), Constant(int 2)]))])");
  CHECK(parse("pass; break; continue") ==
        "Module([Pass, Break, Continue])");
}

TEST_CASE("node positions", "[test_parser]") {
  CHECK(parse("x = f(a, b=1)", true) ==
        "Module([Assign([Name(x)@1:0-1], Call(Name(f)@1:4-5, [Name(a)@1:6-7], [keyword(b, Constant(int 1)@1:11-12)])@1:4-13)@1:0-13])");
  CHECK(parse("if x:\n    y = a.b[c]\nelse:\n    pass", true) ==
        "Module([If(Name(x)@1:3-4, [Assign([Name(y)@2:4-5], Subscript(Attribute(Name(a)@2:8-9, b)@2:8-11, Name(c)@2:12-13)@2:8-14)@2:4-14], [Pass@4:4-8])@1:0-8])");
  CHECK(parse("def f(x):\n    return -x ** 2", true) ==
        "Module([FunctionDef(f, arguments([], [arg(x, -)], -, [], [], -, []), [Return(UnaryOp(USub, BinOp(Pow, Name(x)@2:12-13, Constant(int 2)@2:17-18)@2:12-18)@2:11-18)@2:4-18], [], -)@1:0-18])");
  CHECK(parse("for i in range(10): print(i)", true) ==
        "Module([For(Name(i)@1:4-5, Call(Name(range)@1:9-14, [Constant(int 10)@1:15-17], [])@1:9-18, [Expr(Call(Name(print)@1:20-25, [Name(i)@1:26-27], [])@1:20-28)@1:20-28], [])@1:0-28])");
  CHECK(parse("a, b = c if d else e", true) ==
        "Module([Assign([Tuple([Name(a)@1:0-1, Name(b)@1:3-4])@1:0-4], IfExp(Name(d)@1:12-13, Name(c)@1:7-8, Name(e)@1:19-20)@1:7-20)@1:0-20])");
}

TEST_CASE("syntax errors as CPython reports them", "[test_parser]") {
  CHECK(parse("f() = 1") ==
        "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='? @1:1-4");
  CHECK(parse("1 = x") ==
        "SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='? @1:1-2");
  CHECK(parse("(1, 2) = x") ==
        "SyntaxError: cannot assign to literal @1:2-3");
  CHECK(parse("for 1 in x: pass") ==
        "SyntaxError: cannot assign to literal @1:5-6");
  CHECK(parse("x + 1 = 2") ==
        "SyntaxError: cannot assign to expression here. Maybe you meant '==' instead of '='? @1:1-6");
  CHECK(parse("True = 1") ==
        "SyntaxError: cannot assign to True @1:1-5");
  CHECK(parse("a = b = f() = 3") ==
        "SyntaxError: cannot assign to function call @1:9-12");
  CHECK(parse("x = yield = 1") ==
        "SyntaxError: assignment to yield expression not possible @1:5-10");
  CHECK(parse("(a, b) += 1") ==
        "SyntaxError: 'tuple' is an illegal expression for augmented assignment @1:1-7");
  CHECK(parse("[a, b]: int") ==
        "SyntaxError: only single target (not list) can be annotated @1:1-7");
  CHECK(parse("del f()") ==
        "SyntaxError: cannot delete function call @1:5-8");
  CHECK(parse("print(a b)") ==
        "SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:7-10");
  CHECK(parse("x = [a b c]") ==
        "SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:6-9");
  CHECK(parse("f(a=1 b=2)") ==
        "SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:5-8");
  CHECK(parse("print(a b") ==
        "SyntaxError: '(' was never closed @1:6-0");
  CHECK(parse("x = (1,\n") ==
        "SyntaxError: '(' was never closed @1:5-0");
  CHECK(parse("if True:\n  x = (\n") ==
        "SyntaxError: '(' was never closed @2:7-0");
  CHECK(parse("f(a b)\ny = (") ==
        "SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:3-6");
  CHECK(parse("a = [1, 2)") ==
        "SyntaxError: closing parenthesis ')' does not match opening parenthesis '[' @1:10-10");
  CHECK(parse("x = 1)") ==
        "SyntaxError: unmatched ')' @1:6-6");
  CHECK(parse("if x\n  pass") ==
        "SyntaxError: expected ':' @1:5-5");
  CHECK(parse("class A\n  pass") ==
        "SyntaxError: expected ':' @1:8-8");
  CHECK(parse("def f()\n  pass") ==
        "SyntaxError: expected ':' @1:8-8");
  CHECK(parse("if x = 1:\n  pass") ==
        "SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='? @1:4-9");
  CHECK(parse("x = 5 if 3") ==
        "SyntaxError: expected 'else' after 'if' expression @1:5-11");
  CHECK(parse("x = a b") ==
        "SyntaxError: invalid syntax @1:7-8");
  CHECK(parse("x = 1 +") ==
        "SyntaxError: invalid syntax @1:8-8");
  CHECK(parse("else: pass") ==
        "SyntaxError: invalid syntax @1:1-5");
  CHECK(parse("try:\n  pass\nx = 1") ==
        "SyntaxError: expected 'except' or 'finally' block @3:1-2");
  CHECK(parse("@dec\nx = 1") ==
        "SyntaxError: invalid syntax @2:1-2");
  CHECK(parse("s = 'abc") ==
        "SyntaxError: unterminated string literal (detected at line 1) @1:5-5");
  CHECK(parse("s = '''abc\n\n") ==
        "SyntaxError: unterminated triple-quoted string literal (detected at line 2) @1:5-5");
  CHECK(parse("f(a b)\ny = \"abc") ==
        "SyntaxError: unterminated string literal (detected at line 2) @2:5-5");
  CHECK(parse("x = a b\ny = 1abc") ==
        "SyntaxError: invalid decimal literal @2:5-5");
  CHECK(parse("x = 1abc") ==
        "SyntaxError: invalid decimal literal @1:5-5");
  CHECK(parse("x = 0777") ==
        "SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers @1:5-6");
  CHECK(parse("def f():\nreturn 1") ==
        "IndentationError: expected an indented block after function definition on line 1 @2:1-7");
  CHECK(parse("def f():\n") ==
        "IndentationError: expected an indented block after function definition on line 1 @1:9--1");
  CHECK(parse("class A:\nx") ==
        "IndentationError: expected an indented block after class definition on line 1 @2:1-2");
  CHECK(parse("for x in y:\nx") ==
        "IndentationError: expected an indented block after 'for' statement on line 1 @2:1-2");
  CHECK(parse("try:\n  x\nexcept:\nx") ==
        "IndentationError: expected an indented block after 'except' statement on line 3 @4:1-2");
  CHECK(parse("if 1:\n  x\nelif 2:\nx") ==
        "IndentationError: expected an indented block after 'elif' statement on line 3 @4:1-2");
  CHECK(parse("with a:\nx") ==
        "IndentationError: expected an indented block after 'with' statement on line 1 @2:1-2");
  CHECK(parse("  x = 1") ==
        "IndentationError: unexpected indent @1:2--1");
  CHECK(parse("x = 1\n    y = 2") ==
        "IndentationError: unexpected indent @2:4--1");
  CHECK(parse("if x:\n    a\n  b") ==
        "IndentationError: unindent does not match any outer indentation level @3:4--1");
  CHECK(parse("if x:\n\tif y:\n        pass") ==
        "TabError: inconsistent use of tabs and spaces in indentation @3:1-0");
  CHECK(parse("f(**a, *b)") ==
        "SyntaxError: iterable argument unpacking follows keyword argument unpacking @1:8-10");  // CPython: @1:8-9
  CHECK(parse("f(x for x in y, 1)") ==
        "SyntaxError: Generator expression must be parenthesized @1:3-15");
  CHECK(parse("def f(a=1, b): pass") ==
        "SyntaxError: non-default argument follows default argument @1:12-13");
  CHECK(parse("def f(*): pass") ==
        "SyntaxError: named arguments must follow bare * @1:7-8");
  CHECK(parse("def f(**k, a): pass") ==
        "SyntaxError: arguments cannot follow var-keyword argument @1:12-13");
  CHECK(parse("x = \"a\" b\"c\"") ==
        "SyntaxError: cannot mix bytes and nonbytes literals @1:5-8");  // CPython: @1:13-13
  CHECK(parse("f\"{}\"") ==
        "SyntaxError: f-string: empty expression not allowed @1:4-4");  // CPython: @1:6-6
  CHECK(parse("f\"{x!z}\"") ==
        "SyntaxError: f-string: invalid conversion character: expected 's', 'r', or 'a' @1:6-6");  // CPython: @1:9-9
  CHECK(parse("f\"}\"") ==
        "SyntaxError: f-string: single '}' is not allowed @1:3-3");  // CPython: @1:5-5
  CHECK(parse("f\"{x\"") ==
        "SyntaxError: f-string: expecting '}' @1:5-5");  // CPython: @1:6-6
  CHECK(parse("from x import a,") ==
        "SyntaxError: trailing comma not allowed without surrounding parentheses @1:17-17");
  CHECK(parse("x = 1 \\ 2") ==
        "SyntaxError: unexpected character after line continuation character @1:8-0");
}

TEST_CASE("interactive input that needs more lines", "[test_parser]") {
  CHECK(interactive("x = 1\n") == "ok");
  CHECK(interactive("print(1)") == "ok");
  CHECK(interactive("if x:\n") == "incomplete");
  CHECK(interactive("if x:\n    y\n") == "incomplete");
  CHECK(interactive("if x:\n    y\n\n") == "ok");
  CHECK(interactive("def f(): return 1\n") == "incomplete");
  CHECK(interactive("def f(): return 1\n\n") == "ok");
  CHECK(interactive("if x:\n  y\nelse:\n") == "incomplete");
  CHECK(interactive("x = (1,\n") == "incomplete");
  CHECK(interactive("x = [\n1\n]\n") == "ok");
  CHECK(interactive("s = '''abc\n") == "incomplete");
  CHECK(interactive("x = 1 + \\\n") == "incomplete");
  CHECK(interactive("@dec\n") == "incomplete");
  CHECK(interactive("x = 1 +\n") == "invalid syntax");
  CHECK(interactive("x = )\n") == "unmatched ')'");
}

TEST_CASE("source lines are kept for tracebacks", "[test_parser]") {
  auto m = parse_module("\xEF\xBB\xBFx = 1\r\nif x:\r\n  y = 2\r\n", "t.py");
  REQUIRE(m);
  CHECK((*m)->filename == "t.py");
  CHECK((*m)->lines == std::vector<std::string>{"x = 1", "if x:", "  y = 2"});
  CHECK((*m)->body.size() == 2);
}

TEST_CASE("no-break spaces in code", "[test_parser]") {
  CHECK(parse("x\xC2\xA0=\xC2\xA0" "1\nif x:\n\xC2\xA0\xC2\xA0y = 's\xC2\xA0'\n") ==
        "Module([Assign([Name(x)], Constant(int 1)), If(Name(x), [Assign([Name(y)], "
        "Constant(str \"s\xC2\xA0\"))], [])])");
}

TEST_CASE("bad escapes in literals as CPython reports them", "[test_parser]") {
  CHECK(parse("x = \"\\N{BOGUS NAME}\"") ==
        "SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-13: unknown Unicode character name @1:21-21");
  CHECK(parse("f\"{1}\\N{NOPE}\"") ==
        "SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-7: unknown Unicode character name @1:15-15");
  CHECK(parse("\"a\\Nb\"") ==
        "SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 1-2: malformed \\N character escape @1:7-7");
  CHECK(parse("\"ab\\x4\"") ==
        "SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 2-4: truncated \\xXX escape @1:8-8");
  CHECK(parse("\"\\U0011ffff\"") ==
        "SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character @1:13-13");
  CHECK(parse("b\"a\\x4g\"") ==
        "SyntaxError: (value error) invalid \\x escape at position 1 @1:9-9");
  CHECK(parse("\"\"\"\nab\\N{X}\"\"\"") ==
        "SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 3-7: unknown Unicode character name @2:11-11");
}

TEST_CASE("match statement errors as CPython reports them", "[test_parser]") {
  CHECK(parse("match 1:\n case x:\n  pass\n case 2: pass") ==
        "SyntaxError: name capture 'x' makes remaining patterns unreachable @2:7-8");
  CHECK(parse("match 1:\n case _:\n  pass\n case 2: pass") ==
        "SyntaxError: wildcard makes remaining patterns unreachable @2:7-8");
  CHECK(parse("match 1:\n case x | y: pass") ==
        "SyntaxError: name capture 'x' makes remaining patterns unreachable @2:7-8");
  CHECK(parse("match 1:\n case [x, x]: pass") ==
        "SyntaxError: multiple assignments to name 'x' in pattern @2:11-12");
  CHECK(parse("match 1:\n case P(x=1, x=2): pass") ==
        "SyntaxError: attribute name repeated in class pattern: x @2:16-17");
  CHECK(parse("match 1:\n case 1 | x: pass") ==
        "SyntaxError: alternative patterns bind different names @2:11-12");
  CHECK(parse("match 1:\n case [*a, *b]: pass") ==
        "SyntaxError: multiple starred names in sequence pattern @2:7-15");
  CHECK(parse("match 1:\n case -x: pass") ==
        "SyntaxError: invalid syntax @2:8-9");
  CHECK(parse("match 1:\n case 1 + 2: pass") ==
        "SyntaxError: imaginary number required in complex literal @2:11-12");
  CHECK(parse("match 1:\n case P(x=1, 2): pass") ==
        "SyntaxError: positional patterns follow keyword patterns @2:14-15");
  CHECK(parse("match x:\n case a as _: pass") ==
        "SyntaxError: cannot use '_' as a target @2:12-13");
  CHECK(parse("match = 1\nmatch.x = 2\nmatch[0]: int = 3\nmatch(x)\ncase = match * 2").rfind("Module(", 0) == 0);
}

TEST_CASE("match statement duplicate keys", "[test_parser]") {
  CHECK(parse("match x:\n case {\"a\": 1, \"a\": 2}: pass") ==
        "SyntaxError: mapping pattern checks duplicate key ('a') @2:7-23");
  CHECK(parse("match x:\n case {1: 1, 1: 2}: pass") ==
        "SyntaxError: mapping pattern checks duplicate key (1) @2:7-19");
}

TEST_CASE("match statement trees", "[test_parser]") {
  CHECK(parse("match x:\n case [1, *r] | {'k': _, **r} if r: pass\n case P(a, b=c as d): pass") ==
        "Module([Match(Name(x), [match_case(MatchOr([MatchSequence([MatchValue(Constant(int 1)), MatchStar(r)]), "
        "MatchMapping([Constant(str \"k\")], [MatchAs(-, -)], r)]), Name(r), [Pass]), "
        "match_case(MatchClass(Name(P), [MatchAs(-, a)], [b], [MatchAs(MatchAs(-, c), d)]), -, [Pass])])])");
}
