//===- LockOrderLinker.h - Facts of many functions → lock-order findings ---===//
//
// Links the facts of one or many translation units into the lock-order
// graph. Each function's may-acquire set (the locks a call to it may take,
// transitively, each with the call chain that takes it) is computed over the
// program's call graph, with virtual calls going to every override seen.
// Every acquisition and every call made while a lock is held then yields:
//   - an edge `held class -> acquired class`, with its witness;
//   - or, when it is the same lock instance, a double lock;
//   - or, when it is another instance of the same class, same-class nesting.
// Cycles of the class graph (LockGraph) become lock-order reports, except
// cycles whose edges were all taken under one common outer ("gate") lock.
//
// The clang-tidy checks link the facts of their own TU; `lockgraph check -p`
// links the facts of every TU of a compile database.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_LOCKORDERLINKER_H
#define LOCKGRAPH_ANALYSIS_LOCKORDERLINKER_H

#include "analysis/LockOrderFacts.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace lockgraph {

constexpr const char *LockOrderCheckName = "lockgraph-lock-order";
constexpr const char *DoubleLockCheckName = "lockgraph-double-lock";

/// One call on the way from the function holding a lock to the function
/// acquiring the next one.
struct ChainStep {
  FactLoc Site;
  std::string Caller;
  std::string Callee;
  /// Set when the step is a virtual call whose receiver's dynamic type is
  /// not known and `Callee` is one of several overrides that may run: the
  /// assumption, worded for a note.
  std::string Assumption;
};

/// Where an edge was seen: in `Function`, `Held` was taken at `HeldAt`; then,
/// possibly through `Chain`, `Acquired` was taken at `AcquiredAt`.
struct EdgeWitness {
  std::string Function;
  std::string HeldSpelling;
  FactLoc HeldAt;
  std::vector<ChainStep> Chain;
  std::string AcquiredSpelling;
  FactLoc AcquiredAt;
  /// The acquisition or call in `Function` itself: where a report anchors.
  FactLoc Site;
};

struct LockEdge {
  std::string From, To;
  EdgeWitness Witness; // the first one seen
  unsigned Witnesses = 0;
  /// Classes held at every witness besides `From`: a lock that serialises
  /// every path taking this edge.
  std::vector<std::string> Gates;
  /// Every witness goes through a virtual call to one of several
  /// overrides (ChainStep::Assumption); the witness kept shows one.
  bool Assumed = false;
};

struct LockReportNote {
  std::string Message;
  FactLoc Where;
};

/// Notes that show how \p W made its edge: where the held lock was taken
/// (labelled \p EdgeLabel, e.g. "(edge 1 of 3)"), the calls on the way, and
/// where the next lock was taken. Lock-order reports of every origin use it.
void addEdgeWitnessNotes(std::vector<LockReportNote> &Notes, const EdgeWitness &W, const std::string &EdgeLabel);

/// Whether the held lock \p H is among \p Released, the caller's locks a
/// callee released (by instance; by class where an instance is unknown;
/// or through the guard that owns \p H).
bool isReleasedLock(const HeldFact &H, const std::vector<LockRef> &Released);

/// Source order: by file, then line, then column.
bool sourceOrderBefore(const FactLoc &A, const FactLoc &B);

/// A name as messages quote it: 'name'.
std::string quotedName(const std::string &Name);

/// The message of one finding for several cycles through one set of locks
/// (a strongly connected component): "lock-order cycles among 3 locks 'a',
/// 'b', 'c': 4 orders between them form 2 cycles, such as 'a' -> 'b' ->
/// 'a'" (at most eight locks named). Linked and merged findings use it.
std::string componentMessage(const std::set<std::string> &Locks, size_t Orders, size_t Cycles,
                             const std::string &ExamplePath);

struct LockReport {
  std::string Check;
  std::string Message;
  FactLoc Where;
  std::vector<LockReportNote> Notes;
  /// For cycles: the lock classes in order (the graph output marks them).
  std::vector<std::string> Cycle;
  /// The finding needs an assumed virtual dispatch (LockEdge::Assumed);
  /// reported only with LinkOptions::AssumeEveryOverride.
  bool Assumed = false;
};

struct LinkOptions {
  /// Reported cycles at most; the rest are counted in the summary.
  size_t MaxCycles = 10000;
  /// Deeper call chains are cut (recursion is cut at its first repeat).
  unsigned MaxCallDepth = 128;
  /// Distinct locks remembered per function's may-acquire set.
  size_t MaxMayAcquire = 256;
  /// Report findings that need a virtual call to run one particular
  /// override out of several when the receiver's dynamic type is not known
  /// (class-hierarchy resolution). Off by default: such findings are
  /// mostly false (docs/checks/lockgraph-lock-order.md); the edges stay in
  /// the graph either way, marked assumed.
  bool AssumeEveryOverride = false;
};

/// Where link() hit a limit of LinkOptions and so may have missed orders
/// or cycles: reported to the user with the option that raises the limit.
struct LinkLimitHits {
  /// Call chains cut at MaxCallDepth, and the first function not entered.
  unsigned CallDepthCuts = 0;
  std::string FirstCallDepthCut;
  /// May-acquire sets that reached MaxMayAcquire, and the first function.
  unsigned MayAcquireCaps = 0;
  std::string FirstMayAcquireCap;
  /// Cycles left unreported beyond MaxCycles (0: none left).
  size_t CyclesBeyondCap = 0;
};

class LockOrderLinker {
public:
  explicit LockOrderLinker(LinkOptions Options = {});
  ~LockOrderLinker();

  /// Adds a translation unit's functions; a function defined in several
  /// units (inline, templates) is taken from the first.
  void add(const TUFacts &TU);
  void add(TUFacts &&TU);

  /// Computes edges and findings; call once, after every add().
  void link();

  /// The class graph, sorted by (From, To).
  const std::vector<LockEdge> &edges() const;
  /// Findings of both checks, in a deterministic order.
  const std::vector<LockReport> &reports() const;
  const LinkLimitHits &limitHits() const;
  /// The units' callback findings on virtual calls whose every
  /// implementation in the program is harmless (CallbackDispatch.h): a
  /// driver that knows it linked the whole program drops them.
  const std::vector<VirtualCallbackFact> &harmlessCallbacks() const;
  size_t functionCount() const;

private:
  class Impl;
  std::unique_ptr<Impl> P;
};

} // namespace lockgraph

#endif
