// Modules written in aio itself (stdlib/lib/*.aio), compiled into the binary as source text.
#pragma once

namespace aio {

struct EmbeddedModule {
  const char* name;    // import name, e.g. "collections"
  const char* source;  // the module's aio source
};

// Ends with a {nullptr, nullptr} entry.
extern const EmbeddedModule embedded_modules[];

}  // namespace aio
