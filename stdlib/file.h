// File objects: what open() returns (text or binary, read/write/append/exclusive, '+').
#pragma once
#include <cstdio>
#include <string>

#include "interp/object.h"

namespace aio {

struct FileObj : Object {
  FILE* fp;
  std::string name;
  std::string mode;
  std::string encoding;  // text files: the codec their bytes go through, as the script named it
  bool binary;
  bool readable, writable;
  bool owned;  // closed when the object goes (false for stdin)
  bool name_is_fd = false;  // open(fd): name holds the descriptor's digits and reads back as an int
  bool universal_newlines = true;  // newline=None: \r\n and \r read as \n (any other newline= keeps them)
  std::string write_newline;       // newline='\r\n' or '\r': what each '\n' written becomes
  FileObj(Type* t, FILE* f, std::string n, std::string m);
  ~FileObj() override;
};

// open(file, mode='r', buffering=-1, encoding=None, ...) as the builtin.
Value builtin_open(const Args& a);
// A file object over an already open stream (sys.stdin).
Value wrap_file(FILE* fp, const std::string& name, const std::string& mode, bool owned);

}  // namespace aio
