// The table of native modules.
#include "stdlib/stdlib.h"

#include <cstdio>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "stdlib/asyncio.h"
#include "stdlib/embedded_lib.h"
#include "stdlib/std_streams.h"

namespace aio {

void register_stdlib(Interp& interp) {
  interp_register_module(interp, "sys", init_sys);
  interp_register_module(interp, "math", init_math);
  interp_register_module(interp, "time", init_time);
  interp_register_module(interp, "random", init_random);
  interp_register_module(interp, "os", init_os);
  interp_register_module(interp, "os.path", init_os_path);
  interp_register_module(interp, "string", init_string);
  interp_register_module(interp, "unicodedata", init_unicodedata);
  interp_register_module(interp, "_asyncio", init_asyncio_core);
  interp_register_module(interp, "_thread", init_thread);
  interp_register_module(interp, "_process", init_process);
  interp_register_module(interp, "_datetime", init_datetime_helpers);
  interp_register_module(interp, "contextvars", init_contextvars);
  interp.run_coroutine = run_main_coroutine;
  interp.flush_output = flush_stdout;
  interp_register_module(interp, "itertools", init_itertools);
  interp_register_module(interp, "_json", init_json_native);
  interp_register_module(interp, "_collections", init_collections_native);
  interp_register_module(interp, "_traceback", init_traceback_native);
  interp_register_module(interp, "_re", init_re_native);
  interp_register_module(interp, "hashlib", init_hashlib);
  interp_register_module(interp, "errno", init_errno);
  interp_register_module(interp, "_subprocess", init_subprocess_native);
  interp_register_module(interp, "_socket", init_socket_native);
  interp_register_module(interp, "_signal", init_signal_native);
  for (const EmbeddedModule* m = embedded_modules; m->name; m++) interp_register_library_module(interp, m->name, m->source);
}

void finalize_stdlib(Interp& interp) {
  Value threading;
  if (dict_get(as_dict(interp.modules), new_str("threading"), threading) == Lookup::Found) {
    Value r = call_method(threading, "_shutdown", {});  // waits for non-daemon threads
    // As python3: reported, but the program's exit status stays (Ctrl-C while waiting for them).
    if (r.is_raised()) {
      Value e = take_exception();
      std::string where;
      if (!repr_string(threading, where)) take_exception();
      flush_stdout();
      fputs(("Exception ignored in: " + where + "\n" + format_exception(e)).c_str(), stderr);
    }
  }
  flush_stdout();
  report_pending_tasks();
}

}  // namespace aio
