//===- BlockingKinds.h - What kind of wait a blocking call is --------------===//
//
// The kinds of blocking call lockgraph-blocking-under-lock knows, how a
// message says what each does, and how the facts files name them (calls
// that block travel in the facts so that the whole-program link can follow
// calls into functions defined in other files). No Clang types: the linker
// uses it too.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_BLOCKINGKINDS_H
#define LOCKGRAPH_ANALYSIS_BLOCKINGKINDS_H

#include "llvm/ADT/StringRef.h"
#include <optional>

namespace lockgraph {

enum class BlockingKind {
  Sleep,
  FileIO,
  SocketIO,
  Poll,
  ThreadJoin,
  FutureWait,
  ConditionWait,
  SemaphoreWait,
  Process,
  NameLookup,
  Configured, ///< named by the user in BlockingFunctions
};

/// How a blocking call reads in a message: "sleeps", "performs file I/O".
llvm::StringRef describeBlocking(BlockingKind Kind);

/// The name of a kind in the facts files ("sleep", "file-io", ...).
llvm::StringRef blockingKindName(BlockingKind Kind);

/// The kind a facts file names, or nothing for an unknown name.
std::optional<BlockingKind> blockingKindNamed(llvm::StringRef Name);

} // namespace lockgraph

#endif
