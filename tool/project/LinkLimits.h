//===- LinkLimits.h - The linker's limits, as options and as notes ----------===//
//
// The linker bounds its work (LinkOptions): call chains deeper than 128
// calls are cut, a function's may-acquire set keeps 256 locks, at most
// 10,000 cycles are reported. A limit that bites may hide a deadlock, so it
// is never silent: the commands that link print one note per limit hit,
// naming where and the option that raises it.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_LINKLIMITS_H
#define LOCKGRAPH_TOOL_LINKLIMITS_H

#include "ArgParser.h"
#include "analysis/LockOrderLinker.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace lockgraph {

/// --max-call-depth, --max-locks-per-function, --max-cycles.
extern const OptionSpec LinkLimitOptions[3];

/// The limits \p Args sets, defaults for the others.
llvm::Expected<LinkOptions> linkOptionsFrom(const ParsedArgs &Args);

/// One line per limit \p Hits records ("analysis depth limit 128 reached in
/// 'f' ..."), without the "lockgraph: note: " prefix.
std::vector<std::string> limitNotes(const LinkLimitHits &Hits, const LinkOptions &Options);

} // namespace lockgraph

#endif
