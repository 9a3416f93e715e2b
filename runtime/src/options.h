// Runtime options, read once from LOCKGRAPH_OPTIONS ("name=value" pairs
// separated by ':' or whitespace, like the sanitizers' *_OPTIONS). The
// option names and their meaning are documented in docs/runtime.md; the
// `lockgraph run` flags map one to one onto them.
#pragma once

#include "visibility.h"

#include <cstdint>

namespace lockgraph::rt {

struct Options {
  // JSON report file; "%p" is replaced by the process id. Empty: no file.
  char reportPath[512] = {};
  int exitCode = 66;            // process exit status when anything was reported
  bool haltOnError = false;     // end the process after the first report
  std::uint64_t longHoldMs = 0; // long-hold threshold; 0 turns the check off
  std::uint64_t deadlockTimeoutMs = 0; // watchdog; 0 turns it off
  bool exitOnDeadlock = true;   // the watchdog ends the process after its report
  int stackDepth = 32;          // frames kept per captured stack
  bool stats = false;           // print per-lock hold/wait statistics at exit
  bool reportGraph = false;     // add the whole lock-order graph to the JSON report
  // Directory where each process writes its lock-order graph at exit, for
  // `lockgraph run --graph-dir` to link across processes. Empty: none.
  char graphDir[512] = {};
  bool symbolize = true;        // run a symbolizer when printing reports
  char symbolizerPath[512] = {};

  // Whether acquisitions must be timed (hold-time check or statistics).
  bool timing() const { return longHoldMs > 0 || stats; }

  // Derived from the fields above by optionsChanged(), so that every lock
  // tests one byte: hold times are tracked, or acquisition sites must be
  // walked past out-of-line lock wrappers (lock_wrappers.h), which the fast
  // paths of detector.h do not do. (The watchdog needs no help from them:
  // it sees a thread blocked on the fast path by its top hold, see
  // watchdog.cpp.)
  bool fastPathOff = false;
};

// Parses `text` into `out`, starting from `out`'s current values. On an
// unknown name or a malformed value, writes a message into `error` and
// returns false; earlier valid pairs stay applied.
bool parseOptions(const char* text, Options* out, char* error, unsigned errorSize);

// The options in force; read from the environment when the runtime starts.
extern LOCKGRAPH_INTERNAL Options theOptions;
inline Options& options() { return theOptions; }
void loadOptionsFromEnvironment();
// Recomputes the derived fields and passes them on to every thread; call
// after changing options(). Defined by the detector.
void optionsChanged();

} // namespace lockgraph::rt
