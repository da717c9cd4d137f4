// Symbol tables: which names each function, class body or module binds, and where every
// name it uses lives (local slot, cell, closure, class namespace, globals).
#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "interp/ast.h"

namespace aio {

struct SymTable {
  enum Kind { ModuleScope, FunctionScope, ClassScope } kind;
  SymTable* parent = nullptr;
  std::string name;
  std::set<std::string> bound, declared_global, declared_nonlocal, used, params;
  std::set<std::string> cells;              // locals captured by nested functions
  std::vector<std::string> frees;           // names taken from enclosing functions, in order
  bool is_generator = false, is_async = false, uses_await = false;
  bool has_annotations = false;  // module/class body annotates a name: it gets __annotations__
  std::vector<std::unique_ptr<SymTable>> children;

  bool is_local(const std::string& n) const {
    return kind == FunctionScope && bound.count(n) && !declared_global.count(n) &&
           !declared_nonlocal.count(n);
  }
  bool is_free(const std::string& n) const;
};

// Builds the tables for a module; node -> table for every function, lambda, comprehension, class.
struct SymbolTables {
  std::unique_ptr<SymTable> root;
  std::unordered_map<const void*, SymTable*> of;
  std::string error;  // "nonlocal x: no binding" style problems
  int error_line = 0;
};

SymbolTables build_symbol_tables(Module& m);

}  // namespace aio
