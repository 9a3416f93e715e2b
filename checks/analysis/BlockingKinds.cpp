//===- BlockingKinds.cpp --------------------------------------------------===//

#include "analysis/BlockingKinds.h"

namespace lockgraph {
namespace {

struct KindText {
  BlockingKind Kind;
  const char *Name;
  const char *Description;
};

constexpr KindText Kinds[] = {
    {BlockingKind::Sleep, "sleep", "sleeps"},
    {BlockingKind::FileIO, "file-io", "performs file or console I/O"},
    {BlockingKind::SocketIO, "socket-io", "performs socket I/O"},
    {BlockingKind::Poll, "poll", "waits for I/O readiness"},
    {BlockingKind::ThreadJoin, "thread-join", "waits for a thread to finish"},
    {BlockingKind::FutureWait, "future-wait", "waits for an asynchronous result"},
    {BlockingKind::ConditionWait, "condition-wait", "waits on a condition variable"},
    {BlockingKind::SemaphoreWait, "semaphore-wait", "waits on a semaphore, latch, barrier or atomic"},
    {BlockingKind::Process, "process", "runs or waits for another process"},
    {BlockingKind::NameLookup, "name-lookup", "performs a DNS lookup"},
    {BlockingKind::Configured, "configured", "is configured as blocking"},
};

} // namespace

llvm::StringRef describeBlocking(BlockingKind Kind) {
  for (const KindText &K : Kinds)
    if (K.Kind == Kind)
      return K.Description;
  return "blocks";
}

llvm::StringRef blockingKindName(BlockingKind Kind) {
  for (const KindText &K : Kinds)
    if (K.Kind == Kind)
      return K.Name;
  return "configured";
}

std::optional<BlockingKind> blockingKindNamed(llvm::StringRef Name) {
  for (const KindText &K : Kinds)
    if (Name == K.Name)
      return K.Kind;
  return std::nullopt;
}

} // namespace lockgraph
