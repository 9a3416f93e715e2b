//===- BlockingCalls.h - Which calls can block the calling thread ----------===//
//
// The catalogue behind lockgraph-blocking-under-lock: sleeps, file, socket
// and console I/O, joins, future and semaphore waits, condition waits,
// process spawning and name lookups. The defaults are a table of names in
// BlockingCalls.cpp; users extend and trim it by name through check options.
//
// A condition-variable wait is blocking too, but it releases the lock it is
// given while it waits: the classification says which argument that is, so
// a caller can tell a wait on the held lock (fine) from a wait while some
// other lock stays held (a finding).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_BLOCKINGCALLS_H
#define LOCKGRAPH_ANALYSIS_BLOCKINGCALLS_H

#include "analysis/BlockingKinds.h"
#include "analysis/CallSiteSummaries.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace lockgraph {



struct BlockingCall {
  BlockingKind Kind;
  /// The callee as users know it: "std::this_thread::sleep_for", "read",
  /// "std::cout <<".
  std::string Name;
  /// For condition waits: the argument naming the lock (a mutex or a guard)
  /// that the wait releases while blocked.
  const clang::Expr *ReleasedLock = nullptr;
};

struct BlockingCatalogueOptions {
  /// Extra blocking functions: "name" for a C function, "ns::name" for a
  /// free function, "ns::Class::method" for a member function.
  std::vector<std::string> Extra;
  /// Names from the defaults (or Extra) that are not blocking here.
  std::vector<std::string> Ignored;
  /// Start from the built-in table; false leaves only Extra.
  bool Defaults = true;
};

class BlockingCatalogue {
public:
  explicit BlockingCatalogue(BlockingCatalogueOptions Options = {});

  /// The blocking call made by one CFG element (a call, a stream operator,
  /// a file stream opened by its constructor, a std::jthread destroyed), if
  /// it makes one.
  std::optional<BlockingCall> classify(const clang::CFGElement &Element, clang::ASTContext &Ctx) const;

  /// The built-in table as option text, for documentation and tests.
  static std::vector<std::string> defaultNames();

private:
  struct Entry {
    std::string Name;
    BlockingKind Kind;
    int ReleasedArg; ///< index of the released lock argument, or -1
  };
  std::optional<BlockingCall> classifyCall(const clang::CallExpr *Call, clang::ASTContext &Ctx) const;
  std::optional<BlockingCall> classifyStreamCall(const clang::CallExpr *Call) const;
  std::optional<BlockingCall> classifyConstruction(const clang::CXXConstructExpr *CE) const;
  const Entry *lookup(llvm::StringRef Name) const;
  bool isIoStreamObject(const clang::Expr *Stream, std::string &Spelling) const;

  std::vector<Entry> Entries;
};

/// Blocking calls as sites of interest for CallSiteSummaries. A condition
/// wait names the lock it releases: the mutexes of the guard it is given
/// when the guard is bound here, otherwise the guard itself (a caller may
/// know what it holds).
class BlockingClassifier : public SiteClassifier {
public:
  BlockingClassifier(const BlockingCatalogue &Catalogue, const LockModel &Model, clang::ASTContext &Ctx)
      : Catalogue(Catalogue), Model(Model), Ctx(Ctx) {}
  std::optional<DirectSite> classify(const clang::CFGElement &Element, const Lockset &Before) override;

private:
  const BlockingCatalogue &Catalogue;
  const LockModel &Model;
  clang::ASTContext &Ctx;
};

} // namespace lockgraph

#endif
